"""The citation report's sections, and the "what this topic builds on" part of the topic report.

Each function takes the papers and their references table (:func:`litreview.references`) and returns what a
report shows (:mod:`litreview.report.format` objects); with no references it says so in a sentence.
"""

from __future__ import annotations

import re

import pandas as pd

from litreview.io.references import SCOPUS_AUTHOR
from litreview.report.format import Section, Table, Text, figure, paper_urls, plural, say, table
from litreview.validation import check_int

NO_REFERENCES = (
    "None of these papers carries its cited references, so there is nothing to show here. Exports that carry "
    "them: Web of Science (\"Full Record and Cited References\"), Scopus (CSV, BibTeX or RIS, with references), "
    "OpenAlex works and Semantic Scholar papers with references."
)
# what each later section says then: the summary above it has said why, once
NOTHING_TO_SHOW = "Nothing to show: no references (see above)."
# counts with their thousands separator from 1,000 ("8,097" beside "13,169"; a table's years stay 2019)
COUNTS = {column: "{:,}" for column in ("cited in the corpus", "cited in all (source)", "citing papers",
                                        "papers citing both")}
LABEL_CHARS = 100  # a cited work's label in a table, at most: Scopus writes every author before the title


def short_label(label) -> str:
    """A cited work's label: a Scopus reference's authors after the first as ``et al.``, the whole cut at a
    word to :data:`LABEL_CHARS` characters (``…`` says so).

    >>> short_label("Abadi, M., Agarwal, A., Barham, P., Brevdo, E., Chen, Z., Citro, C., Corrado, G.S., (2015) "
    ...             "TensorFlow: Large-scale machine learning")
    'Abadi, M., et al., (2015) TensorFlow: Large-scale machine learning'
    """
    label = _first_author_only(" ".join(str(label).split()))
    if len(label) <= LABEL_CHARS:
        return label
    cut = label[:LABEL_CHARS]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut) + " …"


def _first_author_only(label: str) -> str:
    """``Memon, A.M., Pollack, M.E., Soffa, M.L., Hierarchical ...`` -> ``Memon, A.M., et al., Hierarchical ...``
    (Scopus writes every author before the title and year); a Web of Science reference (``Jain AK, 1999, ...``)
    and a list of one author are left as they are."""
    pos, authors = 0, []
    while True:
        author = SCOPUS_AUTHOR.match(label, pos)
        if not author or author.group(1).strip().lower() in ("et al", "et al."):
            break
        authors.append(author)
        pos = author.end()
    rest = _ET_AL.sub("", label[pos:].strip())
    if len(authors) < 2 or not rest:
        return label
    return f"{authors[0].group(0).strip().rstrip(',')}, et al., {rest}"


_ET_AL = re.compile(r"^et al\.?,?\s*", re.IGNORECASE)
# the page of a cited work named by an identifier (a corpus record's id is a DOI or arXiv id where it has one)
_WORK_URLS = {"doi": "https://doi.org/{}", "arxiv": "https://arxiv.org/abs/{}", "openalex": "https://openalex.org/{}",
              "s2": "https://www.semanticscholar.org/paper/{}"}


def work_url(work) -> str | None:
    """A link to a cited work from its key (:func:`litreview.cited_works`): its DOI, arXiv, OpenAlex or Semantic
    Scholar page; ``None`` for a work known by its parts only.

    >>> work_url("openalex:W2045435533"), work_url("ref:macqueen 1967 P 5 BERK S MATH STAT")
    ('https://openalex.org/W2045435533', None)
    """
    kind, _, value = str(work).partition(":")
    return _WORK_URLS[kind].format(value) if kind in _WORK_URLS and value else None


def _urls(papers: pd.DataFrame) -> dict:
    return dict(zip(papers["id"], paper_urls(papers)))


def _titles(papers: pd.DataFrame) -> dict:
    from litreview.report.sections import titled

    return dict(zip(papers["id"], titled(papers)))


