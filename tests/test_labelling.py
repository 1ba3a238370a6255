"""The labelling loop: the queue, the standard, the labels file that only grows, and the widget's callbacks."""

import warnings

import pandas as pd
import pytest

import litreview as lr
from litreview.tagging.taxonomy import parse_taxonomy

SMALL = parse_taxonomy({"topics": [
    {"slug": "peft", "label": "Cheap adaptation", "scope": "Training few parameters.", "terms": ["LoRA"]},
    {"slug": "efficiency", "label": "Cheaper models", "scope": "Less memory <or> time.", "terms": ["memory"]},
]})


@pytest.fixture(scope="module")
def papers():
    return lr.load()


# -- the standard and the queue


def test_the_standard_gives_the_rules_of_thumb_then_every_topic_in_order():
    text = lr.labelling_standard(SMALL)
    assert "main contribution" not in text  # written in the package's own words, not copied from the guide
    assert "*own contribution*" in text and "background" in text and "not from what the kit proposes" in text
    assert text.endswith("- `peft` (Cheap adaptation): Training few parameters.\n"
                         "- `efficiency` (Cheaper models): Less memory <or> time.\n")
    default = lr.labelling_standard()
    assert [line.split("`")[1] for line in default.splitlines() if line.startswith("- `")] == lr.load_taxonomy().slugs


def test_the_queue_puts_disagreements_first_then_the_closest_scores(papers):
    queue = lr.labelling_queue(papers, n=None)
    assert len(queue) == len(papers) and queue["id"].is_unique
    for rules, learned, disagree, doubt in zip(queue["rules"], queue["learned"], queue["disagree"], queue["in_doubt"]):
        assert disagree == len(set(rules) ^ set(learned))
        if disagree:
            assert doubt == [t for t in lr.load_taxonomy().slugs if t in set(rules) ^ set(learned)]
    first = queue["disagree"] > 0
    assert first.any() and not first[first.idxmin():].any()  # every disagreement before every agreement
    for part in (queue[first], queue[~first & queue["margin"].notna()]):
        assert part["margin"].is_monotonic_increasing
    assert queue["margin"].isna().sum() == (queue["rules"].map(len) + queue["learned"].map(len) == 0).sum()
    assert queue["margin"].isna()[queue["margin"].isna().idxmax():].all()  # untouched papers last


def test_the_queue_leaves_out_labelled_papers_and_takes_a_file_not_made_yet(papers, tmp_path):
    labels = lr.load_labels()
    queue = lr.labelling_queue(papers, labels.iloc[:70], n=3)
    assert len(queue) == 3 and set(queue["id"]) <= set(labels["id"].iloc[70:]) | (set(papers["id"]) - set(labels["id"]))
    assert len(lr.labelling_queue(papers, tmp_path / "none_yet.csv", n=None)) == len(papers)
    assert lr.labelling_queue(papers, labels).empty
    with pytest.raises(ValueError, match="n must be 1 or more"):
        lr.labelling_queue(papers, n=0)


# -- the labels file


def test_labels_are_appended_in_the_layout_of_data_labels_csv(papers, tmp_path):
    path = tmp_path / "mine.csv"
    written = lr.add_labels(path, {"arxiv:2106.09685": ["peft"], "title:lima-less-is-more-for-alignment": []},
                            papers, SMALL)
    assert written[["id", "topics", "line"]].values.tolist() == [
        ["arxiv:2106.09685", ["peft"], 2], ["title:lima-less-is-more-for-alignment", [], 3]]
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "id,topics,title,rationale"
    assert lines[2] == "title:lima-less-is-more-for-alignment,none,LIMA: Less Is More for Alignment,"
    more = pd.DataFrame({"id": ["arxiv:2105.05720"], "topics": ["efficiency peft"], "rationale": ["splits, a model"]})
    assert lr.add_labels(path, more, papers, SMALL)["line"].tolist() == [4]
    assert path.read_text(encoding="utf-8").splitlines()[:3] == lines  # the earlier rows are untouched
    read = lr.load_labels(path)
    assert read["topics"].tolist() == [["peft"], [], ["peft", "efficiency"]]
    assert read["rationale"].tolist()[-1] == "splits, a model"


