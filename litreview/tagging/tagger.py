"""Tag papers with taxonomy topics, keeping the evidence for every tag.

What a match is, is defined word by word by :class:`Matcher` (the words are the
runs of letters and digits, ``[^\\W_]+``; see :mod:`litreview.tagging.taxonomy` for the
rules).  :func:`evidence` finds exactly those matches, but for all topics and
all papers in bulk, so that Python never loops over words:

1. Texts are joined into strings of about a million characters (ASCII texts
   apart from the others), three NULs between texts, and every character
   becomes one byte: 0 for a character that is not a letter or digit, the
   code of its lower case when a rule word has that letter, 255 for any other
   letter or digit.  The middle NUL between two texts becomes 255: a word in no
   rule, so no phrase runs from one text into the next.  ASCII text is mapped
   by ``bytes.translate``; other text through numpy.
2. numpy finds the words (where the bytes turn non-zero and back) and looks
   each one up in a hash table of the rule words, by two 64-bit keys: its
   first 8 bytes, and its last 7 with its length.  Up to 15 letters the keys
   are the word; longer words that match are compared in full.
3. A trie of all rule phrases is walked from every word at once, one word
   further per step.  Case-sensitive rules (``acronyms``) are found like the
   others and then compared with the text as written.
4. Exclusions, matches inside longer ones, the tagging decision and the table
   are computed on whole columns; the string columns go straight to pyarrow
   when pandas keeps strings there (``matched`` is cut from the text's UTF-8
   bytes).

The groups of step 1 are scanned in threads, one per core: numpy works without
the interpreter lock.  Two things of ``str.lower()`` are not per character:
"Σ" lowers to "ς" at the end of a word (a text with "Σ" goes through
:class:`Matcher` when a rule word has a sigma), and "İ" lowers to two
characters (a word with it can only match a case-sensitive rule, whose match
is checked as written anyway).  Unusual inputs go the plain way: ids that are
not all strings (row by row, as pandas infers), an empty table, a taxonomy
with more than 254 distinct letters (:class:`Matcher` for every text).  The
result is the table the word-by-word tagger gave, row for row and type for
type; ``tests/test_tagging_speed_equivalence.py`` checks it against a frozen
copy of that tagger, and ``bench/tagging.py`` times both.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import pandas as pd

from litreview.tagging.taxonomy import Taxonomy, load_taxonomy

FIELDS: tuple[str, ...] = ("title", "abstract", "notes")
# Commentary is not the paper's own account of itself: it only supports.
SUPPORTING_ONLY_FIELDS = frozenset({"notes"})
EVIDENCE_COLUMNS = ["id", "topic", "field", "rule", "kind", "matched", "start", "end", "tagged"]

_WORD = re.compile(r"[^\W_]+")
_KINDS = ("term", "supporting", "exclude")
_TERM, _SUPPORTING, _EXCLUDE = range(3)
# str.lower() is per character except for the final sigma: "Σ" lowers to "ς" at the
# end of a word and to "σ" elsewhere.  (One character, "İ", lowers to two: its byte is
# 255, so a word holding it can only match a case-sensitive rule, checked as written.)
_CAPITAL_SIGMA = "\u03a3"
_CHUNK_CHARS = 1_000_000  # text handled in one numpy pass: bounds the memory, spreads the work
_MAX_THREADS = 8


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


# -- matching in bulk -------------------------------------------------------------------------------------------------

_LOW_BYTES = np.array([(1 << (8 * n)) - 1 for n in range(8)] + [(1 << 64) - 1], dtype=np.uint64)
_POISON = 255  # the byte of a letter or digit that occurs in no rule word


@dataclass
class _Hits:
    """Matches as columns: text number, character span in the text, entry index; and,
    when asked for, the matched text (a pyarrow array or a numpy array of strings)."""

    text: np.ndarray
    start: np.ndarray
    end: np.ndarray
    entry: np.ndarray
    matched: object = None

    def take(self, index: np.ndarray) -> _Hits:
        matched = self.matched
        if matched is not None:
            matched = matched.take(index) if not isinstance(matched, np.ndarray) else matched[index]
        return _Hits(self.text[index], self.start[index], self.end[index], self.entry[index], matched)

    @staticmethod
    def concat(parts: list[_Hits], arrow: bool) -> _Hits:
        numbers = [np.concatenate([getattr(p, f) for p in parts] or [np.zeros(0, np.int64)]) for f in _NUMBERS]
        matched = [p.matched for p in parts]
        if not any(m is not None for m in matched):
            return _Hits(*numbers)
        if arrow:
            import pyarrow as pa

            arrays = [m if isinstance(m, pa.Array) else pa.array(m, type=pa.large_string()) for m in matched]
            return _Hits(*numbers, pa.concat_arrays(arrays) if arrays else pa.array([], pa.large_string()))
        strings = np.empty(len(numbers[0]), dtype=object)
        strings[:] = [s for m in matched for s in m]
        return _Hits(*numbers, strings)


_NUMBERS = ("text", "start", "end", "entry")


class _FastMatcher:
    """The rules of a :class:`Matcher` as numpy tables: byte map, vocabulary, phrase trie."""

    def __init__(self, matcher: Matcher):
        self.matcher = matcher
        entries = matcher.entries
        rules = matcher.rules
        topic_index = {t.slug: i for i, t in enumerate(matcher.taxonomy.topics)}
        self.rule_topic = np.array([topic_index[r.topic] for r in rules], dtype=np.int64)
        self.rule_kind = np.array([_KINDS.index(r.kind) for r in rules], dtype=np.int64)
        cues = {c: i for i, c in enumerate(dict.fromkeys(r.cue for r in rules))}
        self.rule_cue = np.array([cues[r.cue] for r in rules], dtype=np.int64)
        self.n_cues = max(len(cues), 1)
        self.entry_rule = np.array([r for _, _, r in entries], dtype=np.int64)
        self.entry_exact = np.array([x for _, x, _ in entries], dtype=bool)
        self.entry_length = np.array([len(w) for w, _, _ in entries], dtype=np.int64)
        self.entry_topic = self.rule_topic[self.entry_rule] if entries else np.zeros(0, np.int64)
        self.entry_kind = self.rule_kind[self.entry_rule] if entries else np.zeros(0, np.int64)
        self.entry_order = self._candidate_order()

        # The byte alphabet: every character of a rule word, lower-cased.
        chars = {c.lower() for words, _, _ in entries for w in words for c in w}
        alphabet = sorted(c for c in chars if len(c) == 1)
        self.enabled = bool(entries) and len(alphabet) < _POISON
        self.sigma_matters = bool({"σ", "ς"} & set(alphabet))
        self._code = {c: i + 1 for i, c in enumerate(alphabet)} if self.enabled else {}
        self.ascii_table = bytes([self.byte(chr(c)) for c in range(128)] + [0] * 128)
        self.ascii_map = np.frombuffer(self.ascii_table, dtype=np.uint8)
        if not self.enabled:
            return

        # Vocabulary: the byte form of every rule word; a phrase is a sequence of word ids.
        vocab: dict[bytes, int] = {}
        sequences = [tuple(vocab.setdefault(self.word_bytes(w), len(vocab)) for w in words) for words, _, _ in entries]
        self._build_vocabulary(list(vocab))
        self._build_trie(sequences)
        self._build_exact_words()

    # -- compile ---------------------------------------------------------------------------------------------------

    def _candidate_order(self) -> np.ndarray:
        """Where each entry comes among the matches starting at one word, as :meth:`Matcher.scan_entries`
        lists them: lower-case keys first, then longer phrases, then rule order."""
        entries = self.matcher.entries
        longest = max((len(w) for w, _, _ in entries), default=1)
        mixed_case_key = [int(exact and words[0] != words[0].lower()) for words, exact, _ in entries]
        return np.array(
            [
                (mixed * (longest + 1) + (longest - len(words))) * len(entries) + i
                for i, ((words, _, _), mixed) in enumerate(zip(entries, mixed_case_key))
            ],
            dtype=np.int64,
        )

    def byte(self, char: str) -> int:
        """The byte a text character becomes."""
        if not char.isalnum():
            return 0
        return self._code.get(char.lower(), _POISON)

    def word_bytes(self, word: str) -> bytes:
        return bytes(self.byte(c) for c in word)

    def _build_vocabulary(self, words: list[bytes]) -> None:
        """The rule words, found by their two keys (see :func:`_word_keys`)."""
        self.v_bytes = words
        self.vocabulary = _KeyTable(*_word_keys(words))

    def _build_trie(self, sequences: list[tuple[int, ...]]) -> None:
        """States are phrase prefixes; a word id moves from one state to the next."""
        n_words = len(self.v_bytes)
        root = np.full(n_words + 1, -1, dtype=np.int64)  # the last: words in no rule
        transitions: dict[tuple[int, int], int] = {}
        ends: dict[int, list[int]] = defaultdict(list)
        n_states = 0
        for entry, sequence in enumerate(sequences):
            state = int(root[sequence[0]])
            if state < 0:
                state = root[sequence[0]] = n_states
                n_states += 1
            for word in sequence[1:]:
                nxt = transitions.get((state, word))
                if nxt is None:
                    nxt = transitions[(state, word)] = n_states
                    n_states += 1
                state = nxt
            ends[state].append(entry)
        self.root = root
        pairs = np.array(list(transitions), dtype=np.uint64).reshape(-1, 2)
        self.transitions = _KeyTable(pairs[:, 0], pairs[:, 1] + np.uint64(1))  # never the all-zero key
        self.t_next = np.array([*transitions.values(), -1], dtype=np.int64)  # -1: no such transition
        self.extends = np.zeros(n_states, dtype=bool)  # states some phrase goes on from
        self.extends[[state for state, _ in transitions]] = True
        self.final = np.zeros(n_states, dtype=bool)
        counts = np.zeros(n_states + 1, dtype=np.int64)
        for state, found in ends.items():
            self.final[state] = True
            counts[state + 1] = len(found)
        self.final_ptr = np.cumsum(counts)
        self.final_entries = np.zeros(int(self.final_ptr[-1]), dtype=np.int64)
        for state, found in ends.items():
            self.final_entries[self.final_ptr[state] : self.final_ptr[state + 1]] = found

    def _build_exact_words(self) -> None:
        """Keys of the words of case-sensitive entries as written, in ASCII (other entries:
        keys no word has), to check them against ASCII text in bulk."""
        entries = self.matcher.entries
        width = max([len(w) for w, x, _ in entries if x], default=0)
        self.x_width = width
        self.x_keys = np.zeros((2, len(entries), width), dtype=np.uint64)
        for e, (words, exact, _) in enumerate(entries):
            if exact and all(w.isascii() for w in words):
                self.x_keys[:, e, : len(words)] = _word_keys([w.encode("ascii") for w in words])

    # -- scan ------------------------------------------------------------------------------------------------------

    def scan(self, texts: list[str], numbers: np.ndarray, matched: str | None) -> _Hits:
        """All matches in ``texts`` (non-empty strings), numbered ``numbers`` in the result.

        ``matched``: None, or ``"arrow"``/``"python"`` to return the matched text too.
        """
        parts: list[_Hits] = []
        lengths = np.array(list(map(len, texts)), dtype=np.int64)
        ascii_ = np.array(list(map(str.isascii, texts)), dtype=bool)
        slow = np.zeros(len(texts), dtype=bool) if self.enabled else np.ones(len(texts), dtype=bool)
        if self.enabled and self.sigma_matters:
            slow = np.array([not a and _CAPITAL_SIGMA in t for t, a in zip(texts, ascii_.tolist())], dtype=bool)
        for i in np.flatnonzero(slow).tolist():
            parts.append(self._scan_one(texts[i], int(numbers[i]), matched))
        cut = np.searchsorted(np.cumsum(lengths), np.arange(1, lengths.sum() // _CHUNK_CHARS + 1) * _CHUNK_CHARS)
        groups = []
        for chunk in np.split(np.arange(len(texts)), cut):
            for kind in (True, False):
                chosen = chunk[(ascii_[chunk] == kind) & ~slow[chunk]]
                if len(chosen):
                    groups.append(chosen)

        def scan_group(chosen: np.ndarray) -> _Hits:
            return self.scan_group([texts[i] for i in chosen.tolist()], numbers[chosen], matched)

        # numpy lets go of the interpreter lock while it works on arrays, so the
        # groups are scanned in threads, one per core.
        workers = min(len(groups), _cores(), _MAX_THREADS)
        if workers > 1:
            with ThreadPoolExecutor(workers) as pool:
                parts += pool.map(scan_group, groups)
        else:
            parts += map(scan_group, groups)
        return _Hits.concat(parts, matched == "arrow")

    def _scan_one(self, text: str, number: int, matched: str | None) -> _Hits:
        found = np.array(self.matcher.scan_entries(text), dtype=np.int64).reshape(-1, 3)
        strings = [text[s:e] for s, e in found[:, 1:].tolist()] if matched else None
        return _Hits(np.full(len(found), number, np.int64), found[:, 1], found[:, 2], found[:, 0], strings)

    def scan_group(self, texts: list[str], numbers: np.ndarray, matched: str | None) -> _Hits:
        """The matches in some texts, handled as one string.

        The texts are joined with three NULs, and the middle one's byte is set to
        255: a word in no rule between any two texts, so no phrase runs across.
        """
        joined = _JOINER + _JOINER.join(texts) + _JOINER
        lengths = np.array(list(map(len, texts)), dtype=np.int64)
        offsets = np.cumsum(lengths + len(_JOINER)) - lengths  # where each text starts
        if joined.isascii():
            raw, codes = joined.encode("ascii") + bytes(8), None
            data = np.frombuffer(raw.translate(self.ascii_table), dtype=np.uint8).copy()
        else:
            raw, codes = None, np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), "<u4")
            data = self._bytes(codes)
        data[offsets[1:] - 2] = _POISON

        # Words: maximal runs of non-zero bytes (the first byte is a NUL).
        letter = data != 0
        edges = np.flatnonzero(letter[1:] != letter[:-1]) + 1
        starts, ends = edges[0::2], edges[1::2]

        position, state, length = self._walk(self._word_ids(data, starts, ends))

        # Every entry of every phrase found.
        first, count = self.final_ptr[state], self.final_ptr[state + 1] - self.final_ptr[state]
        row = np.repeat(np.arange(len(state)), count)
        entry = self.final_entries[first[row] + np.arange(len(row)) - np.repeat(np.cumsum(count) - count, count)]
        position = position[row]
        exact = np.flatnonzero(self.entry_exact[entry])
        if len(exact):  # found regardless of case: keep those spelled as the rule is
            keep = np.ones(len(entry), dtype=bool)
            keep[exact] = self._as_written(joined, raw, starts, ends, position[exact], entry[exact])
            position, entry = position[keep], entry[keep]
        span_start, span_end = starts[position], ends[position + self.entry_length[entry] - 1]

        local = np.searchsorted(offsets, span_start, side="right") - 1
        hits = _Hits(numbers[local], span_start - offsets[local], span_end - offsets[local], entry)
        if matched == "arrow":
            hits.matched = _arrow_slices(joined, raw, codes, span_start, span_end)
        elif matched:
            hits.matched = [joined[s:e] for s, e in zip(span_start.tolist(), span_end.tolist())]
        return hits

    def _bytes(self, codes: np.ndarray) -> np.ndarray:
        """One byte per character code (see the module docstring), and 8 zero bytes after."""
        out = np.zeros(len(codes) + 8, dtype=np.uint8)
        np.take(self.ascii_map, np.minimum(codes, 255), out=out[: len(codes)])
        (others,) = np.nonzero(codes >= 128)
        distinct, where = np.unique(codes[others], return_inverse=True)
        out[others] = np.array([self.byte(chr(c)) for c in distinct.tolist()], dtype=np.uint8)[where]
        return out

    def _word_ids(self, data: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
        """Vocabulary index of each word; ``len(self.v_bytes)`` for words in no rule."""
        keys = _text_word_keys(data, starts, ends)
        word_id = self.vocabulary.find(*keys)
        none = len(self.v_bytes)
        (check,) = np.nonzero(keys[1] >= _LONG)
        for i in check[word_id[check] != none].tolist():  # 16 letters or more: compare the middle too
            if data[starts[i] : ends[i]].tobytes() != self.v_bytes[word_id[i]]:
                word_id[i] = none
        return word_id

    def _walk(self, word_id: np.ndarray):
        """Run the trie from every word at once: (first word, final state, length in words) of each phrase."""
        n_words = len(word_id)
        state = self.root[word_id]
        (position,) = np.nonzero(state >= 0)
        state = state[position]
        found_position, found_state, found_length = [], [], []
        step = 1
        while len(position):
            final = self.final[state]
            found_position.append(position[final])
            found_state.append(state[final])
            found_length.append(np.full(int(final.sum()), step, dtype=np.int64))
            keep = self.extends[state] & (position + step < n_words)
            position, state = position[keep], state[keep]
            word = word_id[position + step].astype(np.uint64) + np.uint64(1)
            state = self.t_next[self.transitions.find(state.astype(np.uint64), word)]
            keep = state >= 0
            position, state = position[keep], state[keep]
            step += 1
        if not found_position:
            return (np.zeros(0, np.int64),) * 3
        return np.concatenate(found_position), np.concatenate(found_state), np.concatenate(found_length)

    def _as_written(self, joined: str, raw: bytes | None, starts, ends, position, entry) -> np.ndarray:
        """Whether the words at ``position`` are spelled exactly as the case-sensitive ``entry``."""
        entries = self.matcher.entries
        if raw is None:  # not ASCII: compare the words one by one
            return np.array(
                [
                    tuple(joined[starts[p + j] : ends[p + j]] for j in range(len(entries[e][0]))) == entries[e][0]
                    for p, e in zip(position.tolist(), entry.tolist())
                ],
                dtype=bool,
            )
        text = np.frombuffer(raw, dtype=np.uint8)
        same = np.ones(len(position), dtype=bool)
        for j in range(self.x_width):
            (inside,) = np.nonzero(self.entry_length[entry] > j)
            word, e = position[inside] + j, entry[inside]
            first, second = _text_word_keys(text, starts[word], ends[word])
            same[inside] &= (self.x_keys[0, e, j] == first) & (self.x_keys[1, e, j] == second)
            for i in inside[same[inside] & (second >= _LONG)].tolist():  # compare the middle bytes too
                p = position[i] + j
                same[i] = raw[starts[p] : ends[p]] == entries[entry[i]][0][j].encode("ascii")
        return same


_JOINER = "\x00\x00\x00"


def _cores() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _arrow_slices(joined: str, raw: bytes | None, codes: np.ndarray | None, starts: np.ndarray, ends: np.ndarray):
    """``joined[s:e]`` for each span, as a pyarrow string array cut straight from the text's
    UTF-8 bytes (no Python string per row); a list of strings for text UTF-8 cannot hold."""
    import pyarrow as pa

    if raw is None:
        try:
            raw = joined.encode("utf-8")
        except UnicodeEncodeError:  # lone surrogates: pandas cannot store them either
            return [joined[s:e] for s, e in zip(starts.tolist(), ends.tolist())]
        # A character's UTF-8 bytes start after those of the characters before it.
        (wide,) = np.nonzero(codes >= 0x80)
        extra = np.cumsum((codes[wide] >= 0x800).astype(np.int64) + (codes[wide] >= 0x10000) + 1)
        extra = np.concatenate([[0], extra])
        starts = starts + extra[np.searchsorted(wide, starts)]
        ends = ends + extra[np.searchsorted(wide, ends)]
    lengths = ends - starts
    offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    source = np.repeat(starts - offsets[:-1], lengths) + np.arange(offsets[-1])
    data = np.frombuffer(raw, dtype=np.uint8)[source]
    return pa.LargeStringArray.from_buffers(len(lengths), pa.py_buffer(offsets), pa.py_buffer(data))


_LONG = np.uint64(16 << 56)  # second keys from here on: words of 16 bytes or more


def _word_keys(words: list[bytes]) -> tuple[np.ndarray, np.ndarray]:
    """Two uint64 keys of each word: its first 8 bytes, and its last 7 bytes (words longer
    than 8) with the length (up to 255) in the top byte.  Different words of up to 15
    bytes have different keys; longer words must be compared in full."""
    first = np.array([int.from_bytes(w[:8], "little") for w in words], dtype=np.uint64)
    second = np.array(
        [(int.from_bytes(w[-7:], "little") if len(w) > 8 else 0) | min(len(w), 255) << 56 for w in words],
        dtype=np.uint64,
    )
    return first, second


def _text_word_keys(data: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_word_keys` of the words ``data[s:e]`` (``data`` has 8 bytes of padding)."""
    eight = np.ndarray((len(data) - 7,), dtype=np.uint64, buffer=data, strides=(1,))  # 8 bytes at any offset
    lengths = ends - starts
    first = eight[starts] & _LOW_BYTES[np.minimum(lengths, 8)]
    second = np.minimum(lengths, 255).astype(np.uint64) << np.uint64(56)
    (long,) = np.nonzero(lengths > 8)
    second[long] |= eight[ends[long] - 8] >> np.uint64(8)
    return first, second


