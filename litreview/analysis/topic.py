"""One topic's papers and the evidence behind their tags."""

from __future__ import annotations

import textwrap

import pandas as pd

from litreview.fields.latex import readable
from litreview.schema import display_title, display_titles
from litreview.validation import check_frame, check_int, check_topics, known_topics

TOPIC_PAPER_COLUMNS = ["paper", "year", "venue", "also", "score", "evidence", "id"]
# The learned decision can tag a paper no rule of the topic matched (its words alone read like the topic).
NO_RULE_MATCHED = "(no rule matched: tagged by the learned decision; lr.explain_tag says why)"


def has_topic(tagged: pd.DataFrame, topic: str) -> pd.Series:
    """Boolean mask of the papers tagged with ``topic``.

    Examples
    --------
    >>> tagged = pd.DataFrame({"id": ["a", "b"], "topics": [["peft"], ["agents", "peft"]]})
    >>> lr.has_topic(tagged, "agents").tolist()
    [False, True]
    """
    check_frame(tagged, "tagged", ("topics",), "pass lr.tag(papers)")
    if not isinstance(topic, str):
        raise TypeError(f"topic must be a topic slug (a string), got {type(topic).__name__}")
    check_topics(topic, "topic", known_topics(tagged))
    return tagged["topics"].map(lambda topics: topic in topics).astype(bool)


def within_years(papers: pd.DataFrame, start: int | None = None, end: int | None = None) -> pd.DataFrame:
    """Papers whose year lies in ``[start, end]``; with no bounds, every paper.

    With a bound, papers without a year are left out: their place in the
    window is unknown.

    Examples
    --------
    >>> papers = pd.DataFrame({"id": ["a", "b", "c"], "year": pd.array([2020, None, 2023], dtype="Int64")})
    >>> lr.within_years(papers, 2021)["id"].tolist(), lr.within_years(papers)["id"].tolist()
    (['c'], ['a', 'b', 'c'])
    """
    check_frame(papers, "papers", ("year",), "load it with lr.load()")
    check_int(start, "start", none=True)
    check_int(end, "end", none=True)
    if start is None and end is None:
        return papers
    keep = papers["year"].notna()
    if start is not None:
        keep &= papers["year"] >= start
    if end is not None:
        keep &= papers["year"] <= end
    return papers[keep.fillna(False).astype(bool)].reset_index(drop=True)


def topic_score(tagged: pd.DataFrame, topic: str) -> pd.Series:
    """Each paper's score for ``topic`` (the learned decision's ``topic_scores``), NaN where it
    lacks the topic or the tags have no scores (``lr.tag(..., tagger="rules")``).

    Examples
    --------
    >>> tagged = pd.DataFrame({"id": ["a", "b"], "topics": [["peft"], ["agents", "peft"]],
    ...                        "topic_scores": [[0.97], [0.88, 0.51]]})
    >>> lr.topic_score(tagged, "peft").tolist(), lr.topic_score(tagged, "agents").tolist()
    ([0.97, 0.51], [nan, 0.88])
    """
    check_frame(tagged, "tagged", ("topics",), "pass lr.tag(papers)")
    if "topic_scores" not in tagged.columns:
        return pd.Series(float("nan"), index=tagged.index, name="score")
    scores = [
        s[t.index(topic)] if isinstance(t, list) and topic in t and isinstance(s, list) and len(s) == len(t)
        else float("nan")
        for t, s in zip(tagged["topics"], tagged["topic_scores"])
    ]
    return pd.Series(scores, index=tagged.index, dtype=float, name="score")


def evidence_summary(evidence: pd.DataFrame, topic: str) -> pd.Series:
    """Per paper id, the words that earned ``topic``: ``title: LoRA; abstract: adapters``.

    Examples
    --------
    >>> why = pd.DataFrame({"id": ["a", "a"], "topic": ["peft", "peft"], "field": ["title", "abstract"],
    ...                     "matched": ["LoRA", "adapters"], "tagged": [True, True]})
    >>> lr.evidence_summary(why, "peft").to_dict()
    {'a': 'title: lora; abstract: adapters'}
    """
    check_frame(evidence, "evidence", ("id", "topic", "field", "matched", "tagged"), "pass lr.evidence(papers)")
    hits = evidence[(evidence["topic"] == topic) & evidence["tagged"]]
    if hits.empty:  # groupby-apply on no rows gives a DataFrame, not a Series
        return pd.Series(dtype=object, name="evidence").rename_axis("id")

    def summarise(rows: pd.DataFrame) -> str:
        parts = []
        for field, group in rows.groupby("field", sort=False):
            words = list(dict.fromkeys(group["matched"].str.lower()))
            parts.append(f"{field}: {', '.join(words)}")
        return "; ".join(parts)

    return hits.groupby("id", sort=False)[["field", "matched"]].apply(summarise)


