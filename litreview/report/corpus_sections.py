"""Report sections about a whole corpus: overview, trends, two topics compared (discovery:
:mod:`litreview.report.discovery_sections`).

Like :mod:`litreview.report.sections`: each returns something to show, and a
sentence where it has too little to say; none raises on a corpus the loader accepts.
"""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Sequence

import pandas as pd

from litreview.report.format import Section, Text, figure, paper_urls, plural, say, span, table
from litreview.report.sections import (
    _figure_of,
    _ticks,
    coverage_note,
    incomplete_sentence,
    outliers_listing,
    outside_count,
    outside_note,
    outside_window,
    titled,
    too_few_apart,
    too_few_for_terms,
    undated_sentence,
    year_window,
)
from litreview.report.similarity_sections import shared_abstract_note


def load_corpus(corpus, errors: str = "raise") -> pd.DataFrame:
    """:func:`litreview.load` for a report: problems go to the corpus overview, not to warnings."""
    import litreview as lr
    from litreview.errors import LoadWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LoadWarning)
        return lr.load(corpus or None, errors=errors)


def tag_corpus(papers: pd.DataFrame, taxonomy, tagger: str = "learned") -> pd.DataFrame:
    """:func:`litreview.tag` for a report (``tagger``: its parameter, ``"learned"`` or ``"rules"``):
    topics without fitted weights, papers read as outside the field of the fitted ones, and a taxonomy that
    covers little of the corpus are said in the report (:func:`~litreview.report.sections.load_summary`), not
    warned about in its cells."""
    return evidence_and_tags(papers, taxonomy, tagger)[1]


