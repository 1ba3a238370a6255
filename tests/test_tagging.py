"""Taxonomy validation, rule matching and the evidence table."""

import pandas as pd
import pytest

import litreview as lr
from litreview.schema import to_frame
from litreview.tagging.taxonomy import TaxonomyError, load_taxonomy, parse_taxonomy

RULES = {
    "topics": [
        {
            "slug": "peft",
            "label": "PEFT",
            "scope": "Few trainable parameters.",
            "terms": ["low-rank adaptation", "prompt tuning"],
            "acronyms": ["LoRA"],
            "supporting": ["frozen", "adapter"],
        },
        {
            "slug": "reasoning",
            "label": "Reasoning",
            "scope": "Chain of thought.",
            "acronyms": ["CoT"],
            "terms": ["chain-of-thought"],
        },
        {
            "slug": "agents",
            "label": "Agents",
            "scope": "RL.",
            "terms": ["reinforcement learning"],
            "exclude": ["reinforcement learning from human feedback"],
        },
    ]
}
TAXONOMY = parse_taxonomy(RULES, source="test.yaml")


def papers(*rows):
    return to_frame({"id": f"p{i}", **row} for i, row in enumerate(rows))


def test_terms_match_whole_words_case_and_hyphen_variants():
    tagged = lr.tag(
        papers(
            {"abstract": "We use Low Rank Adaptation here."},
            {"abstract": "Lowrank adaptation is not low-rank-adaptations? It is: LOW-RANK ADAPTATIONS."},
            {"abstract": "Cotton and cots, a chain of ideas."},
            {"abstract": "Chain-of-thought and CoT prompting."},
            {"abstract": "prompttuning and prompt tunings"},
        ),
        TAXONOMY,
        tagger="rules",
    )
    assert tagged["topics"].tolist() == [["peft"], ["peft"], [], ["reasoning"], ["peft"]]


def test_acronyms_are_case_sensitive():
    tagged = lr.tag(
        papers({"abstract": "a cot by the lora river"}, {"abstract": "LoRAs and CoT"}), TAXONOMY, tagger="rules"
    )
    assert tagged["topics"].tolist() == [[], ["peft", "reasoning"]]


def test_supporting_cues_need_two_or_one_in_the_title():
    tagged = lr.tag(
        papers(
            {"abstract": "The model stays frozen."},
            {"abstract": "A frozen model with an adapter."},
            {"title": "Adapters everywhere", "abstract": "Nothing else."},
            {"abstract": "Frozen, frozen, frozen."},
        ),
        TAXONOMY,
        tagger="rules",
    )
    assert tagged["topics"].tolist() == [[], ["peft"], ["peft"], []]


def test_notes_count_as_supporting_only():
    tagged = lr.tag(
        papers({"title": "A paper", "notes": "They use LoRA."}, {"title": "B", "notes": "LoRA with a frozen base."}),
        TAXONOMY,
        tagger="rules",
    )
    assert tagged["topics"].tolist() == [[], ["peft"]]


def test_an_evidence_table_without_matches_is_typed_and_filters_to_no_rows():
    found = lr.evidence(papers({"title": "Soil moisture"}, {"title": "Rain"}), TAXONOMY, tagger="rules")
    assert found.empty and str(found["tagged"].dtype) == "bool"
    assert (str(found["start"].dtype), str(found["end"].dtype)) == ("int64", "int64")
    # (an untyped empty column used as a mask selects columns: the table lost its "id")
    assert found[found["tagged"]].columns.tolist() == found.columns.tolist()


def test_exclusions_suppress_matches_inside_them_only():
    tagged = lr.tag(
        papers(
            {"abstract": "We study reinforcement learning from human feedback."},
            {"abstract": "Reinforcement learning from human feedback, and reinforcement learning for games."},
        ),
        TAXONOMY,
        tagger="rules",
    )
    assert tagged["topics"].tolist() == [[], ["agents"]]


def test_topics_follow_taxonomy_order_and_papers_are_not_mutated():
    table = papers({"abstract": "reinforcement learning with CoT and LoRA"})
    tagged = lr.tag(table, TAXONOMY, tagger="rules")
    assert tagged["topics"].tolist() == [["peft", "reasoning", "agents"]]
    assert "topics" not in table.columns


def test_evidence_is_a_tidy_table_of_every_match():
    table = papers({"title": "LoRA for CoT", "abstract": "A frozen model.", "notes": "Uses prompt tuning."})
    evidence = lr.evidence(table, TAXONOMY, tagger="rules")
    assert evidence.columns.tolist() == ["id", "topic", "field", "rule", "kind", "matched", "start", "end", "tagged"]
    rows = evidence.drop(columns="id").to_dict("records")
    assert rows == [
        {
            "topic": "peft",
            "field": "title",
            "rule": "LoRA",
            "kind": "term",
            "matched": "LoRA",
            "start": 0,
            "end": 4,
            "tagged": True,
        },
        {
            "topic": "peft",
            "field": "abstract",
            "rule": "frozen",
            "kind": "supporting",
            "matched": "frozen",
            "start": 2,
            "end": 8,
            "tagged": True,
        },
        {
            "topic": "peft",
            "field": "notes",
            "rule": "prompt tuning",
            "kind": "supporting",
            "matched": "prompt tuning",
            "start": 5,
            "end": 18,
            "tagged": True,
        },
        {
            "topic": "reasoning",
            "field": "title",
            "rule": "CoT",
            "kind": "term",
            "matched": "CoT",
            "start": 9,
            "end": 12,
            "tagged": True,
        },
    ]


