"""Which files take the columnar path, and reading them: :func:`read_file` (used by :func:`litreview.load`).

JSON Lines (``json-records``, Semantic Scholar papers, the arXiv metadata snapshot), CSV/TSV and Parquet files
are converted column by column; OpenAlex works as JSON Lines are streamed block by block.  Gzipped files
(``.gz``, such as the OpenAlex snapshot's ``part_000.gz``) are decompressed as they are read, so a file larger
than memory can be read when a selection keeps a part of it.
"""

from __future__ import annotations

import codecs
import gzip
import hashlib
from collections.abc import Callable
from pathlib import Path

from litreview.io.gunzip import Gunzipped, damage_problem
from litreview.io.readers import SNIFF_CHARS, detect_format
from litreview.io.readers.base import ReadResult
from litreview.io.readers.json_records import _looks_like_json_lines
from litreview.io.readers.json_walk import _is_json_lines
from litreview.io.selection import Selection

_HEAD_BYTES = 4 * SNIFF_CHARS  # enough bytes for the sniffers' characters, whatever the encoding
GZIP_MAGIC = b"\x1f\x8b"


class _Hashing:
    """A binary stream that hashes what is read from it (the file's digest for the load account)."""

    def __init__(self, stream) -> None:
        self.stream, self.digest, self.position = stream, hashlib.sha256(), 0

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        self.digest.update(data)
        self.position += len(data)
        return data

    def readinto(self, buffer) -> int:  # (gzip reads this way)
        n = self.stream.readinto(buffer)
        self.digest.update(memoryview(buffer)[:n])
        self.position += n
        return n

    def readable(self) -> bool:
        return True

    def finish(self) -> str:
        """The digest of the whole file (reading what the consumer left unread)."""
        while self.read(1 << 20):
            pass
        return self.digest.hexdigest()


def read_file(
    path: Path,
    label: str,
    fmt: str | None,
    columns=None,
    on_bytes: Callable[[int], None] | None = None,
    selection: Selection | None = None,
) -> tuple[ReadResult, str, str] | None:
    """``(result, format, sha256)`` of a file read the columnar or streaming way, else ``None``."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(_HEAD_BYTES)
            gzipped = head.startswith(GZIP_MAGIC)
            if gzipped:
                head = _gunzip_head(fh)
    except OSError:
        return None  # the record path reports it
    if head is None:
        return None
    if fmt == "parquet" or (fmt is None and head.startswith(b"PAR1")):
        return None if gzipped else _parquet(path, label, columns)
    if fmt == "csv":
        return None if gzipped else _csv(path, label, columns)
    if fmt not in (None, "json-records", "openalex", "semantic-scholar", "arxiv-snapshot") or head.startswith(
        (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
    ):
        return None
    try:
        text = codecs.getincrementaldecoder("utf-8-sig")().decode(head, final=len(head) < _HEAD_BYTES)
    except UnicodeDecodeError:
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")[:SNIFF_CHARS]
    fmt = fmt or detect_format(text, _suffix(path))
    if fmt == "csv" and not gzipped:
        return _csv(path, label, columns)
    if fmt == "json-records" and _looks_like_json_lines(text):
        return _stream(path, label, gzipped, on_bytes, "json-records", columns, selection)
    if fmt in ("openalex", "semantic-scholar") and _is_json_lines(text) and columns is None:
        return _stream(path, label, gzipped, on_bytes, fmt, columns, selection)
    if fmt == "arxiv-snapshot" and columns is None:
        return _stream(path, label, gzipped, on_bytes, "arxiv-snapshot", columns, selection)
    return None


def _gunzip_head(fh) -> bytes | None:
    fh.seek(0)
    try:
        return gzip.GzipFile(fileobj=fh).read(_HEAD_BYTES)
    except (OSError, EOFError):
        return None


def _suffix(path: Path) -> str:
    """The name ending that tells a format: ``.jsonl`` for ``part.jsonl.gz``."""
    return path.with_suffix("").suffix if path.suffix.lower() == ".gz" else path.suffix


def _stream(path, label, gzipped, on_bytes, fmt, columns, selection):
    from litreview.io.columnar.jsonl import WholeFile, read_json_lines
    from litreview.io.columnar.openalex_lines import read_openalex_lines

    with open(path, "rb") as fh:
        hashing = _Hashing(fh)
        stream = Gunzipped(hashing) if gzipped else hashing  # (the lines before a damage are read)
        report = on_bytes
        if gzipped and on_bytes is not None:  # the progress bar counts the file's (compressed) bytes
            shown = [0]

            def report(_n: int) -> None:
                on_bytes(hashing.position - shown[0])
                shown[0] = hashing.position

        try:
            if fmt == "arxiv-snapshot":
                from litreview.io.columnar.arxiv_lines import read_arxiv_lines

                result = read_arxiv_lines(stream, label, on_bytes=report)
            elif fmt == "openalex":
                result = read_openalex_lines(stream, label, selection=selection, on_bytes=report)
            elif fmt == "semantic-scholar":
                from litreview.io.columnar.s2_lines import read_s2_lines

                result = read_s2_lines(stream, label, selection=selection, on_bytes=report)
            else:
                result = read_json_lines(stream, label, columns=columns, selection=selection, on_bytes=report)
        except WholeFile:
            return None
        except (OSError, EOFError):  # (a file that cannot be read on: the record path reports it)
            return None
        if gzipped and stream.damage is not None:
            result.problems.append(damage_problem(label, stream))
        result.selected = fmt != "arxiv-snapshot"  # (load applies the selection to the snapshot's papers)
        return result, fmt, hashing.finish()


def _parquet(path: Path, label: str, columns) -> tuple[ReadResult, str, str] | None:
    from litreview.io.columnar.parquet import read_parquet

    raw = path.read_bytes()
    result = read_parquet(raw, label, columns=columns)
    return None if result is None else (result, "parquet", hashlib.sha256(raw).hexdigest())


def _csv(path: Path, label: str, columns) -> tuple[ReadResult, str, str] | None:
    """A CSV/TSV file as the record path decodes it, its rows converted by columns (see :mod:`.csv_table`)."""
    from litreview.io.columnar.csv_table import read_csv_table
    from litreview.io.columnar.jsonl import WholeFile
    from litreview.io.encoding import decode_bytes

    raw = path.read_bytes()
    text, _ = decode_bytes(raw)
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # (as litreview.io.load.decode_text)
    try:
        result = read_csv_table(text, label, columns=dict(columns) if columns else None)
    except WholeFile:
        return None
    return result, "csv", hashlib.sha256(raw).hexdigest()
