"""The matching engine: every rule match of a taxonomy in many texts, in bulk.

What a match is, is defined word by word by :class:`~litreview.tagging.rules.Matcher`
(the words are the runs of letters and digits, ``[^\\W_]+``; see
:mod:`litreview.tagging.taxonomy` for the rules).  :func:`litreview.tagging.tagger.evidence`
finds exactly those matches, but for all topics and all papers in bulk, so that Python
never loops over words:

1. Texts are joined into strings of about a million characters (ASCII texts
   apart from the others), three NULs between texts, and every character
   becomes one byte: 0 for a character that is not a letter or digit, the
   code of its lower case when a rule word has that letter, 255 for any other
   letter or digit.  The middle NUL between two texts becomes 255: a word in no
   rule, so no phrase runs from one text into the next.  ASCII text is mapped
   by ``bytes.translate``; other text through its UTF-8 bytes and numpy
   (:mod:`litreview.tagging.textbytes`).
2. numpy finds the words (where the bytes turn non-zero and back) and looks
   each one up in a hash table of the rule words, by two 64-bit keys: its
   first 8 bytes, and its last 7 with its length.  Up to 15 letters the keys
   are the word; longer words that match are compared in full.
3. A trie of all rule phrases is walked from every word at once, one word
   further per step.  Case-sensitive rules (``acronyms``) are found like the
   others and then compared with the text as written.
4. Exclusions, matches inside longer ones, the tagging decision and the table
   are computed on whole columns (:mod:`litreview.tagging.evidence_table`); the
   string columns go straight to pyarrow when pandas keeps strings there
   (``matched`` is cut from the text's UTF-8 bytes).

The chunks of step 1 are scanned in threads, one per core (numpy works without
the interpreter lock), and each chunk's rows made there too.  Two things of
``str.lower()`` are not per character: "Σ" lowers to "ς" at the end of a word (a
text with "Σ" goes through :class:`Matcher` when a rule word has a sigma), and "İ"
lowers to two characters (a word with it can only match a case-sensitive rule,
whose match is checked as written anyway).  Unusual inputs go the plain way: ids that are
not all strings (row by row, as pandas infers), an empty table, a taxonomy
with more than 254 distinct letters (:class:`Matcher` for every text).  The
result is the table the word-by-word tagger gave, row for row and type for
type; ``tests/test_tagging_speed_equivalence.py`` checks it against a frozen
copy of that tagger, and ``bench/tagging.py`` times both.
"""

from __future__ import annotations

import functools
import os
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from litreview.tagging.rules import _EXCLUDE, _KINDS, _SUPPORTING, _TERM, _WORD, Matcher, _Rule, _variants  # noqa: F401
from litreview.tagging.taxonomy import Taxonomy
from litreview.tagging.textbytes import _arrow_slices, text_bytes
from litreview.tagging.wordkeys import _LONG, _KeyTable, _text_word_keys, _word_keys

# str.lower() is per character except for the final sigma: "Σ" lowers to "ς" at the
# end of a word and to "σ" elsewhere.  (One character, "İ", lowers to two: its byte is
# 255, so a word holding it can only match a case-sensitive rule, checked as written.)
_CAPITAL_SIGMA = "\u03a3"
# Text handled in one numpy pass: bounds the memory and spreads the work over the threads.  Larger chunks
# cost the threads fewer hand-overs of the interpreter lock (one per numpy call); a corpus is cut in at
# least 4 chunks a thread (of _MIN_CHUNK_CHARS or more), so that the threads finish together.
_CHUNK_CHARS = 3_000_000
_MIN_CHUNK_CHARS = 500_000
_MAX_THREADS = 8


# -- matching in bulk -------------------------------------------------------------------------------------------------

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
    reduced: object = None  # what scan's reduce made of the counted words (per chunk)
    slow_owners: object = None
    counted: object = None  # (text numbers, word indices) of the counted words (per group)

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
            if len(arrays) == 1:
                return _Hits(*numbers, arrays[0])
            return _Hits(*numbers, pa.concat_arrays(arrays) if arrays else pa.array([], pa.large_string()))
        strings = np.empty(len(numbers[0]), dtype=object)
        strings[:] = [s for m in matched for s in m]
        return _Hits(*numbers, strings)


_NUMBERS = ("text", "start", "end", "entry")


@dataclass
class _Chunk:
    """What a scanning thread made of one chunk of texts: its hits (or ``post``'s result) and ``reduce``'s."""

    found: object
    reduced: list


