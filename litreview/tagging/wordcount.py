"""Word counts of many texts over a fixed vocabulary, in bulk, and their TF-IDF vectors.

The learned tag decision (:mod:`litreview.tagging.decision`) scores papers by
their words.  Counting them word by word in Python would be the slowest step of
tagging, so the texts are counted the way :mod:`litreview.tagging.matching`
finds rule words: joined into one string, one byte per character (the lower
case of an ASCII letter or digit; 255 for any other letter or digit, so a word
holding one is in no vocabulary; 0 otherwise), words as runs of non-zero bytes,
looked up by their two 64-bit keys in a hash table of the vocabulary.

A word is a maximal run of letters and digits (as in the rules); the vocabulary
holds lower-case ASCII words only.  :func:`words` gives the same words in
Python, to build a vocabulary.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from litreview.tagging.matching import _cores
from litreview.tagging.wordkeys import _LONG, _KeyTable, _text_word_keys, _word_keys

_WORD = re.compile(r"[^\W_]+")
_ASCII_WORD = re.compile(r"^[a-z0-9]+$")
_CHUNK_CHARS = 4_000_000
_TABLE = bytes([c if chr(c).isalnum() else 0 for c in range(128)]).lower() + bytes(128)
_ASCII_MAP = np.frombuffer(_TABLE, dtype=np.uint8)


def words(text: str) -> list[str]:
    """The vocabulary words of ``text``: lower-case ASCII runs of letters and digits."""
    return [w for w in _WORD.findall(text.lower()) if _ASCII_WORD.match(w)] if text.isascii() else _slow_words(text)


def _slow_words(text: str) -> list[str]:
    # A run with any non-ASCII letter or digit is one word that no vocabulary holds.
    return [w.lower() for w in _WORD.findall(text) if _ASCII_WORD.match(w.lower()) and w.isascii()]


class WordCounter:
    """Counts of the words of a fixed vocabulary (lower-case ASCII words) in many texts."""

    def __init__(self, vocabulary: list[str]):
        bad = [w for w in vocabulary if not _ASCII_WORD.match(w)]
        if bad:
            raise ValueError(f"vocabulary words must be lower-case ASCII letters and digits, got {bad[:3]}")
        self.vocabulary = list(vocabulary)
        self._bytes = [w.encode("ascii") for w in self.vocabulary]
        self._table = _KeyTable(*_word_keys(self._bytes), max_bits=17) if self.vocabulary else None

    def counts(self, texts: list[str]):
        """A ``scipy.sparse.csr_matrix`` (texts x vocabulary) of word counts; texts may be empty."""
        from scipy import sparse

        n_texts, n_words = len(texts), len(self.vocabulary)
        rows, cols = [np.zeros(0, np.int64)], [np.zeros(0, np.int64)]
        if self._table is not None:
            lengths = np.fromiter(map(len, texts), dtype=np.int64, count=n_texts)
            cut = np.searchsorted(np.cumsum(lengths), np.arange(1, lengths.sum() // _CHUNK_CHARS + 1) * _CHUNK_CHARS)
            ascii_ = np.fromiter(map(str.isascii, texts), dtype=bool, count=n_texts)
            groups = [
                g for chunk in np.split(np.arange(n_texts), cut) for g in (chunk[ascii_[chunk]], chunk[~ascii_[chunk]])
            ]
            groups = [g for g in groups if len(g)]  # ASCII texts apart: they skip the slower UTF-32 path

            def count(group: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
                r, c = self._chunk([texts[i] for i in group.tolist()])
                return group[r], c

            # numpy lets go of the interpreter lock: one thread per core.
            with ThreadPoolExecutor(max(1, min(len(groups), _cores(), 8))) as pool:
                for r, c in pool.map(count, groups):
                    rows.append(r)
                    cols.append(c)
        row, col = np.concatenate(rows), np.concatenate(cols)
        data = np.ones(len(row), dtype=np.float64)
        return sparse.csr_matrix((data, (row, col)), shape=(n_texts, n_words))

    def _chunk(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """(text number, word index) of every vocabulary word in ``texts``."""
        joined = "\x00" + "\x00".join(texts) + "\x00"
        lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
        offsets = np.cumsum(lengths + 1) - lengths  # where each text starts
        if joined.isascii():
            data = np.frombuffer(joined.encode("ascii").translate(_TABLE) + bytes(8), dtype=np.uint8)
        else:
            codes = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), "<u4")
            data = np.zeros(len(codes) + 8, dtype=np.uint8)
            np.take(_ASCII_MAP, np.minimum(codes, 255), out=data[: len(codes)])
            (others,) = np.nonzero(codes >= 128)
            distinct, where = np.unique(codes[others], return_inverse=True)
            data[others] = np.array([255 * chr(c).isalnum() for c in distinct.tolist()], dtype=np.uint8)[where]
        letter = data != 0
        edges = np.flatnonzero(letter[1:] != letter[:-1]) + 1
        starts, ends = edges[0::2], edges[1::2]
        keys = _text_word_keys(data, starts, ends)
        word = self._table.find(*keys)
        none = len(self.vocabulary)
        (check,) = np.nonzero((keys[1] >= _LONG) & (word != none))
        for i in check.tolist():  # 16 letters or more: compare the whole word
            if data[starts[i] : ends[i]].tobytes() != self._bytes[word[i]]:
                word[i] = none
        found = word != none
        text = np.searchsorted(offsets, starts[found], side="right") - 1
        return text, word[found]


def tfidf(counts, idf: np.ndarray):
    """Rows of sublinear TF-IDF (``1 + log(count)`` times ``idf``), each of unit length."""
    from scipy import sparse

    weighted = counts.copy()
    weighted.data = (1.0 + np.log(weighted.data)) * idf[weighted.indices]
    norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
    return sparse.diags(1.0 / np.where(norms > 0, norms, 1.0)) @ weighted
