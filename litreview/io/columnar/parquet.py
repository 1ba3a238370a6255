"""Parquet, columnar: each batch of rows (decoded on a thread ahead) converted column by column, as
:mod:`litreview.io.readers.parquet` converts it row by row (same mapping, values, flags, ``source``
``file:N`` and problems); rows a kernel marks are converted by the record path from the same batch.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from litreview.io.columnar.ahead import ahead
from litreview.io.columnar.convert import convert_batch, schema_columns
from litreview.io.columnar.frames import Columns, join, release_freed_memory
from litreview.io.encoding import repair_frame_text
from litreview.io.readers.base import ReadResult
from litreview.io.readers.columns import map_columns
from litreview.io.readers.parquet import _read_row
from litreview.schema import to_frame

BATCH_ROWS = 16_384  # (65,536 took a third more time: larger arrays, more fresh memory per batch)


def read_parquet(raw: bytes, file: str, *, columns=None) -> ReadResult | None:
    """Read a Parquet file's bytes; ``None`` when the record path should (a file pyarrow cannot open,
    or no column that identifies a paper: its one error is the record path's)."""
    try:
        table = pq.ParquetFile(pa.BufferReader(raw))
        names = list(table.schema_arrow.names)
    except Exception:  # noqa: BLE001 - the record path reports what is wrong with the file
        return None
    cmap = map_columns(names, columns, by_position=False)
    if not cmap.identifies:
        return None
    result = ReadResult()
    if cmap.unplaced:
        result.note(file, None, cmap.unplaced_message())
    parts: list[pd.DataFrame | Columns] = []
    numbers: list[np.ndarray] = []
    fallback = ReadResult()
    fallback_numbers: list[int] = []
    number = 0
    batches = ahead(table.iter_batches(batch_size=BATCH_ROWS))  # (decoded on a thread while the last is converted)
    while True:
        try:
            batch = next(batches, None)
        except Exception as problem:  # noqa: BLE001 - a damaged row group: the rows before it are kept
            said = " ".join("".join(c for c in str(problem) if c.isprintable() or c.isspace()).split())
            fallback.error(file, number + 1, f"row {number + 1}: cannot decode the rows from here on: {said}")
            break
        if batch is None:
            break
        rows = np.arange(number + 1, number + 1 + batch.num_rows)
        try:
            converted = convert_batch(pa.Table.from_batches([batch]), cmap)
        except (pa.ArrowException, ValueError, TypeError):  # a column type no kernel expects: row by row
            converted = None
        if converted is None:
            for offset, row in enumerate(batch.to_pylist()):
                before = len(fallback.records)
                _read_row(row, int(rows[offset]), cmap, file, fallback)
                fallback_numbers.extend([int(rows[offset])] * (len(fallback.records) - before))
            number += batch.num_rows
            continue
        ok = ~converted.fallback
        parts.append(schema_columns(converted.values, ok, [f"{file}:{n}" for n in rows[ok]]))
        numbers.append(rows[ok])
        marked = np.flatnonzero(converted.fallback)
        if len(marked):
            for offset, row in zip(marked, batch.take(pa.array(marked)).to_pylist()):
                before = len(fallback.records)
                _read_row(row, int(rows[offset]), cmap, file, fallback)
                fallback_numbers.extend([int(rows[offset])] * (len(fallback.records) - before))
        number += batch.num_rows
    result.problems.extend(fallback.problems)
    if fallback.records:
        parts.append(repair_frame_text(to_frame(fallback.records)))
        numbers.append(np.array(fallback_numbers, dtype=int))
    order = np.argsort(np.concatenate(numbers), kind="stable") if fallback.records else None
    result.frame = join(parts, order) if parts else to_frame([])
    release_freed_memory()
    return result
