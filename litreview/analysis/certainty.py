"""How sure the tags are: each tag's score, the share of a topic's tags with a low score, borderline papers.

The score of a (paper, topic) is the learned decision's probability that the
topic is right (:func:`litreview.tag_scores`), whichever tagger made the tags
being judged: the rules' tags are scored too.  A tag whose score is below
``low`` (one half by default) is more likely wrong than right by the decision's
own estimate.  The decision's probabilities are fitted on hand labels
(``data/labels``); on papers unlike those they are rougher.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from litreview.validation import check_frame

LOW_SCORE = 0.5
NEAR_THRESHOLD = 0.1
CERTAINTY_COLUMNS = ["topic", "papers", "low_score", "share_low", "median_score"]
BORDERLINE_COLUMNS = ["id", "in_topic", "score", "threshold", "rules", "learned", "why"]


def _scores(tagged: pd.DataFrame, taxonomy, tagger) -> pd.DataFrame:
    from litreview.tagging.explain import tag_scores

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # topics without fitted weights are scored by the fallback
        return tag_scores(tagged.drop_duplicates("id"), taxonomy, tagger=tagger)


def tag_certainty(tagged: pd.DataFrame, taxonomy=None, *, tagger=None, low: float = LOW_SCORE,
                  scores: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per topic: its papers, how many of their tags have a low score, and the median score.

    Parameters
    ----------
    tagged : DataFrame
        Papers with ``topics`` (:func:`litreview.tag`, by any tagger).
    taxonomy : Taxonomy or str, optional
        ``None`` for the default taxonomy.
    tagger : FittedTagger, optional
        The decision that scores; ``None`` for the one fitted on the shipped labels.
    low : float
        A score below this is low (between 0 and 1).
    scores : DataFrame, optional
        :func:`litreview.tag_scores` of the papers, to save computing it again.

    Returns
    -------
    DataFrame
        ``topic``, ``papers`` (tagged with it), ``low_score`` (of those, tags scored below ``low``,
        or not scored at all), ``share_low`` (their share; NaN without papers), ``median_score``;
        one row per topic of ``taxonomy``, in its order.

    Examples
    --------
    >>> tagged = lr.tag(lr.load())
    >>> certainty = lr.tag_certainty(tagged)
    >>> certainty.columns.tolist()
    ['topic', 'papers', 'low_score', 'share_low', 'median_score']
    >>> row = certainty.set_index("topic").loc["peft"]
    >>> int(row["papers"]) == int(lr.has_topic(tagged, "peft").sum()), bool(0 <= row["share_low"] <= 1)
    (True, True)
    """
    from litreview.tagging.tagger import _as_taxonomy
    from litreview.validation import check_fraction

    check_frame(tagged, "tagged", ("id", "topics"), "pass lr.tag(papers)")
    check_fraction(low, "low")
    taxonomy = _as_taxonomy(taxonomy)
    pairs = _tag_scores(tagged, taxonomy, tagger, scores)
    rows = []
    for slug in taxonomy.slugs:
        score = pairs.loc[pairs["topic"] == slug, "score"]
        n_low = int((score.isna() | (score < low)).sum())
        rows.append({"topic": slug, "papers": len(score), "low_score": n_low,
                     "share_low": n_low / len(score) if len(score) else np.nan,
                     "median_score": float(score.median()) if score.notna().any() else np.nan})
    return pd.DataFrame(rows, columns=CERTAINTY_COLUMNS).round({"share_low": 3, "median_score": 3})


