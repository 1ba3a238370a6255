"""The evidence table from the matches: one row per match that counts, in paper, topic, field and text order.

:mod:`litreview.tagging.matching` finds the matches; this module keeps those that count
(:func:`_kept_in_order`), decides the rules' tags and builds the table of
:func:`litreview.tagging.tagger.evidence`, with the rule rows as codes that the learned
decision reads (:func:`litreview.tagging.features.rule_evidence` gives the same from a table).

When the ids are distinct strings (as ``lr.load()`` gives them) each chunk of papers gets its
rows, strings and rules' tags in the thread that scanned it (:func:`_chunk_columns`), and
:func:`_frame` joins the chunks; otherwise :func:`_table` builds them from all the matches at
once (repeated ids pool their rows), or :func:`_table_one_by_one` row by row.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from litreview.tagging.matching import _EXCLUDE, _KINDS, _SUPPORTING, _TERM, _FastMatcher, _Hits, _Rule
from litreview.tagging.taxonomy import Taxonomy

# Commentary is not the paper's own account of itself: it only supports.
SUPPORTING_ONLY_FIELDS = frozenset({"notes"})
EVIDENCE_COLUMNS = ["id", "topic", "field", "rule", "kind", "matched", "start", "end", "tagged"]


def _kept_in_order(hits: _Hits, fast: _FastMatcher, n_fields: int) -> _Hits:
    """The matches that count, ordered by paper, topic, field, start, then as found.

    A match is left out when it is an exclusion, lies inside an exclusion of its
    topic, or lies inside a longer match of its topic (``ai safety`` covers
    ``safety``: the text is evidence once, for the longer rule).
    """
    if not len(hits.entry):
        return hits
    topic = fast.entry_topic[hits.entry]
    paper, field = np.divmod(hits.text, n_fields)
    group = (paper * len(fast.matcher.taxonomy) + topic) * n_fields + field  # one text, one topic
    order = _order_by(group, hits.start, fast.entry_order[hits.entry])
    group, start, end, entry = group[order], hits.start[order], hits.end[order], hits.entry[order]
    excluding = fast.entry_kind[entry] == _EXCLUDE

    # Blocks of matches with one start in one group, and the groups themselves.
    new_block = np.ones(len(group), dtype=bool)
    new_block[1:] = (group[1:] != group[:-1]) | (start[1:] != start[:-1])
    block_first = np.flatnonzero(new_block)
    block = np.cumsum(new_block) - 1
    block_group = np.cumsum(np.r_[True, group[block_first[1:]] != group[block_first[:-1]]]) - 1
    base = block_group * (int(end.max()) + 2)

    def furthest(ends_of: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per block: the furthest end in the block, and in the earlier blocks of its group (-1: none)."""
        in_block = np.maximum.reduceat(ends_of, block_first)
        running = np.maximum.accumulate(base + in_block + 1)
        before = np.r_[-1, running[:-1] - base[1:] - 1]
        return in_block[block], np.maximum(before, -1)[block]

    other_end, other_before = furthest(np.where(excluding, -1, end))
    exclusion_end, exclusion_before = furthest(np.where(excluding, end, -1))
    inside_longer = (other_before >= end) | (other_end > end)
    excluded = np.maximum(exclusion_before, exclusion_end) >= end
    return hits.take(order[~excluding & ~inside_longer & ~excluded])


def _order_by(*keys: np.ndarray) -> np.ndarray:
    """The stable order sorting by ``keys`` (first key first), all non-negative integers."""
    spans = [int(key.max()) + 1 if len(key) else 1 for key in keys]
    if np.prod([float(s) for s in spans]) >= 2**62:
        return np.lexsort(keys[::-1])  # too wide to pack in one integer: lexsort (stable too)
    packed = np.zeros(len(keys[0]), dtype=np.int64)
    for key, span in zip(keys, spans):
        packed = packed * span + key
    return np.argsort(packed, kind="stable")  # timsort: fast on the partly ordered keys here


@dataclass
class _Tags:
    """Which topics each paper id got: ids as codes (``paper_codes``, one per paper),
    and the (id code, topic index) pairs of the tagged evidence rows."""

    paper_codes: np.ndarray
    id_code: np.ndarray
    topic: np.ndarray


