"""Why a paper got (or did not get) a topic: the scores table and one decision taken apart."""

from __future__ import annotations

import numpy as np
import pandas as pd

from litreview.tagging.features import FALLBACK_FEATURES, FEATURES, SECOND_FEATURES

SCORE_COLUMNS = ["id", "topic", "score", "threshold", "tagged", "fallback", "outside_field", *FEATURES]


def tag_scores(papers: pd.DataFrame, taxonomy=None, *, tagger=None, evidence_table=None) -> pd.DataFrame:
    """One row per (paper, topic) the rules or the decision touched: the probability (``score``),
    the ``threshold``, whether it is ``tagged``, whether the rules alone tag it, whether the
    topic used the fallback model, whether the paper reads as outside the field of the labels (the
    field floor: a fitted topic then scores 0), and every feature the decision used.

    Parameters
    ----------
    papers : DataFrame
        A papers table (:func:`litreview.load`).
    taxonomy : Taxonomy or str, optional
        ``None`` for the default taxonomy.
    tagger : FittedTagger, optional
        ``None`` for the tagger fitted on the shipped labels (:func:`litreview.load_tagger`).
    evidence_table : DataFrame, optional
        The rules' :func:`litreview.evidence` of ``papers``, to save matching the text again.

    Returns
    -------
    DataFrame
        Columns ``id``, ``topic``, ``score``, ``threshold``, ``tagged``, ``fallback``, ``outside_field``, then
        the features (``text_score`` and ``text_gap`` are missing for a fallback topic, whose decision does not
        use them).

    Examples
    --------
    >>> scores = lr.tag_scores(lr.load().head(1))
    >>> scores[["id", "topic", "tagged", "rule_tagged"]].values.tolist()
    [['arxiv:2112.09332', 'alignment', True, 1.0], ['arxiv:2112.09332', 'agents', True, 1.0],
     ['arxiv:2112.09332', 'retrieval', True, 1.0]]
    >>> bool(((scores["score"] >= scores["threshold"]) == scores["tagged"]).all())
    True
    """
    from litreview.tagging.tagger import _as_tagger, _as_taxonomy, _check_papers, _learned

    taxonomy = _as_taxonomy(taxonomy)
    _check_papers(papers, ())
    fitted = _as_tagger(tagger)
    decision = _learned(papers, taxonomy, fitted, evidence_table, features=True)[0]
    stale = set(fitted.fallback_topics(taxonomy))
    fallback = np.array([s in stale for s in taxonomy.slugs])
    paper, topic = np.nonzero(decision.tagged | (decision.features[:, :, FEATURES.index("rule_tagged")] > 0))
    frame = pd.DataFrame(
        {
            "id": papers["id"].to_numpy()[paper],
            "topic": np.array(taxonomy.slugs, dtype=object)[topic],
            "score": decision.probability[paper, topic].round(3),
            "threshold": decision.threshold[topic],
            "tagged": decision.tagged[paper, topic],
            "fallback": fallback[topic],
            "outside_field": (decision.outside[paper] if decision.outside is not None else False) & ~fallback[topic],
        }
    )
    for i, name in enumerate(FEATURES):
        frame[name] = decision.features[paper, topic, i].round(4)
        if name not in FALLBACK_FEATURES:  # (a fallback topic's decision does not read it: not a 0 to read into)
            frame.loc[frame["fallback"], name] = np.nan
    return frame[SCORE_COLUMNS]


