"""Fill missing fields of papers from a local arXiv metadata snapshot, offline.

::

    enriched = enrich(papers, "arxiv-metadata-oai-snapshot.json")
    enrichment_log(enriched)          # one row per filled field: id, field, source

Only missing values are filled (``None``, ``<NA>``, an empty string or list);
what a paper has is never overwritten.  Papers are matched by ``arxiv_id``
through a dict, never by comparing pairs.  Each enriched paper gains the
snapshot's ``file:line`` in its ``provenance``; a filled title removes the
``no-title`` quality flag (a filled abstract ``no-abstract``); no flag is added.

``year`` and ``month`` go together: a month is filled only when the paper's year
(as given, or just filled) is the snapshot's year, so a publication year never
gets the month of the preprint's first version.

The snapshot is a path to the JSON Lines file (see
:mod:`litreview.io.readers.arxiv_snapshot`) or an already loaded papers table.
A file is streamed: each line's id is read from its first bytes (the snapshot's
own ``{"id":"...",`` layout) and only the lines of wanted ids are parsed; lines in
any other layout are parsed whole.  Reading stops once every wanted id is found.
(Measured: 50 ids wanted from 100,000 lines, 144 MB: 0.2 s with the prefilter,
1.6 s to ``json.loads`` every line, 2.4 s to read every line as a record.)
When the snapshot holds an id twice, its first line wins.  Snapshot lines that
cannot be read are reported in one :class:`~litreview.errors.LoadWarning`.
"""

from __future__ import annotations

import copy
import os
import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from litreview.errors import LoadError, LoadWarning
from litreview.fields.ids import parse_arxiv_id
from litreview.io.readers.arxiv_snapshot import line_id, read_lines
from litreview.io.readers.base import ReadResult

ENRICHABLE: tuple[str, ...] = (
    "title",
    "abstract",
    "authors",
    "year",
    "month",
    "venue",
    "doi",
    "url",
    "categories",
)
DEFAULT_FIELDS: tuple[str, ...] = ("title", "authors", "categories", "year", "month", "venue", "doi")
LOG_COLUMNS = ["id", "field", "source"]
_LIST_FIELDS = {"authors", "categories"}
_CLEARED_FLAGS = {"title": "no-title", "abstract": "no-abstract"}


def enrich(
    papers: pd.DataFrame,
    snapshot: str | os.PathLike | pd.DataFrame,
    *,
    fields: Iterable[str] = DEFAULT_FIELDS,
) -> pd.DataFrame:
    """A copy of ``papers`` with missing ``fields`` filled from an arXiv snapshot.

    Parameters
    ----------
    papers
        A papers table with an ``arxiv_id`` column (as :func:`litreview.load` returns).
    snapshot
        A path to an arXiv metadata snapshot (JSON Lines), or a loaded papers table.
    fields
        Which fields to fill, from :data:`ENRICHABLE`.

    Returns
    -------
    DataFrame
        A copy of ``papers``, its missing ``fields`` filled; the filled fields are listed by
        :func:`enrichment_log`.  ``papers`` is not changed.

    Examples
    --------
    >>> papers = pd.DataFrame({"id": ["arxiv:2106.09685"], "arxiv_id": ["2106.09685"],
    ...                        "title": ["LoRA"], "year": [None]})
    >>> snapshot = pd.DataFrame({"arxiv_id": ["2106.09685"], "title": ["LoRA: Low-Rank Adaptation"],
    ...                          "year": [2021], "source": ["snapshot.json:7"]})
    >>> enriched = lr.enrich(papers, snapshot, fields=["title", "year"])
    >>> enriched[["title", "year", "provenance"]].values.tolist()   # a title it has is kept
    [['LoRA', 2021, ['snapshot.json:7']]]
    """
    fields = _check_fields(fields)
    if "arxiv_id" not in papers.columns:
        raise ValueError("papers has no arxiv_id column: enrichment matches papers by arXiv id")
    out = papers.copy()
    out.attrs = copy.deepcopy(papers.attrs)
    for col in (*fields, "provenance", "quality_flags"):
        if col not in out.columns:
            out[col] = [[] for _ in range(len(out))] if col in (*_LIST_FIELDS, "provenance", "quality_flags") else None
    wanted = _papers_wanting(out, fields)
    found = _snapshot_records(snapshot, set(wanted)) if wanted else {}
    log = _fill(out, wanted, found, fields)
    out.attrs["enriched"] = list(out.attrs.get("enriched", [])) + log
    return out


