"""Evaluation and the topic analyses, with exact values on a small hand-made corpus."""

import math

import pandas as pd
import pytest

import litreview as lr
from litreview.schema import to_frame


@pytest.fixture
def tagged():
    rows = [
        ("a", 2021, ["peft"], "LoRA adapters", "Low rank adapters keep the base model frozen."),
        ("b", 2021, ["peft", "efficiency"], "QLoRA", "Quantized adapters keep the base model frozen."),
        ("c", 2022, ["efficiency"], "Pruning", "Pruning weights makes inference fast."),
        ("d", 2022, ["peft"], "Prompt tuning", "Soft prompts tune few parameters."),
        ("e", None, [], "Essay", "An essay about research culture."),
    ]
    frame = to_frame(
        {"id": i, "year": y, "title": t, "abstract": a, "source": f"x.txt:{n}"}
        for n, (i, y, _, t, a) in enumerate(rows, start=1)
    )
    frame["topics"] = [r[2] for r in rows]
    return frame


def test_evaluate_counts_and_scores(tagged):
    labels = pd.DataFrame({"id": ["a", "b", "c", "d", "e"], "topics": [["peft"], ["peft"], [], ["efficiency"], []]})
    scores = lr.evaluate(tagged, labels, ["peft", "efficiency"]).set_index("topic")
    assert scores.loc["peft", ["tp", "fp", "fn", "support"]].tolist() == [2, 1, 0, 2]
    assert scores.loc["peft", "precision"] == 0.667
    assert scores.loc["peft", "recall"] == 1.0
    assert scores.loc["peft", "f1"] == 0.8
    assert scores.loc["efficiency", ["tp", "fp", "fn"]].tolist() == [0, 2, 1]
    assert scores.loc["efficiency", "f1"] == 0.0
    assert scores.loc["micro", ["tp", "fp", "fn"]].tolist() == [2, 3, 1]
    assert scores.loc["micro", "precision"] == 0.4
    assert scores.loc["macro", "f1"] == 0.4


def test_a_topic_neither_labelled_nor_tagged_has_no_f1_and_leaves_the_macro_mean(tagged):
    # (a taxonomy's topic these papers never touch: a 0 would halve the macro F1 of a perfect tagger)
    labels = pd.DataFrame({"id": ["a", "b"], "topics": [["peft"], ["peft"]]})
    scores = lr.evaluate(tagged, labels, ["peft", "retrieval"]).set_index("topic")
    assert scores.loc["peft", ["precision", "recall", "f1"]].tolist() == [1.0, 1.0, 1.0]
    assert scores.loc["retrieval", ["tp", "fp", "fn", "support"]].tolist() == [0, 0, 0, 0]
    assert scores.loc["retrieval", ["precision", "recall", "f1"]].isna().all()
    assert scores.loc["macro", ["precision", "recall", "f1"]].tolist() == [1.0, 1.0, 1.0]


def test_evaluate_ignores_unlabelled_papers_and_rejects_no_overlap(tagged):
    labels = pd.DataFrame({"id": ["a"], "topics": [["peft"]]})
    scores = lr.evaluate(tagged, labels).set_index("topic")
    assert scores.loc["peft", ["tp", "fp", "fn"]].tolist() == [1, 0, 0]
    assert math.isnan(lr.evaluate(tagged, pd.DataFrame({"id": ["c"], "topics": [[]]}), ["peft"])
                      .set_index("topic").loc["peft", "precision"])
    with pytest.raises(ValueError) as info:
        lr.evaluate(tagged, pd.DataFrame({"id": ["zzz"], "topics": [["peft"]]}))
    assert str(info.value) == (
        f"no paper id is in both the tagged table ({len(tagged)} papers) and the labels (1 labelled): the labels are "
        "of other papers; label some of these (lr.labelling_queue, lr.add_labels) or pass the labels of this corpus")
    # an empty labels file read as a table has a measured column of no rows (its mask must select no rows,
    # not no columns)
    none = pd.DataFrame({"id": [], "topics": [], "measured": []}, dtype=object)
    with pytest.raises(ValueError, match="no paper id is in both"):
        lr.evaluate(tagged, none)


def test_tagging_errors_lists_false_positives_and_negatives(tagged):
    labels = pd.DataFrame({"id": ["a", "b", "c", "d"], "topics": [["peft"], [], [], ["efficiency"]]})
    assert lr.tagging_errors(tagged, labels, "peft").values.tolist() == [["b", "fp"], ["d", "fp"]]
    assert lr.tagging_errors(tagged, labels, "efficiency").values.tolist() == [["b", "fp"], ["c", "fp"], ["d", "fn"]]


