"""Tagging and topic counts on Dask, for corpora that do not fit one machine.

A corpus too large for one pandas table (OpenAlex has hundreds of millions of
works) is kept as a folder of Parquet files, one partition each, and processed
partition by partition with the same pandas code as a small corpus::

    import litreview as lr
    from litreview import distributed

    distributed.write_parquet_corpus(lr.load(), "corpus/", npartitions=8)
    papers = distributed.read_parquet_corpus("corpus/")   # a dask DataFrame
    tagged = lr.tag(papers)                                # lazy: nothing runs yet
    counts = lr.topic_counts(tagged)                       # runs; a pandas table

What is done, and how it relates to the pandas path:

- :func:`tag` and :func:`evidence` run :func:`litreview.tagging.tagger.tag` /
  :func:`~litreview.tagging.tagger.evidence` on every partition.  The taxonomy is
  read once, on the client, and the same object is handed to every partition.
  A paper's tags depend on that paper only, so partition boundaries cannot
  change them: ``tag(ddf).compute()`` equals ``tagging.tag(ddf.compute())``.
- :func:`evidence` keeps each partition's rows in the partition's paper
  order, as the pandas function does for the whole table; concatenating the
  partitions in order therefore gives the pandas order, provided ids are unique
  across partitions (they are in a merged table).  Each partition's rows are
  numbered from 0 (a global numbering would need a second pass over the
  corpus), so compare ``evidence(ddf).compute().reset_index(drop=True)``.
- :func:`topic_counts` counts per partition, sums on the client and then
  computes shares and order exactly as :func:`litreview.analysis.trends.topic_counts`;
  the result is a small pandas table.
- :func:`read_parquet_corpus` turns Parquet's arrays back into Python lists and
  gives every column the papers schema's type, partition by partition, so the
  tagger sees the same input as on the pandas path.

Known limits:

- Loading and merging (:func:`litreview.load`) are not distributed: records are
  merged on one machine.  A large corpus is expected to arrive merged, with
  unique ids (an OpenAlex snapshot is: one work per id).
- Dask's ``dataframe.convert-string`` option (on by default) turns every
  object column into strings, lists included: ``dd.from_pandas(papers)`` makes
  ``authors`` the text ``"['Ana Li']"``.  :func:`write_parquet_corpus` and
  :func:`read_parquet_corpus` avoid it; :func:`tag` warns when it sees a list
  column stored as strings.
- Only the tagging and the per-topic counts are distributed; other analyses
  take ``tagged.compute()`` or a filtered part of it.

dask is imported inside the functions: ``import litreview`` does not need it.
This module is a layer above the pandas functions, which never import it;
:mod:`litreview.dispatch` makes ``lr.tag``, ``lr.evidence`` and
``lr.topic_counts`` call the functions here when given a dask DataFrame.
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from litreview.analysis.trends import counts_table
from litreview.schema import COLUMNS, INT_COLUMNS, LIST_COLUMNS, conform
from litreview.tagging import tagger as tagging
from litreview.tagging.taxonomy import Taxonomy, load_taxonomy

PARTITION_NAME = "part.{:05d}.parquet"
# Column types that may hold text or lists when read from Parquet.
_TEXTUAL = (pd.StringDtype, pd.ArrowDtype)


def is_dask(obj: Any) -> bool:
    """Whether ``obj`` is a dask DataFrame.  Never imports dask: if
    ``dask.dataframe`` is not imported yet, nothing can be one of its frames."""
    dd = sys.modules.get("dask.dataframe")
    return dd is not None and isinstance(obj, dd.DataFrame)


def tag(ddf, taxonomy: Taxonomy | str | None = None, evidence_table=None, tagger=tagging.DEFAULT_TAGGER):
    """:func:`litreview.tagging.tagger.tag` on every partition of ``ddf`` (lazy).

    Returns a dask DataFrame: ``ddf``'s columns and a ``topics`` column (a
    list of slugs per paper, in taxonomy order; with a learned ``tagger``, also
    ``topic_scores``).  ``evidence_table`` is not
    taken (each partition's text is matched once anyway); the parameter is
    here so that ``lr.tag`` can pass its arguments on unchanged.
    """
    if evidence_table is not None:
        raise ValueError("evidence_table= is not supported for a dask DataFrame; tag(ddf) matches each text once")
    taxonomy = _as_taxonomy(taxonomy)
    _warn_if_lists_are_strings(ddf)
    meta = ddf._meta.copy()
    meta["topics"] = pd.Series([], index=meta.index, dtype=object)
    if tagger != "rules":
        meta["topic_scores"] = pd.Series([], index=meta.index, dtype=object)
    return ddf.map_partitions(_tag_partition, taxonomy, tagger, meta=meta)


def evidence(
    ddf, taxonomy: Taxonomy | str | None = None, fields: Sequence[str] | None = None, tagger=tagging.DEFAULT_TAGGER
):
    """:func:`litreview.tagging.tagger.evidence` on every partition of ``ddf`` (lazy).

    One row per rule match, the rows of each partition in its papers' order;
    see the module docstring for the index.
    """
    taxonomy = _as_taxonomy(taxonomy)
    meta = _evidence_meta()
    fields = None if fields is None else tuple(fields)
    return ddf.map_partitions(_evidence_partition, taxonomy, fields, tagger, meta=meta)


def topic_counts(tagged_ddf, topics: list[str] | None = None) -> pd.DataFrame:
    """Papers per topic and their share of the corpus, largest first: the same
    table as :func:`litreview.analysis.trends.topic_counts` on ``tagged_ddf.compute()``.

    Runs the graph behind ``tagged_ddf`` once (tagging each partition once).
    """
    import dask

    if "topics" not in tagged_ddf.columns:
        raise ValueError("the table has no 'topics' column; tag it first with litreview.tag")
    per_partition = [dask.delayed(_partition_counts)(part) for part in tagged_ddf.to_delayed()]
    results = dask.compute(*per_partition)
    n_papers = sum(n for _, n in results)
    return counts_table(_sum_counts([c for c, _ in results]), n_papers, topics)


def read_parquet_corpus(path: str | Path, **read_options):
    """A papers table stored as Parquet files (a folder, a glob or a list of
    files), as a dask DataFrame with one partition per file (or row group).

    Every partition is given the papers schema: list columns become Python
    lists again (Parquet gives arrays), text columns are ``object`` with
    ``None`` for missing, numbers ``Int64``.  Columns outside the schema (such
    as a stored ``topics``) are kept after the schema's, with arrays turned into
    lists.  ``read_options`` go to :func:`dask.dataframe.read_parquet`.
    """
    import dask
    import dask.dataframe as dd

    # Without this, dask would read text as pyarrow strings; the schema wants
    # object columns (partitions are converted anyway, this just saves the work).
    with dask.config.set({"dataframe.convert-string": False}):
        raw = dd.read_parquet(path, **read_options)
    meta = restore_schema(raw._meta)
    return raw.map_partitions(restore_schema, meta=meta)


def write_parquet_corpus(papers: pd.DataFrame, path: str | Path, npartitions: int = 1) -> list[Path]:
    """Write a papers table as ``npartitions`` Parquet files in folder ``path``
    (``part.00000.parquet``, ...), in row order, for :func:`read_parquet_corpus`.

    All files share one Arrow schema (text as strings, numbers as int64, list
    columns as lists of strings), so a column that is empty in one file has the
    same type there as elsewhere.  The index is stored with the rows.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    if npartitions < 1:
        raise ValueError(f"npartitions must be at least 1, got {npartitions}")
    folder = Path(path)
    folder.mkdir(parents=True, exist_ok=True)
    stale = sorted(folder.glob("*.parquet"))
    if stale:
        raise FileExistsError(f"{folder} already holds Parquet files ({stale[0].name}, ...); write to an empty folder")
    schema = _arrow_schema(papers)
    written = []
    for number, rows in enumerate(np.array_split(np.arange(len(papers)), npartitions)):
        chunk = papers.iloc[rows[0] : rows[-1] + 1] if len(rows) else papers.iloc[:0]
        target = folder / PARTITION_NAME.format(number)
        pq.write_table(pa.Table.from_pandas(chunk, schema=schema, preserve_index=True), target)
        written.append(target)
    return written


def restore_schema(part: pd.DataFrame) -> pd.DataFrame:
    """One partition read from Parquet, with the papers schema's types and its index kept."""
    out = part.copy()
    for col in out.columns:
        dtype = out[col].dtype
        if col in INT_COLUMNS:
            continue
        if col in COLUMNS or pd.api.types.is_object_dtype(dtype) or isinstance(dtype, _TEXTUAL):
            out[col] = _plain_values(out[col])
    extra = [c for c in out.columns if c not in COLUMNS]
    restored = conform(out)  # a missing list becomes an empty one, as in a loaded table
    restored.index = out.index
    for col in LIST_COLUMNS:
        # conform() types the list columns of an empty frame float64; the meta must say object.
        restored[col] = restored[col].astype(object)
    return restored[list(COLUMNS) + extra]


def _plain_values(column: pd.Series) -> pd.Series:
    """A column as Python objects: arrays become lists, every kind of missing becomes ``None``."""
    values = [
        v.tolist() if hasattr(v, "tolist") and not isinstance(v, str) and getattr(v, "ndim", 0) > 0 else v
        for v in column.astype(object)
    ]
    values = [None if _is_missing_scalar(v) else v for v in values]
    return pd.Series(values, index=column.index, dtype=object)


def _is_missing_scalar(value: Any) -> bool:
    if value is None or isinstance(value, (list, str)):
        return value is None
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _tag_partition(part: pd.DataFrame, taxonomy: Taxonomy, tagger=tagging.DEFAULT_TAGGER) -> pd.DataFrame:
    if part.empty:  # keeps the empty partition's column types
        return _untagged(part, tagger)
    return tagging.tag(part, taxonomy, tagger=tagger)


def _untagged(part: pd.DataFrame, tagger=tagging.DEFAULT_TAGGER) -> pd.DataFrame:
    """``part`` with no topics: what the pandas tagger gives a paper without evidence."""
    out = part.copy()
    out["topics"] = pd.Series([[] for _ in range(len(part))], index=part.index, dtype=object)
    if tagger != "rules":
        out["topic_scores"] = pd.Series([[] for _ in range(len(part))], index=part.index, dtype=object)
    return out


def _evidence_partition(
    part: pd.DataFrame, taxonomy: Taxonomy, fields: tuple[str, ...] | None, tagger=tagging.DEFAULT_TAGGER
) -> pd.DataFrame:
    table = (
        tagging.evidence(part, taxonomy, tagger=tagger)
        if fields is None
        else tagging.evidence(part, taxonomy, fields, tagger=tagger)
    )
    if table.empty:
        # An empty table's columns are typed object; concatenated with other
        # partitions they would change the result's types.
        return _evidence_meta()
    return table


def _evidence_meta() -> pd.DataFrame:
    """The evidence table's columns and types, as the pandas tagger makes them."""
    text = pd.Series(["x"]).dtype  # pandas' own type for a column of Python strings
    types = {"start": "int64", "end": "int64", "tagged": "bool"}
    return pd.DataFrame({c: pd.Series([], dtype=types.get(c, text)) for c in tagging.EVIDENCE_COLUMNS})


def _partition_counts(part: pd.DataFrame) -> tuple[pd.Series, int]:
    """Papers per topic in one partition, and the partition's number of papers."""
    return tagging.topic_table(part)["topic"].value_counts(), len(part)


def _sum_counts(counts: list[pd.Series]) -> pd.Series:
    """Per-partition counts summed into one ``value_counts``-shaped Series."""
    nonempty = [c for c in counts if len(c)]
    if not nonempty:
        return counts[0] if counts else pd.Series([], dtype="int64", name="count")
    total = pd.concat(nonempty).groupby(level=0, sort=False).sum()
    return total.rename("count").rename_axis(nonempty[0].index.name)


def _arrow_schema(papers: pd.DataFrame):
    """The Arrow schema of ``papers``: the schema's columns by their declared
    types, other columns as Arrow infers them from the whole table."""
    import pyarrow as pa

    inferred = pa.Schema.from_pandas(papers, preserve_index=True)
    fields = []
    for field in inferred:
        if field.name in LIST_COLUMNS:
            field = pa.field(field.name, pa.list_(pa.string()))
        elif field.name in INT_COLUMNS:
            field = pa.field(field.name, pa.int64())
        elif field.name in COLUMNS:
            field = pa.field(field.name, pa.string())
        fields.append(field)
    return pa.schema(fields, metadata=inferred.metadata)


def _as_taxonomy(taxonomy: Taxonomy | str | Path | None) -> Taxonomy:
    return taxonomy if isinstance(taxonomy, Taxonomy) else load_taxonomy(taxonomy)


def _warn_if_lists_are_strings(ddf) -> None:
    as_text = [c for c in LIST_COLUMNS if c in ddf.columns and not pd.api.types.is_object_dtype(ddf._meta[c].dtype)]
    if as_text:
        warnings.warn(
            f"list column(s) {as_text} hold text, not lists: dask's 'dataframe.convert-string' option converted "
            "them (dd.from_pandas does); tags are unaffected, but read corpora with "
            "litreview.distributed.read_parquet_corpus to keep the lists",
            UserWarning,
            stacklevel=3,
        )