class _KeyTable:
    """A hash table from key pairs (uint64) to their row numbers, looked up for whole arrays.

    The slot is a multiplicative hash; the multipliers and the table size are
    chosen (seeded, so always the same) so that no two rows share a slot when
    that fits: a lookup is then one gather.  Otherwise rows are placed by linear
    probing and a lookup tries ``probes`` slots.  Absent keys give ``len(rows)``;
    the all-zero pair stands for an empty slot and must not be looked up.
    """

    def __init__(self, *keys: np.ndarray, max_bits: int = 22):
        n = len(keys[0])
        self.keys = tuple(np.append(k.astype(np.uint64), np.uint64(0)) for k in keys)
        rng = np.random.default_rng(0)
        # From a table 8 times the rows up to one of about rows**2 slots (no two rows
        # likely to share one), within max_bits, but always more slots than rows.
        low = max(n.bit_length() + 1, min(max(n.bit_length() + 3, 10), max_bits))
        best = None
        for bits in range(low, max(low, min(2 * n.bit_length(), max_bits)) + 1):
            for _ in range(8):
                multipliers = rng.integers(1, 2**62, size=len(keys), dtype=np.uint64) * np.uint64(2) + np.uint64(1)
                probes, table = _place(_slots(keys, multipliers, bits).tolist(), bits, n)
                if best is None or probes < best[0]:
                    best = (probes, bits, multipliers, np.array(table, dtype=np.int64))
                if probes == 1:
                    break
            if best[0] == 1:
                break
        self.probes, self.bits, self.multipliers, self.table = best

    def find(self, *query: np.ndarray) -> np.ndarray:
        slots = _slots(query, self.multipliers, self.bits).view(np.int64)
        found = None
        for step in range(self.probes):
            at = self.table[(slots + step) & ((1 << self.bits) - 1) if step else slots]
            hit = self.keys[0][at] == query[0]
            for key, asked in zip(self.keys[1:], query[1:]):
                hit &= key[at] == asked
            if found is None:
                found = np.where(hit, at, len(self.keys[0]) - 1)
            else:
                found[hit] = at[hit]
        return found


