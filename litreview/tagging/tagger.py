"""Tag papers with taxonomy topics, keeping the evidence for every tag.

:mod:`litreview.tagging.matching` finds every rule match in bulk (and counts the
words the learned decision reads, in the same pass);
:mod:`litreview.tagging.evidence_table` turns the matches into the evidence table
(one row per match, in paper, topic, field and text order), chunk by chunk in the
scanning threads; this module has the rules or the learned decision
(:mod:`litreview.tagging.decision`) decide the tags, and returns them.  The result is the
table the word-by-word tagger gave, row for row and type for type;
``tests/test_tagging_speed_equivalence.py`` checks it against a frozen copy of
that tagger, and ``bench/tagging.py`` times both.
"""

from __future__ import annotations

import warnings
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from contextvars import ContextVar

import numpy as np
import pandas as pd

from litreview.collector import collector_paused
from litreview.errors import user_stacklevel
from litreview.tagging.coverage import LABELLED_FIELD, warn_coverage
from litreview.tagging.evidence_table import (  # noqa: F401  (the constants: for distributed and tests)
    EVIDENCE_COLUMNS,
    SUPPORTING_ONLY_FIELDS,
    _chunk_columns,
    _distinct,
    _frame,
    _kept_in_order,
    _Strings,
    _table,
    _table_one_by_one,
    _Tags,
)
from litreview.tagging.features import paper_titles, rule_evidence, text_chars, text_lengths
from litreview.tagging.matching import Matcher, _compiled, _Hits, _variants  # noqa: F401  (for tests and bench)
from litreview.tagging.taxonomy import Taxonomy, load_taxonomy
from litreview.tagging.wordkeys import _KeyTable  # noqa: F401
from litreview.validation import TAXONOMY_TOPICS

FIELDS: tuple[str, ...] = ("title", "abstract", "notes")
DEFAULT_TAGGER = "learned"  # who decides when lr.tag is not told: "rules" or "learned" (README, tag quality)


# -- the evidence table -----------------------------------------------------------------------------------------------


@collector_paused()  # (the table's strings and lists form no cycle: the collector would scan them for nothing)
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
    ``exclude`` phrase are left out.  What the decision warns of (topics that fell
    back, papers outside the field) :func:`tag` says, not this function.

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
        # (its warnings about the tags are lr.tag's: evidence then tag, as notebooks call them, says them once)
        _, by_id, _, table = _learned(papers, taxonomy, tagger, table, warn=False)
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


def _scan(papers, taxonomy: Taxonomy, fields, counting=None, *, matches: bool = True, later=False, deciding=None):
    """``(table, tags, rows, scores)``: the evidence table and tags of :func:`_evidence`; with ``counting`` (a
    ``WordScores``), also the rule rows as codes (the third item of ``features.rule_evidence``, or None when the
    table was built row by row) and each paper's word scores, counted in the matching pass.
    ``matches=False``: the word scores alone (the rest None), for an evidence table given.  ``later=True``:
    the table may come as a function making it (to make it while the learned decision is made).
    ``deciding`` (``FittedTagger.deciding``): made in the scanning threads, chunk by chunk, where it can
    be (``deciding.complete`` says whether it was; then the word scores are not gathered: None)."""
    _check_papers(papers, fields)
    fields = tuple(fields)
    fast = _compiled(taxonomy, counting.words if counting is not None else ())
    columns = [papers[f].tolist() for f in fields]
    texts = [None] * (len(papers) * len(fields))  # text number: paper, field
    for k, column in enumerate(columns):
        texts[k :: len(fields)] = column
    lengths = np.zeros((len(papers), len(fields)), dtype=np.int64)  # of the texts (0: none, or not a string)
    for k, column in enumerate(columns):
        lengths[:, k] = text_lengths(column)
    if deciding is not None and deciding.chars is None:
        deciding.measured(lengths.sum(axis=1))  # (each paper's characters of text, for the field floor)
    numbers = np.flatnonzero(lengths.ravel())
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
    # (each chunk's words are scored, and its matches made rows, in the thread that scanned it)
    reduce = counting.reduce if counting is not None else None
    n_fields = max(len(fields), 1)
    post = (lambda found, *_: _kept_in_order(found, fast, n_fields)) if matches else None
    in_chunks = by_column and matches and ids.is_unique and len(set(fields)) == len(fields)
    if in_chunks:  # distinct ids (as load() gives them): each chunk's rows are the table's
        codes, strings = pd.factorize(ids)[0], _Strings(ids, fields, fast, string_type)

        def post(found, reduced, span):
            columns = _chunk_columns(_kept_in_order(found, fast, n_fields), fast, codes, fields, strings)
            if deciding is not None:
                _decide_chunk(deciding, columns, reduced, span, counting, fast)
            return columns

    owners = numbers // n_fields
    chosen = list(map(texts.__getitem__, numbers.tolist()))
    scanned = fast.scan(chosen, numbers, matched, owners, reduce, matches, post, lengths.ravel()[numbers])

    def gathered_scores():
        return None if counting is None else counting.of_hits(scanned, papers, fields)

    if not matches:
        return None, None, None, gathered_scores()
    if in_chunks and sum(len(part["start"]) for part in scanned.chunks):
        if deciding is not None:
            deciding.complete = not deciding.incomplete
        table, tags, rule_rows = _frame(scanned.chunks, codes, fast, strings)
        # (a decision made in the scanning threads needs no scores gathered here)
        scores = None if deciding is not None and deciding.complete else gathered_scores()
        return table if later else table(), tags, rule_rows, scores
    scores = gathered_scores()
    rows = _Hits.concat(scanned.chunks, arrow) if not in_chunks else _Hits(*(np.zeros(0, np.int64),) * 4)
    if by_column and len(rows.entry):
        return (*_table(rows, fast, ids, fields, string_type), scores)
    return _table_one_by_one(rows, fast, papers, fields, texts, taxonomy), None, None, scores


