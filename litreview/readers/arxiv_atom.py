"""arXiv API Atom feeds (placeholder: being written)."""

from __future__ import annotations

from .base import ReadResult

FORMAT = "arxiv-atom"
EXTENSIONS: tuple[str, ...] = (".xml", ".atom")


def sniff(text: str) -> bool:
    return False


def read(text: str, file: str) -> ReadResult:
    result = ReadResult()
    result.error(file, None, "the arxiv-atom reader is not written yet")
    return result
