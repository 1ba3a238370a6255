"""CSV and TSV tables: exports of Scopus, Zotero, OpenAlex, ASReview, Web of Science (tab-delimited) and
hand-made spreadsheets.

The first non-blank line is the header (an Excel ``sep=;`` line before it names the delimiter).  The
delimiter is the most frequent of comma, semicolon, tab and pipe outside quotes in the header line, so
``Title;Abstract;Year`` with commas inside the fields reads right.  Quoted fields may hold delimiters,
doubled quotes and line breaks.  Columns are mapped onto the schema by :mod:`.columns` (which lists the
recognised names and how cells are read); ``columns=`` names them when they cannot be guessed.

Each record's ``source`` is the physical line where its row starts (a row with multi-line quoted fields
spans several lines).

Known limits and decisions:

- A row with more fields than the header is kept: its fields are read by position, those past the header
  are ignored, and it is flagged ``extra-fields`` with a warning (the extra field usually means a delimiter
  inside an unquoted field, which shifts the later columns).  Empty extra fields (trailing delimiters) are
  ignored silently.  A row with fewer fields has the rest empty.  One case is known and read right: some
  Scopus exports' headers name fewer ``Funding Text N`` columns than the rows hold, so every later column
  would be read one too early (references from a funding text, the document type from the journal's
  abbreviation); such a row is read with its extra fields as the next Funding Text columns when its Scopus
  id then falls under ``EID`` (:class:`FundingTextGap`), and the file gets one note.
- A quote opened and never closed swallows the rest of the file; that row is skipped with an error
  naming the line where it starts.
- Blank lines and rows whose cells are all empty are not records and are skipped silently.
- Cells are kept as written (``source_fields`` holds them verbatim), except for the format's own
  whitespace: a file whose header puts a space after a delimiter (``Title, Abstract, Year``, as people
  write tables by hand) has the spaces after every delimiter dropped, so that ``A, "B, C"`` is two cells;
  in a file written without them (the exports of Excel, Zotero, Scopus and Web of Science) a cell's leading
  spaces are its own and kept.  Spaces inside quotes are always kept.
"""

from __future__ import annotations

import csv as _csv
import io
import json
import re

from litreview.io.readers.base import ReadResult
from litreview.io.readers.cells import convert
from litreview.io.readers.columns import ColumnMap, map_columns, recognises, source_positions

FORMAT = "csv"

DELIMITERS = ",;\t|"  # ties go to the earlier one
_SEP_LINE = re.compile(r"^sep=(.)$")
_FIELD_LIMIT = 1 << 30  # the csv module's default (128 KiB) is below some Scopus reference lists


def sniff(text: str) -> bool:
    """A header line with at least two delimited columns, one of them a title, abstract or DOI."""
    try:
        found = _header(text.lstrip("\ufeff"))
        if found is None:
            return False
        _, line, delimiter = found
        if not delimiter:
            return False
        names = [n.strip() for n in next(_csv.reader([line], delimiter=delimiter, skipinitialspace=True))]
        return (
            len(names) >= 2
            and all(_looks_like_name(n) for n in names)
            and any(recognises(n, ("title", "abstract", "doi")) for n in names)
        )
    except Exception:  # a sniffer never raises, whatever the input
        return False


def _looks_like_name(cell: str) -> bool:
    """Column names are short: a header is never a line of prose split at its commas."""
    return len(cell) <= 64 and len(cell.split()) <= 4


def _header(text: str) -> tuple[int, str, str] | None:
    """The header's 1-based line number, the line, and its delimiter ("" when it has none)."""
    declared = None
    start = 0
    number = 0
    while start <= len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        line = text[start:end].rstrip("\r")
        number += 1
        start = end + 1
        if not line.strip():
            if end == len(text):
                return None
            continue
        sep = _SEP_LINE.match(line.strip())
        if sep and declared is None:
            declared = sep[1]
            continue
        return number, line, declared or _delimiter(line)
    return None