def _place(slots: list[int], bits: int, empty: int) -> tuple[int, list[int]]:
    """Row numbers placed at their slots by linear probing, and the longest probe needed."""
    size = 1 << bits
    table = [empty] * size
    probes = 1
    for row, slot in enumerate(slots):
        step = 0
        while table[(slot + step) % size] != empty:
            step += 1
        table[(slot + step) % size] = row
        probes = max(probes, step + 1)
    return probes, table


def _slots(keys, multipliers: np.ndarray, bits: int) -> np.ndarray:
    """Hash-table slots of key tuples."""
    with np.errstate(over="ignore"):
        mixed = keys[0] * multipliers[0]
        for key, multiplier in zip(keys[1:], multipliers[1:]):
            mixed ^= key * multiplier
        return mixed >> np.uint64(64 - bits)


_COMPILED: dict[tuple, _FastMatcher] = {}


def _compiled(taxonomy: Taxonomy) -> _FastMatcher:
    """The compiled rules of a taxonomy, kept for the next call (a few are kept)."""
    key = taxonomy.topics
    if key not in _COMPILED:
        if len(_COMPILED) >= 8:
            _COMPILED.pop(next(iter(_COMPILED)))
        _COMPILED[key] = _FastMatcher(Matcher(taxonomy))
    return _COMPILED[key]


