"""Papers similar to each other: TF-IDF vectors and cosine similarity."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .schema import display_titles
from .terms import phrase_analyzer
from .text import paper_text


def tfidf(papers: pd.DataFrame):
    """Sparse TF-IDF matrix of the papers' text and the fitted vectorizer."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(analyzer=phrase_analyzer((1, 1)), sublinear_tf=True)
    matrix = vectorizer.fit_transform(paper_text(papers))
    return matrix, vectorizer


def similar_pairs(papers: pd.DataFrame, n: int = 10, shared_terms: int = 5) -> pd.DataFrame:
    """The ``n`` most similar pairs of papers, with the terms that link them.

    Returns ``paper_a``, ``paper_b`` (display titles), ``id_a``, ``id_b``,
    ``similarity`` (cosine, 0-1) and ``shared`` (the highest-weighted terms
    the two have in common).
    """
    if len(papers) < 2:
        return pd.DataFrame(columns=["paper_a", "paper_b", "similarity", "shared", "id_a", "id_b"])
    matrix, vectorizer = tfidf(papers)
    sims = (matrix @ matrix.T).toarray()
    i_upper, j_upper = np.triu_indices(len(papers), k=1)
    scores = sims[i_upper, j_upper]
    order = np.lexsort((j_upper, i_upper, -np.round(scores, 6)))[:n]
    names = vectorizer.get_feature_names_out()
    titles = display_titles(papers, words=6).to_numpy()
    ids = papers["id"].to_numpy()
    rows = []
    for k in order:
        i, j = i_upper[k], j_upper[k]
        product = matrix[i].multiply(matrix[j]).toarray().ravel()
        top = [names[t] for t in np.argsort(-product, kind="stable")[:shared_terms] if product[t] > 0]
        rows.append((titles[i], titles[j], round(float(scores[k]), 3), ", ".join(top), ids[i], ids[j]))
    return pd.DataFrame(rows, columns=["paper_a", "paper_b", "similarity", "shared", "id_a", "id_b"])
