"""How often topics, and terms, share papers: tables, a heatmap and a network.

Counts come from a sparse paper-by-item indicator matrix ``X`` (1 where the
paper has the topic or term): ``X.T @ X`` holds every pair's shared papers at
once and its diagonal each item's papers, so nothing loops over papers or over
pairs of papers.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from scipy import sparse

from litreview.tagging.tagger import topic_table

TERM_PAIR_COLUMNS = ["term_a", "term_b", "papers", "jaccard"]
TERM_COLUMNS = ["term", "papers"]


def topic_cooccurrence(tagged: pd.DataFrame, topics: list[str] | None = None, *, lift: bool = False) -> pd.DataFrame:
    """One row per topic pair: shared ``papers`` and their Jaccard index.

    Pairs are unordered (``topic_a`` < ``topic_b`` in ``topics`` order) and
    pairs sharing no paper are left out; rows are sorted by ``papers``, most
    first, then by ``topic_a`` and ``topic_b``.

    With ``lift=True`` a ``lift`` column follows: shared papers over those
    expected if the two topics were independent,
    ``papers * N / (papers_a * papers_b)`` with ``N`` the rows of ``tagged``;
    above 1 the topics meet more often than chance, below 1 less often.
    """
    long = topic_table(tagged)
    topics = topics or sorted(long["topic"].unique())
    unique = list(dict.fromkeys(topics))
    matrix = _cooccurrence_counts(long, unique)
    position = {t: i for i, t in enumerate(unique)}
    index = np.array([position[t] for t in topics], dtype=np.int64)
    first, second = np.triu_indices(len(topics), k=1)
    a, b = index[first], index[second]
    shared = matrix[a, b]
    keep = shared > 0
    a, b, first, second, shared = a[keep], b[keep], first[keep], second[keep], shared[keep]
    size_a, size_b = matrix[a, a], matrix[b, b]
    table = pd.DataFrame(
        {
            "topic_a": [topics[i] for i in first],
            "topic_b": [topics[i] for i in second],
            "papers": shared.astype(np.int64),
            # Python's round on each value, as the table always had: exact decimal rounding
            "jaccard": [round(int(s) / int(u), 3) for s, u in zip(shared, size_a + size_b - shared)],
        }
    )
    if lift:
        n = len(tagged)
        table["lift"] = [round(int(s) * n / (int(x) * int(y)), 3) for s, x, y in zip(shared, size_a, size_b)]
    return table.sort_values(["papers", "topic_a", "topic_b"], ascending=[False, True, True]).reset_index(drop=True)


def _cooccurrence_counts(long: pd.DataFrame, topics: list[str]) -> np.ndarray:
    """``X.T @ X`` for the paper-by-topic indicator of ``long`` (one row per paper and topic)."""
    long = long[long["topic"].isin(topics)]
    rows, _ = pd.factorize(long["id"])
    cols = pd.Index(topics).get_indexer(long["topic"])
    indicator = _indicator(rows, cols, (int(rows.max()) + 1 if len(rows) else 0, len(topics)))
    return np.asarray((indicator.T @ indicator).toarray(), dtype=np.int64)


def _indicator(rows: np.ndarray, cols: np.ndarray, shape: tuple[int, int]) -> sparse.csr_matrix:
    """Sparse 0/1 matrix with a 1 at each (row, col); repeated pairs count once."""
    matrix = sparse.csr_matrix((np.ones(len(rows), dtype=np.int64), (rows, cols)), shape=shape)
    matrix.sum_duplicates()
    matrix.data[:] = 1
    return matrix


def neighbours(tagged: pd.DataFrame, topic: str) -> pd.DataFrame:
    """Topics sharing papers with ``topic``: ``neighbour``, ``papers``, ``jaccard``."""
    pairs = topic_cooccurrence(tagged)
    a = pairs[pairs["topic_a"] == topic].rename(columns={"topic_b": "neighbour"})
    b = pairs[pairs["topic_b"] == topic].rename(columns={"topic_a": "neighbour"})
    table = pd.concat([a, b])[["neighbour", "papers", "jaccard"]]
    return table.sort_values(["papers", "neighbour"], ascending=[False, True]).reset_index(drop=True)


def cooccurrence_matrix(tagged: pd.DataFrame, topics: list[str]) -> pd.DataFrame:
    """Square table of shared papers; the diagonal is each topic's size."""
    long = topic_table(tagged)
    indicator = pd.crosstab(long["id"], long["topic"]).reindex(columns=topics, fill_value=0)
    matrix = indicator.T @ indicator
    return matrix.loc[topics, topics]


