"""A taxonomy assistant: rule changes for one topic, each with its measured effect on held-out labels.

:func:`suggest_rules` proposes, for one topic of a taxonomy,

``add term``
    words and phrases that would add recall: frequent in the labelled papers
    of the topic that its rules miss, or distinctive of the papers the rules
    tag against the rest (one pass over the text, a document-term matrix);
``exclude``
    phrases that would add precision: the words around a cue's matches in
    papers it tags wrongly (``episodic memory`` for the cue ``memory``), so
    the cue stops counting in that sense only;
``remove``
    cues whose measured precision is below the topic's.

Every candidate is tried with the taxonomy's own matcher and rule decision
(all of them in one tagging pass: one modified copy of the topic per
candidate), and measured out of fold: the labelled papers are split in
``folds``; a candidate found on the other folds is scored on the held-out one,
and where it was not found there, the rules stay as they are.  The figures
are the rules' (``lr.tag(..., tagger="rules")``), whatever the default tagger:
the learned decision reads rule evidence too, but needs refitting to use a
new rule.  Nothing here writes the taxonomy: :func:`suggestions_yaml` prints
the topic with the chosen suggestions, to paste into the YAML file.
"""

from __future__ import annotations

import dataclasses
import functools
import re

import numpy as np
import pandas as pd

from litreview.fields.latex import readable
from litreview.tagging.taxonomy import Taxonomy, Topic

SUGGESTION_COLUMNS = [
    "topic", "action", "phrase", "source", "folds", "tp", "fp", "fn", "precision_before", "precision",
    "recall_before", "recall", "f1_before", "f1", "f1_change", "f1_change_fitted", "example",
]
ACTIONS = ("add term", "exclude", "remove")
_WORD = re.compile(r"[^\W_][^\W_'’-]*(?:-[^\W_]+)*")
_BREAK = re.compile(r"[.!?;:,]\s|[()\[\]\"“”]")
_CANDIDATES = 12  # candidates per kind and fit set, before the rules measure them


