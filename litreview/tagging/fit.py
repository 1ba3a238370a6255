"""Fit the learned tag decision on labels, and measure it by nested cross-validation.

    python -m litreview.tagging.fit            # refit data/tagger/ from the labels in data/
    python bench/tag_quality.py               # how good it is: nested-CV and leave-one-source-out figures

Fitting, on the labelled papers (:func:`fit_tagger`):

1. The rules are matched and the words counted once (:class:`_Data`); every fold
   below takes rows of those.
2. Out of fold (``folds`` folds): the cue precisions and each topic's text score
   are fitted on the other folds and computed for the held-out papers, so the
   decision learns how far to trust them on papers they were not fitted on.
3. The decision: logistic weights per topic over those features, drawn toward
   weights shared by all topics (one fit over all topics' rows, see
   :func:`_decision`), its regularisation chosen among
   ``DECISION_CS`` by the inner folds' micro-F1; and one model shared by all
   topics without the text score (the fallback for topics with no labels).
4. The second look (:func:`~litreview.tagging.features.second_look`): a logistic
   model over the inner folds' probabilities of step 3 (each topic's, weighed
   against the paper's best other topic's and the sum of its other topics'),
   with an intercept per topic and weights shared by all topics (``SECOND_C``).
   A paper is mostly about one or two topics: a topic that scores fairly well
   for a paper another topic fits far better is held back.  A topic's
   probability is the lower of the two looks': the second model also learns
   that every labelled paper has some topic, and alone would push a weak topic
   through for a paper no topic fits (a paper of another field: on the clinical
   reviews of the shared fixtures it gave 60-100% more tags, every one false).
5. The probability threshold with the best micro-F1 over the inner folds'
   probabilities (the lower of the two looks') among those reaching
   ``MIN_PRECISION`` (one for all topics, one for the fallback, which has no
   second look).
6. Cue precisions and text scores refitted on all the labelled papers.

Nothing in 3 to 5 sees a paper held out by :func:`nested_cv` or
:func:`leave_one_source_out`: they refit the whole of it on the other papers.

Everything is seeded: the same labels give the same files.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from litreview.tagging.decision import (
    FALLBACK,
    SECOND_IDENTITY,
    WEIGHT_ROWS,
    FittedTagger,
    english_stop_words,
    save_tagger,
    tagger_dir,
    topic_fingerprint,
)
from litreview.tagging.evaluation import evaluate
from litreview.tagging.features import (
    FALLBACK_FEATURES,
    FEATURES,
    SECOND_FEATURES,
    cue_counts,
    description_text,
    description_words,
    field_density,
    gap_to_best,
    paper_texts,
    paper_titles,
    rule_evidence,
    rule_features,
    second_look,
    smoothed_precision,
    text_chars,
)
from litreview.tagging.labelsets import LabelsError, check_labels, known_ids, read_labels
from litreview.tagging.taxonomy import Taxonomy, load_taxonomy
from litreview.tagging.wordcount import WordCounter, tfidf, words

TEXT_C = 8.0  # inverse regularisation of each topic's text score
# The text score reads the title twice: the paper's TF-IDF vector (all its fields), and its title's own
# (unit-length) TF-IDF vector times TITLE_SCALE beside it, with weights of its own.  On the shipped labels
# (bench/tag_quality.py, fold seeds 0-9) 0.5 lifted pooled leave-one-source-out micro-F1 from 0.8175 to 0.8232
# (nested CV 0.8493 to 0.8513).  Seeds 0-4 (from 0.8194): 0.4-0.6 measured alike (0.823-0.824), 1.0 worse
# (0.816), as did the title as a decision feature of its own (0.788), title words counted three times (0.820)
# and word bigrams in the TF-IDF vector (0.800-0.812).
TITLE_SCALE = 0.5
DECISION_CS = (0.1, 1.0, 10.0)  # inverse regularisations of the decision tried (the best on inner folds is kept)
DECISION = "hybrid"  # see _decision
# How far a topic's weights may stray from the shared ones: its own copies of the features are scaled by this
# before the (L2-penalised) fit, so a deviation costs 1 / DEVIATION_SCALE**2 times the penalty of a shared weight.
DEVIATION_SCALE = 0.5
SECOND_C = 1.0  # inverse regularisation of the second look
# liblinear's stopping tolerance, far below its default (1e-4): the fit converges, so the weights are the
# same on every CPU (at 1e-4 they moved by up to 0.007 between two machines' BLAS kernels).
TOL = 1e-8
MIN_DF = 2  # a word in fewer training papers is not in the vocabulary
THRESHOLDS = np.round(np.arange(0.20, 0.71, 0.025), 3)
MIN_PRECISION = 0.78  # the threshold must reach this precision on the inner folds (when any does)
# The field floor: this percentile of the labelled papers' field density, measured out of fold (each paper
# read by a vocabulary fitted without it); 1 in 100 labelled papers falls below it.
FIELD_FLOOR_PERCENTILE = 1.0


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
    ``;`` or spaces; ``none`` for no topic) and optionally ``sure`` and ``measured`` (False: fit on
    the label, never score with it), or a path to such a CSV, or a list of paths.  With ``cv=True``
    the result's ``report`` holds nested cross-validated precision, recall and F1 per topic (on the
    ``sure``, measured labels).

    Parameters
    ----------
    papers : DataFrame
        A papers table holding the labelled papers (:func:`litreview.load`).
    labels : DataFrame, path or list of paths
        The labels, as above.
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
    """The labelled papers (one row per label, in label order), their rule evidence and word counts,
    computed once: every fold of the fit and of its measurement takes rows of these."""

    def __init__(self, papers: pd.DataFrame, labels: pd.DataFrame, taxonomy: Taxonomy):
        from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

        from litreview.tagging.tagger import FIELDS, _evidence

        self.papers, self.labels, self.taxonomy = papers, labels, taxonomy
        fields = tuple(f for f in FIELDS if f in papers.columns)
        self.table = _evidence(papers, taxonomy, fields)[0]
        self.y = np.array([[s in t for s in taxonomy.slugs] for t in labels["topics"]], dtype=bool)
        self.sure = labels["sure"].to_numpy(dtype=bool)
        # (labels made to fit on only, data/labels/README.md: never scored)
        self.measured = labels["measured"].to_numpy(dtype=bool)
        texts = paper_texts(papers)
        described = description_words(taxonomy)
        self.words = sorted(({w for t in texts for w in words(t)} | described) - set(ENGLISH_STOP_WORDS))
        self.described = np.array([w in described for w in self.words], dtype=bool)
        counter = WordCounter(self.words)
        self.counts = counter.counts(texts)  # papers x words
        self.description_counts = counter.counts([description_text(t) for t in taxonomy.topics])
        self.title_counts = counter.counts(paper_titles(papers))
        self.present = (self.counts > 0).astype(np.int64).tocsc()
        self.chars = text_chars(papers)
        # The ids are unique and in label order: a paper's code in the rule rows is its row.
        self.rows = rule_evidence(self.table, papers["id"], taxonomy)[2]

    def subset(self, index: np.ndarray) -> tuple[pd.DataFrame, pd.DataFrame]:
        papers = self.papers.iloc[index]
        return papers, self.table[self.table["id"].isin(set(papers["id"]))]


def _rows_of(rows, chosen: np.ndarray):
    """The rule rows of the papers marked in ``chosen`` (a mask over paper codes)."""
    paper, topic, title, term, keys, pair_codes, extra = rows
    if not len(paper):
        return rows
    keep = chosen[paper]
    return paper[keep], topic[keep], title[keep], term[keep], keys, pair_codes[keep], extra


def _base(data: _Data, index: np.ndarray) -> tuple[FittedTagger, np.ndarray]:
    """Vocabulary, IDF, text scores and cue precisions fitted on the papers ``index`` (no decision yet);
    and the vocabulary's columns in ``data.counts``."""
    from sklearn.linear_model import LogisticRegression

    slugs = data.taxonomy.slugs
    df = np.asarray(data.present[index].sum(axis=0)).ravel()
    columns = np.flatnonzero((df >= MIN_DF) | data.described)
    vocabulary = [data.words[i] for i in columns.tolist()]
    idf = np.log((1 + len(index)) / (1 + df[columns])) + 1
    x = _text_design(data, index, columns, idf)
    y = data.y[index]
    text_weights = np.zeros((len(vocabulary), len(slugs)))
    title_weights = np.zeros((len(vocabulary), len(slugs)))
    intercepts = np.full(len(slugs), -10.0)
    for t in range(len(slugs)):
        if 0 < y[:, t].sum() < len(y):
            model = LogisticRegression(C=TEXT_C, solver="liblinear", tol=TOL, random_state=0).fit(x, y[:, t])
            text_weights[:, t], intercepts[t] = model.coef_[0, : len(vocabulary)], model.intercept_[0]
            # (the scale folded into the weights: the tagger multiplies them by the title's unit vector)
            title_weights[:, t] = TITLE_SCALE * model.coef_[0, len(vocabulary) :]
    chosen = np.zeros(len(data.y), dtype=bool)
    chosen[index] = True
    counts = cue_counts(_rows_of(data.rows, chosen), data.y)
    counts = counts[counts["matched"] > 0].reset_index(drop=True)
    precision, prior = smoothed_precision(counts, slugs)
    cues = counts.assign(
        topic=counts["key"].str.split("\t").str[0],
        cue=counts["key"].str.split("\t").str[1],
        precision=list(precision.values()),
    )[["topic", "cue", "matched", "correct", "precision"]]
    pooled = (cues["correct"].sum() + 1) / (cues["matched"].sum() + 2)
    priors = pd.DataFrame({"topic": FALLBACK, "cue": [*slugs, FALLBACK], "matched": 0, "correct": 0})
    priors["precision"] = [*prior, pooled]
    weights = pd.DataFrame(0.0, index=WEIGHT_ROWS, columns=[*slugs, FALLBACK])
    weights.loc["text_intercept", slugs] = intercepts
    for row, value in SECOND_IDENTITY.items():  # (the fallback's; the fitted topics' are refitted in _fit)
        weights.loc[row] = value
    tagger = FittedTagger(
        slugs=list(slugs),
        vocabulary=vocabulary,
        idf=idf,
        text_weights=text_weights,
        title_weights=title_weights,
        weights=weights,
        cues=pd.concat([cues.sort_values(["topic", "cue"]), priors], ignore_index=True),
        stop_words=english_stop_words(),
    )
    return tagger, columns


