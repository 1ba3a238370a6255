"""The learned tag decision: logistic weights per topic over rule evidence and two text scores, then a
second look that weighs each topic's probability against the paper's other topics and may hold it back.

A :class:`FittedTagger` holds everything the decision needs, all of it readable
(``data/tagger/`` holds the default one; :mod:`litreview.tagging.fit` makes it):

``vocabulary.csv``
    ``word``, ``idf``, then one column per topic: the word's weight in that
    topic's text score (a linear model over the paper's TF-IDF vector); then one
    ``title:<topic>`` column per topic: the word's weight in the same score over
    the title's own TF-IDF vector (a tagger saved before they existed: 0).
``weights.csv``
    ``topic``, ``feature``, ``weight``: the decision's logistic weights over the
    features of :mod:`litreview.tagging.features` (``intercept`` too; the text
    score's own intercept is ``text_intercept``); topic ``*`` is the model for
    topics without fitted weights (no text score).  ``second_intercept`` and the
    ``SECOND_FEATURES`` rows: the second look, a logistic model over the first
    probability's logit, the paper's best other topic's first probability and
    the sum of its other topics' (:func:`~litreview.tagging.features.second_look`):
    the topic's probability is the lower of the first and the second look's,
    so the second look can hold a topic back, never push one through (for
    ``*``, and in a tagger saved before it existed, ``first_logit`` 1 and the
    rest 0: the first probability unchanged).  ``threshold`` rows: the
    probability from which a topic is given.  ``field_floor`` rows: the
    :func:`~litreview.tagging.features.field_density` below which a paper is
    taken to be from outside the field of the labels, and gets none of the
    fitted topics (0 for ``*``: a topic of the user's is judged by its own
    description).
``cues.csv``
    ``topic``, ``cue``, ``matched``, ``correct``, ``precision``: how often each
    rule cue matched a labelled paper, how often that paper had the topic, and
    the smoothed precision the decision uses; topic ``*`` rows are the priors.
``stop_words.txt``
    the words the vocabulary leaves out (scikit-learn's English stop words at
    fit time, one per line), so that tagging never imports scikit-learn (a
    second on a kernel's first tag) to leave them out of a new topic's description.

A topic of the taxonomy in use whose slug has no weights (a new or renamed
topic, or another taxonomy) is decided by the ``*`` model: its rules and its
description's similarity to the paper, which need no labels.
"""

from __future__ import annotations

import functools
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from litreview.tagging.features import (
    FEATURES,
    SECOND_FEATURES,
    description_text,
    field_density,
    gap_to_best,
    paper_texts,
    paper_titles,
    rule_evidence,
    rule_features,
    second_look,
    text_chars,
)
from litreview.tagging.matching import _cores
from litreview.tagging.taxonomy import Taxonomy
from litreview.tagging.textscores import WordScores
from litreview.tagging.wordcount import WordCounter, tfidf, words

FALLBACK = "*"
TITLE = "title:"  # vocabulary.csv's columns of title weights: "title:<topic>"
WEIGHT_ROWS = ["intercept", *FEATURES, "text_intercept", "second_intercept", *SECOND_FEATURES, "threshold",
               "field_floor"]
# What a weights file without the second look's rows reads them as: the first probability unchanged.
SECOND_IDENTITY = {"second_intercept": 0.0, "first_logit": 1.0, "best_other": 0.0, "others_sum": 0.0}


def topic_fingerprint(topic) -> str:
    """A short digest of what a topic's weights were fitted on: its label, scope and rules.  A topic whose
    fingerprint differs from the fitted one was edited since, and its weights are stale."""
    import hashlib

    parts = [topic.label, topic.scope, *topic.terms, "|", *topic.acronyms, "|", *topic.supporting, "|",
             *topic.exclude, "|", str(topic.min_supporting)]
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:12]


