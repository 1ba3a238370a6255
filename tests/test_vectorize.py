"""The kit's term counts and TF-IDF are scikit-learn's, bit for bit, without importing scikit-learn."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer, TfidfVectorizer

import litreview as lr
from litreview.analysis.similarity import tfidf
from litreview.analysis.terms import TOKEN_PATTERN, phrase_analyzer
from litreview.analysis.text import ENGLISH_STOP_WORDS as KIT_STOP_WORDS
from litreview.analysis.text import paper_text, stop_words
from litreview.analysis.vectorize import NoTerms, count_terms, weigh_terms, word_analyzer

FIXTURES = Path(__file__).resolve().parents[2] / "shared" / "fixtures"


def identical(ours, theirs) -> bool:
    """Same type, dtype, structure and values, in the same order (a row's order decides its float32 sums)."""
    return (type(ours) is type(theirs) and ours.dtype == theirs.dtype and ours.shape == theirs.shape
            and all(np.array_equal(getattr(ours, a), getattr(theirs, a)) for a in ("indptr", "indices", "data")))


def sklearn_tfidf(texts, **kw):
    vectorizer = TfidfVectorizer(token_pattern=TOKEN_PATTERN.pattern, stop_words=stop_words(), sublinear_tf=True,
                                 dtype=np.float32, **kw)
    return vectorizer.fit_transform(texts), vectorizer


def assert_same_tfidf(texts, queries=(), **kw):
    theirs, vectorizer = sklearn_tfidf(texts, **kw)
    ours, weights = weigh_terms(texts, word_analyzer(TOKEN_PATTERN.pattern, stop_words()), **kw)
    assert weights.terms.tolist() == vectorizer.get_feature_names_out().tolist()
    assert np.array_equal(weights.idf, vectorizer.idf_) and weights.idf.dtype == np.float32
    assert identical(ours, theirs)
    if queries:
        assert identical(weights.transform(list(queries)), vectorizer.transform(list(queries)))


def assert_same_counts(texts, analyzer, **kw):
    vectorizer = CountVectorizer(analyzer=analyzer, **kw)
    theirs = vectorizer.fit_transform(texts)
    ours, terms = count_terms(texts, analyzer, **kw)
    assert terms.tolist() == vectorizer.get_feature_names_out().tolist()
    assert identical(ours, theirs)


def test_the_stop_words_are_scikit_learns():
    assert KIT_STOP_WORDS == ENGLISH_STOP_WORDS and len(KIT_STOP_WORDS) == 318


@pytest.mark.parametrize("kw", [{}, {"min_df": 2}, {"max_features": 50}, {"min_df": 2, "max_features": 300}])
def test_tfidf_of_the_seed_corpus_is_scikit_learns(kw):
    texts = paper_text(lr.load()).tolist()
    assert_same_tfidf(texts, ["Sparse attention kernels for LoRA adapters", "nothing known", ""], **kw)


@pytest.mark.parametrize("ngram_range", [(1, 1), (1, 2), (2, 3)])
@pytest.mark.parametrize("kw", [{}, {"min_df": 2}, {"binary": True, "dtype": np.int64}, {"max_features": 40}])
def test_phrase_counts_of_the_seed_corpus_are_scikit_learns(ngram_range, kw):
    assert_same_counts(paper_text(lr.load()).tolist(), phrase_analyzer(ngram_range), **kw)


@pytest.mark.filterwarnings("ignore:.*columns not read")
def test_tfidf_of_a_real_export_nobody_tuned_for():
    path = FIXTURES / "tables" / "paperlists_colm2024.json"
    if not path.exists():
        pytest.skip(f"{path} is absent: the shared fixtures sit beside the repository")
    texts = paper_text(lr.load([path], merge=False)).tolist()
    assert len(texts) > 250
    assert_same_tfidf(texts, min_df=2)


words = st.sampled_from(["sparse", "attention", "the", "LoRA", "low-rank", "x", "über", "a1", "kernels", "and",
                         "Model", "of", "état", "β-VAE", "self-attention", "rank"])
texts = st.lists(st.lists(words, max_size=30).map(" ".join), min_size=1, max_size=12)


@settings(max_examples=60, deadline=None)
@given(texts)
def test_any_texts_weigh_and_count_as_scikit_learn_does(texts):
    analyzer = word_analyzer(TOKEN_PATTERN.pattern, stop_words())
    if not any(analyzer(t) for t in texts):  # scikit-learn refuses texts of stop words alone; so do we
        with pytest.raises(ValueError, match="empty vocabulary"):
            sklearn_tfidf(texts)
        with pytest.raises(NoTerms, match="empty vocabulary: no text has a term that is not a stop word"):
            weigh_terms(texts, analyzer)
        return
    assert_same_tfidf(texts, queries=texts[:2])
    assert_same_tfidf(texts, max_features=3)
    assert_same_counts(texts, phrase_analyzer((1, 2)), binary=True)


def test_no_term_in_enough_texts_is_a_clear_error():
    with pytest.raises(NoTerms, match="no term is in 2 or more texts: try a lower min_df"):
        count_terms(["sparse attention", "prompt tuning"], str.split, min_df=2)
    # what the analyses make of it: an empty table with the right columns
    papers = lr.load().head(3).assign(abstract=None, title=["The", "and of", "A"])
    assert lr.similar_pairs(papers).columns.tolist() == ["paper_a", "paper_b", "similarity", "shared", "id_a", "id_b"]
    assert lr.similar_pairs(papers).empty and lr.similar_papers(papers, "sparse").empty
    assert lr.similar_papers(papers, paper=papers["id"].iloc[0]).empty
    with pytest.raises(ValueError, match="no paper with id 'nope'"):
        lr.similar_papers(papers, paper="nope")


def test_a_report_kernels_analyses_do_not_import_scikit_learn():
    # Importing scikit-learn (and scipy.stats with it) took 1.2-1.7 s of every report kernel; a script
    # that loads and tags need not import matplotlib (0.4 s) either.
    code = ("import sys, litreview as lr; p = lr.tag(lr.load()); print('matplotlib' in sys.modules); "
            "g = lr.has_topic(p, 'peft'); lr.distinctive_terms(p, g); lr.similar_pairs(p[g]); "
            "lr.similar_papers(p, 'sparse kernels'); lr.term_cooccurrence(p); "
            "print(sorted(m for m in ('sklearn', 'scipy.stats') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-W", "ignore", "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "[]"]


def test_the_similarity_matrix_is_what_the_analyses_use():
    papers = lr.load()
    matrix, weights = tfidf(papers)
    assert matrix.shape == (len(papers), len(weights.terms)) and matrix.dtype == np.float32
    assert np.allclose(np.sqrt(matrix.multiply(matrix).sum(axis=1)), 1.0, atol=1e-6)


def test_counting_and_weighing_in_blocks_give_the_same_matrix(monkeypatch):
    from litreview.analysis import vectorize

    monkeypatch.setattr(vectorize, "_BLOCK_TERMS", 50)  # a block every few texts, some texts alone in one
    monkeypatch.setattr(vectorize, "_BLOCK_ROWS", 7)  # rows divided by their length 7 at a time
    texts = paper_text(lr.load()).tolist() + ["", "the of and"]
    assert_same_tfidf(texts, min_df=2)
    assert_same_counts(texts, phrase_analyzer((1, 2)), binary=True)