@dataclass
class _Scan:
    """What :meth:`_FastMatcher.scan` found: per chunk of texts, in order, the hits or ``post``'s result;
    ``reduce``'s results; the owners of texts matched the plain way (their words not counted)."""

    chunks: list
    reduced: list
    slow_owners: np.ndarray | None


class _FastMatcher:
    """The rules of a :class:`Matcher` as numpy tables: byte map, vocabulary, phrase trie.

    ``count_words`` (lower-case ASCII words) are looked up in the same pass as the rule
    words: :meth:`scan` hands each group's occurrences of them to its ``reduce``.
    """

    def __init__(self, matcher: Matcher, count_words: tuple[str, ...] = ()):
        self.matcher = matcher
        self.count_words = tuple(count_words)
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
        if self.count_words:
            chars |= set(_ASCII_ALNUM)
        alphabet = sorted(c for c in chars if len(c) == 1)
        self.enabled = bool(entries) and len(alphabet) < _POISON
        self.sigma_matters = bool({"σ", "ς"} & set(alphabet))
        self._code = {c: i + 1 for i, c in enumerate(alphabet)} if self.enabled else {}
        self.ascii_table = bytes([self.byte(chr(c)) for c in range(128)] + [0] * 128)
        self.count_index = np.full(1, -1, dtype=np.int64)
        if not self.enabled:
            return

        # Vocabulary: the byte form of every rule word; a phrase is a sequence of word ids.
        vocab: dict[bytes, int] = {}
        sequences = [tuple(vocab.setdefault(self.word_bytes(w), len(vocab)) for w in words) for words, _, _ in entries]
        # Counted words share the table (one lookup per text word); they start no phrase.
        counted = [vocab.setdefault(self.word_bytes(w), len(vocab)) for w in self.count_words]
        self.count_index = np.full(len(vocab) + 1, -1, dtype=np.int64)
        self.count_index[counted] = np.arange(len(counted))
        self._build_vocabulary(list(vocab))
        self._build_trie(sequences)
        self._build_exact_words()

    @functools.cached_property
    def rule_keys(self) -> tuple[list[str], np.ndarray]:
        """The (topic, cue) keys of the rules, as :func:`~litreview.tagging.features.rule_evidence`
        writes them, and each rule's key number."""
        names = [f"{r.topic}\t{r.cue}" for r in self.matcher.rules]
        index = {k: i for i, k in enumerate(dict.fromkeys(names))}
        return list(index), np.array([index[k] for k in names], dtype=np.int64)

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
        if word.isascii():  # most rule and vocabulary words: one translation, as the scan does
            return word.encode("ascii").translate(self.ascii_table)
        return bytes(self.byte(c) for c in word)

    def _build_vocabulary(self, words: list[bytes]) -> None:
        """The rule words, found by their two keys (see :func:`_word_keys`)."""
        self.v_bytes = words
        # With counted words (thousands) a table of a few probes stays small enough to be fast.
        self.vocabulary = _KeyTable(*_word_keys(words), **({"max_bits": 17} if self.count_words else {}))

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
        self.follows = np.zeros(n_words + 1, dtype=bool)  # words some phrase has after its first
        self.follows[[word for _, word in transitions]] = True
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
        self.entry_ascii = np.array([all(w.isascii() for w in words) for words, _, _ in entries], dtype=bool)
        for e, (words, exact, _) in enumerate(entries):
            if exact and self.entry_ascii[e]:
                self.x_keys[:, e, : len(words)] = _word_keys([w.encode("ascii") for w in words])

    # -- scan ------------------------------------------------------------------------------------------------------

    def scan(
        self, texts: list[str], numbers: np.ndarray, matched: str | None, owners=None, reduce=None, walk: bool = True,
        post=None, lengths: np.ndarray | None = None,
    ) -> _Scan:
        """All matches in ``texts`` (non-empty strings), numbered ``numbers`` in the result, by chunk of texts.

        ``matched``: None, or ``"arrow"``/``"python"`` to return the matched text too.
        ``owners`` (non-decreasing, one per text): the texts of one owner (a paper) are
        scanned in one chunk of texts.  ``reduce``: called in the scanning thread with each
        chunk's counted words, as ``reduce(owners, word indices in count_words)`` (text
        numbers without ``owners``; all of an owner's at once); its results are in ``reduced``.
        ``slow_owners`` lists the owners with a text matched the plain way (no words
        counted for it).  ``post``: called in the scanning thread as ``post(hits, reduced, owners)``
        with each chunk's hits, what ``reduce`` made of its words (or None) and the range of
        owners it holds (``(first, last + 1)``, or None); ``chunks`` holds its results in chunk
        order (with a text matched the plain way: one, for all the hits, ``post(hits, None,
        None)``; without ``post``: the hits).  ``walk=False`` counts the words and
        finds no phrase (but in the texts matched the plain way).  ``lengths``: of the texts, if known.
        """
        parts: list[_Hits] = []
        if lengths is None:
            lengths = np.fromiter(map(len, texts), np.int64, len(texts))
        ascii_ = np.fromiter(map(str.isascii, texts), bool, len(texts))
        slow = np.zeros(len(texts), dtype=bool) if self.enabled else np.ones(len(texts), dtype=bool)
        if self.enabled and self.sigma_matters:
            slow = np.array([not a and _CAPITAL_SIGMA in t for t, a in zip(texts, ascii_.tolist())], dtype=bool)
        for i in np.flatnonzero(slow).tolist():
            parts.append(self._scan_one(texts[i], int(numbers[i]), matched))
        total = int(lengths.sum())
        size = min(_CHUNK_CHARS, max(total // (4 * _cores()), _MIN_CHUNK_CHARS))
        cut = np.searchsorted(np.cumsum(lengths), np.arange(1, total // size + 1) * size)
        if owners is not None and len(texts):  # an owner's texts stay together: one chunk
            cut = np.unique(np.searchsorted(owners, owners[np.minimum(cut, len(owners) - 1)], "left"))
        chunks = []
        for chunk in np.split(np.arange(len(texts)), cut):
            # ASCII texts apart: they skip the slower UTF-32 path
            groups = [g for g in (chunk[ascii_[chunk] & ~slow[chunk]], chunk[~ascii_[chunk] & ~slow[chunk]]) if len(g)]
            if groups:
                chunks.append(groups)
        post_each = post if not parts else None

        def scan_chunk(groups: list[np.ndarray]) -> _Chunk:
            found = [
                self.scan_group(list(map(texts.__getitem__, g.tolist())), numbers[g], lengths[g], matched, walk,
                                (owners if owners is not None else numbers)[g])
                for g in groups
            ]
            hits = _Hits.concat(found, matched == "arrow")
            reduced = []
            if reduce is not None:
                reduced.append(reduce(*(np.concatenate([h.counted[i] for h in found]) for i in (0, 1))))
            if post_each is not None:
                first, last = min(int(g[0]) for g in groups), max(int(g[-1]) for g in groups)
                span = (int(owners[first]), int(owners[last]) + 1) if owners is not None else None
                hits = post_each(hits, reduced[0] if reduced else None, span)
            return _Chunk(hits, reduced)

        # numpy lets go of the interpreter lock while it works on arrays, so the
        # chunks are scanned in threads, one per core.
        workers = min(len(chunks), _cores(), _MAX_THREADS)
        if workers > 1:
            with ThreadPoolExecutor(workers) as pool:
                found = list(pool.map(scan_chunk, chunks))
        else:
            found = list(map(scan_chunk, chunks))
        reduced = [r for chunk in found for r in chunk.reduced]
        found = [chunk.found for chunk in found]
        if parts and post is not None:
            found = [post(_Hits.concat(parts + found, matched == "arrow"), None, None)]
        elif parts:
            found = parts + found
        return _Scan(found, reduced, owners[slow] if owners is not None else None)

    def _scan_one(self, text: str, number: int, matched: str | None) -> _Hits:
        found = np.array(self.matcher.scan_entries(text), dtype=np.int64).reshape(-1, 3)
        strings = [text[s:e] for s, e in found[:, 1:].tolist()] if matched else None
        return _Hits(np.full(len(found), number, np.int64), found[:, 1], found[:, 2], found[:, 0], strings)

    def scan_group(
        self, texts: list[str], numbers: np.ndarray, lengths: np.ndarray, matched: str | None, walk: bool = True,
        owners: np.ndarray | None = None,
    ) -> _Hits:
        """The matches in some texts (of ``lengths``), handled as one string (``walk=False``: none); the
        hits' ``counted`` holds the counted words' ``owners`` (of their texts; by default the text
        numbers) and indices in ``count_words``.

        The texts are joined with three NULs, and the middle one's byte is set to
        255: a word in no rule between any two texts, so no phrase runs across.
        """
        joined = _JOINER + _JOINER.join(texts) + _JOINER
        offsets = np.cumsum(lengths + len(_JOINER)) - lengths  # where each text starts
        text = text_bytes(joined, self.ascii_table, self.byte)
        data = text.data
        data[offsets[1:] - 2] = _POISON

        # Words: maximal runs of non-zero bytes (the first byte is a NUL).
        letter = data != 0
        edges = np.flatnonzero(letter[1:] != letter[:-1]) + 1
        starts, ends = edges[0::2], edges[1::2]

        word_id = self._word_ids(data, starts, ends)
        # Each word's text (the word between two texts counts as the first's: it is in no rule).
        in_text = np.diff(np.append(np.searchsorted(starts, offsets), len(starts)))
        text_of_word = np.repeat(np.arange(len(texts)), in_text)
        counted = (np.zeros(0, np.int64),) * 2
        if self.count_words:
            index = self.count_index[word_id]
            (at,) = np.nonzero(index >= 0)
            counted = ((numbers if owners is None else owners)[text_of_word[at]], index[at])
        if not walk:  # the words were what was wanted (an evidence table is given): no phrase to find
            hits = _Hits(*(np.zeros(0, np.int64) for _ in range(4)))
            hits.counted = counted
            return hits
        position, state, length = self._walk(word_id)

        # Every entry of every phrase found.
        first, count = self.final_ptr[state], self.final_ptr[state + 1] - self.final_ptr[state]
        row = np.repeat(np.arange(len(state)), count)
        entry = self.final_entries[first[row] + np.arange(len(row)) - np.repeat(np.cumsum(count) - count, count)]
        position = position[row]
        exact = np.flatnonzero(self.entry_exact[entry])
        if len(exact):  # found regardless of case: keep those spelled as the rule is
            keep = np.ones(len(entry), dtype=bool)
            keep[exact] = self._as_written(joined, text.cased(), starts, ends, position[exact], entry[exact])
            position, entry = position[keep], entry[keep]
        span_start, span_end = starts[position], ends[position + self.entry_length[entry] - 1]

        local = text_of_word[position]
        hits = _Hits(numbers[local], span_start - offsets[local], span_end - offsets[local], entry)
        hits.counted = counted
        if matched == "arrow":
            hits.matched = _arrow_slices(text, span_start, span_end)
        elif matched:
            hits.matched = [joined[s:e] for s, e in zip(span_start.tolist(), span_end.tolist())]
        return hits

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
            word = word_id[position + step]
            keep = self.follows[word]  # (most words go on no phrase: no need to look them up)
            position, state, word = position[keep], state[keep], word[keep].astype(np.uint64) + np.uint64(1)
            state = self.t_next[self.transitions.find(state.astype(np.uint64), word)]
            keep = state >= 0
            position, state = position[keep], state[keep]
            step += 1
        if not found_position:
            return (np.zeros(0, np.int64),) * 3
        return np.concatenate(found_position), np.concatenate(found_state), np.concatenate(found_length)

    def _as_written(self, joined: str, cased: np.ndarray, starts, ends, position, entry) -> np.ndarray:
        """Whether the words at ``position`` are spelled exactly as the case-sensitive ``entry``.

        ``cased`` is the text as written, a byte per character (``_TextBytes.cased``): ASCII entries are
        compared by their words' keys; others (a taxonomy with non-ASCII acronyms) word by word.
        """
        entries = self.matcher.entries
        same = np.ones(len(position), dtype=bool)
        for j in range(self.x_width):
            (inside,) = np.nonzero(self.entry_length[entry] > j)
            word, e = position[inside] + j, entry[inside]
            first, second = _text_word_keys(cased, starts[word], ends[word])
            same[inside] &= (self.x_keys[0, e, j] == first) & (self.x_keys[1, e, j] == second)
            for i in inside[same[inside] & (second >= _LONG)].tolist():  # compare the middle bytes too
                p = position[i] + j
                same[i] = cased[starts[p] : ends[p]].tobytes() == entries[entry[i]][0][j].encode("ascii")
        (other,) = np.nonzero(~self.entry_ascii[entry])
        for i in other.tolist():  # not ASCII: compare the words as written
            p, words = int(position[i]), entries[entry[i]][0]
            same[i] = tuple(joined[starts[p + j] : ends[p + j]] for j in range(len(words))) == words
        return same


_JOINER = "\x00\x00\x00"
_ASCII_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789"


def _cores() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


_COMPILED: dict[tuple, _FastMatcher] = {}


def _compiled(taxonomy: Taxonomy, count_words: tuple[str, ...] = ()) -> _FastMatcher:
    """The compiled rules of a taxonomy (and words to count), kept for the next call (a few are kept)."""
    key = (taxonomy.topics, count_words)
    if key not in _COMPILED:
        if len(_COMPILED) >= 8:
            _COMPILED.pop(next(iter(_COMPILED)))
        _COMPILED[key] = _FastMatcher(Matcher(taxonomy), count_words)
    return _COMPILED[key]
