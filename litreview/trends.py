"""Topic sizes and timelines."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from .distributed import is_dask
from .tagging import topic_table


def topic_counts(tagged: pd.DataFrame, topics: list[str] | None = None) -> pd.DataFrame:
    """Papers per topic and their share of the corpus, largest first.

    ``tagged`` may be a Dask DataFrame (see :mod:`litreview.distributed`):
    the counts are made per partition and summed, with the same result.
    """
    if is_dask(tagged):
        from . import distributed

        return distributed.topic_counts(tagged, topics)
    return counts_table(topic_table(tagged)["topic"].value_counts(), len(tagged), topics)


def counts_table(counts: pd.Series, n_papers: int, topics: list[str] | None = None) -> pd.DataFrame:
    """Papers per topic (a Series indexed by topic) as :func:`topic_counts`' table."""
    if topics is not None:
        counts = counts.reindex(topics, fill_value=0)
    table = counts.rename_axis("topic").reset_index(name="papers")
    table["share"] = (table["papers"] / max(n_papers, 1)).round(3)
    return table.sort_values(["papers", "topic"], ascending=[False, True]).reset_index(drop=True)


def topic_timeline(
    tagged: pd.DataFrame, topics: list[str] | None = None, start: int | None = None, end: int | None = None
) -> pd.DataFrame:
    """Papers per topic per year, with each topic's share of that year's papers.

    Every year from the first to the last dated paper appears for every topic
    (with 0 papers where it had none), so gaps are visible.  Papers without a
    year are left out (:func:`undated` counts them); ``start``/``end`` bound
    the years, inclusive.
    """
    dated = _window(tagged, start, end)
    long = topic_table(dated).merge(dated[["id", "year"]], on="id")
    topics = list(topics) if topics is not None else sorted(long["topic"].unique())
    if dated.empty:
        return pd.DataFrame(columns=["topic", "year", "papers", "share"])
    years = range(int(dated["year"].min()), int(dated["year"].max()) + 1)
    grid = pd.MultiIndex.from_product([topics, years], names=["topic", "year"])
    counts = long.groupby(["topic", "year"]).size().reindex(grid, fill_value=0).rename("papers").reset_index()
    per_year = dated.groupby("year").size().reindex(years, fill_value=0)
    share = counts["papers"] / counts["year"].map(per_year).replace(0, float("nan"))
    counts["share"] = share.fillna(0.0).round(3)
    counts["year"] = counts["year"].astype(int)
    return counts.sort_values(["topic", "year"]).reset_index(drop=True)


def undated(tagged: pd.DataFrame) -> int:
    return int(tagged["year"].isna().sum())


def _window(papers: pd.DataFrame, start: int | None, end: int | None) -> pd.DataFrame:
    dated = papers[papers["year"].notna()]
    if start is not None:
        dated = dated[dated["year"] >= start]
    if end is not None:
        dated = dated[dated["year"] <= end]
    return dated


def plot_topic_counts(counts: pd.DataFrame, title: str = "Papers per topic") -> Figure:
    """Horizontal bars of :func:`topic_counts`."""
    fig = Figure(figsize=(6, 0.3 * len(counts) + 1.2))
    ax = fig.subplots()
    ordered = counts.iloc[::-1]
    ax.barh(ordered["topic"], ordered["papers"], color="#4c72b0")
    ax.set_xlabel("papers (count)")
    ax.set_title(title)
    fig.tight_layout()
    return fig


def plot_timeline(timeline: pd.DataFrame, title: str = "Papers per year") -> Figure:
    """Papers per year, one line per topic in ``timeline``."""
    fig = Figure(figsize=(6, 3.2))
    ax = fig.subplots()
    for topic, rows in timeline.groupby("topic"):
        ax.plot(rows["year"], rows["papers"], marker="o", label=topic)
    ax.set_xlabel("year")
    ax.set_ylabel("papers (count)")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(title)
    if len(timeline):
        years = range(int(timeline["year"].min()), int(timeline["year"].max()) + 1)
        ax.set_xticks(list(years))
        ax.legend(fontsize="small", frameon=False)
    fig.tight_layout()
    return fig
