"""Discovered topics against the taxonomy: what the text finds that the rules do not, and the reverse.

:func:`litreview.analysis.discovery.discover_topics` groups papers by their words
alone; the taxonomy groups them by hand-written rules.  Laid side by side
(:func:`compare_with_taxonomy`), the two show where the taxonomy may be
missing a theme, lumping two themes, or splitting one (:func:`discovery_summary`).

Only papers in both tables are compared.  A paper the discovery left without
a topic (topic ``0``: no words left after ``min_df``) counts towards its
taxonomy topics' sizes but belongs to no discovered topic; an untagged paper
counts towards its discovered topic's size only.  The counts come from one
group-by over the (paper, taxonomy topic) pairs: each paper has a single
discovered topic, so no pair of papers is ever compared.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from litreview.deprecation import MISSING, deprecated_alias, renamed_keyword
from litreview.figures import axes_for, figure_of, finish
from litreview.tagging.tagger import topic_table
from litreview.validation import check_fraction, check_frame, check_int, check_topics

COMPARE_COLUMNS = [
    "discovered",
    "topic",
    "papers",
    "jaccard",
    "share_of_discovered",
    "share_of_topic",
    "discovered_papers",
    "topic_papers",
]
SUMMARY_COLUMNS = ["finding", *COMPARE_COLUMNS, "terms"]
FINDINGS = ("uncovered", "split", "merge")


def compare_with_taxonomy(
    assignments: pd.DataFrame,
    tagged: pd.DataFrame,
    min_overlap: int = 1,
    topics: list[str] | None = None,
    *,
    slugs=MISSING,
) -> pd.DataFrame:
    """Every discovered topic against every taxonomy topic.

    Only papers in both tables are compared.  An empty ``assignments`` or
    ``tagged`` gives an empty table with the columns below.

    Parameters
    ----------
    assignments : DataFrame
        The second table of :func:`~litreview.analysis.discovery.discover_topics` (``id``, ``topic``).
    tagged : DataFrame
        A table with ``id`` and ``topics`` (:func:`litreview.tag`).
    min_overlap : int
        The fewest shared papers a row needs; ``0`` gives the full grid.
    topics : list of str, optional
        The taxonomy topics to list (e.g. ``taxonomy.slugs``), by default those in ``tagged``.
    slugs : list of str
        Deprecated name of ``topics``.

    Returns
    -------
    DataFrame
        One row per (discovered topic, taxonomy topic): ``discovered`` (the
        discovered topic's number), ``topic`` (the taxonomy slug), ``papers``
        (shared), ``jaccard`` (shared / either), ``share_of_discovered``
        (shared / the discovered topic's papers), ``share_of_topic`` (shared /
        the taxonomy topic's papers), ``discovered_papers`` and
        ``topic_papers``.  Sorted by discovered topic, then best match first
        (Jaccard, then shared papers, then slug).

    Examples
    --------
    >>> assignments = pd.DataFrame({"id": ["a", "b", "c"], "topic": [1, 1, 2]})
    >>> tagged = pd.DataFrame({"id": ["a", "b", "c"], "topics": [["peft"], ["peft", "agents"], ["agents"]]})
    >>> lr.compare_with_taxonomy(assignments, tagged)[["discovered", "topic", "papers", "jaccard"]].values.tolist()
    [[1, 'peft', 2, 1.0], [1, 'agents', 1, 0.333], [2, 'agents', 1, 0.5]]
    """
    topics = renamed_keyword("compare_with_taxonomy", "slugs", "topics", slugs, topics, None)
    check_int(min_overlap, "min_overlap", 0)
    grid = _grid(assignments, tagged, topics)
    return grid[grid["papers"] >= min_overlap].reset_index(drop=True)


def discovery_summary(
    assignments: pd.DataFrame,
    tagged: pd.DataFrame,
    discovered_topics: pd.DataFrame | None = None,
    *,
    cover: float = 0.2,
    split_share: float = 0.3,
    merge_share: float = 0.5,
    min_papers: int = 3,
    topics: list[str] | None = None,
    slugs=MISSING,
    within: float = 0.5,
) -> pd.DataFrame:
    """Where discovered topics and the taxonomy disagree, as the rows of
    :func:`compare_with_taxonomy` that show it, with a ``finding`` column:

    ``uncovered``
        A discovered topic of at least ``min_papers`` papers whose best
        Jaccard with any taxonomy topic is below ``cover`` (default 0.2), and
        no taxonomy topic holds more than ``within`` (default 0.5: most) of
        its papers: a theme the taxonomy may lack.  Its row is the best match
        (``topic`` ``None`` when it shares no paper with any).  A discovered
        topic that is a small part of a large taxonomy topic has a low Jaccard
        too, but lies within that topic: it is no uncovered theme (it may be
        a piece of a ``split``).
    ``split``
        A taxonomy topic of which two or more discovered topics each hold at
        least ``split_share`` (default 0.3) of the papers, or lie within it
        (more than ``within`` of their own papers in it): the text sees
        several themes in it.  One row per such discovered topic; a discovered topic found
        ``uncovered`` is no such theme (the topic's papers are a small part
        of it) and is not counted.
    ``merge``
        A discovered topic holding at least ``merge_share`` (default 0.5, a
        majority) of the papers of each of two or more taxonomy topics: the
        text does not tell them apart.  One row per such taxonomy topic.
        Topics that tag the same papers (co-tags) merge by construction.

    A shared group counts for ``split`` and ``merge`` only with at least
    ``min_papers`` (default 3) papers, so a paper or two is never a share
    (with few papers per topic, shares of a quarter arise by chance).
    ``discovered_topics`` (the first table of ``discover_topics``) fills the
    ``terms`` column with each discovered topic's terms; without it ``terms``
    is empty.  Rows come in the order uncovered, split (by taxonomy topic),
    merge (by discovered topic), largest share first within a group.
    ``topics`` (``slugs``, deprecated) is as for :func:`compare_with_taxonomy`.

    Examples
    --------
    >>> assignments = pd.DataFrame({"id": list("abcdef"), "topic": [1, 1, 1, 2, 2, 2]})
    >>> tagged = pd.DataFrame({"id": list("abcdef"), "topics": [["peft"]] * 3 + [["agents"]] * 3})
    >>> lr.discovery_summary(assignments, tagged, min_papers=1).empty
    True
    """
    topics = renamed_keyword("discovery_summary", "slugs", "topics", slugs, topics, None)
    for name, value in (("cover", cover), ("split_share", split_share), ("merge_share", merge_share),
                        ("within", within)):
        check_fraction(value, name)
    check_int(min_papers, "min_papers", 1)
    grid = _grid(assignments, tagged, topics)
    parts = []

    # uncovered: each discovered topic's best match, kept when it is poor and no taxonomy topic holds the theme
    # (a theme within a large topic has a low Jaccard with it too)
    best = grid.drop_duplicates("discovered", keep="first")  # the grid is sorted best match first
    inside = grid.groupby("discovered")["share_of_discovered"].max()
    best = best[(best["discovered_papers"] >= min_papers) & (best["jaccard"] < cover)
                & (best["discovered"].map(inside) <= within)].copy()
    best.loc[best["papers"] == 0, "topic"] = None
    parts.append(best.assign(finding="uncovered"))

    # split: one taxonomy topic, several discovered topics each holding a share of it (a discovered topic the
    # taxonomy does not cover is no theme of the topic's: the topic's papers are a small part of it)
    pieces = grid[((grid["share_of_topic"] >= split_share) | (grid["share_of_discovered"] > within))
                  & (grid["papers"] >= min_papers) & ~grid["discovered"].isin(set(best["discovered"]))]
    pieces = pieces[pieces.groupby("topic")["discovered"].transform("size") >= 2]
    pieces = pieces.sort_values(["topic", "share_of_topic", "discovered"], ascending=[True, False, True])
    parts.append(pieces.assign(finding="split"))

    # merge: one discovered topic holding most of several taxonomy topics
    merged = grid[(grid["share_of_topic"] >= merge_share) & (grid["papers"] >= min_papers)]
    merged = merged[merged.groupby("discovered")["topic"].transform("size") >= 2]
    merged = merged.sort_values(["discovered", "share_of_topic", "topic"], ascending=[True, False, True])
    parts.append(merged.assign(finding="merge"))

    summary = pd.concat([p for p in parts if len(p)] or [grid.iloc[:0].assign(finding="")], ignore_index=True)
    terms = {}
    if discovered_topics is not None:
        if not {"topic", "terms"} <= set(discovered_topics.columns):
            raise ValueError("discovered_topics must be the first table discover_topics returns (topic, terms)")
        terms = dict(zip(discovered_topics["topic"], discovered_topics["terms"]))
    summary["terms"] = [terms.get(d, "") for d in summary["discovered"]]
    summary["topic"] = summary["topic"].astype(object).where(summary["topic"].notna(), None)
    return summary[SUMMARY_COLUMNS].reset_index(drop=True)


def _grid(assignments: pd.DataFrame, tagged: pd.DataFrame, slugs: list[str] | None) -> pd.DataFrame:
    """The full (discovered topic x taxonomy topic) table, sorted best match first."""
    check_frame(assignments, "assignments", ("id", "topic"), "pass the second table lr.discover_topics returns")
    check_frame(tagged, "tagged", ("id", "topics"), "pass lr.tag(papers)")
    slugs = check_topics(slugs)
    if assignments.empty or tagged.empty:
        dtypes = {"topic": object, "jaccard": float, "share_of_discovered": float, "share_of_topic": float}
        return pd.DataFrame({c: pd.Series(dtype=dtypes.get(c, "int64")) for c in COMPARE_COLUMNS})
    twice = assignments["id"][assignments["id"].duplicated()]
    if len(twice):
        raise ValueError(f"assignments has ids more than once: {sorted(set(twice))[:5]}; pass discover_topics' table")
    common = pd.Index(assignments["id"]).intersection(pd.Index(tagged["id"]))
    if not len(common):
        raise ValueError("no paper id is in both the assignments and the tagged table")
    assigned = assignments.loc[assignments["id"].isin(common), ["id", "topic"]].rename(columns={"topic": "discovered"})
    assigned = assigned[assigned["discovered"] > 0]
    every = topic_table(tagged)[["id", "topic"]]
    long = every[every["id"].isin(common)].drop_duplicates()
    known = list(slugs) if slugs is not None else sorted(set(every["topic"]))
    unknown = sorted(set(long["topic"]) - set(known))
    if unknown:
        raise ValueError(f"tagged has topics {unknown} that are not in topics; pass every slug (topics=taxonomy.slugs)")
    numbers = sorted(int(n) for n in set(assignments["topic"]) if n > 0)
    if not numbers:
        raise ValueError("assignments has no discovered topic (every paper is topic 0)")
    shared = assigned.merge(long, on="id").groupby(["discovered", "topic"]).size()
    index = pd.MultiIndex.from_product([numbers, known], names=["discovered", "topic"])
    grid = shared.reindex(index, fill_value=0).rename("papers").reset_index()
    grid["discovered_papers"] = grid["discovered"].map(assigned["discovered"].value_counts()).fillna(0).astype(int)
    grid["topic_papers"] = grid["topic"].map(long["topic"].value_counts()).fillna(0).astype(int)
    union = grid["discovered_papers"] + grid["topic_papers"] - grid["papers"]
    grid["jaccard"] = _ratio(grid["papers"], union)
    grid["share_of_discovered"] = _ratio(grid["papers"], grid["discovered_papers"])
    grid["share_of_topic"] = _ratio(grid["papers"], grid["topic_papers"])
    grid["discovered"] = grid["discovered"].astype(int)
    grid["papers"] = grid["papers"].astype(int)
    grid["topic"] = grid["topic"].astype(object)
    grid = grid.sort_values(
        ["discovered", "jaccard", "papers", "topic"], ascending=[True, False, False, True], kind="stable"
    )
    return grid[COMPARE_COLUMNS].reset_index(drop=True)


def _ratio(part: pd.Series, whole: pd.Series) -> pd.Series:
    whole = whole.to_numpy(float)
    values = np.divide(part.to_numpy(float), whole, out=np.zeros(len(part)), where=whole > 0)
    return pd.Series(np.round(values, 3), index=part.index)


def plot_compare_with_taxonomy(
    table: pd.DataFrame, title: str = "Discovered topics against the taxonomy", *, ax=None
):
    """Heatmap of :func:`compare_with_taxonomy`: Jaccard as colour, shared papers written in the cells.

    Rows are discovered topics (ascending), columns taxonomy topics (sorted
    by slug).  Pairs missing from the table (below ``min_overlap``) are blank;
    an empty table gives Axes with no image that say so.

    Parameters
    ----------
    table : DataFrame
        The table :func:`compare_with_taxonomy` returns.
    title : str
        The Axes title.
    ax : matplotlib Axes, optional
        Where to draw; a new Figure's Axes when None (the colour bar takes room beside it).

    Returns
    -------
    matplotlib.axes.Axes
        ``ax.images[0].get_array()`` holds the Jaccard grid (missing pairs 0).

    Examples
    --------
    >>> assignments = pd.DataFrame({"id": ["a", "b", "c"], "topic": [1, 1, 2]})
    >>> tagged = pd.DataFrame({"id": ["a", "b", "c"], "topics": [["peft"], ["peft"], ["agents"]]})
    >>> ax = lr.plot_compare_with_taxonomy(lr.compare_with_taxonomy(assignments, tagged))
    >>> ax.images[0].get_array().tolist(), [t.get_text() for t in ax.texts]
    ([[0.0, 1.0], [1.0, 0.0]], ['2', '1'])
    """
    check_frame(table, "table", ("discovered", "topic", "papers", "jaccard"),
                "pass the table lr.compare_with_taxonomy(assignments, tagged) returns")
    rows = sorted(table["discovered"].unique())
    columns = sorted(table["topic"].unique())
    jaccard = table.pivot(index="discovered", columns="topic", values="jaccard").reindex(index=rows, columns=columns)
    shared = table.pivot(index="discovered", columns="topic", values="papers").reindex(index=rows, columns=columns)
    created = ax is None
    ax = axes_for(ax, (max(3.5, 0.38 * len(columns) + 2.4), max(2.5, 0.34 * len(rows) + 1.7)))
    ax.set_title(title, fontsize="medium")
    if table.empty:
        ax.text(0.5, 0.5, "no pairs to draw (lower min_overlap to see more)", ha="center", va="center",
                transform=ax.transAxes)
        return finish(ax, created)
    values = jaccard.fillna(0).to_numpy(dtype=float)
    image = ax.imshow(values, cmap="Blues", vmin=0, vmax=1, aspect="auto")
    ax.set_xticks(np.arange(len(columns)), [str(c) for c in columns], rotation=90, fontsize="small")
    ax.set_yticks(np.arange(len(rows)), [str(r) for r in rows], fontsize="small")
    ax.set_xlabel("taxonomy topic")
    ax.set_ylabel("discovered topic")
    counts = shared.fillna(0).to_numpy()
    for i in range(len(rows)):
        for j in range(len(columns)):
            if counts[i, j] > 0:
                color = "white" if values[i, j] > 0.5 else "black"
                ax.text(j, i, int(counts[i, j]), ha="center", va="center", fontsize=7, color=color)
    ax.figure.colorbar(image, ax=ax, label="Jaccard", shrink=0.8)
    return finish(ax, created)


plot_discovery_overlap = deprecated_alias("plot_discovery_overlap", plot_compare_with_taxonomy, adapt=figure_of)
