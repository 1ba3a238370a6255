"""Prioritised screening: rank the papers not screened yet, most likely relevant first.

The model is refitted from the decisions so far.  Features are TF-IDF over the
title and abstract (words and two-word phrases, sublinear term frequency),
computed once for the whole corpus (:class:`ScreeningFeatures`); only the
classifier is refitted after each decision.  The default model, ``"logistic"``,
is a logistic regression tuned for the job (measured against ASReview's default
in ``bench/screening.py``; the README has the figures and what was tuned on):

- relevant papers weigh :data:`POSITIVE_WEIGHT` times more than under balanced
  class weights: relevant papers are rare, and missing one costs more than
  reading an irrelevant one;
- each fit adds :data:`PRESUMED_NEGATIVES` unscreened papers, drawn at random,
  as irrelevant (most unscreened papers are): early on, the one or two papers
  known to be irrelevant say little about what irrelevant looks like.  This is
  the "BMI" of Cormack and Grossman's continuous active learning.

``"svm"`` (a linear SVM weighted the same way, close to ASReview's default
model) and ``"naive_bayes"`` (complement naive Bayes) are there to compare.

Until an included paper is known there is nothing to learn: papers come in a
seeded random order.  (With includes but no papers left to presume irrelevant,
they are ranked by their TF-IDF similarity to the includes.)  Ties are broken by a seeded random
order, so a ranking is deterministic for a seed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np
import pandas as pd

MODELS = ("logistic", "svm", "naive_bayes")
RANK_COLUMNS = ["id", "title", "score", "terms"]


@dataclass(frozen=True)
class ScreeningFeatures:
    """TF-IDF features of a corpus, computed once and reused by every refit.

    ``matrix`` is a sparse (papers x terms) array with unit-length rows, in the
    order of ``ids``; ``terms`` names its columns.
    """

    ids: np.ndarray
    matrix: object  # scipy.sparse.csr_matrix
    terms: np.ndarray

    def positions(self, ids) -> np.ndarray:
        """Row positions of ``ids`` (every one must be in the corpus)."""
        where = pd.Index(self.ids).get_indexer(list(ids))
        if (where < 0).any():
            missing = [i for i, w in zip(ids, where) if w < 0]
            raise ValueError(f"{len(missing)} id(s) are not in the papers table: {missing[:5]}")
        return where


def screening_features(papers: pd.DataFrame, *, ngram_range: tuple[int, int] = (1, 2), min_df: int = 1
                       ) -> ScreeningFeatures:
    """The TF-IDF features :func:`rank_for_screening` fits on (pass them back to skip recomputing).

    The text is the title, then the abstract; a missing one is empty.  English
    stop words are dropped; terms in a single paper are kept (``min_df=1``),
    as a rare term shared by two relevant papers is often the best clue.

    Parameters
    ----------
    papers : DataFrame
        A papers table with unique ``id`` and a ``title`` or an ``abstract`` column.
    ngram_range : tuple of int
        The shortest and longest phrases counted, in words.
    min_df : int
        Terms in fewer papers than this are dropped.

    Returns
    -------
    ScreeningFeatures
        ``ids`` (in the order of ``papers``), ``matrix`` (papers x terms) and ``terms``.

    Examples
    --------
    >>> papers = pd.DataFrame({"id": ["a", "b"], "title": ["Active learning", "Coral reef fish"]})
    >>> features = lr.screening_features(papers)
    >>> features.ids.tolist(), features.terms.tolist()
    (['a', 'b'], ['active', 'active learning', 'coral', 'coral reef', 'fish', 'learning', 'reef', 'reef fish'])
    """
    from sklearn.feature_extraction.text import TfidfVectorizer

    _check_papers(papers)
    text = _text(papers)
    vectorizer = TfidfVectorizer(ngram_range=ngram_range, min_df=min_df, sublinear_tf=True, stop_words="english",
                                 token_pattern=r"(?u)\b[^\W\d_][\w-]+\b", dtype=np.float64)
    try:
        matrix = vectorizer.fit_transform(text)
    except ValueError:  # no paper has a word: an all-zero matrix still ranks (at random)
        from scipy import sparse

        return ScreeningFeatures(papers["id"].astype(str).to_numpy(), sparse.csr_matrix((len(papers), 1)),
                                 np.array([""], dtype=object))
    terms = vectorizer.get_feature_names_out().astype(object)
    return ScreeningFeatures(papers["id"].astype(str).to_numpy(), matrix.tocsr(), terms)



def rank_for_screening(
    papers: pd.DataFrame,
    decisions: pd.DataFrame | str | os.PathLike,
    *,
    model: str = "logistic",
    seed: int = 0,
    terms: int = 5,
    features: ScreeningFeatures | None = None,
) -> pd.DataFrame:
    """The papers without a decision, most likely relevant first.

    ``decisions`` is a table with ``id`` and ``decision`` (``include`` or
    ``exclude``), e.g. from :func:`litreview.load_screening` or
    :func:`litreview.read_decisions`, or the path of a decisions CSV (read with
    :func:`litreview.read_decisions`, which names the file and line of any
    problem).  Only title-and-abstract decisions count when there is a
    ``stage`` column; a paper decided on its full text alone passed that
    stage, so it counts as included there.  A paper its source flags
    ``retracted`` is not offered unless it has a decision: the PRISMA flow
    counts it as removed before screening.

    Returns ``id``, ``title``, ``score`` (higher is more likely relevant: the
    model's log-odds, or naive Bayes' probability; compare scores within one
    ranking only)
    and ``terms`` (the words of the paper that raised its score most, best
    first), one row per unscreened paper, in ranking order, with a fresh index.

    Parameters
    ----------
    papers : DataFrame
        A papers table with unique ``id`` and a ``title`` or an ``abstract`` column.
    decisions : DataFrame or path
        The decisions so far (``id``, ``decision``), or the path of a decisions CSV.
    model : {"logistic", "svm", "naive_bayes"}
        The classifier refitted on the decisions.
    seed : int
        Seeds the order before any include is known and the order of ties.
    terms : int
        How many driving terms to list per paper.
    features : ScreeningFeatures, optional
        :func:`screening_features` of ``papers``, to skip recomputing them.

    Returns
    -------
    DataFrame
        ``id``, ``title``, ``score``, ``terms``, most likely relevant first.

    Examples
    --------
    >>> papers = pd.DataFrame({"id": ["a", "b", "c", "d"], "title": [
    ...     "Active learning for screening", "Coral reef fish", "Deep sea fish", "Screening with active learning"]})
    >>> ranking = lr.rank_for_screening(papers, pd.DataFrame({"id": ["a", "b"], "decision": ["include", "exclude"]}))
    >>> ranking["id"].tolist(), ranking["terms"][0]
    (['d', 'c'], 'active, active learning, learning, screening')
    """
    from litreview.analysis.screened_ids import retracted_ids
    from litreview.analysis.screening_log import read_decisions

    _check_papers(papers)
    _check_choice(model, "model", MODELS)
    if isinstance(decisions, (str, os.PathLike)):
        decisions = read_decisions(decisions, papers)
    labelled = _labelled(decisions, papers)
    features = features if features is not None else screening_features(papers)
    if len(features.ids) != len(papers) or not np.array_equal(features.ids, papers["id"].astype(str).to_numpy()):
        raise ValueError("features were computed for other papers; call screening_features(papers) again")
    known = features.positions(labelled.index)
    scores, weights = fit_scores(features.matrix, known, labelled.to_numpy(dtype=int), model=model, seed=seed)
    removed = features.positions(sorted(retracted_ids(papers) - set(labelled.index)))
    rest = np.setdiff1d(np.arange(len(papers)), np.concatenate([known, removed]))
    order = rest[_order(scores[rest], seed)]
    titles = papers["title"] if "title" in papers else pd.Series("", index=papers.index)
    return pd.DataFrame({
        "id": features.ids[order],
        "title": titles.iloc[order].fillna("").to_numpy(dtype=object),
        "score": scores[order],
        "terms": _driving_terms(features, order, weights, terms),
    }, columns=RANK_COLUMNS)


def fit_scores(matrix, known: np.ndarray, labels: np.ndarray, *, model: str = "logistic", seed: int = 0
               ) -> tuple[np.ndarray, np.ndarray | None]:
    """Fit ``model`` on the rows ``known`` (with 0/1 ``labels``) and score every row.

    Returns ``(scores, term weights)``: higher scores are more likely relevant;
    the weights (one per column, or ``None``) say how much each term raises a score.
    """
    n = matrix.shape[0]
    if not (labels == 1).any():  # nothing relevant known: no clue yet
        return np.random.default_rng(seed).random(n), None
    x, y = matrix[known], labels
    if PRESUMED_NEGATIVES:  # a random sample of the unscreened, taken as irrelevant (most are)
        from scipy import sparse

        rest = np.setdiff1d(np.arange(n), known)
        rng = np.random.default_rng([seed, len(known)])
        presumed = rng.choice(rest, size=min(PRESUMED_NEGATIVES, len(rest)), replace=False)
        x = sparse.vstack([x, matrix[presumed]]).tocsr()
        y = np.concatenate([y, np.zeros(len(presumed), dtype=int)])
    if (y == 1).all():  # only relevant papers to learn from: nearest to them first
        centre = np.asarray(x.mean(axis=0)).ravel()
        return np.asarray(matrix @ centre).ravel(), centre
    if model == "naive_bayes":
        fitted = _naive_bayes(x, y)
        return fitted.predict_proba(matrix)[:, 1], _nb_weights(fitted)
    if model == "svm":
        fitted = _svm(x, y, seed)
        return fitted.decision_function(matrix), fitted.coef_.ravel()
    fitted = _logistic(x, y, seed)
    return fitted.decision_function(matrix), fitted.coef_.ravel()


# Relevant papers weigh this many times more than under balanced class weights: missing a relevant
# paper costs more than reading an irrelevant one (ASReview's default weighs them 9.8 times).
POSITIVE_WEIGHT = 30.0
# Unscreened papers added to each fit as irrelevant, as in the "BMI" of Cormack & Grossman's continuous
# active learning: early on, the few known irrelevant papers say little about what irrelevant looks like.
PRESUMED_NEGATIVES = 100
LOGISTIC_C = 1.0
SVM_C = 0.11
NB_ALPHA = 0.3


def _sample_weight(y: np.ndarray) -> np.ndarray:
    positives = max(int(y.sum()), 1)
    negatives = max(len(y) - positives, 1)
    weight = np.where(y == 1, POSITIVE_WEIGHT * negatives / positives, 1.0)
    return weight * (len(y) / weight.sum())


def _logistic(x, y, seed):
    from sklearn.linear_model import LogisticRegression

    # the dual solver is fast while there are fewer labelled papers than terms (nearly always)
    return LogisticRegression(C=LOGISTIC_C, solver="liblinear", dual=True, random_state=seed).fit(
        x, y, sample_weight=_sample_weight(y))


def _naive_bayes(x, y):
    from sklearn.naive_bayes import ComplementNB

    return ComplementNB(alpha=NB_ALPHA).fit(x, y)


def _svm(x, y, seed):
    from sklearn.svm import LinearSVC

    return LinearSVC(C=SVM_C, random_state=seed).fit(x, y, sample_weight=_sample_weight(y))


def _nb_log_odds(fitted, matrix) -> np.ndarray:
    log = fitted.predict_joint_log_proba(matrix) if hasattr(fitted, "predict_joint_log_proba") else None
    if log is None:
        log = fitted.predict_log_proba(matrix)
    return log[:, 1] - log[:, 0]


def _nb_weights(fitted) -> np.ndarray:
    return fitted.feature_log_prob_[1] - fitted.feature_log_prob_[0]


def _order(scores: np.ndarray, seed: int) -> np.ndarray:
    """Positions by descending score, ties in a seeded random order."""
    tiebreak = np.random.default_rng(seed).random(len(scores))
    return np.lexsort((tiebreak, -scores))


def _driving_terms(features: ScreeningFeatures, rows: np.ndarray, weights, k: int) -> list[str]:
    """Per row, the ``k`` terms with the largest positive ``tf-idf x weight``, joined by ``, ``."""
    if weights is None or k <= 0 or len(rows) == 0:
        return [""] * len(rows)
    contribution = features.matrix[rows].multiply(np.maximum(weights, 0)).tocsr()
    contribution.eliminate_zeros()
    out = []
    for i in range(len(rows)):
        start, end = contribution.indptr[i], contribution.indptr[i + 1]
        values, columns = contribution.data[start:end], contribution.indices[start:end]
        best = columns[np.lexsort((columns, -values))[:k]]
        out.append(", ".join(features.terms[best]))
    return out


def _labelled(decisions: pd.DataFrame, papers: pd.DataFrame) -> pd.Series:
    """0/1 per decided id (title-and-abstract decisions), checked against the papers."""
    if not isinstance(decisions, pd.DataFrame):
        raise TypeError(f"decisions must be a pandas DataFrame or a path, not {type(decisions).__name__}")
    missing = [c for c in ("id", "decision") if c not in decisions.columns]
    if missing:
        raise ValueError(f"decisions lacks column(s) {missing}; it has {list(decisions.columns)}")
    from litreview.analysis.screening import title_abstract_decisions

    # (a blank decision is a paper not screened yet, as files say; a paper's PMID, DOI or earlier title: id: the
    # paper's, read before the stages, as the flow reads it)
    decisions = title_abstract_decisions(decisions, papers)
    ids = decisions["id"].astype(str)
    decision = decisions["decision"].astype(str).str.strip().str.lower()
    bad = decisions.index[~decision.isin(["include", "exclude"])]
    if len(bad):
        raise ValueError(f"decisions row {bad[0]}: decision {decisions.loc[bad[0], 'decision']!r} for "
                         f"{ids[bad[0]]!r} is not one of: include, exclude")
    twice = ids[ids.duplicated()]
    if len(twice):
        raise ValueError(f"decisions row {twice.index[0]}: {twice.iloc[0]!r} has a second decision; "
                         "keep one decision per paper")
    unknown = ~ids.isin(set(papers["id"].astype(str)))
    if unknown.any():
        raise ValueError(f"decisions row {ids.index[unknown][0]}: id {ids[unknown].iloc[0]!r} is not in the papers "
                         f"table ({int(unknown.sum())} such id(s)); fix the id or pass the papers it was screened in")
    return pd.Series((decision == "include").astype(int).to_numpy(), index=ids.to_numpy())


def _text(papers: pd.DataFrame) -> pd.Series:
    title = papers["title"].fillna("").astype(str) if "title" in papers else ""
    abstract = papers["abstract"].fillna("").astype(str) if "abstract" in papers else ""
    return title + " . " + abstract


def _check_papers(papers) -> None:
    if not isinstance(papers, pd.DataFrame):
        raise TypeError(f"papers must be a pandas DataFrame, not {type(papers).__name__}")
    if "id" not in papers.columns:
        raise ValueError(f"papers lacks an 'id' column; it has {list(papers.columns)}")
    if not ({"title", "abstract"} & set(papers.columns)):
        raise ValueError("papers needs a 'title' or an 'abstract' column to rank on")
    twice = papers["id"][papers["id"].duplicated()]
    if len(twice):
        raise ValueError(f"papers has the id {twice.iloc[0]!r} more than once; ids must be unique to screen")


def _check_choice(value, name: str, choices) -> None:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, one of {', '.join(choices)}; not {type(value).__name__}")
    if value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(choices)}; not {value!r}")
