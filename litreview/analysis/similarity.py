"""Papers similar to each other or to a query: TF-IDF vectors and cosine similarity.

Vectors stay sparse throughout: a query is one sparse matrix-vector product,
and the most similar pairs are found a block of rows at a time, so no
paper-by-paper or paper-by-term array is ever dense.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from litreview.analysis.text import paper_text, stop_words
from litreview.analysis.vectorize import NoTerms, weigh_terms, word_analyzer
from litreview.fields.latex import plain_text, readable
from litreview.schema import display_titles
from litreview.validation import check_frame, check_int

PAIR_COLUMNS = ["paper_a", "paper_b", "similarity", "shared", "id_a", "id_b"]
SIMILAR_COLUMNS = ["id", "title", "similarity", "shared"]
_BLOCK_ROWS = 512  # rows of the pair-similarity matrix computed at once


def tfidf(papers: pd.DataFrame, *, min_df: int = 1, max_features: int | None = None):
    """Sparse TF-IDF matrix of the papers' text (title and abstract) and its :class:`TermWeights`.

    Words are runs of letters, digits and hyphens that start with a letter
    (:data:`litreview.analysis.terms.TOKEN_PATTERN`), lower-cased, stop words
    out; weights are sublinear TF times smoothed IDF, rows of unit length
    (:func:`litreview.analysis.vectorize.tfidf`, scikit-learn's weighting).  The text is read as the reports
    show it, markup left out (:func:`litreview.fields.latex.plain_text`): LaTeX and publishers' markup
    (``\\textit{}``, ``$\\mathbf{x}$``, ``\\citep{key}``, ``<sub>``) gives no terms, so no theme is named "textit".
    """
    from litreview.analysis.terms import TOKEN_PATTERN

    analyzer = word_analyzer(TOKEN_PATTERN.pattern, stop_words())
    texts = paper_text(papers).map(plain_text)
    return weigh_terms(texts, analyzer, min_df=min_df, max_features=max_features)


def _shared_terms(row_a, row_b, names, k: int) -> str:
    product = row_a.multiply(row_b).tocoo()
    order = np.lexsort((product.col, -np.round(product.data, 6)))[:k]
    return ", ".join(names[product.col[i]] for i in order if product.data[i] > 0)


def _abstract_codes(papers: pd.DataFrame) -> np.ndarray:
    """One number per distinct abstract, -1 for none (or a blank one): papers of one number carry one abstract."""
    texts = papers["abstract"].to_numpy(dtype=object)
    codes = pd.factorize(texts, use_na_sentinel=True)[0]
    codes[[not (isinstance(t, str) and t.strip()) for t in texts]] = -1
    return codes


def similar_pairs(papers: pd.DataFrame, n: int = 10, shared_terms: int = 5) -> pd.DataFrame:
    """The ``n`` most similar pairs of papers, with the terms that link them.

    Returns ``paper_a``, ``paper_b`` (display titles), ``similarity`` (cosine,
    0-1), ``shared`` (the highest-weighted terms the two have in common),
    ``id_a`` and ``id_b``.  Every pair is scored, a block of rows at a time, so
    this suits a topic's papers or a corpus of some thousands; for one paper
    against a large corpus use :func:`similar_papers`.  Fewer than two papers
    give an empty table with these columns.

    Two papers with the same abstract are left out as a pair: their similarity
    would be the abstract's, nearly 1, and says nothing of the two (usually one
    paper's abstract given to another by the source: the load flags them
    ``shared-abstract``; or two copies of one paper kept apart).

    Examples
    --------
    >>> papers = pd.DataFrame({"id": ["a", "b", "c"], "title": ["Sparse attention", "Sparse attention kernels",
    ...                        "Prompt tuning"], "abstract": [None, None, None]})
    >>> lr.similar_pairs(papers, n=1)[["id_a", "id_b", "shared"]].values.tolist()
    [['a', 'b', 'attention, sparse']]
    >>> copied = papers.assign(abstract=["Fast kernels.", "Fast kernels.", "Prompts and kernels."])
    >>> lr.similar_pairs(copied)[["id_a", "id_b"]].values.tolist()  # (not a and b: one abstract)
    [['b', 'c'], ['a', 'c']]
    """
    check_frame(papers, "papers", ("id", "title", "abstract"), "load it with lr.load()")
    check_int(n, "n", 1)
    check_int(shared_terms, "shared_terms", 0)
    if len(papers) < 2:
        return pd.DataFrame(columns=PAIR_COLUMNS)
    try:
        matrix, weights = tfidf(papers)
    except NoTerms:  # no paper has a word to share
        return pd.DataFrame(columns=PAIR_COLUMNS)
    matrix = matrix.tocsr()
    same_text = _abstract_codes(papers)
    best_i, best_j, best_s = [], [], []
    for start in range(0, matrix.shape[0], _BLOCK_ROWS):
        block = (matrix[start : start + _BLOCK_ROWS] @ matrix.T).tocoo()
        rows = block.row + start
        upper = (block.col > rows) & ((same_text[rows] != same_text[block.col]) | (same_text[rows] < 0))
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
    names = weights.terms
    titles = display_titles(papers, words=6).map(readable).to_numpy()
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
    ties are broken by id, papers with nothing in common are left out, so an
    empty table (with these columns) means no paper shares a word with the query.
    Papers with the same abstract as ``paper`` are left out too, as
    :func:`similar_pairs` leaves out such pairs.

    Examples
    --------
    >>> papers = pd.DataFrame({"id": ["a", "b", "c"], "title": ["Sparse attention", "Sparse attention kernels",
    ...                        "Prompt tuning"], "abstract": [None, None, None]})
    >>> lr.similar_papers(papers, "sparse kernels")["id"].tolist()
    ['b', 'a']
    >>> lr.similar_papers(papers, paper="a", n=1)["id"].tolist()
    ['b']
    """
    if (query is None) == (paper is None):
        raise ValueError("give either a query text or a paper id, not both")
    check_frame(papers, "papers", ("id", "title", "abstract"), "load it with lr.load()")
    check_int(n, "n", 1)
    check_int(shared_terms, "shared_terms", 0)
    if query is not None and not isinstance(query, str):
        raise TypeError(f"query must be text, got {type(query).__name__}")
    if papers.empty and paper is None:
        return pd.DataFrame(columns=SIMILAR_COLUMNS)
    if paper is not None:
        hits = np.flatnonzero(papers["id"].to_numpy() == paper)
        if not len(hits):
            raise ValueError(f"no paper with id {paper!r} in this table")
    try:
        matrix, weights = tfidf(papers)
    except NoTerms:  # no paper has a word to share
        return pd.DataFrame(columns=SIMILAR_COLUMNS)
    matrix = matrix.tocsr()
    target = matrix[hits[0]] if paper is not None else weights.transform([query])
    scores = np.round((matrix @ target.T).toarray().ravel().astype(np.float64), 6)
    if paper is not None:
        scores[hits[0]] = 0.0  # a paper is not its own neighbour
        codes = _abstract_codes(papers)
        if codes[hits[0]] >= 0:  # nor one carrying its abstract
            scores[codes == codes[hits[0]]] = 0.0
    candidates = np.flatnonzero(scores > 0)
    ids = papers["id"].to_numpy()
    order = candidates[np.lexsort((ids[candidates], -scores[candidates]))][:n]
    names = weights.terms
    titles = display_titles(papers.iloc[order], words=8).map(readable).to_numpy()
    rows = [
        (ids[k], titles[r], round(float(scores[k]), 3), _shared_terms(matrix[k], target, names, shared_terms))
        for r, k in enumerate(order)
    ]
    return pd.DataFrame(rows, columns=SIMILAR_COLUMNS)
