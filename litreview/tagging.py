"""Tag papers with taxonomy topics, keeping the evidence for every tag.

All topics are matched in one pass over each text: the text is split into
words once, and every rule phrase of every topic is looked up in a table keyed
by its first word, so the cost grows with the length of the text, not with the
number of rules.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

import pandas as pd

from .taxonomy import Taxonomy, load_taxonomy

FIELDS: tuple[str, ...] = ("title", "abstract", "notes")
# Commentary is not the paper's own account of itself: it only supports.
SUPPORTING_ONLY_FIELDS = frozenset({"notes"})
EVIDENCE_COLUMNS = ["id", "topic", "field", "rule", "kind", "matched", "start", "end", "tagged"]

_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class _Rule:
    topic: str
    kind: str  # "term", "supporting" or "exclude"
    phrase: str  # the rule as written in the taxonomy

    @property
    def cue(self) -> str:
        """The rule's spelling-independent key: ``pre-training`` and ``pretrainings``
        are one cue, so listing both cannot count as two."""
        return "".join(_WORD.findall(self.phrase.lower())).removesuffix("es").removesuffix("s")


class Matcher:
    """Every rule of a taxonomy compiled into one word-sequence lookup table."""

    def __init__(self, taxonomy: Taxonomy):
        self.taxonomy = taxonomy
        # first word -> list of (word tuple, case_sensitive, rule)
        self._table: dict[str, list[tuple[tuple[str, ...], bool, _Rule]]] = defaultdict(list)
        for topic in taxonomy.topics:
            for kind, phrases, exact in (
                ("term", topic.terms, False),
                ("term", topic.acronyms, True),
                ("supporting", topic.supporting, False),
                ("exclude", topic.exclude, False),
            ):
                for phrase in phrases:
                    rule = _Rule(topic.slug, kind, phrase)
                    for variant in _variants(phrase, exact):
                        key = variant[0] if exact else variant[0].lower()
                        self._table[key].append((variant, exact, rule))
        for entries in self._table.values():
            entries.sort(key=lambda e: -len(e[0]))

    def scan(self, text: str) -> list[tuple[_Rule, int, int]]:
        """All rule matches in ``text`` as ``(rule, start, end)`` character spans."""
        words = [(m.group(), m.start(), m.end()) for m in _WORD.finditer(text)]
        lowered = [w.lower() for w, _, _ in words]
        found: list[tuple[_Rule, int, int]] = []
        table = self._table
        for i, (word, _, _) in enumerate(words):
            candidates = table.get(lowered[i])
            if word != lowered[i]:
                exact_candidates = table.get(word)
                if exact_candidates:
                    candidates = (candidates or []) + exact_candidates
            if not candidates:
                continue
            for phrase, exact, rule in candidates:
                n = len(phrase)
                got = [w for w, _, _ in words[i : i + n]] if exact else lowered[i : i + n]
                if len(got) == n and tuple(got) == phrase:
                    found.append((rule, words[i][1], words[i + n - 1][2]))
        return found


def _variants(phrase: str, exact: bool) -> set[tuple[str, ...]]:
    """Word sequences a rule phrase matches: as written, joined, and plural."""
    words = _WORD.findall(phrase if exact else phrase.lower())
    if not words:
        return set()
    forms = {tuple(words)}
    if len(words) > 1:
        forms.add(("".join(words),))  # fine-tuning -> finetuning
    plurals = set()
    for form in forms:
        last = form[-1]
        if last[-1:].isalpha():
            plurals.add(form[:-1] + (last + "s",))
            if last.endswith(("s", "x", "ch", "sh")):
                plurals.add(form[:-1] + (last + "es",))
    return forms | plurals


def evidence(
    papers: pd.DataFrame, taxonomy: Taxonomy | str | None = None, fields: tuple[str, ...] = FIELDS
) -> pd.DataFrame:
    """Every rule match in every paper, as a tidy table.

    Columns: ``id``, ``topic``, ``field``, ``rule`` (the taxonomy phrase),
    ``kind`` (``term`` or ``supporting``), ``matched`` (the text as it appears),
    ``start``/``end`` (character offsets in the field) and ``tagged`` (whether
    the paper got the topic).  Matches inside an ``exclude`` phrase are left out.
    """
    taxonomy = _as_taxonomy(taxonomy)
    _check_papers(papers, fields)
    matcher = Matcher(taxonomy)
    rows = []
    for pid, *texts in zip(papers["id"], *(papers[f] for f in fields)):
        for field, text in zip(fields, texts):
            if not isinstance(text, str) or not text:
                continue
            hits = matcher.scan(text)
            excluded = [(r.topic, s, e) for r, s, e in hits if r.kind == "exclude"]
            kept = [h for h in hits if h[0].kind != "exclude"]
            for rule, start, end in kept:
                if any(t == rule.topic and s <= start and end <= e for t, s, e in excluded):
                    continue
                if _inside_longer(rule, start, end, kept):
                    continue
                kind = "supporting" if field in SUPPORTING_ONLY_FIELDS else rule.kind
                rows.append((pid, rule.topic, field, rule.phrase, kind, text[start:end], start, end))
    table = pd.DataFrame(rows, columns=EVIDENCE_COLUMNS[:-1])
    decided = _decide(table, taxonomy)
    table["tagged"] = [(p, t) in decided for p, t in zip(table["id"], table["topic"])]
    ranks = {
        "id": {pid: i for i, pid in enumerate(papers["id"])},
        "topic": {slug: i for i, slug in enumerate(taxonomy.slugs)},
        "field": {f: i for i, f in enumerate(fields)},
    }
    table = table.sort_values(
        ["id", "topic", "field", "start"],
        key=lambda col: col.map(ranks[col.name]) if col.name in ranks else col,
        kind="stable",
    )
    return table.reset_index(drop=True)


def _inside_longer(rule: _Rule, start: int, end: int, hits) -> bool:
    """Whether a longer match of the same topic covers this one (``ai safety``
    covers ``safety``): the text is evidence once, for the longer rule."""
    return any(
        other.topic == rule.topic and s <= start and end <= e and (e - s) > (end - start) for other, s, e in hits
    )


def _decide(table: pd.DataFrame, taxonomy: Taxonomy) -> set[tuple[str, str]]:
    """(paper, topic) pairs whose evidence meets the topic's rule."""
    decided = set()
    for (pid, topic), hits in table.groupby(["id", "topic"], sort=False):
        strong = (hits["kind"] == "term") | (hits["field"] == "title")
        cues = hits["rule"].map(lambda phrase, t=topic: _Rule(t, "", phrase).cue).nunique()
        if strong.any() or cues >= taxonomy[topic].min_supporting:
            decided.add((pid, topic))
    return decided