def enrichment_log(papers: pd.DataFrame) -> pd.DataFrame:
    """Which fields :func:`enrich` filled: one row per paper and field, with the snapshot's ``file:line``.

    Parameters
    ----------
    papers : DataFrame
        A table :func:`enrich` returned.

    Returns
    -------
    DataFrame
        Columns ``id``, ``field``, ``source``; no rows for a table that was not enriched.

    Examples
    --------
    >>> papers = pd.DataFrame({"id": ["arxiv:2106.09685"], "arxiv_id": ["2106.09685"], "year": [None]})
    >>> snapshot = pd.DataFrame({"arxiv_id": ["2106.09685"], "year": [2021], "source": ["snapshot.json:7"]})
    >>> lr.enrichment_log(lr.enrich(papers, snapshot, fields=["year"])).values.tolist()
    [['arxiv:2106.09685', 'year', 'snapshot.json:7']]
    >>> len(lr.enrichment_log(papers))
    0
    """
    return pd.DataFrame(papers.attrs.get("enriched", []), columns=LOG_COLUMNS)


def _check_fields(fields: Iterable[str]) -> tuple[str, ...]:
    fields = (fields,) if isinstance(fields, str) else tuple(fields)
    unknown = [f for f in fields if f not in ENRICHABLE]
    if unknown:
        raise ValueError(f"cannot enrich {', '.join(map(repr, unknown))}; valid fields: {', '.join(ENRICHABLE)}")
    return tuple(dict.fromkeys(fields))


def _missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if hasattr(value, "__len__"):  # lists, tuples, arrays
        try:
            return len(value) == 0
        except TypeError:  # a 0-d array
            pass
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _arxiv_key(value: Any) -> str | None:
    if _missing(value):
        return None
    parsed = parse_arxiv_id(str(value))
    return parsed[0] if parsed else None


def _papers_wanting(papers: pd.DataFrame, fields: tuple[str, ...]) -> dict[str, list[int]]:
    """arXiv id -> positions of the papers with that id that miss one of ``fields``."""
    columns = [list(papers[f]) for f in fields]
    wanted: dict[str, list[int]] = {}
    for row, value in enumerate(papers["arxiv_id"]):
        key = _arxiv_key(value)
        if key is not None and any(_missing(col[row]) for col in columns):
            wanted.setdefault(key, []).append(row)
    return wanted


# --------------------------------------------------------------------------- reading the snapshot


def _snapshot_records(snapshot: str | os.PathLike | pd.DataFrame, wanted: set[str]) -> dict[str, dict]:
    """The snapshot's record of each wanted arXiv id (the first, when it holds several)."""
    if isinstance(snapshot, pd.DataFrame):
        return _frame_records(snapshot, wanted)
    if isinstance(snapshot, (str, os.PathLike)):
        return _stream_file(Path(snapshot), wanted)
    raise TypeError(f"snapshot must be a path or a papers table, not {type(snapshot).__name__}")


def _frame_records(frame: pd.DataFrame, wanted: set[str]) -> dict[str, dict]:
    if "arxiv_id" not in frame.columns:
        raise ValueError("the snapshot table has no arxiv_id column")
    found: dict[str, dict] = {}
    sources = list(frame["source"]) if "source" in frame.columns else [None] * len(frame)
    for position, value in enumerate(frame["arxiv_id"]):
        key = _arxiv_key(value)
        if key in wanted and key not in found:
            record = frame.iloc[position].to_dict()
            source = sources[position]
            record["source"] = f"snapshot table row {position}" if _missing(source) else source
            found[key] = record
    return found


