"""Term counts and TF-IDF weights of many texts, as sparse paper-by-term matrices.

These are scikit-learn's ``CountVectorizer`` (with a callable analyzer) and
``TfidfVectorizer`` (sublinear term frequency, smoothed IDF, unit rows) for
the settings the kit uses, giving the same matrices bit for bit
(``tests/test_vectorize.py`` compares them).  They are here because importing
scikit-learn takes 1.2-1.7 s (it loads ``scipy.stats``): every report kernel
paid that for its distinctive terms and similar papers.  Fitting models
(NMF topics, screening classifiers) still uses scikit-learn.

The loop over texts is the same Python loop scikit-learn runs; the rest is
numpy and ``scipy.sparse``.
"""

from __future__ import annotations

import re
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

_BLOCK_TERMS = 2_000_000  # term occurrences sorted at once: bounds the memory of counting
_MAX_TERMS = 2**31  # room for every term number in a (text, term) key
_BLOCK_ROWS = 20_000  # rows divided by their length at once


class NoTerms(ValueError):
    """No term to count: the texts hold only stop words, or no term is in ``min_df`` texts."""


def count_terms(
    texts: Iterable[str],
    analyzer: Callable[[str], list[str]],
    *,
    min_df: int = 1,
    max_features: int | None = None,
    binary: bool = False,
    dtype=np.int64,
):
    """Counts of every term ``analyzer`` finds in each text, and the terms.

    Returns ``(matrix, terms)``: a ``scipy.sparse.csr_matrix`` (texts x terms)
    and the terms in alphabetical order (an object array), keeping the terms
    in at least ``min_df`` texts and, when ``max_features`` is given, the most
    frequent of those.  ``binary`` gives 1 for any count.  ``analyzer``
    returns a text's terms as a list.  :class:`NoTerms` (a ``ValueError``)
    says when no term is left.

    Examples
    --------
    >>> matrix, terms = count_terms(["b a b", "c"], str.split)
    >>> terms.tolist(), matrix.toarray().tolist()
    (['a', 'b', 'c'], [[1, 2, 0], [0, 0, 1]])
    """
    from scipy import sparse

    # Each new term gets the next number.  A block of texts' term numbers go into one flat array,
    # sorted once per block (np.unique) into each text's distinct terms and their counts.
    vocabulary: defaultdict[str, int] = defaultdict()
    vocabulary.default_factory = vocabulary.__len__
    number = vocabulary.__getitem__
    per_text, columns, counts = [], [], []

    def flush(found: array, lengths: array) -> None:
        rows = np.repeat(np.arange(len(lengths), dtype=np.int64), np.frombuffer(lengths, dtype=np.int64))
        pairs, repeats = np.unique(rows * _MAX_TERMS + np.frombuffer(found, dtype=np.int64), return_counts=True)
        row, column = np.divmod(pairs, _MAX_TERMS)
        per_text.append(np.bincount(row, minlength=len(lengths)))
        columns.append(column.astype(np.int32) if len(vocabulary) < 2**31 else column)  # half the memory
        counts.append(repeats.astype(np.intc))

    found, lengths = array("q"), array("q")
    for text in texts:
        words = analyzer(text)
        found.extend(map(number, words))
        lengths.append(len(words))
        if len(found) > _BLOCK_TERMS:
            flush(found, lengths)
            found, lengths = array("q"), array("q")
    flush(found, lengths)
    if not vocabulary:
        raise NoTerms("empty vocabulary: no text has a term that is not a stop word")
    column = np.concatenate(columns)
    columns.clear()  # the blocks are in one array now
    index_type = np.int32 if len(column) < 2**31 and len(vocabulary) < 2**31 else np.int64
    indptr = np.zeros(sum(map(len, per_text)) + 1, dtype=index_type)
    np.cumsum(np.concatenate(per_text), out=indptr[1:])
    matrix = sparse.csr_matrix(
        (np.concatenate(counts), column.astype(index_type, copy=False), indptr),
        shape=(len(indptr) - 1, len(vocabulary)), dtype=dtype,
    )
    counts.clear()
    if binary:
        matrix.data.fill(1)
    # Terms numbered alphabetically, as scikit-learn numbers its features; like scikit-learn, the
    # renumbered indices are left unsorted within a row, and a row's length is summed in that order.
    terms = np.asarray(sorted(vocabulary), dtype=object)
    new_index = np.empty(len(terms), dtype=matrix.indices.dtype)
    new_index[[vocabulary[t] for t in terms]] = np.arange(len(terms))
    matrix.indices = new_index.take(matrix.indices)
    matrix.has_sorted_indices = False
    if min_df <= 1 and max_features is None:
        return matrix, terms
    frequency = np.bincount(matrix.indices, minlength=len(terms))
    keep = frequency >= min_df
    if max_features is not None and keep.sum() > max_features:
        totals = np.asarray(matrix.sum(axis=0)).ravel()
        # scikit-learn's own (unstable) argsort, so that ties keep the same terms
        chosen = np.flatnonzero(keep)[(-totals[keep]).argsort()[:max_features]]
        keep = np.zeros(len(terms), dtype=bool)
        keep[chosen] = True
    kept = np.flatnonzero(keep)
    if not len(kept):
        raise NoTerms(f"no term is in {min_df} or more texts: try a lower min_df")
    return matrix[:, kept], terms[kept]


