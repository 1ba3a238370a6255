"""CSV export of a papers table: one header line with the schema's columns, in schema order, then one row
per paper (no index column).

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
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from litreview.schema import COLUMNS, INT_COLUMNS, LIST_COLUMNS

FORMAT = "csv"
EXTENSION = ".csv"

_SPLIT_CHARS = frozenset(";|,\n\r[]")


def write(papers) -> str:
    """The papers table (a DataFrame in the schema, or an iterable of record dicts) as CSV text."""
    records: Iterable[Mapping[str, Any]] = papers.to_dict("records") if hasattr(papers, "to_dict") else papers
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for record in records:
        writer.writerow([_cell(column, record.get(column)) for column in COLUMNS])
    return out.getvalue()


def _cell(column: str, value: Any) -> str:
    if column in LIST_COLUMNS:
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