def _stream_file(path: Path, wanted: set[str]) -> dict[str, dict]:
    from litreview.io.load import display_path

    label = display_path(path)
    pending = {key.encode("utf-8") for key in wanted}  # ids still to find, as the raw lines spell them
    found: dict[str, dict] = {}
    result = ReadResult()
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        raise LoadError("no such file", file=label) from None
    except IsADirectoryError:
        raise LoadError("is a folder, not a file", file=label) from None
    with handle:
        for lineno, line in enumerate(handle, start=1):
            if lineno == 1 and line.startswith(b"\xef\xbb\xbf"):
                line = line[3:]
            ident = line_id(line)
            if ident is not None and ident not in pending:
                continue  # the prefilter: most lines are never parsed
            records = read_lines([line], label, result, first_line=lineno).records
            if records:
                record = records.pop()
                key = record.get("arxiv_id")
                if key in wanted and key not in found:
                    found[key] = record
                    pending.discard(key.encode("utf-8"))
                    if not pending:
                        break
    if result.problems:
        first = result.problems[0]
        warnings.warn(
            f"{len(result.problems)} problem(s) reading the snapshot; the first: {first}", LoadWarning, stacklevel=3
        )
    return found


# --------------------------------------------------------------------------- filling


def _fill(papers: pd.DataFrame, wanted: dict[str, list[int]], found: dict[str, dict], fields: tuple[str, ...]):
    columns = {col: list(papers[col]) for col in (*fields, "provenance", "quality_flags")}
    # A month is checked against the paper's year even when years are not being filled.
    years = columns["year"] if "year" in columns else list(papers["year"]) if "year" in papers.columns else None
    ids = list(papers["id"]) if "id" in papers.columns else [None] * len(papers)
    changed: set[str] = set()
    log: list[tuple[str, str, str]] = []
    for key, rows in wanted.items():
        record = found.get(key)
        if record is None:
            continue
        for row in rows:
            filled = _fill_row(columns, years, row, record, fields)
            if not filled:
                continue
            source = record["source"]
            paper_id = f"arxiv:{key}" if _missing(ids[row]) else ids[row]
            log.extend((paper_id, field, source) for field in filled)
            provenance = _as_list(columns["provenance"][row])
            columns["provenance"][row] = provenance if source in provenance else [*provenance, source]
            cleared = {_CLEARED_FLAGS[f] for f in filled if f in _CLEARED_FLAGS}
            columns["quality_flags"][row] = [f for f in _as_list(columns["quality_flags"][row]) if f not in cleared]
            changed.update(filled, ("provenance", "quality_flags"))
    for col in changed:
        papers[col] = _column_like(papers[col], columns[col])
    return log


def _fill_row(columns: dict[str, list], years: list | None, row: int, record: dict, fields: tuple[str, ...]):
    """Fill one paper's missing fields from ``record``; return the fields filled."""
    filled = []
    for field in fields:
        if field == "month":
            continue  # after the year, which it must agree with
        value = record.get(field)
        if _missing(value) or not _missing(columns[field][row]):
            continue
        columns[field][row] = list(value) if field in _LIST_FIELDS else value
        filled.append(field)
    month = record.get("month")
    if "month" in fields and _missing(columns["month"][row]) and not _missing(month):
        year, snapshot_year = (years[row] if years is not None else None), record.get("year")
        if not _missing(year) and not _missing(snapshot_year) and int(year) == int(snapshot_year):
            columns["month"][row] = month
            filled.append("month")
    return filled


def _as_list(value: Any) -> list:
    if isinstance(value, (list, tuple)):
        return list(value)
    if value is None or isinstance(value, str) or not hasattr(value, "__iter__"):
        return []
    return list(value)


def _column_like(original: pd.Series, values: list) -> pd.Series:
    """``values`` as a column of ``original``'s kind (``Int64`` years stay ``Int64``)."""
    dtype = original.dtype
    if pd.api.types.is_integer_dtype(dtype):
        return pd.Series(
            pd.array([pd.NA if _missing(v) else int(v) for v in values], dtype="Int64"), index=original.index
        )
    if pd.api.types.is_float_dtype(dtype):
        floats = [float("nan") if _missing(v) else float(v) for v in values]
        return pd.Series(floats, index=original.index, dtype=dtype)
    if pd.api.types.is_string_dtype(dtype) and not pd.api.types.is_object_dtype(dtype):  # pandas' str dtype stays str
        return pd.Series([None if _missing(v) else v for v in values], index=original.index, dtype=dtype)
    return pd.Series(values, index=original.index, dtype="object")