def evidence_and_tags(papers: pd.DataFrame, taxonomy, tagger: str = "learned") -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`litreview.evidence` and :func:`litreview.tag` of ``papers``, quietly as :func:`tag_corpus`."""
    import litreview as lr
    from litreview.tagging.coverage import CoverageWarning
    from litreview.tagging.tagger import FallbackWarning, OutsideFieldWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FallbackWarning)
        warnings.simplefilter("ignore", OutsideFieldWarning)
        warnings.simplefilter("ignore", CoverageWarning)
        evidence = lr.evidence(papers, taxonomy, tagger=tagger)
        return evidence, lr.tag(papers, taxonomy, evidence, tagger=tagger)


def _labels(taxonomy) -> dict:
    return {t.slug: t.label for t in taxonomy.topics}


# --------------------------------------------------------------------------- corpus overview


def sources_table(papers: pd.DataFrame):
    from litreview.analysis.overview import per_source

    counts = per_source(papers)
    return table(counts.assign(file=shown_files(counts["file"])), empty="No papers.")


def shown_files(values: pd.Series) -> pd.Series:
    """File paths or ``path:line`` sources without the folder they all share, when that folder is absolute
    (a user's files, named by the machine's path: a reader needs only what follows); relative ones as given."""
    given = [v for v in values.dropna().unique() if isinstance(v, str) and ("/" in v or os.sep in v)]
    files = {re.sub(r":\d+$", "", v) for v in given}  # (a label such as "all files" is no path)
    if not files or not all(os.path.isabs(f) for f in files):
        return values
    folder = os.path.commonpath([os.path.dirname(f) for f in files])
    if os.path.dirname(folder) == folder:  # (the root: nothing shared worth leaving out)
        return values
    prefix = os.path.join(folder, "")
    return pd.Series([v[len(prefix):] if isinstance(v, str) and v.startswith(prefix) else v for v in values],
                     index=values.index, dtype=object)


def years_section(papers: pd.DataFrame) -> Section:
    from litreview.analysis.overview import per_year

    counts = per_year(papers)
    counts["year"] = counts["year"].astype(object).where(counts["year"].notna(), "no year")
    return Section(outside_window(papers, year_window(papers["year"]), "timelines of the other reports"),
                   table(counts, empty="No papers."))


def missing_table(papers: pd.DataFrame):
    from litreview.analysis.overview import missing_fields

    if papers.empty:
        return say("No papers.")
    missing = missing_fields(papers).reset_index()
    return table(missing.assign(file=shown_files(missing["file"])))


COMMON_FLAG_SHARE = 0.5  # a flag raised by more than this share of the papers is counted, not listed


def flags_table(papers: pd.DataFrame):
    """Each data-quality flag with the number of papers raising it, then every flagged paper once, with its flags
    (a long list in a large corpus: the counts come first, so a rare flag is not buried under a common one)."""
    from litreview.analysis.overview import quality_flags

    flags = quality_flags(papers)
    titles = dict(zip(papers["id"], titled(papers, words=10)))
    frame = pd.DataFrame({"id": flags["id"], "flag": flags["flag"], "paper": flags["id"].map(titles),
                          "source": shown_files(flags["source"])})
    if frame.empty:
        return say("No record raised a data-quality flag.")
    counts = frame.groupby("flag").size().rename("papers").reset_index()
    counts = counts.sort_values(["papers", "flag"], ascending=[False, True]).reset_index(drop=True)
    # A flag most papers raise (no abstract, in a bibliography of bare titles) would list the whole corpus:
    # its count says it; the list keeps the rarer flags, the ones worth a look paper by paper.
    common = counts.loc[(counts["papers"] > COMMON_FLAG_SHARE * len(papers)) & (counts["papers"] > 20), "flag"]
    # each paper once, with its flags (a placeholder abstract raises two)
    listed = frame[~frame["flag"].isin(set(common))].groupby("id", sort=False).agg(
        flags=("flag", ", ".join), paper=("paper", "first"), source=("source", "first")).reset_index(drop=True)
    said = ", ".join(f"{f} ({n:,} of the {len(papers):,} papers)" for f, n in
                     counts.set_index("flag").loc[common, "papers"].items())
    note = say("Not listed paper by paper, being most of the corpus: {flags}.", flags=said) if len(common) else None
    return Section(table(counts), shared_abstract_note(counts), note,
                   table(listed, searchable=len(listed) > 20, what="flags") if len(listed) else None)


def example_libraries(corpus, examples: str) -> pd.DataFrame | None:
    """The default corpus with the kit's two example libraries added (``my_library.bib`` and ``.ris`` in
    ``examples``), to show what merges and what is skipped; ``None`` for a corpus of the user's own, which
    the demonstration is not about (the sections above already show its merges and problems)."""
    import litreview as lr

    if corpus:
        return None
    return load_corpus([*lr.corpus_files(), examples + "my_library.bib", examples + "my_library.ris"], errors="skip")


def example_libraries_sentence(papers: pd.DataFrame, combined: pd.DataFrame | None) -> Text:
    if combined is None:
        return say("This demonstration adds the kit's example libraries (`data/examples`) to its default corpus, "
                   "so it is left out for a corpus of your own: give all your files as the corpus "
                   "(`litreview report --corpus a.bib b.ris`) and the two tables above show what merged and "
                   "what was skipped.")
    return say("{n} papers in the corpus, {m} with the two libraries added.", n=len(papers), m=len(combined))


def problems_table(papers: pd.DataFrame | None):
    """Records skipped, read in part, or read whole with a note such as a citation key used twice (nothing
    for ``papers=None``: a section left out)."""
    from litreview.io.load import load_problems

    if papers is None:
        return None
    problems = load_problems(papers)
    problems = problems.assign(file=shown_files(problems["file"]))
    skipped, partial, noted = (int((problems["severity"] == s).sum()) for s in ("error", "warning", "note"))
    lead = say("{n} skipped, {m} read in part" + ("; {k}." if noted else "."),
               n=plural(skipped, "record"), m=partial, k=plural(noted, "note")) if len(problems) else None
    return Section(lead, table(problems, searchable=len(problems) > 20, what="problems",
                               empty="Every record was read in full: none skipped, none read in part."))


def merges_table(papers: pd.DataFrame | None):
    """Records folded into another paper, and the key that matched (nothing for ``papers=None``)."""
    from litreview.io.load import merge_log

    if papers is None:
        return None
    merges = merge_log(papers)
    titles = dict(zip(papers["id"], titled(papers, words=10)))
    frame = pd.DataFrame({"paper": merges["id"].map(titles), "merged record": shown_files(merges["source"]),
                          "matched on": merges["matched_on"]})
    return table(frame, searchable=len(frame) > 20, what="merges",
                 empty="No two records were the same paper: nothing was merged.")


def merged_papers_table(papers: pd.DataFrame | None):
    if papers is None:
        return None
    merged = papers[papers["provenance"].map(len) > 1]
    frame = pd.DataFrame({"paper": titled(merged, words=10), "venue": merged["venue"], "year": merged["year"],
                          "read from": merged["provenance"]})
    return table(frame, links={"paper": paper_urls(merged)}, empty="No paper was read from more than one record.")


def enrichment_section(papers: pd.DataFrame, snapshot, corpus=()) -> Section:
    """Fields filled from the example arXiv snapshot; for a corpus of the user's own (``corpus`` given), how
    to fill them from arXiv's full snapshot instead (the example holds eight seed papers only)."""
    import litreview as lr

    if corpus and not papers["arxiv_id"].notna().any():
        return Section(say("No paper of this corpus has an arXiv id, so an arXiv snapshot has nothing to fill here."))
    if corpus:
        return Section(say("The example snapshot in `data/examples` holds eight seed papers only, so it is not "
                           "applied to your corpus. To fill missing titles, authors and dates from arXiv, offline: "
                           "`lr.enrich(papers, \"arxiv-metadata-oai-snapshot.json\")` with the metadata snapshot "
                           "arXiv publishes."))
    enriched = lr.enrich(papers, snapshot)
    filled = lr.enrichment_log(enriched)
    if filled.empty:
        return Section(say("The snapshot has nothing these papers lack: no field was filled."))
    per_field = filled.groupby("field").size().rename("values filled").reset_index()
    was_untitled = papers["title"].isna() & enriched["title"].notna()
    before_after = pd.DataFrame({"before": titled(papers[was_untitled], words=6),
                                 "after": enriched.loc[was_untitled, "title"]})
    return Section(table(per_field), table(before_after, empty="No title was filled."))