def _text_design(data: _Data, index: np.ndarray, columns: np.ndarray, idf: np.ndarray):
    """The text score's inputs for the papers ``index``: their TF-IDF vectors, then their titles' times
    ``TITLE_SCALE``."""
    from scipy import sparse

    return sparse.hstack([tfidf(data.counts[index][:, columns], idf),
                          TITLE_SCALE * tfidf(data.title_counts[index][:, columns], idf)]).tocsr()


def _features(fitted: tuple[FittedTagger, np.ndarray], data: _Data, index: np.ndarray) -> np.ndarray:
    """The decision's features of the papers ``index``, as :meth:`FittedTagger.decide` computes them."""
    tagger, columns = fitted
    slugs = data.taxonomy.slugs
    chosen = np.zeros(len(data.y), dtype=bool)
    chosen[index] = True
    rules = rule_features(_rows_of(data.rows, chosen), len(data.y), data.taxonomy, tagger.cue_precision,
                          tagger.priors(slugs))[index]
    vectors = tfidf(data.counts[index][:, columns], tagger.idf)
    descriptions = tfidf(data.description_counts[:, columns], tagger.idf)  # as description_vectors makes them
    out = np.zeros((len(index), len(slugs), len(FEATURES)))
    out[:, :, : rules.shape[2]] = rules
    out[:, :, FEATURES.index("description_similarity")] = (vectors @ descriptions.T).toarray()
    text = vectors @ tagger.text_weights + tagger.weights.loc["text_intercept", slugs].to_numpy(dtype=float)
    text += tfidf(data.title_counts[index][:, columns], tagger.idf) @ tagger.title_weights
    out[:, :, FEATURES.index("text_score")] = text
    out[:, :, FEATURES.index("text_gap")] = gap_to_best(text)  # (the fitted topics are the taxonomy's here)
    return out


