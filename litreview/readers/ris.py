"""RIS (placeholder: being written)."""

from __future__ import annotations

from .base import ReadResult

FORMAT = "ris"
EXTENSIONS: tuple[str, ...] = (".ris",)


def sniff(text: str) -> bool:
    return False


def read(text: str, file: str) -> ReadResult:
    result = ReadResult()
    result.error(file, None, "the ris reader is not written yet")
    return result