def select_citing(corpus: pd.DataFrame, start_year: int | None = None, end_year: int | None = None,
                  only_topic: str | None = None, taxonomy=None) -> tuple[pd.DataFrame, pd.DataFrame, str]:
    """The citation report's citing papers: those of ``corpus`` in the year window and tagged ``only_topic``
    (with ``taxonomy``, the default one when ``None``); their references, resolved against the whole corpus;
    and the choice in words (``""`` for every paper; ``"from 2010 to 2011"``, ``"tagged Safety"``).

    An unknown topic names the valid ones, and a window whose start is after its end is an error.
    """
    import litreview as lr
    from litreview.analysis.citations import keyed_references
    from litreview.report.corpus_sections import tag_corpus

    if start_year is not None and end_year is not None and start_year > end_year:
        raise ValueError(f"start_year {start_year} is after end_year {end_year}")
    papers = lr.within_years(corpus, start_year, end_year)
    words = [] if start_year is None and end_year is None else [
        f"from {start_year} on" if end_year is None else f"up to {end_year}" if start_year is None
        else f"of {start_year}" if start_year == end_year else f"from {start_year} to {end_year}"]
    undated = corpus[corpus["year"].isna()] if words else corpus.iloc[:0]  # (a window cannot hold them)
    if only_topic is not None:
        taxonomy = lr.load_taxonomy() if taxonomy is None else taxonomy
        label = taxonomy[only_topic].label  # (an unknown slug lists the valid ones)
        papers = papers[lr.has_topic(tag_corpus(papers, taxonomy), only_topic)] if len(papers) else papers
        undated = undated[lr.has_topic(tag_corpus(undated, taxonomy), only_topic)] if len(undated) else undated
        words.append(f"tagged {label}")
    if len(undated):  # (said, not left out without a word)
        words[0] += f" ({plural(len(undated), 'paper')} without a year left out)"
    refs = lr.references(corpus)
    refs = keyed_references(refs[refs["citing_id"].astype(object).isin(set(papers["id"]))])  # (keyed once here)
    return papers, refs, " and ".join(words)


def citation_summary(papers: pd.DataFrame, refs: pd.DataFrame, *, corpus: pd.DataFrame | None = None,
                     scope: str = "") -> Text:
    """How many references there are, how many resolve to the corpus, and how many could not be parsed.

    ``corpus`` and ``scope`` (:func:`select_citing`) say when ``papers`` are some of the corpus's: that no
    paper of the corpus is in the choice, or that the counts below are of the chosen papers' citations.
    """
    total = len(corpus) if corpus is not None else len(papers)
    if papers.empty and total:
        return say("None of the {m} of the corpus is {scope}, so there is nothing to show here.",
                   m=plural(total, "paper"), scope=scope or "chosen")
    if refs.empty:
        return Text(NO_REFERENCES)
    citing = refs["citing_id"].nunique()
    resolved = int(refs["cited_id"].notna().sum())
    unparsed = int((~refs["parsed"]).sum())
    if citing == len(papers):
        who = say("The paper carries") if citing == 1 else say("All {n} carry", n=plural(len(papers), "paper"))
    else:
        who = say("{c} of the {n} {carry}", c=f"{citing:,}", n=plural(len(papers), "paper"),
                  carry="carries" if citing == 1 else "carry")
    rest = say("{r} in all; {k} {name} a paper of the corpus.", r=plural(len(refs), "reference"),
               k=plural(resolved, "reference"), name="names" if resolved == 1 else "name")
    parts = [who, rest]
    if unparsed:
        parts.append(say("{u} could not be parsed and {are} kept as given.", u=plural(unparsed, "reference"),
                         are="is" if unparsed == 1 else "are"))
    if len(papers) < total:
        parts.append(say("The citing papers are the {n} of the corpus's {m} {scope}: the counts below are of their "
                         "citations, to any paper of the corpus or work outside it.", n=f"{len(papers):,}",
                         m=f"{total:,}", scope=scope or "chosen"))
    return Text(" ".join(p.markdown for p in parts))


