"""What the teaching walkthroughs (``notebooks/walkthroughs/``) say about the corpus they run on.

The walkthroughs are written around the default corpus and the topic ``peft``, but a teacher may set
``corpus`` and ``topic`` to their own.  These helpers keep the code cells right on any corpus:
:func:`topic_note` says how many papers the chosen topic has, and when it has none, why the tables
about it are empty and which topics to choose instead; :func:`example_paper` is the paper they take apart;
:func:`topic_terms` the topic's distinctive terms, or why there are none.  Walkthrough 3's tables of a topic's
papers (:func:`topic_chronology`, :func:`commentary`, :func:`topic_pairs`, :func:`topic_enrichment`,
:func:`rule_errors`) say in a sentence why they are empty when they are, instead of showing an empty table, and
:func:`methods_by_year` keeps its table of methods per year readable on a topic spanning decades.
"""

from __future__ import annotations

import os
from numbers import Integral
from pathlib import Path

import pandas as pd

from litreview.report.format import Section, Text, plural, say

NOTE_TOPICS = 5  # the corpus's most common topics a note names
LORA = "arxiv:2106.09685"  # the paper walkthroughs 1 and 3 take apart, on the default corpus
YEAR_COLUMNS = 12  # the most columns a table of years shows: a wider one is read by scrolling, not at a glance


def corpus_paths(corpus) -> list[Path]:
    """The files a walkthrough's ``corpus`` parameter names: the default corpus's when it is empty, else the one
    path (papermill's ``-p corpus my.bib`` passes text) or the list of them."""
    from litreview.data import corpus_files

    if not corpus:
        return corpus_files()
    return [Path(corpus)] if isinstance(corpus, (str, os.PathLike)) else [Path(p) for p in corpus]


def example_paper(papers: pd.DataFrame) -> str:
    """The id of the paper walkthroughs 1 and 3 take apart: LoRA's, or on a corpus without LoRA its first paper's."""
    ids = papers["id"]
    if not len(ids):
        raise ValueError("the corpus has no papers, so there is no paper to take apart: check the files in `corpus` "
                         "(the first cells say what was loaded)")
    return LORA if (ids == LORA).any() else str(ids.iloc[0])


def topic_note(tagged: pd.DataFrame, topic: str, taxonomy=None) -> Text:
    """How many papers of ``tagged`` have ``topic``; when none does, what that means and what to do.

    >>> import litreview as lr
    >>> tagged = lr.tag(lr.load())
    >>> topic_note(tagged, "peft", lr.load_taxonomy())
    **9** of the 74 papers of this corpus are tagged `peft` (Parameter-efficient fine-tuning).
    """
    from litreview.analysis.topic import has_topic
    from litreview.analysis.trends import topic_counts

    if not len(tagged):
        return say("**The corpus has no papers**: the files in `corpus` gave none, so every table below is empty. "
                   "Check the file names and their format, then run all cells again.")
    n = int(has_topic(tagged, topic).sum())
    label = _label(taxonomy, topic)
    named = say("`{slug}`" + (" ({label})" if label else ""), slug=topic, label=label or "").markdown
    if n:
        return say("**{n}** of the {total} of this corpus {are} tagged " + named + ".", n=n,
                   total=plural(len(tagged), "paper"), are="is" if n == 1 else "are")
    head = say("**No paper** of the {total} of this corpus is tagged " + named + ", so the tables about it below "
               "are empty (an exercise on it then wants `None` for a paper or a year, 0 for a count).",
               total=plural(len(tagged), "paper")).markdown
    counts = topic_counts(tagged)
    counts = counts[counts["papers"] > 0].head(NOTE_TOPICS)
    if counts.empty:
        return Text(head + " No paper of this corpus has any of the taxonomy's topics: the taxonomy does not fit it. "
                    "Walkthrough 2 writes a taxonomy for a field of your own.")
    listed = ", ".join(say("`{slug}` ({n})", slug=row.topic, n=plural(int(row.papers), "paper")).markdown
                       for row in counts.itertuples())
    most = counts["topic"].iloc[0]
    return Text(head + " " + say("The topics this corpus has most: " + listed + ". To follow one, set `topic` in "
                                 "the parameters cell to its name (with papermill: `-p topic {most}`) and run all "
                                 "cells again.", most=most).markdown)