def test_load_labels_reads_space_separated_topics(tmp_path):
    path = tmp_path / "labels.csv"
    path.write_text('id,topics,title\narxiv:1,peft efficiency,"A, B"\ntitle:x,none,C\n')
    labels = lr.load_labels(path)
    assert labels["topics"].tolist() == [["peft", "efficiency"], []]
    assert labels["title"].tolist() == ["A, B", "C"]
    path.write_text("id,topic\na,peft\n")
    with pytest.raises(lr.LabelsError, match=r"labels.csv: labels file lacks column\(s\) \['topics'\]"):
        lr.load_labels(path)
    # every problem at once, each with its file, line and fix
    path.write_text("id,topics\na,peft\na,data\nb,\nc,peft nonsense\n")
    message = ("bad labels:\nlabels.csv:3: id 'a' labelled again (first at labels.csv:2); keep one row per paper\n"
               "labels.csv:4: empty topics cell for 'b'; write 'none' if the paper has no topic")
    with pytest.raises(lr.LabelsError) as error:
        lr.load_labels(path)
    assert str(error.value) == message
    with pytest.raises(lr.LabelsError) as error:
        lr.load_labels(path, taxonomy=lr.load_taxonomy())
    assert str(error.value).startswith(message + "\nlabels.csv:5: unknown topic(s) ['nonsense'] for 'c'; use slugs ")
    with pytest.raises(lr.LabelsError, match=r"nowhere.csv: no such labels file"):
        lr.load_labels(tmp_path / "nowhere.csv")
    # the key layout of data/labels/ and ../shared/labels: an empty cell is no topic, as its README says
    path.write_text("key,topics,sure\ntitle:A,peft;efficiency,1\ntitle:B,,0\n")
    assert lr.load_labels(path)["topics"].tolist() == [["peft", "efficiency"], []]


def test_default_labels_cover_the_default_corpus():
    labels = lr.load_labels()
    papers = lr.load()
    assert sorted(labels["id"]) == sorted(papers["id"])
    slugs = set(lr.load_taxonomy().slugs)
    assert all(set(topics) <= slugs for topics in labels["topics"])


def test_topic_counts(tagged):
    counts = lr.topic_counts(tagged, ["peft", "efficiency", "agents"])
    assert counts.values.tolist() == [["peft", 3, 0.6], ["efficiency", 2, 0.4], ["agents", 0, 0.0]]


def test_topic_timeline_skips_undated_and_windows(tagged):
    timeline = lr.topic_timeline(tagged)
    assert timeline.values.tolist() == [  # 2 papers a year
        ["efficiency", 2021, 1, 0.5, 2], ["efficiency", 2022, 1, 0.5, 2], ["peft", 2021, 2, 1.0, 2],
        ["peft", 2022, 1, 0.5, 2],
    ]
    assert lr.topic_timeline(tagged, ["peft"], start=2022).values.tolist() == [["peft", 2022, 1, 0.5, 2]]


def test_within_years(tagged):
    assert lr.within_years(tagged)["id"].tolist() == ["a", "b", "c", "d", "e"]
    assert lr.within_years(tagged, 2022)["id"].tolist() == ["c", "d"]
    assert lr.within_years(tagged, None, 2021)["id"].tolist() == ["a", "b"]


def test_cooccurrence_and_neighbours(tagged):
    pairs = lr.topic_cooccurrence(tagged)
    assert pairs.values.tolist() == [["efficiency", "peft", 1, 0.25]]
    assert lr.neighbours(tagged, "peft").values.tolist() == [["efficiency", 1, 0.25]]
    matrix = lr.cooccurrence_matrix(tagged, ["peft", "efficiency"])
    assert matrix.values.tolist() == [[3, 1], [1, 2]]


def test_distinctive_terms_rank_group_words_first(tagged):
    terms = lr.distinctive_terms(tagged, lr.has_topic(tagged, "peft"), n=3, min_df=1)
    assert terms["term"].tolist()[:2] == ["adapters", "base"]
    assert terms.columns.tolist() == ["term", "z", "in_group", "rest"]
    assert terms.loc[0, ["in_group", "rest"]].tolist() == [2, 0]
    with pytest.raises(ValueError, match="^in_group selects every paper: there is no rest of the corpus"):
        lr.distinctive_terms(tagged, [True] * 5)
    empty = lr.distinctive_terms(tagged, lr.has_topic(tagged, "no-such-topic"))  # an empty selection
    assert empty.empty and empty.columns.tolist() == ["term", "z", "in_group", "rest"]


