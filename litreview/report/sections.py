"""The pieces of a report: what each section shows, and what it says when it has too little.

Report notebooks call these and show what they return (:mod:`litreview.report.format`
objects), so the logic is here, tested, and a notebook cell is one call.  No
function raises on a corpus the loader accepts: a section with nothing to show
says so in a sentence (``Too few papers for distinctive terms: 3 papers, at
least 10 needed.``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from litreview.figures import shade_period
from litreview.report.fit_warnings import (
    COVERS_LITTLE,
    DOES_NOT_FIT,
    LABELLED_FIELD,
    WRITE_YOUR_OWN,
    covers_little,
    does_not_fit,
)
from litreview.report.format import MISSING, Section, Table, Text, figure, number, plural, say, span, table
from litreview.report.provenance import FILE_PARAMETERS

MIN_PAPERS_FOR_TERMS = 10  # fewer and a z-score says more about one abstract than about a topic
MIN_GROUP_FOR_TERMS = 2
NOTABLE_Z = 2  # the z-score the reports call notable ("above about 2")
LISTED_OUTLIERS = 8


# --------------------------------------------------------------------------- parameters and headings


def describe_files(paths) -> str:
    """``corpus=[...]`` for a reader: file names, or ``the default corpus``."""
    if not paths:
        return "the default corpus"
    paths = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
    names = [os.path.basename(str(p)) for p in paths]
    return ", ".join(names[:4]) + (f" and {len(names) - 4} more" if len(names) > 4 else "")


def parameters_line(parameters: Mapping) -> Text:
    """The run's parameters as one readable line: ``years: 2021 to 2023 · corpus: my.bib · taxonomy: default``."""
    parts = []
    items = dict(parameters)
    if "start_year" in items or "end_year" in items:
        start, end = items.pop("start_year", None), items.pop("end_year", None)
        if start is None and end is None:
            parts.append(say("years: all"))
        elif start is not None and end is not None:
            parts.append(say("years: {a} to {b}", a=str(start), b=str(end)))
        elif start is not None:
            parts.append(say("years: {a} and later", a=str(start)))
        else:
            parts.append(say("years: up to {b}", b=str(end)))
    for name, value in items.items():
        if isinstance(value, str) and not value.strip() and name != "corpus":
            continue  # (an unset text parameter, such as reviewer: nothing to say)
        if name == "corpus":
            parts.append(say("corpus: {v}", v=describe_files(value)))
        elif name in FILE_PARAMETERS:  # (by name, never a machine's path)
            parts.append(say(name + ": {v}", v=describe_files(value) if value else "the default"))
        elif isinstance(value, (list, tuple)):
            parts.append(say(name.replace("_", " ") + ": {v}", v=", ".join(map(str, value)) if value else "all"))
        else:
            parts.append(say(name.replace("_", " ") + ": {v}", v=MISSING if value is None else str(value)))
    return Text(" · ".join(p.markdown for p in parts))


def heading(title: str, parameters: Mapping, *, lead: str | None = None) -> Text:
    """The report's title (escaped) as a heading, a lead sentence (trusted Markdown) and its parameters."""
    from litreview.report.format import escape_markdown

    lines = [f"# {escape_markdown(title)}"]
    if lead:
        lines.append(lead)
    lines.append(f"*{parameters_line(parameters).markdown}*")
    return Text("\n\n".join(lines))


def topic_heading(topic, n_topic: int, n_corpus: int, parameters: Mapping) -> Text:
    """``# Alignment``, its scope, how many papers it has, and the run's parameters."""
    from litreview.report.format import escape_markdown

    start, end = parameters.get("start_year"), parameters.get("end_year")
    years = ("" if start is None and end is None else " from {a} on" if end is None else " up to {b}" if start is None
             else " of {a}" if start == end else " of {a} to {b}")  # (the year window's papers are counted)
    years = say(years, a=str(start), b=str(end)).markdown
    count = say("**{n}** of the {m} in the corpus" + years + " {are} tagged with this topic.", n=n_topic,
                m=plural(n_corpus, "paper"), are="is" if n_topic == 1 else "are")
    if n_corpus == 0:
        count = say("**No paper** in the corpus matches these parameters, so the sections below have nothing to show.")
    elif n_topic == 0:
        count = say("**No paper** of the {m} in the corpus" + years + " is tagged with this topic, so most sections "
                    "below have nothing to show.", m=plural(n_corpus, "paper"))
    lead = f"{escape_markdown(topic.scope)}\n\n{count.markdown}" if topic.scope else count.markdown
    return heading(topic.label, parameters, lead=lead)


