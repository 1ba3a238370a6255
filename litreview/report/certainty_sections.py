"""Report sections on how sure the tags are: low scores per topic, and one topic's borderline papers.

The figures come from :mod:`litreview.analysis.certainty`; like the other
section modules, each function returns something to show, or a sentence when
there is nothing, and titles are escaped by :func:`~litreview.report.format.table`.
"""

from __future__ import annotations

import pandas as pd

from litreview.report.format import Section, Text, paper_urls, plural, say, table
from litreview.report.sections import decision_note, titled

SCORE_NOTE = ("A tag's score is the learned decision's estimate that it is right, from 0 to 1 (`lr.tag_scores`); "
              "a score below {low} is low. The decision was fitted on labelled papers (the seed corpus and papers "
              "of COLM 2024 and the Prompt Report, `data/labels/`), so on those papers its scores are optimistic.")


MIN_PAPERS_NAMED = 5


RULES_NOTE = (" These tags were decided by the taxonomy's rules alone (the report's tagger parameter); the scores "
              "are the learned decision's, so a low one marks a rule tag the learned decision doubts.")


def certainty_section(tagged: pd.DataFrame, taxonomy, *, low: float = 0.5, scores: pd.DataFrame | None = None,
                      tagger: str = "learned"):
    """Per topic: its papers, how many of their tags score low, and the median score.

    ``tagger="rules"`` says that the tags are the rules' while the scores are the learned decision's.
    """
    from litreview.analysis.certainty import tag_certainty

    if not tagged["topics"].map(len).any():
        return say("No paper has a topic, so there is no tag to be sure of.")
    certainty = tag_certainty(tagged, taxonomy, low=low, scores=scores)
    certainty = certainty[certainty["papers"] > 0]
    labels = {t.slug: t.label for t in taxonomy.topics}
    frame = pd.DataFrame({
        "topic": certainty["topic"].map(labels),
        "papers": certainty["papers"],
        "low score": certainty["low_score"],
        "share with a low score": certainty["share_low"],
        "median score": certainty["median_score"],
    })
    # The topic named is the one with the largest share among topics of some size: a topic of one paper
    # scoring low is 100% and says little.
    sized = certainty[certainty["papers"] >= MIN_PAPERS_NAMED]
    worst = (sized if len(sized) else certainty).sort_values(["share_low", "papers"], ascending=[False, False]).iloc[0]
    total_low, total = int(certainty["low_score"].sum()), int(certainty["papers"].sum())
    if total_low:
        verb = "scores" if total_low == 1 else "score"
        lead = say(SCORE_NOTE + " {k} of the {n} " + verb + " low, the largest share in {topic}: {share} of its {m}.",
                   low=f"{low:g}", k=total_low, n=plural(total, "tag"), topic=labels[worst["topic"]],
                   share=f"{worst['share_low']:.0%}", m=plural(int(worst["papers"]), "paper"))
    else:
        lead = say(SCORE_NOTE + " None of the {n} scores low.", low=f"{low:g}", n=plural(total, "tag"))
    if tagger == "rules":
        lead = Text(lead.markdown + RULES_NOTE)
    formats = {"share with a low score": "{:.0%}", "median score": "{:.2f}"}
    return Section(lead, decision_note(taxonomy), table(frame, formats=formats))


def borderline_section(tagged: pd.DataFrame, topic: str, taxonomy, *, low: float = 0.5, n: int = 15,
                       scores: pd.DataFrame | None = None):
    """One topic's papers in doubt (a low score) and the papers outside it that come close, listed apart."""
    from litreview.analysis.certainty import borderline_papers

    if tagged.empty:
        return say("No papers, so none is borderline.")
    doubt = borderline_papers(tagged, topic, taxonomy, low=low, scores=scores)
    members = int(tagged["topics"].map(lambda ts: topic in ts).sum())
    if doubt.empty and not members:
        return say("No borderline paper: no paper is tagged with this topic, and none outside comes near its "
                   "threshold.")
    if doubt.empty:
        return say("No borderline paper: every paper of this topic scores {low} or more, and none outside "
                   "comes near its threshold.", low=f"{low:g}")
    inside, outside = int(doubt["in_topic"].sum()), int((~doubt["in_topic"]).sum())
    if not members:
        first = say("No paper is tagged with this topic")
    elif members == 1:
        first = say("The topic's one paper {does} a low score (below {low})", low=f"{low:g}",
                    does="has" if inside else "does not have")
    elif not inside:
        first = say("None of the topic's {m} has a low score (below {low})", m=plural(members, "paper"), low=f"{low:g}")
    else:
        first = say("{k} of the topic's {m} {verb} a low score (below {low})", k=inside, m=plural(members, "paper"),
                    verb="has" if inside == 1 else "have", low=f"{low:g}")
    lead = Text(first.markdown + say(
        ", and {j} outside it {come} close (the learned decision or the rules would tag {them}, or {its} score is "
        "just below the threshold).", j=plural(outside, "paper"), come="comes" if outside == 1 else "come",
        them="it" if outside == 1 else "them", its="its" if outside == 1 else "their").markdown)
    shown = doubt.head(n)
    papers = tagged.drop_duplicates("id").set_index("id").loc[shown["id"]].reset_index()
    frame = pd.DataFrame({
        "paper": titled(papers).to_numpy(),
        "in the topic": shown["in_topic"].map({True: "yes", False: "no"}).to_numpy(),
        "score": shown["score"].to_numpy(),
        "threshold": shown["threshold"].to_numpy(),
        # (a tag above the threshold is still in doubt below `low`: say which cut-off, as both are shown)
        "why in doubt": shown["why"].replace({"low score": f"low score (below {low:g})"}).to_numpy(),
    })
    more = say("The {n} closest to the threshold are listed; `lr.borderline_papers` gives all {m}.",
               n=str(n), m=len(doubt)) if len(doubt) > n else None
    # (three decimals: a near miss at 0.399 against 0.40 would read "0.40 against 0.40, no")
    return Section(lead, table(frame, links={"paper": paper_urls(papers)}, formats={"score": "{:.3f}",
                                                                                   "threshold": "{:.3f}"}), more)
