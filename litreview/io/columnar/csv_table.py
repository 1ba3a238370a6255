"""CSV and TSV, columnar: rows parsed as the record path parses them, converted column by column.

The rows come from :mod:`litreview.io.readers.csv` itself (its header, delimiter, padding, quoting and
line numbers), so the table is the record path's cell for cell; what changes is the conversion, which
goes through the column kernels (:mod:`.convert`) a block of rows at a time instead of
:func:`litreview.io.readers.cells.convert` row by row.  Rows a kernel cannot judge, rows with more or
fewer fields than the header, and rows without a title, abstract, DOI or arXiv id are converted by the
record path's own ``_read_row``, so their values, flags, warnings and errors are the record path's.

A file the csv module reports a problem in (a row it cannot parse, a quote never closed), or whose
column names repeat, raises :class:`WholeFile`: the caller reads it with the record reader, which gives
the same result, its problems in its own order.  Memory: the file's text, one block of rows and the
papers read so far.  (pyarrow's CSV reader would parse faster, but it knows neither the csv module's
leniency with stray quotes nor its line numbers; parsing is a small part of the time.)
"""

from __future__ import annotations

import json
from itertools import islice

import numpy as np
import pandas as pd
import pyarrow as pa

from litreview.io.columnar.convert import convert_batch, schema_frame
from litreview.io.columnar.frames import join, release_freed_memory
from litreview.io.columnar.jsonl import WholeFile
from litreview.io.encoding import repair_frame_text
from litreview.io.readers import csv as csv_reader
from litreview.io.readers.base import ReadResult
from litreview.io.readers.columns import map_columns, source_positions
from litreview.schema import to_frame

BLOCK_ROWS = 20_000


def read_csv_table(text: str, file: str, *, columns=None) -> ReadResult:
    """:func:`litreview.io.readers.csv.read` of ``text``, converted a block of rows at a time."""
    result = ReadResult()
    text = text.lstrip("\ufeff")
    found = csv_reader._header(text)
    if found is None:
        raise WholeFile("no header line")
    header_line, line, delimiter = found
    parsed = ReadResult()  # the csv module's own problems: any sends the file to the record path
    rows = csv_reader._rows(text, delimiter or ",", header_line, file, parsed,
                            padded=csv_reader._padded(line, delimiter or ","))  # fmt: skip
    header = next(rows, None)
    if header is None or parsed.problems:
        raise WholeFile("no header row")
    names = [n.strip() for n in header[1]]
    cmap = map_columns(names, columns)
    if not cmap.identifies or len(set(names)) < len(names):
        raise WholeFile("no column identifies a paper, or column names repeat")
    if cmap.unplaced:
        result.note(file, header_line, cmap.unplaced_message())
    gap = csv_reader.FundingTextGap.of(names)
    reader = _Blocks(file, names, cmap, map_columns(names, columns, by_position=False), source_positions(names), gap)
    while block := list(islice(rows, BLOCK_ROWS)):
        if parsed.problems:
            raise WholeFile("the csv module reports a problem")
        reader.convert(block, result)
    if parsed.problems:  # (a quote never closed is found after the last row)
        raise WholeFile("the csv module reports a problem")
    if gap is not None:
        gap.note(result, file)
    result.frame = reader.frame()
    return result


class _Blocks:
    def __init__(self, file, names, cmap, named, kept, gap) -> None:
        self.file, self.names, self.cmap, self.named, self.kept, self.gap = file, names, cmap, named, kept, gap
        self.parts, self.lines = [], []
        self.records = ReadResult()  # the rows converted by the record path
        self.record_lines: list[int] = []

    def convert(self, block: list[tuple[int, list[str]]], result: ReadResult) -> None:
        width = len(self.names)
        lines = np.array([line for line, _ in block])
        regular = np.array([len(row) == width for _, row in block])
        rows = [row for _, row in block]
        table_rows = [row for row, ok in zip(rows, regular) if ok]
        columns = list(zip(*table_rows)) if table_rows else [()] * width
        table = pa.table({name: pa.array(column, pa.string()) for name, column in zip(self.names, columns)})
        converted = convert_batch(table, self.named)
        fallback = np.ones(len(block), bool)
        fallback[regular] = converted.fallback
        ok = ~converted.fallback
        at = np.flatnonzero(regular)[ok]
        part = schema_frame(converted.values, ok, [f"{self.file}:{n}" for n in lines[at]])
        picked = [rows[i] for i in at.tolist()]
        self._source(part, picked)
        self.parts.append(part)
        self.lines.append(lines[at])
        for i in np.flatnonzero(fallback).tolist():
            before = len(self.records.records)
            csv_reader._read_row(rows[i], int(lines[i]), self.names, self.cmap, self.file, self.records, self.kept,
                                 self.gap)
            self.record_lines.extend([int(lines[i])] * (len(self.records.records) - before))
        result.problems.extend(self.records.problems)
        self.records.problems.clear()

    def _source(self, part, rows: list[list[str]]) -> None:
        """``key``, ``entry_type`` and ``source_fields`` as :func:`csv_reader.keep_source` gives them."""
        for column, position in zip(("key", "entry_type"), self.kept):
            if position is not None:
                part[column] = pd.Series([row[position].strip() or None for row in rows], dtype=object)
        names = self.names
        part["source_fields"] = pd.Series([
            json.dumps({"format": csv_reader.FORMAT, "fields": [list(pair) for pair in zip(names, row)]},
                       ensure_ascii=False, default=str)
            for row in rows
        ], dtype=object)  # fmt: skip

    def frame(self):
        records = self.records.records
        if records:
            self.parts.append(repair_frame_text(to_frame(records)))
            self.lines.append(np.array(self.record_lines, dtype=int))
        order = np.argsort(np.concatenate(self.lines), kind="stable") if records else None
        frame = join(self.parts, order) if self.parts else to_frame([])
        release_freed_memory()
        return frame
