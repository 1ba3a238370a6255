"""BibTeX (placeholder: being written)."""

from __future__ import annotations

from .base import ReadResult

FORMAT = "bibtex"
EXTENSIONS: tuple[str, ...] = (".bib", ".bibtex")


def sniff(text: str) -> bool:
    return False


def read(text: str, file: str) -> ReadResult:
    result = ReadResult()
    result.error(file, None, "the bibtex reader is not written yet")
    return result
