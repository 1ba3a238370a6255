"""The topic-discovery report's sections: NMF themes of the text, their example papers, and the themes set
against the taxonomy.

Like :mod:`litreview.report.corpus_sections`: each returns something to show, or a sentence where it has too
little to say; none raises on a corpus the loader accepts.  :func:`discover` says once why a corpus has no
themes (the themes table shows it); the sections after it say so in a few words.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from litreview.report.format import Section, figure, paper_urls, plural, say, table
from litreview.report.sections import _figure_of, titled, topic_labels
from litreview.validation import check_int

MIN_PAPERS_PER_THEME = 2
MIN_PAPERS_FOR_THEMES = 10
NO_THEMES = "No themes, so nothing to show here (the themes above say why)."


def discover(papers: pd.DataFrame, n_topics: int, seed: int):
    """``(themes, assignments, note)``: ``note`` is ``None``, or a sentence :func:`themes_table` shows under the
    themes (NMF stopped before they settled); ``(None, None, reason)`` when the corpus is too small for
    ``n_topics`` themes: the reason names the most themes it can hold, if any."""
    from litreview.analysis.discovery import MAX_ITER, ThemesWarning, TooFewTerms, discover_topics
    from litreview.analysis.vectorize import NoTerms

    check_int(n_topics, "n_topics")  # (a parameter typed in JupyterLab as "8" says so, not a comparison's error)
    n = len(papers)
    if n_topics < 2:
        return None, None, say("One theme would hold every paper and tell none apart: set `n_topics` to 2 or more "
                               "(it is {k}).", k=n_topics)
    if n < MIN_PAPERS_FOR_THEMES:
        return None, None, say("Too few papers to find themes: {n}, at least {m} needed.",
                               n=plural(n, "paper"), m=MIN_PAPERS_FOR_THEMES)
    if n < MIN_PAPERS_PER_THEME * n_topics:
        return None, None, say("Too few papers to find {k}: {n}, at least {m} needed ({per} a theme); with "
                               "{n}, `n_topics` can be {most} at most.", k=plural(n_topics, "theme"),
                               n=plural(n, "paper"), m=MIN_PAPERS_PER_THEME * n_topics, per=MIN_PAPERS_PER_THEME,
                               most=n // MIN_PAPERS_PER_THEME)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ThemesWarning)
        try:
            themes, assignments = discover_topics(papers, n_topics, seed=seed)
        except TooFewTerms as error:
            if error.terms < 2:
                return None, None, say("Only 1 word is in two papers or more, too few for themes: themes need "
                                       "words the papers share (abstracts give more).")
            return None, None, say("Only {k} words are in two papers or more, too few for {n} themes: set "
                                   "`n_topics` to {k} or fewer (abstracts give more words to share).",
                                   k=error.terms, n=n_topics)
        except NoTerms:
            return None, None, say("No word is in two papers or more, so there are no themes to find: themes "
                                   "need words the papers share (abstracts give more).")
    unsettled = any(issubclass(w.category, ThemesWarning) for w in caught)
    for w in caught:  # any other warning goes on as it came
        if not issubclass(w.category, ThemesWarning):
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    note = say("These themes had not settled after {i}: they are the same with this seed, but another `seed` "
               "or `n_topics` may give clearer ones.", i=plural(MAX_ITER, "NMF iteration")) if unsettled else None
    return themes, assignments, note


def themes_table(themes, reason, assignments=None):
    """The themes, their terms and papers, or ``reason`` when there are none; sentences under the table: the
    ``reason`` :func:`discover` gave with them, the papers of no theme (``assignments`` given), and the themes
    that are no paper's main theme."""
    if themes is None:
        return reason
    shown = table(themes.rename(columns={"topic": "theme"}))
    notes = [reason] if reason is not None else []
    if assignments is not None and (assignments["topic"] == 0).any():
        none = int((assignments["topic"] == 0).sum())
        notes.append(say("{n} {have} no theme: none of {their} words is in another paper, so the themes cannot "
                         "weigh {them} (a title alone, mostly).", n=plural(none, "paper"),
                         have="has" if none == 1 else "have", their="its" if none == 1 else "their",
                         them="it" if none == 1 else "them"))
    idle = themes.loc[themes["papers"] == 0, "topic"].tolist()
    if idle:
        notes.append(say("{which} {verb} no paper's main theme: fewer themes (`n_topics`) may read better.",
                         which=("Theme " if len(idle) == 1 else "Themes ") + _listed(idle),
                         verb="is" if len(idle) == 1 else "are"))
    return Section(shown, *notes) if notes else shown