def test_similar_pairs_finds_the_twin_abstracts(tagged):
    pairs = lr.similar_pairs(tagged, n=1)
    assert pairs[["id_a", "id_b"]].values.tolist() == [["a", "b"]]
    assert "adapters" in pairs.loc[0, "shared"] and "frozen" in pairs.loc[0, "shared"]
    assert 0 < pairs.loc[0, "similarity"] < 1


def test_topic_papers_shows_evidence(tagged):
    evidence = pd.DataFrame(
        [("a", "peft", "title", "LoRA", "term", "LoRA", 0, 4, True)],
        columns=["id", "topic", "field", "rule", "kind", "matched", "start", "end", "tagged"],
    )
    table = lr.topic_papers(tagged, evidence, "peft")
    assert table["id"].tolist() == ["d", "a", "b"]
    assert table.set_index("id").loc["a", "evidence"] == "title: lora"
    assert table.set_index("id").loc["b", "also"] == "efficiency"
    assert table["score"].isna().all()  # no topic_scores: the rules decided
    scored = tagged.assign(topic_scores=[[0.9, 0.4] if len(t) == 2 else [0.7] * len(t) for t in tagged["topics"]])
    by_id = lr.topic_papers(scored, evidence, "peft").set_index("id")["score"]
    expected = {pid: ([0.9, 0.4][t.index("peft")] if len(t) == 2 else 0.7)
                for pid, t in zip(tagged["id"], tagged["topics"]) if "peft" in t}
    assert by_id.to_dict() == expected


def test_a_topic_the_tables_taxonomy_lacks_is_an_error_that_suggests_the_slug():
    # (a misspelt slug or a label gave all-False masks and rows of zeros: a newcomer's trial)
    tagged = lr.tag(lr.load().head(5), tagger="rules")
    assert tagged.attrs["taxonomy_topics"] == lr.load_taxonomy().slugs
    for call in (lambda: lr.has_topic(tagged, "multimodel"), lambda: lr.has_topic(tagged, "Multimodal"),
                 lambda: lr.topic_timeline(tagged, ["multimodel"]), lambda: lr.topic_counts(tagged, ["multimodel"]),
                 lambda: lr.topic_cooccurrence(tagged, ["multimodel", "peft"])):
        with pytest.raises(ValueError, match=r"unknown topic\(s\) \['(multimodel|Multimodal)'\] \(did you mean "
                                             r"multimodal\?\); the topics are 'agents', 'alignment'"):
            call()
    assert not lr.has_topic(tagged, "multimodal").any()  # a topic of the taxonomy without papers: no error
    assert not lr.has_topic(tagged[tagged["year"] > 3000], "peft").any()  # (a selection keeps the attrs)
    by_hand = pd.DataFrame({"id": ["a"], "topics": [["mine"]]})  # a table lr.tag did not make: not checked
    assert lr.has_topic(by_hand, "mine").tolist() == [True] and not lr.has_topic(by_hand, "other").any()


def test_match_contexts_gives_the_words_around_each_match():
    papers = pd.DataFrame({"id": ["a", "b"], "title": ["LoRA", None],
                           "abstract": ["Agents keep an episodic memory buffer of past trials.", None]})
    evidence = pd.DataFrame(
        [("a", "efficiency", "abstract", "memory", 24, 30), ("a", "peft", "title", "LoRA", 0, 4),
         ("b", "peft", "title", "LoRA", 0, 4), ("gone", "peft", "title", "LoRA", 0, 4)],
        columns=["id", "topic", "field", "rule", "start", "end"],
    )
    table = lr.match_contexts(evidence, papers, width=6)
    assert table.columns.tolist() == ["id", "topic", "field", "rule", "context"]
    # cut on both sides, on neither, and nothing for a paper with no such text or not in the table
    assert table["context"].tolist() == ["...sodic memory buffe...", "LoRA", "", ""]
    empty = lr.match_contexts(evidence.iloc[:0], papers)
    assert empty.empty and empty.columns.tolist() == ["id", "topic", "field", "rule", "context"]


def test_paper_text_wraps_the_abstract_under_the_title_and_names_a_missing_id():
    papers = pd.DataFrame({"id": ["a", "b"], "title": ["Short", "Bare"],
                           "abstract": ["word " * 30, None]})
    assert lr.paper_text(papers, "a", width=40).split("\n") == ["Short", "", *(["word " * 7 + "word"] * 3),
                                                                 "word word word word word word"]
    assert lr.paper_text(papers, "b") == "Bare\n\n(no abstract)"
    with pytest.raises(KeyError, match="no paper has the id 'c'"):
        lr.paper_text(papers, "c")


