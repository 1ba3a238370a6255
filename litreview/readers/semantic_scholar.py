"""Semantic Scholar papers (placeholder: being written)."""

from __future__ import annotations

from .base import ReadResult

FORMAT = "semantic-scholar"
EXTENSIONS: tuple[str, ...] = (".json", ".jsonl")


def sniff(text: str) -> bool:
    return False


def read(text: str, file: str) -> ReadResult:
    result = ReadResult()
    result.error(file, None, "the semantic-scholar reader is not written yet")
    return result
