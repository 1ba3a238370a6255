"""Topics found in the text itself: NMF on TF-IDF, seeded so a run is repeatable.

Non-negative matrix factorisation splits the sparse paper-by-term TF-IDF
matrix into ``n_topics`` themes; each theme is named by its top terms, and
each paper goes to the theme that weighs most in it.  The same corpus, number
of topics and seed always give the same themes.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from litreview.analysis.similarity import tfidf
from litreview.analysis.vectorize import NoTerms
from litreview.validation import check_frame, check_int

TOPIC_COLUMNS = ["topic", "terms", "papers"]
ASSIGNMENT_COLUMNS = ["id", "topic", "weight"]
EXAMPLE_COLUMNS = ["topic", "id", "weight", "has_abstract"]
MIN_TERM_SHARE = 0.01  # a term names a theme only with at least this share of the theme's heaviest term's weight
MAX_ITER = 1000  # NMF's iterations at most (the Prompt Report's 1,661 papers need 438 for 12 themes)


class ThemesWarning(UserWarning):
    """NMF stopped before its themes settled: they are repeatable with the seed, but may read less clearly."""


class TooFewTerms(NoTerms):
    """Fewer terms in ``min_df`` papers or more than topics asked for (``terms``: how many there are)."""

    def __init__(self, message: str, terms: int):
        super().__init__(message)
        self.terms = terms


def discover_topics(
    papers: pd.DataFrame,
    n_topics: int = 8,
    *,
    seed: int = 0,
    n_terms: int = 8,
    min_df: int = 2,
    max_features: int = 20_000,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """NMF topics of the papers' titles and abstracts.

    Parameters
    ----------
    papers : DataFrame
        A papers table with ``id``, ``title`` and ``abstract``.
    n_topics : int
        How many topics to find, 1 or more (at most the number of papers).
    seed : int
        The NMF seed, 0 or more: the same papers, ``n_topics`` and seed give the same topics.
    n_terms : int
        How many of its heaviest terms name each topic.
    min_df : int
        The fewest papers a term must be in.
    max_features : int
        The largest vocabulary kept.

    Returns
    -------
    (DataFrame, DataFrame)
        ``(topics, assignments)``: ``topics`` has one row per discovered
        topic (``topic`` numbered from 1 by size (among equals, by the first paper), ``terms`` its ``n_terms``
        heaviest terms (fewer when fewer weigh 1% of its heaviest or more: a small vocabulary), ``papers`` how
        many papers it is the main topic of);
        ``assignments`` has one row per paper (``id``, ``topic``, ``weight``,
        the topic's share of the paper's NMF weights; 0 and topic 0 when the
        paper has no vocabulary left after ``min_df``).  No papers give two
        empty tables with these columns.

    Raises
    ------
    NoTerms
        (a ``ValueError``) When no term is in ``min_df`` papers or more; :class:`TooFewTerms`, when fewer terms
        are than ``n_topics``.

    Warns
    -----
    ThemesWarning
        When NMF has not converged after ``MAX_ITER`` (1000) iterations.

    Examples
    --------
    >>> papers = pd.DataFrame({"id": list("abcd"), "abstract": None, "title": ["sparse attention kernels",
    ...     "sparse attention", "prompt tuning adapters", "prompt adapters"]})
    >>> themes, assignments = lr.discover_topics(papers, 2, n_terms=2, min_df=1)
    >>> themes["papers"].tolist(), assignments["topic"].tolist()
    ([2, 2], [1, 1, 2, 2])
    """
    from sklearn.decomposition import NMF

    check_frame(papers, "papers", ("id", "title", "abstract"), "load it with lr.load()")
    check_int(n_topics, "n_topics", 1)
    check_int(seed, "seed", 0)
    check_int(n_terms, "n_terms", 1)
    check_int(min_df, "min_df", 1)
    if papers.empty:
        return (pd.DataFrame({"topic": pd.Series(dtype="int64"), "terms": pd.Series(dtype=object),
                              "papers": pd.Series(dtype="int64")}),
                pd.DataFrame({"id": pd.Series(dtype=object), "topic": pd.Series(dtype="int64"),
                              "weight": pd.Series(dtype=float)}))
    if len(papers) < n_topics:
        raise ValueError(f"{len(papers)} papers cannot be split into {n_topics} topics")
    matrix, vocabulary = tfidf(papers, min_df=min(min_df, len(papers)), max_features=max_features)
    if len(vocabulary.terms) < n_topics:  # (NMF's own error names its init, no parameter of this function)
        terms = len(vocabulary.terms)
        raise TooFewTerms(f"only {terms} term{'s' * (terms != 1)} {'are' if terms != 1 else 'is'} in "
                          f"{min(min_df, len(papers))} or more texts, too few for {n_topics} topics: ask for "
                          f"{terms} or fewer, or lower min_df", terms)
    from sklearn.exceptions import ConvergenceWarning

    model = NMF(n_components=n_topics, init="nndsvda", random_state=seed, max_iter=MAX_ITER, tol=1e-4)
    with warnings.catch_warnings():  # (sklearn's names its own file and max_iter, no parameter of this function)
        warnings.simplefilter("ignore", ConvergenceWarning)
        weights = model.fit_transform(matrix)
    if model.n_iter_ >= MAX_ITER:
        warnings.warn(f"the themes had not settled after {MAX_ITER} NMF iterations: they are repeatable with this "
                      "seed, but another seed or n_topics may give clearer ones", ThemesWarning, stacklevel=2)
    names = vocabulary.terms
    totals = weights.sum(axis=1)
    main = np.where(totals > 0, weights.argmax(axis=1), -1)
    sizes = np.bincount(main[main >= 0], minlength=n_topics)
    # Number topics by size, largest first; among equals, by their first paper in the table (not by component
    # index: the order of equal components depends on the CPU's floating-point kernels).
    first = np.full(n_topics, len(main))
    np.minimum.at(first, main[main >= 0], np.flatnonzero(main >= 0))
    order = np.lexsort((np.arange(n_topics), first, -sizes))
    number = {int(c): k + 1 for k, c in enumerate(order)}
    topics = pd.DataFrame(
        [
            (number[c], ", ".join(_top_terms(model.components_[c], names, n_terms)), int(sizes[c])) for c in order
        ],
        columns=TOPIC_COLUMNS,
    )
    share = np.divide(weights.max(axis=1), totals, out=np.zeros_like(totals), where=totals > 0)
    assignments = pd.DataFrame(
        {
            "id": papers["id"].to_numpy(),
            "topic": [number.get(int(c), 0) for c in main],
            "weight": np.round(share, 3),
        },
        columns=ASSIGNMENT_COLUMNS,
    )
    return topics, assignments


def _top_terms(weights: np.ndarray, names: np.ndarray, n_terms: int) -> list[str]:
    """A theme's ``n_terms`` heaviest terms, leaving out those of (next to) no weight in it: on a small
    vocabulary a theme weighs few terms, and the rest, in vocabulary order, would name it with other themes' words."""
    heaviest = np.argsort(-weights, kind="stable")[:n_terms]
    kept = (weights[heaviest] > 0) & (weights[heaviest] >= MIN_TERM_SHARE * weights.max())
    return names[heaviest[kept]].tolist()