def _padded(line: str, delimiter: str) -> bool:
    """Whether the header puts a space after a delimiter (outside quotes): the file's writer pads them."""
    quoted = False
    for ch, after in zip(line, line[1:]):
        if ch == '"':
            quoted = not quoted
        elif ch == delimiter and not quoted and after == " ":
            return True
    return False


def _delimiter(line: str) -> str:
    """The candidate delimiter occurring most often outside quotes, or "" when none does."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(DELIMITERS, key=lambda d: counts[d])  # max keeps the first of equal counts
    return best if counts[best] else ""


def read(text: str, file: str, *, columns=None) -> ReadResult:
    """Read a CSV/TSV table; ``columns`` ({file column: field}) overrides the guessed mapping.

    Raises ``ValueError`` only for a wrong ``columns`` argument; problems in the file are reported.
    """
    result = ReadResult()
    text = text.lstrip("\ufeff")
    found = _header(text)
    if found is None:
        result.error(file, None, "the file is empty: no header line")
        return result
    header_line, line, delimiter = found
    rows = _rows(text, delimiter or ",", header_line, file, result, padded=_padded(line, delimiter or ","))
    header = next(rows, None)
    if header is None:
        return result
    _, names = header
    names = [n.strip() for n in names]
    cmap = map_columns(names, columns)
    if not cmap.identifies:
        result.error(file, header_line, cmap.no_identity_message())
        return result
    if cmap.unplaced:
        result.note(file, header_line, cmap.unplaced_message())
    kept = source_positions(names)
    gap = FundingTextGap.of(names)
    for line, row in rows:
        _read_row(row, line, names, cmap, file, result, kept, gap)
    if gap is not None:
        gap.note(result, file)
    return result


def keep_source(record: dict, names: list[str], row, kept: tuple[int | None, int | None], fmt: str,
                fields: list[tuple[str, str]] | None = None) -> None:
    """Give a table row's record its ``key``, ``entry_type`` and ``source_fields`` (every cell, by column;
    ``fields``: the row's cells with their names, when they are not ``names``' in order)."""
    for column, position in zip(("key", "entry_type"), kept):
        if position is not None and position < len(row) and row[position] not in (None, ""):
            record[column] = str(row[position]).strip() or None
    if fields is None:  # (cells past the header are kept too, under no name)
        named = list(names) + ["" if n == 0 else f"(column {len(names) + n + 1})" for n in range(len(row) - len(names))]
        fields = list(zip(named, row))
    cells = [[name, "" if cell is None else cell] for name, cell in fields]
    record["source_fields"] = json.dumps({"format": fmt, "fields": cells}, ensure_ascii=False, default=str)


class FundingTextGap:
    """Scopus writes a ``Funding Text N`` column for each funding text, and some of its exports' headers name
    fewer than the rows hold: every field after the missing names would be read from the column before it (the
    references from the funding text, the document type from the journal's abbreviation).  A row with more
    fields than the header is read with the extra ones as the next ``Funding Text`` columns when that puts a
    Scopus id (``2-s2.0-...``) under ``EID``, as it does in every such export."""

    _NAME = re.compile(r"funding text (\d+)", re.IGNORECASE)

    def __init__(self, after: int, last: int, eid: int) -> None:
        self.after, self.last, self.eid = after, last, eid  # (the position past the last named one, its number)
        self.rows: dict[int, list[int]] = {}  # extra fields: the lines of the rows read so

    @classmethod
    def of(cls, names: list[str]) -> FundingTextGap | None:
        """The gap a Scopus header may have: None for a table without ``EID`` and ``Funding Text`` columns."""
        lowered = [n.strip().lower() for n in names]
        funding = [(i, int(m[1])) for i, n in enumerate(lowered) if (m := cls._NAME.fullmatch(n))]
        if "eid" not in lowered or not funding:
            return None
        return cls(funding[-1][0] + 1, funding[-1][1], lowered.index("eid"))

    def realign(self, row: list[str], width: int, line: int) -> list[str] | None:
        """The row's cells under the header's ``width`` names (its extra funding texts left out), or None when
        the row does not line up that way."""
        extra = len(row) - width
        if extra <= 0 or self.eid < self.after:
            return None
        realigned = row[: self.after] + row[self.after + extra :]
        if not realigned[self.eid].strip().startswith("2-s2.0-"):
            return None
        self.rows.setdefault(extra, []).append(line)
        return realigned

    def names(self, names: list[str], extra: int) -> list[str]:
        missing = [f"Funding Text {self.last + k}" for k in range(1, extra + 1)]
        return names[: self.after] + missing + names[self.after :]

    def note(self, result: ReadResult, file: str) -> None:
        for extra, lines in sorted(self.rows.items()):
            missing = ", ".join(f"'Funding Text {self.last + k}'" for k in range(1, extra + 1))
            rows = f"{len(lines)} rows have" if len(lines) > 1 else "1 row has"
            result.note(file, lines[0], f"{rows} {extra} field{'s' if extra > 1 else ''} more than the header, which "
                        f"names no {missing} (Scopus writes one column per funding text): read as {missing}, after "
                        f"'Funding Text {self.last}', which puts each row's Scopus id under EID")


def _read_row(row: list[str], line: int, names: list[str], cmap: ColumnMap, file: str, result: ReadResult,
              kept: tuple[int | None, int | None], gap: FundingTextGap | None = None) -> None:
    width = len(names)
    cells, fields = row, None
    if gap is not None and len(row) > width and (realigned := gap.realign(row, width, line)) is not None:
        cells, fields = realigned, list(zip(gap.names(names, len(row) - width), row))
    outcome = convert(cells, cmap, f"{file}:{line}")
    if outcome.record is None:
        if outcome.error:
            result.error(file, line, f"row {outcome.error}")
        return
    keep_source(outcome.record, names, cells, kept, FORMAT, fields)
    for message in outcome.warnings:
        result.warn(file, line, message)
    if len(cells) > width and any(cell.strip() for cell in cells[width:]):
        result.warn(
            file,
            line,
            f"row has {len(cells)} fields but the header has {width}: the fields past the header's are ignored, "
            "and if the extra field is inside the row (a delimiter in an unquoted cell, a column the header does "
            "not name), the fields after it are read from the wrong columns: check this row",
        )
        outcome.record.setdefault("quality_flags", []).append("extra-fields")
    result.records.append(outcome.record)


def _rows(text: str, delimiter: str, header_line: int, file: str, result: ReadResult, *, padded: bool = True):
    """``(start line, fields)`` for the header and every non-blank row after it; ``padded``: the spaces
    after a delimiter are the file's padding, not the cell's."""
    old_limit = _csv.field_size_limit()
    _csv.field_size_limit(max(old_limit, _FIELD_LIMIT))
    try:
        stream = io.StringIO(text, newline="")
        reader = _csv.reader(stream, delimiter=delimiter, skipinitialspace=padded)
        end = 0  # last physical line read so far
        offset = 0  # where the row being read starts in the text
        last = None  # the latest row, held back until we know it is not an unclosed quote
        while True:
            start = end + 1
            try:
                row = next(reader)
            except StopIteration:
                break
            except _csv.Error as problem:  # the reader resumes on the next line
                end, offset = reader.line_num, stream.tell()
                if start >= header_line:
                    result.error(file, start, f"cannot parse the row: {problem}")
                continue
            row_offset, end, offset = offset, reader.line_num, stream.tell()
            if start < header_line or not row:
                continue
            if last is not None:
                yield last[:2]
            last = (start, row, row_offset, end)
        if last is not None:
            start, row, row_offset, end = last
            # An odd number of quotes from the last row to the end: its quote never closed, and the
            # csv module returned the rest of the file as one field.
            if text.count('"', row_offset) % 2 == 1:
                result.error(
                    file, start, f"a quoted field opened in this row is never closed (lines {start}-{end} skipped)"
                )
            else:
                yield start, row
    finally:
        _csv.field_size_limit(old_limit)