class _Strings:
    """What the table's string columns are cut from: the ids, slugs, fields, rules and kinds, as
    pyarrow arrays when pandas keeps strings there (one conversion, then a take per chunk)."""

    def __init__(self, ids: pd.Series, fields, fast: _FastMatcher, string_type):
        self.arrow = getattr(string_type, "storage", None) == "pyarrow"
        self.string_type = string_type
        names = [ids.to_numpy(dtype=object), fast.matcher.taxonomy.slugs, fields,
                 [r.phrase for r in fast.matcher.rules], _KINDS]
        self.values = [self._array(np.array(v, dtype=object)) for v in names]

    def _array(self, values: np.ndarray):
        if not self.arrow:
            return values
        import pyarrow as pa

        return pa.array(values, type=pa.large_string())

    def take(self, which: int, index: np.ndarray):
        if not self.arrow:
            return self.values[which][index]
        import pyarrow as pa

        return self.values[which].take(pa.array(index))

    def column(self, parts: list):
        """One string column of type ``string_type`` from its chunks (what pandas infers for Python strings)."""
        if self.arrow:
            import pyarrow as pa

            parts = [p if isinstance(p, pa.Array) else pa.array(p, type=pa.large_string()) for p in parts]
            # (the chunks as they are: pandas keeps a chunked array, where joining them copied every string)
            return pd.array(parts[0] if len(parts) == 1 else pa.chunked_array(parts), dtype=self.string_type)
        values = parts[0] if len(parts) == 1 else np.concatenate(parts)
        return values if self.string_type is np.dtype(object) else pd.array(values, dtype=self.string_type)


_STRING_COLUMNS = ("id", "topic", "field", "rule", "kind")


def _chunk_columns(rows: _Hits, fast: _FastMatcher, codes: np.ndarray, fields, strings: _Strings) -> dict:
    """The table's columns for some kept matches (:func:`_kept_in_order`) of whole paper ids (the rules'
    ``tagged`` included), and (the ``_`` keys) each row's id code, topic, title, term and cue key."""
    paper, field = np.divmod(rows.text, len(fields))
    rule = fast.entry_rule[rows.entry]
    topic = fast.rule_topic[rule]
    supporting_only = np.array([f in SUPPORTING_ONLY_FIELDS for f in fields])
    kind = np.where(supporting_only[field], _SUPPORTING, fast.rule_kind[rule])
    in_title = np.array([f == "title" for f in fields])[field]
    id_code = codes[paper]
    tagged = _decide_runs(id_code, topic, (kind == _TERM) | in_title, fast.rule_cue[rule], fast)
    index = dict(zip(_STRING_COLUMNS, (paper, topic, field, rule, kind)))
    columns = {name: strings.take(i, index[name]) for i, name in enumerate(_STRING_COLUMNS)}
    columns.update(matched=rows.matched, start=rows.start.astype(np.int64), end=rows.end.astype(np.int64))
    columns.update(tagged=tagged, _id_code=id_code, _topic=topic, _in_title=in_title, _term=kind == _TERM)
    columns["_rule_key"] = fast.rule_keys[1][rule]
    return columns


def _frame(parts: list[dict], codes: np.ndarray, fast: _FastMatcher, strings: _Strings):
    """``(table, tags, rule rows)`` from the chunks' columns (:func:`_chunk_columns`), in chunk order; the
    table as a function making it (the learned decision is made meanwhile, in other threads)."""
    parts = [p for p in parts if len(p["start"])] or parts[:1]
    join = lambda name: np.concatenate([p[name] for p in parts]) if len(parts) > 1 else parts[0][name]  # noqa: E731
    id_code, topic, tagged = join("_id_code"), join("_topic"), join("tagged")
    rule_rows = (id_code, topic, join("_in_title"), join("_term"), fast.rule_keys[0], join("_rule_key"), None)

    def table() -> pd.DataFrame:
        columns = {name: strings.column([p[name] for p in parts]) for name in (*_STRING_COLUMNS, "matched")}
        columns.update(start=join("start"), end=join("end"), tagged=tagged)
        return pd.DataFrame(columns, columns=EVIDENCE_COLUMNS, copy=False)  # (the arrays are the table's alone)

    return table, _Tags(codes, id_code[tagged], topic[tagged]), rule_rows