def explain_tag(papers: pd.DataFrame, paper_id: str, topic: str, taxonomy=None, *, tagger=None, n_words: int = 8):
    """What the decision on (``paper_id``, ``topic``) used, as a dict of tables:

    ``decision``: score, threshold, tagged, fallback, ``outside_field`` (under the field floor: no fitted
    topic, whatever the tables give), ``first_score`` (the probability before the second look) and
    ``second_score`` (the second look's; the score is the lower of the two: the second look may hold a
    topic back, never push one through); ``features``: each feature's value, weight and contribution to
    the first logit, the intercept first; ``second``: the second look's inputs (the first logit, the
    paper's best other topic's first probability, the sum of its other topics'), weights and
    contributions to its logit, its intercept first; ``cues``: the rule matches with each cue's measured
    precision; ``words``: the words that moved the text score most.

    Parameters
    ----------
    papers : DataFrame
        A papers table holding the paper.
    paper_id : str
        The paper's ``id``.
    topic : str
        A topic slug of ``taxonomy``.
    taxonomy : Taxonomy or str, optional
        ``None`` for the default taxonomy.
    tagger : FittedTagger, optional
        ``None`` for the tagger fitted on the shipped labels.
    n_words : int
        How many words to list in ``words``.

    Returns
    -------
    TagExplanation
        A dict of ``decision`` (a dict), ``features``, ``second``, ``cues`` and ``words`` (DataFrames),
        shown as a short account.

    Examples
    --------
    >>> why = lr.explain_tag(lr.load(), "arxiv:2112.09332", "agents")
    >>> list(why), why["decision"]["tagged"], why["decision"]["fallback"]
    (['decision', 'features', 'second', 'cues', 'words'], True, False)
    >>> why["cues"]["matched"].tolist()[:3]
    ['web-browsing', 'web-browsing', 'environment']
    >>> why["features"]["feature"].tolist()[:3]
    ['intercept', 'title_match', 'term_matches']
    >>> bool(abs(why["features"]["contribution"].sum() - why["second"]["value"][1]) < 1e-3)  # the first logit
    True
    """
    from litreview.tagging.decision import FALLBACK
    from litreview.tagging.features import description_text
    from litreview.tagging.matching import _Rule
    from litreview.tagging.tagger import FIELDS, _as_tagger, _as_taxonomy, _evidence

    taxonomy = _as_taxonomy(taxonomy)
    if topic not in taxonomy:
        raise ValueError(f"topic: unknown topic {topic!r}; valid topics: {', '.join(taxonomy.slugs)}")
    chosen = papers[papers["id"] == paper_id]
    if chosen.empty:
        raise ValueError(f"paper_id: no paper with id {paper_id!r} in papers")
    fitted = _as_tagger(tagger)
    table = _evidence(chosen.iloc[:1], taxonomy, FIELDS)[0]
    decision = fitted.decide(chosen.iloc[:1], table, taxonomy)
    t = taxonomy.slugs.index(topic)
    usable = topic in fitted.fitted_slugs(taxonomy)
    column = topic if usable else FALLBACK
    # (the intercept first: the contributions add up to the first logit, as the second look's do to its own)
    weights = fitted.weights.loc[["intercept", *FEATURES], column].to_numpy(dtype=float)
    values = np.r_[1.0, decision.features[0, t]]
    features = pd.DataFrame({"feature": ["intercept", *FEATURES], "value": values, "weight": weights,
                             "contribution": values * weights})
    inputs = [1.0, *decision.second[0, t]]
    second_weights = fitted.weights.loc[["second_intercept", *SECOND_FEATURES], column].to_numpy(dtype=float)
    second = pd.DataFrame({"input": ["intercept", *SECOND_FEATURES], "value": inputs, "weight": second_weights,
                           "contribution": np.multiply(inputs, second_weights)})
    cues = table[table["topic"] == topic][["field", "rule", "kind", "matched"]].copy()
    precision = fitted.cue_precision
    prior = fitted.priors([topic])[0]
    cues["cue_precision"] = [precision.get(f"{topic}\t{_Rule('', '', r).cue}", prior) for r in cues["rule"]]
    words = pd.DataFrame(columns=["word", "tfidf", "weight", "contribution"])
    if usable:
        row = decision.vectors[0]
        index = row.indices[row.indices < len(fitted.vocabulary)]
        value = row.toarray()[0, index]
        weight = fitted.text_weights[index, fitted.slugs.index(topic)]
        words = pd.DataFrame(
            {
                "word": np.array(fitted.vocabulary)[index],
                "tfidf": value,
                "weight": weight,
                "contribution": value * weight,
            }
        )
        if fitted.title_weights is not None:  # the text score reads the title a second time: its words, marked
            from litreview.tagging.features import paper_titles

            title = fitted.title_vectors(paper_titles(chosen.iloc[:1])).tocsr()
            index, value = title.indices, title.data
            weight = fitted.title_weights[index, fitted.slugs.index(topic)]
            titled = pd.DataFrame({"word": [f"{w} (title)" for w in np.array(fitted.vocabulary)[index]],
                                   "tfidf": value, "weight": weight, "contribution": value * weight})
            words = pd.concat([words, titled], ignore_index=True)
        words = words.reindex(words["contribution"].abs().sort_values(ascending=False).index).head(n_words)
    summary = {
        "id": paper_id,
        "topic": topic,
        "score": float(decision.probability[0, t]),
        "first_score": float(1.0 / (1.0 + np.exp(-decision.second[0, t, 0]))),
        # the second look's own probability; the score is the lower of the two (it may only hold a topic back)
        "second_score": float(1.0 / (1.0 + np.exp(-second["contribution"].sum()))),
        "threshold": float(decision.threshold[t]),
        "tagged": bool(decision.tagged[0, t]),
        "fallback": column == FALLBACK,
        "description": description_text(taxonomy[topic]),
        # how much of the paper the fitted weights can read; under the floor it gets no fitted topic
        "field_density": float(decision.density[0]),
        "field_floor": float(fitted.weights.loc["field_floor", column]),
        # under the floor a fitted topic scores 0 whatever the tables below give
        "outside_field": bool(decision.outside[0]) and column != FALLBACK if decision.outside is not None else False,
    }
    return TagExplanation(
        decision=summary,
        features=features.round(4),
        second=second.round(4),
        cues=cues.reset_index(drop=True),
        words=words.round(4).reset_index(drop=True),
    )


