"""The similar-papers sections of the reports: the closest pairs among a topic's papers (with the pairs of one
abstract left out, and why), the papers outside a topic that read like it, and what the ``shared-abstract``
flag means."""

from __future__ import annotations

import numpy as np
import pandas as pd

from litreview.report.format import Section, Table, Text, plural, say, table
from litreview.report.sections import titled


def similar_pairs_table(papers: pd.DataFrame, n: int = 8) -> Section | Text:
    """The closest pairs among ``papers``, both titles linked; a sentence counts the pairs left out for
    carrying one abstract (:func:`litreview.similar_pairs` leaves them out)."""
    from litreview.analysis.similarity import similar_pairs
    from litreview.report.format import paper_urls

    if len(papers) < 2:
        return say("Too few papers to pair: {n}, at least 2 needed.", n=plural(len(papers), "paper"))
    papers = papers.reset_index(drop=True)
    pairs = similar_pairs(papers, n=n)
    pairs = pairs[pairs["similarity"] > 0]
    urls = dict(zip(papers["id"], paper_urls(papers)))
    titles = dict(zip(papers["id"], titled(papers, words=10)))
    frame = pd.DataFrame({"paper": pairs["id_a"].map(titles), "closest to": pairs["id_b"].map(titles),
                          "similarity": pairs["similarity"], "shared terms": pairs["shared"]})
    abstracts = papers["abstract"].dropna().astype(str)
    copies = abstracts[abstracts.str.strip() != ""].value_counts()
    left_out = int((copies * (copies - 1) // 2).sum())
    note = say("{pairs} of papers with the same abstract {are} left out: their similarity would be the abstract's, "
               "not the papers' (under different titles they are flagged `shared-abstract`: see the corpus "
               "overview's data-quality flags).",
               pairs=plural(left_out, "pair"), are="is" if left_out == 1 else "are") if left_out else None
    return Section(table(frame, links={"paper": pairs["id_a"].map(urls), "closest to": pairs["id_b"].map(urls)},
                         formats={"similarity": "{:.2f}"}, empty="No two papers share a term."), note)


def shared_abstract_note(flag_counts: pd.DataFrame) -> Text | None:
    """What the ``shared-abstract`` flag means, when papers raise it (``flag_counts``: ``flag``, ``papers``)."""
    raised = flag_counts.loc[flag_counts["flag"] == "shared-abstract", "papers"]
    if raised.empty:
        return None
    return say("{n} the same abstract as another paper under a different title (`shared-abstract`): usually the "
               "source gave one paper's abstract to another, sometimes an author reused one abstract. They are kept "
               "apart, and the similar-papers tables leave such pairs out: read both papers before citing either "
               "abstract.", n=plural(int(raised.iloc[0]), "paper carries", "papers carry"))


def similar_outside_table(outside: pd.DataFrame, description: str, n: int = 5) -> Table | Text:
    """Papers of ``outside`` closest to a topic's own description."""
    from litreview.analysis.similarity import similar_papers
    from litreview.report.format import paper_urls

    if outside.empty:
        return say("Every paper is in this topic: none lies outside it.")
    outside = outside.reset_index(drop=True)
    close = similar_papers(outside, description, n=n)
    urls = dict(zip(outside["id"], paper_urls(outside)))
    titles = dict(zip(outside["id"], titled(outside, words=10)))
    frame = pd.DataFrame({"paper": close["id"].map(titles), "similarity": close["similarity"],
                          "shared terms": close["shared"]})
    if "outside_field" in outside.columns:  # (held back by the field floor, not judged off-topic: say so)
        floor = close["id"].map(dict(zip(outside["id"], outside["outside_field"]))).fillna(False).astype(bool)
        if floor.any():
            frame["why not in it"] = np.where(floor, "read as outside the field: no fitted topic", "")
    return table(frame, links={"paper": close["id"].map(urls)}, formats={"similarity": "{:.2f}"},
                 empty="No paper outside the topic shares a term with its description.")
