"""How sure the tags are: lr.tag_certainty, lr.borderline_papers and the report sections built on them."""

import pandas as pd
import pytest

import litreview as lr
from litreview.report import certainty_sections as cz
from litreview.tagging.taxonomy import parse_taxonomy

TAXONOMY = parse_taxonomy({"topics": [
    {"slug": "peft", "label": "Cheap <adaptation>", "scope": "Few parameters.", "terms": ["LoRA"]},
    {"slug": "efficiency", "label": "Efficiency", "scope": "Less memory.", "terms": ["memory"]},
]})


def _tagged():
    return pd.DataFrame({
        "id": ["a", "b", "c", "d", "e"],
        "title": ["LoRA <script>x</script>", "Memory and LoRA", "Adapters", "Ocean", None],
        "abstract": [None, None, None, None, "Quantized memory."],
        "arxiv_id": [None, "2106.09685", None, None, None],
        "topics": [["peft"], ["peft", "efficiency"], [], [], ["efficiency"]],
    })


def _scores():
    """What lr.tag_scores gives: one row per (paper, topic) the rules or the decision touched."""
    return pd.DataFrame({
        "id": ["a", "b", "b", "c", "d", "e"],
        "topic": ["peft", "peft", "efficiency", "peft", "peft", "efficiency"],
        "score": [0.3, 0.9, 0.7, 0.28, 0.6, 0.45],
        "threshold": [0.35, 0.35, 0.4, 0.35, 0.35, 0.4],
        "tagged": [False, True, True, False, True, True],
        "rule_tagged": [1.0, 1.0, 1.0, 0.0, 0.0, 1.0],
    })


def test_tag_certainty_counts_each_topics_low_scores():
    certainty = lr.tag_certainty(_tagged(), TAXONOMY, scores=_scores())
    assert certainty.values.tolist() == [["peft", 2, 1, 0.5, 0.6], ["efficiency", 2, 1, 0.5, 0.575]]
    stricter = lr.tag_certainty(_tagged(), TAXONOMY, scores=_scores(), low=0.8)
    assert stricter["low_score"].tolist() == [1, 2]
    unscored = lr.tag_certainty(_tagged(), TAXONOMY, scores=_scores().iloc[1:])  # a tag the decision never saw
    assert unscored["low_score"].tolist() == [1, 1] and unscored["median_score"].tolist() == [0.9, 0.575]
    with pytest.raises(ValueError, match=r"low must be a fraction in \(0, 1\], got 1.5"):
        lr.tag_certainty(_tagged(), TAXONOMY, scores=_scores(), low=1.5)


def test_borderline_papers_lists_doubtful_tags_and_near_misses_closest_first():
    doubt = lr.borderline_papers(_tagged(), "peft", TAXONOMY, scores=_scores())
    assert doubt.values.tolist() == [
        ["a", True, 0.3, 0.35, True, False, "low score"],
        ["c", False, 0.28, 0.35, False, False, "just below threshold"],
        ["d", False, 0.6, 0.35, False, True, "the learned decision tags it"],
    ]
    assert lr.borderline_papers(_tagged(), "peft", TAXONOMY, scores=_scores(), near=0.05)["id"].tolist() == ["a", "d"]
    with pytest.raises(ValueError, match="topic: unknown topic 'data'; valid topics: peft, efficiency"):
        lr.borderline_papers(_tagged(), "data", TAXONOMY, scores=_scores())


def test_the_corpus_overview_section_shows_each_topics_share_of_low_scores():
    section = cz.certainty_section(_tagged(), TAXONOMY, scores=_scores())
    lead, note, shown = section.parts
    assert "a score below 0.5 is low" in lead.markdown
    # this taxonomy's topics are not the fitted ones: the section says their scores are not measured
    assert note.markdown.startswith("No topic of this taxonomy has weights fitted on hand labels")
    assert lead.markdown.endswith(
        "2 of the 4 tags score low, the largest share in Cheap &lt;adaptation&gt;: 50% of its 2 papers.")
    assert shown.frame.values.tolist() == [["Cheap <adaptation>", 2, 1, 0.5, 0.6], ["Efficiency", 2, 1, 0.5, 0.575]]
    assert "<td>Cheap &lt;adaptation&gt;</td>" in shown.html
    assert '<td class="num" data-sort="0.5">50%</td>' in shown.html
    assert repr(cz.certainty_section(_tagged().assign(topics=[[]] * 5), TAXONOMY)) == (
        "No paper has a topic, so there is no tag to be sure of.")


