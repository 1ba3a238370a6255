"""The learned tag decision: shipped weights reproduce, hand-made papers, fallback, explanations, bad labels."""

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import litreview as lr
from litreview.schema import to_frame
from litreview.tagging import fit
from litreview.tagging.decision import tagger_dir
from litreview.tagging.features import FEATURES
from litreview.tagging.taxonomy import load_taxonomy, parse_taxonomy

PAPERS = to_frame(
    [
        {
            "id": "puzzle",
            "title": "Controllable puzzle generation with constraint solvers",
            "abstract": "We generate Sudoku puzzles of a chosen difficulty with a SAT solver and measure solving time.",
        },
        {
            "id": "lora",
            "title": "Low-rank adapters for frugal fine-tuning",
            "abstract": "We propose a parameter-efficient fine-tuning method that trains low-rank updates of a frozen "
            "language model, matching full fine-tuning with 0.1% of the parameters.",
        },
        {
            "id": "jailbreak",
            "title": "A universal jailbreak attack on aligned chat models",
            "abstract": "We propose an adversarial suffix attack that makes aligned language models produce harmful "
            "content, and show that it transfers across models.",
        },
    ]
)


def test_shipped_weights_are_what_the_command_produces(tmp_path):
    fit.main(["--out", str(tmp_path)])
    assert (tmp_path / "stop_words.txt").read_text() == (tagger_dir() / "stop_words.txt").read_text()
    for name in ("vocabulary.csv", "weights.csv", "cues.csv", "topics.csv"):
        written, shipped = pd.read_csv(tmp_path / name), pd.read_csv(tagger_dir() / name)
        # (the last written digit may differ between CPUs: the fit's arithmetic is not bit-identical)
        pd.testing.assert_frame_equal(written, shipped, check_exact=False, rtol=0, atol=2e-4,
                                      obj=f"data/tagger/{name} (stale? `make tagger` rewrites it)")


def test_a_cue_word_in_another_sense_does_not_tag_and_a_contribution_does():
    rules = lr.tag(PAPERS, tagger="rules")
    learned = lr.tag(PAPERS, tagger="learned")
    assert lr.tag(PAPERS)["topics"].equals(learned["topics"])  # the learned decision is the default
    assert "topic_scores" not in rules
    # "aligned chat models" is a property of the models attacked, not alignment work: the rules take the cue
    # "aligned" (in the title and the abstract) for the topic, the decision does not.
    assert rules["topics"].tolist()[2] == ["alignment", "safety"]
    assert learned["topics"].tolist()[2] == ["safety"]
    assert learned["topics"].tolist()[1] == ["peft"]
    assert all(len(s) == len(t) for s, t in zip(learned["topic_scores"], learned["topics"]))
    assert all(0.0 <= x <= 1.0 for s in learned["topic_scores"] for x in s)


def test_a_dataset_built_for_training_is_data_and_a_benchmarks_dataset_is_not():
    papers = to_frame([
        {"id": "corpus", "title": "An open multilingual dataset for pretraining language models",
         "abstract": "We assemble two trillion tokens of web text in 32 languages, describe the filtering and "
         "deduplication pipeline, and release the corpus for training language models."},
        {"id": "benchmark", "title": "A benchmark dataset for the factual accuracy of chat models",
         "abstract": "We introduce a benchmark of 5,000 questions with verified answers and evaluate twelve "
         "language models on it, finding that larger models hallucinate less."},
        {"id": "preferences", "title": "A preference dataset for training helpful assistants",
         "abstract": "We collect 180,000 comparisons of model responses ranked by annotators and train reward "
         "models and policies on them."},
    ])
    # "dataset" in a title is a supporting cue of data, so the rules tag all three; the decision weighs it
    # against the paper's other evidence, and a benchmark built to evaluate models is evaluation only.
    assert lr.tag(papers, tagger="rules")["topics"].tolist() == [
        ["pretraining", "data"], ["retrieval", "evaluation", "data"], ["alignment", "data"]]
    assert lr.tag(papers)["topics"].tolist() == [["pretraining", "data"], ["evaluation"], ["alignment", "data"]]


@pytest.mark.xfail(strict=True, reason="a known limit: the labels hold no paper from outside the field, so a "
                   "topic's name in the title of one (Sudoku generation) still tags")
def test_a_topic_name_in_a_paper_from_outside_the_field_does_not_tag():
    assert lr.tag(PAPERS)["topics"].tolist()[0] == []