def _fit(data: _Data, index: np.ndarray, folds: int, seed: int) -> FittedTagger:
    """The whole fit (steps 1-6 of the module docstring) on the papers ``index``."""
    from sklearn.model_selection import KFold

    n_topics = len(data.taxonomy.slugs)
    oof = np.zeros((len(index), n_topics, len(FEATURES)))
    density = np.zeros(len(index))  # out of fold: as a paper the vocabulary never saw reads
    for train, test in KFold(folds, shuffle=True, random_state=seed).split(index):
        fitted = _base(data, index[train])
        oof[test] = _features(fitted, data, index[test])
        used = np.asarray(data.counts[index[test]][:, fitted[1]].sum(axis=1)).ravel()
        density[test] = field_density(used, data.chars[index[test]])
    tagger = _base(data, index)[0]
    y = data.y[index]
    fold = np.zeros(len(index), dtype=np.int64)  # the inner folds (by paper) the threshold is chosen over
    for number, (_, test) in enumerate(KFold(folds, shuffle=True, random_state=seed + 1).split(index)):
        fold[test] = number
    slugs = data.taxonomy.slugs
    # The decision's regularisation, chosen on the inner folds' predictions (never on held-out papers).
    fits = [_decision(oof, y, fold, DECISION, c) for c in DECISION_CS]
    intercept, weights, probability = max(fits, key=lambda f: _best_f1(f[2], y))
    tagger.weights.loc["intercept", slugs] = intercept
    tagger.weights.loc[FEATURES, slugs] = weights.T
    # The second look, on the same inner folds' probabilities (every topic here has fitted weights).
    second = second_look(probability, np.ones(n_topics, dtype=bool))
    first = probability
    intercept, weights, probability = _decision(second, y, fold, "pooled", SECOND_C)
    probability = np.minimum(probability, first)  # (it may hold a topic back, never push one through)
    tagger.weights.loc["second_intercept", slugs] = intercept
    tagger.weights.loc[SECOND_FEATURES, slugs] = weights.T
    tagger.weights.loc["threshold", slugs] = _best_threshold(probability, y)
    tagger.weights.loc["field_floor", slugs] = np.percentile(density, FIELD_FLOOR_PERCENTILE)
    # The fallback: one model shared by all topics, without the text score.
    columns = [FEATURES.index(f) for f in FALLBACK_FEATURES]
    intercept, weights, probability = _decision(oof[:, :, columns], y, fold, "shared")
    tagger.weights.loc[["intercept", *FALLBACK_FEATURES], FALLBACK] = [intercept[0], *weights[0]]
    tagger.weights.loc["threshold", FALLBACK] = _best_threshold(probability, y)
    # What each topic's weights were fitted on: an edited topic falls back rather than use stale weights.
    tagger.fingerprints = {t.slug: topic_fingerprint(t) for t in data.taxonomy.topics if t.slug in tagger.slugs}
    return tagger


