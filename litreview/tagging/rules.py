"""What a rule match is, word by word: :class:`Matcher`, the definition the bulk engine
(:mod:`litreview.tagging.matching`) reproduces, and uses for texts it cannot map to bytes.

The words are the runs of letters and digits (``[^\\W_]+``); a rule phrase matches its
words in sequence, as written, joined (``fine-tuning`` -> ``finetuning``) or in the plural
(:func:`_variants`); ``acronyms`` match case-sensitively, the others in any case.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from litreview.tagging.taxonomy import Taxonomy

_WORD = re.compile(r"[^\W_]+")
_KINDS = ("term", "supporting", "exclude")
_TERM, _SUPPORTING, _EXCLUDE = range(3)


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
    """Every rule of a taxonomy compiled into one word-sequence lookup table.

    This is the definition of a match, word by word; :func:`evidence` finds the
    same matches in bulk and uses this only for texts it cannot map to bytes.
    """

    def __init__(self, taxonomy: Taxonomy):
        self.taxonomy = taxonomy
        self.rules: list[_Rule] = []
        # One entry per (rule, word sequence it matches): (words, case_sensitive, rule index)
        self.entries: list[tuple[tuple[str, ...], bool, int]] = []
        # first word -> entry indices, longest first (in rule order among equals)
        self._table: dict[str, list[int]] = defaultdict(list)
        for topic in taxonomy.topics:
            for kind, phrases, exact in (
                ("term", topic.terms, False),
                ("term", topic.acronyms, True),
                ("supporting", topic.supporting, False),
                ("exclude", topic.exclude, False),
            ):
                for phrase in phrases:
                    self.rules.append(_Rule(topic.slug, kind, phrase))
                    for variant in sorted(_variants(phrase, exact)):
                        key = variant[0] if exact else variant[0].lower()
                        self._table[key].append(len(self.entries))
                        self.entries.append((variant, exact, len(self.rules) - 1))
        for ids in self._table.values():
            ids.sort(key=lambda e: -len(self.entries[e][0]))

    def scan(self, text: str) -> list[tuple[_Rule, int, int]]:
        """All rule matches in ``text`` as ``(rule, start, end)`` character spans."""
        return [(self.rules[self.entries[e][2]], s, t) for e, s, t in self.scan_entries(text)]

    def scan_entries(self, text: str) -> list[tuple[int, int, int]]:
        """All matches in ``text`` as ``(entry index, start, end)``, in text order."""
        words = [(m.group(), m.start(), m.end()) for m in _WORD.finditer(text)]
        lowered = [w.lower() for w, _, _ in words]
        found: list[tuple[int, int, int]] = []
        table, entries = self._table, self.entries
        for i, (word, _, _) in enumerate(words):
            candidates = table.get(lowered[i])
            if word != lowered[i]:
                exact_candidates = table.get(word)
                if exact_candidates:
                    candidates = (candidates or []) + exact_candidates
            if not candidates:
                continue
            for e in candidates:
                phrase, exact, _ = entries[e]
                n = len(phrase)
                got = [w for w, _, _ in words[i : i + n]] if exact else lowered[i : i + n]
                if len(got) == n and tuple(got) == phrase:
                    found.append((e, words[i][1], words[i + n - 1][2]))
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
