"""The taxonomy assistant (lr.suggest_rules): what it proposes, and the held-out effect it measures."""

import pandas as pd
import pytest
import yaml

import litreview as lr
from litreview.tagging.taxonomy import parse_taxonomy


def _taxonomy(**topic):
    return parse_taxonomy({"topics": [{"slug": "eff", "label": "Efficiency", "scope": "Cheaper models.", **topic}]})


def _papers(titles):
    return pd.DataFrame({"id": [f"p{i}" for i in range(len(titles))], "title": titles})


def test_a_phrase_of_the_missed_papers_is_proposed_with_its_held_out_effect():
    titles = ["Memory savings in training"] * 3 + ["Faster kernels via quantization"] * 6 + ["Ocean waves"] * 3
    papers = _papers(titles)
    labels = pd.DataFrame({"id": papers["id"], "topics": [["eff"]] * 9 + [[]] * 3})
    taxonomy = _taxonomy(terms=["memory"])
    found = lr.suggest_rules(papers, labels, "eff", taxonomy, folds=3)
    best = found.iloc[0]
    assert (best["action"], best["phrase"], best["source"], best["folds"]) == (
        "add term", "faster kernels", "missed papers", 3)
    # Held out: every fold's training papers hold the phrase, so every held-out quantization paper is found.
    assert (best["tp"], best["fp"], best["fn"]) == (9, 0, 0)
    assert (best["recall_before"], best["recall"]) == (0.333, 1.0)
    assert (best["precision_before"], best["precision"]) == (1.0, 1.0)
    assert best["f1_change"] == pytest.approx(1.0 - 0.5)
    assert best["example"] == "right: Faster kernels via quantization"
    assert taxonomy == _taxonomy(terms=["memory"])  # the taxonomy is never changed


def test_a_cue_in_another_sense_gets_an_exclusion_that_keeps_recall():
    titles = [f"Memory savings for model {i}" for i in range(6)]
    titles += [f"Agents with episodic memory {i}" for i in range(6)]
    papers = _papers(titles)
    labels = pd.DataFrame({"id": papers["id"], "topics": [["eff"]] * 6 + [[]] * 6})
    found = lr.suggest_rules(papers, labels, "eff", _taxonomy(terms=["memory"]), folds=3)
    exclusion = found[found["action"] == "exclude"].iloc[0]
    assert exclusion["phrase"] == "episodic memory" and exclusion["source"] == "wrongly tagged papers"
    assert (exclusion["tp"], exclusion["fp"], exclusion["fn"]) == (6, 0, 0)
    assert (exclusion["precision_before"], exclusion["precision"]) == (0.5, 1.0)
    assert exclusion["recall_before"] == exclusion["recall"] == 1.0


def test_a_cue_less_precise_than_its_topic_is_proposed_for_removal():
    titles = ([f"Quantization of model {i}" for i in range(6)] + [f"Quantization and latency {i}" for i in range(3)]
              + [f"Latency of human reaction {i}" for i in range(6)])
    papers = _papers(titles)
    labels = pd.DataFrame({"id": papers["id"], "topics": [["eff"]] * 9 + [[]] * 6})
    found = lr.suggest_rules(papers, labels, "eff", _taxonomy(terms=["quantization", "latency"]), folds=3)
    removal = found[found["action"] == "remove"].iloc[0]
    assert (removal["phrase"], removal["folds"], removal["tp"], removal["fp"], removal["fn"]) == ("latency", 3, 9, 0, 0)
    assert (removal["precision_before"], removal["precision"]) == (0.6, 1.0)


def test_a_topic_no_labelled_paper_has_gets_no_suggestion():
    papers = _papers(["Memory savings", "Ocean waves"])
    labels = pd.DataFrame({"id": papers["id"], "topics": [[], []]})
    found = lr.suggest_rules(papers, labels, "eff", _taxonomy(terms=["memory"]))
    assert found.empty and "f1_change" in found.columns


def test_bad_parameters_name_themselves():
    papers = _papers(["Memory savings", "Ocean waves"])
    labels = pd.DataFrame({"id": papers["id"], "topics": [["eff"], []]})
    with pytest.raises(ValueError, match="topic: unknown topic 'efficiency'; valid topics: eff"):
        lr.suggest_rules(papers, labels, "efficiency", _taxonomy(terms=["memory"]))
    with pytest.raises(ValueError, match="folds must be 2 or more"):
        lr.suggest_rules(papers, labels, "eff", _taxonomy(terms=["memory"]), folds=1)
    with pytest.raises(TypeError, match="labels must be a DataFrame or a path, got int"):
        lr.suggest_rules(papers, 3, "eff", _taxonomy(terms=["memory"]))
    twice = pd.DataFrame({"id": ["p0", "p0"], "topics": [["eff"], []]})
    again = r"labels table row 2: id 'p0' labelled again \(first at labels table row 1"
    with pytest.raises(lr.LabelsError, match=again):
        lr.suggest_rules(papers, twice, "eff", _taxonomy(terms=["memory"]))


