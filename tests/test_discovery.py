"""Similar papers for a query or a paper, and NMF topic discovery, on a small hand-made corpus."""

import pandas as pd
import pytest
from conftest import SHARED_FIXTURES

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


def test_papers_of_one_abstract_are_not_offered_as_similar(papers):
    # f carries c's abstract under its own title (a source's error): the two would be the closest pair
    copied = papers.assign(abstract=[TEXTS["c"][1] if k == "f" else a for k, (_, a) in TEXTS.items()])
    pairs = similar_pairs(copied, n=15)  # (n=15: every pair of the 6 papers that shares a word)
    assert [(a, b) for a, b in zip(pairs["id_a"], pairs["id_b"])] == [
        ("a", "e"), ("c", "d"), ("d", "f"), ("b", "e"), ("a", "b")]  # c and f, with one abstract, not paired
    assert "f" not in set(similar_papers(copied, paper="c", n=5)["id"])
    assert similar_papers(copied, TEXTS["c"][1], n=2)["id"].tolist() == ["c", "f"]  # a query is no paper's copy
    blank = papers.assign(abstract=["", "", " ", " ", None, None])  # blank abstracts are no abstract: all pairs
    assert len(similar_pairs(blank, n=15)) == len(similar_pairs(papers.assign(abstract=None), n=15))


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


def test_a_theme_is_named_only_by_terms_it_weighs(papers):
    # Before: every theme listed n_terms terms, those of no weight in it in vocabulary order, so on a small corpus
    # theme 1 read "adapters, low-rank, fine-tune, frozen, acid, amino, folding, protein" (the protein theme's words)
    topics, _ = discover_topics(papers, 4, seed=0)
    assert topics.values.tolist() == [
        [1, "adapters, low-rank, fine-tune, frozen", 2], [2, "folding, acid, amino, protein", 2], [3, "frozen", 1],
        [4, "protein, sequences, structures, acid, amino", 1]]


def test_themes_that_have_not_settled_are_a_warning_of_the_kits_own(papers, monkeypatch):
    # Before: sklearn's ConvergenceWarning, naming its own file (".../sklearn/decomposition/_nmf.py:1723") and
    # max_iter, no parameter of discover_topics; the Prompt Report's report showed it, path and all, under its title
    import warnings

    import litreview.analysis.discovery as discovery

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        settled = discover_topics(papers, 2, seed=0)  # (no warning at all)
    monkeypatch.setattr(discovery, "MAX_ITER", 2)
    with pytest.warns(discovery.ThemesWarning) as caught:
        unsettled = discover_topics(papers, 2, seed=0)
    assert [str(w.message) for w in caught] == [
        "the themes had not settled after 2 NMF iterations: they are repeatable with this seed, but another seed "
        "or n_topics may give clearer ones"]
    assert caught[0].filename == __file__  # the warning points at the caller, not into the kit
    assert unsettled[1]["id"].tolist() == settled[1]["id"].tolist()


def test_fewer_shared_terms_than_topics_is_said_in_the_kits_words(papers):
    # Before: NMF's "init = 'nndsvda' can only be used when n_components <= min(n_samples, n_features)"
    from litreview.analysis.discovery import TooFewTerms
    from litreview.analysis.vectorize import NoTerms

    titles = pd.DataFrame({"id": list("abcde"), "abstract": None,
                           "title": ["sparse attention", "sparse kernels", "attention kernels", "alpha", "beta"]})
    with pytest.raises(TooFewTerms, match=r"^only 3 terms are in 2 or more texts, too few for 4 topics: ask for 3 "
                                          r"or fewer, or lower min_df$") as info:
        discover_topics(titles, 4)
    assert info.value.terms == 3 and isinstance(info.value, NoTerms)
    assert discover_topics(titles, 3)[0]["papers"].sum() == 3  # (alpha and beta: no term, topic 0)


