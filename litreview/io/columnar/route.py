"""Which files take the columnar path, and reading them: :func:`read_file` (used by :func:`litreview.load`)."""

from __future__ import annotations

import codecs
import hashlib
from collections.abc import Callable
from pathlib import Path

from litreview.io.readers import SNIFF_CHARS, detect_format
from litreview.io.readers.base import ReadResult
from litreview.io.readers.json_records import _looks_like_json_lines

_HEAD_BYTES = 4 * SNIFF_CHARS  # enough bytes for the sniffers' characters, whatever the encoding


class _Hashing:
    """A binary stream that hashes what is read from it (the file's digest for the load account)."""

    def __init__(self, stream) -> None:
        self.stream, self.digest = stream, hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        self.digest.update(data)
        return data


def read_file(
    path: Path, label: str, fmt: str | None, columns=None, on_bytes: Callable[[int], None] | None = None
) -> tuple[ReadResult, str, str] | None:
    """``(result, format, sha256)`` of a JSON Lines or Parquet file read the columnar way, else ``None``."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(_HEAD_BYTES)
    except OSError:
        return None  # the record path reports it
    if fmt == "parquet" or (fmt is None and head.startswith(b"PAR1")):
        return _parquet(path, label, columns)
    if fmt not in (None, "json-records") or head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    try:
        text = codecs.getincrementaldecoder("utf-8-sig")().decode(head, final=len(head) < _HEAD_BYTES)
    except UnicodeDecodeError:
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")[:SNIFF_CHARS]
    if fmt is None and detect_format(text, path.suffix) != "json-records":
        return None
    if not _looks_like_json_lines(text):
        return None
    from litreview.io.columnar.jsonl import WholeFile, read_json_lines

    try:
        with open(path, "rb") as fh:
            stream = _Hashing(fh)
            result = read_json_lines(stream, label, columns=columns, on_bytes=on_bytes)
            return result, "json-records", stream.digest.hexdigest()
    except WholeFile:
        return None


def _parquet(path: Path, label: str, columns) -> tuple[ReadResult, str, str] | None:
    from litreview.io.columnar.parquet import read_parquet

    raw = path.read_bytes()
    result = read_parquet(raw, label, columns=columns)
    return None if result is None else (result, "parquet", hashlib.sha256(raw).hexdigest())
