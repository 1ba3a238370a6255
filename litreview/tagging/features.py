"""What the learned tag decision looks at, per (paper, topic): rule evidence and two text scores.

Rule evidence comes from the evidence table (one row per rule match, see
:func:`litreview.tagging.tagger.evidence`); the text scores from the paper's
TF-IDF vector (:mod:`litreview.tagging.wordcount`).

``title_match``
    1 when a rule of the topic matches in the title.
``term_matches``, ``supporting_matches``
    ``log(1 + n)`` of the topic's term and supporting-cue matches outside the title.
``distinct_cues``
    ``log(1 + n)`` of the different cues of the topic that match anywhere.
``rule_tagged``
    1 when the taxonomy's rules alone tag the paper.
``cue_precision``
    the highest measured precision among the matched cues: of the labelled papers
    in which the cue matches, the share labelled with the topic, smoothed
    towards the topic's share over all its cues (0 when nothing matches).
``text_score``
    a linear score of the paper's words for the topic, fitted on labels: of its
    TF-IDF vector (all its fields), and of its title's own TF-IDF vector.
``description_similarity``
    cosine similarity of the paper's words with the topic's own description (its
    label, scope, terms, acronyms and supporting cues); it needs no labels.
``text_gap``
    how far the topic's text score falls below the best text score of the
    paper among all the topics the tagger was fitted on (whether the taxonomy
    in use keeps them or not, so removing or editing a topic changes no other
    topic's gap): 0 for the paper's best topic, negative for the others.  A
    paper is mostly about one or two topics, so a neighbouring topic that
    scores well only because the paper's own topic shares its words (a
    jailbreak attack on "aligned" models scoring for alignment) is held back.

The second look (``SECOND_FEATURES``) weighs each topic's first probability, from the
features above, against the paper's other topics (the taxonomy's topics with fitted
weights), and may lower it (:mod:`litreview.tagging.decision`):

``first_logit``
    the first probability's logit (held within +-13.8).
``best_other``
    the highest first probability among the paper's other topics.
``others_sum``
    the sum of the first probabilities of the paper's other topics.
"""

from __future__ import annotations

import itertools
import operator

import numpy as np
import pandas as pd

from litreview.tagging.matching import _Rule
from litreview.tagging.taxonomy import Taxonomy
from litreview.tagging.wordcount import words

RULE_FEATURES = ["title_match", "term_matches", "supporting_matches", "distinct_cues", "rule_tagged", "cue_precision"]
TEXT_FEATURES = ["text_score", "description_similarity", "text_gap"]
FEATURES = RULE_FEATURES + TEXT_FEATURES
# for topics without fitted weights
FALLBACK_FEATURES = [f for f in FEATURES if f not in ("text_score", "text_gap")]
SECOND_FEATURES = ["first_logit", "best_other", "others_sum"]
_FIRST_LIMIT = 1e-6  # first probabilities are held within [1e-6, 1 - 1e-6]: their logits within +-13.8


def gap_to_best(scores: np.ndarray) -> np.ndarray:
    """``scores`` (papers, topics) minus each paper's highest score: 0 for the paper's best topic,
    negative for the others."""
    if scores.shape[1] == 0:
        return np.zeros(scores.shape)
    return scores - scores.max(axis=1, keepdims=True)


def second_look(probability: np.ndarray, judged: np.ndarray) -> np.ndarray:
    """The second look's inputs (``SECOND_FEATURES``) per (paper, topic), an array (papers, topics, 3), from
    the first probabilities (papers, topics); ``judged`` marks the topics counted as a paper's other topics
    (with fitted weights: a fallback topic's probability comes from another model)."""
    held = np.clip(probability, _FIRST_LIMIT, 1.0 - _FIRST_LIMIT)
    out = np.zeros((*held.shape, len(SECOND_FEATURES)))
    out[:, :, 0] = np.log(held / (1.0 - held))
    counted = np.where(judged[None, :], held, 0.0)
    if held.shape[1]:
        out[:, :, 2] = counted.sum(axis=1, keepdims=True) - counted
        top = np.argmax(counted, axis=1)
        rows = np.arange(len(held))
        best = counted[rows, top]
        counted[rows, top] = -np.inf  # the best topic's best other is the paper's second best
        second = np.maximum(counted.max(axis=1, initial=-np.inf), 0.0) if held.shape[1] > 1 else np.zeros(len(held))
        out[:, :, 1] = best[:, None]
        out[rows, top, 1] = second
    return out


