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

- :func:`load` reads a folder of bulk files (an OpenAlex snapshot's ``works/``,
  JSON Lines, Parquet, gzipped or not) into one partition per file, each read by
  :func:`litreview.load` on a worker (a ``select=`` keeps only a slice);
  :func:`merge` merges across partitions with the result ``lr.load`` gives on one
  machine: the partitions compute their merge keys, the keys alone are grouped
  (exact keys by group-by, fuzzy titles within blocks), and the records are
  shuffled on their group and merged on the workers.
- :func:`topic_timeline` and :func:`topic_cooccurrence` bring together only the
  columns they read (id, year, month, topics); :func:`term_occurrences` counts
  per partition and sums.

Known limits:

- The grouping of :func:`merge` runs where the client is, over the keys of every
  record (a few short strings each: some 100-200 MB for a million records); the
  records themselves never leave the workers until computed.
- Dask's ``dataframe.convert-string`` option (on by default) turns every
  object column into strings, lists included: ``dd.from_pandas(papers)`` makes
  ``authors`` the text ``"['Ana Li']"``.  :func:`write_parquet_corpus` and
  :func:`read_parquet_corpus` avoid it; :func:`tag` warns when it sees a list
  column stored as strings.
- Other analyses take ``tagged.compute()`` or a filtered part of it.

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
    ``topic_scores`` and ``outside_field``).  ``evidence_table`` is not
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
        meta["outside_field"] = pd.Series([], index=meta.index, dtype=bool)
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

    # (imported here: the workers import this module to run its functions, and need no plotting modules)
    from litreview.analysis.trends import counts_table

    if "topics" not in tagged_ddf.columns:
        raise ValueError("the table has no 'topics' column; tag it first with litreview.tag")
    per_partition = [dask.delayed(_partition_counts)(part) for part in tagged_ddf.to_delayed()]
    results = dask.compute(*per_partition)
    n_papers, outside = sum(n for _, n, _ in results), sum(o for _, _, o in results)
    if outside:  # the tagger's warning, once for the corpus (the workers leave it out: one a partition, each run)
        tagging.warn_outside(outside, n_papers)
    return counts_table(_sum_counts([c for c, _, _ in results]), n_papers, topics)


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
    with tagging.outside_said_elsewhere():  # (once for the corpus, by topic_counts; a notebook shows workers' output)
        return tagging.tag(part, taxonomy, tagger=tagger)


def _untagged(part: pd.DataFrame, tagger=tagging.DEFAULT_TAGGER) -> pd.DataFrame:
    """``part`` with no topics: what the pandas tagger gives a paper without evidence."""
    out = part.copy()
    out["topics"] = pd.Series([[] for _ in range(len(part))], index=part.index, dtype=object)
    if tagger != "rules":
        out["topic_scores"] = pd.Series([[] for _ in range(len(part))], index=part.index, dtype=object)
        out["outside_field"] = pd.Series(False, index=part.index, dtype=bool)
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


def _partition_counts(part: pd.DataFrame) -> tuple[pd.Series, int, int]:
    """Papers per topic in one partition, the partition's number of papers and those outside the field."""
    outside = int(part["outside_field"].sum()) if "outside_field" in part else 0
    return tagging.topic_table(part)["topic"].value_counts(), len(part), outside


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


# --------------------------------------------------------------------------- loading and merging on Dask

FORMAT_COLUMN = "_format"  # each record's reader, which the merge's precedence needs


def load(paths, *, select=None, errors: str = "raise"):
    """Bulk files (a folder, an OpenAlex snapshot's ``works/``, or a list of files) as a dask DataFrame,
    one partition per file, each read by :func:`litreview.load` with ``merge=False`` on a worker.

    The partitions are in file order and hold the rows ``lr.load(paths, merge=False)`` gives, with a
    ``_format`` column (the reader of each record) for :func:`merge`.  ``select`` is
    :func:`litreview.load`'s: each worker keeps only the selected papers of its file.
    """
    import dask
    import dask.dataframe as dd

    from litreview.io.load import _expand, display_path
    from litreview.io.selection import as_selection

    # Workers open the files by their full path, and name them in `source` as lr.load does here.
    files = [(str(p.resolve()), display_path(p)) for p in _expand(paths, must_exist=True)]  # (missing: now)
    select = as_selection(select)
    meta = _load_partition_meta()
    parts = [dask.delayed(_load_partition)(f, label, select, errors) for f, label in files]
    with dask.config.set({"dataframe.convert-string": False}):  # object columns stay object (lists, None)
        return dd.from_delayed(parts, meta=meta, verify_meta=False)


def _load_partition(path: str, label: str, select, errors: str) -> pd.DataFrame:
    from litreview.collector import collector_paused
    from litreview.io.load import _load_files
    from litreview.io.merge import MERGE_KEYS

    formats: list[str] = []
    with collector_paused():
        part = _load_files(
            [Path(path)], None, errors, False, MERGE_KEYS, (), None, False, select, formats, {Path(path): label}
        )
    part.attrs = {}  # (the load account stays with the account folder; partitions need not carry it)
    part[FORMAT_COLUMN] = pd.Series(formats, index=part.index, dtype=object)
    return part