def test_discovery_validates_the_seed(papers):
    # Before: seed=-1 reached NMF, whose error named its own parameter: "The 'random_state' parameter of NMF must
    # be an int in the range [0, 4294967295]..."
    with pytest.raises(ValueError, match=r"^seed must be 0 or more, got -1$"):
        discover_topics(papers, 2, seed=-1)


@pytest.mark.parametrize("value, message", [("n_topics=0", "n_topics must be 2 or more, got 0"),
                                            ("n_topics=1", "n_topics must be 2 or more, got 1"),
                                            ("seed=-1", "seed must be 0 or more, got -1")])
def test_discovery_numbers_out_of_range_are_one_line_errors_before_any_kernel(value, message, capsys):
    # Before: the kernel started and the report failed in its first cell (seed=-1 with NMF's own error, and the
    # report's file name, topic_discovery-seed-1, was seed=1's)
    from litreview.report.cli import main as cli_main

    with pytest.raises(SystemExit) as info:
        cli_main(["report", "--notebook", "topic_discovery", "--param", value])
    assert info.value.code == 2
    assert capsys.readouterr().err == f"litreview report: error: {message}\n"


def test_discovery_of_no_papers_gives_empty_tables(papers):
    topics, assignments = discover_topics(papers.iloc[:0], 3)
    assert topics.empty and topics.columns.tolist() == ["topic", "terms", "papers"]
    assert assignments.empty and assignments.columns.tolist() == ["id", "topic", "weight"]


# --- each theme's example papers ---------------------------------------------------------------------------------


@pytest.fixture
def themed():
    # theme 1: t1 and t2 are titles alone (weight 1.0), a1-a3 have abstracts; theme 2: one abstract only (b1),
    # so the titles alone b2, b3 fill in; z has no vocabulary (theme 0)
    rows = [("t1", 1, 1.0, None), ("a1", 1, 0.6, "Adapters for frozen models."), ("t2", 1, 1.0, "  "),
            ("a2", 1, 0.9, "Low-rank updates."), ("a3", 1, 0.6, "Prefix tuning of prompts."), ("b3", 2, 0.8, None),
            ("b1", 2, 0.5, "Protein folding."), ("b2", 2, 1.0, None), ("z", 0, 0.0, None)]
    papers = pd.DataFrame({"id": [r[0] for r in rows], "title": [r[0].upper() for r in rows],
                           "abstract": [r[3] for r in rows]})
    assignments = pd.DataFrame({"id": papers["id"], "topic": [r[1] for r in rows], "weight": [r[2] for r in rows]})
    return papers, assignments


def test_theme_examples_are_papers_with_an_abstract_first(themed):
    from litreview.analysis.discovery import theme_papers

    papers, assignments = themed
    examples = theme_papers(assignments, papers, n=3)
    assert examples.columns.tolist() == ["topic", "id", "weight", "has_abstract"]
    # theme 1: the heaviest with an abstract, a1 before a3 on a tie by id; t1 and t2 (blank) are left out
    assert examples.values.tolist() == [
        [1, "a2", 0.9, True], [1, "a1", 0.6, True], [1, "a3", 0.6, True],
        [2, "b1", 0.5, True], [2, "b2", 1.0, False], [2, "b3", 0.8, False],
    ]
    assert papers["id"].iloc[examples.index].tolist() == examples["id"].tolist()  # the index gives the records
    assert theme_papers(assignments, papers, n=1)["id"].tolist() == ["a2", "b1"]
    shuffled = theme_papers(assignments.iloc[::-1], papers.iloc[::-1], n=3)  # the order of the table does not count
    assert shuffled["id"].tolist() == examples["id"].tolist()


def test_theme_examples_need_the_papers_discovery_was_given(themed):
    from litreview.analysis.discovery import theme_papers

    papers, assignments = themed
    with pytest.raises(ValueError, match=r"^assignments and papers differ: pass the papers given to "
                                         r"lr.discover_topics, in its order$"):
        theme_papers(assignments, papers.iloc[1:], n=3)
    with pytest.raises(ValueError, match=r"^n must be 1 or more, got 0$"):
        theme_papers(assignments, papers, n=0)


