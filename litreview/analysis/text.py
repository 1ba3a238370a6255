"""The text of a paper that term analyses read."""

from __future__ import annotations

import pandas as pd

# Abbreviations a literature corpus is full of, on top of English stop words.
DOMAIN_STOP_WORDS = frozenset(
    """paper papers propose proposed approach approaches method methods model models results show shows
    shown task tasks using use used work new based large language llm llms lm lms et al also however
    performance state art achieve achieves achieved significantly significant existing
    https github com code available release released just pretty really seems like lot way don
    doesn isn ve ll""".split()
)


def paper_text(papers: pd.DataFrame, fields: tuple[str, ...] = ("title", "abstract")) -> pd.Series:
    """Title and abstract (by default) joined into one string per paper.

    Papers without an abstract (newsletter items) fall back to their notes, so
    every paper has some text to compare.
    """
    parts = [papers[f].fillna("") for f in fields]
    text = parts[0].str.cat(parts[1:], sep=". ") if len(parts) > 1 else parts[0]
    if "notes" in papers and "abstract" in fields:
        no_abstract = papers["abstract"].isna()
        text = text.where(~no_abstract, text + ". " + papers["notes"].fillna(""))
    return text.str.strip(". ")


def stop_words() -> list[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return sorted(ENGLISH_STOP_WORDS | DOMAIN_STOP_WORDS)