# -- the evidence table -----------------------------------------------------------------------------------------------


def evidence(
    papers: pd.DataFrame,
    taxonomy: Taxonomy | str | None = None,
    fields: tuple[str, ...] = FIELDS,
    *,
    cache: bool = False,
) -> pd.DataFrame:
    """Every rule match in every paper, as a tidy table.

    Columns: ``id``, ``topic``, ``field``, ``rule`` (the taxonomy phrase),
    ``kind`` (``term`` or ``supporting``), ``matched`` (the text as it appears),
    ``start``/``end`` (character offsets in the field) and ``tagged`` (whether
    the paper got the topic).  Matches inside an ``exclude`` phrase are left out.

    ``papers`` may be a Dask DataFrame (see :mod:`litreview.distributed`).
    ``cache=True`` keeps the table on disk (:mod:`litreview.io.cache`), keyed by
    the papers' ids and text and the taxonomy, and reuses it while both are unchanged.
    """
    taxonomy = _as_taxonomy(taxonomy)
    if not cache:
        return _evidence(papers, taxonomy, fields)[0]
    from litreview.io.cache import cache_key, frame_digest, read_cached, write_cached

    _check_papers(papers, fields)
    key = cache_key("evidence", [frame_digest(papers, ["id", *fields]), taxonomy.fingerprint, list(fields)])
    cached = read_cached(key, schema=False)
    if cached is not None:
        return cached
    table = _evidence(papers, taxonomy, fields)[0]
    write_cached(key, table)
    return table


