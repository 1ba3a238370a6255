"""Topics found in the text itself: NMF on TF-IDF, seeded so a run is repeatable.

Non-negative matrix factorisation splits the sparse paper-by-term TF-IDF
matrix into ``n_topics`` themes; each theme is named by its top terms, and
each paper goes to the theme that weighs most in it.  The same corpus, number
of topics and seed always give the same themes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from litreview.analysis.similarity import tfidf
from litreview.validation import check_frame, check_int

TOPIC_COLUMNS = ["topic", "terms", "papers"]
ASSIGNMENT_COLUMNS = ["id", "topic", "weight"]


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
        The NMF seed: the same papers, ``n_topics`` and seed give the same topics.
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
        heaviest terms, ``papers`` how many papers it is the main topic of);
        ``assignments`` has one row per paper (``id``, ``topic``, ``weight``,
        the topic's share of the paper's NMF weights; 0 and topic 0 when the
        paper has no vocabulary left after ``min_df``).  No papers give two
        empty tables with these columns.

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
    model = NMF(n_components=n_topics, init="nndsvda", random_state=seed, max_iter=400, tol=1e-4)
    weights = model.fit_transform(matrix)
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
            (number[c], ", ".join(names[np.argsort(-model.components_[c], kind="stable")[:n_terms]]), int(sizes[c]))
            for c in order
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