def most_cited_section(papers: pd.DataFrame, refs: pd.DataFrame, n: int = 15) -> Section | Text:
    """The papers most cited from inside the corpus, as a table and bars."""
    import litreview as lr

    check_int(n, "n", 1)
    if refs.empty:
        return Text(NOTHING_TO_SHOW)
    cited = lr.local_citations(papers, refs)
    cited = cited.loc[cited["local_citations"] > 0]
    if cited.empty:
        return say("No paper of the corpus cites another paper of it.")
    titles = _titles(papers)
    top = cited.head(n)
    shown = pd.DataFrame({"paper": top["id"].map(titles), "year": top["year"],
                          "cited in the corpus": top["local_citations"],
                          "cited in all (source)": top["global_citations"]})
    ax = lr.plot_local_citations(cited.assign(title=cited["id"].map(titles)), n=n)
    alt = ("Bar chart of the paper most cited inside the corpus, with its citation count" if len(top) == 1 else
           f"Bar chart of the {len(top)} papers most cited inside the corpus, with their citation counts")
    return Section(table(shown, links={"paper": top["id"].map(_urls(papers))}, formats=COUNTS),
                   figure(ax.figure, alt))


def foundations_table(refs: pd.DataFrame, n: int = 15, papers: pd.DataFrame | None = None) -> Table | Text:
    """The works cited by the most papers, inside the corpus or not: what the field builds on.

    With ``papers`` (the corpus), a work of the corpus that its references name by an identifier alone
    (OpenAlex's ``referenced_works``) is named by its title and year, and linked to its page."""
    import litreview as lr

    check_int(n, "n", 1)
    if refs.empty:
        return Text(NOTHING_TO_SHOW)
    works = lr.cited_works(refs).head(n)
    labels, urls = _work_names(refs, works, papers)
    column = "cited work (as most often written)"
    return table(pd.DataFrame({column: works["work"].map(labels), "citing papers": works["papers"],
                               "in the corpus": works["in_corpus"].map({True: "yes", False: "no"})}),
                 links={column: works["work"].map(urls)}, formats=COUNTS)


def cocitation_table(refs: pd.DataFrame, n: int = 10, papers: pd.DataFrame | None = None) -> Table | Text:
    """The pairs of works most often cited together (works named as in :func:`foundations_table`)."""
    import litreview as lr

    check_int(n, "n", 1)
    if refs.empty:
        return Text(NOTHING_TO_SHOW)
    pairs = lr.cocitation(refs).head(n)
    if pairs.empty:
        return say("No two works are cited together by two papers or more.")
    works = lr.cited_works(refs)
    labels, urls = _work_names(refs, works[works["work"].isin(set(pairs["work_a"]) | set(pairs["work_b"]))], papers)
    return table(pd.DataFrame({"work": pairs["work_a"].map(labels), "cited with": pairs["work_b"].map(labels),
                               "papers citing both": pairs["papers"], "strength": pairs["strength"]}),
                 links={"work": pairs["work_a"].map(urls), "cited with": pairs["work_b"].map(urls)},
                 formats={**COUNTS, "strength": "{:.2f}"})


def _work_names(refs: pd.DataFrame, works: pd.DataFrame, papers: pd.DataFrame | None) -> tuple[pd.Series, pd.Series]:
    """Each of ``works``' label (:func:`short_label`) and link (:func:`work_url`), by work; with ``papers``, a corpus
    work named by an identifier alone takes its title and year (as ``lr.cited_works(refs, papers)`` labels it),
    and a corpus work its paper's link."""
    from litreview.analysis.citations import corpus_records, corpus_work_labels

    labels = pd.Series(works["label"].map(short_label).to_numpy(), index=works["work"].to_numpy(), dtype=object)
    urls = pd.Series(works["work"].map(work_url).to_numpy(), index=works["work"].to_numpy(), dtype=object)
    if papers is None or not works["in_corpus"].any():
        return labels, urls
    labels.update(pd.Series(corpus_work_labels(refs, works, papers), dtype=object))
    paper_links = _urls(papers)
    for work, ident in corpus_records(refs, works).items():
        if urls[work] is None:
            urls[work] = paper_links.get(ident)
    return labels, urls