def test_evidence_keeps_matches_that_did_not_earn_a_tag():
    evidence = lr.evidence(papers({"abstract": "A frozen model."}), TAXONOMY, tagger="rules")
    assert evidence[["topic", "rule", "tagged"]].values.tolist() == [["peft", "frozen", False]]


def test_topic_table_is_the_long_form():
    tagged = lr.tag(papers({"abstract": "LoRA and CoT"}, {"abstract": "nothing"}), TAXONOMY, tagger="rules")
    assert lr.topic_table(tagged).values.tolist() == [["p0", "peft"], ["p0", "reasoning"]]


def test_tag_rejects_a_table_without_the_schema():
    with pytest.raises(ValueError, match=r"lacks column\(s\) \['title', 'abstract', 'notes'\]"):
        lr.tag(pd.DataFrame({"id": ["a"]}), TAXONOMY, tagger="rules")
    with pytest.raises(TypeError, match="expected a papers DataFrame"):
        lr.tag([{"id": "a"}], TAXONOMY, tagger="rules")


@pytest.mark.parametrize(
    "data, message",
    [
        ({}, "expected a mapping with a non-empty 'topics' list"),
        (
            {"topics": [{"slug": "Bad Slug", "label": "x", "scope": "y", "terms": ["a"]}]},
            "topic 1: slug must be lower-case",
        ),
        ({"topics": [{"slug": "a", "label": "x", "scope": "y", "terms": ["a"]}] * 2}, "topic 'a': slug used twice"),
        ({"topics": [{"slug": "a", "label": "x", "scope": "y", "term": ["a"]}]}, "unknown keys ['term']"),
        ({"topics": [{"slug": "a", "label": "", "scope": "y", "terms": ["a"]}]}, "'label' must be a non-empty string"),
        ({"topics": [{"slug": "a", "label": "x", "scope": "y"}]}, "needs at least one of terms"),
        ({"topics": [{"slug": "a", "label": "x", "scope": "y", "terms": "lora"}]}, "'terms' must be a list"),
        (
            {"topics": [{"slug": "a", "label": "x", "scope": "y", "terms": ["a"], "min_supporting": 0}]},
            "min_supporting must be a positive integer",
        ),
    ],
)
def test_taxonomy_validation_names_the_problem(data, message):
    with pytest.raises(TaxonomyError) as info:
        parse_taxonomy(data, source="mine.yaml")
    assert str(info.value).startswith("mine.yaml")
    assert message in str(info.value)


def test_yaml_syntax_errors_name_file_and_line(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("topics:\n  - slug: a\n    label: [unclosed\n")
    with pytest.raises(TaxonomyError, match=r"broken.yaml:4: not valid YAML"):
        load_taxonomy(path)


def test_unknown_topic_lists_valid_ones():
    with pytest.raises(KeyError, match="unknown topic 'nope'; valid topics: peft, reasoning, agents"):
        TAXONOMY["nope"]
    # (a walkthrough's `topic` parameter, misspelt or given as a label, fails on taxonomy[topic])
    with pytest.raises(KeyError, match=r"unknown topic 'agent' \(did you mean agents\?\); valid topics: peft"):
        TAXONOMY["agent"]
    label = TAXONOMY["peft"].label
    with pytest.raises(KeyError, match=rf"unknown topic '{label}' \('{label}' is the label of topic 'peft': topics "
                       r"are named by their slug\); valid"):
        TAXONOMY[label.upper()[:1] + label[1:]]


def test_fingerprint_changes_with_the_rules():
    changed = parse_taxonomy({"topics": [dict(RULES["topics"][0], terms=["lora"])]})
    assert TAXONOMY.fingerprint != changed.fingerprint
    assert TAXONOMY.fingerprint == parse_taxonomy(RULES).fingerprint


def test_default_taxonomy_has_the_sixteen_topics():
    taxonomy = load_taxonomy()
    assert taxonomy.slugs == [
        "peft",
        "alignment",
        "reasoning",
        "architecture",
        "pretraining",
        "efficiency",
        "agents",
        "generative",
        "retrieval",
        "safety",
        "controllable",
        "evaluation",
        "interpretability",
        "data",
        "transfer",
        "multimodal",
    ]
    assert all(t.scope and t.label for t in taxonomy.topics)


def test_tag_reuses_a_given_evidence_table():
    table = papers({"abstract": "LoRA and CoT"}, {"abstract": "nothing"})
    evidence = lr.evidence(table, TAXONOMY, tagger="rules")
    assert (
        lr.tag(table, TAXONOMY, evidence, tagger="rules")["topics"].tolist()
        == lr.tag(table, TAXONOMY, tagger="rules")["topics"].tolist()
    )
    assert lr.tag(table, TAXONOMY, evidence.iloc[:0], tagger="rules")["topics"].tolist() == [[], []]


def test_the_rules_decide_from_a_learned_evidence_table_by_its_matches_not_its_tagged_column():
    """``lr.evidence`` marks ``tagged`` by the default (learned) decision; the rules given that
    table must still give the rules' tags (a cue word in another sense: the rules tag, the decision not)."""
    table = papers({"title": "A universal jailbreak attack on aligned chat models",
                    "abstract": "We propose an adversarial suffix attack that makes aligned language models produce "
                                "harmful content, and show that it transfers across models."})
    learned_evidence = lr.evidence(table)
    rules = lr.tag(table, tagger="rules")["topics"].tolist()
    assert rules == [["alignment", "safety"]]
    # the learned decision does not take "aligned" for the topic
    assert not learned_evidence.loc[learned_evidence["topic"] == "alignment", "tagged"].any()
    assert lr.tag(table, evidence_table=learned_evidence, tagger="rules")["topics"].tolist() == rules
    assert lr.tag(table, evidence_table=learned_evidence)["topics"].tolist() == [["safety"]]
