"""What is in a corpus: records per source, per year, missing fields, flags."""

from __future__ import annotations

import pandas as pd

from litreview.schema import LIST_COLUMNS

OVERVIEW_FIELDS = ("title", "abstract", "authors", "year", "month", "venue", "arxiv_id", "doi", "url", "notes")


def source_file(source: str) -> str:
    """``data/raw/x.txt:12`` -> ``data/raw/x.txt``."""
    return source.rsplit(":", 1)[0]


def per_source(papers: pd.DataFrame) -> pd.DataFrame:
    """Papers per input file (a merged paper counts for every file it came from)."""
    files = papers["provenance"].map(lambda srcs: sorted({source_file(s) for s in srcs}))
    counts = files.explode().value_counts().rename_axis("file").reset_index(name="papers")
    return counts.sort_values(["papers", "file"], ascending=[False, True]).reset_index(drop=True)


def per_year(papers: pd.DataFrame) -> pd.DataFrame:
    """Papers per year; papers without a year are counted under ``<NA>``."""
    counts = papers["year"].value_counts(dropna=False).rename_axis("year").reset_index(name="papers")
    return counts.sort_values("year", na_position="last").reset_index(drop=True)


def missing_fields(papers: pd.DataFrame) -> pd.DataFrame:
    """For each schema field, how many papers lack it, per source file."""
    files = papers["source"].map(source_file)
    rows = {}
    for field in OVERVIEW_FIELDS:
        values = papers[field]
        if field in LIST_COLUMNS:
            missing = values.map(len) == 0
        else:
            missing = values.isna()
        rows[field] = missing.groupby(files).sum()
    table = pd.DataFrame(rows).astype(int)
    table.loc["all files"] = table.sum()
    table.index.name = "file"
    return table


def quality_flags(papers: pd.DataFrame) -> pd.DataFrame:
    """One row per (paper, flag) for every data-quality flag raised while loading."""
    long = papers[["id", "source", "quality_flags"]].explode("quality_flags").dropna()
    return long.rename(columns={"quality_flags": "flag"}).sort_values(["flag", "id"]).reset_index(drop=True)