def topic_counts_table(tagged: pd.DataFrame, slugs: Sequence[str], taxonomy):
    from litreview.analysis.trends import topic_counts

    counts = topic_counts(tagged, list(slugs))
    counts.insert(0, "label", counts["topic"].map(_labels(taxonomy)))
    return table(counts.rename(columns={"label": "topic", "topic": "slug", "share": "share of papers"}),
                 formats={"share of papers": "{:.0%}"}, empty="No topics.")


def topic_counts_figure(tagged: pd.DataFrame, slugs: Sequence[str], taxonomy=None):
    """Bars of the papers per topic, the topics named by their labels (as the table beside it names them) when
    ``taxonomy`` is given."""
    from litreview.analysis.trends import plot_topic_counts, topic_counts

    counts = topic_counts(tagged, list(slugs))
    if not counts["papers"].sum():
        return say("No paper has a topic.")
    if taxonomy is not None:
        counts = counts.assign(topic=counts["topic"].map(_labels(taxonomy)).fillna(counts["topic"]))
    top = counts.iloc[0]
    fig = _figure_of(plot_topic_counts(counts))
    return figure(fig, f"Bar chart of papers per topic; the largest is {top['topic']} with {int(top['papers'])}.")


def untagged_sentence(tagged: pd.DataFrame, taxonomy=None, tagger: str = "learned") -> Text:
    """How many papers have no topic; with ``taxonomy`` (and the learned decision), how many of the corpus
    read as outside the field the fitted topics were learned on (:func:`litreview.report.sections.outside_note`)."""
    n = int((tagged["topics"].map(len) == 0).sum())
    if not n:
        sentence = say("Every paper has a topic.")
    else:
        sentence = say("{n} of the {m} {have} no topic.", n=f"{n:,}", m=plural(len(tagged), "paper"),
                       have="has" if n == 1 else "have")
    learned = taxonomy is not None and tagger != "rules"
    count = outside_count(tagged, taxonomy) if learned else 0
    notes = [n for n in (outside_note(tagged, taxonomy, count=count) if learned else None,
                         coverage_note(tagged, count)) if n is not None]
    return Text(" ".join([sentence.markdown] + [n.markdown for n in notes]))


