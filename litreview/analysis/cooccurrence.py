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
from scipy import sparse

from litreview.deprecation import MISSING, deprecated_alias, renamed_keyword
from litreview.figures import axes_for, figure_of, finish
from litreview.tagging.tagger import topic_table
from litreview.validation import check_frame, check_int, check_topics, known_topics

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

    Examples
    --------
    >>> lr.topic_cooccurrence(tagged, ["peft", "efficiency", "architecture"]).values.tolist()
    [['efficiency', 'architecture', 4, 0.25], ['peft', 'efficiency', 3, 0.176]]
    """
    check_frame(tagged, "tagged", ("id", "topics"), "pass lr.tag(papers)")
    topics = check_topics(topics, known=known_topics(tagged))
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
    """Topics sharing papers with ``topic``: ``neighbour``, ``papers``, ``jaccard``.

    Examples
    --------
    >>> tagged = pd.DataFrame({"id": ["a", "b", "c"], "topics": [["peft", "agents"], ["peft", "rag"], ["rag"]]})
    >>> lr.neighbours(tagged, "peft").values.tolist()
    [['agents', 1, 0.5], ['rag', 1, 0.333]]
    """
    if not isinstance(topic, str):
        raise TypeError(f"topic must be a topic slug (a string), got {type(topic).__name__}")
    pairs = topic_cooccurrence(tagged)
    a = pairs[pairs["topic_a"] == topic].rename(columns={"topic_b": "neighbour"})
    b = pairs[pairs["topic_b"] == topic].rename(columns={"topic_a": "neighbour"})
    table = pd.concat([a, b])[["neighbour", "papers", "jaccard"]]
    return table.sort_values(["papers", "neighbour"], ascending=[False, True]).reset_index(drop=True)


def cooccurrence_matrix(tagged: pd.DataFrame, topics: list[str]) -> pd.DataFrame:
    """Square table of shared papers; the diagonal is each topic's size.

    Examples
    --------
    >>> tagged = pd.DataFrame({"id": ["a", "b", "c"], "topics": [["peft", "agents"], ["peft"], []]})
    >>> lr.cooccurrence_matrix(tagged, ["peft", "agents"]).values.tolist()
    [[2, 1], [1, 1]]
    """
    check_frame(tagged, "tagged", ("id", "topics"), "pass lr.tag(papers)")
    topics = check_topics(topics, "topics", known_topics(tagged))
    if topics is None:
        raise TypeError("topics must be a list of topic slugs, such as taxonomy.slugs; got None")
    long = topic_table(tagged)
    indicator = pd.crosstab(long["id"], long["topic"]).reindex(columns=topics, fill_value=0)
    matrix = indicator.T @ indicator
    return matrix.loc[topics, topics]


def plot_cooccurrence_matrix(matrix: pd.DataFrame, title: str = "Papers shared by topics", *, ax=None):
    """Heatmap of :func:`cooccurrence_matrix`, counts written in the cells, with a colour bar.

    Parameters
    ----------
    matrix : DataFrame
        The square table :func:`cooccurrence_matrix` returns.
    title : str
        The Axes title.
    ax : matplotlib Axes, optional
        Where to draw; a new Figure's Axes when None (the colour bar takes room beside it).

    Returns
    -------
    matplotlib.axes.Axes
        The heatmap: ``ax.images[0].get_array()`` holds ``matrix``; tick labels name the topics.

    Examples
    --------
    >>> ax = lr.plot_cooccurrence_matrix(lr.cooccurrence_matrix(tagged, ["peft", "efficiency"]))
    >>> ax.images[0].get_array().tolist(), [t.get_text() for t in ax.get_xticklabels()]
    ([[9, 3], [3, 11]], ['peft', 'efficiency'])
    """
    check_frame(matrix, "matrix", (), "pass the table lr.cooccurrence_matrix(tagged, topics) returns")
    if list(matrix.index) != list(matrix.columns):
        raise ValueError("matrix must be square with the same topics as rows and columns; "
                         "pass the table lr.cooccurrence_matrix(tagged, topics) returns")
    n = len(matrix)
    created = ax is None
    ax = axes_for(ax, (0.38 * n + 2.2, 0.38 * n + 1.6))
    values = matrix.to_numpy()
    image = ax.imshow(values if n else np.zeros((0, 0)), cmap="Blues")
    ax.set_xticks(np.arange(n), [str(c) for c in matrix.columns], rotation=90, fontsize="small")
    ax.set_yticks(np.arange(n), [str(i) for i in matrix.index], fontsize="small")
    top = values.max() if n else 0
    for i in range(n):
        for j in range(n):
            if values[i, j]:
                color = "white" if values[i, j] > top / 2 else "black"
                ax.text(j, i, int(values[i, j]), ha="center", va="center", fontsize=7, color=color)
    ax.figure.colorbar(image, ax=ax, label="papers (count)", shrink=0.8)
    ax.set_title(title)
    return finish(ax, created)


def plot_cooccurrence_network(
    pairs: pd.DataFrame,
    sizes: pd.DataFrame | pd.Series | Mapping[str, int] | None = None,
    min_papers: int = 1,
    *,
    weight: str = "papers",
    max_links: int | None = None,
    title: str = "Papers shared by topics",
    ax=None,
):
    """Network of :func:`topic_cooccurrence` (or :func:`term_cooccurrence`): items on a circle, linked.

    An edge joins two items sharing at least ``min_papers`` papers; its width
    grows with ``weight``.  Nodes sit on a circle, largest first, clockwise
    from the top (ties by name), so the same table always gives the same figure.

    Parameters
    ----------
    pairs : DataFrame
        :func:`topic_cooccurrence`'s or :func:`term_cooccurrence`'s table.
    sizes : DataFrame, Series or dict, optional
        Each item's papers (:func:`litreview.topic_counts`' table,
        :func:`term_occurrences`' table, or a Series or dict by item); sets the
        node areas, and its items with papers are drawn even without an edge.
        Without it every node has the same area and only linked items are drawn.
    min_papers : int
        The fewest shared papers an edge needs.
    weight : str
        The column of ``pairs`` that sets edge widths: ``papers``, ``jaccard`` or ``lift``.
    max_links : int, optional
        Draw only each item's ``max_links`` strongest edges by ``weight`` (:func:`strongest_links`): frequent
        terms all share papers, and every edge drawn is a disc of grey.  None: every edge.
    title : str
        The Axes title.
    ax : matplotlib Axes, optional
        Where to draw; a new Figure's Axes when None.

    Returns
    -------
    matplotlib.axes.Axes
        Nodes in ``ax.collections[-1]`` (a scatter; ``get_offsets()`` their
        positions), edges in a LineCollection before it, one text per node.

    Examples
    --------
    >>> pairs = lr.topic_cooccurrence(tagged, ["peft", "efficiency", "agents"])
    >>> ax = lr.plot_cooccurrence_network(pairs, lr.topic_counts(tagged, ["peft", "efficiency", "agents"]))
    >>> [t.get_text() for t in ax.texts], [round(float(v), 3) for v in ax.collections[-1].get_offsets()[0]]
    (['efficiency', 'peft', 'agents'], [0.0, 1.0])
    """
    item_a, item_b = item_columns(pairs)
    item = item_a[: -len("_a")]
    if weight not in pairs.columns or weight in (item_a, item_b):
        choices = [c for c in pairs.columns if c not in (item_a, item_b)]
        raise ValueError(f"weight must be a column of pairs: one of {choices}, got {weight!r}")
    check_int(min_papers, "min_papers", 0)
    edges = pairs[pairs["papers"] >= min_papers]
    if max_links is not None:
        edges = strongest_links(edges, max_links, weight=weight)
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

    from matplotlib.collections import LineCollection

    created = ax is None
    ax = axes_for(ax, (6, 5))
    ax.set_title(title)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_xlim(-1.6, 1.6)
    ax.set_ylim(-1.3, 1.3)
    if not order:
        ax.text(0, 0, f"no {item}s share {min_papers} or more papers", ha="center", va="center")
        return ax
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
    return finish(ax, created)


plot_cooccurrence = deprecated_alias("plot_cooccurrence", plot_cooccurrence_matrix, adapt=figure_of)


def strongest_links(pairs: pd.DataFrame, per_item: int = 3, *, weight: str = "jaccard") -> pd.DataFrame:
    """The rows of ``pairs`` that are among the ``per_item`` strongest by ``weight`` of either of their items
    (ties: the other item's name, then the shared papers), in the order of ``pairs``: a network's backbone.

    Examples
    --------
    >>> pairs = pd.DataFrame({"term_a": ["a", "a", "b"], "term_b": ["b", "c", "c"], "papers": [5, 2, 2],
    ...                       "jaccard": [0.5, 0.4, 0.1]})
    >>> lr.strongest_links(pairs, 1).values.tolist()
    [['a', 'b', 5, 0.5], ['a', 'c', 2, 0.4]]
    """
    check_int(per_item, "per_item", 1)
    item_a, item_b = item_columns(pairs)
    if weight not in pairs.columns or weight in (item_a, item_b):
        raise ValueError(f"weight must be a column of pairs other than its items, got {weight!r}")
    rows = np.arange(len(pairs))
    ends = pd.DataFrame({  # each edge once from each end
        "item": np.concatenate([pairs[item_a].astype(str), pairs[item_b].astype(str)]),
        "other": np.concatenate([pairs[item_b].astype(str), pairs[item_a].astype(str)]),
        "weight": np.tile(pairs[weight].to_numpy(dtype=float), 2),
        "papers": np.tile(pairs["papers"].to_numpy(), 2) if "papers" in pairs else 0,
        "row": np.tile(rows, 2),
    })
    ends = ends.sort_values(["item", "weight", "papers", "other"], ascending=[True, False, False, True])
    kept = np.unique(ends.groupby("item", sort=False).head(per_item)["row"].to_numpy())
    return pairs.iloc[kept]


def circle_layout(n: int) -> np.ndarray:
    """``n`` points on the unit circle, the first at the top, then clockwise: a
    network layout that depends on the order alone, so a figure never changes by chance."""
    angle = np.pi / 2 - 2 * np.pi * np.arange(n) / max(n, 1)
    return np.column_stack([np.cos(angle), np.sin(angle)])


def item_columns(pairs: pd.DataFrame) -> tuple[str, str]:
    """The two item columns of a pairs table from :func:`topic_cooccurrence` or :func:`term_cooccurrence`."""
    if not isinstance(pairs, pd.DataFrame):
        raise TypeError(f"expected a pairs DataFrame, got {type(pairs).__name__}")
    for a, b, weight in _PAIR_KINDS:
        if a in pairs.columns and b in pairs.columns and weight in pairs.columns:
            return a, b
    raise ValueError(
        "pairs needs columns topic_a, topic_b, papers (lr.topic_cooccurrence), term_a, term_b, papers "
        "(lr.term_cooccurrence), work_a, work_b, papers (lr.cocitation) or paper_a, paper_b, shared_references "
        f"(lr.bibliographic_coupling); it has {list(pairs.columns)}"
    )


# the pairs tables of the package: their item columns and what they count
_PAIR_KINDS = (
    ("topic_a", "topic_b", "papers"), ("term_a", "term_b", "papers"), ("work_a", "work_b", "papers"),
    ("paper_a", "paper_b", "shared_references"),
)  # fmt: skip


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
    papers: pd.DataFrame,
    n: int = 50,
    min_df: int = 2,
    ngram_range: tuple[int, int] = (1, 2),
    *,
    n_terms=MISSING,
    stop_words=(),
) -> pd.DataFrame:
    """The ``n`` most frequent terms and the papers each occurs in: ``term``, ``papers``.

    Terms are the words and phrases of :func:`litreview.analysis.terms.phrase_analyzer`
    in each paper's title and abstract (:func:`litreview.analysis.text.paper_text`),
    stop words out (``stop_words`` adds to them), kept when in at least ``min_df`` papers; most papers
    first, ties alphabetical.  These are the nodes of :func:`term_cooccurrence`.

    Parameters
    ----------
    papers : DataFrame
        A papers table with ``title`` and ``abstract``.
    n : int
        How many terms, 1 or more.
    min_df : int
        The fewest papers a term must be in, 1 or more.
    ngram_range : (int, int)
        Words per term, lowest and highest: ``(1, 2)`` words and two-word phrases.
    n_terms : int
        Deprecated name of ``n``.

    Returns
    -------
    DataFrame
        ``term``, ``papers``; empty, with these columns, when no term is frequent enough.

    Examples
    --------
    >>> papers = pd.DataFrame({"title": ["Sparse attention", "Sparse attention kernels", "Kernels"],
    ...                        "abstract": [None, None, None]})
    >>> lr.term_occurrences(papers, n=3).values.tolist()
    [['attention', 2], ['kernels', 2], ['sparse', 2]]
    """
    n = renamed_keyword("term_occurrences", "n_terms", "n", n_terms, n, 50)
    _, terms, counts = _term_indicator(papers, n, min_df, ngram_range, stop_words)
    table = pd.DataFrame({"term": terms, "papers": counts.astype(np.int64)}, columns=TERM_COLUMNS)
    return table.sort_values(["papers", "term"], ascending=[False, True]).reset_index(drop=True)


def term_cooccurrence(
    papers: pd.DataFrame,
    n: int = 50,
    min_df: int = 2,
    ngram_range: tuple[int, int] = (1, 2),
    *,
    n_terms=MISSING,
    stop_words=(),
) -> pd.DataFrame:
    """Pairs of the top ``n`` terms found in the same papers: ``term_a``, ``term_b``, ``papers``, ``jaccard``.

    The terms are those of :func:`term_occurrences` (same arguments).  A pair
    is unordered (``term_a`` < ``term_b`` alphabetically) and kept when the
    terms share at least one paper; ``jaccard`` is shared papers over papers
    with either.  A phrase and a word or phrase inside it ("low rank" and
    "rank") are not a pair: they meet because they are the same words.  Rows
    are sorted by ``papers``, most first, then by ``term_a`` and ``term_b``.

    Parameters
    ----------
    papers, n, min_df, ngram_range, n_terms
        As for :func:`term_occurrences`: ``n`` is how many of the most frequent terms are paired.

    Returns
    -------
    DataFrame
        ``term_a``, ``term_b``, ``papers``, ``jaccard``; empty, with these columns, when no terms pair.

    Examples
    --------
    >>> papers = pd.DataFrame({"title": ["Sparse attention", "Sparse attention kernels", "Kernels"],
    ...                        "abstract": [None, None, None]})
    >>> lr.term_cooccurrence(papers, n=3).values.tolist()
    [['attention', 'sparse', 2, 1.0], ['attention', 'kernels', 1, 0.333], ['kernels', 'sparse', 1, 0.333]]
    """
    n = renamed_keyword("term_cooccurrence", "n_terms", "n", n_terms, n, 50)
    indicator, terms, counts = _term_indicator(papers, n, min_df, ngram_range, stop_words)
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
    from litreview.analysis.terms import phrase_analyzer
    from litreview.analysis.text import paper_text
    from litreview.analysis.vectorize import NoTerms, count_terms

    check_frame(papers, "papers", ("title", "abstract"), "load it with lr.load()")
    check_int(n_terms, "n", 1)
    check_int(min_df, "min_df", 1)
    if (
        not isinstance(ngram_range, tuple)
        or len(ngram_range) != 2
        or not all(isinstance(n, int) and not isinstance(n, bool) for n in ngram_range)
        or not 1 <= ngram_range[0] <= ngram_range[1]
    ):
        raise ValueError(f"ngram_range must be (low, high) with 1 <= low <= high, such as (1, 2); got {ngram_range!r}")
    try:
        indicator, terms = count_terms(paper_text(papers), phrase_analyzer(ngram_range, stop_words), binary=True)
    except NoTerms:  # no paper has a word that is not a stop word: no terms
        empty = sparse.csc_matrix((len(papers), 0), dtype=np.int64)
        return empty, np.array([], dtype=object), np.array([], dtype=np.int64)
    indicator = indicator.tocsc()
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
