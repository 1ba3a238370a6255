"""JSON Lines, columnar: the file is read in blocks of lines by pyarrow and converted column by column.

The result is the record path's (:mod:`litreview.io.readers.json_records`) row for row: the same
columns mapping (over every key of the file), values, flags, ``source`` (``file:line``) and problems,
in the same order.  What pyarrow cannot read as a table (a line that is not valid JSON, an array
line, a key whose values change type) costs only its block, which the record path reads; rows a
kernel marks are read by the record path one by one.  When the file as a whole must be read the
record path's way (it is not UTF-8, it has bare ``\\r`` line ends, its mapping of columns changes
after the first block, no column identifies a paper), :class:`WholeFile` is raised and the caller
reads it with the ordinary reader, which gives the same result, only slower.

Blocks are parsed on a thread (:func:`~litreview.io.columnar.ahead.ahead`) while the previous block is
converted and its papers made, which holds the GIL where parsing does not.  Each block's papers are kept as
their columns (:class:`~litreview.io.columnar.frames.Columns`), joined into one table at the end.  Memory: two
blocks of the file (:data:`BLOCK_BYTES`) and their pyarrow tables at a time, plus the papers read so far as
Python objects.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.json as pj

from litreview.io.columnar.ahead import ahead
from litreview.io.columnar.convert import convert_batch, schema_columns
from litreview.io.columnar.frames import Columns, join, release_freed_memory
from litreview.io.encoding import repair_frame_text
from litreview.io.readers.base import Problem, ReadResult
from litreview.io.readers.cells import convert
from litreview.io.readers.columns import ColumnMap, ColumnsError, map_columns
from litreview.io.readers.json_records import _json_lines, _kind
from litreview.io.selection import Selection
from litreview.schema import to_frame

BLOCK_BYTES = 8 << 20  # bytes of the file converted at a time (8 MB: 4% less time than 4 MB at 200,000 records, +10 MB)
# pyarrow (26) crashes the process on a buffer whose first value is ``null``, and refuses other non-objects:
# a block must open with an object to be handed to it
OPENS_OBJECT = re.compile(rb"\s*\{")


def one_chunk(data: bytes) -> pj.ReadOptions:
    """pyarrow's options to parse ``data`` as one chunk, on the calling thread: its columns need no joining,
    and the reading thread parses while the caller's builds the previous block's table."""
    return pj.ReadOptions(use_threads=False, block_size=len(data) + 1)


class WholeFile(Exception):
    """This file must be read by the record-by-record reader as a whole (the reason is the message)."""


def blocks(stream: BinaryIO, size: int = BLOCK_BYTES) -> Iterator[bytes]:
    """The stream in blocks of whole lines (each but the last ends with ``\\n``), a BOM dropped."""
    rest = b""
    first = True
    while True:
        data = stream.read(size)
        if first:
            first = False
            if data.startswith(codecs.BOM_UTF8):
                data = data[len(codecs.BOM_UTF8) :]
        if not data:
            if rest:
                yield rest
            return
        cut = data.rfind(b"\n") + 1
        if cut == 0:
            rest += data
            continue
        block = data if not rest and cut == len(data) else b"".join((rest, memoryview(data)[:cut]))
        rest = data[cut:]
        data = None  # (not held while the block is converted)
        yield block
        block = None


class _Reader:
    def __init__(self, label: str, columns, selection: Selection | None) -> None:
        self.label, self.columns, self.selection = label, columns, selection
        self.names: dict[str, None] = {}
        self.cmap: ColumnMap | None = None
        self.converted = False
        self.first_line: int | None = None  # line of the first JSON value (where the mapping warning goes)
        self.json_problems: list[Problem] = []
        self.row_problems: list[Problem] = []
        self.parts: list[pd.DataFrame | Columns] = []
        self.lines: list[np.ndarray] = []
        self.records: list[dict] = []
        self.record_lines: list[int] = []

    def learn(self, names) -> None:
        """Add a block's keys; the mapping may not change once rows were converted with it."""
        new = [n for n in names if n not in self.names]
        if not new and self.cmap is not None:
            return
        self.names.update(dict.fromkeys(new))
        try:
            cmap = map_columns(list(self.names), self.columns, by_position=False)
        except ColumnsError:
            raise WholeFile("columns= names a column not seen yet") from None
        if (
            self.cmap is not None
            and self.converted
            and (cmap.fields != self.cmap.fields or cmap.authors_incomplete != self.cmap.authors_incomplete)
        ):
            raise WholeFile("a later block changes which column gives which field")
        if not cmap.identifies:
            raise WholeFile("no column identifies a paper (yet)")
        self.cmap = cmap

    def parse(self, data: bytes, line: int) -> _Parsed:
        """Parse one block whose first line is ``line``, on the reading thread: one long pyarrow call, which
        releases the GIL (the conversion's many short calls would hand it back and forth)."""
        # (numpy counts the line ends four times faster than bytes.count, which tests byte by byte)
        count = int(np.count_nonzero(np.frombuffer(data, np.uint8) == 10)) + (0 if data.endswith(b"\n") else 1)
        if b"\r" in data and data.count(b"\r") != data.count(b"\r\n"):
            raise WholeFile("bare carriage returns end lines")
        table = None
        if OPENS_OBJECT.match(data):
            try:
                table = pj.read_json(pa.BufferReader(data), read_options=one_chunk(data))
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
                table = None
        if table is not None and not data.isascii():
            try:
                table.validate(full=True)  # pyarrow does not check that strings are UTF-8 while parsing
            except pa.ArrowInvalid:
                raise WholeFile("not UTF-8") from None
        return _Parsed(data, line, count, table)

    def block(self, parsed: _Parsed) -> int:
        """Convert a parsed block and keep its papers; return the number of lines it holds."""
        data, line, count, table = parsed.data, parsed.line, parsed.count, parsed.table
        if table is None:
            self.python_block(data, line)
            return count
        if table.num_rows == count:
            row_lines = np.arange(line, line + count)
        else:  # blank lines
            row_lines = np.array([line + i for i, text in enumerate(data.split(b"\n")) if text.strip()], dtype=int)
            if len(row_lines) != table.num_rows:
                self.python_block(data, line)
                return count
        if self.first_line is None and len(row_lines):
            self.first_line = int(row_lines[0])
        self.learn(table.column_names)
        self.converted = True
        try:
            batch = convert_batch(table, self.cmap)
        except (pa.ArrowException, ValueError, TypeError):  # a column type no kernel expects: row by row
            self.python_block(data, line)
            return count
        ok = ~batch.fallback
        sources = [f"{self.label}:{n}" for n in row_lines[ok].tolist()]
        self.keep(schema_columns(batch.values, ok, sources), row_lines[ok])
        if batch.fallback.any():
            starts = np.concatenate([[0], np.flatnonzero(np.frombuffer(data, np.uint8) == 10) + 1, [len(data)]])
            for n in row_lines[batch.fallback].tolist():
                self.convert_row(json.loads(data[starts[n - line] : starts[n - line + 1]]), n)
        return count

    def python_block(self, data: bytes, line: int) -> None:
        """A block pyarrow cannot read as a table: the record path's parsing, line by line."""
        parsed = ReadResult()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise WholeFile("not UTF-8") from None
        items = _json_lines(text, self.label, parsed)
        shift = line - 1
        self.json_problems.extend(
            Problem(p.file, None if p.line is None else p.line + shift, p.message, p.severity) for p in parsed.problems
        )
        if items and self.first_line is None:
            self.first_line = items[0][0] + shift
        self.learn(key for _, _, value in items if isinstance(value, dict) for key in value)
        self.converted = True
        for number, _, value in items:
            self.convert_row(value, number + shift)

    def keep(self, part: pd.DataFrame | Columns, lines: np.ndarray) -> None:
        """Keep a block's papers (those the selection takes, with its fields)."""
        if self.selection is not None:
            part = part.frame() if isinstance(part, Columns) else part
            if self.selection.filters:
                chosen = self.selection.mask(part)
                part, lines = part.loc[chosen].reset_index(drop=True), lines[chosen]
            part = self.selection.apply(part)
        self.parts.append(part)
        self.lines.append(lines)

    def convert_row(self, value, line: int) -> None:
        if not isinstance(value, dict):
            self.row_problems.append(Problem(self.label, line, f"the line is {_kind(value)}, not an object"))
            return
        outcome = convert(value, self.cmap, f"{self.label}:{line}")
        if outcome.record is None:
            if outcome.error:
                self.row_problems.append(Problem(self.label, line, f"record {outcome.error}"))
            return
        self.row_problems.extend(Problem(self.label, line, message, "warning") for message in outcome.warnings)
        self.records.append(outcome.record)
        self.record_lines.append(line)

    def result(self) -> ReadResult:
        if self.cmap is None:
            raise WholeFile("no record objects")
        result = ReadResult()
        result.problems.extend(self.json_problems)
        if self.cmap.unplaced:
            result.note(self.label, self.first_line, self.cmap.unplaced_message())
        result.problems.extend(self.row_problems)
        fell_back = bool(self.records)
        if fell_back:
            self.keep(repair_frame_text(to_frame(self.records)), np.array(self.record_lines, dtype=int))
        order = np.argsort(np.concatenate(self.lines), kind="stable") if fell_back else None
        result.frame = join(self.parts, order) if self.parts else to_frame([])
        release_freed_memory()
        return result


