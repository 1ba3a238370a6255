"""parquet (placeholder: being written)."""

from __future__ import annotations

from .base import ReadResult

FORMAT = "parquet"
EXTENSIONS: tuple[str, ...] = (".parquet", ".pq")
BINARY = True  # read() and sniff() take the file's bytes


def sniff(raw: bytes) -> bool:
    return False


def read(raw: bytes, file: str, *, columns=None) -> ReadResult:
    result = ReadResult()
    result.error(file, None, "the parquet reader is not written yet")
    return result
