"""The screening notebooks' sections: where the screening stands, in sentences, and the papers ranked next as a
readable table (the tables of :mod:`litreview.analysis.screening_session` and :mod:`litreview.analysis.ranking`
with their columns named for a reader); the flow report's PRISMA diagram, decisions and papers still to screen."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from litreview.analysis.screened_ids import resolve_ids
from litreview.analysis.screening_session import retracted_count
from litreview.report.corpus_sections import shown_files
from litreview.report.format import Section, Table, Text, figure, number, paper_urls, plural, say, table
from litreview.report.sections import _figure_of, titled

_NOT_YET = ("Until the decisions hold an include, the model has nothing to learn from: the order below is a "
            "seeded shuffle, and its scores are random numbers.")


def status(papers: pd.DataFrame, decisions: pd.DataFrame) -> Text:
    """Where the screening stands: whether every record was read (:func:`~litreview.report.sections.load_summary`),
    then :func:`progress_summary` of :func:`litreview.screening_progress`."""
    from litreview.analysis.screening_session import screening_progress
    from litreview.report.sections import load_summary

    progress = progress_summary(screening_progress(papers, decisions))
    return Text(load_summary(papers).markdown + "\n\n" + progress.markdown)


ROUGH_BELOW = 20  # decisions: an estimate of the relevant papers left from fewer is called rough


def progress_summary(progress: pd.DataFrame) -> Text:
    """:func:`litreview.screening_progress` as sentences: how many papers are screened, included, excluded and
    left, how many relevant ones are estimated among those left, and whether the stopping rule allows stopping.

    >>> progress = pd.DataFrame([{"papers": 74, "screened": 0, "included": 0, "excluded": 0, "left": 74,
    ...                           "estimated_relevant_left": float("nan"), "at_most_relevant_left": 74,
    ...                           "stop_p_value": 1.0}])
    >>> str(progress_summary(progress))[:53]
    'None of the 74 papers is screened yet. Until the deci'
    """
    row = progress.iloc[0]
    text = _progress_text(row)
    retracted = retracted_count(row)
    if not retracted:
        return text
    return Text(text.markdown + " " + say(
        "{n} flagged retracted by {their} source {are} not offered for screening: the flow report counts {them} as "
        "removed before screening.", n=plural(retracted, "paper"), their="its" if retracted == 1 else "their",
        are="is" if retracted == 1 else "are", them="it" if retracted == 1 else "them").markdown)


def _progress_text(row: pd.Series) -> Text:
    from litreview.analysis.stopping import p_text

    papers, screened, left = int(row["papers"]), int(row["screened"]), int(row["left"])
    papers -= retracted_count(row)  # (counted apart: see progress_summary)
    included, excluded = int(row["included"]), int(row["excluded"])
    if not screened:
        return Text(say("None of the {n} is screened yet.", n=plural(papers, "paper")).markdown + " " + _NOT_YET)
    counts = say("{s} of the {n} {are} screened: {i} included, {e} excluded; {left}.", s=number(screened),
                 n=plural(papers, "paper"), are="is" if screened == 1 else "are", i=number(included),
                 e=number(excluded), left="none is left" if not left else plural(left, "paper") + " left")
    if not left:
        return counts
    if not included:
        return Text(counts.markdown + " " + _NOT_YET)
    estimate = row["estimated_relevant_left"]
    if estimate is None or (isinstance(estimate, float) and math.isnan(estimate)):
        left_text = say("Too few decisions to estimate how many relevant papers are left.")
    else:
        left_text = say("About {e} relevant {are} estimated among those left (at most {m}, at 95% confidence).",
                        e=number(round(float(estimate))), are="paper is" if round(float(estimate)) == 1 else
                        "papers are", m=number(int(row["at_most_relevant_left"])))
        if screened < ROUGH_BELOW:  # (one decision in 25 estimates 24 relevant papers left: true, and alarming)
            left_text = Text(left_text.markdown + " " + say(
                "From {s} so far this is rough: it firms up as you screen more.",
                s=plural(screened, "decision")).markdown)
    p = float(row["stop_p_value"])
    stop = say("The stopping rule {verdict} (p = {p}; below 0.05, screening can stop with 95% confidence of having "
               "found 95% of the relevant papers).", verdict="allows stopping now" if p < 0.05 else
               "does not allow stopping yet", p=p_text(p))
    if p < 0.05 and int(row["left"]):
        stop = Text(stop.markdown + " " + say(
            "If you stop here, the flow report reports the {n} left as not screened because the rule was met "
            "(`screening_flow` with `stopped` True).", n=plural(int(row["left"]), "paper")).markdown)
    return Text(" ".join((counts.markdown, left_text.markdown, stop.markdown)))


def example_note(path) -> Text | None:
    """A sentence when ``path`` is the kit's own made-up decisions (the screening reports' default), else None."""
    from litreview.data import is_shipped

    if not is_shipped(path):
        return None
    return say("These decisions are the kit's made-up example for 16 seed papers (`data/examples`): point "
               "`screening` at a file of your own.")


def record_from_parameters(decisions, paper: str, record: str, reason: str, papers: pd.DataFrame,
                           reviewer: str | None = None) -> Text:
    """The screening notebook's plain-cell decision (its ``record``, ``paper`` and ``reason`` parameters): append
    it to ``decisions`` (:func:`litreview.record_decision`) and say so, or say how to make one.  ``paper`` must
    name the paper decided on (the id shown under "The next paper"): the ranking changes between runs, so the
    kit never takes whichever paper happens to rank first."""
    import os

    from litreview.analysis.screening_log import record_decision

    if not record:
        return say("Nothing recorded: to decide on the paper shown, set `record` to include or exclude (with a "
                   "`reason` to exclude) and `paper` to its id, then run the notebook again.")
    if not (paper or "").strip():
        raise ValueError(f"record={record!r} needs paper=<id>, the id of the paper you read under 'The next paper' "
                         "(the ranking changes between runs, so the kit does not guess which one you mean)")
    line = record_decision(decisions, paper.strip(), record, reason, reviewer=reviewer, papers=papers)
    return say("Recorded {d} for {p} on line {n} of {f}; the paper shown is the next one to decide.",
               d=record.strip().lower(), p=paper.strip(), n=str(line), f=os.path.basename(str(decisions)))


def next_paper(papers: pd.DataFrame, ranking: pd.DataFrame):
    """The paper ranked first (:func:`litreview.rank_for_screening`) as a card (:func:`litreview.paper_card`),
    or a sentence once every paper is screened (the ranking is then empty)."""
    from IPython.display import HTML

    from litreview.analysis.screening_session import paper_card

    if ranking.empty:
        return say("Every paper is screened: none is left to decide. The flow of the review (PRISMA counts) is "
                   "the screening flow report's (`litreview report --notebook screening_flow`, with `screening` "
                   "set to this decisions file).")
    top = ranking.iloc[0]
    shown = papers.set_index("id").loc[top["id"]].to_dict() | {"id": top["id"]}
    return HTML(paper_card(shown, top.to_dict(), position=1))


def next_papers_table(ranking: pd.DataFrame, papers: pd.DataFrame, n: int = 10) -> Table | Text:
    """The ``n`` papers ranked next (:func:`litreview.rank_for_screening`): rank, paper (its title, or what
    stands for one), score and the terms that raised it."""
    from litreview.fields.latex import readable
    from litreview.schema import display_titles

    head = ranking.head(n)
    shown = display_titles(papers, words=12).map(readable).set_axis(papers["id"].astype(str).to_numpy())
    frame = pd.DataFrame({"rank": range(1, len(head) + 1), "paper": shown.reindex(head["id"].astype(str)).to_numpy(),
                          "score": head["score"].to_numpy(), "terms that raised its score": head["terms"].to_numpy()})
    return table(frame, formats={"score": "{:.2f}"}, empty="Every paper is screened: none is left to rank.")


# --------------------------------------------------------------------------- the flow and the decisions


def prisma_section(flow: pd.DataFrame, decisions: pd.DataFrame | None = None,
                   papers: pd.DataFrame | None = None) -> Section:
    """The flow as a table and a diagram; given the ``decisions`` and ``papers`` it was computed from, first a
    sentence naming the decisions about papers not in the corpus, which the flow leaves out
    (:func:`litreview.prisma_flow` with ``unknown_ids="ignore"``: in a report a sentence, not a warning)."""
    from litreview.analysis.prisma_diagram import plot_prisma_flow
    from litreview.analysis.screening import RETRACTED

    sources = flow["kind"] == "source"  # (a user's files named without the folder they share)
    shown = flow.assign(label=flow["label"].where(~sources, shown_files(flow["label"].where(sources))))
    fig = _figure_of(plot_prisma_flow(shown))
    included = flow.loc[flow["kind"] == "flow", "count"]
    identified, kept = plural(int(included.iloc[0]), "record"), plural(int(included.iloc[-1]), "paper")
    one_stage = None
    if "full texts assessed" not in set(flow["label"]) and int(included.iloc[-1]):
        one_stage = say("No full-text decisions yet: the papers included are those included on title and "
                        "abstract (a one-stage review, or full texts still to assess: a decision with stage "
                        "`full-text` adds that stage).")
    retracted = int(flow.loc[flow["label"] == RETRACTED, "count"].sum())
    removed = say("{n} flagged retracted by {its} source and not screened {is_} reported as removed before "
                  "screening (PRISMA 2020's records removed for other reasons); a retracted paper with a decision "
                  "counts where the decision puts it.", n=plural(retracted, "paper"),
                  its="its" if retracted == 1 else "their",
                  is_="is" if retracted == 1 else "are") if retracted else None
    return Section(_left_out(decisions, papers), table(shown), one_stage, removed,
                   figure(fig, f"PRISMA flow diagram from {identified} identified to {kept} included."))


def _left_out(decisions: pd.DataFrame | None, papers: pd.DataFrame | None) -> Text | None:
    if decisions is None or papers is None:
        return None
    decisions = resolve_ids(decisions, papers)[0]  # (counted in the flow as the paper it names another way)
    unknown = decisions.loc[~decisions["id"].isin(set(papers["id"])), "id"]
    if unknown.empty:
        return None
    ids = sorted(unknown.unique())
    listed = ", ".join(ids[:5]) + (f" and {len(ids) - 5:,} more" if len(ids) > 5 else "")
    return say("{d} about {p} not in this corpus {are} left out of the flow: {ids}. Point `corpus` at the files that "
               "were screened, or move a decision to the paper's id in this corpus (`lr.enrich` can turn a `title:` "
               "id into `arxiv:`).", d=plural(len(unknown), "decision"), p=plural(len(ids), "paper"),
               are="is" if len(unknown) == 1 else "are", ids=listed)


def decisions_table(decisions: pd.DataFrame, papers: pd.DataFrame):
    decisions = resolve_ids(decisions, papers)[0]
    titles = dict(zip(papers["id"], titled(papers, words=10)))
    urls = dict(zip(papers["id"], paper_urls(papers)))
    frame = decisions.assign(paper=decisions["id"].map(titles).fillna(decisions["id"]))
    frame = frame[["stage", "decision", "reason", "paper"]].replace("", np.nan)
    missing = int((~decisions["id"].isin(set(papers["id"]))).sum())
    lead = None
    if missing:
        lead = say("{n} about papers not in this corpus (shown by their id).",
                   n=plural(missing, "decision is", "decisions are"))
    return Section(lead, table(frame, links={"paper": decisions["id"].map(urls)}, searchable=len(frame) > 15,
                               what="decisions", empty="No screening decisions yet."))


def still_to_screen(papers: pd.DataFrame, decisions: pd.DataFrame, n: int = 5):
    """The papers without a decision, as the first ``n`` rows of a template to fill in; the retracted ones apart
    (the flow counts them as removed before screening)."""
    from litreview.analysis.screened_ids import retracted_ids
    from litreview.analysis.screening import screening_template

    decided = set(resolve_ids(decisions, papers)[0]["id"].astype(str))  # (its PMID...: the paper's, as the flow)
    undecided = ~papers["id"].astype(str).isin(decided)
    retracted = undecided & papers["id"].astype(str).isin(retracted_ids(papers))
    left = papers[undecided & ~retracted]
    aside = ""
    if retracted.any():
        aside = " " + say("{n} flagged retracted and not decided {are} left out: the flow counts them as removed "
                          "before screening.", n=plural(int(retracted.sum()), "paper"),
                          are="is" if retracted.sum() == 1 else "are").markdown
    if left.empty:
        return Text(("Every paper to screen has a decision." if aside else "Every paper has a decision.") + aside)
    lead = say("{n} without a decision; the first rows of a template to fill in:", n=plural(len(left), "paper"))
    return Section(Text(lead.markdown + aside), table(screening_template(left).head(n)))