def test_the_theme_papers_table_says_when_titles_alone_fill_in(themed):
    from litreview.report.discovery_sections import theme_papers_table

    papers, assignments = themed
    section = theme_papers_table(assignments, papers, None)
    assert section.parts[0].frame["paper"].tolist() == ["A2", "A1", "A3", "B1", "B2", "B3"]
    assert section.parts[1].markdown == ("Too few papers with an abstract in theme 2: papers known by their title "
                                         "alone fill in.")
    assert len(theme_papers_table(assignments, papers, None, per_theme=1).parts) == 1


NEURIPS = SHARED_FIXTURES / "tables" / "neurips"


@pytest.mark.skipif(not NEURIPS.is_dir(), reason="../shared/fixtures is absent (tables/neurips)")
@pytest.mark.filterwarnings("ignore:.*columns not read")
def test_neurips_theme_examples_have_abstracts():
    import litreview as lr
    from litreview.report.discovery_sections import discover, theme_papers_table

    papers = lr.load(NEURIPS)
    themes, assignments, _ = discover(papers, 8, 0)
    # by the theme's share of a paper's weight alone, all three of theme 1's were title-only papers
    # (placeholder abstracts), and 17 of the 24 examples held 1.0 as titles alone
    section = theme_papers_table(assignments, papers, None)
    assert len(section.parts) == 1  # no theme short of papers with an abstract
    shown = section.parts[0].frame
    assert len(shown) == 24
    with_abstract = set(papers.loc[papers["abstract"].notna(), "title"])
    assert shown["paper"].isin(with_abstract).all()
    assert shown["paper"].head(3).tolist() == [
        "Encoding Geometric Invariances in Higher-Order Neural Networks",
        "Shaping the State Space Landscape in Recurrent Networks", "A Trellis-Structured Neural Network"]


def _marked_up_corpus() -> pd.DataFrame:
    """Titles as COLM 2024 (LaTeX) and Scopus or IEEE (HTML) write them: two themes under the markup."""
    sparse = [r"Sparse \textit{attention} kernels for long $\mathbf{x}$ sequences",
              r"Sparse attention with \textit{kernels} on $\mathbf{x}$ \citep{lee2020}",
              "Sparse <i>attention</i> kernels and CO<sub>2</sub> sequences",
              "Long <i>sequences</i> with <sub>sparse</sub> attention kernels"]
    prompt = [r"Prompt tuning \emph{adapters} for $\alpha$ classifiers",
              r"Prompt \emph{tuning} with adapters \citep{kim2021}",
              "Prompt <i>adapters</i> and tuning of classifiers",
              "Tuning <sub>prompt</sub> adapters for classifiers"]
    titles = (sparse + prompt) * 2
    return pd.DataFrame({"id": [f"p{i}" for i in range(len(titles))], "title": titles, "abstract": None})


def test_markup_in_titles_gives_no_theme_words():
    # Before: the themes were "sub, attention, kernels, sparse, sequences, long" and "adapters, prompt, tuning,
    # classifiers, emph, alpha" (COLM 2024 at 60 themes: "emph, similarity, ..." and "..., texttt, ...")
    from litreview.analysis.similarity import tfidf

    themes, assignments = discover_topics(_marked_up_corpus(), 2, n_terms=6)
    assert themes["terms"].tolist() == ["attention, kernels, sparse, sequences, long, co2",
                                        "adapters, prompt, tuning, classifiers"]
    assert assignments["topic"].tolist() == ([1] * 4 + [2] * 4) * 2
    _, vocabulary = tfidf(_marked_up_corpus())
    markup = {"textit", "mathbf", "citep", "emph", "sub", "lee2020", "kim2021"}
    assert markup & set(vocabulary.terms) == set()
    assert {"co2", "α"} & set(vocabulary.terms) == {"co2"}  # (CO<sub>2</sub> is one word; α is no token)