def corpus_summary(papers: pd.DataFrame) -> Text:
    """``**412 papers** from 1 file, published 1662 to 2026 (3 without a year).``"""
    files = {s.rsplit(":", 1)[0] for srcs in papers["provenance"] for s in srcs} if len(papers) else set()
    text = f"**{plural(len(papers), 'paper')}** from {plural(len(files), 'file')}"
    years = papers["year"].dropna()
    undated = int(papers["year"].isna().sum())
    if len(years):
        text += f", published {span(years)}"
        if undated:
            text += f" ({number(undated)} without a year)"
    elif len(papers):
        text += ", none with a year"
    return Text(text + ".")


def problem_counts(papers: pd.DataFrame) -> tuple[int, int]:
    """The records the load skipped and those it read in part (its account: :func:`litreview.load_problems`);
    (0, 0) for a table without one (made by hand, not loaded)."""
    from litreview.io.account import MissingAccountError, load_problems

    try:
        severity = load_problems(papers)["severity"]
    except MissingAccountError:
        return 0, 0
    return int((severity == "error").sum()), int((severity == "warning").sum())


def load_summary(papers: pd.DataFrame, taxonomy=None, tagger: str = "learned") -> Text:
    """A sentence on the records the loader skipped (listed in the corpus overview), or that none was;
    with ``taxonomy``, then what decided the tags: :func:`decision_note` when some of its topics have
    no fitted weights, or that the rules alone did (``tagger="rules"``)."""
    skipped, in_part = problem_counts(papers)
    if not skipped:
        loaded = say("Every record of the input files was read; none was skipped.")
    else:
        loaded = say("{n} could not be read and {verb} skipped; the corpus overview lists {them}.",
                     n=plural(skipped, "record"), verb="was" if skipped == 1 else "were",
                     them="it" if skipped == 1 else "them")
    if in_part:  # (problems of severity "warning": a record read with something left out or doubtful)
        loaded = Text(loaded.markdown + " " + say("{n} {has} a problem noted (read in part, or with a field in "
                                                    "doubt); the corpus overview lists them.",
                                                    n=plural(in_part, "record"),
                                                    has="has" if in_part == 1 else "have").markdown)
    if taxonomy is None:  # (an untagged corpus: nothing to say of its tags)
        note = None
    elif tagger == "rules":
        note = say("The tags are the taxonomy's rules alone (the report's `tagger` parameter), without the "
                   "decision fitted on hand labels.")
    else:
        outside = outside_count(papers, taxonomy)
        coverage = coverage_note(papers, outside)
        notes = [n for n in (coverage, outside_note(papers, taxonomy, count=outside), decision_note(taxonomy))
                 if n is not None]
        note = Text(" ".join(n.markdown for n in notes)) if notes else None
        if coverage is not None or does_not_fit(outside, len(papers)):  # what matters most to a reader: first
            return Text(f"{note.markdown}\n\n{loaded.markdown}")
    return Text(f"{loaded.markdown}\n\n{note.markdown}") if note is not None else loaded