def test_evidence_keeps_one_row_per_rule_match_and_marks_the_decision():
    rules = lr.evidence(PAPERS, tagger="rules")
    learned = lr.evidence(PAPERS, tagger="learned")
    assert learned.drop(columns="tagged").equals(rules.drop(columns="tagged"))
    aligned = learned[(learned["id"] == "jailbreak") & (learned["topic"] == "alignment")]
    assert aligned["field"].tolist() == ["title", "abstract"] and not aligned["tagged"].any()
    assert rules[(rules["id"] == "jailbreak") & (rules["topic"] == "alignment")]["tagged"].all()


def test_explain_tag_says_what_the_decision_used():
    why = lr.explain_tag(PAPERS, "jailbreak", "alignment")
    assert why["decision"]["tagged"] is False and why["decision"]["fallback"] is False
    assert why["decision"]["score"] < why["decision"]["threshold"]
    assert why["cues"]["matched"].tolist() == ["aligned", "aligned"]
    features = why["features"].set_index("feature")
    assert set(features.index) >= {"cue_precision", "text_score", "description_similarity", "text_gap"}
    # what holds it back: the paper's words score low for alignment, and far lower than for safety
    assert sorted(features["contribution"].nsmallest(2).index) == ["text_gap", "text_score"]
    assert len(why["words"]) > 0
    scores = lr.tag_scores(PAPERS)
    row = scores[(scores["id"] == "jailbreak") & (scores["topic"] == "alignment")].iloc[0]
    assert not row["tagged"] and row["rule_tagged"] == 1.0 and row["score"] == round(why["decision"]["score"], 3)
    assert row["text_gap"] < 0
    assert scores.set_index(["id", "topic"]).loc[("jailbreak", "safety"), "text_gap"] == 0
    # shown as a short account, not as a dict of nested reprs; the HTML escapes what came from the paper
    shown = repr(why).splitlines()
    assert shown[0] == (f"alignment for jailbreak: not tagged, score {why['decision']['score']:.3f} against a "
                        f"threshold of {why['decision']['threshold']:.3f}; field density "
                        f"{why['decision']['field_density']:.2f} (floor {why['decision']['field_floor']:.2f})")
    assert shown[2] == "features: value x weight = contribution to the first logit:"
    assert "rule matches, with each cue's measured precision:" in shown
    marked = PAPERS.assign(id=["puzzle", "lora", "<b>jailbreak</b>"])
    page = lr.explain_tag(marked, "<b>jailbreak</b>", "alignment")._repr_html_()
    assert "for &lt;b&gt;jailbreak&lt;/b&gt;: not tagged" in page and "<b>jailbreak</b>" not in page


def test_a_tagger_saved_before_a_feature_existed_reads_it_as_weight_zero(tmp_path):
    lr.save_tagger(lr.load_tagger(), tmp_path)
    weights = pd.read_csv(tmp_path / "weights.csv", keep_default_na=False)
    gaps = weights["feature"].isin(["text_gap", "field_floor"])
    assert gaps.sum() == 2 * 17  # 16 topics and the fallback
    weights[~gaps].to_csv(tmp_path / "weights.csv", index=False, lineterminator="\n")  # as written before them
    older = lr.load_tagger(tmp_path)
    assert (older.weights.loc[["text_gap", "field_floor"]] == 0.0).all().all()
    expected = lr.load_tagger()
    expected.weights.loc[["text_gap", "field_floor"]] = 0.0
    tagged = lr.tag(PAPERS, tagger=older)
    assert tagged["topic_scores"].tolist() == lr.tag(PAPERS, tagger=expected)["topic_scores"].tolist()
    assert tagged["topic_scores"].tolist() != lr.tag(PAPERS)["topic_scores"].tolist()


