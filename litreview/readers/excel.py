"""excel (placeholder: being written)."""

from __future__ import annotations

from .base import ReadResult

FORMAT = "excel"
EXTENSIONS: tuple[str, ...] = (".xlsx", ".xlsm")
BINARY = True  # read() and sniff() take the file's bytes


def sniff(raw: bytes) -> bool:
    return False


def read(raw: bytes, file: str, *, columns=None) -> ReadResult:
    result = ReadResult()
    result.error(file, None, "the excel reader is not written yet")
    return result
