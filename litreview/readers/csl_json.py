"""CSL-JSON (placeholder: being written)."""

from __future__ import annotations

from .base import ReadResult

FORMAT = "csl-json"
EXTENSIONS: tuple[str, ...] = (".json",)


def sniff(text: str) -> bool:
    return False


def read(text: str, file: str) -> ReadResult:
    result = ReadResult()
    result.error(file, None, "the csl-json reader is not written yet")
    return result