def _evidence(papers: pd.DataFrame, taxonomy: Taxonomy, fields) -> tuple[pd.DataFrame, _Tags | None]:
    """The evidence table, and (when built column by column) each row's id code and
    topic and whether it is tagged, for :func:`tag`."""
    _check_papers(papers, fields)
    fast = _compiled(taxonomy)
    fields = tuple(fields)
    columns = [papers[f].tolist() for f in fields]
    texts = [text for row in zip(*columns) for text in row] if columns else []  # text number: paper, field
    numbers = [i for i, text in enumerate(texts) if text.__class__ is str and text or isinstance(text, str) and text]
    ids = papers["id"]
    # Built column by column when the ids are strings (as load() gives them); otherwise
    # row by row, letting pandas infer the column types as it always did.
    by_column = (
        ids.notna().all()
        and pd.api.types.infer_dtype(ids, skipna=False) == "string"
        and len(set(taxonomy.slugs)) == len(taxonomy.slugs)
    )
    string_type = pd.Series(["x"]).dtype
    matched = ("arrow" if getattr(string_type, "storage", None) == "pyarrow" else "python") if by_column else None
    hits = fast.scan([texts[i] for i in numbers], np.array(numbers, dtype=np.int64), matched)
    rows = _kept_in_order(hits, fast, len(fields))
    if by_column and len(rows.entry):
        return _table(rows, fast, ids, fields, taxonomy, string_type)
    return _table_one_by_one(rows, fast, papers, fields, texts, taxonomy), None