def borderline_papers(tagged: pd.DataFrame, topic: str, taxonomy=None, *, tagger=None, low: float = LOW_SCORE,
                      near: float = NEAR_THRESHOLD, scores: pd.DataFrame | None = None) -> pd.DataFrame:
    """The papers whose place in ``topic`` is in doubt, closest to the decision's threshold first.

    In the topic with a low score (below ``low``), or outside it with a score within ``near``
    below the threshold or a rule match that tags it.

    Parameters
    ----------
    tagged : DataFrame
        Papers with ``topics`` (:func:`litreview.tag`, by any tagger).
    topic : str
        A topic slug of ``taxonomy``.
    taxonomy : Taxonomy or str, optional
        ``None`` for the default taxonomy.
    tagger : FittedTagger, optional
        The decision that scores; ``None`` for the one fitted on the shipped labels.
    low : float
        A tag scored below this is in doubt.
    near : float
        A paper outside the topic scored within this of the threshold is in doubt.
    scores : DataFrame, optional
        :func:`litreview.tag_scores` of the papers, to save computing it again.

    Returns
    -------
    DataFrame
        ``id``, ``in_topic`` (tagged with it in ``tagged``), ``score``, ``threshold``, ``rules`` and
        ``learned`` (whether each alone gives the topic), ``why``: ``low score`` (in the topic),
        ``the learned decision tags it``, ``outside the field; the rules tag it`` (the paper is under the
        field floor, so the decision gives it none of the fitted topics), ``the rules tag it`` or
        ``just below threshold`` (outside).

    Examples
    --------
    >>> doubt = lr.borderline_papers(lr.tag(lr.load()), "efficiency")
    >>> doubt.columns.tolist()
    ['id', 'in_topic', 'score', 'threshold', 'rules', 'learned', 'why']
    >>> set(doubt["why"]) <= {"low score", "the learned decision tags it", "outside the field; the rules tag it",
    ...                       "the rules tag it", "just below threshold"}
    True
    """
    from litreview.tagging.tagger import _as_taxonomy
    from litreview.validation import check_fraction

    check_frame(tagged, "tagged", ("id", "topics"), "pass lr.tag(papers)")
    check_fraction(low, "low")
    check_fraction(near, "near")
    taxonomy = _as_taxonomy(taxonomy)
    if topic not in taxonomy:
        raise ValueError(f"topic: unknown topic {topic!r}; valid topics: {', '.join(taxonomy.slugs)}")
    scored = scores if scores is not None else _scores(tagged, taxonomy, tagger)
    scored = scored[scored["topic"] == topic].drop_duplicates("id").set_index("id")
    ids = tagged["id"].drop_duplicates()
    in_topic = tagged.drop_duplicates("id").set_index("id")["topics"].map(lambda ts: topic in ts)
    frame = pd.DataFrame({"id": ids.to_numpy(), "in_topic": in_topic.loc[ids].to_numpy(dtype=bool)})
    frame["score"] = frame["id"].map(scored["score"])
    frame["threshold"] = frame["id"].map(scored["threshold"])
    frame["rules"] = frame["id"].map(scored["rule_tagged"] > 0).fillna(False).astype(bool)
    frame["learned"] = frame["id"].map(scored["tagged"]).fillna(False).astype(bool)
    doubtful = frame["in_topic"] & ~(frame["score"] >= low)
    near_miss = ~frame["in_topic"] & ((frame["score"] >= frame["threshold"] - near) | frame["rules"])
    outside = False  # (under the field floor: tag_scores says so; a scores table without the column says nothing)
    if "outside_field" in scored:
        outside = frame["id"].map(scored["outside_field"]).fillna(False).astype(bool)
    frame["why"] = np.select([doubtful, frame["learned"], frame["rules"] & outside, frame["rules"]],
                             ["low score", "the learned decision tags it", "outside the field; the rules tag it",
                              "the rules tag it"], "just below threshold")
    frame = frame[doubtful | near_miss]
    distance = (frame["score"] - frame["threshold"]).abs().fillna(1.0)
    order = np.lexsort((frame["id"].to_numpy(), distance.to_numpy()))
    return frame.iloc[order][BORDERLINE_COLUMNS].reset_index(drop=True)


def _tag_scores(tagged: pd.DataFrame, taxonomy, tagger, scores) -> pd.DataFrame:
    """One row per (paper, topic) tag of ``tagged``, with the decision's score (NaN: not scored)."""
    scored = scores if scores is not None else _scores(tagged, taxonomy, tagger)
    pairs = tagged.drop_duplicates("id")[["id", "topics"]].explode("topics").dropna(subset=["topics"])
    pairs = pairs.rename(columns={"topics": "topic"})
    merged = pairs.merge(scored[["id", "topic", "score"]].drop_duplicates(["id", "topic"]), how="left",
                         on=["id", "topic"])
    return merged
