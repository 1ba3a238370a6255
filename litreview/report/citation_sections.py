"""The citation report's sections, and the "what this topic builds on" part of the topic report.

Each function takes the papers and their references table (:func:`litreview.references`) and returns what a
report shows (:mod:`litreview.report.format` objects); with no references it says so in a sentence.
"""

from __future__ import annotations

import pandas as pd

from litreview.report.format import Section, Table, Text, figure, plural, say, table

NO_REFERENCES = (
    "None of these papers carries its cited references, so there is nothing to show here. Exports that carry "
    "them: Web of Science (\"Full Record and Cited References\"), Scopus CSV with References, OpenAlex works "
    "and Semantic Scholar papers with references."
)
# what each later section says then: the summary above it has said why, once
NOTHING_TO_SHOW = "Nothing to show: no references (see above)."
LABEL_CHARS = 100  # a cited work's label in a table, at most: Scopus writes every author before the title


def short_label(label) -> str:
    """A cited work's label cut at a word to :data:`LABEL_CHARS` characters (``…`` says so).

    >>> short_label("Abadi, M., Agarwal, A., Barham, P., Brevdo, E., Chen, Z., Citro, C., Corrado, G.S., (2015) "
    ...             "TensorFlow: Large-scale machine learning")
    'Abadi, M., Agarwal, A., Barham, P., Brevdo, E., Chen, Z., Citro, C., Corrado, G.S., (2015) …'
    """
    label = str(label)
    if len(label) <= LABEL_CHARS:
        return label
    cut = label[:LABEL_CHARS]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut) + " …"


def _titles(papers: pd.DataFrame) -> dict:
    from litreview.report.sections import titled

    return dict(zip(papers["id"], titled(papers)))


def citation_summary(papers: pd.DataFrame, refs: pd.DataFrame) -> Text:
    """How many references there are, how many resolve to the corpus, and how many could not be parsed."""
    if refs.empty:
        return Text(NO_REFERENCES)
    citing = refs["citing_id"].nunique()
    resolved = int(refs["cited_id"].notna().sum())
    unparsed = int((~refs["parsed"]).sum())
    if citing == len(papers):
        who = say("The paper carries") if citing == 1 else say("All {n} carry", n=plural(len(papers), "paper"))
    else:
        who = say("{c} of the {n} carry", c=plural(citing, "paper"), n=plural(len(papers), "paper"))
    rest = say("{r} in all; {k} name a paper of the corpus.", r=plural(len(refs), "reference"),
               k=plural(resolved, "reference"))
    text = Text(who.markdown + " " + rest.markdown)
    if unparsed:
        text = Text(text.markdown + " " + say("{u} could not be parsed and are kept as given.",
                                              u=plural(unparsed, "reference")).markdown)
    return text


def most_cited_section(papers: pd.DataFrame, refs: pd.DataFrame, n: int = 15) -> Section | Text:
    """The papers most cited from inside the corpus, as a table and bars."""
    import litreview as lr

    if refs.empty:
        return Text(NOTHING_TO_SHOW)
    cited = lr.local_citations(papers, refs)
    cited = cited.loc[cited["local_citations"] > 0]
    if cited.empty:
        return say("No paper of the corpus cites another paper of it.")
    titles = _titles(papers)
    shown = pd.DataFrame({"paper": cited["id"].map(titles), "year": cited["year"],
                          "cited in the corpus": cited["local_citations"],
                          "cited in all (source)": cited["global_citations"]}).head(n)
    ax = lr.plot_local_citations(cited.assign(title=cited["id"].map(titles)), n=n)
    return Section(table(shown), figure(ax.figure, f"Bar chart of the {min(n, len(cited))} papers most cited inside "
                                                   "the corpus, with their citation counts"))


def foundations_table(refs: pd.DataFrame, n: int = 15) -> Table | Text:
    """The works cited by the most papers, inside the corpus or not: what the field builds on."""
    import litreview as lr

    if refs.empty:
        return Text(NOTHING_TO_SHOW)
    works = lr.cited_works(refs).head(n)
    return table(pd.DataFrame({"cited work (as first written)": works["label"].map(short_label),
                               "citing papers": works["papers"],
                               "in the corpus": works["in_corpus"].map({True: "yes", False: "no"})}))