def test_labels_of_other_topics_and_files_of_either_layout_are_read(tmp_path):
    papers = _papers(["Memory savings", "Ocean waves", "Faster kernels"])
    (tmp_path / "seed.csv").write_text("id,topics\np0,eff agents\np1,none\np2,eff\n", encoding="utf-8")
    (tmp_path / "shared.csv").write_text("key,topics,sure\np0,eff;agents,1\np1,none,0\np2,eff,1\n",
                                         encoding="utf-8")
    taxonomy = _taxonomy(terms=["memory"])
    for name in ("seed.csv", "shared.csv"):
        found = lr.suggest_rules(papers, tmp_path / name, "eff", taxonomy, folds=2, min_papers=1)
        assert found["recall_before"].iloc[0] == 0.5  # 'agents' is no topic of this taxonomy: no matter
    assert lr.suggest_rules(papers, tmp_path / "shared.csv", "eff", taxonomy, folds=2, min_papers=1,
                            sure_only=True)["precision_before"].iloc[0] == 1.0
    (tmp_path / "holes.csv").write_text("id,topics\np0,eff\np1,\n", encoding="utf-8")
    with pytest.raises(lr.LabelsError, match="holes.csv:3: empty topics cell for 'p1'; write 'none'"):
        lr.suggest_rules(papers, tmp_path / "holes.csv", "eff", taxonomy)


def test_the_yaml_snippet_is_the_topic_with_the_suggestions_accepted():
    taxonomy = _taxonomy(terms=["memory", "latency"], supporting=["cheap"])
    chosen = pd.DataFrame({"topic": ["eff"] * 3, "action": ["add term", "exclude", "remove"],
                           "phrase": ["faster kernels", "episodic memory", "latency"]})
    text = lr.suggestions_yaml(chosen, taxonomy)
    assert "      - faster kernels  # suggested" in text and "# suggested: removed latency" in text
    pasted = parse_taxonomy({"topics": yaml.safe_load(text)})["eff"]
    assert pasted.terms == ("memory", "faster kernels") and pasted.exclude == ("episodic memory",)
    assert pasted.supporting == ("cheap",) and pasted.label == "Efficiency"


def test_the_default_taxonomy_suggestions_are_measured_on_the_shipped_labels():
    from litreview.tagging.labelsets import training_set

    taxonomy = lr.load_taxonomy()
    papers, labels = training_set(taxonomy)
    labels = labels[labels["measured"]]  # the shared hand labels (the team's are fitted on, never measured on)
    found = lr.suggest_rules(papers, labels, "interpretability", taxonomy, n=3)
    assert set(found["action"]) <= {"add term", "exclude", "remove"} and len(found) <= 6
    before = found[["precision_before", "recall_before", "f1_before"]].drop_duplicates()
    assert len(before) == 1  # one baseline: the rules as they are, on the same held-out folds
    assert before.iloc[0].tolist() == [0.469, 0.535, 0.5]
    assert (found["folds"].between(0, 5)).all()


def test_an_empty_suggestion_table_says_why(tmp_path):
    import warnings

    papers = pd.DataFrame({"id": list("abcd"), "title": ["Adapters", "Soil", "Rain", "Ocean waves"]})
    path = tmp_path / "mine.yaml"
    path.write_text("topics:\n- {slug: peft, label: PEFT, scope: Cheap tuning, terms: [adapters]}\n", encoding="utf-8")
    taxonomy = lr.load_taxonomy(path)
    nobody = pd.DataFrame({"id": list("abcd"), "topics": [[]] * 4})
    with pytest.warns(UserWarning, match=r"^suggest_rules: nothing to suggest: no labelled paper of the 4 has 'peft'"):
        assert lr.suggest_rules(papers, nobody, "peft", taxonomy).empty
    one = pd.DataFrame({"id": list("abcd"), "topics": [["peft"], [], [], []]})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert lr.suggest_rules(papers, one, "peft", taxonomy).empty
    assert [str(w.message) for w in caught] == [
        "suggest_rules: nothing to suggest: no rule change for 'peft' raised F1 on the labels: 1 of the 4 labelled "
        "papers have it, and a candidate must concern 2 or more labelled papers of a fit; with more labels (or a "
        "lower min_papers) there is more to try"]
