"""Web of Science tagged export (placeholder: being written)."""

from __future__ import annotations

from .base import ReadResult

FORMAT = "wos"
EXTENSIONS: tuple[str, ...] = (".ciw", ".txt")


def sniff(text: str) -> bool:
    return False


def read(text: str, file: str) -> ReadResult:
    result = ReadResult()
    result.error(file, None, "the wos reader is not written yet")
    return result