def historiograph_section(papers: pd.DataFrame, refs: pd.DataFrame, n: int = 20) -> Section | Text:
    """The citation graph among the most cited papers, by year."""
    import litreview as lr

    check_int(n, "n", 1)
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
    titles, urls = _titles(papers), _urls(papers)
    return table(pd.DataFrame({"step": range(1, len(path) + 1), "paper": [titles[i] for i in path],
                               "year": [info.at[i, "year"] for i in path]}),
                 links={"paper": pd.Series([urls.get(i) for i in path], dtype=object)})


def rpys_section(refs: pd.DataFrame, peaks: int = 5) -> Section | Text:
    """Reference publication years: the bars, and the years that stand out."""
    import litreview as lr

    spectrum = lr.rpys(refs) if not refs.empty else None
    if spectrum is None or spectrum.empty:
        return Text(NOTHING_TO_SHOW) if refs.empty else say("No reference gives its year.")
    first = rpys_start(spectrum)
    shown = spectrum.loc[spectrum["year"] >= first]
    ax = lr.plot_rpys(shown)
    top = shown.sort_values(["deviation", "year"], ascending=[False, True]).head(peaks)
    top = top.loc[top["deviation"] > 0].sort_values("year")
    listed = ", ".join(str(int(y)) for y in top["year"])
    left = spectrum.loc[spectrum["year"] < first]
    before = int(left["references"].sum())
    return Section(figure(ax.figure, "Bars of references per cited year, and a line of each year's deviation from "
                                     "the median of the five years around it"),
                   say("The figure starts in {f}: {r} to the years {a} to {b} {are} left out of it, so that the "
                       "years most references come from can be read.", f=str(first), r=plural(before, "reference"),
                       a=str(int(left["year"].min())), b=str(first - 1), are="is" if before == 1 else "are")
                   if before else None,
                   say("Years that stand out from their neighbours: {y}.", y=listed) if listed else None)


EARLY_SHARE = 0.005  # the earliest cited years that hold this share of the references are left out of the figure


def rpys_start(spectrum: pd.DataFrame) -> int:
    """The first year the RPYS figure shows: the earliest cited years holding under :data:`EARLY_SHARE` of the
    references are left out (one reference of 1781 among 14,000 of 1951-2015 made the field's years a sliver).

    >>> rpys_start(pd.DataFrame({"year": [1781, 1782, 1990, 1991], "references": [1, 0, 150, 149]}))
    1990
    """
    counts = spectrum["references"].to_numpy()
    share = counts.cumsum() / max(int(counts.sum()), 1)
    return int(spectrum["year"].to_numpy()[int((share >= EARLY_SHARE).argmax())])


def builds_on_section(papers: pd.DataFrame, in_topic, label: str, n: int = 10) -> Section | Text:
    """For the topic report: the works the topic's papers cite most, or a sentence when there are none."""
    import litreview as lr

    mask = pd.Series(list(in_topic), index=papers.index, dtype=bool)
    every = lr.references(papers)  # resolved against the whole corpus, then kept for the topic's papers
    refs = every.loc[every["citing_id"].astype(object).isin(set(papers.loc[mask, "id"]))]
    if refs.empty:
        return say("The papers of {t} carry no cited references (the formats that carry them: Web of Science, "
                   "Scopus, OpenAlex, Semantic Scholar), so this section has nothing to show.", t=label)
    return Section(citation_summary(papers.loc[mask], refs), foundations_table(refs, n, papers))