def _load_partition_meta() -> pd.DataFrame:
    from litreview.schema import to_frame

    meta = to_frame([])
    for col in LIST_COLUMNS:
        meta[col] = meta[col].astype(object)
    meta[FORMAT_COLUMN] = pd.Series([], dtype=object)
    return meta


def merge(ddf, *, merge_on=None, keep_apart=()):
    """:func:`litreview.io.merge.merge_records` across the partitions of ``ddf`` (from :func:`load`).

    Returns ``(papers, log)``: a dask DataFrame of the merged papers, indexed by the position of each
    paper's first record (``papers.compute().sort_index()`` is, row for row, the table
    ``lr.load(paths)`` gives), and the merge log (pandas).

    How it runs: every partition computes its records' merge keys (:func:`litreview.io.merge_keys.record_keys`:
    ids, folded titles, opening words, year, surname); only these keys come together, where the groups are
    found exactly as on one machine (exact keys by group-by, fuzzy titles within blocks); the records are
    then shuffled on their group so each group is merged on one worker, and the ids, unique across the
    corpus, are given from the merged papers' id fields.
    """
    import dask

    from litreview.io.merge import MERGE_KEYS, _check_merge_on

    merge_on = _check_merge_on(MERGE_KEYS if merge_on is None else merge_on)
    with dask.config.set({"dataframe.convert-string": False}):  # object columns stay object (lists, None)
        return _merge(ddf, merge_on, keep_apart)


