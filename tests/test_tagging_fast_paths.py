"""The learned decision of ``lr.tag`` (one pass: words counted and rule rows coded while matching) equals
the decision made the long way: the frozen old tagger's evidence table, its words counted in a pass of
their own (``FittedTagger.decide``), feature for feature and bit for bit.

The inputs are those of ``tests/test_tagging_speed_equivalence.py`` (whose frozen reference copy gives
the evidence, worked out once for both files: they run in one worker): tricky texts and taxonomy, seeded
random texts, the bench corpus with unique, repeated and missing ids, small chunks in threads.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from test_tagging_speed_equivalence import DEFAULT, TRICKY, make_corpus, random_papers, reference_of, tricky_papers

import litreview as lr
from litreview.tagging import matching, textbytes
from litreview.tagging.features import FEATURES
from litreview.tagging.tagger import _learned

FITTED = lr.load_tagger()


def assert_same_decision(papers: pd.DataFrame, taxonomy) -> np.ndarray:
    """``lr.tag``'s decision (and its tags and scores) equal the long way's; returns the features."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", lr.FallbackWarning)  # TRICKY's topics have no fitted weights
        one_pass = _learned(papers, taxonomy, FITTED, features=True)[0]
        long_way = FITTED.decide(papers, reference_of(papers, taxonomy), taxonomy)
        tagged = lr.tag(papers, taxonomy)
    np.testing.assert_array_equal(one_pass.features, long_way.features)
    np.testing.assert_array_equal(one_pass.probability, long_way.probability)
    np.testing.assert_array_equal(one_pass.paper_codes, long_way.paper_codes)
    # Papers sharing an id share their tags (the rules' evidence is pooled by id): any paper's tag, the best score.
    codes, known = long_way.paper_codes, long_way.paper_codes >= 0
    tags = np.zeros((codes.max(initial=-1) + 1, len(taxonomy.slugs)), dtype=bool)
    best = np.zeros(tags.shape)
    np.logical_or.at(tags, codes[known], long_way.tagged[known])
    np.maximum.at(best, codes[known], long_way.probability[known])
    rows = [tags[c] if c >= 0 else np.zeros(len(taxonomy.slugs), dtype=bool) for c in codes]
    slugs = np.array(taxonomy.slugs)
    assert tagged["topics"].tolist() == [slugs[row].tolist() for row in rows]
    assert tagged["topic_scores"].tolist() == [np.round(best[c][row], 3).tolist() for c, row in zip(codes, rows)]
    return one_pass.features


def test_tricky_texts():
    features = assert_same_decision(tricky_papers(), TRICKY)
    assert features[:, :, 0].any() and features[:, :, FEATURES.index("description_similarity")].any()


@pytest.mark.parametrize("seed", [1, 2])
def test_random_texts(seed):
    assert_same_decision(random_papers(TRICKY, 150, seed), TRICKY)  # ids repeat: evidence pooled by id
    assert_same_decision(random_papers(DEFAULT, 150, seed), DEFAULT)


def test_bench_corpus(corpus_700):
    features = assert_same_decision(corpus_700, DEFAULT)
    assert features[:, :, 4].mean() > 0.1  # the rules tag a good share


def test_bench_corpus_repeated_and_missing_ids(corpus_700):
    # (the repeated ids on the papers test_tagging_speed_equivalence repeats them on: the reference's evidence
    # is worked out once)
    repeated = make_corpus(3000).iloc[1000:1300].assign(id=[f"p{i % 100}" for i in range(300)])
    assert_same_decision(repeated, DEFAULT)
    assert_same_decision(corpus_700.iloc[:200].assign(id=[None if i % 4 else f"p{i}" for i in range(200)]), DEFAULT)


def test_small_chunks_in_threads(corpus_700, monkeypatch):
    monkeypatch.setattr(matching, "_CHUNK_CHARS", 20_000)
    monkeypatch.setattr(matching, "_MAX_THREADS", 4)
    assert_same_decision(corpus_700, DEFAULT)


