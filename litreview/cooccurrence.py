"""How often topics share papers."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from .tagging import topic_table


def topic_cooccurrence(tagged: pd.DataFrame, topics: list[str] | None = None) -> pd.DataFrame:
    """One row per topic pair: shared ``papers`` and their Jaccard index.

    Pairs are unordered (``topic_a`` < ``topic_b`` in ``topics`` order) and
    pairs sharing no paper are left out.
    """
    long = topic_table(tagged)
    topics = topics or sorted(long["topic"].unique())
    members = {t: set(long.loc[long["topic"] == t, "id"]) for t in topics}
    rows = []
    for i, a in enumerate(topics):
        for b in topics[i + 1 :]:
            shared = len(members[a] & members[b])
            if shared:
                union = len(members[a] | members[b])
                rows.append((a, b, shared, round(shared / union, 3)))
    table = pd.DataFrame(rows, columns=["topic_a", "topic_b", "papers", "jaccard"])
    return table.sort_values(["papers", "topic_a", "topic_b"], ascending=[False, True, True]).reset_index(drop=True)


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