def topic_overlap_section(tagged: pd.DataFrame, taxonomy) -> Section:
    import litreview as lr

    pairs = lr.topic_cooccurrence(tagged, taxonomy.slugs)
    if pairs.empty:
        return Section(say("No two topics share a paper."))
    labels = _labels(taxonomy)
    heat = _figure_of(lr.plot_cooccurrence_matrix(lr.cooccurrence_matrix(tagged, taxonomy.slugs)))
    top = pairs.iloc[0]
    shown = pairs.head(10).assign(topic_a=pairs["topic_a"].map(labels), topic_b=pairs["topic_b"].map(labels))
    return Section(
        figure(heat, f"Heatmap of papers shared by each pair of topics; the most shared: {top['topic_a']} and "
                     f"{top['topic_b']}, {int(top['papers'])} papers."),
        table(shown.rename(columns={"topic_a": "topic", "topic_b": "and topic", "papers": "shared papers"}),
              formats={"jaccard": "{:.2f}"}),
    )


def topic_network(tagged: pd.DataFrame, taxonomy):
    import litreview as lr

    pairs = lr.topic_cooccurrence(tagged, taxonomy.slugs)
    if pairs.empty:
        return say("No two topics share a paper: no network to draw.")
    fig = _figure_of(lr.plot_cooccurrence_network(pairs, lr.topic_counts(tagged, taxonomy.slugs), min_papers=2))
    return figure(fig, "Network of topics on a circle: node area is a topic's papers, edge width the papers two "
                       "topics share (pairs sharing two or more).")


def term_network(papers: pd.DataFrame, n_terms: int = 25):
    import litreview as lr

    reason = too_few_for_terms(len(papers), len(papers) - 1, "a term network")
    if reason is not None:
        return reason
    pairs = lr.term_cooccurrence(papers, n=n_terms)
    if pairs.empty:
        return say("No two frequent terms share a paper: no network to draw.")
    occurrences = lr.term_occurrences(papers, n=n_terms)
    fig = _figure_of(lr.plot_cooccurrence_network(pairs, occurrences, min_papers=3, weight="jaccard", max_links=2,
                                                  title=f"The {n_terms} most frequent terms: papers shared"))
    return figure(fig, f"Network of the corpus's most frequent terms ({', '.join(occurrences['term'].head(5))}, "
                       "...): each term is joined to the two it shares most papers with, relative to their papers "
                       "(Jaccard; pairs in three or more of the same papers), edge width by that share.")


def venues_table(papers: pd.DataFrame, n: int = 8):
    from litreview.analysis.authors import top_venues

    return table(top_venues(papers, n=n), empty="No paper names its venue.")


PARTIAL_AUTHORS_SHARE = 0.1  # share of papers with a partial author list above which the authors table says so


def authors_table(papers: pd.DataFrame, n: int = 8):
    from litreview.analysis.authors import top_authors

    if not papers["authors"].map(len).any():
        return say("No paper names its authors.")
    shown = table(top_authors(papers, n=n), empty="No paper names its authors.")
    partial = int(papers["quality_flags"].map(lambda f: "authors-incomplete" in list(f)).sum()) \
        if "quality_flags" in papers else 0
    if partial <= PARTIAL_AUTHORS_SHARE * len(papers):
        return shown
    return Section(say("{k} of the {m} name only some of their authors (flagged authors-incomplete), so these "
                       "counts are of the names the sources give: an author left unnamed is not counted.",
                       k=f"{partial:,}", m=plural(len(papers), "paper")), shown)


FEW_LABELLED = 20  # labelled papers below which the tag-quality table is examples, not rates


