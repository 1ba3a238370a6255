"""What is in a corpus: records per source, per year, missing fields, flags."""

from __future__ import annotations

import pandas as pd

from litreview.schema import LIST_COLUMNS
from litreview.validation import check_frame

OVERVIEW_FIELDS = ("title", "abstract", "authors", "year", "month", "venue", "arxiv_id", "doi", "url", "notes")


def source_file(source: str) -> str:
    """``data/raw/x.txt:12`` -> ``data/raw/x.txt``.

    Examples
    --------
    >>> source_file("data/raw/x.txt:12")
    'data/raw/x.txt'
    """
    return source.rsplit(":", 1)[0]


def per_source(papers: pd.DataFrame) -> pd.DataFrame:
    """Papers per input file (a merged paper counts for every file it came from): ``file``, ``papers``.

    Examples
    --------
    >>> papers = pd.DataFrame({"provenance": [["a.bib:1", "b.ris:4"], ["a.bib:9"]]})
    >>> lr.per_source(papers).values.tolist()
    [['a.bib', 2], ['b.ris', 1]]
    """
    check_frame(papers, "papers", ("provenance",), "load it with lr.load()")
    files = papers["provenance"].map(lambda srcs: sorted({source_file(s) for s in srcs}))
    counts = files.explode().value_counts().rename_axis("file").reset_index(name="papers")
    return counts.sort_values(["papers", "file"], ascending=[False, True]).reset_index(drop=True)


def per_year(papers: pd.DataFrame) -> pd.DataFrame:
    """Papers per year; papers without a year are counted under ``<NA>``: ``year``, ``papers``.

    Examples
    --------
    >>> papers = pd.DataFrame({"year": pd.array([2021, None, 2021], dtype="Int64")})
    >>> lr.per_year(papers).values.tolist()
    [[2021, 2], [<NA>, 1]]
    """
    check_frame(papers, "papers", ("year",), "load it with lr.load()")
    counts = papers["year"].value_counts(dropna=False).rename_axis("year").reset_index(name="papers")
    return counts.sort_values("year", na_position="last").reset_index(drop=True)


def missing_fields(papers: pd.DataFrame) -> pd.DataFrame:
    """For each schema field, how many papers lack it, per source file, and over ``all files``.

    Examples
    --------
    >>> lr.missing_fields(lr.load()).loc["all files", ["title", "abstract"]].tolist()
    [39, 23]
    """
    check_frame(papers, "papers", ("source", *OVERVIEW_FIELDS), "load it with lr.load()")
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
    """One row per (paper, flag) for every data-quality flag raised while loading: ``id``, ``source``, ``flag``.

    Examples
    --------
    >>> papers = pd.DataFrame({"id": ["a", "b"], "source": ["x:1", "x:2"], "quality_flags": [["no-abstract"], []]})
    >>> lr.quality_flags(papers).values.tolist()
    [['a', 'x:1', 'no-abstract']]
    """
    check_frame(papers, "papers", ("id", "source", "quality_flags"), "load it with lr.load()")
    long = papers[["id", "source", "quality_flags"]].explode("quality_flags").dropna()
    return long.rename(columns={"quality_flags": "flag"}).sort_values(["flag", "id"]).reset_index(drop=True)
