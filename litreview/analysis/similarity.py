"""Papers similar to each other or to a query: TF-IDF vectors and cosine similarity.

Vectors stay sparse throughout: a query is one sparse matrix-vector product,
and the most similar pairs are found a block of rows at a time, so no
paper-by-paper or paper-by-term array is ever dense.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from litreview.analysis.text import paper_text, stop_words
from litreview.schema import display_titles

PAIR_COLUMNS = ["paper_a", "paper_b", "similarity", "shared", "id_a", "id_b"]
SIMILAR_COLUMNS = ["id", "title", "similarity", "shared"]
_BLOCK_ROWS = 512  # rows of the pair-similarity matrix computed at once


def tfidf(papers: pd.DataFrame, *, min_df: int = 1, max_features: int | None = None):
    """Sparse TF-IDF matrix of the papers' text (title and abstract) and the fitted vectorizer.

    Words are those of :func:`litreview.analysis.terms.phrase_analyzer` (letters first,
    hyphens kept, stop words out); scikit-learn's own tokenizer does the work,
    which is several times faster than a Python analyzer on large corpora.
    """
    from sklearn.feature_extraction.text import TfidfVectorizer

    from litreview.analysis.terms import TOKEN_PATTERN

    vectorizer = TfidfVectorizer(
        token_pattern=TOKEN_PATTERN.pattern,
        stop_words=stop_words(),
        sublinear_tf=True,
        min_df=min_df,
        max_features=max_features,
        dtype=np.float32,
    )
    matrix = vectorizer.fit_transform(paper_text(papers))
    return matrix, vectorizer


def _shared_terms(row_a, row_b, names, k: int) -> str:
    product = row_a.multiply(row_b).tocoo()
    order = np.lexsort((product.col, -np.round(product.data, 6)))[:k]
    return ", ".join(names[product.col[i]] for i in order if product.data[i] > 0)


def similar_pairs(papers: pd.DataFrame, n: int = 10, shared_terms: int = 5) -> pd.DataFrame:
    """The ``n`` most similar pairs of papers, with the terms that link them.

    Returns ``paper_a``, ``paper_b`` (display titles), ``similarity`` (cosine,
    0-1), ``shared`` (the highest-weighted terms the two have in common),
    ``id_a`` and ``id_b``.  Every pair is scored, a block of rows at a time, so
    this suits a topic's papers or a corpus of some thousands; for one paper
    against a large corpus use :func:`similar_papers`.
    """
    if len(papers) < 2:
        return pd.DataFrame(columns=PAIR_COLUMNS)
    matrix, vectorizer = tfidf(papers)
    matrix = matrix.tocsr()
    best_i, best_j, best_s = [], [], []
    for start in range(0, matrix.shape[0], _BLOCK_ROWS):
        block = (matrix[start : start + _BLOCK_ROWS] @ matrix.T).tocoo()
        rows = block.row + start
        upper = block.col > rows
        i, j, s = rows[upper], block.col[upper], np.round(block.data[upper].astype(np.float64), 6)
        if len(s) > n:  # keep this block's n best (ties included) before merging blocks
            cut = np.partition(s, len(s) - n)[len(s) - n]
            keep = s >= cut
            i, j, s = i[keep], j[keep], s[keep]
        best_i.append(i)
        best_j.append(j)
        best_s.append(s)
    i, j, s = (np.concatenate(parts) for parts in (best_i, best_j, best_s))
    order = np.lexsort((j, i, -s))[:n]
    names = vectorizer.get_feature_names_out()
    titles = display_titles(papers, words=6).to_numpy()
    ids = papers["id"].to_numpy()
    rows = []
    for a, b, score in zip(i[order], j[order], s[order]):
        shared = _shared_terms(matrix[a], matrix[b], names, shared_terms)
        rows.append((titles[a], titles[b], round(float(score), 3), shared, ids[a], ids[b]))
    return pd.DataFrame(rows, columns=PAIR_COLUMNS)


def similar_papers(
    papers: pd.DataFrame, query: str | None = None, *, paper: str | None = None, n: int = 10, shared_terms: int = 5
) -> pd.DataFrame:
    """The ``n`` papers most similar to a free-text ``query`` or to the paper with id ``paper``.

    Returns ``id``, ``title`` (display title), ``similarity`` (cosine, 0-1)
    and ``shared`` (the highest-weighted terms in common), most similar first;
    ties are broken by id, papers with nothing in common are left out.
    """
    if (query is None) == (paper is None):
        raise ValueError("give either a query text or a paper id, not both")
    matrix, vectorizer = tfidf(papers)
    matrix = matrix.tocsr()
    if paper is not None:
        hits = np.flatnonzero(papers["id"].to_numpy() == paper)
        if not len(hits):
            raise ValueError(f"no paper with id {paper!r} in this table")
        target = matrix[hits[0]]
    else:
        target = vectorizer.transform([query])
    scores = np.round((matrix @ target.T).toarray().ravel().astype(np.float64), 6)
    if paper is not None:
        scores[hits[0]] = 0.0  # a paper is not its own neighbour
    candidates = np.flatnonzero(scores > 0)
    ids = papers["id"].to_numpy()
    order = candidates[np.lexsort((ids[candidates], -scores[candidates]))][:n]
    names = vectorizer.get_feature_names_out()
    titles = display_titles(papers.iloc[order], words=8).to_numpy()
    rows = [
        (ids[k], titles[r], round(float(scores[k]), 3), _shared_terms(matrix[k], target, names, shared_terms))
        for r, k in enumerate(order)
    ]
    return pd.DataFrame(rows, columns=SIMILAR_COLUMNS)