def tag_quality_section(tagged: pd.DataFrame, taxonomy):
    """Precision and recall against the hand labels (``data/labels.csv``) on the papers of ``tagged`` that have
    one, for the topics those papers have in their labels or their tags: a topic with neither has nothing to
    measure it, and is named in a sentence, not listed as a row of dashes that pulls the macro average down."""
    from litreview.tagging.evaluation import evaluate, load_labels

    labels = load_labels()
    covered = tagged[tagged["id"].isin(set(labels["id"]))]
    if covered.empty:
        return say("The hand labels (data/labels.csv) are for the default corpus: none of these papers has one, "
                   "so tag quality cannot be measured here.")
    n = len(covered)
    lead = say("{n} of the {m} {have} hand {labels}.", n=f"{n:,}", m=plural(len(tagged), "paper"),
               have="has a" if n == 1 else "have", labels="label" if n == 1 else "labels")
    gold = labels[labels["id"].isin(set(covered["id"]))]
    seen = {t for topics in [*gold["topics"], *covered["topics"]] for t in topics}
    measured = [s for s in taxonomy.slugs if s in seen]
    if not measured:
        return Text(lead.markdown + " " + say("Neither {their} nor {whose} tags give {them} a topic, so there is "
                                              "nothing to score.", their="its label" if n == 1 else "their labels",
                                              whose="its" if n == 1 else "their",
                                              them="it" if n == 1 else "them").markdown)
    unmeasured = [s for s in taxonomy.slugs if s not in seen]
    note = None if not unmeasured else say(
        "{k} neither a hand label nor a tag among them, so nothing measures {it}: {they} left out of the table "
        "and of its macro average ({names}).", k=plural(len(unmeasured), "topic has", "topics have"),
        it="it" if len(unmeasured) == 1 else "them", they="it is" if len(unmeasured) == 1 else "they are",
        names=", ".join(taxonomy[s].label for s in unmeasured))
    few = None if n >= FEW_LABELLED else say(
        "{k} too few to measure tag quality: read the table as examples, not rates, or label a sample of your own "
        "papers (walkthrough 2).", k=("One labelled paper is" if n == 1 else f"{_count_word(n)} labelled papers are"))
    scores = evaluate(covered, labels, measured)
    return Section(lead, note, few, table(scores, formats={c: "{:.2f}" for c in ("precision", "recall", "f1")}))


def _count_word(n: int) -> str:
    words = "Two Three Four Five Six Seven Eight Nine Ten".split()
    return words[n - 2] if 2 <= n <= 10 else str(n)


# --------------------------------------------------------------------------- trends


def clipped_timeline(tagged: pd.DataFrame, slugs: Sequence[str], granularity: str = "year") -> pd.DataFrame:
    """:func:`litreview.topic_timeline` over the bulk of the years (see :func:`year_window`), and monthly over the
    bulk of their months (:func:`month_window`)."""
    from litreview.analysis.trends import topic_timeline

    window = year_window(tagged["year"])
    if window is None:
        return topic_timeline(tagged.iloc[:0], list(slugs), granularity=granularity)
    if granularity == "month" and (months := month_window(tagged, window)) is not None:
        window = months
    return topic_timeline(tagged, list(slugs), start=window[0], end=window[1], granularity=granularity)


def month_window(tagged: pd.DataFrame, years: tuple[int, int]) -> tuple[str, str] | None:
    """The months a monthly timeline shows: within ``years``, the run of months holding most papers
    (:func:`litreview.main_months`)."""
    from litreview.analysis.trends import main_months

    return main_months(tagged[tagged["year"].between(*years).fillna(False).astype(bool)])


def outside_months(tagged: pd.DataFrame, months: tuple[str, str] | None, years: tuple[int, int] | None) -> Text | None:
    """A sentence naming the papers within ``years`` whose month lies outside ``months``, across a long gap."""
    if months is None or years is None:
        return None
    in_years = tagged[tagged["year"].between(*years).fillna(False).astype(bool) & tagged["month"].notna()]
    period = (in_years["year"].astype(int).map("{:04d}".format) + "-"
              + in_years["month"].astype(int).map("{:02d}".format))
    outside = in_years[(period < months[0]) | (period > months[1])]
    if outside.empty:
        return None
    outside = outside.assign(period=period).sort_values("period")
    return Text(say("{n} more than a year apart from the months {a} to {b}, where the others are, and {verb} left out "
                    "of the monthly table so that {pron} cannot open or close it with a year of empty months: ",
                    n=plural(len(outside), "paper lies", "papers lie"), a=months[0], b=months[1],
                    verb="is" if len(outside) == 1 else "are", pron="it" if len(outside) == 1 else "they").markdown
                + outliers_listing(outside, outside["period"]) + ".")