def test_the_second_look_weighs_a_topic_against_the_papers_other_topics():
    from litreview.tagging.features import second_look

    probability = np.array([[0.9, 0.5, 0.1], [0.2, 0.2, 0.0]])
    inputs = second_look(probability, np.array([True, True, True]))
    assert inputs.shape == (2, 3, 3)
    np.testing.assert_allclose(inputs[0, :, 0], np.log([9.0, 1.0, 1 / 9]))  # the first logits
    assert inputs[1, 2, 0] == pytest.approx(np.log(1e-6 / (1 - 1e-6)))  # (held within [1e-6, 1 - 1e-6])
    assert inputs[:, :, 1].tolist() == [[0.5, 0.9, 0.9], [0.2, 0.2, 0.2]]  # the best other topic's
    np.testing.assert_allclose(inputs[0, :, 2], [0.6, 1.0, 1.4])  # the other topics' sum
    # a topic without fitted weights (a fallback's probability) is no paper's other topic
    inputs = second_look(probability, np.array([True, False, True]))
    assert inputs[0, :, 1].tolist() == [0.1, 0.9, 0.9]
    np.testing.assert_allclose(inputs[0, :, 2], [0.1, 1.0, 0.9])


def test_explain_tag_takes_the_second_look_apart():
    why = lr.explain_tag(PAPERS, "jailbreak", "alignment")
    second = why["second"].set_index("input")
    assert second.index.tolist() == ["intercept", "first_logit", "best_other", "others_sum"]
    first = why["decision"]["first_score"]
    assert second.loc["first_logit", "value"] == pytest.approx(np.log(first / (1 - first)), abs=1e-4)
    logit = second["contribution"].sum()
    assert 1 / (1 + np.exp(-logit)) == pytest.approx(why["decision"]["second_score"], abs=1e-3)  # (rounded)
    # the score is the lower of the two looks': the second may hold a topic back, never push one through
    assert why["decision"]["score"] == pytest.approx(min(first, why["decision"]["second_score"]), abs=1e-6)
    # the paper is about safety (its best other topic): that holds alignment back further
    safety = lr.explain_tag(PAPERS, "jailbreak", "safety")["decision"]["first_score"]
    assert second.loc["best_other", "value"] == pytest.approx(safety, abs=1e-4)
    assert second.loc["best_other", "contribution"] < 0
    assert "second look, from the first score" in repr(why)
    features = why["features"]  # the intercept first: the contributions add up to the first logit
    assert features["feature"].iloc[0] == "intercept" and features["value"].iloc[0] == 1.0
    assert features["contribution"].sum() == pytest.approx(second.loc["first_logit", "value"], abs=1e-3)
    assert "(lower: the topic is held back)" in repr(why) or "(not lower: the first score stands)" in repr(why)


def test_explain_tag_says_when_the_field_floor_overrides_the_tables():
    # a bare title the fitted vocabulary barely reads: its tables would tag it, the floor gives it no fitted topic
    papers = to_frame([{"id": "glow", "title": "Glow: Generative Flow with Invertible 1x1 Convolutions"}])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", lr.OutsideFieldWarning)
        why = lr.explain_tag(papers, "glow", "generative")
    d = why["decision"]
    assert d["outside_field"] is True and d["score"] == 0.0 and not d["tagged"]
    assert min(d["first_score"], d["second_score"]) > d["threshold"]
    assert "reads as outside the field the tagger was fitted on (its density is under the floor)" in repr(why)
    assert f"(they would score it {min(d['first_score'], d['second_score']):.3f})" in repr(why)
    assert lr.explain_tag(PAPERS, "jailbreak", "alignment")["decision"]["outside_field"] is False


def test_the_text_scores_words_include_the_titles_and_add_up_to_it():
    # The text score reads the title a second time, apart (fit.TITLE_SCALE): its words are listed, marked.
    why = lr.explain_tag(PAPERS, "jailbreak", "alignment", n_words=1000)
    titled = why["words"][why["words"]["word"].str.endswith(" (title)")]
    assert len(titled) > 0
    intercept = lr.load_tagger().weights.loc["text_intercept", "alignment"]
    text_score = why["features"].set_index("feature").loc["text_score", "value"]
    assert why["words"]["contribution"].sum() + intercept == pytest.approx(text_score, abs=1e-3)


