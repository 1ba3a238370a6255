"""Similar papers for a query or a paper, and NMF topic discovery, on a small hand-made corpus."""

import pandas as pd
import pytest

from litreview.analysis.discovery import discover_topics
from litreview.analysis.similarity import similar_pairs, similar_papers
from litreview.schema import to_frame

TEXTS = {
    "a": ("Low-rank adapters", "Low-rank adapters fine-tune frozen language models with few parameters."),
    "b": ("Prefix tuning", "Prefix tuning trains continuous prompts for frozen language models."),
    "c": ("Protein folding", "Protein structures predicted from amino acid sequences with attention."),
    "d": ("Protein design", "Designing protein sequences that fold into target structures."),
    "e": ("Adapters again", "Adapters with low-rank updates fine-tune frozen models cheaply."),
    "f": ("Folding kinetics", "Kinetics of protein folding pathways measured in amino acid chains."),
}


@pytest.fixture(scope="module")
def papers() -> pd.DataFrame:
    frame = to_frame([{"id": k, "title": t, "abstract": a, "source": f"x:{k}"} for k, (t, a) in TEXTS.items()])
    return frame


def test_similar_papers_for_a_query(papers):
    out = similar_papers(papers, "frozen low-rank adapters", n=3)
    assert list(out.columns) == ["id", "title", "similarity", "shared"]
    assert list(out["id"]) == ["a", "e", "b"]
    assert out["shared"].tolist()[0].split(", ")[0] in {"low-rank", "adapters"}
    assert out["similarity"].is_monotonic_decreasing


def test_similar_papers_for_a_paper_leaves_the_paper_out(papers):
    out = similar_papers(papers, paper="c", n=2)
    assert list(out["id"]) == ["f", "d"]
    assert "c" not in set(out["id"])


def test_similar_papers_leaves_out_papers_with_nothing_in_common(papers):
    assert list(similar_papers(papers, "amino acid", n=10)["id"]) == ["c", "f"]
    assert similar_papers(papers, "quantum chromodynamics").empty


@pytest.mark.parametrize(
    "kwargs, message",
    [({}, "give either a query text or a paper id, not both"),
     ({"query": "x", "paper": "a"}, "give either a query text or a paper id, not both"),
     ({"paper": "zz"}, "no paper with id 'zz' in this table")],
)
def test_similar_papers_validates(papers, kwargs, message):
    with pytest.raises(ValueError, match=f"^{message}$"):
        similar_papers(papers, **kwargs)


def test_similar_pairs_in_blocks_matches_the_whole_matrix(papers, monkeypatch):
    import litreview.analysis.similarity as sim

    whole = similar_pairs(papers, n=4)
    monkeypatch.setattr(sim, "_BLOCK_ROWS", 2)
    pd.testing.assert_frame_equal(similar_pairs(papers, n=4), whole)
    assert list(zip(whole["id_a"], whole["id_b"]))[:2] == [("a", "e"), ("c", "f")]


def test_discovered_topics_separate_the_two_themes(papers):
    topics, assignments = discover_topics(papers, 2, seed=0, min_df=1)
    assert list(topics.columns) == ["topic", "terms", "papers"]
    assert topics["papers"].tolist() == [3, 3]
    groups = assignments.groupby("topic")["id"].apply(sorted).tolist()
    assert sorted(groups) == [["a", "b", "e"], ["c", "d", "f"]]
    protein_topic = assignments.set_index("id").loc["c", "topic"]
    assert "protein" in topics.set_index("topic").loc[protein_topic, "terms"].split(", ")


def test_discovery_is_repeatable_with_a_seed(papers):
    first = discover_topics(papers, 3, seed=7, min_df=1)
    second = discover_topics(papers, 3, seed=7, min_df=1)
    for a, b in zip(first, second):
        pd.testing.assert_frame_equal(a, b)


@pytest.mark.parametrize(
    "n_topics, error, message",
    [(0, ValueError, "n_topics must be 1 or more, got 0"),
     (2.5, TypeError, "n_topics must be a whole number, got float 2.5"),
     (7, ValueError, "6 papers cannot be split into 7 topics")],
)
def test_discovery_validates_the_number_of_topics(papers, n_topics, error, message):
    with pytest.raises(error, match=f"^{message}$"):
        discover_topics(papers, n_topics)


def test_discovery_of_no_papers_gives_empty_tables(papers):
    topics, assignments = discover_topics(papers.iloc[:0], 3)
    assert topics.empty and topics.columns.tolist() == ["topic", "terms", "papers"]
    assert assignments.empty and assignments.columns.tolist() == ["id", "topic", "weight"]