@dataclass
class FittedTagger:
    """A fitted tag decision; :func:`litreview.tagging.fit.fit_tagger` makes one, ``lr.tag(tagger=...)`` uses it.

    ``report`` holds its nested cross-validated precision, recall and F1 per topic
    (when it was fitted with ``cv=True``).
    """

    slugs: list[str]
    vocabulary: list[str]
    idf: np.ndarray
    text_weights: np.ndarray  # (words, topics)
    weights: pd.DataFrame  # index: WEIGHT_ROWS; columns: slugs and "*"
    cues: pd.DataFrame  # topic, cue, matched, correct, precision
    report: pd.DataFrame | None = None
    fingerprints: dict = field(default_factory=dict)  # slug -> topic_fingerprint at fit time (empty: not checked)
    stop_words: frozenset | None = None  # the words the vocabulary leaves out (None: data/tagger/stop_words.txt)
    title_weights: np.ndarray | None = None  # (words, topics): of the title's own TF-IDF vector (None: none)
    _cache: dict = field(default_factory=dict, repr=False, compare=False)

    @functools.cached_property
    def counter(self) -> WordCounter:
        return WordCounter(self.vocabulary)

    @property
    def cue_precision(self) -> dict[str, float]:
        cues = self.cues[self.cues["topic"] != FALLBACK]
        return dict(zip(cues["topic"] + "\t" + cues["cue"], cues["precision"]))

    def priors(self, slugs: list[str]) -> np.ndarray:
        prior = dict(zip(*self.cues.loc[self.cues["topic"] == FALLBACK, ["cue", "precision"]].to_numpy().T))
        return np.array([float(prior.get(s, prior.get(FALLBACK, 0.5))) for s in slugs])

    def fits(self, topic) -> bool:
        """Whether this tagger's weights apply to ``topic``: fitted for its slug, on the same rules."""
        if topic.slug not in self.slugs:
            return False
        fitted = self.fingerprints.get(topic.slug)
        return fitted is None or fitted == topic_fingerprint(topic)

    def fitted_slugs(self, taxonomy: Taxonomy) -> list[str]:
        """The topics of ``taxonomy`` the fitted weights apply to (:meth:`fits`)."""
        return [t.slug for t in taxonomy.topics if self.fits(t)]

    def fallback_topics(self, taxonomy: Taxonomy) -> list[str]:
        """The topics of ``taxonomy`` this tagger has no fitted weights for, or stale ones (edited since)."""
        return [t.slug for t in taxonomy.topics if not self.fits(t)]

    def description_vectors(self, taxonomy: Taxonomy):
        """The topics' descriptions as TF-IDF rows, over the vocabulary plus the words of descriptions
        it lacks (a new topic's words: the highest IDF; English stop words left out, as in the
        vocabulary); cached per taxonomy."""
        key = taxonomy.topics
        if key not in self._cache:
            extra = sorted({w for t in taxonomy.topics for w in words(description_text(t))} - set(self.vocabulary))
            if extra:  # a topic the labels never described: leave its stop words out
                stop_words = self.stop_words if self.stop_words is not None else shipped_stop_words()
                extra = [w for w in extra if w not in stop_words]
            counter = WordCounter(self.vocabulary + extra)
            idf = np.concatenate([self.idf, np.full(len(extra), self.idf.max(initial=1.0))])
            vectors = tfidf(counter.counts([description_text(t) for t in taxonomy.topics]), idf)
            if len(self._cache) >= 4:
                self._cache.pop(next(iter(self._cache)))
            self._cache[key] = (counter, idf, vectors, len(self.vocabulary))
        return self._cache[key]

    def word_scores(self, taxonomy: Taxonomy) -> WordScores:
        """The words to count in papers for ``taxonomy`` and what their counts become (cached)."""
        key = ("scores", taxonomy.topics)
        if key not in self._cache:
            counter, idf, descriptions, n_vocab = self.description_vectors(taxonomy)
            # every fitted topic's text score, in the taxonomy or not: a topic's text_gap is to the best of these
            text = np.zeros((len(idf), len(self.slugs)))
            text[:n_vocab] = self.text_weights
            matrix = np.ascontiguousarray(np.hstack([text, descriptions.T.toarray()]))
            self._cache[key] = WordScores(tuple(counter.vocabulary), idf, matrix, n_vocab, len(self.slugs))
        return self._cache[key]

    def title_vectors(self, titles):
        """Each title's unit-length TF-IDF vector over the vocabulary (a sparse matrix, titles x words)."""
        return tfidf(self.counter.counts([t if isinstance(t, str) else "" for t in titles]), self.idf)

    def title_scores(self, titles) -> np.ndarray | None:
        """The titles' part of each fitted topic's text score, ``(papers, fitted topics)``: each title's
        :meth:`title_vectors` times ``title_weights`` (None without them)."""
        if self.title_weights is None or titles is None:
            return None
        return np.asarray(self.title_vectors(titles) @ self.title_weights)

    def decide(self, papers: pd.DataFrame, table: pd.DataFrame, taxonomy: Taxonomy) -> Decision:
        """Scores and tags of every (paper, topic) from ``papers`` and their evidence ``table``
        (counting the papers' words again: :func:`litreview.tag` counts them while matching)."""
        paper_codes, n_ids, rows = rule_evidence(table, papers["id"], taxonomy)
        counter, idf, _, n_vocab = self.description_vectors(taxonomy)
        counts = counter.counts(paper_texts(papers))
        scores = self.word_scores(taxonomy).of_counts(counts)
        decision = self.decide_counted(rows, paper_codes, n_ids, scores, taxonomy, chars=text_chars(papers),
                                       titles=paper_titles(papers))
        decision.vectors = tfidf(counts[:, :n_vocab], self.idf)  # for explanations
        return decision

    def decide_counted(
        self, rows, paper_codes: np.ndarray, n_ids: int, scores: np.ndarray, taxonomy: Taxonomy, features: bool = True,
        chars: np.ndarray | None = None, titles=None,
    ) -> Decision:
        """The decision from the rule rows (:func:`litreview.tagging.features.rule_evidence`) and
        each paper's :class:`WordScores` row; ``features=False`` keeps only the probabilities
        and tags (faster: :func:`litreview.tag` needs no more).  ``chars``: each paper's characters
        of text (:func:`~litreview.tagging.features.text_chars`), for the field floor (None: no floor).
        ``titles``: each paper's title, read a second time by the text scores (None: no title part).

        When each paper has an id of its own and the rows come by paper (as :func:`litreview.tag`
        makes them), blocks of papers are decided apart, in threads: the same numbers, in less memory.
        """
        deciding = self.deciding(taxonomy, len(paper_codes), features, chars, titles)
        paper = rows[0] if len(rows) > 0 and len(rows[0]) else np.zeros(0, np.int64)
        own_ids = n_ids == len(paper_codes) and (paper_codes == np.arange(n_ids)).all()
        if own_ids and not (paper[1:] < paper[:-1]).any():
            starts = list(range(0, n_ids, _BLOCK)) + [n_ids]
            ends = np.searchsorted(paper, starts).tolist()

            def block(i: int) -> None:
                (lo, hi), (first, last) = starts[i : i + 2], ends[i : i + 2]
                some = tuple(r[first:last] if isinstance(r, np.ndarray) else r for r in rows)
                deciding.block(some, lo, hi, scores[lo:hi])

            with ThreadPoolExecutor(max(1, min(len(starts) - 1, _cores()))) as pool:
                list(pool.map(block, range(len(starts) - 1)))
        else:
            rules = rule_features(rows, n_ids, taxonomy, deciding.cues, deciding.prior)
            if not n_ids:  # no paper has an id: no evidence to pool
                rules = np.zeros((len(paper_codes), *rules.shape[1:]))
            elif not own_ids:  # ids repeat or are missing
                rules = np.where((paper_codes >= 0)[:, None, None], rules[np.maximum(paper_codes, 0)], 0.0)
            table = None if deciding.table is None else (deciding.table, deciding.second)
            scores = deciding.titled(scores, 0, len(scores))
            density = _logits(rules, scores, deciding.weights, deciding.probability, table, deciding.floor, chars)
            if density is not None:
                deciding.density[:] = density
            deciding.decided[:] = True
        return deciding.decision(paper_codes)

    def deciding(self, taxonomy: Taxonomy, n_papers: int, features: bool = False, chars=None,
                 titles=None) -> _Deciding:
        """A decision for ``n_papers`` papers made block by block (:meth:`_Deciding.block`), as
        :func:`litreview.tag` makes it in the threads that scan the text; ``chars`` and ``titles`` as for
        :meth:`decide_counted`."""
        return _Deciding(self, taxonomy, n_papers, features, chars, titles)