class TagExplanation(dict):
    """:func:`explain_tag`'s dict, shown as a short account (text, or HTML in Jupyter) instead of nested
    reprs: the verdict, the field density, then each table."""

    def _parts(self) -> tuple[str, list[tuple[str, pd.DataFrame]]]:
        d = self["decision"]
        verdict = "tagged" if d["tagged"] else "not tagged"
        how = " by the fallback (rules plus description similarity)" if d["fallback"] else ""
        head = (f"{d['topic']} for {d['id']}: {verdict}{how}, score {d['score']:.3f} against a threshold of "
                f"{d['threshold']:.3f}; field density {d['field_density']:.2f} (floor {d['field_floor']:.2f})")
        if d.get("outside_field"):
            head += (f". The paper reads as outside the field the tagger was fitted on (its density is under the "
                     f"floor), so it gets none of the fitted topics: the score is 0, whatever the tables below give "
                     f"(they would score it {min(d['first_score'], d['second_score']):.3f})")
        return head, [("features: value x weight = contribution to the first logit", self["features"]),
                      (f"second look, from the first score {d['first_score']:.3f}: value x weight = contribution to "
                       f"its logit, score {d['second_score']:.3f} "
                       + ("(lower: the topic is held back)" if d["second_score"] < d["first_score"]
                          else "(not lower: the first score stands)"), self["second"]),
                      ("rule matches, with each cue's measured precision", self["cues"]),
                      ("words that moved the text score most", self["words"])]

    def __repr__(self) -> str:
        head, tables = self._parts()
        body = [f"{title}:\n{frame.to_string(index=False) if len(frame) else '(none)'}" for title, frame in tables]
        return "\n\n".join([head, *body])

    def _repr_html_(self) -> str:
        import html

        head, tables = self._parts()
        body = [f"<p><b>{html.escape(title)}</b></p>" + (frame.to_html(index=False) if len(frame) else "<p>(none)</p>")
                for title, frame in tables]  # (to_html escapes the cells: matched text comes from the paper)
        return "\n".join([f"<p>{html.escape(head)}</p>", *body])