def outside_note(papers: pd.DataFrame, taxonomy, *, count: int | None = None) -> Text | None:
    """How many papers read as outside the field the fitted topics were learned on (and so have none of
    them; :func:`litreview.tag` warns of it): None when none does, or no topic has fitted weights.  When
    most do, it says first that the taxonomy does not fit the corpus.  A tagged table's ``outside_field``
    column is read; an untagged one's words are counted again; ``count``: the number, when known."""
    if taxonomy is None:
        return None
    n = outside_count(papers, taxonomy) if count is None else count
    if not n:
        return None
    one = n == 1
    words = dict(n=n, total=plural(len(papers), "paper"), reads="reads" if one else "read",
                 they="it" if one else "they", have="has" if one else "have", them="it" if one else "them",
                 their="its" if one else "their")
    short = _title_only(papers)
    if short:  # (a title alone is too little text for its words per 100 characters to tell its field)
        single = short == 1
        words["short"] = say(" {k} of {them} {have} a title and no abstract: too little text to tell {their} field; "
                             "loaded with {their} {abstracts}, {they} would be judged.", k=number(short),
                             them="it" if one else "them", have="has" if single else "have",
                             their="its" if single else "their", abstracts="abstract" if single else "abstracts",
                             they="it" if single else "they").markdown
    if does_not_fit(n, len(papers)):
        rest = len(papers) - n
        others = ("" if not rest else ", and the tags of the other paper may come from its words used in another "
                  "sense" if rest == 1 else ", and the tags of the other {rest} papers may come from its words used "
                  "in another sense")
        return say("**" + DOES_NOT_FIT + ".** {n} of the {total} {reads} as outside the field the kit's fitted "
                   "topics were learned on (" + LABELLED_FIELD + ": few words of its vocabulary per 100 "
                   "characters), so {they} {have} none of those topics" + others + "." + words.pop("short", "") + " "
                   + WRITE_YOUR_OWN[:1].upper()
                   + WRITE_YOUR_OWN[1:] + "; the rules alone (`--param tagger=rules`) would tag the papers by this "
                   "taxonomy's words, in whatever sense.",
                   rest=number(rest), **words)
    return say("{n} of the {total} {reads} as outside the field the kit's fitted topics were learned on ("
               + LABELLED_FIELD + ": few words of its vocabulary per 100 characters), so {they} {have} none of "
               "those topics."
               + words.pop("short", "") + " To tag {them}, write a taxonomy for {their} field (walkthrough 2); the "
               "rules alone (`--param tagger=rules`) would tag {them} by this taxonomy's words, in whatever sense.",
               **words)


def _title_only(papers: pd.DataFrame) -> int:
    """The papers read as outside the field (a tagged table's ``outside_field``) with no abstract and no notes."""
    if "outside_field" not in papers.columns:
        return 0
    text = pd.Series(False, index=papers.index)
    for column in ("abstract", "notes"):
        if column in papers.columns:
            text |= papers[column].map(lambda v: isinstance(v, str) and bool(v.strip()))
    return int((papers["outside_field"].astype(bool) & ~text).sum())


def coverage_note(tagged: pd.DataFrame, outside: int = 0) -> Text | None:
    """When most papers of a tagged table have no topic (and most are not outside the field, ``outside`` of
    them: :func:`outside_note` says that): that the taxonomy covers little of the corpus, and what to do
    before trusting a topic; None otherwise."""
    if "topics" not in tagged.columns or not len(tagged):
        return None
    n = int((tagged["topics"].map(len) == 0).sum())
    if not covers_little(n, outside, len(tagged)):
        return None
    return say("**" + COVERS_LITTLE + ":** {n} of the {total} have none of its topics, so a tag may come from "
               "one of its words used in another sense, or from no word of it at all (the learned decision reading "
               "a paper's other words as the topic's). Read a few tagged papers before trusting a topic, or "
               + WRITE_YOUR_OWN + ".", n=f"{n:,}", total=plural(len(tagged), "paper"))


def outside_count(papers: pd.DataFrame, taxonomy) -> int:
    """The papers under the field floor: from ``lr.tag``'s ``outside_field`` column where the table has it."""
    if "outside_field" in papers.columns:
        return int(papers["outside_field"].sum())
    from litreview.tagging.tagger import outside_field

    return int(outside_field(papers, taxonomy).sum())


