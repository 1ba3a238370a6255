"""OpenAlex works (placeholder: being written)."""

from __future__ import annotations

from .base import ReadResult

FORMAT = "openalex"
EXTENSIONS: tuple[str, ...] = (".json", ".jsonl")


def sniff(text: str) -> bool:
    return False


def read(text: str, file: str) -> ReadResult:
    result = ReadResult()
    result.error(file, None, "the openalex reader is not written yet")
    return result