def read_json_lines(
    stream: BinaryIO,
    label: str,
    *,
    columns=None,
    selection: Selection | None = None,
    block_bytes: int | None = None,
    on_bytes: Callable[[int], None] | None = None,
) -> ReadResult:
    """Read JSON Lines from a binary stream, block by block; ``ReadResult.frame`` holds the papers.

    ``selection`` (:class:`litreview.io.selection.Selection`) is applied to each block as it is read, so
    only the papers it keeps are held.  ``on_bytes(n)`` is told the size of each block read (a progress bar).
    Raises :class:`WholeFile` when the record path must read the file instead.
    """
    reader = _Reader(label, columns, selection)

    def parsed() -> Iterator[_Parsed]:
        line = 1
        for data in blocks(stream, block_bytes or BLOCK_BYTES):
            block = reader.parse(data, line)
            line += block.count
            yield block

    for block in ahead(parsed()):
        reader.block(block)
        # (pyarrow's allocator would keep each block's tables for the next, and that memory would
        # stay the process's while the papers grow: freed now, the peak is lower by a tenth)
        pa.default_memory_pool().release_unused()
        if on_bytes is not None:
            on_bytes(len(block.data))
    return reader.result()


@dataclass
class _Parsed:
    """A block of lines as the reading thread parsed it (:meth:`_Reader.parse`); ``table`` is ``None`` where
    pyarrow cannot read the block."""

    data: bytes
    line: int
    count: int
    table: pa.Table | None