def _merge(ddf, merge_on, keep_apart):
    import dask
    import dask.dataframe as dd
    import numpy as np

    from litreview.io.abstracts import flag_shared_abstracts_partitioned
    from litreview.io.merge import assign_ids, find_duplicates
    from litreview.io.merge_keys import KEY_COLUMNS, record_keys

    parts = ddf.to_delayed()
    # (one pass over the partitions: each partition's keys also give its length, which places its records)
    part_keys = dask.compute(*[dask.delayed(record_keys)(p, merge_on) for p in parts])
    offsets = np.concatenate([[0], np.cumsum([len(k) for k in part_keys])]).astype(int)
    keys = pd.concat(part_keys, ignore_index=True) if part_keys else pd.DataFrame(columns=list(KEY_COLUMNS))
    del part_keys
    duplicates = find_duplicates(None, merge_on=merge_on, keep_apart=keep_apart, keys=keys)
    root = np.arange(len(keys))
    root[duplicates["record"].to_numpy(dtype=int)] = duplicates["group"].to_numpy(dtype=int)
    in_multi = np.isin(root, root[duplicates["record"].to_numpy(dtype=int)]) if len(duplicates) else root < 0
    meta = ddf._meta.drop(columns=[FORMAT_COLUMN]).copy()
    meta.index = pd.Index([], dtype="int64", name="record")
    with_root = [
        dask.delayed(_with_root)(p, root[offsets[i] : offsets[i + 1]], in_multi[offsets[i] : offsets[i + 1]],
                                 offsets[i])
        for i, p in enumerate(parts)
    ]  # fmt: skip
    singles = dd.from_delayed([dask.delayed(_singles)(p) for p in with_root], meta=meta, verify_meta=False)
    members_meta = ddf._meta.assign(_root=pd.Series([], dtype="int64"))
    members = dd.from_delayed([dask.delayed(_members)(p) for p in with_root], meta=members_meta, verify_meta=False)
    # the "tasks" shuffle moves pandas partitions as they are (lists stay lists; no Arrow round trip); the
    # groups' records (a small share of the corpus) go to partitions about as large as the input's
    per_partition = max(1, len(keys) // max(ddf.npartitions, 1))
    shuffled = min(ddf.npartitions, max(1, -(-int(in_multi.sum()) // per_partition)))
    merged = members.shuffle("_root", npartitions=shuffled, shuffle_method="tasks")
    merged = merged.map_partitions(_merge_groups, meta=meta)
    papers = dd.concat([singles, merged]).persist()
    id_fields = papers[["arxiv_id", "doi", "title", "source"]].compute().sort_index()
    ids = pd.Series(assign_ids(id_fields), index=id_fields.index, dtype=object)
    papers = flag_shared_abstracts_partitioned(papers.map_partitions(_set_ids, ids, meta=meta))
    log = pd.DataFrame(  # rows, as lr.merge_log builds its table: the columns are typed alike, when empty too
        list(zip(ids.loc[duplicates["group"].to_numpy(dtype=int)], keys["source"].to_numpy()[
            duplicates["record"].to_numpy(dtype=int)], duplicates["matched_on"])),
        columns=["id", "source", "matched_on"],
    )  # fmt: skip
    return papers, log


def _with_root(part: pd.DataFrame, root, in_multi, offset: int) -> pd.DataFrame:
    out = part.reset_index(drop=True)
    out.index = pd.RangeIndex(offset, offset + len(out), name="record")
    out["_root"] = root
    out["_multi"] = in_multi
    return out


def _singles(part: pd.DataFrame) -> pd.DataFrame:
    out = part[~part["_multi"]].drop(columns=["_root", "_multi", FORMAT_COLUMN])
    out["provenance"] = pd.Series([[s] for s in out["source"]], index=out.index, dtype=object)
    return out


def _members(part: pd.DataFrame) -> pd.DataFrame:
    return part[part["_multi"]].drop(columns=["_multi"]).reset_index(drop=True)


def _merge_groups(part: pd.DataFrame) -> pd.DataFrame:
    """Merge the groups of records that the shuffle brought to this partition, as merge_records does."""
    from litreview.io.merge import _merge_group

    grouped: dict[int, list[dict]] = {}
    for row in part.to_dict("records"):
        row = dict(row)
        grouped.setdefault(int(row.pop("_root")), []).append(row)
    for rows in grouped.values():
        for row in rows:
            row["_format"] = row.pop(FORMAT_COLUMN)
    roots = sorted(grouped)
    merged = pd.DataFrame([_merge_group(grouped[g]) for g in roots])
    out = conform(merged) if len(merged) else _load_partition_meta().drop(columns=[FORMAT_COLUMN])
    for col in LIST_COLUMNS:
        out[col] = out[col].astype(object)
    out.index = pd.Index(roots, dtype="int64", name="record")
    return out[[c for c in COLUMNS if c in out.columns]]


def _set_ids(part: pd.DataFrame, ids: pd.Series) -> pd.DataFrame:
    out = part.copy()
    out["id"] = pd.Series(ids.reindex(out.index).tolist(), index=out.index, dtype=object)
    return out


# --------------------------------------------------------------------------- analyses on Dask


def topic_timeline(tagged_ddf, *args, **kwargs) -> pd.DataFrame:
    """:func:`litreview.analysis.trends.topic_timeline` of a tagged dask DataFrame: only the columns it
    reads (id, year, month, topics) are brought together; the result is the pandas function's."""
    from litreview.analysis.trends import topic_timeline as timeline

    return timeline(_columns(tagged_ddf, ["id", "year", "month", "topics"]), *args, **kwargs)


def topic_cooccurrence(tagged_ddf, *args, **kwargs) -> pd.DataFrame:
    """:func:`litreview.analysis.cooccurrence.topic_cooccurrence` of a tagged dask DataFrame (id and topics
    are brought together; the result is the pandas function's)."""
    from litreview.analysis.cooccurrence import topic_cooccurrence as cooccurrence

    return cooccurrence(_columns(tagged_ddf, ["id", "topics"]), *args, **kwargs)


def term_occurrences(ddf, n: int = 50, min_df: int = 2, ngram_range=(1, 2), *, stop_words=()) -> pd.DataFrame:
    """:func:`litreview.analysis.cooccurrence.term_occurrences` on Dask: each partition counts the papers each
    term occurs in, the counts are summed, and the top ``n`` are chosen as the pandas function chooses them.

    The terms are cut on the workers by the analyser the pandas function uses, built once here (with its stop
    words) and sent to them: a paper counts once per term, as scikit-learn's binary ``CountVectorizer`` counts
    it, and the workers need not import scikit-learn (seconds of each worker's first task).
    """
    import dask
    import numpy as np

    from litreview.analysis.cooccurrence import TERM_COLUMNS, _term_indicator
    from litreview.analysis.terms import phrase_analyzer

    # the pandas function's checks of the arguments, on the table's (empty) columns
    _term_indicator(ddf._meta[["title", "abstract"]], n, min_df, tuple(ngram_range), tuple(stop_words))
    analyse = phrase_analyzer(tuple(ngram_range), tuple(stop_words))
    parts = [dask.delayed(_term_counts)(p, analyse) for p in ddf.to_delayed()]
    counts = [c for c in dask.compute(*parts) if len(c)]
    if not counts:
        return pd.DataFrame(columns=TERM_COLUMNS)
    total = pd.concat(counts).groupby(level=0).sum()
    total = total[total >= min_df]
    terms = np.asarray(total.index, dtype=object)  # as the pandas function builds its table
    table = pd.DataFrame({"term": terms, "papers": total.to_numpy(dtype="int64")}, columns=TERM_COLUMNS)
    table = table.sort_values(["papers", "term"], ascending=[False, True]).head(n)
    return table.reset_index(drop=True)[list(TERM_COLUMNS)]


def _term_counts(part: pd.DataFrame, analyse) -> pd.Series:
    """Papers of this partition each term occurs in (min_df 1, every term)."""
    from collections import Counter

    from litreview.analysis.text import paper_text

    counts: Counter = Counter()
    for text in paper_text(part[["title", "abstract"]]):
        counts.update(set(analyse(text)))
    return pd.Series(list(counts.values()), index=pd.Index(list(counts), dtype=object), dtype="int64")


def _columns(ddf, columns: list[str]) -> pd.DataFrame:
    present = [c for c in columns if c in ddf.columns]
    return ddf[present].compute().reset_index(drop=True)
