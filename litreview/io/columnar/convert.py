"""A batch of table rows (a pyarrow table) to papers-schema columns, column by column.

The columns are placed by :func:`litreview.io.readers.columns.map_columns`, as on the record path;
each target's column goes through its kernel (:mod:`.kernels`), the helper fields are settled as
:func:`litreview.io.readers.cells.convert` settles them (a date gives the year when no year column
does, and the month only when its year is the record's; an ``arxiv_version`` column wins over a
version in the id), and the flags are the record path's (``no-abstract`` when the table has an
abstract column and the row no abstract; ``authors-incomplete`` for first-author columns).

Rows that a kernel marks, and rows without a title, abstract, DOI or arXiv id (which the record path
skips with an error, or silently when blank), are returned as ``fallback``: the caller converts those
rows with the record path, so their values, warnings and errors are the record path's own.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from litreview.fields.arxiv import parse_arxiv_id_arrow
from litreview.fields.doi import normalize_doi_arrow
from litreview.io.columnar import kernels as k
from litreview.io.columnar.frames import Columns, empty_lists
from litreview.io.encoding import REPAIRED_FIELDS, may_need_repair_arrow, repair_text_values
from litreview.io.readers.cells import _dedup, terms
from litreview.io.readers.columns import MERGED, ColumnMap
from litreview.schema import COLUMNS, INT_COLUMNS, LIST_COLUMNS

_TEXT_TARGETS = {"title": True, "venue": True, "abstract": False, "notes": False}  # target: one line
_INT_TARGETS = {"year": k.year, "month": k.month, "arxiv_version": k.arxiv_version,
                "citation_count": k.citation_count}  # fmt: skip


@dataclass
class Batch:
    """Schema values of a batch's rows: ``values`` (one entry per schema field produced, all rows)
    and ``fallback``, the rows the record path must read."""

    values: dict[str, object]
    fallback: np.ndarray


def convert_batch(table: pa.Table, cmap: ColumnMap) -> Batch:
    """Convert ``table`` (its columns named as in ``cmap``) field by field."""
    n = table.num_rows
    fallback = np.zeros(n, bool)
    names = set(table.column_names)
    values: dict[str, object] = {}
    helpers: dict[str, object] = {}

    def column(name: str) -> pa.Array:
        return k.plain(table.column(name)) if name in names else k.nulls(n)

    for target, keys in cmap.fields.items():
        if target in MERGED:
            values[target] = _merged_terms([column(key) for key in keys], categories=target == "categories")
            continue
        cell = column(keys[0])
        if target in _TEXT_TARGETS:
            values[target], marked = k.text(cell, single_line=_TEXT_TARGETS[target])
        elif target == "authors":
            values[target], marked = k.people_cells(cell) if k.is_text(cell) else k.people(cell)
        elif target in _INT_TARGETS:
            values[target], marked = _INT_TARGETS[target](cell)
        elif target == "date":
            date_year, date_month, marked = k.date(cell)
            helpers["date"] = (date_year, date_month)
        elif target == "arxiv_id":
            values[target], helpers["id_version"], marked = _arxiv(cell)
        elif target == "doi":
            values[target], marked = _doi(cell)
        elif target == "url":
            values[target], marked = _url(cell)
        else:  # references, external ids, a BibTeX cell: the per-value rules, on the rows that have one
            marked = k.present(cell)
        fallback |= marked
    _settle(values, helpers, n)
    identified = np.zeros(n, bool)
    for field in ("title", "abstract", "doi", "arxiv_id"):
        if field in values:
            identified |= k.mask(pc.is_valid(values[field]))
    fallback |= ~identified
    values["quality_flags"] = _flags(values, cmap, n)
    return Batch(values, fallback)


def _merged_terms(columns: list[pa.Array], *, categories: bool) -> list:
    """Keywords or categories of every listed column, deduplicated (the per-value rule, per row)."""
    n = len(columns[0])
    rows = np.zeros(n, bool)
    for column in columns:
        rows |= k.present(column)
    out: list = [None] * n
    if not rows.any():  # (columns of empty lists, as pandas writes them: nothing to read)
        return out
    where = np.flatnonzero(rows)
    cells = [c.take(pa.array(where)).to_pylist() for c in columns]
    for i, row in zip(where.tolist(), zip(*cells)):
        found = _dedup([t for v in row for t in terms(v, categories=categories)])
        out[i] = found or None
    return out


def _arxiv(cell: pa.Array):
    n = len(cell)
    if pa.types.is_null(cell.type):
        return k.nulls(n), k.nulls(n, pa.int64()), np.zeros(n, bool)
    if not k.is_text(cell):
        return k.nulls(n), k.nulls(n, pa.int64()), k.present(cell)
    stripped = k.blank_as_null(k.strip(cell))
    ids, versions, ok = parse_arxiv_id_arrow(stripped)
    return ids, versions, ~ok


def _doi(cell: pa.Array):
    n = len(cell)
    if pa.types.is_null(cell.type):
        return k.nulls(n), np.zeros(n, bool)
    if not k.is_text(cell):
        return k.nulls(n), k.present(cell)
    stripped = k.blank_as_null(k.strip(cell))
    dois, ok = normalize_doi_arrow(stripped)
    arxiv_doi = k.mask(pc.match_substring(dois, "10.48550"))  # an arXiv DOI also gives the arXiv id
    return dois, ~ok | arxiv_doi


def _url(cell: pa.Array):
    links, marked = k.text(cell)
    if k.is_text(cell):
        marked = marked | k.mask(pc.match_substring(links, "arxiv.org", ignore_case=True))
    return links, marked


def _settle(values: dict, helpers: dict, n: int) -> None:
    """The record path's ``_settle``: a date's year and month, the version an id names."""
    if "date" in helpers:
        date_year, date_month = helpers["date"]
        year = values.get("year")
        if year is None:
            year = date_year
        else:
            year = pc.if_else(pc.is_valid(year), year, date_year)
        same = pc.fill_null(pc.equal(year, date_year), False)
        from_date = pc.if_else(same, date_month, None)
        month = values.get("month")
        values["month"] = from_date if month is None else pc.if_else(pc.is_valid(month), month, from_date)
        values["year"] = year
    if "id_version" in helpers:
        version = values.get("arxiv_version")
        id_version = helpers["id_version"]
        values["arxiv_version"] = (
            id_version if version is None else pc.if_else(pc.is_valid(version), version, id_version)
        )


def _flags(values: dict, cmap: ColumnMap, n: int) -> list:
    flags: list[list[str]] = empty_lists(n)
    if "abstract" in cmap.fields:
        for i in np.flatnonzero(~k.mask(pc.is_valid(values["abstract"]))):
            flags[i].append("no-abstract")
    if cmap.authors_incomplete and "authors" in values:
        for i, names in enumerate(values["authors"]):
            if names:
                flags[i].append("authors-incomplete")
    return flags


def schema_frame(values: dict[str, object], keep: np.ndarray, sources: list[str]) -> pd.DataFrame:
    """The ``keep`` rows of a converted batch as a papers table (the schema's columns and types), with
    mojibake repaired in the text fields as :func:`litreview.load` repairs every record's."""
    return build_columns(prepare_frame(values, keep), sources).frame()


def schema_columns(values: dict[str, object], keep: np.ndarray, sources: list[str]) -> Columns:
    """:func:`schema_frame` as :class:`~litreview.io.columnar.frames.Columns`, for :func:`~.frames.join`."""
    return build_columns(prepare_frame(values, keep), sources)


@dataclass
class Prepared:
    """A batch's kept rows, column by column, before the table is built (see :func:`prepare_frame`)."""

    rows: int
    columns: dict[str, object]  # pyarrow text arrays, (values, mask) of whole numbers, or Python lists
    suspects: dict[str, np.ndarray]  # the values mojibake repair must look at, per text field


def prepare_frame(values: dict[str, object], keep: np.ndarray) -> Prepared:
    """The part of :func:`schema_frame` that makes no Python object of a value (pyarrow and numpy release the
    GIL there): the kept rows of each column, whole numbers as numpy arrays, the values repair must see.  The
    columnar readers run it on a thread ahead of the one that builds the tables."""
    rows = int(keep.sum())
    where = np.flatnonzero(keep) if rows != len(keep) else None
    columns: dict[str, object] = {}
    suspects: dict[str, np.ndarray] = {}
    for col, value in values.items():
        if col not in _SCHEMA_COLUMNS or value is None:
            continue
        if isinstance(value, list):
            columns[col] = value if where is None else [value[i] for i in where.tolist()]
            continue
        arrow = value if where is None else value.filter(pa.array(keep))
        if col in INT_COLUMNS:
            arrow = arrow.cast(pa.int64())
            columns[col] = (pc.fill_null(arrow, 0).to_numpy(zero_copy_only=False, writable=True),
                            k.mask(pc.is_null(arrow)))
            continue
        if col in REPAIRED_FIELDS:
            suspects[col] = may_need_repair_arrow(arrow, col)
        columns[col] = arrow
    return Prepared(rows, columns, suspects)


def build_columns(prepared: Prepared, sources: list[str]) -> Columns:
    """The papers of a :class:`Prepared` batch, its rows' ``source`` given, column by column."""
    rows = prepared.rows
    objects: dict[str, object] = {}  # (each column's Python objects: mojibake is repaired in them, then wrapped)
    for col in COLUMNS:
        value = prepared.columns.get(col)
        if col == "source" or value is None or isinstance(value, tuple):
            continue
        if isinstance(value, list):
            if col in LIST_COLUMNS and None in value:
                value = [v if v is not None else [] for v in value]
            objects[col] = value
        else:
            objects[col] = k.shared_pylist(value) if col in _REPEATED else value.to_numpy(zero_copy_only=False)
    suspects = prepared.suspects
    if any(mask.any() for mask in suspects.values()):
        if "quality_flags" not in objects:
            objects["quality_flags"] = empty_lists(rows)
        texts = {col: objects[col] for col in REPAIRED_FIELDS if col in suspects}
        for col, values in texts.items():
            if isinstance(values, np.ndarray) and not values.flags.writeable:
                texts[col] = objects[col] = values.copy()
        repair_text_values(texts, objects["quality_flags"], suspects)
    data: dict[str, object] = {}
    for col in COLUMNS:
        value = prepared.columns.get(col)
        if col == "source":
            data[col] = sources
        elif isinstance(value, tuple):  # a whole-number column: values and missing
            data[col] = pd.arrays.IntegerArray(*value)
        else:
            data[col] = objects.get(col)  # (None: a column with no value, made when the blocks are joined)
    return Columns(data, rows)


_SCHEMA_COLUMNS = frozenset(COLUMNS)
_REPEATED = ("venue", "entry_type")  # fields whose values repeat: one string object per value