def topic_terms(tagged: pd.DataFrame, in_topic, n: int = 10) -> pd.DataFrame | Text:
    """``lr.distinctive_terms(tagged, in_topic, n=n)``, or a sentence on why there is nothing to compare: no paper
    is in the topic, or every paper is (a corpus gathered on the topic, where the function raises)."""
    from litreview.analysis.terms import distinctive_terms

    k = int(pd.Series(in_topic, dtype=bool).sum())
    if k == 0:
        return say("No distinctive terms: no paper of this corpus is in the topic.")
    if k == len(tagged):
        return say("No distinctive terms: every paper of this corpus is in the topic, so there is no rest of the "
                   "corpus to compare its words with. Load papers of other topics beside it, or set `topic` to one "
                   "that holds only part of the corpus.")
    return distinctive_terms(tagged, in_topic, n=n)


def _label(taxonomy, topic: str) -> str | None:
    if taxonomy is None:
        return None
    try:
        return taxonomy[topic].label
    except KeyError:
        return None


def source_file(source) -> str | None:
    """The file name of a paper's ``source``: ``'data/raw/arxiv_abstracts.txt:17'`` -> ``'arxiv_abstracts.txt'``."""
    if not isinstance(source, str):
        return None
    return source.rsplit(":", 1)[0].replace("\\", "/").rsplit("/", 1)[-1]


def topic_chronology(tagged: pd.DataFrame, evidence: pd.DataFrame, topic: str) -> pd.DataFrame:
    """The papers of ``topic``, earliest first by year and month (undated last): ``year``, ``month``, ``paper``
    (its title, or arXiv id and opening words), ``source`` (its file), ``evidence`` (the rules' matches, or
    ``NO_RULE_MATCHED`` for a paper the learned decision tagged with no rule matching) and ``id``."""
    from litreview.analysis.topic import NO_RULE_MATCHED, evidence_summary, has_topic
    from litreview.schema import display_titles

    summary = evidence_summary(evidence, topic)
    table = pd.DataFrame({
        "year": tagged["year"], "month": tagged["month"],
        "paper": display_titles(tagged, words=7),
        "source": tagged["source"].map(source_file),
        "evidence": [summary.get(i, NO_RULE_MATCHED) for i in tagged["id"]],
        "id": tagged["id"],
    }, index=tagged.index)[has_topic(tagged, topic).to_numpy()]
    return table.sort_values(["year", "month", "id"], na_position="last").reset_index(drop=True)


def _has_text(values: pd.Series) -> pd.Series:
    return values.map(lambda v: isinstance(v, str) and bool(v.strip()))


def commentary(chronology: pd.DataFrame, tagged: pd.DataFrame) -> pd.DataFrame | Text:
    """The rows of ``chronology`` (:func:`topic_chronology`) whose paper has a note but no abstract, with the note's
    first line as ``commentary``: on the default corpus, the newsletter's words on the papers it picked.  When
    no paper has one, a sentence saying so, and how many of the topic's papers have no abstract either."""
    by_id = tagged.drop_duplicates("id").set_index("id")
    rows = chronology["id"]
    noted = rows.map(_has_text(by_id["notes"])).fillna(False).astype(bool)
    abstract = rows.map(_has_text(by_id["abstract"])).fillna(False).astype(bool)
    chosen = noted & ~abstract
    if chosen.any():
        first_line = by_id["notes"].str.split("\n").str[0]
        return chronology.loc[chosen, ["paper"]].assign(commentary=chronology.loc[chosen, "id"].map(first_line))
    if not len(chronology):
        return say("No paper of this corpus is in the topic, so there is no commentary to read.")
    head = ("No paper of the topic here comes with commentary in place of an abstract, as the default corpus's "
            "newsletter papers do")
    bare, n = int((~abstract).sum()), len(chronology)
    if not bare:
        if n == 1:
            return Text(head + ": its one paper has an abstract, its authors' own account of it.")
        return say(head + ": all {n} of its papers have an abstract, their authors' own account of them.", n=n)
    if n == 1:
        which = "its one paper has no abstract either: a title is all this corpus says about it"
    elif bare == n:
        which = say("none of its {n} papers has an abstract either: a title is all this corpus says about them",
                    n=n).markdown
    else:
        which = say("{bare} of its {n} papers have no abstract either: a title is all this corpus says about "
                    "{them}", bare=bare, n=n, them="it" if bare == 1 else "them").markdown
    return Text(head + ", and " + which + ", so a tag or a similarity there rests on a few words.")


def topic_pairs(papers: pd.DataFrame, n: int = 6) -> pd.DataFrame | Text:
    """``lr.similar_pairs(papers, n=n)`` without its id columns, or a sentence on why there is no pair: fewer
    than two papers, or no word shared by any two."""
    from litreview.analysis.similarity import similar_pairs

    if len(papers) < 2:
        return say("No pair to score: the topic has {n}, and a pair takes two.", n=plural(len(papers), "paper"))
    pairs = similar_pairs(papers.reset_index(drop=True), n=n)
    pairs = pairs[pairs["similarity"] > 0]
    if pairs.empty:
        return say("No two of the topic's {n} share a word (common words such as \"the\" aside), so there is no "
                   "similar pair to list.", n=plural(len(papers), "paper"))
    return pairs.drop(columns=["id_a", "id_b"])


