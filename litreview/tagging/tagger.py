"""Tag papers with taxonomy topics, keeping the evidence for every tag.

:mod:`litreview.tagging.matching` finds every rule match in bulk; this module
turns the matches into the evidence table (one row per match, in paper, topic,
field and text order), decides the tags and returns them.  The result is the
table the word-by-word tagger gave, row for row and type for type;
``tests/test_tagging_speed_equivalence.py`` checks it against a frozen copy of
that tagger, and ``bench/tagging.py`` times both.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from litreview.errors import user_stacklevel
from litreview.tagging.features import rule_evidence
from litreview.tagging.matching import (  # noqa: F401  (_compiled, _KeyTable, _variants: for tests and bench)
    _EXCLUDE,
    _KINDS,
    _SUPPORTING,
    _TERM,
    Matcher,
    _compiled,
    _FastMatcher,
    _Hits,
    _Rule,
    _variants,
)
from litreview.tagging.taxonomy import Taxonomy, load_taxonomy
from litreview.tagging.wordkeys import _KeyTable  # noqa: F401

FIELDS: tuple[str, ...] = ("title", "abstract", "notes")
# Commentary is not the paper's own account of itself: it only supports.
SUPPORTING_ONLY_FIELDS = frozenset({"notes"})
EVIDENCE_COLUMNS = ["id", "topic", "field", "rule", "kind", "matched", "start", "end", "tagged"]
DEFAULT_TAGGER = "learned"  # who decides when lr.tag is not told: "rules" or "learned" (README, tag quality)


# -- the evidence table -----------------------------------------------------------------------------------------------


def evidence(
    papers: pd.DataFrame,
    taxonomy: Taxonomy | str | None = None,
    fields: tuple[str, ...] = FIELDS,
    *,
    cache: bool = False,
    tagger=DEFAULT_TAGGER,
) -> pd.DataFrame:
    """Every rule match in every paper, as a tidy table.

    Columns: ``id``, ``topic``, ``field``, ``rule`` (the taxonomy phrase),
    ``kind`` (``term`` or ``supporting``), ``matched`` (the text as it appears),
    ``start``/``end`` (character offsets in the field) and ``tagged`` (whether
    the paper got the topic, by ``tagger``: see :func:`tag`).  Matches inside an
    ``exclude`` phrase are left out.

    ``papers`` may be a Dask DataFrame (see :mod:`litreview.distributed`).
    ``cache=True`` keeps the table on disk (:mod:`litreview.io.cache`), keyed by
    the papers' ids and text and the taxonomy, and reuses it while both are unchanged.

    Parameters
    ----------
    papers : DataFrame
        A papers table (:func:`litreview.load`): ``id`` and the text ``fields``.
    taxonomy : Taxonomy or str, optional
        A :class:`~litreview.tagging.taxonomy.Taxonomy` or a YAML path; ``None`` for the default.
    fields : tuple of str
        The text fields matched (title, abstract, notes).
    cache : bool
        Keep and reuse the table on disk.
    tagger : str or FittedTagger
        Decides the ``tagged`` column, as in :func:`tag`.

    Returns
    -------
    DataFrame
        One row per match, in the order of the papers, topics, fields and offsets.

    Examples
    --------
    >>> papers = pd.DataFrame({"id": ["a"], "title": ["LoRA: Low-Rank Adaptation of Large Language Models"],
    ...                        "abstract": [None], "notes": [None]})
    >>> lr.evidence(papers)[["topic", "field", "matched", "kind", "tagged"]].values.tolist()
    [['peft', 'title', 'LoRA', 'term', True], ['peft', 'title', 'Low-Rank Adaptation', 'term', True]]
    """
    taxonomy = _as_taxonomy(taxonomy)
    if not _is_rules(tagger):
        table = evidence(papers, taxonomy, fields, cache=True, tagger="rules") if cache else None
        if table is None and tuple(fields) != FIELDS:
            table = _evidence(papers, taxonomy, fields)[0]
        _, by_id, _, table = _learned(papers, taxonomy, tagger, table)
        return _with_decision(table, papers["id"], by_id, taxonomy)
    if not cache:
        return _evidence(papers, taxonomy, fields)[0]
    from litreview.io.cache import cache_key, frame_digest, read_cached, write_cached

    _check_papers(papers, fields)
    key = cache_key("evidence", [frame_digest(papers, ["id", *fields]), taxonomy.fingerprint, list(fields)])
    cached = read_cached(key, schema=False)
    if cached is not None:
        return cached
    table = _evidence(papers, taxonomy, fields)[0]
    write_cached(key, table)
    return table


def _evidence(papers: pd.DataFrame, taxonomy: Taxonomy, fields) -> tuple[pd.DataFrame, _Tags | None]:
    """The evidence table, and (when built column by column) each row's id code and
    topic and whether it is tagged, for :func:`tag`."""
    return _scan(papers, taxonomy, fields)[:2]


def _scan(papers: pd.DataFrame, taxonomy: Taxonomy, fields, counting=None, *, matches: bool = True):
    """``(table, tags, rows, scores)``: the evidence table and tags of :func:`_evidence`; with ``counting`` (a
    ``WordScores``), also the rule rows as codes (the third item of ``features.rule_evidence``, or None when the
    table was built row by row) and each paper's word scores, counted in the matching pass.
    ``matches=False``: the word scores alone (the rest None), for an evidence table given."""
    _check_papers(papers, fields)
    fields = tuple(fields)
    fast = _compiled(taxonomy, counting.words if counting is not None else ())
    columns = [papers[f].tolist() for f in fields]
    texts = [text for row in zip(*columns) for text in row] if columns else []  # text number: paper, field
    numbers = [i for i, text in enumerate(texts) if text.__class__ is str and text or isinstance(text, str) and text]
    ids = papers["id"]
    # Built column by column when the ids are strings (as load() gives them); otherwise
    # row by row, letting pandas infer the column types as it always did.
    by_column = (
        ids.notna().all()
        and pd.api.types.infer_dtype(ids, skipna=False) == "string"
        and len(set(taxonomy.slugs)) == len(taxonomy.slugs)
    )
    string_type = pd.Series(["x"]).dtype
    arrow = getattr(string_type, "storage", None) == "pyarrow"  # the matched text cut straight into pyarrow
    matched = ("arrow" if arrow else "python") if by_column and matches else None
    numbers = np.array(numbers, dtype=np.int64)
    reduce = None  # (each chunk's matches are put in order in its thread, as are its words' scores)
    if counting is not None:
        reduce = lambda text, word: counting.reduce(text // len(fields), word)  # noqa: E731
    keep = (lambda found: _kept_in_order(found, fast, len(fields))) if matches else None
    owners = numbers // max(len(fields), 1)
    rows = fast.scan([texts[i] for i in numbers.tolist()], numbers, matched, owners, reduce, matches, keep)
    scores = None if counting is None else counting.of_hits(rows, papers, fields)
    if not matches:
        return None, None, None, scores
    if by_column and len(rows.entry):
        table, tags, rule_rows = _table(rows, fast, ids, fields, taxonomy, string_type)
        return table, tags, rule_rows, scores
    return _table_one_by_one(rows, fast, papers, fields, texts, taxonomy), None, None, scores


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


def _table(rows: _Hits, fast: _FastMatcher, ids: pd.Series, fields, taxonomy: Taxonomy, string_type):
    """The evidence table from the kept matches, built column by column (ids are strings)."""
    n_fields = len(fields)
    paper, field = np.divmod(rows.text, n_fields)
    codes, unique_ids = pd.factorize(ids)
    if not ids.is_unique or len(set(fields)) != n_fields:
        # Rows so far follow paper order; the table is ordered by each id's last row
        # and each field name's last place, as a stable sort by those ranks gives.
        id_rank = np.zeros(len(unique_ids), dtype=np.int64)
        np.maximum.at(id_rank, codes, np.arange(len(codes)))
        field_rank = np.array([max(i for i, f in enumerate(fields) if f == g) for g in fields], dtype=np.int64)
        topic = fast.entry_topic[rows.entry]
        rows = rows.take(_order_by(id_rank[codes[paper]], topic, field_rank[field], rows.start))
        paper, field = np.divmod(rows.text, n_fields)
    rule = fast.entry_rule[rows.entry]
    topic = fast.rule_topic[rule]
    supporting_only = np.array([f in SUPPORTING_ONLY_FIELDS for f in fields])
    kind = np.where(supporting_only[field], _SUPPORTING, fast.rule_kind[rule])
    strong = (kind == _TERM) | np.array([f == "title" for f in fields])[field]
    tagged = _decide_runs(codes[paper], topic, strong, fast.rule_cue[rule], fast, taxonomy)
    columns = {
        "id": _strings(ids.to_numpy(dtype=object), paper, string_type),
        "topic": _strings(np.array(taxonomy.slugs, dtype=object), topic, string_type),
        "field": _strings(np.array(fields, dtype=object), field, string_type),
        "rule": _strings(np.array([r.phrase for r in fast.matcher.rules], dtype=object), rule, string_type),
        "kind": _strings(np.array(_KINDS, dtype=object), kind, string_type),
        "matched": _strings(rows.matched, None, string_type),
        "start": rows.start.astype(np.int64),
        "end": rows.end.astype(np.int64),
        "tagged": tagged,
    }
    keys, rule_key = fast.rule_keys
    in_title = np.array([f == "title" for f in fields])[field]
    rule_rows = (codes[paper], topic, in_title, kind == _TERM, keys, rule_key[rule], None)  # as rule_evidence
    return pd.DataFrame(columns, columns=EVIDENCE_COLUMNS), _Tags(codes, codes[paper][tagged], topic[tagged]), rule_rows


def _decide_runs(id_code, topic, strong, cue, fast: _FastMatcher, taxonomy: Taxonomy) -> np.ndarray:
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
        minimum = np.array([t.min_supporting for t in taxonomy.topics], dtype=np.int64)
        decided |= cues >= minimum[topic[run_first]]
    return decided[run] & (id_code >= 0)


def _distinct(values: np.ndarray) -> np.ndarray:
    """The distinct values, sorted (``np.unique``, faster on the nearly sorted arrays here)."""
    values = np.sort(values, kind="stable")
    return values[np.r_[True, values[1:] != values[:-1]]] if len(values) else values


def _strings(values, index: np.ndarray | None, string_type):
    """A string column of type ``string_type`` (what pandas infers for Python strings):
    ``values[index]``, or ``values`` itself (a pyarrow or numpy array) when no index."""
    if getattr(string_type, "storage", None) == "pyarrow":
        import pyarrow as pa

        if index is not None:
            values = pa.array(values, type=pa.large_string()).take(pa.array(index))
        return pd.array(values, dtype=string_type)
    values = values if index is None else values[index]
    return values if string_type is np.dtype(object) else pd.array(values, dtype=string_type)


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
    table = pd.DataFrame(table_rows, columns=EVIDENCE_COLUMNS[:-1])
    decided = _decide(table, taxonomy)
    table["tagged"] = [(p, t) in decided for p, t in zip(table["id"], table["topic"])]
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


# -- tags -------------------------------------------------------------------------------------------------------------


def tag(
    papers: pd.DataFrame,
    taxonomy: Taxonomy | str | None = None,
    evidence_table: pd.DataFrame | None = None,
    *,
    cache: bool = False,
    tagger=DEFAULT_TAGGER,
) -> pd.DataFrame:
    """Return ``papers`` with a ``topics`` column (the slugs, in taxonomy order).

    ``tagger`` decides: ``"learned"`` (the default, ``DEFAULT_TAGGER``) for the
    decision fitted on the labels shipped in ``data/``
    (:mod:`litreview.tagging.decision`: the rule evidence, the measured precision
    of the matched cues, a text score and the paper's similarity to the topic's
    description); ``"rules"`` for the taxonomy's rules alone; or a tagger from
    :func:`~litreview.tagging.fit.fit_tagger`.  A learned decision adds ``topic_scores`` (each tag's
    probability, in the order of ``topics``); it generalises better than the
    rules (README, "The taxonomy and tag quality").  Topics the tagger has no
    weights for (a new or renamed topic, another taxonomy) are decided by its
    fallback, rules plus description similarity, and a ``FallbackWarning`` names them.

    ``taxonomy`` is a :class:`~litreview.tagging.taxonomy.Taxonomy`, a path to a YAML
    file, or ``None`` for the default taxonomy.  :func:`evidence` shows why
    each paper got each topic; pass its result as ``evidence_table`` (made with
    the same taxonomy) to tag without matching the text a second time.
    ``papers`` may be a Dask DataFrame (tagged partition by partition, see
    :mod:`litreview.distributed`); ``cache=True`` reuses a cached evidence table
    (see :func:`evidence`).

    Parameters
    ----------
    papers : DataFrame
        A papers table (:func:`litreview.load`), or a Dask DataFrame of one.
    taxonomy : Taxonomy or str, optional
        A :class:`~litreview.tagging.taxonomy.Taxonomy` or a YAML path; ``None`` for the default.
    evidence_table : DataFrame, optional
        The :func:`evidence` of ``papers`` with this taxonomy, to save matching the text again.
    cache : bool
        Reuse a cached evidence table.
    tagger : {"learned", "rules"} or FittedTagger
        Who decides the tags: the fitted decision (the default) or the rules alone.

    Returns
    -------
    DataFrame
        A copy of ``papers`` with ``topics`` (and, for a learned decision, ``topic_scores``).

    Examples
    --------
    >>> papers = lr.load()
    >>> lr.tag(papers.head(2))[["topics", "topic_scores"]].values.tolist()
    [[['alignment', 'agents', 'retrieval'], [0.993, 0.996, 0.984]], [['architecture', 'efficiency'], [0.994, 0.999]]]
    >>> lr.tag(papers.head(2), tagger="rules")["topics"].tolist()
    [['alignment', 'agents', 'retrieval'], ['architecture', 'efficiency']]
    """
    taxonomy = _as_taxonomy(taxonomy)
    if evidence_table is None and cache:
        evidence_table = evidence(papers, taxonomy, cache=True, tagger="rules")
    if not _is_rules(tagger):
        _check_papers(papers, ())
        decision, by_id, score_by_id, _ = _learned(papers, taxonomy, tagger, evidence_table)
        out = papers.copy()
        codes = decision.paper_codes
        rows = by_id[np.maximum(codes, 0)] & (codes >= 0)[:, None]
        paper, topic = np.nonzero(rows)  # row-major: by paper, then in taxonomy order
        slugs = np.array(taxonomy.slugs, dtype=object)[topic].tolist()
        scores = np.round(score_by_id[np.maximum(codes, 0)][paper, topic], 3).tolist()
        bounds = np.searchsorted(paper, np.arange(len(papers) + 1)).tolist()
        out["topics"] = [slugs[a:b] for a, b in zip(bounds[:-1], bounds[1:])]
        out["topic_scores"] = [scores[a:b] for a, b in zip(bounds[:-1], bounds[1:])]
        return out
    if evidence_table is None:
        table, tags = _evidence(papers, taxonomy, FIELDS)
    else:  # decided again from the matches: the table's own `tagged` may be another tagger's decision
        table, tags = evidence_table, _rule_tags_of(evidence_table, papers["id"], taxonomy)
    out = papers.drop(columns="topic_scores", errors="ignore")  # (scores of an earlier learned tagging)
    if tags is None:  # an unusual table: the plain way, with its errors
        tagged = table[table["tagged"].astype(bool)].drop_duplicates(["id", "topic"])
        by_paper = tagged.groupby("id", sort=False)["topic"].agg(list).to_dict()
        order = {slug: i for i, slug in enumerate(taxonomy.slugs)}
        out["topics"] = [sorted(by_paper.get(pid, []), key=order.__getitem__) for pid in papers["id"]]
    else:
        out["topics"] = _topic_lists(tags, taxonomy)
    return out


class FallbackWarning(UserWarning):
    """Some topics had no fitted weights and were decided by rules plus description similarity."""


def _is_rules(tagger) -> bool:
    if isinstance(tagger, str) and tagger not in ("rules", "learned"):
        raise ValueError(f"tagger must be 'rules', 'learned' or a fitted tagger (lr.fit_tagger), got {tagger!r}")
    return tagger == "rules"


def _as_tagger(tagger):
    from litreview.tagging.decision import FittedTagger, default_tagger

    if tagger is None or tagger == "learned":
        return default_tagger()
    if not isinstance(tagger, FittedTagger):
        kind = type(tagger).__name__
        raise TypeError(f"tagger must be 'rules', 'learned' or a fitted tagger (lr.fit_tagger), got {kind}")
    return tagger


def _learned(papers: pd.DataFrame, taxonomy: Taxonomy, tagger, table: pd.DataFrame | None = None, features=False):
    """The fitted decision, per distinct id (``pd.factorize`` order) the tags and scores, and the
    rules' evidence table; papers sharing an id share their tags (as the rules' evidence is pooled
    by id).  Without ``table`` the text is matched and its words counted in one pass."""
    fitted = _as_tagger(tagger)
    fallback = fitted.fallback_topics(taxonomy)
    if fallback:
        warnings.warn(
            f"no fitted weights for topic(s) {fallback} (new, renamed, or edited since the fit): decided by "
            "rules plus description similarity (fit a tagger on labels for them: lr.fit_tagger)",
            FallbackWarning,
            stacklevel=user_stacklevel(),
        )
    if table is not None:  # the rule evidence from the table; the words counted in the matcher's pass
        scores = _scan(papers, taxonomy, FIELDS, fitted.word_scores(taxonomy), matches=False)[3]
        codes, n_ids, rows = rule_evidence(table, papers["id"], taxonomy)
        decision = fitted.decide_counted(rows, codes, n_ids, scores, taxonomy, features)
    else:
        table, tags, rows, scores = _scan(papers, taxonomy, FIELDS, fitted.word_scores(taxonomy))
        if rows is None:  # a table built row by row (or empty): its codes from the table
            codes, n_ids, rows = rule_evidence(table, papers["id"], taxonomy)
        else:
            codes = tags.paper_codes
            n_ids = int(codes.max()) + 1 if len(codes) else 0
        decision = fitted.decide_counted(rows, codes, n_ids, scores, taxonomy, features)
    codes = decision.paper_codes
    n_ids = int(codes.max()) + 1 if len(codes) else 0
    by_id = np.zeros((max(n_ids, 1), len(taxonomy.slugs)), dtype=bool)  # a row even when no paper has an id
    score = np.zeros(by_id.shape)
    known = codes >= 0
    if known.all() and n_ids == len(codes):  # unique ids (as load() gives them): one paper per id, in order
        return decision, decision.tagged, decision.probability, table
    np.logical_or.at(by_id, codes[known], decision.tagged[known])
    np.maximum.at(score, codes[known], decision.probability[known])
    return decision, by_id, score, table


def _with_decision(table: pd.DataFrame, ids: pd.Series, by_id: np.ndarray, taxonomy: Taxonomy) -> pd.DataFrame:
    """``table`` with ``tagged`` set from the decision per (id, topic)."""
    if not len(table):
        return table
    id_code = pd.Index(pd.factorize(ids)[1]).get_indexer(table["id"])
    order = {slug: i for i, slug in enumerate(taxonomy.slugs)}
    topic_codes, topics = pd.factorize(table["topic"])
    topic = np.array([order.get(t, -1) for t in topics] + [-1], dtype=np.int64)[topic_codes]
    known = (id_code >= 0) & (topic >= 0)
    tagged = np.zeros(len(table), dtype=bool)
    tagged[known] = by_id[id_code[known], topic[known]]
    return table.assign(tagged=tagged)


def _rule_tags_of(table: pd.DataFrame, ids: pd.Series, taxonomy: Taxonomy) -> _Tags | None:
    """The (id, topic) pairs the rules tag, decided from an evidence table's matches (None
    when the taxonomy repeats a slug: then the plain way, from the table's ``tagged``)."""
    if len(set(taxonomy.slugs)) != len(taxonomy.slugs):
        return None
    from litreview.tagging.features import RULE_FEATURES, rule_features

    paper_codes, n_ids, rows = rule_evidence(table, ids, taxonomy)
    decided = rule_features(rows, n_ids, taxonomy, {}, np.zeros(len(taxonomy.slugs)))
    id_code, topic = np.nonzero(decided[:, :, RULE_FEATURES.index("rule_tagged")])
    return _Tags(paper_codes, id_code, topic)