def test_the_matched_text_is_cut_from_the_text_bytes_by_both_taggers(monkeypatch):
    # When pandas keeps strings in pyarrow, the `matched` column is cut from the joined text's bytes,
    # never made as one Python string per match (a slip once made both taggers do that: 0.4 s in 3).
    if getattr(pd.Series(["x"]).dtype, "storage", None) != "pyarrow":
        pytest.skip("pandas keeps strings as Python objects here")
    cut = []

    def spy(*args):
        cut.append(1)
        return textbytes._arrow_slices(*args)

    monkeypatch.setattr(matching, "_arrow_slices", spy)
    papers = tricky_papers()
    lr.evidence(papers, TRICKY, tagger="rules")
    assert cut
    cut.clear()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", lr.FallbackWarning)
        lr.tag(papers, TRICKY)
    assert cut


@pytest.fixture(scope="module")
def corpus_700() -> pd.DataFrame:
    """The bench corpus's first 700 papers with unique ids: the papers of test_tagging_speed_equivalence's
    ``with_ids``, so that the frozen reference's evidence for them is worked out once (``reference_of``)."""
    return make_corpus(3000).iloc[:700].assign(id=[f"p{i}" for i in range(700)])


def test_acronyms_in_texts_that_are_not_ascii():
    # Case-sensitive rules are checked as written by their words' keys in ASCII and in other text alike
    # (long words by their middle bytes too); a taxonomy's non-ASCII acronyms word by word.
    from test_tagging_speed_equivalence import assert_same

    from litreview.schema import to_frame

    texts = ["é SuperLongAcronym16 SuperLonGaCronym16 superlongacronym16 SuperLongAcronym16s RAG rag Self-RAG",
             "ÉTÉ été Été PanGu-α PANGU-α GPT4 gpt4 x_y X_Y mBERT MBERT p-Tuning P-tuning LoRA LORA ΣΑΣ σας",
             "SuperLongAcronym16 RAG READ read GPT4"]
    papers = to_frame([{"id": f"n{i}", "title": t[:20], "abstract": t} for i, t in enumerate(texts)])
    got = assert_same(papers, TRICKY)
    assert {"SuperLongAcronym16", "ÉTÉ", "PanGu-α", "ΣΑΣ", "x_y", "RAG"} <= set(got["matched"])
    assert not {"SuperLonGaCronym16", "superlongacronym16", "PANGU-α", "MBERT", "été"} & set(got["matched"])


def test_blocks_of_papers_are_decided_as_all_at_once(corpus_700, monkeypatch):
    # decide_counted decides blocks of papers apart (in threads) when each has an id of its own: the same
    # numbers, bit for bit, as one block (and as the path for repeated ids, which pools them first).
    from litreview.tagging import decision
    from litreview.tagging.features import paper_texts, paper_titles, text_chars

    taxonomy = DEFAULT
    whole = _learned(corpus_700, taxonomy, FITTED, features=True)[0]
    monkeypatch.setattr(decision, "_BLOCK", 7)
    blocks = _learned(corpus_700, taxonomy, FITTED, features=True)[0]
    np.testing.assert_array_equal(blocks.probability, whole.probability)
    np.testing.assert_array_equal(blocks.features, whole.features)
    np.testing.assert_array_equal(blocks.tagged, whole.tagged)
    # rows not by paper: all papers at once
    from litreview.tagging.features import rule_evidence

    codes, n_ids, rows = rule_evidence(lr.evidence(corpus_700, taxonomy), corpus_700["id"], taxonomy)
    shuffled = np.random.default_rng(0).permutation(len(rows[0]))
    rows = tuple(r[shuffled] if isinstance(r, np.ndarray) else r for r in rows)
    scores = FITTED.word_scores(taxonomy).of_counts(FITTED.description_vectors(taxonomy)[0].counts(
        paper_texts(corpus_700)))
    at_once = FITTED.decide_counted(rows, codes, n_ids, scores, taxonomy, chars=text_chars(corpus_700),
                                    titles=paper_titles(corpus_700))
    assert whole.outside.any()  # (some of these papers fall under the field floor: both paths must say so)
    np.testing.assert_array_equal(at_once.outside, whole.outside)
    np.testing.assert_array_equal(at_once.probability, whole.probability)
    np.testing.assert_array_equal(at_once.features, whole.features)