def trends_section(tagged: pd.DataFrame, timeline: pd.DataFrame, slugs: Sequence[str], taxonomy,
                   granularity: str = "year") -> Section:
    """Every period from the first to the last dated paper, one column per topic with papers in them, 0 where
    it had none; the topics with none in any period are named in a sentence instead of as columns of zeros."""
    from litreview.analysis.trends import plot_topic_timeline, topic_counts

    if timeline.empty:
        return Section(say("No paper has a {g}, so there is no timeline.", g=granularity))
    period = "period" if granularity == "month" else "year"
    labels = _labels(taxonomy)
    wide = timeline.pivot(index=period, columns="topic", values="papers").reindex(columns=list(slugs))
    empty = [c for c in wide.columns if not wide[c].fillna(0).any()]
    none = None
    if empty and len(empty) < len(wide.columns):  # (all empty: the table of zeros says it)
        wide = wide.drop(columns=empty)
        none = say("{n} no paper in these {g}s, so {it} {is_} left out of the table: {names}.",
                   n=plural(len(empty), "topic has", "topics have"), g=period, it="it" if len(empty) == 1 else "they",
                   is_="is" if len(empty) == 1 else "are", names=", ".join(labels.get(s, s) for s in empty))
    wide.columns = [labels.get(c, c) for c in wide.columns]
    largest = topic_counts(tagged, list(slugs))
    largest = largest[largest["papers"] > 0]["topic"].head(6).tolist()
    years = year_window(tagged["year"])
    months = month_window(tagged, years) if granularity == "month" and years is not None else None
    parts = [outside_window(tagged, years), outside_months(tagged, months, years),
             undated_sentence(tagged, granularity), incomplete_sentence(timeline, granularity, tagged), none,
             table(wide.reset_index(), searchable=len(wide) > 15, what=f"{period}s")]
    if largest and granularity == "year":
        shown = timeline[timeline["topic"].isin(largest)]
        fig = _figure_of(plot_topic_timeline(shown.assign(topic=shown["topic"].map(labels)),
                                       title=f"The {len(largest)} largest topics: papers per year"))
        _ticks(fig)
        incomplete_sentence(timeline, granularity, tagged, fig=fig)  # (said above the table: here it shades)
        parts.append(figure(fig, f"Line chart of papers per year, {span(timeline['year'])}, for the largest "
                                 f"topics: {', '.join(labels.get(s, s) for s in largest)}."))
    return Section(*parts)


def rising_section(timeline: pd.DataFrame, window: int, granularity: str, taxonomy) -> Section:
    from litreview.analysis.trends import plot_rising_topics, rising_topics

    period = "period" if granularity == "month" else "year"
    periods = timeline[period].nunique() if len(timeline) else 0
    if periods < 2 * window:
        return Section(say("Too few {g}s to compare: the timeline has {n}, and a window of {w} needs {k}.",
                           g=granularity, n=str(periods), w=str(window), k=str(2 * window)))
    rising = rising_topics(timeline, window=window)
    labels = _labels(taxonomy)
    shown = rising.assign(topic=rising["topic"].map(labels).fillna(rising["topic"]))
    fig = _figure_of(plot_rising_topics(shown, title=f"Change in share: last {window} {granularity}s against the "
                                              f"{window} before"))
    top = shown.iloc[0]
    # (a change of shares is in percentage points, not a percent of the earlier share)
    named = shown.assign(change=shown["change"] * 100).rename(columns={
        "recent_share": "share, recent", "earlier_share": "share, before", "change": "change (points)",
        "recent_papers": "papers, recent", "earlier_papers": "papers, before"})
    return Section(
        table(named, formats={"share, recent": "{:.1%}", "share, before": "{:.1%}", "change (points)": "{:+.1f}"}),
        figure(fig, f"Bar chart of each topic's change in share of papers; the fastest riser is {top['topic']} "
                    f"({top['change'] * 100:+.1f} percentage points)."),
    )


