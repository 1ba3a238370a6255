"""The topic-discovery report's sections: what they say when the corpus is too small, which papers and themes
the themes table cannot show, and the findings of a theme no taxonomy topic shares a paper with."""

import re
import warnings

import pandas as pd
import pytest

from litreview.report import discovery_sections as ds
from litreview.report.format import Table, Text
from litreview.tagging.taxonomy import Taxonomy, Topic


def _papers(n: int) -> pd.DataFrame:
    return pd.DataFrame({"id": [f"p{i}" for i in range(n)], "title": [f"Paper {i}" for i in range(n)],
                         "abstract": None})


@pytest.mark.parametrize("n_topics", [2, 8])
def test_a_corpus_under_ten_papers_has_no_themes_whatever_n_topics(n_topics):
    # Before: "Too few papers to find 8 themes: 7 papers, at least 16 needed.", and with n_topics=1 "... to find
    # 1 themes: 7 papers, at least 10 needed": no n_topics would do, which the sentence did not say
    themes, assignments, reason = ds.discover(_papers(7), n_topics, 0)
    assert themes is None and assignments is None
    assert reason.markdown == "Too few papers to find themes: 7 papers, at least 10 needed."


@pytest.mark.parametrize("n_topics", [1, 0])
def test_one_theme_is_no_discovery(n_topics):
    # Before (COLM 2024, n_topics=1): one theme of all 299 papers, and every taxonomy topic listed as merged into it
    assert ds.discover(_papers(299), n_topics, 0)[2].markdown == (
        f"One theme would hold every paper and tell none apart: set `n_topics` to 2 or more (it is {n_topics}).")


def test_n_topics_typed_as_text_says_so():
    # Before: n_topics = "8" in the parameters cell gave "TypeError: '<' not supported between instances of 'int'
    # and 'str'"
    with pytest.raises(TypeError, match=r"^n_topics must be a whole number, got str '8'$"):
        ds.discover(_papers(20), "8", 0)


def test_too_many_themes_for_the_corpus_names_the_most_it_can_hold():
    # Before (the default corpus, n_topics=400): "Too few papers to find 400 themes: 74 papers, at least 800
    # needed.", four times over, and no word of what n_topics would do
    _, _, reason = ds.discover(_papers(74), 400, 0)
    assert reason.markdown == ("Too few papers to find 400 themes: 74 papers, at least 800 needed (2 a theme); "
                               "with 74 papers, `n_topics` can be 37 at most.")
    _, _, reason = ds.discover(_papers(11), 6, 0)
    assert str(reason) == ("Too few papers to find 6 themes: 11 papers, at least 12 needed (2 a theme); with "
                           "11 papers, `n_topics` can be 5 at most.")


@pytest.mark.parametrize("titles, n_topics, sentence", [
    ([f"unique{i} word{i}" for i in range(20)], 3,
     "No word is in two papers or more, so there are no themes to find: themes need words the papers share "
     "(abstracts give more)."),
    (["sparse attention", "sparse kernels", "attention kernels"] * 6 + ["alpha", "beta"], 5,
     "Only 3 words are in two papers or more, too few for 5 themes: set `n_topics` to 3 or fewer (abstracts give "
     "more words to share)."),
    (["sparse"] * 10 + [f"unique{i}" for i in range(10)], 2,
     "Only 1 word is in two papers or more, too few for themes: themes need words the papers share (abstracts "
     "give more)."),
])
def test_a_corpus_of_too_few_shared_words_says_so(titles, n_topics, sentence):
    # Before: 20 titles sharing no word stopped the report with "NoTerms: no term is in 2 or more texts: try a
    # lower min_df" (no such parameter in the notebook); 20 titles of 3 shared words, n_topics=5, with NMF's
    # "init = 'nndsvda' can only be used when n_components <= min(n_samples, n_features)"
    papers = pd.DataFrame({"id": [f"p{i}" for i in range(len(titles))], "title": titles, "abstract": None})
    themes, assignments, reason = ds.discover(papers, n_topics, 0)
    assert themes is None and assignments is None
    assert reason.markdown == sentence


def test_the_sections_after_the_themes_do_not_repeat_why_there_are_none():
    _, _, reason = ds.discover(_papers(7), 8, 0)
    assert ds.themes_table(None, reason) is reason
    said = [ds.theme_papers_table(None, _papers(7), reason), ds.discovery_overlap(None, None, None, reason),
            ds.discovery_findings(None, None, None, None, reason)]
    assert [s.markdown for s in said] == ["No themes, so nothing to show here (the themes above say why)."] * 3