def plot_cooccurrence(matrix: pd.DataFrame, title: str = "Papers shared by topics") -> Figure:
    """Heatmap of :func:`cooccurrence_matrix`, counts written in the cells."""
    n = len(matrix)
    fig = Figure(figsize=(0.38 * n + 2.2, 0.38 * n + 1.6))
    ax = fig.subplots()
    values = matrix.to_numpy()
    image = ax.imshow(values, cmap="Blues")
    ax.set_xticks(np.arange(n), matrix.columns, rotation=90, fontsize="small")
    ax.set_yticks(np.arange(n), matrix.index, fontsize="small")
    for i in range(n):
        for j in range(n):
            if values[i, j]:
                color = "white" if values[i, j] > values.max() / 2 else "black"
                ax.text(j, i, int(values[i, j]), ha="center", va="center", fontsize=7, color=color)
    fig.colorbar(image, ax=ax, label="papers (count)", shrink=0.8)
    ax.set_title(title)
    fig.tight_layout()
    return fig


def plot_cooccurrence_network(
    pairs: pd.DataFrame,
    sizes: pd.DataFrame | pd.Series | Mapping[str, int] | None = None,
    min_papers: int = 1,
    *,
    weight: str = "papers",
    title: str = "Papers shared by topics",
) -> Figure:
    """Network of :func:`topic_cooccurrence` (or :func:`term_cooccurrence`): items on a circle, linked.

    An edge joins two items sharing at least ``min_papers`` papers; its width
    grows with ``weight`` (a column of ``pairs``: ``papers``, ``jaccard`` or
    ``lift``).  ``sizes`` gives each item's papers (:func:`litreview.topic_counts`'
    table, :func:`term_occurrences`' table, or a Series or dict by item) and
    sets the node areas; its items with papers are drawn even without an edge.
    Nodes sit on a circle, largest first, clockwise from the top (ties by
    name), so the same table always gives the same figure.
    """
    item_a, item_b = item_columns(pairs)
    item = item_a[: -len("_a")]
    if weight not in pairs.columns or weight in (item_a, item_b):
        choices = [c for c in pairs.columns if c not in (item_a, item_b)]
        raise ValueError(f"weight must be a column of pairs: one of {choices}, got {weight!r}")
    edges = pairs[pairs["papers"] >= min_papers]
    linked = pd.concat([edges[item_a], edges[item_b]]).astype(str)
    if sizes is None:
        # no sizes: order by papers shared with others, then name; every node the same area
        strength = pd.concat([edges.set_index(item_a)["papers"], edges.set_index(item_b)["papers"]])
        size = strength.groupby(level=0).sum().rename(index=str)
    else:
        size = papers_per_item(sizes, item)
        unknown = sorted(set(linked) - set(size.index))
        if unknown:
            raise ValueError(f"sizes has no papers for {unknown}; pass sizes covering every {item} in pairs")
        size = size[(size > 0) | size.index.isin(linked)]
    order = sorted(size.index, key=lambda name: (-size[name], name))
    xy = pd.DataFrame(circle_layout(len(order)), columns=["x", "y"], index=order)

    fig = Figure(figsize=(6, 5))
    ax = fig.subplots()
    ax.set_title(title)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_xlim(-1.6, 1.6)
    ax.set_ylim(-1.3, 1.3)
    if not order:
        ax.text(0, 0, f"no {item}s share {min_papers} or more papers", ha="center", va="center")
        return fig
    if len(edges):
        values = edges[weight].to_numpy(dtype=float)
        widths = 0.5 + 5.5 * values / values.max() if values.max() > 0 else np.full(len(values), 0.5)
        start = xy.loc[edges[item_a].astype(str)].to_numpy()
        stop = xy.loc[edges[item_b].astype(str)].to_numpy()
        ax.add_collection(LineCollection(np.stack([start, stop], axis=1), linewidths=widths, colors="#8c8c8c",
                                         alpha=0.7, zorder=1))
    if sizes is None:
        areas = np.full(len(order), 120.0)
    else:
        values = size[order].to_numpy(dtype=float)
        areas = 40 + 560 * values / values.max() if values.max() > 0 else np.full(len(order), 40.0)
    ax.scatter(xy["x"], xy["y"], s=areas, color="#4c72b0", zorder=2)
    for name, (x, y) in xy.iterrows():
        ha = "center" if abs(x) < 0.1 else "left" if x > 0 else "right"
        ax.text(1.12 * x, 1.12 * y, name, ha=ha, va="center", fontsize="small")
    fig.tight_layout()
    return fig


