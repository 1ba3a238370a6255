"""What the teaching walkthroughs (``notebooks/walkthroughs/``) say about the corpus they run on.

The walkthroughs are written around the default corpus and the topic ``peft``, but a teacher may set
``corpus`` and ``topic`` to their own.  These helpers keep the code cells right on any corpus:
:func:`topic_note` says how many papers the chosen topic has, and when it has none, why the tables
about it are empty and which topics to choose instead; :func:`example_paper` is the paper they take apart;
:func:`topic_terms` the topic's distinctive terms, or why there are none.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from litreview.report.format import Text, plural, say

NOTE_TOPICS = 5  # the corpus's most common topics a note names
LORA = "arxiv:2106.09685"  # the paper walkthroughs 1 and 3 take apart, on the default corpus


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