def _listed(numbers) -> str:
    words = [str(n) for n in numbers]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def theme_papers_table(assignments, papers: pd.DataFrame, reason, per_theme: int = 3):
    from litreview.analysis.discovery import theme_papers

    if assignments is None:
        return say(NO_THEMES)
    top = theme_papers(assignments, papers, per_theme)  # with an abstract first: a title alone is all one theme's
    rows, short = top.index.to_numpy(), sorted(set(top.loc[~top["has_abstract"], "topic"].tolist()))
    shown = pd.DataFrame({"theme": top["topic"].to_numpy(), "weight": top["weight"].to_numpy(),
                          "paper": titled(papers, words=10).to_numpy()[rows]})
    every = len(short) > 1 and set(short) == set(top["topic"])  # (probmlbib: all 8, or 40, numbers listed)
    note = say("Too few papers with an abstract in {t}: papers known by their title alone fill in.",
               t="every theme" if every else ("themes " if len(short) > 1 else "theme ") + _listed(short)) \
        if short else None
    return Section(table(shown, links={"paper": pd.Series(paper_urls(papers).to_numpy()[rows])},
                         formats={"weight": "{:.2f}"}), note)


def discovery_overlap(assignments, tagged: pd.DataFrame, taxonomy, reason):
    import litreview as lr

    if assignments is None:
        return say(NO_THEMES)
    overlap = lr.compare_with_taxonomy(assignments, tagged, topics=taxonomy.slugs)
    if overlap.empty or not overlap["papers"].sum():
        return say("No theme shares a paper with a taxonomy topic.")
    overlap["topic"] = overlap["topic"].map(_labelled(taxonomy))  # (a topic by its label, as the user wrote it)
    ax = lr.plot_compare_with_taxonomy(overlap, "Themes against the taxonomy")
    ax.set_ylabel("theme")  # (the report's word for a discovered topic, as in its tables)
    return figure(_figure_of(ax), "Heatmap of papers shared by each discovered theme (rows) and taxonomy topic "
                                  "(columns), coloured by Jaccard index.")


def _labelled(taxonomy):
    """A taxonomy topic's slug -> its label (the reports name topics as the user's taxonomy writes them); a
    missing topic stays missing."""
    labels = dict(zip(taxonomy.slugs, topic_labels(taxonomy, taxonomy.slugs)))
    return lambda slug: labels.get(slug, slug)


def discovery_findings(assignments, tagged: pd.DataFrame, themes, taxonomy, reason):
    """:func:`litreview.discovery_summary` for a reader; an ``uncovered`` theme that shares no paper with any
    taxonomy topic has no taxonomy topic, and its topic's figures are blank, not zeros."""
    import litreview as lr

    if assignments is None:
        return say(NO_THEMES)
    summary = lr.discovery_summary(assignments, tagged, themes, topics=taxonomy.slugs)
    alone = summary["topic"].isna().to_numpy()
    summary["topic"] = summary["topic"].map(_labelled(taxonomy))  # (by label, as the other reports name topics)
    for column in ("papers", "jaccard", "share_of_discovered", "share_of_topic", "topic_papers"):
        summary[column] = summary[column].astype(float).where(~alone, np.nan)
    named = summary.rename(columns={  # (lr.discovery_summary's columns, named for a reader)
        "discovered": "theme", "topic": "taxonomy topic", "papers": "papers in both",
        "share_of_discovered": "share of the theme", "share_of_topic": "share of the topic",
        "discovered_papers": "theme's papers", "topic_papers": "topic's papers", "terms": "theme's terms"})
    return table(named, formats={c: "{:.2f}" for c in ("jaccard", "share of the theme", "share of the topic")},
                 empty="Themes and taxonomy agree: no theme uncovered, no topic split or merged.")

