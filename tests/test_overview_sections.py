"""Corpus-overview sections on a corpus of one's own: what they say when the default corpus's labels barely
cover it."""

import pandas as pd
import pytest

import litreview as lr
from litreview.report import corpus_sections as cs
from litreview.report.format import Section, Table, Text


def test_tag_quality_on_a_few_labelled_papers_scores_only_the_topics_they_have():
    # (the Prompt Report's 1,661 papers hold 3 seed papers: the table listed all 16 topics, 13 of them
    # "— | — | 0.00" with nothing labelled or tagged, and a macro F1 of 0.19 under precision and recall of 1.00)
    labels = lr.load_labels()
    seed = labels[labels["id"].isin(["arxiv:2209.00588", "arxiv:2101.00190"])]  # agents; peft
    others = pd.DataFrame({"id": [f"own:{i}" for i in range(98)], "topics": [[] for _ in range(98)]})
    tagged = pd.concat([seed[["id", "topics"]], others], ignore_index=True)
    shown = cs.tag_quality_section(tagged, lr.load_taxonomy())
    assert isinstance(shown, Section)
    lead, note, few, scores = shown.parts
    assert isinstance(lead, Text) and lead.markdown == "2 of the 100 papers have hand labels."
    assert note.markdown == (
        "14 topics have neither a hand label nor a tag among them, so nothing measures them: they are left out of "
        "the table and of its macro average (Alignment, Reasoning and prompting, Model architecture, Pretraining, "
        "Efficiency, Generative models, Retrieval and grounding, Safety and risk, Controllable generation, "
        "Evaluation and benchmarks, Interpretability and theory, Data and augmentation, Transfer and "
        "generalization across tasks, Multimodal).")
    assert few.markdown == ("Two labelled papers are too few to measure tag quality: read the table as examples, "
                            "not rates, or label a sample of your own papers (walkthrough 2).")
    assert isinstance(scores, Table)
    frame = scores.frame
    assert frame["topic"].tolist() == ["peft", "agents", "micro", "macro"]
    assert frame[["precision", "recall", "f1", "support"]].values.tolist() == [[1.0, 1.0, 1.0, 1]] * 2 + [
        [1.0, 1.0, 1.0, 2]] * 2


def test_tag_quality_on_labelled_papers_with_no_topic_says_there_is_nothing_to_score():
    # (a labelled paper with no topic, untagged: every row was "— | — | 0.00", micro and macro too)
    labels = lr.load_labels()
    ids = labels.loc[labels["topics"].map(len) == 0, "id"].head(1).tolist()
    tagged = pd.DataFrame({"id": ids + ["own:1"], "topics": [[], []]})
    shown = cs.tag_quality_section(tagged, lr.load_taxonomy())
    assert shown.markdown == ("1 of the 2 papers has a hand label. Neither its label nor its tags give it a topic, "
                              "so there is nothing to score.")


def test_top_authors_of_a_corpus_that_names_only_first_authors_say_so():
    # (the Prompt Report's CSV gives a firstAuthor column: every paper is flagged authors-incomplete, and the
    # overview's authors table, "Jianing Wang | 4", counted first authorships with no word on it)
    papers = pd.DataFrame({"authors": [["Ann Lee"], ["Ann Lee"], ["Bo Chen"], ["Cy Dee", "Ed Fox"]],
                           "quality_flags": [["authors-incomplete"]] * 3 + [[]]})
    shown = cs.authors_table(papers)
    assert isinstance(shown, Section)
    note, top = shown.parts
    assert note.markdown == ("3 of the 4 papers name only some of their authors (flagged authors-incomplete), so "
                             "these counts are of the names the sources give: an author left unnamed is not counted.")
    assert top.frame.values.tolist() == [["Ann Lee", 2], ["Bo Chen", 1], ["Cy Dee", 1], ["Ed Fox", 1]]


def test_top_authors_with_a_few_partial_author_lists_stay_a_table():
    papers = pd.DataFrame({"authors": [["Ann Lee"]] * 10, "quality_flags": [["authors-incomplete"]] + [[]] * 9})
    shown = cs.authors_table(papers)
    assert isinstance(shown, Table) and shown.frame.values.tolist() == [["Ann Lee", 10]]


def test_the_topic_counts_figure_names_topics_by_label_as_the_table_beside_it(monkeypatch):
    # the bars were named by slug ("peft") beside a table naming the topics by label
    import litreview.analysis.trends as trends

    drawn = []
    plot = trends.plot_topic_counts
    monkeypatch.setattr(trends, "plot_topic_counts", lambda counts, *a, **k: drawn.append(plot(counts, *a, **k))
                        or drawn[-1])
    taxonomy = lr.load_taxonomy()
    tagged = pd.DataFrame({"id": ["a", "b", "c"], "topics": [["peft"], ["peft", "alignment"], []]})
    shown = cs.topic_counts_figure(tagged, ["peft", "alignment"], taxonomy)
    assert shown.alt == "Bar chart of papers per topic; the largest is Parameter-efficient fine-tuning with 2."
    ax = drawn[-1]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Alignment", "Parameter-efficient fine-tuning"]
    assert sorted(p.get_width() for p in ax.patches) == [1, 2]
    assert cs.topic_counts_figure(tagged, ["peft", "alignment"]).alt.endswith("the largest is peft with 2.")


def test_a_monthly_timeline_leaves_out_a_paper_a_long_gap_before_the_rest_and_names_it():
    # (the Prompt Report's monthly trends opened with 2017-09, one paper, then 17 empty months before 2019-02)
    from litreview.schema import to_frame

    rows = [("lone", "Supernovae far away", 2017, 9, ["peft"])]
    rows += [(f"p{i}", f"Paper {i}", 2019, 2 + i % 3, ["peft"] if i % 2 else ["alignment"]) for i in range(12)]
    tagged = to_frame({"id": i, "title": t, "year": y, "month": m, "source": "x.csv:1"} for i, t, y, m, _ in rows)
    tagged["topics"] = [topics for *_, topics in rows]
    taxonomy = lr.load_taxonomy()
    timeline = cs.clipped_timeline(tagged, ["peft", "alignment"], "month")
    assert sorted(timeline["period"].unique()) == ["2019-02", "2019-03", "2019-04"]
    assert int(timeline["papers"].sum()) == 12
    shown = cs.trends_section(tagged, timeline, ["peft", "alignment"], taxonomy, "month")
    assert shown.parts[0].markdown == (
        "1 paper lies more than a year apart from the months 2019-02 to 2019-04, where the others are, and is left "
        "out of the monthly table so that it cannot open or close it with a year of empty months: Supernovae far "
        "away (2017-09).")
    # by year the same papers keep their years (two years, no gap to speak of), and nothing is said
    yearly = cs.clipped_timeline(tagged, ["peft", "alignment"], "year")
    assert sorted(yearly["year"].unique()) == [2017, 2018, 2019]
    assert not any("apart from the months" in getattr(p, "markdown", "")
                   for p in cs.trends_section(tagged, yearly, ["peft", "alignment"], taxonomy, "year").parts)
    assert lr.main_months(tagged) == ("2019-02", "2019-04") and lr.main_months(tagged.iloc[:0]) is None
    with pytest.raises(ValueError, match=r"^papers lacks column\(s\) \['month'\]; it has \['year'\]$"):
        lr.main_months(pd.DataFrame({"year": [2020]}))
    with pytest.raises(ValueError, match="^gap must be 0 or more, got -1$"):
        lr.main_months(tagged, gap=-1)