def match_contexts(evidence: pd.DataFrame, papers: pd.DataFrame, width: int = 70) -> pd.DataFrame:
    """Evidence rows with the words around each match: where a rule matched, and in what sense.

    Returns ``id``, ``topic``, ``field``, ``rule`` and ``context``, the field's text from ``width``
    characters before the match to ``width`` after it (``...`` where it is cut); no rows when
    ``evidence`` has none.  A row whose paper or field ``papers`` lacks gets an empty context.

    Examples
    --------
    >>> papers = pd.DataFrame({"id": ["a"], "abstract": ["Agents keep an episodic memory buffer of past trials."]})
    >>> found = pd.DataFrame({"id": ["a"], "topic": ["efficiency"], "field": ["abstract"], "rule": ["memory"],
    ...                       "start": [24], "end": [30]})
    >>> lr.match_contexts(found, papers, width=10)["context"].tolist()
    ['... episodic memory buffer of...']
    """
    check_frame(evidence, "evidence", ("id", "topic", "field", "rule", "start", "end"), "pass lr.evidence(papers)")
    check_frame(papers, "papers", ("id",), "pass lr.load(...)")
    check_int(width, "width", min=0)
    texts = papers.drop_duplicates("id").set_index("id")
    contexts = []
    for pid, field, start, end in zip(evidence["id"], evidence["field"], evidence["start"], evidence["end"]):
        text = texts.at[pid, field] if pid in texts.index and field in texts.columns else None
        if not isinstance(text, str):
            contexts.append("")
            continue
        begin, stop = max(int(start) - width, 0), int(end) + width
        contexts.append(("..." if begin else "") + text[begin:stop] + ("..." if stop < len(text) else ""))
    out = evidence[["id", "topic", "field", "rule"]].reset_index(drop=True)
    return out.assign(context=pd.Series(contexts, dtype=object))


def paper_text(papers: pd.DataFrame, paper_id: str, width: int = 110) -> str:
    """One paper to read: its title, a blank line, and its abstract wrapped at ``width`` characters.

    Examples
    --------
    >>> papers = pd.DataFrame({"id": ["a"], "title": ["LoRA"], "abstract": ["We freeze the weights."]})
    >>> print(lr.paper_text(papers, "a"))
    LoRA
    <BLANKLINE>
    We freeze the weights.
    >>> lr.paper_text(papers, "b")
    Traceback (most recent call last):
    ...
    KeyError: "paper_text: no paper has the id 'b'"
    """
    check_frame(papers, "papers", ("id",), "pass lr.load(...)")
    rows = papers[papers["id"] == paper_id]
    if rows.empty:
        raise KeyError(f"paper_text: no paper has the id {paper_id!r}")
    record = rows.iloc[0]
    abstract = record.get("abstract")
    body = textwrap.fill(readable(abstract), width) if isinstance(abstract, str) and abstract else "(no abstract)"
    return f"{display_title(record)}\n\n{body}"


def topic_papers(tagged: pd.DataFrame, evidence: pd.DataFrame, topic: str) -> pd.DataFrame:
    """The papers of ``topic`` with year, venue, other topics, score and evidence, newest first.

    Returns ``paper`` (display title), ``year``, ``venue``, ``also`` (the
    paper's other topics), ``score`` (:func:`topic_score`: how sure the tag is, NaN
    when the rules decided), ``evidence`` (:func:`evidence_summary`; ``NO_RULE_MATCHED``
    where the learned decision tagged a paper no rule of the topic matched) and ``id``;
    a topic with no papers gives an empty table with these columns.

    Examples
    --------
    >>> tagged = lr.tag(lr.load())
    >>> table = lr.topic_papers(tagged[tagged["year"] < 2000], lr.evidence(tagged), "peft")
    >>> table.empty, table.columns.tolist()
    (True, ['paper', 'year', 'venue', 'also', 'score', 'evidence', 'id'])
    >>> lr.topic_papers(tagged, lr.evidence(tagged), "peft")[["year", "score"]].head(2).values.tolist()
    [[2023, 0.999], [2023, 0.996]]
    """
    check_frame(tagged, "tagged", ("id", "year", "venue", "topics"), "pass lr.tag(papers)")
    papers = tagged[has_topic(tagged, topic)]
    if papers.empty:
        kinds = {"year": "Int64", "score": float}
        return pd.DataFrame({c: pd.Series(dtype=kinds.get(c, object)) for c in TOPIC_PAPER_COLUMNS})
    summary = evidence_summary(evidence, topic)
    table = pd.DataFrame(
        {
            "paper": display_titles(papers, words=10).map(readable),
            "year": papers["year"],
            "venue": papers["venue"],
            "also": papers["topics"].map(lambda ts: ", ".join(t for t in ts if t != topic)),
            "score": topic_score(papers, topic),
            # (a list: when no paper of the topic has a rule match, a mapped column would be floats)
            "evidence": [summary.get(i, NO_RULE_MATCHED) for i in papers["id"]],
            "id": papers["id"],
        }
    )
    return table.sort_values(["year", "paper"], ascending=[False, True], na_position="last").reset_index(drop=True)