def decision_note(taxonomy) -> Text | None:
    """What decides the tags of topics with no weights fitted on hand labels (a taxonomy of one's own,
    or topics edited since the fit): None when every topic has them."""
    from litreview.tagging.decision import default_tagger

    fallback = default_tagger().fallback_topics(taxonomy)
    if not fallback:
        return None
    how = ("tagged by {their} rules together with each paper's similarity to {its} description, by weights "
           "shared by all such topics; {their} scores were not measured against hand labels.")
    if len(fallback) == len(taxonomy.topics):
        return say("No topic of this taxonomy has weights fitted on hand labels (the kit's fitted topics are those "
                   "of its default taxonomy, as they were when fitted), so each is " + how,
                   their="its", its="its")
    labels = [taxonomy[slug].label for slug in fallback]
    named = ", ".join(labels[:-1]) + " and " + labels[-1] if len(labels) > 1 else labels[0]
    one = len(labels) == 1
    return say("{named} {has} no weights fitted on hand labels (new, or edited since the fit), so {it} {verb} " + how,
               named=named, has="has" if one else "have", it="it" if one else "they", verb="is" if one else "are",
               their="its" if one else "their", its="its" if one else "their")


# --------------------------------------------------------------------------- papers


def titled(papers: pd.DataFrame, words: int = 12) -> pd.Series:
    from litreview.fields.latex import readable
    from litreview.schema import display_titles

    return pd.Series(display_titles(papers, words=words).map(readable).to_numpy(), index=papers.index)


def topic_paper_list(tagged: pd.DataFrame, evidence: pd.DataFrame, topic: str, taxonomy) -> Table | Text:
    """Every paper of ``topic``, newest first, title linked, with its score and the evidence for its tag; searchable."""
    from litreview.analysis.topic import NO_RULE_MATCHED, evidence_summary, has_topic, topic_score
    from litreview.report.format import paper_urls

    papers = tagged[has_topic(tagged, topic)]
    labels = {t.slug: t.label for t in taxonomy.topics}
    frame = pd.DataFrame(
        {
            "paper": titled(papers),
            "year": papers["year"],
            "venue": papers["venue"],
            "also in": papers["topics"].map(lambda ts: ", ".join(labels.get(t, t) for t in ts if t != topic)),
            "score": topic_score(papers, topic).round(2),
            "evidence": papers["id"].map(evidence_summary(evidence, topic)).fillna(NO_RULE_MATCHED),
            "url": paper_urls(papers),
        }
    )
    frame = frame.sort_values(["year", "paper"], ascending=[False, True], na_position="last").reset_index(drop=True)
    if frame["score"].isna().all():  # the rules decided: no scores to show
        frame = frame.drop(columns="score")
    return table(frame.drop(columns="url"), links={"paper": frame["url"]}, searchable=True, what="papers",
                 formats={"score": "{:.2f}"}, empty="No paper is tagged with this topic.")  # (1.00, not 1, beside 0.91)


# --------------------------------------------------------------------------- years and timelines


def year_window(years: pd.Series) -> tuple[int, int] | None:
    """The years a timeline shows (:func:`litreview.main_years`)."""
    from litreview.analysis.trends import main_years

    return main_years(years)


def outside_window(papers: pd.DataFrame, window: tuple[int, int] | None, what: str = "timeline",
                   basis: pd.Series | None = None) -> Text | None:
    """A sentence naming the dated papers outside ``window`` (they are left out of the ``what``); ``basis``:
    the years the window was drawn from, when not ``papers``' own (a topic's timeline has the corpus's axis)."""
    if window is None:
        return None
    def beyond(years: pd.Series) -> pd.Series:  # (dated and outside the window; missing years are neither)
        return ((years < window[0]) | (years > window[1])).fillna(False).astype(bool)

    drawn = papers["year"] if basis is None else basis
    share = 1 - int(beyond(drawn).sum()) / max(int(drawn.notna().sum()), 1)
    outside = papers[beyond(papers["year"])]
    if outside.empty:
        return None
    outside = outside.sort_values("year")
    listing = outliers_listing(outside, outside["year"].astype(str))
    return Text(
        say("{n} outside {years}, where {pct} of the " + ("" if basis is None else "corpus's ") + "dated papers "
            "are, and {verb} left out of the {what} so that {pron} cannot stretch its axis: ",
            n=plural(len(outside), "paper lies", "papers lie"),
            years=str(window[0]) if window[0] == window[1] else f"{window[0]} to {window[1]}", pct=f"{share:.0%}",
            verb="is" if len(outside) == 1 else "are", pron="it" if len(outside) == 1 else "they",
            what=what).markdown + listing + "."
    )


