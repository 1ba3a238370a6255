"""Fit the learned tag decision on hand labels, and measure it by nested cross-validation.

    python -m litreview.tagging.fit            # refit data/tagger/ from the labels in data/
    python bench/tag_quality.py               # how good it is: nested-CV and leave-one-source-out figures

Fitting, on the labelled papers (:func:`fit_tagger`):

1. The rules are matched once (the evidence table).
2. Out of fold (``folds`` folds): the cue precisions and each topic's text score
   are fitted on the other folds and computed for the held-out papers, so the
   decision learns how far to trust them on papers they were not fitted on.
3. One logistic model per topic over those features (and one pooled over all
   topics without the text score: the fallback for topics with no labels).
4. The probability threshold that gives the best micro-F1 over the folds'
   cross-validated probabilities (one for all topics, one for the fallback).
5. Cue precisions and text scores refitted on all the labelled papers.

Everything is seeded: the same labels give the same files.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from litreview.tagging.decision import FALLBACK, FittedTagger, save_tagger, tagger_dir
from litreview.tagging.evaluation import evaluate
from litreview.tagging.features import (
    FALLBACK_FEATURES,
    FEATURES,
    cue_counts,
    description_words,
    paper_texts,
    rule_evidence,
    smoothed_precision,
)
from litreview.tagging.labelsets import LabelsError, check_labels, known_ids, read_labels
from litreview.tagging.taxonomy import Taxonomy, load_taxonomy
from litreview.tagging.wordcount import WordCounter, tfidf, words

TEXT_C = 8.0  # inverse regularisation of each topic's text score
DECISION_C = 1.0  # inverse regularisation of the decision over the features
MIN_DF = 2  # a word in fewer training papers is not in the vocabulary
THRESHOLDS = np.round(np.arange(0.20, 0.71, 0.025), 3)


def fit_tagger(
    papers: pd.DataFrame,
    labels,
    taxonomy: Taxonomy | str | None = None,
    *,
    folds: int = 5,
    seed: int = 0,
    cv: bool = True,
) -> FittedTagger:
    """Fit the tag decision on ``labels`` of ``papers``; ``lr.tag(papers, tagger=...)`` uses the result.

    ``labels``: a table with ``id`` and ``topics`` (a list of slugs, or slugs separated by
    ``;`` or spaces; ``none`` for no topic) and optionally ``sure``, or a path to such a
    CSV, or a list of paths.  With ``cv=True`` the result's ``report`` holds nested
    cross-validated precision, recall and F1 per topic (on the ``sure`` labels).

    Parameters
    ----------
    papers : DataFrame
        A papers table holding the labelled papers (:func:`litreview.load`).
    labels : DataFrame, path or list of paths
        The hand labels, as above.
    taxonomy : Taxonomy or str, optional
        The taxonomy whose topics are fitted; ``None`` for the default.
    folds : int
        Cross-validation folds (for the decision's inputs, its threshold and ``report``).
    seed : int
        Seed of the fold split.
    cv : bool
        Also measure the fit by nested cross-validation (``report``): several times slower.

    Returns
    -------
    FittedTagger
        Pass it as ``lr.tag(papers, tagger=...)``; :func:`save_tagger` writes it.

    Examples
    --------
    Fitting takes seconds to minutes, so the example skips it and uses the tagger
    fitted on the shipped labels (:func:`load_tagger`), a ``FittedTagger`` like the result:

    >>> fitted = lr.fit_tagger(lr.load(), lr.load_labels(), cv=False)  # doctest: +SKIP
    >>> fitted = lr.load_tagger()
    >>> fitted.slugs[:3]
    ['peft', 'alignment', 'reasoning']
    >>> lr.tag(lr.load().head(1), tagger=fitted)["topics"].tolist()
    [['alignment', 'agents', 'retrieval']]
    """
    from litreview.tagging.tagger import _as_taxonomy, _check_papers

    taxonomy = _as_taxonomy(taxonomy)
    _check_papers(papers, ())
    labels = known_ids(_as_labels(labels, taxonomy), papers)
    if not len(labels):
        raise ValueError("labels: no labelled paper is in the papers table")
    data = _Data(papers.drop_duplicates("id").set_index("id").loc[labels["id"]].reset_index(), labels, taxonomy)
    tagger = _fit(data, np.arange(len(labels)), folds, seed)
    if cv:
        tagger.report = nested_cv(data, folds, seed)
    return tagger


def _as_labels(labels, taxonomy: Taxonomy) -> pd.DataFrame:
    if isinstance(labels, pd.DataFrame):
        if not {"id", "topics"} <= set(labels.columns):
            raise LabelsError(f"labels table needs the columns 'id' and 'topics'; it has {list(labels.columns)}")
        return check_labels(labels, taxonomy)
    if isinstance(labels, (str, bytes)) or hasattr(labels, "__fspath__"):
        return read_labels(labels, taxonomy)
    if isinstance(labels, (list, tuple)):
        return pd.concat([read_labels(p, taxonomy) for p in labels], ignore_index=True)
    raise TypeError(f"labels must be a DataFrame, a path or a list of paths, got {type(labels).__name__}")


class _Data:
    """The labelled papers (one row per label, in label order), their evidence and words."""

    def __init__(self, papers: pd.DataFrame, labels: pd.DataFrame, taxonomy: Taxonomy):
        from litreview.tagging.tagger import FIELDS, _evidence

        self.papers, self.labels, self.taxonomy = papers, labels, taxonomy
        fields = tuple(f for f in FIELDS if f in papers.columns)
        self.table = _evidence(papers, taxonomy, fields)[0]
        self.y = np.array([[s in t for s in taxonomy.slugs] for t in labels["topics"]], dtype=bool)
        self.words = [set(words(t)) for t in paper_texts(papers)]
        self.sure = labels["sure"].to_numpy(dtype=bool)

    def subset(self, index: np.ndarray) -> tuple[pd.DataFrame, pd.DataFrame]:
        papers = self.papers.iloc[index]
        return papers, self.table[self.table["id"].isin(set(papers["id"]))]


def _base(data: _Data, index: np.ndarray) -> FittedTagger:
    """Vocabulary, IDF, text scores and cue precisions fitted on the papers ``index`` (no decision yet)."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS
    from sklearn.linear_model import LogisticRegression

    taxonomy, slugs = data.taxonomy, data.taxonomy.slugs
    df: dict[str, int] = {}
    for i in index.tolist():
        for w in data.words[i]:
            df[w] = df.get(w, 0) + 1
    vocabulary = sorted(
        ({w for w, n in df.items() if n >= MIN_DF} | description_words(taxonomy)) - set(ENGLISH_STOP_WORDS)
    )
    idf = np.log((1 + len(index)) / (1 + np.array([df.get(w, 0) for w in vocabulary]))) + 1
    papers, table = data.subset(index)
    x = tfidf(WordCounter(vocabulary).counts(paper_texts(papers)), idf)
    y = data.y[index]
    text_weights = np.zeros((len(vocabulary), len(slugs)))
    intercepts = np.full(len(slugs), -10.0)
    for t in range(len(slugs)):
        if 0 < y[:, t].sum() < len(y):
            model = LogisticRegression(C=TEXT_C, solver="liblinear", random_state=0).fit(x, y[:, t])
            text_weights[:, t], intercepts[t] = model.coef_[0], model.intercept_[0]
    paper_codes, n_ids, rows = rule_evidence(table, papers["id"], taxonomy)
    counts = cue_counts(rows, y)  # the ids are unique: id code = row
    precision, prior = smoothed_precision(counts, slugs)
    cues = counts.assign(
        topic=counts["key"].str.split("\t").str[0],
        cue=counts["key"].str.split("\t").str[1],
        precision=precision.values(),
    )[["topic", "cue", "matched", "correct", "precision"]]
    pooled = (cues["correct"].sum() + 1) / (cues["matched"].sum() + 2)
    priors = pd.DataFrame({"topic": FALLBACK, "cue": [*slugs, FALLBACK], "matched": 0, "correct": 0})
    priors["precision"] = [*prior, pooled]
    weights = pd.DataFrame(
        0.0, index=["intercept", *FEATURES, "text_intercept", "threshold"], columns=[*slugs, FALLBACK]
    )
    weights.loc["text_intercept", slugs] = intercepts
    return FittedTagger(
        slugs=list(slugs),
        vocabulary=vocabulary,
        idf=idf,
        text_weights=text_weights,
        weights=weights,
        cues=pd.concat([cues.sort_values(["topic", "cue"]), priors], ignore_index=True),
    )


def _features(tagger: FittedTagger, data: _Data, index: np.ndarray) -> np.ndarray:
    papers, table = data.subset(index)
    return tagger.decide(papers, table, data.taxonomy).features


def _fit(data: _Data, index: np.ndarray, folds: int, seed: int) -> FittedTagger:
    """The whole fit (steps 1-5 of the module docstring) on the papers ``index``."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import KFold, StratifiedKFold, cross_val_predict

    n_topics = len(data.taxonomy.slugs)
    oof = np.zeros((len(index), n_topics, len(FEATURES)))
    for train, test in KFold(folds, shuffle=True, random_state=seed).split(index):
        oof[test] = _features(_base(data, index[train]), data, index[test])
    tagger = _base(data, index)
    y = data.y[index]
    probability = np.zeros(y.shape)
    inner = KFold(folds, shuffle=True, random_state=seed + 1)
    for t, slug in enumerate(data.taxonomy.slugs):
        if y[:, t].sum() < 2 or y[:, t].all():
            tagger.weights.loc[["intercept", *FEATURES], slug] = [-10.0] + [0.0] * len(FEATURES)
            continue
        model = LogisticRegression(C=DECISION_C, max_iter=2000)
        try:
            probability[:, t] = cross_val_predict(model, oof[:, t], y[:, t], cv=inner, method="predict_proba")[:, 1]
        except ValueError:  # a fold without a positive (few labels, few folds): split keeping both classes
            split = StratifiedKFold(min(folds, int(y[:, t].sum())), shuffle=True, random_state=seed + 1)
            probability[:, t] = cross_val_predict(model, oof[:, t], y[:, t], cv=split, method="predict_proba")[:, 1]
        model.fit(oof[:, t], y[:, t])
        tagger.weights.loc[["intercept", *FEATURES], slug] = [model.intercept_[0], *model.coef_[0]]
    tagger.weights.loc["threshold", data.taxonomy.slugs] = _best_threshold(probability, y)
    # The fallback: one model over all topics, without the text score.
    columns = [FEATURES.index(f) for f in FALLBACK_FEATURES]
    pooled_x, pooled_y = oof[:, :, columns].reshape(-1, len(columns)), y.reshape(-1)
    model = LogisticRegression(C=DECISION_C, max_iter=2000)
    pooled_p = cross_val_predict(model, pooled_x, pooled_y, cv=inner, method="predict_proba")[:, 1]
    model.fit(pooled_x, pooled_y)
    tagger.weights.loc[["intercept", *FALLBACK_FEATURES], FALLBACK] = [model.intercept_[0], *model.coef_[0]]
    tagger.weights.loc["threshold", FALLBACK] = _best_threshold(pooled_p.reshape(y.shape), y)
    return tagger


def _best_threshold(probability: np.ndarray, y: np.ndarray) -> float:
    """The threshold of ``THRESHOLDS`` with the best micro-F1 (the lowest among equals)."""
    best, best_f1 = 0.5, -1.0
    for threshold in THRESHOLDS:
        tagged = probability >= threshold
        tp = (tagged & y).sum()
        f1 = 2 * tp / (tagged.sum() + y.sum()) if tp else 0.0
        if f1 > best_f1 + 1e-12:
            best, best_f1 = float(threshold), f1
    return best


def _predict(tagger: FittedTagger, data: _Data, index: np.ndarray) -> np.ndarray:
    papers, table = data.subset(index)
    return tagger.decide(papers, table, data.taxonomy).tagged


def _scores(data: _Data, index: np.ndarray, tagged: np.ndarray, sure_only: bool = True) -> pd.DataFrame:
    keep = data.sure[index] if sure_only else np.ones(len(index), dtype=bool)
    slugs = data.taxonomy.slugs
    ids = data.labels["id"].to_numpy()[index][keep]
    predicted = pd.DataFrame({"id": ids, "topics": [[s for s, x in zip(slugs, r) if x] for r in tagged[keep]]})
    gold = pd.DataFrame({"id": ids, "topics": [[s for s, x in zip(slugs, r) if x] for r in data.y[index][keep]]})
    return evaluate(predicted, gold, slugs)


def nested_cv(data: _Data, folds: int = 5, seed: int = 0) -> pd.DataFrame:
    """Precision, recall and F1 per topic of the whole fit, measured on held-out folds (sure labels)."""
    from sklearn.model_selection import KFold

    everything = np.arange(len(data.labels))
    tagged = np.zeros(data.y.shape, dtype=bool)
    for train, test in KFold(folds, shuffle=True, random_state=seed + 2).split(everything):
        tagged[test] = _predict(_fit(data, train, folds, seed), data, test)
    return _scores(data, everything, tagged)


def leave_one_source_out(data: _Data, folds: int = 5, seed: int = 0) -> dict[str, pd.DataFrame]:
    """For each label source: the fit on the other sources, measured on it (sure labels)."""
    out = {}
    for source in data.labels["source"].unique():
        held = (data.labels["source"] == source).to_numpy()
        tagger = _fit(data, np.flatnonzero(~held), folds, seed)
        out[source] = _scores(data, np.flatnonzero(held), _predict(tagger, data, np.flatnonzero(held)))
    return out


def rules_alone(data: _Data, index: np.ndarray | None = None) -> pd.DataFrame:
    """The taxonomy's rules alone on the same papers (sure labels): the figure to beat."""
    index = np.arange(len(data.labels)) if index is None else index
    papers, table = data.subset(index)
    tagged_pairs = set(zip(table.loc[table["tagged"], "id"], table.loc[table["tagged"], "topic"]))
    tagged = np.array([[(pid, s) in tagged_pairs for s in data.taxonomy.slugs] for pid in papers["id"]])
    return _scores(data, index, tagged)


def default_data() -> _Data:
    """The shipped label sets, ready to fit on."""
    from litreview.tagging.labelsets import training_set

    taxonomy = load_taxonomy()
    papers, labels = training_set(taxonomy)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        labels = known_ids(labels, papers)
    return _Data(papers.set_index("id").loc[labels["id"]].reset_index(), labels, taxonomy)


def refit_default(folder=None) -> FittedTagger:
    """Fit on the shipped labels and write ``data/tagger/`` (or ``folder``)."""
    tagger = _fit(default_data(), np.arange(len(default_data().labels)), 5, 0)
    save_tagger(tagger, folder if folder is not None else tagger_dir())
    return tagger


def main(argv: list[str] | None = None) -> None:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m litreview.tagging.fit", description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=None, help="folder to write (default: data/tagger/)")
    args = parser.parse_args(argv)
    refit_default(args.out)
    print(f"wrote {args.out or tagger_dir()}  (bench/tag_quality.py prints how good it is)")


if __name__ == "__main__":
    main()