def suggest_rules(
    papers: pd.DataFrame,
    labels,
    topic: str,
    taxonomy: Taxonomy | str | None = None,
    *,
    n: int = 5,
    folds: int = 5,
    seed: int = 0,
    min_papers: int = 2,
    sure_only: bool = False,
) -> pd.DataFrame:
    """Rule changes for ``topic`` that would raise its F1 on the labels, measured out of fold.

    Parameters
    ----------
    papers : DataFrame
        A papers table (:func:`litreview.load`) holding the labelled papers; unlabelled
        papers add candidate phrases (what the rules' tagged papers share) but are not scored.
    labels : DataFrame or path
        Hand labels: ``id`` and ``topics`` (:func:`litreview.load_labels`), or a labels CSV.
    topic : str
        The topic's slug.
    taxonomy : Taxonomy or str, optional
        ``None`` for the default taxonomy.  It is never changed.
    n : int
        At most this many suggestions of each kind (adding recall, adding precision).
    folds : int
        Cross-validation folds over the labelled papers (2 or more).
    seed : int
        Seed of the fold split.
    min_papers : int
        A candidate must concern at least this many labelled papers of a fit set.
    sure_only : bool
        Score on the labels marked ``sure`` only (all labels by default: more papers).

    Returns
    -------
    DataFrame
        One row per suggestion, best held-out F1 change first: ``topic``, ``action`` (``add term``,
        ``exclude`` or ``remove``), ``phrase``, ``source`` (where the candidate came from),
        ``folds`` (how many of the ``folds`` fits proposed it: a stable suggestion has all),
        ``tp``/``fp``/``fn`` and ``precision``, ``recall``, ``f1`` with it (``_before``: without),
        all out of fold; ``f1_change`` their difference; ``f1_change_fitted`` the change on the
        labels it was found on (optimistic); ``example``: a labelled paper it changes.

    Examples
    --------
    >>> papers = pd.DataFrame({"id": list("abcdefgh"), "title": [
    ...     "Adapters for cheap tuning", "Adapters again", "Low-rank updates for tuning", "Low-rank updates",
    ...     "Tuning by low-rank updates", "Low-rank updates, once more", "Adapters in biology", "Ocean waves"]})
    >>> labels = pd.DataFrame({"id": list("abcdefgh"), "topics": [["peft"]] * 6 + [[], []]})
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "mine.yaml"
    >>> _ = path.write_text("topics:\\n- {slug: peft, label: PEFT, scope: Cheap tuning, terms: [adapters]}\\n")
    >>> taxonomy = lr.load_taxonomy(path)
    >>> found = lr.suggest_rules(papers, labels, "peft", taxonomy, folds=3, min_papers=1)
    >>> found[["action", "phrase", "folds", "recall_before", "recall", "precision"]].head(2).values.tolist()
    [['add term', 'low rank', 3, 0.333, 1.0, 0.857], ['add term', 'tuning', 1, 0.333, 0.333, 0.667]]
    """
    from litreview.tagging.tagger import _as_taxonomy, _check_papers
    from litreview.validation import check_int

    taxonomy = _as_taxonomy(taxonomy)
    _check_papers(papers, ())
    if topic not in taxonomy:
        raise ValueError(f"topic: unknown topic {topic!r}; valid topics: {', '.join(taxonomy.slugs)}")
    for name, value, low in (("n", n, 1), ("folds", folds, 2), ("min_papers", min_papers, 1)):
        check_int(value, name, low)
    study = _Study(papers, _labels(labels, papers, sure_only), taxonomy[topic], min_papers)
    if not study.y.any():
        _warn_none(f"no labelled paper of the {len(study.y)} has {topic!r}, so there is nothing to learn from: "
                   "label papers of the topic (lr.labelling_queue finds likely ones)")
        return pd.DataFrame(columns=SUGGESTION_COLUMNS)
    folds = min(folds, len(study.y))
    from sklearn.model_selection import KFold

    splits = list(KFold(folds, shuffle=True, random_state=seed).split(study.y))
    everything = np.arange(len(study.y))
    fits = [train for train, _ in splits] + [everything]
    proposed = [study.candidates(fit) for fit in fits]
    pool = sorted(set().union(*proposed))
    tagged = study.try_rules(pool)  # (labelled papers, 1 + candidates): column 0 is the topic as it is
    column = {c: i + 1 for i, c in enumerate(pool)}
    chosen = [study.choose(fit, [column[c] for c in cands], tagged, n, pool) for fit, cands in zip(fits, proposed)]
    rows = []
    for c in chosen[-1]:
        held_out = np.zeros(3, dtype=int)
        before = np.zeros(3, dtype=int)
        for (_, test), picked in zip(splits, chosen[:-1]):
            before += study.counts(tagged[test, 0], test)
            held_out += study.counts(tagged[test, c if c in picked else 0], test)
        action, phrase, source = pool[c - 1]
        rows.append(
            {
                "topic": topic, "action": action, "phrase": phrase, "source": source,
                "folds": sum(c in picked for picked in chosen[:-1]),
                **dict(zip(("tp", "fp", "fn"), held_out.tolist())),
                **_rates(before, "_before"), **_rates(held_out),
                "f1_change_fitted": _f1(study.counts(tagged[:, c], everything))
                - _f1(study.counts(tagged[:, 0], everything)),
                "example": study.example(tagged[:, c], tagged[:, 0]),
            }
        )
    out = pd.DataFrame(rows, columns=SUGGESTION_COLUMNS)
    if out.empty:
        _warn_none(f"no rule change for {topic!r} raised F1 on the labels: {int(study.y.sum())} of the "
                   f"{len(study.y)} labelled papers have it, and a candidate must concern {min_papers} or more "
                   "labelled papers of a fit; with more labels (or a lower min_papers) there is more to try")
    out["f1_change"] = out["f1"] - out["f1_before"]
    out = out.sort_values(["f1_change", "f1_change_fitted", "phrase"], ascending=[False, False, True])
    return out.round(3).reset_index(drop=True)