class _Deciding:
    """The decision of :meth:`FittedTagger.decide_counted` for some papers, made by blocks of them: each
    block's rule features and :func:`_logits` (the same numbers, block by block or all at once)."""

    def __init__(self, tagger: FittedTagger, taxonomy: Taxonomy, n_papers: int, features: bool, chars=None,
                 titles=None):
        slugs = taxonomy.slugs
        usable = set(tagger.fitted_slugs(taxonomy))
        fitted = [i for i, s in enumerate(slugs) if s in usable]
        names = [s if s in usable else FALLBACK for s in slugs]
        weights = tagger.weights
        self.weights = (
            weights.loc[FEATURES, names].to_numpy(dtype=float),  # (features, topics)
            weights.loc["intercept", names].to_numpy(dtype=float),
            weights.loc["text_intercept", tagger.slugs].to_numpy(dtype=float),  # every fitted topic's
            fitted,  # the taxonomy's topics with fitted weights
            [tagger.slugs.index(slugs[i]) for i in fitted],  # and their columns among the tagger's
            weights.loc["second_intercept", names].to_numpy(dtype=float),
            weights.loc[SECOND_FEATURES, names].to_numpy(dtype=float),  # (second features, topics)
        )
        self.threshold = weights.loc["threshold", names].to_numpy(dtype=float)
        self.floor = weights.loc["field_floor", names].to_numpy(dtype=float)
        self.chars = self.density = None
        if chars is not None:
            self.measured(chars)
        self.taxonomy, self.cues, self.prior = taxonomy, tagger.cue_precision, tagger.priors(slugs)
        self.probability = np.empty((n_papers, len(slugs)))
        self.table = np.empty((n_papers, len(slugs), len(FEATURES))) if features else None
        self.second = np.empty((n_papers, len(slugs), len(SECOND_FEATURES))) if features else None
        self.decided = np.zeros(n_papers, dtype=bool)
        self.title = tagger.title_scores(titles)  # (papers, the tagger's topics): added to the text scores
        self.incomplete = self.complete = False  # (set by the tagger that makes it in the scanning threads)

    def measured(self, chars) -> None:
        """Each paper's characters of text (:func:`~litreview.tagging.features.text_chars`): with them, papers
        under the field floor get none of the fitted topics."""
        self.chars = np.asarray(chars)
        self.density = np.zeros(len(self.chars))  # (each paper's field_density, as its block is decided)

    def block(self, rows, lo: int, hi: int, scores: np.ndarray) -> None:
        """Decide papers ``lo`` to ``hi`` (each its own id) from their rule rows (paper codes from ``lo``;
        a tuple as :func:`~litreview.tagging.features.rule_evidence` gives) and their scores' rows."""
        rules = rule_features((rows[0] - lo, *rows[1:]), hi - lo, self.taxonomy, self.cues, self.prior)
        table = None if self.table is None else (self.table[lo:hi], self.second[lo:hi])
        chars = None if self.chars is None else self.chars[lo:hi]
        scores = self.titled(scores, lo, hi)
        density = _logits(rules, scores, self.weights, self.probability[lo:hi], table, self.floor, chars)
        if density is not None:
            self.density[lo:hi] = density
        self.decided[lo:hi] = True

    def titled(self, scores: np.ndarray, lo: int, hi: int) -> np.ndarray:
        """Papers ``lo`` to ``hi``'s rows of word scores with their titles' part added to the text scores."""
        if self.title is None:
            return scores
        scores = scores.copy()
        scores[:, : self.title.shape[1]] += self.title[lo:hi]
        return scores

    def decision(self, paper_codes: np.ndarray) -> Decision:
        """The decision; papers no block decided have no evidence and no counted word."""
        (undecided,) = np.nonzero(~self.decided)
        empty = (np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, bool), np.zeros(0, bool), [], None, None)
        if len(undecided):
            for run in np.split(undecided, np.flatnonzero(np.diff(undecided) != 1) + 1):
                lo, hi = int(run[0]), int(run[-1]) + 1
                self.block(empty, lo, hi, np.zeros((hi - lo, len(self.weights[2]) + len(self.taxonomy.slugs) + 1)))
        slugs = self.taxonomy.slugs
        outside = None
        if self.density is not None and (self.floor > 0).any():
            outside = self.density < self.floor.max()
        return Decision(slugs, self.probability, self.probability >= self.threshold, self.table, self.threshold,
                        paper_codes, None, outside, float(self.floor.max(initial=0.0)), self.density, self.second)


