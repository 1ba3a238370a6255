"""Parquet tables, read with pyarrow (as written by pandas ``to_parquet``, Hugging Face datasets, Spark).

Columns are mapped onto the schema by :mod:`.columns` (which lists the recognised names and how cells
are read), and ``columns=`` names them when they cannot be guessed.  List columns are real lists,
numbers stay numbers, timestamps and dates give the year and month.  A file has no lines, so a record's
``source`` is ``file:N`` with its 1-based row number, and messages say ``row N``.

Known limits: nested struct columns stand for their ``name``/``display_name`` field only; the whole file
is decoded one batch of rows at a time.
"""

from __future__ import annotations

from litreview.io.readers.base import ReadResult
from litreview.io.readers.cells import convert
from litreview.io.readers.columns import map_columns

FORMAT = "parquet"
BINARY = True  # read() and sniff() take the file's bytes

_MAGIC = b"PAR1"


def sniff(raw: bytes) -> bool:
    return isinstance(raw, bytes) and raw.startswith(_MAGIC)


def read(raw: bytes, file: str, *, columns=None) -> ReadResult:
    """Read a Parquet file; ``columns`` ({file column: field}) overrides the guessed mapping.

    Raises ``ValueError`` only for a wrong ``columns`` argument; problems in the file are reported.
    """
    result = ReadResult()
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pq.ParquetFile(pa.BufferReader(raw))
        names = list(table.schema_arrow.names)
    except Exception as problem:  # pyarrow raises several kinds of error on a damaged or foreign file
        result.error(file, None, f"cannot open as a Parquet file: {type(problem).__name__}: {problem}")
        return result
    cmap = map_columns(names, columns, by_position=False)
    if not cmap.identifies:
        result.error(file, None, cmap.no_identity_message())
        return result
    if cmap.unplaced:
        result.note(file, None, cmap.unplaced_message())
    number = 0
    batches = table.iter_batches()
    while True:
        try:
            batch = next(batches, None)
            rows = [] if batch is None else batch.to_pylist()
        except Exception as problem:  # a damaged row group: the rows before it are kept
            result.error(file, number + 1, f"row {number + 1}: cannot decode the rows from here on: {problem}")
            break
        if batch is None:
            break
        for row in rows:
            number += 1
            _read_row(row, number, cmap, file, result)
    return result


def _read_row(row: dict, number: int, cmap, file: str, result: ReadResult) -> None:
    outcome = convert(row, cmap, f"{file}:{number}")
    if outcome.record is None:
        if outcome.error:
            result.error(file, number, f"row {number} {outcome.error}")
        return
    for message in outcome.warnings:
        result.warn(file, number, f"row {number}: {message}")
    result.records.append(outcome.record)