def _warn_none(why: str) -> None:
    """Say why :func:`suggest_rules` suggests nothing (an empty table alone does not tell "too few labels" from
    "nothing to change")."""
    import warnings

    from litreview.errors import user_stacklevel

    warnings.warn(f"suggest_rules: nothing to suggest: {why}", UserWarning, stacklevel=user_stacklevel())


def suggestions_yaml(suggestions: pd.DataFrame, taxonomy: Taxonomy | str | None = None) -> str:
    """The topics of ``suggestions`` as YAML, with the suggestions accepted: text to paste into the taxonomy file.

    New terms and exclusions are marked with a ``# suggested`` comment, removed cues are
    listed in one.  The taxonomy itself is not changed.

    Parameters
    ----------
    suggestions : DataFrame
        Rows of :func:`suggest_rules` (the ones you accept).
    taxonomy : Taxonomy or str, optional
        The taxonomy they were made for; ``None`` for the default.

    Returns
    -------
    str
        One YAML list item per topic, as in ``data/taxonomy.yaml``.

    Examples
    --------
    >>> rows = pd.DataFrame({"topic": ["data"], "action": ["add term"], "phrase": ["data selection"]})
    >>> print(lr.suggestions_yaml(rows).splitlines()[0])
      - slug: data
    >>> [line.strip() for line in lr.suggestions_yaml(rows).splitlines() if "suggested" in line]
    ['- data selection  # suggested']
    """
    from litreview.tagging.tagger import _as_taxonomy

    taxonomy = _as_taxonomy(taxonomy)
    blocks = []
    for slug, rows in suggestions.groupby("topic", sort=False):
        topic = taxonomy[slug]
        added = {a: rows.loc[rows["action"] == a, "phrase"].tolist() for a in ACTIONS}
        removed = set(added["remove"])

        lines = [f"  - slug: {slug}", f"    label: {_scalar(topic.label)}", f"    scope: {_scalar(topic.scope)}"]
        lines += _yaml_list("terms", topic.terms, removed, added["add term"])
        lines += _yaml_list("acronyms", topic.acronyms, removed)
        lines += _yaml_list("supporting", topic.supporting, removed)
        lines += _yaml_list("exclude", topic.exclude, removed, added["exclude"])
        if topic.min_supporting != 2:
            lines.append(f"    min_supporting: {topic.min_supporting}")
        if removed:
            lines.append(f"    # suggested: removed {', '.join(sorted(removed))}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def _yaml_list(key: str, values, removed: set, new=()) -> list[str]:
    """``key:`` and one item per line: the kept values as YAML scalars, the new ones marked."""
    kept = [v for v in values if v not in removed]
    if not kept and not new:
        return []
    added = [f"      - {_scalar(v)}  # suggested" for v in new if v not in kept]
    return [f"    {key}:"] + [f"      - {_scalar(v)}" for v in kept] + added


def _scalar(value: str) -> str:
    """``value`` as a one-line YAML scalar (quoted only when it must be)."""
    import yaml

    return yaml.safe_dump(value, width=10_000).strip().removesuffix("...").strip()


# -- the study of one topic -------------------------------------------------------------------------------------------


def _labels(labels, papers: pd.DataFrame, sure_only: bool) -> pd.DataFrame:
    from litreview.tagging.labelling import read_any_labels
    from litreview.tagging.labelsets import known_ids

    checked = read_any_labels(labels)
    checked = checked[checked["measured"]]  # (labels to fit on only: a suggestion is measured, never fitted)
    checked = known_ids(checked.assign(file="labels", line=range(1, len(checked) + 1)), papers)
    return checked[checked["sure"]] if sure_only else checked


class _Study:
    """One topic's rules on the labelled papers: what they tag, what they miss, and candidate changes."""

    def __init__(self, papers: pd.DataFrame, labels: pd.DataFrame, topic: Topic, min_papers: int):
        from sklearn.feature_extraction.text import CountVectorizer

        from litreview.tagging.tagger import FIELDS, _evidence

        self.topic, self.min_papers = topic, min_papers
        self.alone = Taxonomy((topic,))
        corpus = papers.drop_duplicates("id").reset_index(drop=True)
        self.papers = corpus.set_index("id").loc[labels["id"]].reset_index()
        self.titles = _titles(self.papers)
        self.y = np.array([topic.slug in t for t in labels["topics"]], dtype=bool)
        table = _evidence(self.papers, self.alone, tuple(f for f in FIELDS if f in self.papers.columns))[0]
        self.evidence = table
        tagged_ids = set(table.loc[table["tagged"], "id"])
        self.ruled = self.papers["id"].isin(tagged_ids).to_numpy()
        # One pass over the text: words and phrases of every paper (labelled or not).
        vectorizer = CountVectorizer(analyzer=_phrases, binary=True, min_df=min(min_papers, len(corpus)))
        texts = _texts(corpus)
        try:
            matrix = vectorizer.fit_transform(texts).tocsc()
        except ValueError:  # no phrase in any paper
            matrix, self.vocabulary = None, np.array([], dtype=object)
        else:
            self.vocabulary = vectorizer.get_feature_names_out()
        position = pd.Index(corpus["id"]).get_indexer(self.papers["id"])
        self.words = matrix[position] if matrix is not None else None
        corpus_tagged = _evidence(corpus, self.alone, tuple(f for f in FIELDS if f in corpus.columns))[0]
        in_topic = corpus["id"].isin(set(corpus_tagged.loc[corpus_tagged["tagged"], "id"])).to_numpy()
        self.distinctive = self._distinctive(matrix, in_topic) if matrix is not None else []

    # -- candidates

    def candidates(self, fit: np.ndarray) -> set[tuple[str, str, str]]:
        """(action, phrase, source) changes worth trying, found on the labelled papers ``fit``."""
        return self._additions(fit) | self._exclusions(fit) | self._removals(fit)

    def _additions(self, fit: np.ndarray) -> set:
        if self.words is None or not len(fit):
            return set()
        y, ruled = self.y[fit], self.ruled[fit]
        words = self.words[fit]
        missed = np.asarray(words[y & ~ruled].sum(axis=0)).ravel()
        wrong = np.asarray(words[~y & ~ruled].sum(axis=0)).ravel()
        tp, fp, fn = int((y & ruled).sum()), int((~y & ruled).sum()), int((y & ~ruled).sum())
        f1 = 2 * (tp + missed) / np.maximum(2 * (tp + missed) + fp + wrong + fn - missed, 1)
        keep = np.flatnonzero(missed >= self.min_papers)
        best = keep[np.argsort(-f1[keep], kind="stable")][:_CANDIDATES]
        found = {("add term", self.vocabulary[i], "missed papers") for i in best}
        phrases = set(self.vocabulary[keep])
        found |= {("add term", p, "tagged vs untagged") for p in self.distinctive if p in phrases}
        return found

    def _distinctive(self, matrix, in_topic: np.ndarray) -> list[str]:
        """Phrases over-represented in the papers the rules tag (all papers, no labels), found in untagged ones too."""
        if in_topic.sum() < self.min_papers or in_topic.all():
            return []
        inside = np.asarray(matrix[in_topic].sum(axis=0)).ravel()
        outside = np.asarray(matrix[~in_topic].sum(axis=0)).ravel()
        ratio = np.log((inside + 0.5) / (in_topic.sum() + 1)) - np.log((outside + 0.5) / ((~in_topic).sum() + 1))
        score = ratio * np.sqrt(inside)
        keep = np.flatnonzero((outside >= self.min_papers) & (inside >= self.min_papers) & (ratio > 0))
        return [self.vocabulary[i] for i in keep[np.argsort(-score[keep], kind="stable")][:_CANDIDATES]]

    def _exclusions(self, fit: np.ndarray) -> set:
        """The words around the topic's matches in papers it tags wrongly (and never in right ones)."""
        ids = self.papers["id"].to_numpy()
        label = dict(zip(ids[fit], self.y[fit]))
        rows = self.evidence[self.evidence["id"].isin(set(label)) & self.evidence["tagged"]]
        text = self.papers.set_index("id")
        contexts: dict[str, list[set]] = {}
        for pid, field, start, end in zip(rows["id"], rows["field"], rows["start"], rows["end"]):
            value = text.at[pid, field]
            before = _WORD.findall(value[max(start - 40, 0) : start])
            after = _WORD.findall(value[end : end + 40])
            cue = " ".join(_WORD.findall(value[start:end])).lower()
            for phrase in _contexts(before, cue, after):
                right_wrong = contexts.setdefault(phrase.lower(), [set(), set()])
                right_wrong[0 if label[pid] else 1].add(pid)
        scored = [(len(w) - 2 * len(r), p) for p, (r, w) in contexts.items() if len(w) >= self.min_papers]
        best = sorted(scored, key=lambda s: (-s[0], s[1]))[:_CANDIDATES]
        return {("exclude", p, "wrongly tagged papers") for _, p in best}

    def _removals(self, fit: np.ndarray) -> set:
        """Cues whose precision on ``fit`` is below the topic's."""
        from litreview.tagging.matching import _Rule

        ids = set(self.papers["id"].to_numpy()[fit])
        rows = self.evidence[self.evidence["id"].isin(ids)]
        if rows.empty:
            return set()
        label = dict(zip(self.papers["id"], self.y))
        per_cue = rows.drop_duplicates(["rule", "id"]).assign(right=lambda f: f["id"].map(label))
        counts = per_cue.groupby("rule")["right"].agg(["size", "mean"])
        tagged = self.ruled[fit]
        precision = self.y[fit][tagged].mean() if tagged.any() else 0.0
        weak = counts[(counts["size"] >= self.min_papers) & (counts["mean"] < precision)]
        rules = [r for r in (*self.topic.terms, *self.topic.acronyms, *self.topic.supporting)]
        cues = {_Rule("", "", r).cue: r for r in rules}
        return {("remove", cues.get(_Rule("", "", r).cue, r), "low-precision cue") for r in weak.index}

    # -- measuring

    def try_rules(self, pool: list[tuple[str, str, str]]) -> np.ndarray:
        """What the rules tag with each candidate change, all candidates in one tagging pass."""
        from litreview.tagging.tagger import FIELDS, _evidence

        variants = [dataclasses.replace(self.topic, slug="c0")]
        for i, (action, phrase, _) in enumerate(pool, start=1):
            variants.append(dataclasses.replace(_changed(self.topic, action, phrase), slug=f"c{i}"))
        fields = tuple(f for f in FIELDS if f in self.papers.columns)
        table = _evidence(self.papers, Taxonomy(tuple(variants)), fields)[0]
        table = table[table["tagged"]].drop_duplicates(["id", "topic"])
        out = np.zeros((len(self.papers), len(variants)), dtype=bool)
        row = pd.Index(self.papers["id"]).get_indexer(table["id"])
        out[row, table["topic"].str[1:].astype(int).to_numpy()] = True
        return out

    def counts(self, tagged: np.ndarray, index: np.ndarray) -> np.ndarray:
        y = self.y[index]
        return np.array([(tagged & y).sum(), (tagged & ~y).sum(), (~tagged & y).sum()], dtype=int)

    def choose(self, fit: np.ndarray, columns: list[int], tagged: np.ndarray, n: int, pool: list) -> set[int]:
        """The candidates (columns) that raise F1 on ``fit`` most: ``n`` adding terms, ``n`` fixing precision.

        Of candidates of one action that change the same papers of ``fit`` (``low rank``, ``low rank
        updates``) one is kept: a phrase of two words before three, and any phrase before a single word."""
        base = _f1(self.counts(tagged[fit, 0], fit))
        best: dict[tuple, tuple] = {}
        for c in columns:
            gain = _f1(self.counts(tagged[fit, c], fit)) - base
            if gain <= 1e-9:
                continue
            words = len(pool[c - 1][1].split())
            key = (-gain, words == 1, words, pool[c - 1][1], c)
            effect = (pool[c - 1][0], tagged[fit, c].tobytes())
            if effect not in best or key < best[effect]:
                best[effect] = key
        recall, precision = [], []
        for *_, c in sorted(best.values()):
            (recall if (tagged[fit, c] & ~tagged[fit, 0]).any() else precision).append(c)
        return set(recall[:n]) | set(precision[:n])

    def example(self, changed: np.ndarray, base: np.ndarray) -> str:
        """A labelled paper the change gets right that the rules got wrong (or else one it gets wrong)."""
        fixed = np.flatnonzero((changed != base) & (changed == self.y))
        broken = np.flatnonzero((changed != base) & (changed != self.y))
        if len(fixed):
            return f"right: {self.titles[fixed[0]]}"
        return f"wrong: {self.titles[broken[0]]}" if len(broken) else ""


def _contexts(before: list[str], cue: str, after: list[str]) -> list[str]:
    """``word cue`` and ``cue word`` around a match, reaching past one stop word (``adapters in biology``)."""
    out = []
    for side, words in ((-1, before[::-1][:2]), (1, after[:2])):
        for k in (1, 2):
            if len(words) < k or _is_stop(words[k - 1]):
                continue
            if k == 2 and not _is_stop(words[0]):
                break
            near = " ".join(words[:k][::-1] if side < 0 else words[:k])
            out.append(f"{near} {cue}" if side < 0 else f"{cue} {near}")
            break
    return out


def _changed(topic: Topic, action: str, phrase: str) -> Topic:
    if action == "add term":
        return dataclasses.replace(topic, terms=(*topic.terms, phrase))
    if action == "exclude":
        return dataclasses.replace(topic, exclude=(*topic.exclude, phrase))
    kept = {k: tuple(v for v in getattr(topic, k) if v != phrase) for k in ("terms", "acronyms", "supporting")}
    if not any(kept.values()):
        return topic
    return dataclasses.replace(topic, **kept)


def _rates(counts: np.ndarray, suffix: str = "") -> dict:
    tp, fp, fn = (int(v) for v in counts)
    precision = tp / (tp + fp) if tp + fp else float("nan")
    recall = tp / (tp + fn) if tp + fn else float("nan")
    return {f"precision{suffix}": precision, f"recall{suffix}": recall, f"f1{suffix}": _f1(counts)}


def _f1(counts: np.ndarray) -> float:
    tp, fp, fn = (int(v) for v in counts)
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def _texts(papers: pd.DataFrame) -> list[str]:
    columns = [papers[f].tolist() for f in ("title", "abstract") if f in papers.columns]
    return [" . ".join(v for v in row if isinstance(v, str) and v) for row in zip(*columns)] or [""] * len(papers)


def _titles(papers: pd.DataFrame) -> list[str]:
    from litreview.schema import display_titles

    return list(display_titles(papers, words=12).map(readable)) if len(papers) else []


@functools.lru_cache(maxsize=1)
def _stop_words() -> frozenset:
    from litreview.tagging.decision import english_stop_words

    return english_stop_words()


def _is_stop(word: str) -> bool:
    return word.lower() in _stop_words() or word.isdigit()


def _phrases(text: str) -> list[str]:
    """Words and two- and three-word phrases of ``text`` that neither start nor end with a stop word,
    never across a sentence or a bracket (hyphens become spaces, as the rules match them)."""
    out: list[str] = []
    for chunk in _BREAK.split(text.lower()):
        tokens = [w for t in _WORD.findall(chunk) for w in t.split("-") if w]
        for size in (1, 2, 3):
            for i in range(len(tokens) - size + 1):
                gram = tokens[i : i + size]
                if not (_is_stop(gram[0]) or _is_stop(gram[-1]) or len(gram[0]) < 2):
                    out.append(" ".join(gram))
    return out