def test_a_tagger_saved_before_the_second_look_keeps_its_first_probabilities(tmp_path):
    lr.save_tagger(lr.load_tagger(), tmp_path)
    weights = pd.read_csv(tmp_path / "weights.csv", keep_default_na=False)
    rows = ["second_intercept", "first_logit", "best_other", "others_sum"]
    weights[~weights["feature"].isin(rows)].to_csv(tmp_path / "weights.csv", index=False, lineterminator="\n")
    older = lr.load_tagger(tmp_path)
    assert older.weights.loc[rows].T.drop_duplicates().values.tolist() == [[0.0, 1.0, 0.0, 0.0]]
    scores = lr.tag_scores(PAPERS, tagger=older).set_index(["id", "topic"])
    firsts = {key: lr.explain_tag(PAPERS, *key, tagger=older)["decision"]["first_score"] for key in scores.index}
    assert scores["score"].tolist() == [round(firsts[key], 3) for key in scores.index]
    # The second look never raises a score: every topic's is at most its first (and some are lower: on the seed
    # corpus, where papers have several topics).
    now = lr.tag_scores(PAPERS).set_index(["id", "topic"])["score"]
    assert (now <= scores["score"].reindex(now.index) + 1e-9).all()
    seed = lr.load()
    now, first = (lr.tag_scores(seed, tagger=t).set_index(["id", "topic"])["score"] for t in (None, older))
    assert (now <= first.reindex(now.index) + 1e-9).all() and (now < first.reindex(now.index)).any()


def test_a_weights_file_without_its_threshold_or_with_unknown_features_is_an_error_naming_it(tmp_path):
    lr.save_tagger(lr.load_tagger(), tmp_path)
    weights = pd.read_csv(tmp_path / "weights.csv", keep_default_na=False)
    weights[weights["feature"] != "threshold"].to_csv(tmp_path / "weights.csv", index=False)
    with pytest.raises(ValueError, match=r"weights\.csv: no threshold rows; write it again with lr\.save_tagger"):
        lr.load_tagger(tmp_path)  # (filled with 0, every topic would be given to every paper)
    weights.assign(feature=weights["feature"].replace("title_match", "title_bonus")).to_csv(
        tmp_path / "weights.csv", index=False)
    with pytest.raises(ValueError, match=r"weights\.csv: features this version does not know: title_bonus"):
        lr.load_tagger(tmp_path)


DRUG_TRIAL = to_frame(
    [
        {
            "id": "trial",
            "title": "Safety and efficacy of oral sumatriptan in the acute treatment of migraine",
            "abstract": "In a randomised, double-blind, placebo-controlled trial, 412 adults with migraine took "
            "sumatriptan 50 mg or placebo. Headache relief at two hours was 54% against 29%; adverse events, "
            "mostly mild paraesthesia and dizziness, were reported by 11% against 4%. The safety profile of "
            "sumatriptan was favourable and its tolerability good.",
        },
        *PAPERS.to_dict("records")[1:],
    ]
)


def test_a_paper_from_another_field_gets_none_of_the_fitted_topics_and_the_kit_says_so():
    assert lr.tag(DRUG_TRIAL, tagger="rules")["topics"].tolist()[0] == ["safety"]  # "safety" in its clinical sense
    with pytest.warns(lr.OutsideFieldWarning, match=r"^1 of 3 paper\(s\) read as outside the field the tagger "
                      r"was fitted on \(language-model research: fewer than 6\.9 words of its vocabulary per 100 "
                      r"characters"):
        tagged = lr.tag(DRUG_TRIAL)
    assert tagged["topics"].tolist() == [[], ["peft"], ["safety"]]  # the two machine-learning papers as before
    with warnings.catch_warnings(record=True) as said:  # evidence, then tag: said once, by lr.tag
        warnings.simplefilter("always")
        lr.tag(DRUG_TRIAL, None, lr.evidence(DRUG_TRIAL))
    assert [type(w.message) for w in said] == [lr.OutsideFieldWarning]
    assert tagged["outside_field"].tolist() == [True, False, False]  # (what the reports count, not counted again)
    twice = pd.concat([DRUG_TRIAL, DRUG_TRIAL.iloc[[0]]], ignore_index=True)  # a duplicated id: one answer per id
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", lr.OutsideFieldWarning)
        assert lr.tag(twice)["outside_field"].tolist() == [True, False, False, True]
    with pytest.warns(lr.OutsideFieldWarning, match=r"^2 of 3 .*gives the rules' own tags\): most of the corpus, "
                      r"so the taxonomy's fitted topics do not fit it; write a taxonomy for its field"):
        lr.tag(twice.iloc[[0, 1, 3]])
        assert "outside_field" not in lr.tag(tagged, tagger="rules").columns  # (a learned tagging's, dropped)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", lr.OutsideFieldWarning)
        scores = lr.tag_scores(DRUG_TRIAL)
        doubt = lr.borderline_papers(tagged, "safety", scores=scores)
    trial = scores[scores["id"] == "trial"]
    assert trial["topic"].tolist() == ["safety"] and trial["outside_field"].all() and (trial["score"] == 0).all()
    assert not scores.loc[scores["id"] != "trial", "outside_field"].any()
    assert doubt.set_index("id").loc["trial", "why"] == "outside the field; the rules tag it"  # not "just below"
    why = lr.explain_tag(DRUG_TRIAL, "trial", "safety")["decision"]
    assert why["score"] == 0.0 and why["field_density"] < why["field_floor"] == lr.load_tagger().weights.loc[
        "field_floor", "safety"] > 6
    # a topic of the user's (no fitted weights) is judged by its own description, not by the field floor
    clinical = parse_taxonomy({"topics": [{"slug": "trials", "label": "Clinical trials", "scope": "Randomised trials "
                                           "of drugs.", "terms": ["placebo-controlled"]}]})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", lr.FallbackWarning)
        warnings.simplefilter("error", lr.OutsideFieldWarning)
        assert lr.tag(DRUG_TRIAL, clinical)["topics"].tolist() == [["trials"], [], []]