def theme_papers(assignments: pd.DataFrame, papers: pd.DataFrame, n: int = 3) -> pd.DataFrame:
    """Each theme's ``n`` example papers: those with an abstract first, by ``weight``.

    A paper known by its title alone has few words, often all of one theme, so
    it holds a ``weight`` near 1.0 and would crowd out the papers that show
    what a theme is about.  So each theme's papers with an abstract come first,
    heaviest ``weight`` first (ties by ``id``), and papers without one fill in
    only for a theme with fewer than ``n`` papers with an abstract.  Papers of
    no theme (topic 0) are left out.

    Parameters
    ----------
    assignments : DataFrame
        The assignments :func:`discover_topics` returns for ``papers``.
    papers : DataFrame
        The papers it was given, in the same order (``abstract``).
    n : int
        The most examples per theme.

    Returns
    -------
    DataFrame
        ``topic``, ``id``, ``weight``, ``has_abstract`` (False for a paper
        whose abstract is missing or blank), by theme; the index is that of
        ``assignments``, so ``papers.iloc[examples.index]`` are the examples'
        records.

    Examples
    --------
    >>> papers = pd.DataFrame({"id": list("abcde"), "title": ["sparse attention", "sparse attention kernels",
    ...     "prompt adapters", "prompt tuning", "prompt adapters tuning"],
    ...     "abstract": [None, "Sparse attention with kernels, and prompt tuning.", None, "Adapters and prompts.", ""]})
    >>> themes, assignments = lr.discover_topics(papers, 2, n_terms=2, min_df=1)
    >>> [round(float(w), 3) for w in assignments["weight"]]  # a and c: a title alone, all of it one theme's
    [1.0, 0.878, 1.0, 1.0, 0.981]
    >>> lr.theme_papers(assignments, papers, n=2)[["topic", "id", "has_abstract"]].values.tolist()
    [[1, 'd', True], [1, 'c', False], [2, 'b', True], [2, 'a', False]]
    """
    check_frame(assignments, "assignments", ("id", "topic", "weight"), "pass what lr.discover_topics returns")
    check_frame(papers, "papers", ("id", "abstract"), "pass the papers given to lr.discover_topics")
    check_int(n, "n", 1)
    if len(assignments) != len(papers) or not np.array_equal(assignments["id"].to_numpy(), papers["id"].to_numpy()):
        raise ValueError("assignments and papers differ: pass the papers given to lr.discover_topics, in its order")
    text = papers["abstract"].astype("string").str.strip()
    ranked = assignments.assign(has_abstract=(text.notna() & text.ne("")).to_numpy(dtype=bool))
    ranked = ranked[ranked["topic"] > 0].sort_values(
        ["topic", "has_abstract", "weight", "id"], ascending=[True, False, False, True], kind="stable")
    return ranked.groupby("topic", sort=False).head(n)[EXAMPLE_COLUMNS]