@dataclass(frozen=True)
class TermWeights:
    """A fitted TF-IDF weighting: the terms, their IDF, and how a text is split into terms."""

    terms: np.ndarray  # object array, alphabetical
    idf: np.ndarray  # float32, one per term
    analyzer: Callable[[str], list[str]]

    def transform(self, texts: Iterable[str]):
        """Unit-length sublinear TF-IDF rows of ``texts`` over this vocabulary (other words are left out)."""
        from scipy import sparse

        column = {term: j for j, term in enumerate(self.terms.tolist())}
        rows, cols = [], []
        n_texts = 0
        for n_texts, text in enumerate(texts, start=1):
            found = [column[t] for t in self.analyzer(text) if t in column]
            rows.extend([n_texts - 1] * len(found))
            cols.extend(found)
        counts = sparse.csr_matrix(
            (np.ones(len(rows), dtype=self.idf.dtype), (rows, cols)), shape=(n_texts, len(self.terms))
        )
        counts.sum_duplicates()
        return _weigh(counts, self.idf)


def word_analyzer(token_pattern: str, stop_words: Iterable[str]) -> Callable[[str], list[str]]:
    """Lower-cased tokens of ``token_pattern``, stop words left out (scikit-learn's ``word`` analyzer)."""
    find = re.compile(token_pattern).findall
    stops = frozenset(stop_words)

    def analyse(text: str) -> list[str]:
        return [w for w in find(text.lower()) if w not in stops]

    return analyse


def weigh_terms(
    texts: Iterable[str],
    analyzer: Callable[[str], list[str]],
    *,
    min_df: int = 1,
    max_features: int | None = None,
    dtype=np.float32,
):
    """Unit-length sublinear TF-IDF rows of ``texts`` and the fitted :class:`TermWeights`.

    A term's weight in a text is ``(1 + log count) * idf``, with the smoothed
    ``idf = 1 + log((1 + texts) / (1 + texts with the term))``; each row is
    then divided by its length.

    Examples
    --------
    >>> matrix, weights = weigh_terms(["sparse attention", "sparse kernels"], str.split)
    >>> weights.terms.tolist(), matrix.toarray().round(3).tolist()
    (['attention', 'kernels', 'sparse'], [[0.815, 0.0, 0.58], [0.0, 0.815, 0.58]])
    """
    counts, terms = count_terms(texts, analyzer, min_df=min_df, max_features=max_features, dtype=dtype)
    frequency = np.bincount(counts.indices, minlength=counts.shape[1]).astype(dtype)
    frequency += 1.0
    idf = np.full_like(frequency, fill_value=counts.shape[0] + 1, dtype=dtype)
    idf /= frequency
    np.log(idf, out=idf)
    idf += 1.0
    return _weigh(counts, idf), TermWeights(terms, idf, analyzer)


def _weigh(counts, idf: np.ndarray):
    """Sublinear TF times IDF, each row scaled to unit length, in the counts' own float type (in place)."""
    data = counts.data
    np.log(data, out=data)
    data += 1.0
    data *= idf[counts.indices]
    # Each row's length as scikit-learn's normalize computes it: squares in the data's float type,
    # summed in float64 term by term in the row's order; the division in float64.  The same
    # rounding gives the same similarities to the last bit.  Both passes go in steps, so no
    # float64 copy of the whole matrix is ever made.
    lengths = np.diff(counts.indptr)
    sums = np.zeros(counts.shape[0], dtype=np.float64)
    longest_first = np.argsort(-lengths, kind="stable")
    starts = counts.indptr[:-1][longest_first]
    ascending = lengths[longest_first][::-1]
    for k in range(int(lengths.max(initial=0))):
        rows = len(ascending) - np.searchsorted(ascending, k, side="right")  # the rows longer than k
        values = data[starts[:rows] + k]
        sums[longest_first[:rows]] += (values * values).astype(np.float64)
    norms = np.sqrt(sums)
    norms[norms == 0] = 1.0  # an empty row stays empty
    for first in range(0, counts.shape[0], _BLOCK_ROWS):
        last = min(first + _BLOCK_ROWS, counts.shape[0])
        start, stop = counts.indptr[first], counts.indptr[last]
        data[start:stop] = data[start:stop] / np.repeat(norms[first:last], lengths[first:last])
    return counts