def _decide_chunk(deciding, columns: dict, reduced, span, counting, fast) -> None:
    """The learned decision of a chunk's papers (each its own id), in the thread that scanned them:
    from its rows (:func:`_chunk_columns`) and what ``counting.reduce`` made of its words."""
    if reduced is None or span is None:  # (some text was matched the plain way: decided afterwards)
        deciding.incomplete = True
        return
    lo, hi = span
    scores = np.zeros((hi - lo, counting.width))
    scores[reduced[0] - lo] = reduced[1]
    rows = (columns["_id_code"], columns["_topic"], columns["_in_title"], columns["_term"], fast.rule_keys[0],
            columns["_rule_key"], None)
    deciding.block(rows, lo, hi, scores)


def _copy_on_write() -> bool:
    """Whether pandas copies on write (always from pandas 3): a shallow copy's changes never reach the original."""
    return int(pd.__version__.split(".")[0]) >= 3 or pd.options.mode.copy_on_write is True



# -- tags -------------------------------------------------------------------------------------------------------------


@collector_paused()  # (a list of topics and of scores a paper, the evidence table: no cycle among them)
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
        A copy of ``papers`` with ``topics`` (and, for a learned decision, ``topic_scores`` and
        ``outside_field``: the paper read as outside the field the fitted topics were learned on, so it has
        none of them).

    Examples
    --------
    >>> papers = lr.load()
    >>> lr.tag(papers.head(2))[["topics", "topic_scores"]].values.tolist()
    [[['alignment', 'agents', 'retrieval'], [0.989, 0.998, 0.99]], [['architecture', 'efficiency'], [0.982, 1.0]]]
    >>> lr.tag(papers.head(2), tagger="rules")["topics"].tolist()
    [['alignment', 'agents', 'retrieval'], ['architecture', 'efficiency']]
    """
    taxonomy = _as_taxonomy(taxonomy)
    if evidence_table is None and cache:
        evidence_table = evidence(papers, taxonomy, cache=True, tagger="rules")
    if not _is_rules(tagger):
        _check_papers(papers, ())
        decision, by_id, score_by_id, _ = _learned(papers, taxonomy, tagger, evidence_table)
        out = papers.copy(deep=not _copy_on_write())  # (a lazy copy where pandas copies on write)
        codes = decision.paper_codes
        id_of = np.maximum(codes, 0)
        paper, topic = np.nonzero(by_id[id_of] & (codes >= 0)[:, None])  # row-major: by paper, in taxonomy order
        slugs = np.array(taxonomy.slugs, dtype=object)[topic].tolist()
        scores = np.round(score_by_id[id_of[paper], topic], 3).tolist()
        bounds = np.searchsorted(paper, np.arange(len(papers) + 1)).tolist()
        out["topics"] = [slugs[a:b] for a, b in zip(bounds[:-1], bounds[1:])]
        out["topic_scores"] = [scores[a:b] for a, b in zip(bounds[:-1], bounds[1:])]
        out["outside_field"] = _outside_rows(decision, bool(_as_tagger(tagger).fitted_slugs(taxonomy)))
        out.attrs[TAXONOMY_TOPICS] = list(taxonomy.slugs)  # (what the analyses check a topic against)
        return out
    if evidence_table is None:
        table, tags = _evidence(papers, taxonomy, FIELDS)
    else:  # decided again from the matches: the table's own `tagged` may be another tagger's decision
        table, tags = evidence_table, _rule_tags_of(evidence_table, papers["id"], taxonomy)
    out = papers.drop(columns=["topic_scores", "outside_field"], errors="ignore")  # (of an earlier learned tagging)
    if tags is None:  # an unusual table: the plain way, with its errors
        tagged = table[table["tagged"].astype(bool)].drop_duplicates(["id", "topic"])
        by_paper = tagged.groupby("id", sort=False)["topic"].agg(list).to_dict()
        order = {slug: i for i, slug in enumerate(taxonomy.slugs)}
        out["topics"] = [sorted(by_paper.get(pid, []), key=order.__getitem__) for pid in papers["id"]]
    else:
        out["topics"] = _topic_lists(tags, taxonomy)
    out.attrs[TAXONOMY_TOPICS] = list(taxonomy.slugs)
    return out


def _outside_rows(decision, any_fitted: bool) -> np.ndarray:
    """Each row's paper read as outside the field (all its rows under the floor; False without a floor)."""
    codes = decision.paper_codes
    if decision.outside is None or not any_fitted:
        return np.zeros(len(codes), dtype=bool)
    known = codes >= 0
    if known.all() and len(codes) and int(codes.max()) + 1 == len(codes):
        return decision.outside.copy()  # (unique ids, in order: one row per paper)
    inside = np.zeros(int(codes.max(initial=-1)) + 2, dtype=bool)
    np.logical_or.at(inside, codes[known], ~decision.outside[known])
    return known & ~inside[codes]