def topic_enrichment(log: pd.DataFrame, papers: pd.DataFrame) -> pd.DataFrame | Text:
    """The rows of ``log`` (:func:`litreview.enrichment_log`) for ``papers`` (the topic's), or a sentence saying
    the snapshot filled nothing for them, and how many of them it could have matched (those with an arXiv id)."""
    rows = log[log["id"].isin(papers["id"])]
    if len(rows) or not len(papers):
        return rows if len(rows) else say("No paper of this corpus is in the topic, so there is nothing to fill.")
    with_id = int(_has_text(papers["arxiv_id"]).sum()) if "arxiv_id" in papers else 0
    found = (say("{k} of them {have} one, and it holds nothing missing from {them}", k=with_id,
                 have="has" if with_id == 1 else "have", them="it" if with_id == 1 else "those").markdown
             if with_id else "none of them has one")
    return Text(say("The snapshot filled no field of the topic's {n}. It finds a paper by its arXiv id: ",
                    n=plural(len(papers), "paper")).markdown + found + ". The example snapshot holds eight papers of "
                "the default corpus; point `snapshot` at arXiv's full metadata snapshot to fill yours.")


def rule_errors(rules_only: pd.DataFrame, labels: pd.DataFrame, topic: str) -> pd.DataFrame | Text:
    """``lr.tagging_errors(rules_only, labels, topic)``, or a sentence when it is empty: no paper of the corpus
    is hand-labelled (nothing to check against), or the rules made no mistake on the labelled ones (how many)."""
    from litreview.tagging.evaluation import tagging_errors

    errors = tagging_errors(rules_only, labels, topic)
    if len(errors):
        return errors
    labelled = int(rules_only["id"].isin(labels["id"]).sum())
    if not labelled:
        return say("No paper of this corpus is in the hand labels (`data/labels.csv`), so there is nothing to check "
                   "the rules against: label a sample of your papers to measure them (walkthrough 2).")
    return say("The rules make no mistake on `{topic}` for the {k} of this corpus in the hand labels. Few labelled "
               "papers prove little: label a sample of yours to measure them (walkthrough 2).",
               topic=topic, k=plural(labelled, "paper"))


def methods_by_year(methods: pd.DataFrame, columns: int = YEAR_COLUMNS) -> pd.DataFrame | Section:
    """``methods`` (``lr.entity_counts(..., by="year")``) as one row per entity and one column per year, as
    ``methods.pivot(index="entity", columns="year", values="papers")``; on a span of more than ``columns`` years
    (the RLHF book's alignment papers run from 1973 to 2025: 53 columns) the last ``columns - 1`` years keep a
    column each and the years before are pooled in the first (a paper has one year, so their papers add up),
    under a sentence saying so.  ``columns`` is an integer of at least 2 (a pooled column and a year's), else
    ``ValueError``.

    >>> methods = pd.DataFrame({"entity": ["LoRA"] * 14, "year": range(2010, 2024), "papers": [1] * 14})
    >>> methods_by_year(methods, columns=4)
    The topic's papers span 2010 to 2023, 14 years: the last 3 have a column each, and the 11 before are pooled in
    the first, 2010-2020 (the papers of those years mentioning each method).
    <BLANKLINE>
    year    2010-2020  2021  2022  2023
    entity
    LoRA           11     1     1     1
    """
    if isinstance(columns, bool) or not isinstance(columns, Integral) or columns < 2:
        raise ValueError(f"The 'columns' parameter of methods_by_year must be an int in the range [2, inf). "
                         f"Got {columns!r} instead.")
    wide = methods.pivot(index="entity", columns="year", values="papers")
    if wide.shape[1] <= columns:
        return wide
    years = [int(y) for y in wide.columns]
    early, kept = years[: len(years) - columns + 1], years[len(years) - columns + 1:]
    pooled = f"{early[0]}-{early[-1]}"
    table = pd.concat([wide[early].sum(axis=1).rename(pooled), wide[kept]], axis=1)
    table.columns = pd.Index([pooled] + [str(y) for y in kept], name="year")  # (one type of label: all text)
    note = say("The topic's papers span {a} to {b}, {n} years: the last {k} have a column each, and the {m} before "
               "are pooled in the first, {pooled} (the papers of those years mentioning each method).", a=str(years[0]),
               b=str(years[-1]), n=len(years), k=len(kept), m=len(early), pooled=pooled)
    return Section(note, table)