_BLOCK = 8192  # papers decided at once by decide_counted


def _logits(rules: np.ndarray, scores: np.ndarray, weights, probability: np.ndarray, table: tuple | None,
            floor: np.ndarray | None = None, chars: np.ndarray | None = None) -> np.ndarray | None:
    """Some papers' probabilities (into ``probability``) and features (into ``table``, a pair of arrays for
    ``FEATURES`` and ``SECOND_FEATURES``, unless None) from their rule features and word scores; ``weights``
    as ``decide_counted`` reads them.  With ``chars``, a paper whose :func:`field_density` is under a topic's
    ``floor`` gets probability 0, and the papers' densities are returned (None without ``chars``)."""
    w, intercept, text_intercept, fitted, own, second_intercept, second_w = weights
    n_text = len(text_intercept)
    every = scores[:, :n_text] + text_intercept  # the text score of every topic the tagger was fitted on
    text, text_gap = np.zeros(probability.shape), np.zeros(probability.shape)
    text[:, fitted] = every[:, own]
    text_gap[:, fitted] = gap_to_best(every)[:, own]
    similarity = scores[:, n_text:-1]
    n_rules = rules.shape[2]
    logit = np.einsum("ptf,ft->pt", rules, w[:n_rules]) + intercept
    for name, values in (("text_score", text), ("description_similarity", similarity), ("text_gap", text_gap)):
        logit += values * w[FEATURES.index(name)]
    judged = np.zeros(probability.shape[1], dtype=bool)
    judged[fitted] = True
    second = second_look(1.0 / (1.0 + np.exp(-logit)), judged)
    # (the lower of the two: learned on papers that each have a topic, the second look would also push a weak
    # topic through for a paper no topic fits, as in a corpus of another field; it may only hold one back)
    logit = np.minimum(np.einsum("ptf,ft->pt", second, second_w) + second_intercept, second[:, :, 0])
    probability[:] = 1.0 / (1.0 + np.exp(-logit))
    density = None if chars is None else field_density(scores[:, -1], chars)
    if density is not None and floor is not None and (floor > 0).any():
        # (the fitted weights were learned on papers of one field: a paper they can barely read is not judged)
        probability[density[:, None] < floor[None, :]] = 0.0
    if table is not None:
        table, second_table = table
        table[:, :, :n_rules] = rules
        for name, values in (("text_score", text), ("description_similarity", similarity), ("text_gap", text_gap)):
            table[:, :, FEATURES.index(name)] = values
        second_table[:] = second
    return density