def _topic_lists(tags: _Tags, taxonomy: Taxonomy) -> list[list[str]]:
    """Each paper's topics, in taxonomy order."""
    n_topics = len(taxonomy.slugs)
    known = tags.id_code >= 0  # a missing id gets no topics, as in a pandas group-by
    pairs = _distinct(tags.id_code[known] * n_topics + tags.topic[known])
    if not len(pairs):
        return [[] for _ in range(len(tags.paper_codes))]
    owner, rank = np.divmod(pairs, n_topics)
    slugs = np.array(taxonomy.slugs, dtype=object)[rank].tolist()
    # One new list per paper and no other containers: fewer objects for the garbage collector.
    first = np.searchsorted(owner, tags.paper_codes, "left").tolist()
    after = np.searchsorted(owner, tags.paper_codes, "right").tolist()
    return [slugs[a:b] for a, b in zip(first, after)]


def topic_table(tagged: pd.DataFrame) -> pd.DataFrame:
    """One row per (paper, topic): the long form of the ``topics`` column.

    Parameters
    ----------
    tagged : DataFrame
        A table with ``id`` and ``topics`` (:func:`litreview.tag`).

    Returns
    -------
    DataFrame
        Columns ``id`` and ``topic``; a paper without topics has no row.

    Examples
    --------
    >>> tagged = pd.DataFrame({"id": ["a", "b", "c"], "topics": [["peft", "agents"], [], ["agents"]]})
    >>> lr.topic_table(tagged).values.tolist()
    [['a', 'peft'], ['a', 'agents'], ['c', 'agents']]
    """
    _check_papers(tagged, ("topics",))
    long = tagged[["id", "topics"]].explode("topics").dropna(subset=["topics"])
    return long.rename(columns={"topics": "topic"}).reset_index(drop=True)


def _as_taxonomy(taxonomy: Taxonomy | str | None) -> Taxonomy:
    if isinstance(taxonomy, Taxonomy):
        return taxonomy
    return load_taxonomy(taxonomy)


def _check_papers(papers: pd.DataFrame, fields) -> None:
    if not isinstance(papers, pd.DataFrame):
        raise TypeError(f"expected a papers DataFrame, got {type(papers).__name__}")
    missing = [c for c in ("id", *fields) if c not in papers.columns]
    if missing:
        raise ValueError(f"papers table lacks column(s) {missing}; load it with litreview.load()")