def _decision(x: np.ndarray, y: np.ndarray, fold: np.ndarray, kind: str, c: float = 1.0):
    """Logistic weights over the features ``x`` (papers, topics, features) for the labels ``y``:
    per topic ``(intercept, weights)``, and the probabilities of each paper predicted by the
    model fitted without its ``fold``.

    ``kind``: ``"per_topic"``, weights of each topic's own (one model over all topics' rows,
    so one penalty and one fit); ``"shared"``, one set of weights for all topics (the
    fallback: it applies to topics no label describes); ``"pooled"``, shared weights and an
    intercept per topic; ``"hybrid"``, shared weights plus per-topic deviations, penalised
    more than the shared weights (``DEVIATION_SCALE``).  On the shipped labels (bench/tag_quality.py)
    ``hybrid`` measured best on papers of a source the fit never saw (on the 522 hand-labelled papers,
    before the team's labels: pooled leave-one-source-out micro-F1 0.777-0.787 over three fold seeds,
    against 0.757-0.775 for ``per_topic`` with the same features; nested CV 0.823-0.840 against
    0.818-0.825).  Both ``pooled`` and ``hybrid``
    take "controllable" in "Controllable puzzle generation" (about Sudoku) for the topic.
    """
    from sklearn.linear_model import LogisticRegression

    n, n_topics, n_features = x.shape
    design = _design(x, kind)
    target, groups = y.reshape(-1), np.repeat(fold, n_topics)
    probability = np.zeros(len(target))
    for number in np.unique(fold).tolist():
        held = groups == number
        if target[~held].any():
            model = LogisticRegression(C=c, solver="liblinear", tol=TOL, random_state=0)
            probability[held] = model.fit(design[~held], target[~held]).predict_proba(design[held])[:, 1]
    model = LogisticRegression(C=c, solver="liblinear", tol=TOL, random_state=0).fit(design, target)
    coef = model.coef_[0]
    shared = n_features if kind != "per_topic" else 0  # columns of the weights shared by all topics
    weights = np.tile(coef[:shared], (n_topics, 1)) if shared else np.zeros((n_topics, n_features))
    intercept = np.full(n_topics, model.intercept_[0])
    if kind != "shared":
        intercept += coef[shared : shared + n_topics]
    if kind in ("hybrid", "per_topic"):
        scale = DEVIATION_SCALE if kind == "hybrid" else 1.0
        weights += coef[shared + n_topics :].reshape(n_topics, n_features) * scale
    return intercept, weights, probability.reshape(y.shape)