def test_the_themes_table_counts_the_papers_of_no_theme_and_names_idle_themes():
    # Before: 345 probmlbib papers, the themes' papers adding up to 341, without a word of the other 4; a theme
    # no paper has as its main one (litstudy_scopus.csv, n_topics=27) listed with 0 papers, unexplained
    themes = pd.DataFrame({"topic": [1, 2, 3, 4], "terms": ["a, b", "c", "d", "e"], "papers": [3, 2, 0, 0]})
    assignments = pd.DataFrame({"id": list("abcdefg"), "topic": [1, 1, 1, 2, 2, 0, 0]})
    section = ds.themes_table(themes, None, assignments)
    assert section.parts[0].frame.columns.tolist() == ["theme", "terms", "papers"]
    assert [p.markdown for p in section.parts[1:]] == [
        "2 papers have no theme: none of their words is in another paper, so the themes cannot weigh them "
        "(a title alone, mostly).",
        "Themes 3 and 4 are no paper's main theme: fewer themes (`n_topics`) may read better."]
    one = ds.themes_table(themes.assign(papers=[3, 2, 1, 0]), None, assignments.replace({"topic": {0: 1}}).assign(
        topic=[1, 1, 1, 2, 2, 3, 0]))
    assert [p.markdown for p in one.parts[1:]] == [
        "1 paper has no theme: none of its words is in another paper, so the themes cannot weigh it "
        "(a title alone, mostly).",
        "Theme 4 is no paper's main theme: fewer themes (`n_topics`) may read better."]
    full = ds.themes_table(themes.assign(papers=[3, 2, 1, 1]), None, assignments.assign(topic=[1, 1, 1, 2, 2, 3, 4]))
    assert isinstance(full, Table)  # nothing to say: the table alone


def _Taxonomy() -> Taxonomy:  # noqa: N802 (was a stand-in class)
    return Taxonomy((Topic("peft", "Parameter-efficient fine-tuning", "PEFT."),
                     Topic("agents", "LLM agents", "Agents.")))


def test_a_theme_sharing_no_paper_with_the_taxonomy_has_blank_topic_figures():
    # Before (litstudy_scopus.csv, a field the taxonomy does not cover): "uncovered 2 — 0 0.00 0.00 0.00 9 0",
    # zeros for a taxonomy topic that is not there
    assignments = pd.DataFrame({"id": [f"p{i}" for i in range(6)], "topic": [1, 1, 1, 2, 2, 2]})
    tagged = pd.DataFrame({"id": assignments["id"], "topics": [["peft"]] * 3 + [[]] * 3})
    themes = pd.DataFrame({"topic": [1, 2], "terms": ["low-rank, adapters", "petri, nets"], "papers": [3, 3]})
    shown = ds.discovery_findings(assignments, tagged, themes, _Taxonomy(), None)
    assert re.findall(r"<td[^>]*>([^<]*)</td>", shown.html) == [
        "uncovered", "2", "—", "—", "—", "—", "—", "3", "—", "petri, nets"]
    assert shown.frame.columns.tolist() == [
        "finding", "theme", "taxonomy topic", "papers in both", "jaccard", "share of the theme",
        "share of the topic", "theme's papers", "topic's papers", "theme's terms"]
    assert isinstance(ds.discovery_findings(assignments, tagged.assign(topics=[["peft"]] * 3 + [["agents"]] * 3),
                                            themes, _Taxonomy(), None), Text)  # themes and taxonomy agree


