"""OpenAlex works as JSON Lines (the snapshot's ``works/updated_date=*/part_*.gz``), streamed in blocks.

Each block of lines is read (on a thread, ahead of the conversion) and converted by the OpenAlex reader's own rules
(:func:`litreview.io.readers.openalex._work_record`: the same records, numbering and problems as the
record path), then the selection is applied, so only the papers it keeps are held.  With a year window,
each block's ``publication_year`` values are read first by pyarrow (one column, no Python objects) and
the works outside the window are never parsed further.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import BinaryIO

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.json as pj

from litreview.io.columnar.ahead import ahead
from litreview.io.columnar.frames import join
from litreview.io.columnar.jsonl import BLOCK_BYTES, OPENS_OBJECT, blocks
from litreview.io.encoding import repair_frame_text
from litreview.io.readers.base import ReadResult
from litreview.io.readers.json_walk import _is_wrapper, _wrapped_list, json_kind, json_line
from litreview.io.readers.openalex import _work_record
from litreview.io.selection import Selection
from litreview.schema import to_frame

_YEAR_ONLY = pj.ParseOptions(
    explicit_schema=pa.schema([("publication_year", pa.int64())]), unexpected_field_behavior="ignore"
)
_LIST_KEYS, _RECORD_KEYS = ("results",), ("id", "title", "display_name")


def _outside_window(data: bytes, lines: int, selection: Selection | None) -> np.ndarray | None:
    """Per non-blank line of the block: True where the work's ``publication_year`` is outside the
    selection's years (so the work cannot be selected); ``None`` when that cannot be told cheaply."""
    if selection is None or selection.years is None or not OPENS_OBJECT.match(data):
        return None
    try:
        years = pj.read_json(pa.BufferReader(data), parse_options=_YEAR_ONLY).column("publication_year")
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    if len(years) != lines:
        return None
    first, last = selection.year_window()
    values = years.to_numpy(zero_copy_only=False)
    known = ~pd.isna(values)
    number = np.where(known, values, 0).astype("int64")
    # a year the reader would not take (0, 10000) leaves the date to decide: kept for the reader
    plausible = known & (number >= 1) & (number <= 9999)
    return plausible & ((number < first) | (number > last))


def read_openalex_lines(
    stream: BinaryIO,
    label: str,
    *,
    selection: Selection | None = None,
    block_bytes: int | None = None,
    on_bytes: Callable[[int], None] | None = None,
) -> ReadResult:
    """Read OpenAlex works, one JSON object a line, from a binary stream; ``ReadResult.frame`` holds them."""
    result = ReadResult()
    parts: list[pd.DataFrame] = []
    line, number = 1, 0

    def screened():  # (on a thread: reading, decompressing and pyarrow's reading of the years free the GIL)
        for data in blocks(stream, block_bytes or BLOCK_BYTES):
            texts = data.split(b"\n")
            if data.endswith(b"\n"):
                texts.pop()
            nonblank = [i for i, text in enumerate(texts) if text.strip()]
            yield data, texts, nonblank, _outside_window(data, len(nonblank), selection)

    for data, texts, nonblank, outside in ahead(screened()):
        found = ReadResult()
        for k, i in enumerate(nonblank):
            lineno = line + i
            if outside is not None and outside[k]:
                number += 1  # a work (pyarrow read it as an object), left out by the year window
                continue
            read, value = json_line(texts[i], label, lineno, found)
            if not read:
                continue
            if isinstance(value, list):
                works = value
            elif _is_wrapper(value, _LIST_KEYS, _RECORD_KEYS):
                works = _wrapped_list(value, _LIST_KEYS)
            else:
                works = [value]
            for work in works:
                number += 1
                if not isinstance(work, dict):
                    found.error(label, lineno, f"work {number} is {json_kind(work)}, not a JSON object")
                    continue
                record = _work_record(work, label, lineno, number, found)
                if record is not None:
                    found.records.append(record)
        part = repair_frame_text(to_frame(found.records))
        parts.append(part if selection is None else selection.apply(part))
        result.problems.extend(found.problems)
        line += len(texts)
        if on_bytes is not None:
            on_bytes(len(data))
    result.frame = join(parts) if parts else to_frame([])
    return result