@dataclass
class Decision:
    """Per (paper, topic): the probability, whether it is tagged, and the features behind it."""

    slugs: list[str]
    probability: np.ndarray  # (papers, topics)
    tagged: np.ndarray  # (papers, topics) bool
    features: np.ndarray  # (papers, topics, FEATURES)
    threshold: np.ndarray  # (topics,)
    paper_codes: np.ndarray  # each paper's id code (pd.factorize of the ids)
    vectors: object = None  # TF-IDF rows of the papers (for explanations; only from decide)
    outside: np.ndarray | None = None  # (papers,) below the field floor: no fitted topic (None: not checked)
    floor: float = 0.0  # the field floor of the fitted topics
    density: np.ndarray | None = None  # (papers,) field_density (None: not measured)
    second: np.ndarray | None = None  # (papers, topics, SECOND_FEATURES): the second look's inputs (with features)


# -- files ------------------------------------------------------------------------------------------------------------


def english_stop_words() -> frozenset:
    """scikit-learn's English stop words, which the fitted vocabulary leaves out."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS)


def shipped_stop_words() -> frozenset:
    """The stop words shipped in ``data/tagger/stop_words.txt`` (scikit-learn's, written at fit time): what
    tagging leaves out of a new topic's description for a tagger saved without its own list, so that tagging
    never imports scikit-learn."""
    return frozenset((tagger_dir() / "stop_words.txt").read_text(encoding="utf-8").split())


def tagger_dir() -> Path:
    from litreview.data import data_dir

    return data_dir() / "tagger"


def save_tagger(tagger: FittedTagger, folder: str | Path) -> list[Path]:
    """Write the three CSV files (rounded, sorted: diff-able) into ``folder``; returns their paths.

    Parameters
    ----------
    tagger : FittedTagger
        A tagger from :func:`~litreview.tagging.fit.fit_tagger` or :func:`load_tagger`.
    folder : str or Path
        Where to write; made if missing.

    Returns
    -------
    list of Path
        ``vocabulary.csv``, ``weights.csv``, ``cues.csv``, ``topics.csv`` (each topic's
        :func:`topic_fingerprint`) and ``stop_words.txt`` in ``folder``.

    Examples
    --------
    >>> import tempfile
    >>> folder = tempfile.mkdtemp()
    >>> [path.name for path in lr.save_tagger(lr.load_tagger(), folder)]
    ['vocabulary.csv', 'weights.csv', 'cues.csv', 'topics.csv', 'stop_words.txt']
    >>> lr.load_tagger(folder).slugs == lr.load_tagger().slugs
    True
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    vocabulary = pd.DataFrame({"word": tagger.vocabulary, "idf": np.round(tagger.idf, 4)})
    for i, slug in enumerate(tagger.slugs):
        vocabulary[slug] = np.round(tagger.text_weights[:, i], 4)
    if tagger.title_weights is not None:
        for i, slug in enumerate(tagger.slugs):
            vocabulary[f"{TITLE}{slug}"] = np.round(tagger.title_weights[:, i], 4)
    weights = tagger.weights.round(4).rename_axis("feature").reset_index()
    weights = weights.melt(id_vars="feature", var_name="topic", value_name="weight")[["topic", "feature", "weight"]]
    cues = tagger.cues.assign(precision=tagger.cues["precision"].round(4))
    fingerprints = [tagger.fingerprints.get(s, "") for s in tagger.slugs]
    topics = pd.DataFrame({"topic": tagger.slugs, "fingerprint": fingerprints})
    paths = [folder / "vocabulary.csv", folder / "weights.csv", folder / "cues.csv", folder / "topics.csv"]
    for frame, path in zip((vocabulary, weights, cues, topics), paths):
        frame.to_csv(path, index=False, lineterminator="\n")
    stop_words = tagger.stop_words if tagger.stop_words is not None else english_stop_words()
    paths.append(folder / "stop_words.txt")
    paths[-1].write_text("".join(f"{w}\n" for w in sorted(stop_words)), encoding="utf-8")
    return paths


def load_tagger(folder: str | Path | None = None) -> FittedTagger:
    """Read a tagger written by :func:`save_tagger` (the default one: ``data/tagger/``).

    Parameters
    ----------
    folder : str or Path, optional
        A folder :func:`save_tagger` wrote; ``None`` for the tagger fitted on the shipped labels.

    Returns
    -------
    FittedTagger
        Pass it as ``lr.tag(papers, tagger=...)``.

    Examples
    --------
    >>> tagger = lr.load_tagger()
    >>> len(tagger.slugs), tagger.slugs[:2]
    (16, ['peft', 'alignment'])
    """
    folder = Path(folder) if folder is not None else tagger_dir()
    vocabulary = pd.read_csv(folder / "vocabulary.csv", keep_default_na=False, dtype={"word": str})
    weights = pd.read_csv(folder / "weights.csv", keep_default_na=False, dtype={"topic": str, "feature": str})
    cues = pd.read_csv(folder / "cues.csv", keep_default_na=False, dtype={"topic": str, "cue": str})
    slugs = [c for c in vocabulary.columns if c not in ("word", "idf") and not c.startswith(TITLE)]
    titled = all(f"{TITLE}{s}" in vocabulary.columns for s in slugs)
    fingerprints = {}
    if (folder / "topics.csv").is_file():  # (a tagger saved before fingerprints were kept has none)
        topics = pd.read_csv(folder / "topics.csv", keep_default_na=False, dtype=str)
        fingerprints = {t: f for t, f in zip(topics["topic"], topics["fingerprint"]) if f}
    table = weights.pivot(index="feature", columns="topic", values="weight")
    missing = [r for r in ("intercept", "text_intercept", "threshold") if r not in table.index]
    unknown = sorted(set(table.index) - set(WEIGHT_ROWS))
    if missing or unknown:
        raise ValueError(f"{folder / 'weights.csv'}: " + (f"no {', '.join(missing)} rows" if missing else
                         f"features this version does not know: {', '.join(unknown)}") +
                         "; write it again with lr.save_tagger, or refit it (python -m litreview.tagging.fit)")
    # A tagger saved before a feature (or the field floor) existed gives it weight 0, and before the second look
    # its identity: its decision is unchanged.
    table = table.reindex(WEIGHT_ROWS, fill_value=0.0)
    for row, value in SECOND_IDENTITY.items():
        if row not in weights["feature"].values:
            table.loc[row] = value
    stop_file = folder / "stop_words.txt"  # (a tagger saved before it was written has none: scikit-learn's)
    stop_words = frozenset(stop_file.read_text(encoding="utf-8").split()) if stop_file.is_file() else None
    return FittedTagger(
        slugs=slugs,
        vocabulary=vocabulary["word"].tolist(),
        idf=vocabulary["idf"].to_numpy(dtype=float),
        text_weights=vocabulary[slugs].to_numpy(dtype=float),
        title_weights=vocabulary[[f"{TITLE}{s}" for s in slugs]].to_numpy(dtype=float) if titled else None,
        weights=table[[*slugs, FALLBACK]],
        cues=cues,
        fingerprints=fingerprints,
        stop_words=stop_words,
    )


_DEFAULT: dict = {}


def default_tagger() -> FittedTagger:
    """The tagger fitted on the labels shipped in ``data/`` (read once per process and folder)."""
    folder = tagger_dir()
    stamp = tuple((p.name, p.stat().st_mtime_ns) for p in sorted(folder.glob("*.csv")))
    if _DEFAULT.get("key") != (folder, stamp):
        _DEFAULT.update(key=(folder, stamp), tagger=load_tagger(folder))
    return _DEFAULT["tagger"]