def test_themes_that_have_not_settled_are_said_under_the_themes(monkeypatch):
    import litreview.analysis.discovery as discovery

    papers = pd.DataFrame({"id": [f"p{i}" for i in range(12)], "abstract": None,
                           "title": ["sparse attention kernels", "sparse attention", "prompt tuning adapters",
                                     "prompt adapters"] * 3})
    themes, assignments, note = ds.discover(papers, 2, 0)
    assert note is None and isinstance(ds.themes_table(themes, note, assignments), Table)
    monkeypatch.setattr(discovery, "MAX_ITER", 1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the report says it in a sentence: no warning in its cells
        themes, assignments, note = ds.discover(papers, 2, 0)
    section = ds.themes_table(themes, note, assignments)
    assert [p.markdown for p in section.parts[1:]] == [
        "These themes had not settled after 1 NMF iteration: they are the same with this seed, but another "
        "`seed` or `n_topics` may give clearer ones."]
    assert ds.theme_papers_table(assignments, papers, note).parts[0].frame["theme"].tolist() == [1, 1, 1, 2, 2, 2]


def test_titles_filling_in_for_every_theme_are_said_once():
    # Before (probmlbib, 8 themes): "Too few papers with an abstract in themes 1, 2, 3, 4, 5, 6, 7, 8: ..."
    papers = pd.DataFrame({"id": list("abcdef"), "title": list("ABCDEF"),
                           "abstract": ["An abstract.", None, None, None, "Another.", None]})
    assignments = pd.DataFrame({"id": papers["id"], "topic": [1, 1, 2, 2, 3, 3], "weight": 1.0})
    notes = [ds.theme_papers_table(assignments, papers, None, per_theme=n).parts[1].markdown for n in (2, 1)]
    assert notes[0] == "Too few papers with an abstract in every theme: papers known by their title alone fill in."
    assert notes[1] == "Too few papers with an abstract in theme 2: papers known by their title alone fill in."
    two = ds.theme_papers_table(assignments, papers.assign(abstract=["A.", "B.", None, None, None, None]), None,
                                per_theme=2).parts[1].markdown
    assert two == "Too few papers with an abstract in themes 2 and 3: papers known by their title alone fill in."


def test_the_heatmap_calls_a_discovered_topic_a_theme_as_the_report_does(monkeypatch):
    # Before: "Discovered topics against the taxonomy", rows labelled "discovered topic", in a report whose text
    # and tables say "theme"
    import litreview as lr

    drawn = []
    plot = lr.plot_compare_with_taxonomy
    monkeypatch.setattr(lr, "plot_compare_with_taxonomy", lambda *a, **k: drawn.append(plot(*a, **k)) or drawn[-1])
    assignments = pd.DataFrame({"id": ["a", "b", "c"], "topic": [1, 1, 2]})
    tagged = pd.DataFrame({"id": ["a", "b", "c"], "topics": [["peft"], ["peft"], ["agents"]]})
    shown = ds.discovery_overlap(assignments, tagged, _Taxonomy(), None)
    assert shown.alt.startswith("Heatmap of papers shared by each discovered theme (rows) and taxonomy topic")
    (ax,) = drawn
    assert (ax.get_title(), ax.get_ylabel(), ax.get_xlabel()) == ("Themes against the taxonomy", "theme",
                                                                  "taxonomy topic")


def test_the_findings_and_heatmap_name_taxonomy_topics_by_label_as_the_other_reports_do(monkeypatch):
    # Before: the findings said "split 3 peft" and the heatmap's columns read "agents", "peft", where the compare
    # and topic reports say "Parameter-efficient fine-tuning" (the label the user's taxonomy gives it)
    import litreview as lr

    assignments = pd.DataFrame({"id": [f"p{i}" for i in range(10)], "topic": [1] * 3 + [2] * 3 + [3] * 4})
    tagged = pd.DataFrame({"id": assignments["id"], "topics": [["peft"]] * 6 + [["agents"]] * 4})
    themes = pd.DataFrame({"topic": [1, 2, 3], "terms": ["lora", "adapters", "agents, tools"], "papers": [3, 3, 4]})
    shown = ds.discovery_findings(assignments, tagged, themes, _Taxonomy(), None)
    assert shown.frame[["finding", "theme", "taxonomy topic"]].values.tolist() == [
        ["split", 1, "Parameter-efficient fine-tuning"], ["split", 2, "Parameter-efficient fine-tuning"]]
    assert lr.discovery_summary(assignments, tagged, themes)["topic"].tolist() == ["peft", "peft"]  # (the library's)
    drawn = []
    plot = lr.plot_compare_with_taxonomy
    monkeypatch.setattr(lr, "plot_compare_with_taxonomy", lambda *a, **k: drawn.append(plot(*a, **k)) or drawn[-1])
    ds.discovery_overlap(assignments, tagged, _Taxonomy(), None)
    assert [t.get_text() for t in drawn[0].get_xticklabels()] == ["LLM agents", "Parameter-efficient fine-tuning"]