def outliers_listing(outside: pd.DataFrame, when: pd.Series) -> str:
    """The papers a timeline leaves out as Markdown, "title (when); ...", the first :data:`LISTED_OUTLIERS` of them
    and how many more."""
    named = [say("{t} ({w})", t=t, w=w).markdown for t, w in zip(titled(outside, words=8).head(LISTED_OUTLIERS), when)]
    more = len(outside) - len(named)
    return "; ".join(named) + (f"; and {more} more" if more > 0 else "")


def undated_sentence(papers: pd.DataFrame, granularity: str = "year") -> Text | None:
    from litreview.analysis.trends import undated

    n = undated(papers, granularity)
    if not n:
        return None
    return say("{n} without a {g} {verb} not shown.", n=plural(n, "paper"), g=granularity,
               verb="is" if n == 1 else "are")


def incomplete_sentence(timeline: pd.DataFrame, granularity: str = "year", papers=None, fig=None) -> Text | None:
    """A sentence saying the timeline's last period may be incomplete (:func:`litreview.incomplete_last_period`),
    so its drop is not read as a decline; the period stays in the timeline (the kit cannot know it is partial).
    ``papers``: the corpus, when the timeline may stop before it does (a report's end year): a period that
    ``papers`` has later papers than is complete, whatever its count.  ``fig``: the timeline's figure, whose
    axes then shade the period (:func:`litreview.figures.shade_period`)."""
    from litreview.analysis.trends import dated_after, incomplete_last_period

    last = incomplete_last_period(timeline) if len(timeline) else None
    if last is None or (papers is not None and dated_after(papers, last["period"])):
        return None
    for ax in fig.axes if fig is not None else ():
        shade_period(ax, last["period"])
    return say("The last {g}, {p}, may be incomplete: the corpus has {n} in it, under half the median of the {k} "
               "{g}s before ({m}), as when a corpus is gathered early in a {g}; its drop may be where the corpus "
               "stops, not a decline.", g=granularity, p=str(last["period"]), n=plural(last["papers"], "paper"),
               k=last["periods"], m=f"{last['typical']:,.1f}".removesuffix(".0"))


def _ticks(fig) -> None:
    """At most about a dozen year labels, whole numbers only: years never blur into a bar."""
    from matplotlib.ticker import MaxNLocator

    for ax in fig.axes:
        ax.xaxis.set_major_locator(MaxNLocator(nbins=12, integer=True))
        ax.set_ylim(bottom=0, top=max(ax.get_ylim()[1], 1))  # counts start at 0


def _figure_of(plot):
    """A plot function's Figure, whether it returned the Figure or its Axes."""
    return plot if hasattr(plot, "savefig") else plot.figure


