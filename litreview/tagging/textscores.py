"""A paper's two text scores from its counted words, computed while the matcher scans the text.

The learned decision (:mod:`litreview.tagging.decision`) needs, per paper, its
sublinear TF-IDF vector (:func:`litreview.tagging.wordcount.tfidf`) times the
topics' text weights, and times the topics' description vectors.  Counting the
words in a second pass over the text cost more than matching the rules, so the
matcher looks the counted words up in the same pass
(:meth:`litreview.tagging.matching._FastMatcher.scan`) and hands each group of
texts' occurrences to :meth:`WordScores.reduce`, which turns them into those
products in the scanning thread: no papers-by-words matrix is ever built.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class WordScores:
    """The counted words of a fitted tagger and what a paper's counts of them become.

    ``words``: the fitted vocabulary (the first ``n_vocab``), then words of topic
    descriptions it lacks; ``idf`` of each; ``matrix`` (words, columns): first
    ``n_text`` columns the fitted topics' text weights (0 for the extra words),
    then each topic's description vector.  A paper's text scores use its
    vector over the vocabulary alone, its similarities the vector over all words.
    A paper's row of scores has ``matrix``'s columns and one more (``width``): how
    many times the paper's text uses words of the vocabulary (how much of it the
    fitted weights can read: see :func:`litreview.tagging.features.field_density`).
    """

    words: tuple[str, ...]
    idf: np.ndarray
    matrix: np.ndarray
    n_vocab: int
    n_text: int

    @property
    def width(self) -> int:
        """The columns of a paper's row of scores: ``matrix``'s, then the vocabulary words it uses."""
        return self.matrix.shape[1] + 1

    def reduce(self, paper: np.ndarray, word: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """From occurrences (paper number, word index; in any order, all of a paper's at once):
        the papers with a counted word, and their rows of scores (``width`` columns)."""
        from scipy import sparse

        if not len(paper):
            return np.zeros(0, np.int64), np.zeros((0, self.width))
        n_words = len(self.words)
        first = int(paper.min())
        # 32-bit keys when they fit (a chunk of texts holds a few thousand papers): half the sorting.
        kind = np.int32 if (int(paper.max()) - first + 1) * n_words < 2**31 else np.int64
        key = np.sort((paper - first).astype(kind) * kind(n_words) + word.astype(kind))
        new = np.empty(len(key), dtype=bool)
        new[0] = True
        np.not_equal(key[1:], key[:-1], out=new[1:])
        start = np.flatnonzero(new)
        count = np.diff(np.append(start, len(key)))
        local, column = np.divmod(key[start], kind(n_words))
        value = self.idf[column]  # times 1 + log(count): 1 for the many words seen once
        more = np.flatnonzero(count > 1)
        value[more] *= 1.0 + np.log(count[more])
        row_start = np.flatnonzero(np.r_[True, local[1:] != local[:-1]])
        squares = value * value
        norm_all = np.sqrt(np.add.reduceat(squares, row_start))
        norm_vocab = norm_all  # (the same sums when every counted word is the vocabulary's)
        if self.n_vocab < n_words:
            norm_vocab = np.sqrt(np.add.reduceat(np.where(column < self.n_vocab, squares, 0.0), row_start))
        counts = sparse.csr_matrix(
            (value, column, np.append(row_start, len(value))), shape=(len(row_start), n_words)
        )
        scores = np.empty((len(row_start), self.width))
        scores[:, :-1] = counts @ self.matrix
        scores[:, : self.n_text] /= np.where(norm_vocab > 0, norm_vocab, 1.0)[:, None]
        scores[:, self.n_text : -1] /= np.where(norm_all > 0, norm_all, 1.0)[:, None]
        in_vocabulary = count if self.n_vocab == n_words else np.where(column < self.n_vocab, count, 0)
        scores[:, -1] = np.add.reduceat(in_vocabulary, row_start)
        return local[row_start].astype(np.int64) + first, scores

    def of_hits(self, hits, papers, fields) -> np.ndarray:
        """Each paper's row of scores from what :meth:`reduce` made of the matcher's groups (and,
        for papers with a text the matcher read the plain way, from counting their words again)."""
        scores = np.zeros((len(papers), self.width))
        for rows, block in hits.reduced:
            scores[rows] = block
        if hits.slow_owners is not None and len(hits.slow_owners):
            from litreview.tagging.features import paper_texts
            from litreview.tagging.wordcount import WordCounter

            slow = np.unique(hits.slow_owners)
            counts = WordCounter(list(self.words)).counts(paper_texts(papers.iloc[slow], fields))
            scores[slow] = self.of_counts(counts)
        return scores

    def of_counts(self, counts) -> np.ndarray:
        """The same scores from a papers-by-words count matrix (for texts the matcher did not count)."""
        coo = counts.tocoo()
        order = np.lexsort((coo.col, coo.row))
        rows, cols, times = coo.row[order], coo.col[order], coo.data[order].astype(np.int64)
        out = np.zeros((counts.shape[0], self.width))
        papers, scores = self.reduce(np.repeat(rows, times).astype(np.int64), np.repeat(cols, times).astype(np.int64))
        out[papers] = scores
        return out
