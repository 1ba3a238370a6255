"""CSV export of a papers table.

Rows read from a table (CSV, TSV, Excel: their ``source_fields``) are written back as they were: every
original column of the files, in their order, each cell as read, then the kit's columns: ``topics`` (the
row's topics joined with ``; ``) and ``decision`` (a screening decision), when the table has them, as
ASReview's export adds its labels.  The kit fills a cell only where the source's was empty and the
table has a value (a title or abstract found by enrichment).  Rows of other formats in the same export
fill the columns recognised as their fields.

Any other table: one header line with the schema's columns (but ``source_fields``), in schema order,
then the source fields the schema does not model, by :mod:`litreview.io.crosswalk` (Zotero's column
names: ``Volume``, ``Issue``, ``Pages``, ``Publisher``, ``ISSN``, ...), and any other source field under its
own name; one row per paper (no index column).  ``key`` is the citation key (the source's, else one
made as for BibTeX).

Lists (``authors``, ``keywords``, ``categories``, ``quality_flags``, ``provenance``) are joined with
``; ``; a list whose items hold a separator the CSV reader splits on (``;``, ``|``, ``,``, a line break; a
space in ``categories``) or brackets, or start or end with blanks, is written as a JSON list instead
(``["a; b", "c"]``), which the reader parses back exactly.  Years, months and versions are written as
integers, missing values as empty cells.  Quotes, delimiters and line breaks inside values are quoted the
standard way (RFC 4180, with ``\\n`` line ends; a ``\\r\\n`` or ``\\r`` inside a value is written as
``\\n``); nothing is escaped or rendered, so ``<script>`` stays text.  Columns outside the schema
are not written; :func:`litreview.io.export.export` adds ``topics`` to ``keywords`` first.

Reading the output with :mod:`litreview.io.readers.csv` gives back title, abstract, authors, year, month,
venue, arxiv_id, arxiv_version, doi, url, keywords, categories, notes, references, citation_count and
external_ids unchanged, except that text is
stripped; whitespace runs in titles and venues become one space; a record without an arXiv id whose url
is an arxiv.org link gets the id from it; an author written as surname and initials (``Smith J.``) is
read back as ``J. Smith``, and a name holding a comma as ``Last, First`` (``Smith, Jr.`` becomes
``Jr. Smith``).  ``id``, ``quality_flags``, ``source`` and ``provenance`` are written for the reader's
eyes but not read back.  A spreadsheet program may take a cell starting with
``=`` for a formula: values are written as they are, not defused, so that they read back unchanged.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

from litreview.io.crosswalk import field_name, source_of, unmodelled
from litreview.io.readers.columns import map_columns
from litreview.io.writers.bibtex import citation_keys
from litreview.schema import COLUMNS, INT_COLUMNS, LIST_COLUMNS

FORMAT = "csv"
EXTENSION = ".csv"
TABLE_FORMATS = ("csv", "excel")  # sources written back column by column
KIT_COLUMNS = ("topics", "decision")  # the kit's own work, added to a table's columns
# The schema's columns as written (source_fields is a table's row itself, or written out by the crosswalk).
WRITTEN_COLUMNS: tuple[str, ...] = tuple(c for c in COLUMNS if c != "source_fields")

_SPLIT_CHARS = frozenset(";|,\n\r[]")


def write(papers) -> str:
    """The papers table (a DataFrame in the schema, or an iterable of record dicts) as CSV text."""
    records: list[Mapping[str, Any]] = list(papers.to_dict("records") if hasattr(papers, "to_dict") else papers)
    sources = [source_of(record) for record in records]
    frame = pd.DataFrame(records) if records else pd.DataFrame(columns=list(COLUMNS))
    keys = citation_keys(frame) if records else []
    if any(source and source[0] in TABLE_FORMATS for source in sources):
        return _write_tables(records, sources)
    extras: dict[str, None] = {}  # the crosswalk's and leftover columns, in first-seen order
    rows = []
    for record, source, key in zip(records, sources, keys):
        concepts, leftovers = unmodelled(*source, record.get("entry_type")) if source else ({}, [])
        extra = {field_name(c, FORMAT): "; ".join(v) if c == "editor" else v for c, v in concepts.items()}
        for name, value in leftovers:
            extra.setdefault(name if name not in WRITTEN_COLUMNS else f"source {name}", value)
        extras.update(dict.fromkeys(extra))
        rows.append([_cell(c, key if c == "key" else record.get(c)) for c in WRITTEN_COLUMNS] + [extra])
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*WRITTEN_COLUMNS, *extras])
    for *cells, extra in rows:
        writer.writerow(cells + [_newlines(str(extra.get(name, ""))) for name in extras])
    return out.getvalue()


def _write_tables(records: list[Mapping[str, Any]], sources: list) -> str:
    """Rows read from tables, written back with every original column (union over the files, in first-seen
    order), then the kit's columns (``topics``, ``decision``), as ASReview's export does.  A row from
    another format fills the columns recognised as its fields (:mod:`litreview.io.readers.columns`)."""
    header: dict[str, None] = {}
    for source in sources:
        if source and source[0] in TABLE_FORMATS:
            header.update(dict.fromkeys(str(name) for name, _ in source[1]))
    names = list(header)
    recognised = {target: names[keys[0]] for target, keys in map_columns(names).fields.items()}
    kit = [c for c in KIT_COLUMNS if any(c in record for record in records)]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(names + kit)
    for record, source in zip(records, sources):
        cells = {}
        if source and source[0] in TABLE_FORMATS:
            cells = {str(name): "" if value is None else str(value) for name, value in source[1]}
        for target, name in recognised.items():  # what the kit filled in, where the cell is empty
            if not str(cells.get(name, "")).strip() and target in record:
                cells[name] = _cell(target, record.get(target))
        row = [_newlines(cells.get(name, "")) for name in names]
        row += [_list_cell(record.get("topics")) if c == "topics" else _cell(c, record.get(c)) for c in kit]
        writer.writerow(row)
    return out.getvalue()


def _cell(column: str, value: Any) -> str:
    if column in LIST_COLUMNS or (column == "topics" and not isinstance(value, str)):
        return _list_cell(value, spaced=column == "categories")
    if _missing(value):
        return ""
    if column in INT_COLUMNS:
        return str(int(value))
    return _newlines(str(value))


def _newlines(text: str) -> str:
    """Line breaks as ``\\n``: the csv module quotes a field holding the line terminator, but not a lone
    ``\\r``, which would then end the row for a reader."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def _list_cell(value: Any, spaced: bool = False) -> str:
    """``spaced``: the reader splits one cell of arXiv-style codes on spaces, so an item with a space
    goes in a JSON list."""
    if value is None or isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
        return "" if _missing(value) else _newlines(str(value))
    items = [_newlines(str(item)) for item in value if not _missing(item)]
    if any(_SPLIT_CHARS.intersection(item) or item != item.strip() or (spaced and " " in item) for item in items):
        return json.dumps(items, ensure_ascii=False)
    return "; ".join(items)


def _missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    return value is pd.NA or value is pd.NaT