def timeline_section(tagged: pd.DataFrame, topics: Sequence[str], taxonomy, *, title: str,
                     show_table: bool = True, corpus: pd.DataFrame | None = None) -> Section:
    """Papers per year of ``topics``: a figure and a table (years with 0 papers included), clipped to the bulk
    of the corpus's years (every topic report has the same axis) with a sentence naming the topics' papers
    outside it and counting those without a year.  ``corpus``: the papers before a report's year window cut
    ``tagged``, so a last year the corpus goes on after is not said to be incomplete."""
    from litreview.analysis.trends import plot_topic_timeline, topic_timeline

    if tagged.empty:  # (a year window outside the corpus: every paper has a year, none falls in it)
        return Section(say("No paper matches these parameters, so there is no timeline."))
    window = year_window(tagged["year"])
    if window is None:
        return Section(say("No paper has a year, so there is no timeline."))
    timeline = topic_timeline(tagged, list(topics), start=window[0], end=window[1])
    labels = {t.slug: t.label for t in taxonomy.topics}
    counted = timeline.groupby("topic")["papers"].sum()
    chosen = set(topics)
    own = tagged[tagged["topics"].map(lambda ts: not chosen.isdisjoint(ts))]  # (the papers the sentences are about)
    if not counted.sum():
        which = "this topic" if len(chosen) == 1 else "these topics"  # (compare_topics draws two)
        if own.empty:
            return Section(say(f"No paper is tagged with {which}, so there is no timeline."))
        where = say(" in {span}", span=span(window)).markdown if window[0] != window[1] else ""
        return Section(Text(f"No paper of {which} has a year{where}, so there is no timeline."),
                       outside_window(own, window, basis=tagged["year"]), undated_sentence(own))
    # (a topic of several with no paper in these years is named, not drawn as a line of zeros under the other's)
    empty, several = [t for t in topics if not counted.get(t, 0)], len(topics) > 1
    topics = [t for t in topics if t not in empty]
    timeline = timeline[timeline["topic"].isin(topics)]
    none = say("{names} {has} no paper in {span}, so {it} {is_} not drawn.", names=" and ".join(
        labels.get(t, t) for t in empty), has="has" if len(empty) == 1 else "have", span=span(window),
        it="it" if len(empty) == 1 else "they", is_="is" if len(empty) == 1 else "are") if empty else None
    fig = _figure_of(plot_topic_timeline(timeline.assign(topic=timeline["topic"].map(labels).fillna(timeline["topic"])),
                                   title=title))
    _ticks(fig)
    peak = timeline.loc[timeline["papers"].idxmax()]
    alt = (f"Line chart of papers per year, {span(window)}, for "
           f"{', '.join(labels.get(t, t) for t in topics)}; the most papers in one year is {int(peak['papers'])} "
           f"({labels.get(peak['topic'], peak['topic'])}, {int(peak['year'])}).")
    parts = [outside_window(own, window, basis=tagged["year"]), undated_sentence(own),
             incomplete_sentence(timeline, papers=tagged if corpus is None else corpus, fig=fig), none,
             figure(fig, alt)]
    if show_table:
        wide = timeline.pivot(index="year", columns="topic", values="papers").reindex(columns=list(topics))
        wide.columns = [labels.get(c, c) for c in wide.columns]
        if not several:
            share = timeline.set_index("year")["share"]
            wide["share of the year's papers"] = share
        parts.append(table(wide.reset_index(), formats={"share of the year's papers": "{:.0%}"}))
    return Section(*parts)


# --------------------------------------------------------------------------- terms


def distinctive_section(papers: pd.DataFrame, in_group, label: str, *, n: int = 15,
                        ngram_range: tuple[int, int] = (1, 2), what: str = "distinctive terms",
                        plot: bool = True, stop_words: Sequence[str] = ()) -> Section:
    """Terms over-represented in the ``in_group`` papers, or a sentence on why there are none."""
    from litreview.analysis.terms import distinctive_terms, plot_distinctive_terms

    mask = np.asarray(in_group, dtype=bool)
    reason = too_few_for_terms(len(papers), int(mask.sum()), what)
    if reason is not None:
        return Section(reason)
    terms = distinctive_terms(papers, mask, n=n, ngram_range=ngram_range, stop_words=stop_words)
    terms = terms[terms["z"] > 0]
    if terms.empty:
        return Section(say("No {w}: no term is more frequent in these papers than in the rest.", w=what))
    shown = terms.rename(columns={"in_group": "papers with it", "rest": "other papers with it"})
    parts = [table(shown, formats={"z": "{:.2f}"})]
    if terms["z"].max() < NOTABLE_Z:
        parts.insert(0, say("None of these reaches a z-score of {z}, the mark of a notable term: with {k} in the "
                            "group, nothing stands out clearly from the rest of the corpus. Read them as the group's "
                            "commonest words, not as what sets it apart.", z=NOTABLE_Z,
                            k=plural(int(mask.sum()), "paper")))
    if plot:
        fig = _figure_of(plot_distinctive_terms(terms, title=f"{label}: {what}"))
        top = ", ".join(terms["term"].head(5))
        parts.append(figure(fig, f"Bar chart of the {len(terms)} {what} of {label} by z-score; the strongest: {top}."))
    return Section(*parts)