def test_the_topic_report_lists_borderline_papers_apart_with_titles_escaped():
    section = cz.borderline_section(_tagged(), "peft", TAXONOMY, scores=_scores())
    lead, shown = section.parts
    assert repr(lead).startswith("1 of the topic's 2 papers has a low score (below 0.5), and 2 papers outside it come "
                                 "close")
    assert shown.frame.values.tolist() == [
        ["LoRA <script>x</script>", "yes", 0.3, 0.35, "low score (below 0.5)"],
        ["Adapters", "no", 0.28, 0.35, "just below threshold"],
        ["Ocean", "no", 0.6, 0.35, "the learned decision tags it"],
    ]
    assert "LoRA &lt;script&gt;x&lt;/script&gt;" in shown.html and "<script>" not in shown.html
    assert ">0.280</td>" in shown.html and ">0.350</td>" in shown.html  # three decimals: no "0.40 against 0.40"
    short = cz.borderline_section(_tagged(), "peft", TAXONOMY, scores=_scores(), n=1)
    assert repr(short.parts[-1]) == (
        "The 1 closest to the threshold are listed; `lr.borderline_papers` gives all 3.")
    calm = _scores().assign(score=[0.9, 0.9, 0.9, 0.1, 0.1, 0.9], tagged=[True, True, True, False, False, True],
                            rule_tagged=[1.0, 1.0, 1.0, 0.0, 0.0, 1.0])
    assert repr(cz.borderline_section(_tagged(), "peft", TAXONOMY, scores=calm)) == (
        "No borderline paper: every paper of this topic scores 0.5 or more, and none outside comes near its threshold.")
    nobody = calm.assign(tagged=False, score=0.1, rule_tagged=0.0)
    assert repr(cz.borderline_section(_tagged().assign(topics=[[]] * 5), "peft", TAXONOMY, scores=nobody)) == (
        "No borderline paper: no paper is tagged with this topic, and none outside comes near its threshold.")


def test_the_borderline_sentence_reads_right_for_a_topic_of_one_paper_or_none():
    def lead(topics, topic="peft"):
        return repr(cz.borderline_section(_tagged().assign(topics=topics), topic, TAXONOMY, scores=_scores()).parts[0])

    one = [["peft"], [], [], [], []]  # a: low score
    assert lead(one).startswith("The topic's one paper has a low score (below 0.5), and 3 papers outside it come close")
    assert lead([[], ["peft"], [], [], []]).startswith("The topic's one paper does not have a low score (below 0.5), "
                                                        "and 3 papers outside it come close")
    assert lead([[]] * 5).startswith("No paper is tagged with this topic, and 4 papers outside it come close")
    assert lead([["peft"], ["peft"], [], [], []]).startswith("1 of the topic's 2 papers has a low score")
    assert lead([["peft"], ["peft"], ["peft"], [], []]).startswith("2 of the topic's 3 papers have a low score")


def test_the_topic_heading_and_timeline_say_one_paper_and_no_paper_in_good_english():
    from litreview.report import sections as rs

    heading = rs.topic_heading(TAXONOMY["peft"], 1, 261, {}).markdown
    assert "**1** of the 261 papers in the corpus is tagged with this topic." in heading
    assert "**2** of the 261 papers in the corpus are tagged" in rs.topic_heading(TAXONOMY["peft"], 2, 261, {}).markdown
    # A year window: the count is of its papers, and says so.
    windowed = rs.topic_heading(TAXONOMY["peft"], 0, 32, {"start_year": 2016, "end_year": None}).markdown
    assert "**No paper** of the 32 papers in the corpus from 2016 on is tagged with this topic" in windowed
    assert "**3** of the 40 papers in the corpus of 2019 to 2021 are tagged" in rs.topic_heading(
        TAXONOMY["peft"], 3, 40, {"start_year": 2019, "end_year": 2021}).markdown
    assert "in the corpus up to 2020 is tagged" in rs.topic_heading(TAXONOMY["peft"], 1, 9, {"end_year": 2020}).markdown
    dated = _tagged().assign(year=pd.array([2019, None, 2021, 2021, 2020], dtype="Int64"))
    none = rs.timeline_section(dated.assign(topics=[[]] * 5), ["peft"], TAXONOMY, title="t")
    assert repr(none) == "No paper is tagged with this topic, so there is no timeline."
    undated = rs.timeline_section(dated.assign(topics=[[], ["peft"], [], [], []]), ["peft"], TAXONOMY, title="t")
    assert repr(undated).startswith("No paper of this topic has a year in 2019 to 2021, so there is no timeline.")