class FallbackWarning(UserWarning):
    """Some topics had no fitted weights and were decided by rules plus description similarity."""


class OutsideFieldWarning(UserWarning):
    """Some papers read as outside the field the tagger's labels come from, and got none of its fitted topics."""


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


def _learned(papers: pd.DataFrame, taxonomy: Taxonomy, tagger, table: pd.DataFrame | None = None, features=False,
             warn: bool = True):
    """The fitted decision, per distinct id (``pd.factorize`` order) the tags and scores, and the
    rules' evidence table; papers sharing an id share their tags (as the rules' evidence is pooled
    by id).  Without ``table`` the text is matched and its words counted in one pass.  ``warn``: say
    which topics fell back and how many papers read as outside the field."""
    fitted = _as_tagger(tagger)
    fallback = fitted.fallback_topics(taxonomy)
    if fallback and warn:
        warnings.warn(
            f"no fitted weights for topic(s) {fallback} (new, renamed, or edited since the fit): decided by "
            "rules plus description similarity (fit a tagger on labels for them: lr.fit_tagger)",
            FallbackWarning,
            stacklevel=user_stacklevel(),
        )
    # (the text scores read the titles a second time, apart: counted here, a small share of the text)
    titles = paper_titles(papers) if fitted.title_weights is not None else None
    if table is not None:  # the rule evidence from the table; the words counted in the matcher's pass
        chars = text_chars(papers, FIELDS)
        scores = _scan(papers, taxonomy, FIELDS, fitted.word_scores(taxonomy), matches=False)[3]
        codes, n_ids, rows = rule_evidence(table, papers["id"], taxonomy)
        decision = fitted.decide_counted(rows, codes, n_ids, scores, taxonomy, features, chars, titles)
    else:
        deciding = fitted.deciding(taxonomy, len(papers), features, titles=titles)
        table, tags, rows, scores = _scan(
            papers, taxonomy, FIELDS, fitted.word_scores(taxonomy), later=True, deciding=deciding
        )
        chars = deciding.chars  # (measured by the scan)
        if rows is None:  # a table built row by row (or empty): its codes from the table
            codes, n_ids, rows = rule_evidence(table, papers["id"], taxonomy)
        else:
            codes = tags.paper_codes
            n_ids = int(codes.max()) + 1 if len(codes) else 0
        if deciding.complete:  # made in the scanning threads
            table, decision = table() if callable(table) else table, deciding.decision(codes)
        elif callable(table):  # the table is made here while other threads make the decision
            with ThreadPoolExecutor(1) as pool:
                deciding_later = pool.submit(fitted.decide_counted, rows, codes, n_ids, scores, taxonomy, features,
                                             chars, titles)
                table = table()
                decision = deciding_later.result()
        else:
            decision = fitted.decide_counted(rows, codes, n_ids, scores, taxonomy, features, chars, titles)
    if warn:
        _warn_outside(decision, len(fitted.fitted_slugs(taxonomy)))
        warn_coverage(decision.tagged, decision.outside)
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