def test_the_topic_report_lists_each_papers_score_when_the_decision_gave_one():
    from litreview.report.sections import topic_paper_list

    papers = lr.load()
    taxonomy = lr.load_taxonomy()
    learned = topic_paper_list(lr.tag(papers), lr.evidence(papers), "efficiency", taxonomy)
    rules = topic_paper_list(lr.tag(papers, tagger="rules"), lr.evidence(papers, tagger="rules"), "peft", taxonomy)
    assert learned.frame.columns.tolist() == ["paper", "year", "venue", "also in", "score", "evidence"]
    # the four least sure efficiency tags (the threshold is 0.375)
    assert sorted(learned.frame["score"])[:4] == [0.86, 0.89, 0.92, 0.96]
    # three tags no efficiency rule matched (ReLoRA among them) say so rather than show an empty cell
    no_rule = "(no rule matched: tagged by the learned decision; lr.explain_tag says why)"
    unmatched = learned.frame[learned.frame["evidence"] == no_rule]
    assert len(unmatched) == 3 and "ReLoRA: High-Rank Training Through Low-Rank Updates" in unmatched["paper"].tolist()
    assert rules.frame.columns.tolist() == ["paper", "year", "venue", "also in", "evidence"]


def test_overview_tables():
    papers = lr.load()
    assert lr.per_source(papers).values.tolist() == [
        ["data/raw/arxiv_abstracts.txt", 39], ["data/raw/arxiv_roundup_2023-05-28.txt", 23],
        ["data/raw/llm_digest.txt", 9], ["data/raw/iclr_publications.txt", 3],
    ]
    missing = lr.missing_fields(papers)
    assert missing.loc["data/raw/arxiv_abstracts.txt", "title"] == 39
    assert missing.loc["data/raw/arxiv_roundup_2023-05-28.txt", "abstract"] == 23
    assert missing.loc["all files", "year"] == 11
    flags = lr.quality_flags(papers)
    assert flags["flag"].value_counts().to_dict() == {"authors-incomplete": 1, "mojibake": 1, "mojibake-repaired": 1}


def test_provenance_fingerprints_are_stable(tagged):
    taxonomy = lr.load_taxonomy()
    table = lr.provenance(tagged, taxonomy, {"topic": "peft"}).set_index("item")["value"]
    assert table["corpus fingerprint"] == lr.corpus_fingerprint(tagged.iloc[::-1])
    assert table["parameter: topic"] == "peft"  # as a reader writes it, not a Python repr
    assert table["papers"] == "5"


def test_topic_timeline_shows_empty_years_as_zero():
    frame = to_frame({"id": i, "year": y, "source": "x:1"} for i, y in (("a", 2019), ("b", 2021)))
    frame["topics"] = [["peft"], ["peft"]]
    assert lr.topic_timeline(frame).values.tolist() == [
        ["peft", 2019, 1, 1.0, 1], ["peft", 2020, 0, 0.0, 0], ["peft", 2021, 1, 1.0, 1],
    ]


def test_phrases_stop_at_sentence_ends_and_stop_words():
    from litreview.analysis.terms import phrase_analyzer

    analyse = phrase_analyzer((1, 2))
    assert analyse("Sparse attention. Linear transformers keep the base (frozen) weights") == [
        "sparse", "attention", "linear", "transformers", "base", "frozen", "weights",
        "sparse attention", "linear transformers",
    ]


def test_markup_is_no_term_of_a_paper():
    # distinctive terms and term co-occurrence counted the markup of LaTeX and publishers' abstracts as words
    # ("textit", "sub", "citep", "emph"), where topic discovery had stopped counting it
    from litreview.analysis.terms import phrase_analyzer

    analyse = phrase_analyzer((1, 2))
    text = r"\textit{Sparse} attention for CO<sub>2</sub> capture \citep{lee2020} with \emph{mixture} models"
    assert analyse(text) == ["sparse", "attention", "co2", "capture", "mixture", "sparse attention", "co2 capture"]
    papers = to_frame({"id": i, "title": t, "abstract": a, "source": "x:1"} for i, t, a in (
        ("a", r"\emph{Sparse} attention", r"We study \textit{sparse} attention \cite{x}."),
        ("b", "Sparse <i>attention</i> kernels", "Kernels for sparse attention."),
        ("c", "Coral reefs", "Fish of coral reefs."),
    ))
    terms = lr.distinctive_terms(papers, papers["id"].isin(["a", "b"]), n=20)["term"].tolist()
    assert not {"emph", "textit", "cite", "i"} & set(terms)
    assert {"sparse", "attention", "sparse attention"} <= set(terms)
