"""arXiv OAI-PMH ListRecords pages (placeholder: being written)."""

from __future__ import annotations

from .base import ReadResult

FORMAT = "arxiv-oai"
EXTENSIONS: tuple[str, ...] = (".xml",)


def sniff(text: str) -> bool:
    return False


def read(text: str, file: str) -> ReadResult:
    result = ReadResult()
    result.error(file, None, "the arxiv-oai reader is not written yet")
    return result