# --------------------------------------------------------------------------- two topics


def topic_pair(taxonomy, topic_a: str, topic_b: str):
    """The two topics of ``taxonomy`` to compare: an unknown slug lists the valid ones, one topic twice says so
    (its papers would be compared with themselves)."""
    from litreview.validation import check_pair

    a, b = taxonomy[topic_a], taxonomy[topic_b]
    check_pair(a.slug, b.slug)
    return a, b


def overlap_table(in_a: pd.Series, in_b: pd.Series, label_a: str, label_b: str):
    """Papers in either topic only and in both; a sentence under it when a topic has no paper in the corpus."""
    frame = pd.DataFrame({"papers in": [f"{label_a} only", "both", f"{label_b} only"],
                          "papers": [int((in_a & ~in_b).sum()), int((in_a & in_b).sum()), int((in_b & ~in_a).sum())]})
    empty = [label for label, inside in ((label_a, in_a), (label_b, in_b)) if not inside.any()]
    if len(empty) == 2:
        note = say("Neither {a} nor {b} has a paper in this corpus, so there is nothing to compare: choose "
                   "topics the corpus has (the corpus overview counts the papers of each).", a=label_a, b=label_b)
    elif empty:
        other = label_b if empty[0] == label_a else label_a
        note = say("{none} has no paper in this corpus, so there is nothing to compare it with: the sections "
                   "below show {other} alone.", none=empty[0], other=other)
    return Section(table(frame), note) if empty else table(frame)


def papers_in_both(tagged: pd.DataFrame, evidence: pd.DataFrame, topic_a: str, topic_b: str, taxonomy):
    """The papers of both topics with the words that earned each tag (or that no rule matched: the learned
    decision tagged it, as in the topic report's list)."""
    from litreview.analysis.topic import NO_RULE_MATCHED, evidence_summary, has_topic

    both = tagged[has_topic(tagged, topic_a) & has_topic(tagged, topic_b)]
    labels = _labels(taxonomy)
    frame = pd.DataFrame({"paper": titled(both), "year": both["year"], **{
        labels[t]: both["id"].map(evidence_summary(evidence, t)).fillna(NO_RULE_MATCHED) for t in (topic_a, topic_b)}})
    return table(frame, links={"paper": paper_urls(both)}, searchable=True, what="papers",
                 empty="No paper is tagged with both topics.")


def compare_terms(tagged: pd.DataFrame, in_a: pd.Series, in_b: pd.Series, label_a: str, label_b: str,
                  n: int = 10, *, slugs: tuple[str, str] = ("A", "B")):
    """Terms that tell the two topics apart (papers in both left out), side by side: each topic's terms under its
    label, their z-scores under ``z (slug)``."""
    from litreview.analysis.terms import distinctive_terms

    either = (in_a ^ in_b).to_numpy()
    papers = tagged[either].reset_index(drop=True)
    side_a = in_a.to_numpy()[either]
    reason = too_few_apart(len(papers), {label_a: int(side_a.sum()), label_b: int((~side_a).sum())})
    if reason is not None:
        return reason
    towards_a = distinctive_terms(papers, side_a, n=n)
    towards_b = distinctive_terms(papers, ~side_a, n=n)
    rows = max(len(towards_a), len(towards_b))
    if not rows:
        return say("No term tells the two apart.")
    z_a, z_b = (f"z ({slug})" for slug in slugs)
    frame = pd.DataFrame({
        f"{label_a}": towards_a["term"].reindex(range(rows)), z_a: towards_a["z"].reindex(range(rows)),
        f"{label_b}": towards_b["term"].reindex(range(rows)), z_b: towards_b["z"].reindex(range(rows)),
    })
    return table(frame, formats={z_a: "{:.2f}", z_b: "{:.2f}"})