def outside_field(papers: pd.DataFrame, taxonomy=None, tagger=None) -> pd.Series:
    """Which papers read as outside the field the fitted topics were learned on (under the tagger's field
    floor: :func:`litreview.tag` gives them none of those topics); all False when the taxonomy has no fitted
    topic or the tagger no floor.  Counts the papers' words again: for reports, not for every call."""
    from litreview.tagging.features import field_density, paper_texts

    taxonomy, fitted = _as_taxonomy(taxonomy), _as_tagger(tagger)
    slugs = fitted.fitted_slugs(taxonomy)
    floor = float(fitted.weights.loc["field_floor", slugs].max()) if slugs else 0.0
    if floor <= 0 or not len(papers):
        return pd.Series(False, index=papers.index)
    counter, _, _, n_vocab = fitted.description_vectors(taxonomy)
    used = np.asarray(counter.counts(paper_texts(papers, FIELDS))[:, :n_vocab].sum(axis=1)).ravel()
    return pd.Series(field_density(used, text_chars(papers, FIELDS)) < floor, index=papers.index)


# False while a caller says the OutsideFieldWarning itself, once for many calls (the Dask tagger's partitions):
# a context variable, each thread's own, where warnings.catch_warnings would change the process's filters
# from the threads of Dask's scheduler (one thread's "ignore" left in place for the whole session)
_SAY_OUTSIDE: ContextVar[bool] = ContextVar("litreview_say_outside", default=True)


@contextmanager
def outside_said_elsewhere():
    """Tag without the :class:`OutsideFieldWarning` in this thread (its caller says it, as
    :func:`litreview.distributed.topic_counts` does once for the corpus); other warnings and threads unchanged."""
    token = _SAY_OUTSIDE.set(False)
    try:
        yield
    finally:
        _SAY_OUTSIDE.reset(token)


def _warn_outside(decision, n_fitted: int) -> None:
    """Say how many papers got none of the fitted topics for being outside the field of the labels."""
    if not _SAY_OUTSIDE.get() or decision.outside is None or not n_fitted or not decision.outside.any():
        return
    warn_outside(int(decision.outside.sum()), len(decision.outside), decision.floor)


def warn_outside(n: int, total: int, floor: float | None = None) -> None:
    """The :class:`OutsideFieldWarning` for ``n`` of ``total`` papers under the field ``floor`` (the Dask
    topic counts' one warning for the whole corpus, not one a partition, goes through here too)."""
    most = (": most of the corpus, so the taxonomy's fitted topics do not fit it; write a taxonomy for its field "
            "(walkthrough 2)") if 2 * n > total else ""
    under = "too few" if floor is None else f"fewer than {floor:.1f}"
    warnings.warn(
        f"{n} of {total} paper(s) read as outside the field the tagger was fitted on ({LABELLED_FIELD}: {under} "
        f"words of its vocabulary per 100 characters, or no text): they get none of its "
        f"fitted topics (lr.tag_scores shows them with score 0; tagger='rules' gives the rules' own tags){most}",
        OutsideFieldWarning,
        stacklevel=user_stacklevel(),
    )


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