def test_characters_of_every_utf8_length_around_rule_words():
    # Non-ASCII text is mapped through its UTF-8 bytes (characters of 2, 3 and 4 bytes decoded with
    # numpy), a text with a lone surrogate through UTF-32: the matches and their text as before.
    from test_tagging_speed_equivalence import assert_same

    from litreview.schema import to_frame

    odd = ["\u0080", "é", "\u07ff", "\u0800", "中", "\u2014", "\ufffd", "\U00010000", "𝔘", "😀", "\U0010ffff"]
    words = ["RAG", "fine-tuning", "müller", "naïve bayes", "ÉTÉ", "PanGu-α", "straße", "dense retriever"]
    texts = [" ".join(w + c + w for w, c in zip(words * 2, odd)), "".join(c + "RAG" for c in odd) + " 中文",
             "low-rank adaptation \ud800 LoRA", "plain ASCII fine-tuning"]
    papers = to_frame([{"id": f"u{i}", "title": t[::-1][:30], "abstract": t} for i, t in enumerate(texts)])
    for taxonomy in (TRICKY, DEFAULT):
        got = assert_same(papers, taxonomy)
        assert len(got) > 5
    assert_same_decision(papers, DEFAULT)


def test_texts_that_are_not_plain_strings():
    # Text lengths are read without a Python loop when a column holds str, None and float (NaN) only;
    # anything else (a str subclass, a number) the plain way: a str subclass is text, a number is not.
    from test_tagging_speed_equivalence import assert_same

    class Text(str):
        pass

    papers = tricky_papers().iloc[:6].copy()
    papers["abstract"] = papers["abstract"].astype(object)
    papers.loc[1, "abstract"] = Text("RAG and fine-tuning")
    papers.loc[2, "abstract"] = 42
    papers.loc[3, "abstract"] = np.float64("nan")
    got = assert_same(papers, TRICKY)
    assert "t1" in set(got["id"]) and "t2" not in set(got.loc[got["field"] == "abstract", "id"])


def test_rule_features_are_the_plain_formulas():
    # rule_features looks log(1 + n) up in a table of np.log1p: the numbers of np.log1p itself, bit for bit.
    from litreview.tagging.features import rule_features

    rng = np.random.default_rng(7)
    n_ids, taxonomy = 50, DEFAULT
    n_topics, keys = len(taxonomy.slugs), [f"{s}\tcue{k}" for s in taxonomy.slugs for k in range(3)]
    paper, topic = rng.integers(0, n_ids, 3000), rng.integers(0, n_topics, 3000)
    title, term = rng.random(3000) < 0.2, rng.random(3000) < 0.6
    pair = rng.integers(0, len(keys), 3000)
    precision = {k: rng.random() for k in keys[::2]}
    prior = rng.random(n_topics)
    got = rule_features((paper, topic, title, term, keys, pair, None), n_ids, taxonomy, precision, prior)
    cell = paper * n_topics + topic
    size = n_ids * n_topics
    cues = np.bincount(np.unique(cell * len(keys) + pair) // len(keys), minlength=size)
    assert (got[:, :, 1] > np.log1p(2)).any() and (got[:, :, 3] > np.log1p(2)).any()
    np.testing.assert_array_equal(got[:, :, 1].ravel(), np.log1p(np.bincount(cell[~title & term], minlength=size)))
    np.testing.assert_array_equal(got[:, :, 2].ravel(), np.log1p(np.bincount(cell[~title & ~term], minlength=size)))
    np.testing.assert_array_equal(got[:, :, 3].ravel(), np.log1p(cues))


def test_the_tagged_copy_leaves_the_papers_alone():
    # lr.tag returns a lazy copy where pandas copies on write: changing it changes nothing in the papers.
    papers = tricky_papers()
    before = papers.copy()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", lr.FallbackWarning)
        tagged = lr.tag(papers, TRICKY)
    tagged.loc[0, "title"] = "changed"
    tagged["abstract"] = tagged["abstract"].str.upper()
    pd.testing.assert_frame_equal(papers, before)
    assert list(tagged.columns) == [*papers.columns, "topics", "topic_scores", "outside_field"]