def tag(
    papers: pd.DataFrame, taxonomy: Taxonomy | str | None = None, evidence_table: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Return ``papers`` with a ``topics`` column: the slugs, in taxonomy order.

    ``taxonomy`` is a :class:`~litreview.taxonomy.Taxonomy`, a path to a YAML
    file, or ``None`` for the default taxonomy.  :func:`evidence` shows why
    each paper got each topic; pass its result as ``evidence_table`` (made with
    the same taxonomy) to tag without matching the text a second time.
    """
    taxonomy = _as_taxonomy(taxonomy)
    table = evidence(papers, taxonomy) if evidence_table is None else evidence_table
    tagged = table[table["tagged"]].drop_duplicates(["id", "topic"])
    by_paper = tagged.groupby("id", sort=False)["topic"].agg(list).to_dict()
    out = papers.copy()
    order = {slug: i for i, slug in enumerate(taxonomy.slugs)}
    out["topics"] = [sorted(by_paper.get(pid, []), key=order.__getitem__) for pid in papers["id"]]
    return out


def topic_table(tagged: pd.DataFrame) -> pd.DataFrame:
    """One row per (paper, topic): the long form of the ``topics`` column."""
    _check_papers(tagged, ("topics",))
    long = tagged[["id", "topics"]].explode("topics").dropna(subset=["topics"])
    return long.rename(columns={"topics": "topic"}).reset_index(drop=True)


def _as_taxonomy(taxonomy: Taxonomy | str | None) -> Taxonomy:
    if isinstance(taxonomy, Taxonomy):
        return taxonomy
    return load_taxonomy(taxonomy)


def _check_papers(papers: pd.DataFrame, fields) -> None:
    if not isinstance(papers, pd.DataFrame):
        raise TypeError(f"expected a papers DataFrame, got {type(papers).__name__}")
    missing = [c for c in ("id", *fields) if c not in papers.columns]
    if missing:
        raise ValueError(f"papers table lacks column(s) {missing}; load it with litreview.load()")
