"""Excel workbooks (``.xlsx``, ``.xlsm``), read with openpyxl: the first sheet unless told otherwise.

The first row with any value is the header; columns are mapped onto the schema by :mod:`.columns`
(which lists the recognised names and how cells are read), and ``columns=`` names them when they cannot
be guessed.  Cells keep their types: numbers stay numbers (a year ``2019.0`` is 2019) and dates are
dates (a date column gives the year and month).  A record's ``source`` is ``file:row`` with the sheet's
own row number, as the spreadsheet shows it.

Known limits: the old binary ``.xls`` format is not read (save it as ``.xlsx``); formulas give the value
Excel last saved with them (none if the file was never opened in Excel); rows whose cells are all empty
are skipped silently; merged cells give their value to their first cell only.
"""

from __future__ import annotations

import io

from litreview.io.readers.base import ReadResult
from litreview.io.readers.cells import convert
from litreview.io.readers.columns import map_columns, source_positions
from litreview.io.readers.csv import keep_source

FORMAT = "excel"
BINARY = True  # read() and sniff() take the file's bytes

_ZIP_MAGIC = b"PK\x03\x04"


def sniff(raw: bytes) -> bool:
    """A zip archive holding a workbook's ``xl/`` folder."""
    return isinstance(raw, bytes) and raw.startswith(_ZIP_MAGIC) and b"xl/" in raw[:65_536]


def read(raw: bytes, file: str, *, columns=None, sheet: str | int | None = None) -> ReadResult:
    """Read one sheet (``sheet``: its name or 0-based position; the first by default).

    Raises ``ValueError`` only for a wrong ``columns`` or ``sheet`` argument; problems in the file
    are reported.
    """
    result = ReadResult()
    try:
        rows = _sheet_rows(raw, sheet)
    except _NoSuchSheet:
        raise
    except Exception as problem:  # openpyxl raises many kinds of error on a damaged or foreign file
        result.error(file, None, f"cannot open as an Excel workbook: {type(problem).__name__}: {problem}")
        return result
    header = next(((n, row) for n, row in rows if any(v is not None and str(v).strip() for v in row)), None)
    if header is None:
        result.error(file, None, "the sheet is empty: no header row")
        return result
    header_row, names = header
    names = ["" if v is None else str(v).strip() for v in names]
    cmap = map_columns(names, columns)
    kept = source_positions(names)
    if not cmap.identifies:
        result.error(file, header_row, cmap.no_identity_message())
        return result
    if cmap.unplaced:
        result.note(file, header_row, cmap.unplaced_message())
    for number, row in rows:
        if number <= header_row:
            continue
        outcome = convert(row, cmap, f"{file}:{number}")
        if outcome.record is None:
            if outcome.error:
                result.error(file, number, f"row {outcome.error}")
            continue
        for message in outcome.warnings:
            result.warn(file, number, message)
        keep_source(outcome.record, names, row, kept, FORMAT)
        result.records.append(outcome.record)
    return result


class _NoSuchSheet(ValueError):
    pass


def _sheet_rows(raw: bytes, sheet: str | int | None) -> list[tuple[int, tuple]]:
    """``(sheet row number, cell values)`` for every row of the chosen sheet."""
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    try:
        if sheet is None:
            chosen = book.worksheets[0]
        elif isinstance(sheet, int) and 0 <= sheet < len(book.worksheets):
            chosen = book.worksheets[sheet]
        elif isinstance(sheet, str) and sheet in book.sheetnames:
            chosen = book[sheet]
        else:
            raise _NoSuchSheet(f"sheet={sheet!r}: the workbook has no such sheet; its sheets are {book.sheetnames}")
        return list(enumerate(chosen.iter_rows(min_row=1, values_only=True), start=1))
    finally:
        book.close()