def _kept_in_order(hits: _Hits, fast: _FastMatcher, n_fields: int) -> _Hits:
    """The matches that count, ordered by paper, topic, field, start, then as found.

    A match is left out when it is an exclusion, lies inside an exclusion of its
    topic, or lies inside a longer match of its topic (``ai safety`` covers
    ``safety``: the text is evidence once, for the longer rule).
    """
    if not len(hits.entry):
        return hits
    topic = fast.entry_topic[hits.entry]
    paper, field = np.divmod(hits.text, n_fields)
    group = (paper * len(fast.matcher.taxonomy) + topic) * n_fields + field  # one text, one topic
    order = _order_by(group, hits.start, fast.entry_order[hits.entry])
    group, start, end, entry = group[order], hits.start[order], hits.end[order], hits.entry[order]
    excluding = fast.entry_kind[entry] == _EXCLUDE

    # Blocks of matches with one start in one group, and the groups themselves.
    new_block = np.ones(len(group), dtype=bool)
    new_block[1:] = (group[1:] != group[:-1]) | (start[1:] != start[:-1])
    block_first = np.flatnonzero(new_block)
    block = np.cumsum(new_block) - 1
    block_group = np.cumsum(np.r_[True, group[block_first[1:]] != group[block_first[:-1]]]) - 1
    base = block_group * (int(end.max()) + 2)

    def furthest(ends_of: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per block: the furthest end in the block, and in the earlier blocks of its group (-1: none)."""
        in_block = np.maximum.reduceat(ends_of, block_first)
        running = np.maximum.accumulate(base + in_block + 1)
        before = np.r_[-1, running[:-1] - base[1:] - 1]
        return in_block[block], np.maximum(before, -1)[block]

    other_end, other_before = furthest(np.where(excluding, -1, end))
    exclusion_end, exclusion_before = furthest(np.where(excluding, end, -1))
    inside_longer = (other_before >= end) | (other_end > end)
    excluded = np.maximum(exclusion_before, exclusion_end) >= end
    return hits.take(order[~excluding & ~inside_longer & ~excluded])


def _order_by(*keys: np.ndarray) -> np.ndarray:
    """The stable order sorting by ``keys`` (first key first), all non-negative integers."""
    spans = [int(key.max()) + 1 if len(key) else 1 for key in keys]
    if np.prod([float(s) for s in spans]) >= 2**62:
        return np.lexsort(keys[::-1])  # too wide to pack in one integer: lexsort (stable too)
    packed = np.zeros(len(keys[0]), dtype=np.int64)
    for key, span in zip(keys, spans):
        packed = packed * span + key
    return np.argsort(packed, kind="stable")  # timsort: fast on the partly ordered keys here


@dataclass
class _Tags:
    """Which topics each paper id got: ids as codes (``paper_codes``, one per paper),
    and the (id code, topic index) pairs of the tagged evidence rows."""

    paper_codes: np.ndarray
    id_code: np.ndarray
    topic: np.ndarray


def _table(rows: _Hits, fast: _FastMatcher, ids: pd.Series, fields, taxonomy: Taxonomy, string_type):
    """The evidence table from the kept matches, built column by column (ids are strings)."""
    n_fields = len(fields)
    paper, field = np.divmod(rows.text, n_fields)
    codes, unique_ids = pd.factorize(ids)
    if not ids.is_unique or len(set(fields)) != n_fields:
        # Rows so far follow paper order; the table is ordered by each id's last row
        # and each field name's last place, as a stable sort by those ranks gives.
        id_rank = np.zeros(len(unique_ids), dtype=np.int64)
        np.maximum.at(id_rank, codes, np.arange(len(codes)))
        field_rank = np.array([max(i for i, f in enumerate(fields) if f == g) for g in fields], dtype=np.int64)
        topic = fast.entry_topic[rows.entry]
        rows = rows.take(_order_by(id_rank[codes[paper]], topic, field_rank[field], rows.start))
        paper, field = np.divmod(rows.text, n_fields)
    rule = fast.entry_rule[rows.entry]
    topic = fast.rule_topic[rule]
    supporting_only = np.array([f in SUPPORTING_ONLY_FIELDS for f in fields])
    kind = np.where(supporting_only[field], _SUPPORTING, fast.rule_kind[rule])
    strong = (kind == _TERM) | np.array([f == "title" for f in fields])[field]
    tagged = _decide_runs(codes[paper], topic, strong, fast.rule_cue[rule], fast, taxonomy)
    columns = {
        "id": _strings(ids.to_numpy(dtype=object), paper, string_type),
        "topic": _strings(np.array(taxonomy.slugs, dtype=object), topic, string_type),
        "field": _strings(np.array(fields, dtype=object), field, string_type),
        "rule": _strings(np.array([r.phrase for r in fast.matcher.rules], dtype=object), rule, string_type),
        "kind": _strings(np.array(_KINDS, dtype=object), kind, string_type),
        "matched": _strings(rows.matched, None, string_type),
        "start": rows.start.astype(np.int64),
        "end": rows.end.astype(np.int64),
        "tagged": tagged,
    }
    return pd.DataFrame(columns, columns=EVIDENCE_COLUMNS), _Tags(codes, codes[paper][tagged], topic[tagged])


def _decide_runs(id_code, topic, strong, cue, fast: _FastMatcher, taxonomy: Taxonomy) -> np.ndarray:
    """Whether each row's (paper id, topic) earns the tag; rows of one pair are adjacent."""
    new_run = np.ones(len(topic), dtype=bool)
    new_run[1:] = (id_code[1:] != id_code[:-1]) | (topic[1:] != topic[:-1])
    run_first = np.flatnonzero(new_run)
    run = np.cumsum(new_run) - 1
    decided = np.logical_or.reduceat(strong, run_first)
    weak = ~decided[run]
    if weak.any():
        pairs = _distinct(run[weak] * fast.n_cues + cue[weak])  # distinct cues of each run
        cues = np.bincount(pairs // fast.n_cues, minlength=len(run_first))
        minimum = np.array([t.min_supporting for t in taxonomy.topics], dtype=np.int64)
        decided |= cues >= minimum[topic[run_first]]
    return decided[run] & (id_code >= 0)


def _distinct(values: np.ndarray) -> np.ndarray:
    """The distinct values, sorted (``np.unique``, faster on the nearly sorted arrays here)."""
    values = np.sort(values, kind="stable")
    return values[np.r_[True, values[1:] != values[:-1]]] if len(values) else values


def _strings(values, index: np.ndarray | None, string_type):
    """A string column of type ``string_type`` (what pandas infers for Python strings):
    ``values[index]``, or ``values`` itself (a pyarrow or numpy array) when no index."""
    if getattr(string_type, "storage", None) == "pyarrow":
        import pyarrow as pa

        if index is not None:
            values = pa.array(values, type=pa.large_string()).take(pa.array(index))
        return pd.array(values, dtype=string_type)
    values = values if index is None else values[index]
    return values if string_type is np.dtype(object) else pd.array(values, dtype=string_type)


def _table_one_by_one(rows: _Hits, fast: _FastMatcher, papers: pd.DataFrame, fields, texts, taxonomy: Taxonomy):
    """The evidence table built row by row, as pandas infers it: for the empty table and
    for ids that are not all strings (missing, numbers)."""
    n_fields = len(fields)
    rows = rows.take(_order_by(rows.text, rows.start, fast.entry_order[rows.entry]))  # back to the order found
    ids = papers["id"].tolist()
    table_rows = []
    for t, s, e, entry in zip(rows.text.tolist(), rows.start.tolist(), rows.end.tolist(), rows.entry.tolist()):
        paper, field = divmod(t, n_fields)
        rule = fast.matcher.rules[fast.entry_rule[entry]]
        kind = "supporting" if fields[field] in SUPPORTING_ONLY_FIELDS else rule.kind
        table_rows.append((ids[paper], rule.topic, fields[field], rule.phrase, kind, texts[t][s:e], s, e))
    table = pd.DataFrame(table_rows, columns=EVIDENCE_COLUMNS[:-1])
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


def _decide(table: pd.DataFrame, taxonomy: Taxonomy) -> set[tuple[str, str]]:
    """(paper, topic) pairs whose evidence meets the topic's rule."""
    decided = set()
    for (pid, topic), hits in table.groupby(["id", "topic"], sort=False):
        strong = (hits["kind"] == "term") | (hits["field"] == "title")
        cues = hits["rule"].map(lambda phrase, t=topic: _Rule(t, "", phrase).cue).nunique()
        if strong.any() or cues >= taxonomy[topic].min_supporting:
            decided.add((pid, topic))
    return decided


# -- tags -------------------------------------------------------------------------------------------------------------


def tag(
    papers: pd.DataFrame,
    taxonomy: Taxonomy | str | None = None,
    evidence_table: pd.DataFrame | None = None,
    *,
    cache: bool = False,
) -> pd.DataFrame:
    """Return ``papers`` with a ``topics`` column: the slugs, in taxonomy order.

    ``taxonomy`` is a :class:`~litreview.tagging.taxonomy.Taxonomy`, a path to a YAML
    file, or ``None`` for the default taxonomy.  :func:`evidence` shows why
    each paper got each topic; pass its result as ``evidence_table`` (made with
    the same taxonomy) to tag without matching the text a second time.
    ``papers`` may be a Dask DataFrame (tagged partition by partition, see
    :mod:`litreview.distributed`); ``cache=True`` reuses a cached evidence table
    (see :func:`evidence`).
    """
    taxonomy = _as_taxonomy(taxonomy)
    if evidence_table is None and cache:
        evidence_table = evidence(papers, taxonomy, cache=True)
    if evidence_table is None:
        table, tags = _evidence(papers, taxonomy, FIELDS)
    else:
        table, tags = evidence_table, _tags_of(evidence_table, papers["id"], taxonomy)
    out = papers.copy()
    if tags is None:  # an unusual table: the plain way, with its errors
        tagged = table[table["tagged"].astype(bool)].drop_duplicates(["id", "topic"])
        by_paper = tagged.groupby("id", sort=False)["topic"].agg(list).to_dict()
        order = {slug: i for i, slug in enumerate(taxonomy.slugs)}
        out["topics"] = [sorted(by_paper.get(pid, []), key=order.__getitem__) for pid in papers["id"]]
    else:
        out["topics"] = _topic_lists(tags, taxonomy)
    return out


def _tags_of(table: pd.DataFrame, ids: pd.Series, taxonomy: Taxonomy) -> _Tags | None:
    """The tagged (id, topic) pairs of an evidence table, as codes (None when the table
    is not one :func:`evidence` makes)."""
    if table["tagged"].dtype != bool or len(set(taxonomy.slugs)) != len(taxonomy.slugs):
        return None
    mask = table["tagged"].to_numpy()
    # Codes, not Python strings: pyarrow-backed columns factorize without leaving arrow.
    topic_codes, topics = pd.factorize(table["topic"])
    id_codes, known = pd.factorize(table["id"])
    order = {slug: i for i, slug in enumerate(taxonomy.slugs)}
    topic_codes, id_codes = topic_codes[mask], id_codes[mask]
    if any(t not in order for t in topics) or (topic_codes < 0).any():
        return None
    rank = np.array([order[t] for t in topics] + [-1], dtype=np.int64)[topic_codes]
    paper_codes = pd.Index(known).get_indexer(ids) if len(known) else np.full(len(ids), -1)
    return _Tags(paper_codes, id_codes, rank)


def _topic_lists(tags: _Tags, taxonomy: Taxonomy) -> list[list[str]]:
    """Each paper's topics, in taxonomy order."""
    n_topics = len(taxonomy.slugs)
    known = tags.id_code >= 0  # a missing id gets no topics, as in a pandas group-by
    pairs = _distinct(tags.id_code[known] * n_topics + tags.topic[known])
    if not len(pairs):
        return [[] for _ in range(len(tags.paper_codes))]
    owner, rank = np.divmod(pairs, n_topics)
    slugs = np.array(taxonomy.slugs, dtype=object)[rank].tolist()
    # One new list per paper and no other containers: fewer objects for the garbage collector.
    first = np.searchsorted(owner, tags.paper_codes, "left").tolist()
    after = np.searchsorted(owner, tags.paper_codes, "right").tolist()
    return [slugs[a:b] for a, b in zip(first, after)]


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
