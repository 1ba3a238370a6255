"""One topic's papers and the evidence behind their tags."""

from __future__ import annotations

import pandas as pd

from litreview.schema import display_titles


def has_topic(tagged: pd.DataFrame, topic: str) -> pd.Series:
    """Boolean mask of the papers tagged with ``topic``."""
    # bool even with no rows: an empty object Series would select columns, not rows
    return tagged["topics"].map(lambda topics: topic in topics).astype(bool)


def within_years(papers: pd.DataFrame, start: int | None = None, end: int | None = None) -> pd.DataFrame:
    """Papers whose year lies in ``[start, end]``; with no bounds, every paper.

    With a bound, papers without a year are left out: their place in the
    window is unknown.
    """
    if start is None and end is None:
        return papers
    keep = papers["year"].notna()
    if start is not None:
        keep &= papers["year"] >= start
    if end is not None:
        keep &= papers["year"] <= end
    return papers[keep.fillna(False).astype(bool)].reset_index(drop=True)


def evidence_summary(evidence: pd.DataFrame, topic: str) -> pd.Series:
    """Per paper id, the words that earned ``topic``: ``title: LoRA; abstract: adapters``."""
    hits = evidence[(evidence["topic"] == topic) & evidence["tagged"]]
    if hits.empty:  # groupby-apply on no rows gives a DataFrame, not a Series
        return pd.Series(dtype=object, name="evidence").rename_axis("id")

    def summarise(rows: pd.DataFrame) -> str:
        parts = []
        for field, group in rows.groupby("field", sort=False):
            words = list(dict.fromkeys(group["matched"].str.lower()))
            parts.append(f"{field}: {', '.join(words)}")
        return "; ".join(parts)

    return hits.groupby("id", sort=False)[["field", "matched"]].apply(summarise)


def topic_papers(tagged: pd.DataFrame, evidence: pd.DataFrame, topic: str) -> pd.DataFrame:
    """The papers of ``topic`` with year, venue, other topics and evidence, newest first."""
    papers = tagged[has_topic(tagged, topic)]
    table = pd.DataFrame(
        {
            "paper": display_titles(papers, words=10),
            "year": papers["year"],
            "venue": papers["venue"],
            "also": papers["topics"].map(lambda ts: ", ".join(t for t in ts if t != topic)),
            "evidence": papers["id"].map(evidence_summary(evidence, topic)).fillna(""),
            "id": papers["id"],
        }
    )
    return table.sort_values(["year", "paper"], ascending=[False, True], na_position="last").reset_index(drop=True)