def field_density(vocabulary_words: np.ndarray, chars: np.ndarray) -> np.ndarray:
    """How much of each paper the fitted weights can read: its uses of the fitted vocabulary's words per
    100 characters of its text.  Papers of the field the labels come from score about 9; a paper from
    another field (a drug trial read with the default taxonomy) about 5; a paper with no text 0."""
    return 100.0 * np.asarray(vocabulary_words, dtype=float) / np.maximum(np.asarray(chars, dtype=float), 1.0)


def text_lengths(column: list) -> np.ndarray:
    """The length of each string of ``column``; 0 for anything else (None, NaN)."""
    if set(map(type, column)) <= {str, type(None), float}:  # as load() gives them: counted without a Python loop
        return np.fromiter(map(operator.length_hint, column, itertools.repeat(0)), np.int64, len(column))
    return np.array([len(text) if isinstance(text, str) else 0 for text in column], dtype=np.int64)


def text_chars(papers: pd.DataFrame, fields=("title", "abstract", "notes")) -> np.ndarray:
    """Each paper's characters of text in ``fields`` (missing ones count 0)."""
    chars = np.zeros(len(papers), dtype=np.int64)
    for f in fields:
        if f in papers.columns:
            chars += text_lengths(papers[f].tolist())
    return chars


def paper_texts(papers: pd.DataFrame, fields=("title", "abstract", "notes")) -> list[str]:
    """Each paper's words as one text: its fields joined (missing ones left out)."""
    columns = [papers[f].tolist() for f in fields if f in papers.columns]
    return [" \n ".join(v for v in row if isinstance(v, str) and v) for row in zip(*columns)] or [""] * len(papers)


def paper_titles(papers: pd.DataFrame) -> list[str]:
    """Each paper's title ("" for none): the text score reads it a second time, apart."""
    if "title" not in papers.columns:
        return [""] * len(papers)
    return [t if isinstance(t, str) else "" for t in papers["title"].tolist()]


def description_text(topic) -> str:
    """The words a topic states about itself: label, scope, terms, acronyms, supporting cues."""
    return " ".join([topic.label, topic.scope, *topic.terms, *topic.acronyms, *topic.supporting])


def description_words(taxonomy: Taxonomy) -> set[str]:
    return {w for t in taxonomy.topics for w in words(description_text(t))}


def rule_evidence(table: pd.DataFrame, ids: pd.Series, taxonomy: Taxonomy):
    """Rule rows as codes: (paper code, topic index, in title, is a term, cue keys, None).

    Paper codes index the distinct ids of ``ids`` (``pd.factorize``); rows whose id
    or topic is not there are dropped.  Cue keys are ``(topic, cue)`` strings codes,
    see :func:`cue_keys`.
    """
    paper_codes, unique_ids = pd.factorize(ids)
    if not len(table):
        empty = np.zeros(0, np.int64)
        return paper_codes, len(unique_ids), (empty, empty, empty.astype(bool), empty.astype(bool), [], empty, None)
    id_code = pd.Index(unique_ids).get_indexer(table["id"])
    topic_index = {s: i for i, s in enumerate(taxonomy.slugs)}
    topic_codes, topic_names = pd.factorize(table["topic"])
    topic = np.array([topic_index.get(t, -1) for t in topic_names] + [-1], dtype=np.int64)[topic_codes]
    rule_codes, rule_names = pd.factorize(table["rule"])
    pair = topic * (len(rule_names) + 1) + rule_codes
    keep = (id_code >= 0) & (topic >= 0)
    pair_codes, pairs = pd.factorize(pair[keep])
    slugs = taxonomy.slugs
    keys = [
        f"{slugs[p // (len(rule_names) + 1)]}\t{_Rule('', '', rule_names[p % (len(rule_names) + 1)]).cue}"
        for p in pairs.tolist()
    ]
    key_codes, keys = pd.factorize(pd.Series(keys, dtype=object))  # two spellings of one cue are one cue
    pair_codes = key_codes[pair_codes] if len(pair_codes) else pair_codes
    keys = list(keys)
    title = (table["field"] == "title").to_numpy(dtype=bool)[keep]
    term = (table["kind"] == "term").to_numpy(dtype=bool)[keep]
    return paper_codes, len(unique_ids), (id_code[keep], topic[keep], title, term, keys, pair_codes, None)