def cocitation_table(refs: pd.DataFrame, n: int = 10) -> Table | Text:
    """The pairs of works most often cited together."""
    import litreview as lr

    if refs.empty:
        return Text(NOTHING_TO_SHOW)
    pairs = lr.cocitation(refs).head(n)
    if pairs.empty:
        return say("No two works are cited together by two papers or more.")
    label = lr.cited_works(refs).set_index("work")["label"].map(short_label)
    return table(pd.DataFrame({"work": pairs["work_a"].map(label), "cited with": pairs["work_b"].map(label),
                               "papers citing both": pairs["papers"], "strength": pairs["strength"]}),
                 formats={"strength": "{:.2f}"})


def historiograph_section(papers: pd.DataFrame, refs: pd.DataFrame, n: int = 20) -> Section | Text:
    """The citation graph among the most cited papers, by year."""
    import litreview as lr

    graph = lr.citation_graph(papers, refs) if not refs.empty else None
    if graph is None or graph.empty:
        return Text(NOTHING_TO_SHOW) if refs.empty else say("No paper of the corpus cites another paper of it.")
    ax = lr.plot_historiograph(papers, refs, n=n)
    backward = int(graph["backward"].sum())
    parts = [figure(ax.figure, "Historiograph: the most cited papers of the corpus placed by year, with arrows from "
                               "each cited paper to the papers citing it")]
    if backward:
        parts.append(say("{b} {cite} a paper dated later (errata, preprints, papers written at the same time).",
                         b=plural(backward, "citation"), cite="cites" if backward == 1 else "cite"))
    return Section(*parts)


def main_path_table(papers: pd.DataFrame, refs: pd.DataFrame) -> Table | Text:
    """The main path: the chain of papers along which the line of work developed."""
    import litreview as lr

    if refs.empty:
        return Text(NOTHING_TO_SHOW)
    _, path = lr.main_path(papers, refs)
    if len(path) < 2:
        return say("The corpus has no chain of citations to follow.")
    info = papers.set_index("id")
    titles = _titles(papers)
    return table(pd.DataFrame({"step": range(1, len(path) + 1), "paper": [titles[i] for i in path],
                               "year": [info.at[i, "year"] for i in path]}))


def rpys_section(refs: pd.DataFrame, peaks: int = 5) -> Section | Text:
    """Reference publication years: the bars, and the years that stand out."""
    import litreview as lr

    spectrum = lr.rpys(refs) if not refs.empty else None
    if spectrum is None or spectrum.empty:
        return Text(NOTHING_TO_SHOW) if refs.empty else say("No reference gives its year.")
    ax = lr.plot_rpys(spectrum)
    top = spectrum.sort_values(["deviation", "year"], ascending=[False, True]).head(peaks)
    top = top.loc[top["deviation"] > 0].sort_values("year")
    listed = ", ".join(str(int(y)) for y in top["year"])
    return Section(figure(ax.figure, "Bars of references per cited year, and a line of each year's deviation from "
                                     "the median of the five years around it"),
                   say("Years that stand out from their neighbours: {y}.", y=listed) if listed else None)


def builds_on_section(papers: pd.DataFrame, in_topic, label: str, n: int = 10) -> Section | Text:
    """For the topic report: the works the topic's papers cite most, or a sentence when there are none."""
    import litreview as lr

    mask = pd.Series(list(in_topic), index=papers.index, dtype=bool)
    every = lr.references(papers)  # resolved against the whole corpus, then kept for the topic's papers
    refs = every.loc[every["citing_id"].astype(object).isin(set(papers.loc[mask, "id"]))]
    if refs.empty:
        return say("The papers of {t} carry no cited references (the formats that carry them: Web of Science, "
                   "Scopus, OpenAlex, Semantic Scholar), so this section has nothing to show.", t=label)
    return Section(citation_summary(papers.loc[mask], refs), foundations_table(refs, n))