def test_topics_without_weights_fall_back_and_say_so():
    taxonomy = parse_taxonomy(
        {
            "topics": [
                {"slug": "peft", "label": "PEFT", "scope": "Few trainable parameters.", "terms": ["low-rank"]},
                {
                    "slug": "puzzles",
                    "label": "Puzzles",
                    "scope": "Generating and solving puzzles such as Sudoku with solvers.",
                    "terms": ["puzzle", "sudoku"],
                },
            ]
        }
    )
    # puzzles is new; this peft has other rules than the fitted one, so its weights would be stale too
    with pytest.warns(lr.FallbackWarning, match=r"\['peft', 'puzzles'\]"):
        tagged = lr.tag(PAPERS, taxonomy, tagger="learned")
    assert tagged["topics"].tolist() == [["puzzles"], ["peft"], []]
    assert lr.load_tagger().fallback_topics(taxonomy) == ["peft", "puzzles"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        lr.tag(PAPERS, tagger="learned")  # the default taxonomy: every topic has weights, no warning


def test_a_renamed_topic_falls_back_and_a_removed_one_changes_no_other_tag():
    default = load_taxonomy()
    renamed = parse_taxonomy(
        {
            "topics": [
                {**_as_dict(t), "slug": "fine-tuning-cheaply"} if t.slug == "peft" else _as_dict(t)
                for t in default.topics
            ]
        }
    )
    with pytest.warns(lr.FallbackWarning, match=r"\['fine-tuning-cheaply'\]"):
        tagged = lr.tag(PAPERS, renamed, tagger="learned")
    assert tagged["topics"].tolist()[1] == ["fine-tuning-cheaply"]  # rules plus description similarity
    removed = parse_taxonomy({"topics": [_as_dict(t) for t in default.topics if t.slug != "controllable"]})
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # every remaining topic has its weights
        kept = lr.tag(PAPERS, removed, tagger="learned")
    full = lr.tag(PAPERS, tagger="learned")["topics"]
    assert kept["topics"].tolist() == [[s for s in topics if s != "controllable"] for topics in full]
    # On the seed corpus too: without architecture, no paper gains another topic (a paper's text gap is to the best
    # of all the topics the tagger was fitted on, whether the taxonomy keeps them; measured against the taxonomy's
    # own, two papers would gain pretraining and interpretability)
    papers = lr.load()
    without = parse_taxonomy({"topics": [_as_dict(t) for t in default.topics if t.slug != "architecture"]})
    expected = [[s for s in topics if s != "architecture"] for topics in lr.tag(papers)["topics"]]
    assert lr.tag(papers, without)["topics"].tolist() == expected


def _as_dict(topic) -> dict:
    return {k: list(v) if isinstance(v, tuple) else v for k, v in vars(topic).items() if v not in ((), None)}


def test_counting_words_while_matching_gives_the_decision_of_a_second_pass():
    # lr.tag counts the words in the matcher's own pass (with an evidence table given too, its
    # matches unused); FittedTagger.decide counts them in a pass of its own (the first design,
    # WordCounter): the three must agree.
    import numpy as np

    from litreview.tagging.tagger import FIELDS, _evidence

    papers = lr.load()
    one_pass = lr.tag(papers, tagger="learned")
    given_table = lr.tag(papers, evidence_table=lr.evidence(papers, tagger="rules"), tagger="learned")
    taxonomy = lr.load_taxonomy()
    second_pass = lr.load_tagger().decide(papers, _evidence(papers, taxonomy, FIELDS)[0], taxonomy)
    assert one_pass["topics"].tolist() == given_table["topics"].tolist()
    assert one_pass["topic_scores"].tolist() == given_table["topic_scores"].tolist()
    slugs = np.array(taxonomy.slugs)
    assert one_pass["topics"].tolist() == [slugs[row].tolist() for row in second_pass.tagged]
    scored = [np.round(p[row], 3).tolist() for p, row in zip(second_pass.probability, second_pass.tagged)]
    assert one_pass["topic_scores"].tolist() == scored
    scores = lr.tag_scores(papers)
    assert scores["tagged"].sum() == one_pass["topics"].map(len).sum() > 0


def test_a_text_matched_the_plain_way_has_its_words_counted_too():
    # A capital sigma sends a text through the word-by-word matcher when a rule has a sigma: its
    # words are then counted apart, and the decision is the one a second counting pass gives.
    import numpy as np

    from litreview.tagging.tagger import FIELDS, _evidence, _learned

    peft = {"slug": "peft", "label": "PEFT", "scope": "Few trainable parameters.", "terms": ["low-rank", "σύνοψη"]}
    taxonomy = parse_taxonomy({"topics": [peft]})
    papers = to_frame(
        [
            {"id": "a", "title": "ΣΎΝΟΨΗ of low-rank adapters", "abstract": "Low-rank adapters of frozen models."},
            {"id": "b", "title": "Plain title", "abstract": "Low-rank updates for frozen models."},
        ]
    )
    fitted = lr.load_tagger()
    one_pass = _learned(papers, taxonomy, fitted, features=True)[0]
    two_pass = fitted.decide(papers, _evidence(papers, taxonomy, FIELDS)[0], taxonomy)
    np.testing.assert_array_equal(one_pass.features, two_pass.features)
    similarity = one_pass.features[:, 0, FEATURES.index("description_similarity")]
    assert (similarity > 0.1).all()  # both papers' words were counted


def test_fit_tagger_returns_a_tagger_tag_accepts():
    papers, labels = fit.default_data().papers, fit.default_data().labels
    seed = labels[labels["source"] == "seed"]
    tagger = lr.fit_tagger(papers, seed[["id", "topics"]], cv=False)
    tagged = lr.tag(PAPERS, tagger=tagger)
    assert tagged["topics"].tolist()[1] == ["peft"]
    assert tagger.report is None


def test_few_folds_with_few_labels_fit_without_a_fold_lacking_a_class():
    # Found while documenting fit_tagger: with 2 folds a topic's positives could all fall in one fold,
    # and scikit-learn raised "This solver needs samples of at least 2 classes".
    tagger = lr.fit_tagger(lr.load(), lr.load_labels(), folds=2, cv=False)
    assert lr.tag(PAPERS, tagger=tagger)["topics"].tolist()[1] == ["peft"]


@pytest.mark.parametrize(
    "body, message",
    [
        ("id,topics\np1,peft nonsense\n", r"labels\.csv:2: unknown topic\(s\) \['nonsense'\] for 'p1'; use slugs"),
        ("id,topics\np1,peft\np1,safety\n", r"labels\.csv:3: id 'p1' labelled again \(first at labels\.csv:2\)"),
        ("id,topics\np1,\n", r"labels\.csv:2: empty topics cell for 'p1'; write 'none'"),
    ],
)
def test_bad_labels_get_one_clear_error(tmp_path, body, message):
    path = tmp_path / "labels.csv"
    path.write_text(body)
    papers = to_frame([{"id": "p1", "title": "LoRA", "abstract": "LoRA."}])
    with pytest.raises(lr.LabelsError, match=message):
        lr.fit_tagger(papers, path, cv=False)


def test_unknown_ids_are_a_warning(tmp_path):
    from litreview.tagging.labelsets import known_ids, read_labels

    path = tmp_path / "labels.csv"
    path.write_text("id,topics\np1,peft\nghost,safety\n")
    labels = read_labels(path, load_taxonomy())
    with pytest.warns(UserWarning, match=r"labels\.csv:3 'ghost'"):
        kept = known_ids(labels, pd.DataFrame({"id": ["p1"]}))
    assert kept["id"].tolist() == ["p1"]


def test_a_topic_edited_since_the_fit_falls_back_instead_of_using_stale_weights():
    default = load_taxonomy()
    edited = parse_taxonomy({"topics": [
        dict(_as_dict(t), terms=[*t.terms, "adapter"]) if t.slug == "peft" else _as_dict(t) for t in default.topics
    ]})
    tagger = lr.load_tagger()
    assert tagger.fallback_topics(default) == []
    assert tagger.fallback_topics(edited) == ["peft"]
    with pytest.warns(lr.FallbackWarning, match=r"\['peft'\] \(new, renamed, or edited since the fit\)"):
        scores = lr.tag_scores(PAPERS, edited)
    assert scores.loc[scores["topic"] == "peft", "fallback"].all()
    assert not scores.loc[scores["topic"] != "peft", "fallback"].any()
    # the fallback reads no text score: its rows show none (a text_gap of 0 would read as "the paper's best topic")
    peft = scores[scores["topic"] == "peft"]
    assert len(peft) and peft[["text_score", "text_gap"]].isna().all().all()
    assert peft["description_similarity"].notna().all()
    assert scores.loc[scores["topic"] != "peft", ["text_score", "text_gap"]].notna().all().all()


def test_tagging_does_not_import_scikit_learn():
    # sklearn (and scipy.stats through it) took a second of a kernel's first lr.tag, only for its stop
    # words: the fitted tagger keeps them in data/tagger/stop_words.txt.
    import subprocess
    import sys

    code = ("import sys, litreview as lr; from litreview.tagging.taxonomy import parse_taxonomy; "
            "mine = parse_taxonomy({'topics': [{'slug': 'new', 'label': 'A new "
            "topic', 'scope': 'Words of the description the vocabulary lacks', 'terms': ['zebra']}]}); "
            "lr.tag(lr.load()); lr.tag(lr.load(), mine); "
            # a tagger saved before stop_words.txt was written: the shipped list, not scikit-learn's import
            "import dataclasses; old = dataclasses.replace(lr.load_tagger(), stop_words=None); "
            "lr.tag(lr.load(), mine, tagger=old); print('sklearn' in sys.modules)")
    done = subprocess.run([sys.executable, "-W", "ignore", "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
    assert lr.load_tagger().stop_words == fit.english_stop_words() and "the" in lr.load_tagger().stop_words
    from litreview.tagging.decision import shipped_stop_words

    assert shipped_stop_words() == fit.english_stop_words()


def test_retagging_and_odd_ids_give_consistent_tables_and_warnings_point_at_the_caller():
    tagged = lr.tag(lr.load())
    # the rules re-tagging a learned table leave no stale scores behind
    assert "topic_scores" not in lr.tag(tagged, tagger="rules")
    # a paper without an id gets no topic (it was an IndexError when no paper had one)
    nameless = lr.tag(lr.load().head(3).assign(id=None))
    assert nameless["topics"].tolist() == [[], [], []] and nameless["topic_scores"].tolist() == [[], [], []]
    # a topic without fitted weights is named in a warning at this line, not inside the kit
    mine = parse_taxonomy({"topics": [{"slug": "mine", "label": "Mine", "scope": "Low-rank adapters.",
                                       "terms": ["LoRA"]}]})
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        lr.tag(lr.load().head(5), mine)
    (warning,) = [w for w in said if issubclass(w.category, lr.FallbackWarning)]
    assert warning.filename == __file__


def test_the_teams_labels_are_fitted_on_and_never_measured_on():
    from litreview.tagging.labelsets import FIT_ONLY, training_set

    papers, labels = training_set()
    team = labels["file"] == "prompt_report_team.csv"
    assert FIT_ONLY == {"labels/prompt_report_team.csv"}
    assert (team.sum(), len(labels)) == (300, 822) and set(labels.loc[team, "source"]) == {"prompt_report"}
    assert labels["measured"].tolist() == (~team).tolist()  # (held out with their source, the Prompt Report)
    # A score ignores them: making every team label wrong changes no figure.
    data = fit.default_data()
    wrong = fit.default_data()
    wrong.y[~wrong.measured] = ~wrong.y[~wrong.measured]
    everything = np.arange(len(data.labels))
    tagged = data.y.copy()
    micro = fit._scores(data, everything, tagged).set_index("topic").loc["micro"]
    assert micro.tolist() == fit._scores(wrong, everything, tagged).set_index("topic").loc["micro"].tolist()
    assert (micro["support"], micro["f1"]) == (343, 1.0)


def test_labels_marked_measured_0_are_fitted_on_and_never_scored(tmp_path):
    from litreview.tagging.labelsets import LabelsError, read_labels, training_set

    papers, labels = training_set()
    # 40 seed papers (the first 10 marked fit-only here) and 30 of the team's, as a CSV gives them ("0"/"1" text)
    seed = labels[labels["source"] == "seed"].head(40).assign(measured=[False] * 10 + [True] * 30)
    chosen = pd.concat([seed, labels[~labels["measured"]].head(30)])
    table = chosen.assign(measured=chosen["measured"].map({True: "1", False: "0"}))
    table = table[["id", "topics", "sure", "measured"]]
    scored_tags = int(seed["topics"].tail(30).map(len).sum())
    fitted = lr.fit_tagger(papers, table, folds=3)
    assert fitted.report.set_index("topic").loc["micro", "support"] == scored_tags
    for scores in (lr.evaluate(lr.tag(lr.load()), table), lr.evaluate_taggers(lr.load(), table, tagger="rules")):
        assert scores.set_index("topic").loc["micro", "support"].tolist() in (scored_tags, [scored_tags] * 2)
    path = tmp_path / "labels.csv"
    path.write_text("id,topics,measured\na,peft,1\nb,agents,maybe\n", encoding="utf-8")
    with pytest.raises(LabelsError, match=r"labels\.csv:3: measured is 'maybe'; write 1 \(score the tagger"):
        read_labels(path, load_taxonomy())
    path.write_text("id,topics,measured\na,peft,1\nb,agents,0\n", encoding="utf-8")
    assert read_labels(path, load_taxonomy())["measured"].tolist() == [True, False]


def test_a_sure_flag_is_read_strictly_by_every_labels_reader(tmp_path):
    from litreview.tagging.labelling import read_any_labels
    from litreview.tagging.labelsets import LabelsError, read_labels

    path = tmp_path / "labels.csv"
    path.write_text("id,topics,sure\na,peft,yes\nb,agents,0\nc,safety,False\n", encoding="utf-8")
    assert read_labels(path, load_taxonomy())["sure"].tolist() == [True, False, False]
    assert read_any_labels(path)["sure"].tolist() == [True, False, False]
    assert lr.load_labels(path)["sure"].tolist() == [True, False, False]  # (was the text, so "0" read as true)
    path.write_text("id,topics,sure\na,peft,1\nb,agents,\n", encoding="utf-8")  # (was read as not sure, silently)
    for read in (lambda p: read_labels(p, load_taxonomy()), read_any_labels):
        with pytest.raises(LabelsError, match=r"labels\.csv:3: sure is ''; write 1 \(a sure label\) or 0"):
            read(path)


WOS_KMEANS = Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "citations" / "wos_kmeans_clustering.txt"


@pytest.mark.skipif(not WOS_KMEANS.is_file(), reason="needs ../shared/fixtures/citations (../shared absent)")
def test_tag_warns_when_the_taxonomy_covers_little_of_the_corpus():
    # k-means clustering papers: machine learning, but few of the default taxonomy's topics apply
    papers = lr.load(WOS_KMEANS, progress=False)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        tagged = lr.tag(papers)
    coverage = [str(w.message) for w in caught if w.category is lr.CoverageWarning]
    untagged = int((tagged["topics"].map(len) == 0).sum())
    assert coverage == [f"the taxonomy covers little of this corpus: {untagged} of 492 papers have none of its "
                        "topics, so a tag it did give may come from one of its words used in another sense, or from "
                        "no word of it at all; read a few tagged papers before trusting a topic, or write a "
                        "taxonomy for the corpus's field (walkthrough 2)"]
    assert untagged > 492 / 2  # (492: a meeting abstract and its article stay two papers)


def test_no_coverage_warning_on_the_seed_corpus_or_on_a_handful_of_papers():
    with warnings.catch_warnings():
        warnings.simplefilter("error", lr.CoverageWarning)
        lr.tag(lr.load())
        warnings.simplefilter("ignore", lr.OutsideFieldWarning)
        few = to_frame([{"id": str(i), "title": "Soil moisture"} for i in range(19)])
        assert lr.tag(few)["topics"].map(len).sum() == 0  # (19 papers: too few to warn about a corpus)