def _design(x: np.ndarray, kind: str) -> np.ndarray:
    """One row per (paper, topic): the features, then (by ``kind``) topic indicators and per-topic copies."""
    n, n_topics, n_features = x.shape
    flat = x.reshape(-1, n_features)
    if kind == "shared":
        return flat
    indicator = np.tile(np.eye(n_topics), (n, 1))
    if kind == "pooled":
        return np.hstack([flat, indicator])
    per_topic = (indicator[:, :, None] * flat[:, None, :]).reshape(len(flat), -1)
    if kind == "hybrid":
        per_topic *= DEVIATION_SCALE
    return np.hstack([indicator, per_topic] if kind == "per_topic" else [flat, indicator, per_topic])


def _best_f1(probability: np.ndarray, y: np.ndarray) -> float:
    """The micro-F1 at the best threshold."""
    tagged = probability >= _best_threshold(probability, y)
    return 2 * (tagged & y).sum() / max(tagged.sum() + y.sum(), 1)


def _best_threshold(probability: np.ndarray, y: np.ndarray) -> float:
    """The threshold of ``THRESHOLDS`` with the best micro-F1 (the lowest among equals) among those
    whose precision reaches ``MIN_PRECISION`` (all of them when none does)."""
    tagged = probability[None] >= THRESHOLDS[:, None, None]
    tp = (tagged & y).sum(axis=(1, 2))
    n_tagged = tagged.sum(axis=(1, 2))
    f1 = 2 * tp / np.maximum(n_tagged + y.sum(), 1)
    precise = tp >= MIN_PRECISION * n_tagged
    if precise.any():
        f1 = np.where(precise, f1, -1.0)
    return float(THRESHOLDS[int(np.argmax(f1))])


def _predict(tagger: FittedTagger, data: _Data, index: np.ndarray) -> np.ndarray:
    papers, table = data.subset(index)
    return tagger.decide(papers, table, data.taxonomy).tagged


def _scores(data: _Data, index: np.ndarray, tagged: np.ndarray, sure_only: bool = True) -> pd.DataFrame:
    keep = data.measured[index] & (data.sure[index] if sure_only else True)
    slugs = data.taxonomy.slugs
    ids = data.labels["id"].to_numpy()[index][keep]
    predicted = pd.DataFrame({"id": ids, "topics": [[s for s, x in zip(slugs, r) if x] for r in tagged[keep]]})
    gold = pd.DataFrame({"id": ids, "topics": [[s for s, x in zip(slugs, r) if x] for r in data.y[index][keep]]})
    return evaluate(predicted, gold, slugs)


def nested_cv(data: _Data, folds: int = 5, seed: int = 0) -> pd.DataFrame:
    """Precision, recall and F1 per topic of the whole fit, measured on held-out folds (sure, measured labels)."""
    from sklearn.model_selection import KFold

    everything = np.arange(len(data.labels))
    tagged = np.zeros(data.y.shape, dtype=bool)
    for train, test in KFold(folds, shuffle=True, random_state=seed + 2).split(everything):
        tagged[test] = _predict(_fit(data, train, folds, seed), data, test)
    return _scores(data, everything, tagged)


def leave_one_source_out(data: _Data, folds: int = 5, seed: int = 0) -> dict[str, pd.DataFrame]:
    """For each label source: the fit on the other sources, measured on it (sure, measured labels)."""
    out = {}
    for source in data.labels["source"].unique():
        held = (data.labels["source"] == source).to_numpy()
        tagger = _fit(data, np.flatnonzero(~held), folds, seed)
        out[source] = _scores(data, np.flatnonzero(held), _predict(tagger, data, np.flatnonzero(held)))
    return out


def rules_alone(data: _Data, index: np.ndarray | None = None) -> pd.DataFrame:
    """The taxonomy's rules alone on the same papers (sure, measured labels): the figure to beat."""
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
    data = default_data()
    tagger = _fit(data, np.arange(len(data.labels)), 5, 0)
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