def test_adding_no_label_still_makes_the_file_with_its_header(papers, tmp_path):
    path = tmp_path / "mine.csv"
    assert lr.add_labels(path, {}, papers, SMALL).empty
    assert path.read_text(encoding="utf-8") == "id,topics,title,rationale\n"
    assert lr.load_labels(path).empty
    lr.add_labels(path, {}, papers, SMALL)  # a second time: the header is not written again
    assert path.read_text(encoding="utf-8") == "id,topics,title,rationale\n"


def test_a_paper_labelled_again_is_an_error_unless_told_what_to_do(papers, tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text("id,topics,title,rationale\narxiv:2106.09685,peft,LoRA,first reading", encoding="utf-8")
    before = path.read_text(encoding="utf-8")
    with pytest.raises(lr.LabelsError, match=r"mine.csv:2: id 'arxiv:2106.09685' is labelled already; pass "
                                             r"on_duplicate='skip'.*or 'replace'.*mine.replaced.csv"):
        lr.add_labels(path, {"arxiv:2106.09685": ["efficiency"], "arxiv:2105.05720": ["efficiency"]}, papers, SMALL)
    assert path.read_text(encoding="utf-8") == before  # nothing written, not even the new paper
    written = lr.add_labels(path, {"arxiv:2106.09685": ["efficiency"], "arxiv:2105.05720": ["efficiency"]},
                            papers, SMALL, on_duplicate="skip")
    assert written["id"].tolist() == ["arxiv:2105.05720"] and written.attrs["skipped"] == ["arxiv:2106.09685"]
    # the file had no newline at its end: the new row starts on a line of its own
    coconet = lr.display_title(papers.set_index("id").loc["arxiv:2105.05720"], words=12)
    assert path.read_text(encoding="utf-8").splitlines()[1:] == [
        "arxiv:2106.09685,peft,LoRA,first reading", f"arxiv:2105.05720,efficiency,{coconet},"]
    replaced = lr.add_labels(path, {"arxiv:2106.09685": ["peft", "efficiency"]}, papers, SMALL,
                             on_duplicate="replace")
    assert replaced[["id", "line"]].values.tolist() == [["arxiv:2106.09685", 2]]
    assert lr.load_labels(path)["topics"].tolist() == [["peft", "efficiency"], ["efficiency"]]
    kept = (tmp_path / "mine.replaced.csv").read_text(encoding="utf-8").splitlines()
    assert kept == ["id,topics,title,rationale", "arxiv:2106.09685,peft,LoRA,first reading"]


def test_bad_labels_are_refused_with_the_fix(papers, tmp_path):
    path = tmp_path / "mine.csv"
    with pytest.raises(lr.LabelsError, match=r"unknown topic\(s\) \['speed'\] for 'a'; use slugs of the taxonomy: "
                                             r"peft, efficiency"):
        lr.add_labels(path, {"a": ["speed"]}, taxonomy=SMALL)
    twice = pd.DataFrame({"id": ["a", "a"], "topics": [["peft"], []]})
    again = r"<labels table> row 2: id 'a' labelled again \(first at <labels table> row 1\)"
    with pytest.raises(lr.LabelsError, match=again):
        lr.add_labels(path, twice, taxonomy=SMALL)
    with pytest.raises(ValueError, match="on_duplicate must be one of"):
        lr.add_labels(path, {"a": []}, taxonomy=SMALL, on_duplicate="overwrite")
    with pytest.raises(TypeError, match="labels must be a dict"):
        lr.add_labels(path, [("a", [])], taxonomy=SMALL)
    with pytest.warns(UserWarning, match="1 id\\(s\\) not in the papers table, not written to mine.csv: nowhere"):
        written = lr.add_labels(path, {"nowhere": ["peft"], "arxiv:2106.09685": ["peft"]}, papers, SMALL)
    assert written["id"].tolist() == ["arxiv:2106.09685"]
    assert not path.with_name("mine.replaced.csv").exists()
    (tmp_path / "odd.csv").write_text("paper,label\nx,peft\n", encoding="utf-8")
    with pytest.raises(lr.LabelsError, match=r"odd.csv:1: a labels file needs the columns 'id' \(or 'key'\)"):
        lr.add_labels(tmp_path / "odd.csv", {"a": ["peft"]}, taxonomy=SMALL)


def test_a_file_in_the_shared_layout_keeps_its_layout(tmp_path):
    path = tmp_path / "colm.csv"
    path.write_text("key,topics,sure\ntitle:a,peft;efficiency,1\n", encoding="utf-8")
    lr.add_labels(path, pd.DataFrame({"id": ["title:b"], "topics": [["efficiency", "peft"]], "sure": [0]}),
                  taxonomy=SMALL)
    lr.add_labels(path, {"title:c": []}, taxonomy=SMALL)
    assert path.read_text(encoding="utf-8").splitlines()[1:] == [
        "title:a,peft;efficiency,1", "title:b,peft;efficiency,0", "title:c,none,1"]


def test_evaluate_taggers_measures_the_rules_and_the_learned_decision(papers):
    labels = lr.load_labels()
    with pytest.warns(UserWarning, match=r"^the shipped learned decision was fitted on 74 of the 74 labelled papers "
                                         r"here \(data/labels\): its figures on them are in-sample"):
        table = lr.evaluate_taggers(papers, labels, SMALL)
    assert table.columns.tolist() == ["tagger", "topic", "precision", "recall", "f1", "support", "tp", "fp", "fn"]
    # these topics are not the fitted ones: the learned decision's rows say it fell back (rules plus description)
    assert table["tagger"].tolist() == ["rules"] * 4 + ["learned (fallback)"] * 4
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        default = lr.evaluate_taggers(papers, labels)
    assert set(default["tagger"]) == {"rules", "learned"}
    rules = lr.evaluate(lr.tag(papers, SMALL, tagger="rules"), labels, SMALL.slugs)
    pd.testing.assert_frame_equal(table[table["tagger"] == "rules"].drop(columns="tagger").reset_index(drop=True),
                                  rules)


# -- the widget


def test_the_widget_saves_the_ticked_topics_and_shows_the_next_paper(papers, tmp_path):
    pytest.importorskip("ipywidgets")
    path = tmp_path / "mine.csv"
    assert lr.labelling_widget(papers, path, SMALL) is None  # no person at this kernel: the plain cells label
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        widget = lr.labelling_widget(papers, path, SMALL, force=True)
    status, standard, _card, boxes, buttons = widget.children
    save, skip, rationale = buttons.children
    assert status.value == "no paper labelled yet in mine.csv"
    shown = standard.children[0].value
    assert "<li><code>efficiency</code> (Cheaper models): Less memory &lt;or&gt; time.</li>" in shown
    queue = lr.labelling_queue(papers, None, SMALL, n=3)["id"].tolist()
    boxes.children[1].value = True
    rationale.value = "saves memory"
    save.click()
    assert lr.load_labels(path)[["id", "topics", "rationale"]].values.tolist() == [
        [queue[0], ["efficiency"], "saves memory"]]
    assert status.value.startswith("1 paper labelled in mine.csv · micro-F1 on them: rules ")
    assert not boxes.children[1].value and rationale.value == ""  # ready for the next paper
    skip.click()  # the second paper: not written
    lr.add_labels(path, {queue[2]: ["peft"]}, papers, SMALL)  # labelled elsewhere meanwhile
    save.click()
    assert "<b>not saved:</b>" in status.value and "is labelled already" in status.value
    assert lr.load_labels(path)["id"].tolist() == [queue[0], queue[2]]


def test_the_papers_the_shipped_decision_was_fitted_on_are_found_by_id_or_title(papers):
    unseen = pd.DataFrame({"id": ["doi:10.1/new", "doi:10.1/other"],
                           "title": ["A fresh paper on LoRA", "Memory of a new kind"],
                           "abstract": ["LoRA adapters.", "Less memory."]})
    from litreview.tagging.labelsets import fitted_on

    assert fitted_on(unseen).tolist() == [False, False]
    assert fitted_on(papers).all()  # every seed paper is in the shipped fit
    colm = pd.DataFrame({"id": ["title:x"], "title": ["How Easily do Irrelevant Inputs Skew the Responses of "
                                                      "Large Language Models?"]})
    assert fitted_on(colm).tolist() == [True]  # matched by title: the COLM labels are keyed by raw title



def test_title_keyed_labels_join_a_loaded_corpus_by_title(tmp_path):
    path = tmp_path / "labels.csv"
    path.write_text(
        "key,topics,sure\n"
        '"title:LoRA: Low-Rank Adaptation of Large Language Models",peft,1\n'
        "title:Attention Is All You Need,architecture,1\n"
        "title:Not In The Corpus,data,0\n"
        "arxiv:1,agents,1\n"
    )
    corpus = pd.DataFrame({
        "id": ["arxiv:2106.09685", "a", "b", "arxiv:1"],
        "title": ["LoRA: low-rank adaptation of large language {M}odels", "Attention is all you need",
                  "Attention Is All You Need.", None],
    })
    labels = lr.load_labels(path, papers=corpus)
    # LoRA matched by title; the title two papers share names neither; unknown and plain ids stay
    assert labels["id"].tolist() == ["arxiv:2106.09685", "title:Attention Is All You Need",
                                     "title:Not In The Corpus", "arxiv:1"]
    assert labels["key"].tolist()[0] == "title:LoRA: Low-Rank Adaptation of Large Language Models"
    assert labels["topics"].tolist() == [["peft"], ["architecture"], ["data"], ["agents"]]
    with pytest.raises(ValueError, match=r"papers lacks column\(s\) \['title'\]"):
        lr.load_labels(path, papers=corpus[["id"]])


SHARED_LABELS = __import__("pathlib").Path(__file__).resolve().parents[2] / "shared" / "labels"
SHARED_FIXTURES = SHARED_LABELS.parent / "fixtures"


@pytest.mark.skipif(not SHARED_LABELS.is_dir(), reason="../shared/labels is absent")
def test_the_shared_colm_labels_join_the_colm_paper_list_loaded_by_lr_load():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        corpus = lr.load(SHARED_FIXTURES / "tables" / "paperlists_colm2024.json")
    labels = lr.load_labels(SHARED_LABELS / "colm2024_dev.csv", papers=corpus)
    assert len(labels) == 150 and labels["id"].isin(corpus["id"]).all()
    assert not labels["key"].isin(corpus["id"]).any()  # the raw-title keys are not lr.load's ids


def test_title_keyed_labels_landing_on_one_paper_are_an_error_and_unmatched_ones_a_warning(tmp_path):
    path = tmp_path / "labels.csv"
    path.write_text("key,topics,sure\ntitle:LoRA,peft,1\ntitle:LoRA!,efficiency,1\ntitle:Elsewhere,data,1\n")
    corpus = pd.DataFrame({"id": ["arxiv:2106.09685"], "title": ["LoRA"]})
    with pytest.raises(lr.LabelsError, match=r"labels.csv:3: 'arxiv:2106.09685' is labelled again by title "
                                             r"\(first at labels.csv:2\); keep one row per paper"):
        lr.load_labels(path, papers=corpus)
    path.write_text("key,topics,sure\ntitle:LoRA,peft,1\ntitle:Elsewhere,data,1\n")
    with pytest.warns(UserWarning, match=r"1 title-keyed label\(s\) match no paper's title \(labels.csv:3\)"):
        labels = lr.load_labels(path, papers=corpus)
    assert labels["id"].tolist() == ["arxiv:2106.09685", "title:Elsewhere"]
    with pytest.warns(UserWarning, match="2 title-keyed"):
        assert lr.load_labels(path, papers=corpus.head(0))["id"].tolist() == ["title:LoRA", "title:Elsewhere"]


def test_the_labelling_standard_of_another_fields_taxonomy_keeps_to_its_own_topics(tmp_path):
    path = tmp_path / "ibd.yaml"
    path.write_text("topics:\n  - slug: diet\n    label: Diet\n    scope: Dietary interventions.\n"
                    "    terms: [diet]\n", encoding="utf-8")
    text = lr.labelling_standard(lr.load_taxonomy(path))
    assert "language models" not in text and "evaluation topic" not in text and "data topic" not in text
    assert "An abstract that opens with what a field knows and then proposes a method is about the method." in text
    assert text.endswith("- `diet` (Diet): Dietary interventions.\n")
    default = lr.labelling_standard()
    assert '"language models reason well"' in default and "the data topic" in default


def test_the_progress_line_shows_no_f1_where_nothing_gives_a_topic(tmp_path):
    # (a paper labelled "none" that no tagger tags has no F1 since lr.evaluate gives NaN there: the line read "nan")
    from litreview.analysis.labelling_session import progress_line

    (tmp_path / "c.csv").write_text("title,year,abstract\nCoral reef fish at night,2020,Fish sleep in reefs.\n")
    papers = lr.load(tmp_path / "c.csv")
    path = tmp_path / "mine.csv"
    path.write_text(f"id,topics\n{papers['id'][0]},none\n")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        line = progress_line(papers, path, None)
    assert line.startswith("1 paper labelled in mine.csv · micro-F1 on them: rules -, ") and line.endswith(" -")