def too_few_for_terms(n_papers: int, n_group: int, what: str = "distinctive terms") -> Text | None:
    """Why a term comparison has nothing to say, or ``None`` when it has."""
    if n_papers < MIN_PAPERS_FOR_TERMS:
        return say("Too few papers for {w}: {n}, at least {k} needed.", w=what, n=plural(n_papers, "paper"),
                   k=MIN_PAPERS_FOR_TERMS)
    if n_group < MIN_GROUP_FOR_TERMS:
        return say("Too few papers for {w}: {n} in the group, at least {k} needed.", w=what,
                   n=str(n_group), k=MIN_GROUP_FOR_TERMS)
    if n_group == n_papers:
        return say("No {w}: every paper is in the group, so there is nothing to compare it with.", w=what)
    return None


def too_few_apart(n_papers: int, own: dict[str, int], what: str = "terms that tell them apart") -> Text | None:
    """:func:`too_few_for_terms` for two groups compared (``own``: each group's label and its papers not in the
    other): names the group with too few papers; too few papers in all are counted as those in one group only
    (``n_papers``: a paper in both tells nothing apart)."""
    if n_papers < MIN_PAPERS_FOR_TERMS:
        return say("Too few papers for {w}: {n} in only one of the two, at least {k} needed.", w=what,
                   n=plural(n_papers, "paper"), k=MIN_PAPERS_FOR_TERMS)
    for label, n in own.items():
        if n < MIN_GROUP_FOR_TERMS:
            return say("Too few papers for {w}: {label} has {n} of its own (not in both), at least {k} needed.",
                       w=what, label=label, n=plural(n, "paper"), k=MIN_GROUP_FOR_TERMS)
    return too_few_for_terms(n_papers, min(own.values()), what)


# --------------------------------------------------------------------------- neighbours and similarity


def neighbours_table(tagged: pd.DataFrame, topic: str, taxonomy) -> Table | Text:
    from litreview.analysis.cooccurrence import neighbours

    labels = {t.slug: t.label for t in taxonomy.topics}
    near = neighbours(tagged, topic)
    near = near.assign(neighbour=near["neighbour"].map(labels).fillna(near["neighbour"]))
    return table(near.rename(columns={"neighbour": "topic", "papers": "shared papers"}), formats={"jaccard": "{:.2f}"},
                 empty="No other topic shares a paper with this one.")


def entities_section(papers: pd.DataFrame, label: str, n: int = 12) -> Section:
    from litreview.tagging.entities import entity_counts, plot_entity_counts

    if papers.empty:
        return Section(say("No papers, so no entities."))
    counts = entity_counts(papers)
    if counts.empty:
        return Section(say("None of these papers mentions an entity of the dictionary."))
    fig = _figure_of(plot_entity_counts(counts, n=n, title=f"{label}: entities mentioned"))
    top = ", ".join(counts["entity"].head(5))
    return Section(table(counts.head(n), formats={"share": "{:.0%}"}),
                   figure(fig, f"Bar chart of the entities {label} papers mention most: {top}."))


# --------------------------------------------------------------------------- provenance


def provenance_table(papers: pd.DataFrame, taxonomy, parameters: Mapping) -> Table | Text:
    from litreview.report.provenance import provenance

    return table(provenance(papers, taxonomy, dict(parameters)))


def versions_table() -> Table | Text:
    from litreview.report.provenance import package_versions

    return table(package_versions())


def topic_labels(taxonomy, slugs: Sequence[str]) -> list[str]:
    return [taxonomy[s].label if s in taxonomy else s for s in slugs]



def topic_description(topic) -> str:
    """A topic's own words (label, scope, terms, acronyms): the query for papers that read like it."""
    return " ".join([topic.label, topic.scope, *topic.terms, *topic.acronyms])