def circle_layout(n: int) -> np.ndarray:
    """``n`` points on the unit circle, the first at the top, then clockwise: a
    network layout that depends on the order alone, so a figure never changes by chance."""
    angle = np.pi / 2 - 2 * np.pi * np.arange(n) / max(n, 1)
    return np.column_stack([np.cos(angle), np.sin(angle)])


def item_columns(pairs: pd.DataFrame) -> tuple[str, str]:
    """The two item columns of a pairs table from :func:`topic_cooccurrence` or :func:`term_cooccurrence`."""
    if not isinstance(pairs, pd.DataFrame):
        raise TypeError(f"expected a pairs DataFrame, got {type(pairs).__name__}")
    for a, b in (("topic_a", "topic_b"), ("term_a", "term_b")):
        if a in pairs.columns and b in pairs.columns and "papers" in pairs.columns:
            return a, b
    raise ValueError(
        "pairs needs columns topic_a, topic_b, papers (lr.topic_cooccurrence) or term_a, term_b, papers "
        f"(lr.term_cooccurrence); it has {list(pairs.columns)}"
    )


def papers_per_item(sizes, item: str, what: str = "sizes") -> pd.Series:
    """Papers per item from a counts table (``item``, ``papers``), a Series or a dict;
    ``what`` names the argument in error messages."""
    if isinstance(sizes, pd.DataFrame):
        if item not in sizes.columns or "papers" not in sizes.columns:
            raise ValueError(f"{what} needs columns {item!r} and 'papers'; it has {list(sizes.columns)}")
        series = sizes.set_index(item)["papers"]
    elif isinstance(sizes, pd.Series):
        series = sizes
    elif isinstance(sizes, Mapping):
        series = pd.Series(dict(sizes), dtype="object")
    else:
        raise TypeError(f"{what} must be a DataFrame, Series or dict of papers per {item}, got {type(sizes).__name__}")
    series = series.rename(index=str)
    if series.index.has_duplicates:
        raise ValueError(f"{what} names {sorted(set(series.index[series.index.duplicated()]))} twice")
    values = pd.to_numeric(series, errors="coerce")
    bad = values.isna() | (values < 0)
    if bad.any():
        raise ValueError(f"{what} must be numbers of papers, 0 or more; {series[bad].head(5).to_dict()}")
    return values.astype(float)


def term_occurrences(
    papers: pd.DataFrame, n_terms: int = 50, min_df: int = 2, ngram_range: tuple[int, int] = (1, 2),
    stop_words=(),
) -> pd.DataFrame:
    """The ``n_terms`` most frequent terms and the papers each occurs in: ``term``, ``papers``.

    Terms are the words and phrases of :func:`litreview.analysis.terms.phrase_analyzer`
    in each paper's title and abstract (:func:`litreview.analysis.text.paper_text`),
    stop words out (``stop_words`` adds to them), kept when in at least ``min_df`` papers; most papers
    first, ties alphabetical.  These are the nodes of :func:`term_cooccurrence`.
    """
    _, terms, counts = _term_indicator(papers, n_terms, min_df, ngram_range, stop_words)
    table = pd.DataFrame({"term": terms, "papers": counts.astype(np.int64)}, columns=TERM_COLUMNS)
    return table.sort_values(["papers", "term"], ascending=[False, True]).reset_index(drop=True)