def rule_features(evidence_rows, n_ids: int, taxonomy: Taxonomy, cue_precision: dict[str, float], prior: np.ndarray):
    """The rule features (``RULE_FEATURES``) per (distinct id, topic): an array ``(n_ids, n_topics, 6)``."""
    n_topics = len(taxonomy.slugs)
    out = np.zeros((n_ids, n_topics, len(RULE_FEATURES)))
    if len(evidence_rows) < 7 or not len(evidence_rows[0]):
        return out
    paper, topic, title, term, keys, pair_codes, _ = evidence_rows
    cell = paper * n_topics + topic
    flat = out.reshape(-1, len(RULE_FEATURES))
    size = n_ids * n_topics
    flat[:, 0] = np.bincount(cell[title], minlength=size) > 0
    terms = np.bincount(cell[~title & term], minlength=size)
    supporting = np.bincount(cell[~title & ~term], minlength=size)
    distinct = np.sort(cell * (len(keys) + 1) + pair_codes)  # np.sort, not np.unique: many times faster here
    distinct = distinct[np.r_[True, distinct[1:] != distinct[:-1]]]
    n_cues = np.bincount(distinct // (len(keys) + 1), minlength=size)
    # log(1 + n) of the counts, looked up (np.log1p of each count: the same numbers, a fraction of the time)
    log1p = np.log1p(np.arange(max(terms.max(), supporting.max(), n_cues.max()) + 1))
    flat[:, 1], flat[:, 2], flat[:, 3] = log1p[terms], log1p[supporting], log1p[n_cues]
    # The rules' own decision (as the tagger's rules make it: a term or a title match, or enough cues).
    minimum = np.tile(np.array([t.min_supporting for t in taxonomy.topics]), n_ids)
    flat[:, 4] = (np.bincount(cell[title | term], minlength=size) > 0) | (n_cues >= minimum)
    precision = np.array([cue_precision.get(k, np.nan) for k in keys], dtype=float)[pair_codes]
    precision = np.where(np.isnan(precision), prior[topic], precision)  # a cue never measured: its topic's prior
    best = np.zeros(size)
    np.maximum.at(best, cell, precision)
    flat[:, 5] = best
    return out


def cue_counts(evidence_rows, labels_matrix: np.ndarray) -> pd.DataFrame:
    """Per cue key: in how many labelled papers it matched (``matched``), and of those how
    many are labelled with its topic (``correct``).  ``labels_matrix`` is (n_ids, n_topics)."""
    paper, topic, _, _, keys, pair_codes, _ = evidence_rows
    if not len(keys):
        return pd.DataFrame({"key": [], "matched": [], "correct": []})
    distinct = np.unique(pair_codes * (labels_matrix.shape[0] + 1) + paper)
    pair_of, paper_of = np.divmod(distinct, labels_matrix.shape[0] + 1)
    topic_of_pair = np.zeros(len(keys), dtype=np.int64)
    topic_of_pair[pair_codes] = topic
    correct = labels_matrix[paper_of, topic_of_pair[pair_of]].astype(np.int64)
    return pd.DataFrame(
        {
            "key": keys,
            "matched": np.bincount(pair_of, minlength=len(keys)),
            "correct": np.bincount(pair_of, weights=correct, minlength=len(keys)).astype(np.int64),
        }
    )


def smoothed_precision(counts: pd.DataFrame, slugs: list[str], strength: float = 2.0):
    """Each cue's precision smoothed toward its topic's pooled precision; and those priors (per topic)."""
    topic = counts["key"].str.split("\t").str[0]
    pooled = counts.groupby(topic)[["matched", "correct"]].sum()
    prior = {
        s: (pooled.loc[s, "correct"] + 1) / (pooled.loc[s, "matched"] + 2) if s in pooled.index else 0.5 for s in slugs
    }
    topic_prior = topic.map(prior).to_numpy(dtype=float) if len(counts) else np.zeros(0)
    value = (counts["correct"].to_numpy() + strength * topic_prior) / (counts["matched"].to_numpy() + strength)
    return dict(zip(counts["key"], value)), np.array([prior[s] for s in slugs])