def _table(rows: _Hits, fast: _FastMatcher, ids: pd.Series, fields, string_type):
    """The evidence table from all the kept matches, built column by column (ids are strings); an id
    on several papers pools their rows."""
    n_fields = len(fields)
    codes, unique_ids = pd.factorize(ids)
    if not ids.is_unique or len(set(fields)) != n_fields:
        # Rows so far follow paper order; the table is ordered by each id's last row
        # and each field name's last place, as a stable sort by those ranks gives.
        paper, field = np.divmod(rows.text, n_fields)
        id_rank = np.zeros(len(unique_ids), dtype=np.int64)
        np.maximum.at(id_rank, codes, np.arange(len(codes)))
        field_rank = np.array([max(i for i, f in enumerate(fields) if f == g) for g in fields], dtype=np.int64)
        topic = fast.entry_topic[rows.entry]
        rows = rows.take(_order_by(id_rank[codes[paper]], topic, field_rank[field], rows.start))
    strings = _Strings(ids, fields, fast, string_type)
    table, tags, rule_rows = _frame([_chunk_columns(rows, fast, codes, fields, strings)], codes, fast, strings)
    return table(), tags, rule_rows


def _decide_runs(id_code, topic, strong, cue, fast: _FastMatcher) -> np.ndarray:
    """Whether each row's (paper id, topic) earns the tag; rows of one pair are adjacent."""
    new_run = np.ones(len(topic), dtype=bool)
    new_run[1:] = (id_code[1:] != id_code[:-1]) | (topic[1:] != topic[:-1])
    run_first = np.flatnonzero(new_run)
    run = np.cumsum(new_run) - 1
    decided = np.logical_or.reduceat(strong, run_first)
    weak = ~decided[run]
    if weak.any():
        pairs = _distinct(run[weak] * fast.n_cues + cue[weak])  # distinct cues of each run
        cues = np.bincount(pairs // fast.n_cues, minlength=len(run_first))
        minimum = np.array([t.min_supporting for t in fast.matcher.taxonomy.topics], dtype=np.int64)
        decided |= cues >= minimum[topic[run_first]]
    return decided[run] & (id_code >= 0)


def _distinct(values: np.ndarray) -> np.ndarray:
    """The distinct values, sorted (``np.unique``, faster on the nearly sorted arrays here)."""
    values = np.sort(values, kind="stable")
    return values[np.r_[True, values[1:] != values[:-1]]] if len(values) else values


def _table_one_by_one(rows: _Hits, fast: _FastMatcher, papers: pd.DataFrame, fields, texts, taxonomy: Taxonomy):
    """The evidence table built row by row, as pandas infers it: for the empty table and
    for ids that are not all strings (missing, numbers)."""
    n_fields = len(fields)
    rows = rows.take(_order_by(rows.text, rows.start, fast.entry_order[rows.entry]))  # back to the order found
    ids = papers["id"].tolist()
    table_rows = []
    for t, s, e, entry in zip(rows.text.tolist(), rows.start.tolist(), rows.end.tolist(), rows.entry.tolist()):
        paper, field = divmod(t, n_fields)
        rule = fast.matcher.rules[fast.entry_rule[entry]]
        kind = "supporting" if fields[field] in SUPPORTING_ONLY_FIELDS else rule.kind
        table_rows.append((ids[paper], rule.topic, fields[field], rule.phrase, kind, texts[t][s:e], s, e))
    # (typed even when empty: an empty object column of booleans would select columns, not rows)
    table = pd.DataFrame(table_rows, columns=EVIDENCE_COLUMNS[:-1]).astype({"start": np.int64, "end": np.int64})
    decided = _decide(table, taxonomy)
    table["tagged"] = np.array([(p, t) in decided for p, t in zip(table["id"], table["topic"])], dtype=bool)
    ranks = {
        "id": {pid: i for i, pid in enumerate(papers["id"])},
        "topic": {slug: i for i, slug in enumerate(taxonomy.slugs)},
        "field": {f: i for i, f in enumerate(fields)},
    }
    table = table.sort_values(
        ["id", "topic", "field", "start"],
        key=lambda col: col.map(ranks[col.name]) if col.name in ranks else col,
        kind="stable",
    )
    return table.reset_index(drop=True)


def _decide(table: pd.DataFrame, taxonomy: Taxonomy) -> set[tuple[str, str]]:
    """(paper, topic) pairs whose evidence meets the topic's rule."""
    decided = set()
    for (pid, topic), hits in table.groupby(["id", "topic"], sort=False):
        strong = (hits["kind"] == "term") | (hits["field"] == "title")
        cues = hits["rule"].map(lambda phrase, t=topic: _Rule(t, "", phrase).cue).nunique()
        if strong.any() or cues >= taxonomy[topic].min_supporting:
            decided.add((pid, topic))
    return decided