def term_cooccurrence(
    papers: pd.DataFrame, n_terms: int = 50, min_df: int = 2, ngram_range: tuple[int, int] = (1, 2),
    stop_words=(),
) -> pd.DataFrame:
    """Pairs of the top terms found in the same papers: ``term_a``, ``term_b``, ``papers``, ``jaccard``.

    The terms are those of :func:`term_occurrences` (same arguments).  A pair
    is unordered (``term_a`` < ``term_b`` alphabetically) and kept when the
    terms share at least one paper; ``jaccard`` is shared papers over papers
    with either.  A phrase and a word or phrase inside it ("low rank" and
    "rank") are not a pair: they meet because they are the same words.  Rows
    are sorted by ``papers``, most first, then by ``term_a`` and ``term_b``.
    """
    indicator, terms, counts = _term_indicator(papers, n_terms, min_df, ngram_range, stop_words)
    if not len(terms):
        return pd.DataFrame(columns=TERM_PAIR_COLUMNS)
    order = np.argsort(terms, kind="stable")  # alphabetical columns, so row < column means term_a < term_b
    indicator, terms, counts = indicator[:, order], terms[order], counts[order]
    shared = sparse.triu(indicator.T @ indicator, k=1).tocoo()
    a, b, together = shared.row, shared.col, shared.data.astype(np.int64)
    table = pd.DataFrame(
        {
            "term_a": terms[a],
            "term_b": terms[b],
            "papers": together,
            "jaccard": np.round(together / (counts[a] + counts[b] - together), 3),
        },
        columns=TERM_PAIR_COLUMNS,
    )
    nested = _nested_pairs(terms)
    if nested:
        table = table[~pd.MultiIndex.from_frame(table[["term_a", "term_b"]]).isin(nested)]
    return table.sort_values(["papers", "term_a", "term_b"], ascending=[False, True, True]).reset_index(drop=True)


def _term_indicator(papers: pd.DataFrame, n_terms: int, min_df: int, ngram_range: tuple[int, int], stop_words=()):
    """Sparse paper-by-term 0/1 matrix of the top ``n_terms`` terms, the terms, and their paper counts."""
    from sklearn.feature_extraction.text import CountVectorizer

    from litreview.analysis.terms import phrase_analyzer
    from litreview.analysis.text import paper_text

    if not isinstance(papers, pd.DataFrame):
        raise TypeError(f"expected a papers DataFrame, got {type(papers).__name__}")
    missing = [c for c in ("title", "abstract") if c not in papers.columns]
    if missing:
        raise ValueError(f"papers table lacks column(s) {missing}; load it with litreview.load()")
    for name, value in (("n_terms", n_terms), ("min_df", min_df)):
        if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value < 1:
            raise ValueError(f"{name} must be a whole number, 1 or more, got {value!r}")
    if (
        not isinstance(ngram_range, tuple)
        or len(ngram_range) != 2
        or not all(isinstance(n, int) and not isinstance(n, bool) for n in ngram_range)
        or not 1 <= ngram_range[0] <= ngram_range[1]
    ):
        raise ValueError(f"ngram_range must be (low, high) with 1 <= low <= high, such as (1, 2); got {ngram_range!r}")
    vectorizer = CountVectorizer(analyzer=phrase_analyzer(ngram_range, stop_words), binary=True, dtype=np.int64)
    try:
        indicator = vectorizer.fit_transform(paper_text(papers)).tocsc()
    except ValueError as error:
        if "empty vocabulary" not in str(error):
            raise
        # no paper has a word that is not a stop word: no terms
        empty = sparse.csc_matrix((len(papers), 0), dtype=np.int64)
        return empty, np.array([], dtype=object), np.array([], dtype=np.int64)
    terms = vectorizer.get_feature_names_out().astype(object)
    counts = np.asarray(indicator.sum(axis=0)).ravel()
    frequent = np.flatnonzero(counts >= min_df)
    top = frequent[np.lexsort((terms[frequent], -counts[frequent]))][:n_terms]
    return indicator[:, top], terms[top], counts[top]


def _nested_pairs(terms: np.ndarray) -> set[tuple[str, str]]:
    """(term_a, term_b), alphabetical, for each phrase and a shorter term made of its adjacent words."""
    known = set(terms)
    pairs = set()
    for term in terms:
        words = term.split(" ")
        for n in range(1, len(words)):
            for i in range(len(words) - n + 1):
                part = " ".join(words[i : i + n])
                if part in known:
                    pairs.add(tuple(sorted((term, part))))
    return pairs