def test_the_default_corpus_is_scored_by_the_shipped_decision():
    tagged = lr.tag(lr.load())
    certainty = lr.tag_certainty(tagged)
    counts = lr.topic_counts(tagged, lr.load_taxonomy().slugs).set_index("topic")["papers"]
    assert certainty.set_index("topic")["papers"].to_dict() == counts.to_dict()
    assert certainty["share_low"].between(0, 1).all() and certainty["median_score"].notna().all()


def test_sections_say_so_when_there_is_nothing_to_doubt():
    assert repr(cz.borderline_section(_tagged().iloc[:0], "peft", TAXONOMY, scores=_scores())) == (
        "No papers, so none is borderline.")
    sure = _scores().assign(score=0.9)
    lead = cz.certainty_section(_tagged(), TAXONOMY, scores=sure).parts[0]
    assert lead.markdown.endswith("None of the 4 tags scores low.")
    one_low = sure.assign(score=[0.9, 0.9, 0.2, 0.9, 0.9, 0.9])  # b's efficiency tag
    lead = cz.certainty_section(_tagged(), TAXONOMY, scores=one_low).parts[0]
    assert " 1 of the 4 tags scores low, the largest share in " in lead.markdown
    # tags the rules decided: the section says whose the tags are and whose the scores
    lead = cz.certainty_section(_tagged(), TAXONOMY, scores=sure, tagger="rules").parts[0]
    assert lead.markdown.endswith(
        "None of the 4 tags scores low. These tags were decided by the taxonomy's rules alone (the report's tagger "
        "parameter); the scores are the learned decision's, so a low one marks a rule tag the learned decision doubts.")


def test_the_topic_named_for_low_scores_has_some_papers_not_one_unlucky_paper():
    # peft: 1 paper, scoring low (100%); efficiency: 6 papers, 2 scoring low (33%): efficiency is named.
    tagged = pd.DataFrame({"id": list("abcdefg"), "title": list("abcdefg"),
                           "topics": [["peft"]] + [["efficiency"]] * 6})
    scores = pd.DataFrame({"id": list("abcdefg"), "topic": ["peft"] + ["efficiency"] * 6,
                           "score": [0.2, 0.1, 0.3, 0.9, 0.9, 0.9, 0.9], "threshold": 0.4,
                           "tagged": True, "rule_tagged": True})
    lead, _, _ = cz.certainty_section(tagged, TAXONOMY, scores=scores).parts
    assert lead.markdown.endswith("3 of the 7 tags score low, the largest share in Efficiency: 33% of its 6 papers.")



def test_a_report_says_which_topics_have_no_fitted_weights():
    from litreview.report.sections import decision_note, load_summary
    from litreview.tagging.taxonomy import load_taxonomy, parse_taxonomy

    default = load_taxonomy()
    assert decision_note(default) is None
    edited = parse_taxonomy({"topics": [
        {"slug": t.slug, "label": t.label, "scope": t.scope, "terms": list(t.terms), "acronyms": list(t.acronyms),
         "supporting": list(t.supporting), "exclude": list(t.exclude)}
        for t in default.topics
    ]})
    assert decision_note(edited) is None  # the same rules: the fitted weights apply
    edited = parse_taxonomy({"topics": [
        {"slug": t.slug, "label": t.label, "scope": t.scope, "terms": list(t.terms) + (["adapter tuning"] if
         t.slug == "peft" else []), "acronyms": list(t.acronyms), "supporting": list(t.supporting),
         "exclude": list(t.exclude)}
        for t in default.topics
    ] + [{"slug": "mine", "label": "My *own* topic", "scope": "Mine.", "terms": ["mine"]}]})
    note = decision_note(edited).markdown
    assert note.startswith("Parameter-efficient fine-tuning and My \\*own\\* topic have no weights fitted on hand "
                           "labels (new, or edited since the fit), so they are tagged by their rules together with")
    assert load_summary(lr.load(), edited).markdown == (
        "Every record of the input files was read; none was skipped.\n\n" + note)
