"""Fuzzy title candidates for the merge (:mod:`litreview.io.merge`): pairs of distinct squashed titles
within :data:`FUZZY_SIMILARITY` (a typo, a dropped letter), found within blocks of titles that share their
first or last :data:`FUZZY_BLOCK_CHARS` characters, never by comparing every pair of titles.
"""

from __future__ import annotations

import bisect
import contextlib
import multiprocessing
import os
import re
import sys
import warnings
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd

FUZZY_SIMILARITY = 0.93  # normalised Indel similarity of two squashed titles
FUZZY_MIN_CHARS = 28  # shorter titles are too alike by chance to match loosely
FUZZY_BLOCK_CHARS = 14  # titles are compared within blocks sharing their first or last characters
_DIGITS = re.compile(r"\d+")


FORKED_FROM = 50_000  # titles from which the candidates are found in a forked process (where processes fork)


def fuzzy_candidates_aside(
    squashed: list[str | None], ahead: FuzzyProcess | None = None
) -> tuple[Callable[[], list[tuple[str, str]]], Callable]:
    """Start finding :func:`_fuzzy_candidates` beside the caller's work; return ``(result, close)``: ``result()``
    waits for the pairs, ``close()`` ends the work (call it in any case, as a ``finally`` does).

    From :data:`FORKED_FROM` titles, on Linux, in a forked process: it reads the titles in the pages it shares
    with this one (nothing is copied to it) and sends back only the pairs, and runs beside the caller's Python
    work on another core.  A thread would share the interpreter lock with that work: the scorer releases the
    lock for each call and waits to take it back, so the thread's calls spent most of their time waiting (a
    third of the merge of 200,000 records).  Elsewhere, on smaller corpora, or when the process cannot start or
    fails, on a thread (the same pairs).

    Memory: while the process runs, the pages either process writes are copied (this one's work writes all over
    its heap): up to this process's size again, for about the time the other keys take.  It is forked only when
    the machine has twice that free.  ``ahead``: a process forked before the records were read
    (:func:`fuzzy_process_ahead`), which finds them instead, with none of this one's pages copied.
    """
    if ahead is not None and len(squashed) >= FORKED_FROM:
        return ahead.candidates(squashed)
    if len(squashed) >= FORKED_FROM and sys.platform == "linux" and _room_to_fork():
        try:
            return _forked(squashed)
        except (OSError, ValueError, AssertionError):  # (no fork here: a thread finds them)
            pass
    return _in_thread(squashed)


def _in_thread(squashed: list[str | None]):
    """``(result, close)`` of :func:`_fuzzy_candidates` found on a thread of this process."""
    pool = ThreadPoolExecutor(1)
    future = pool.submit(_fuzzy_candidates, squashed)
    return future.result, lambda: pool.shutdown(wait=True, cancel_futures=True)


def _room_to_fork() -> bool:
    """Whether a forked process may start: not from a daemon (which may not have children), and with the
    machine's available memory at least twice this process's size (the pages both write are copied)."""
    if multiprocessing.current_process().daemon:
        return False
    try:
        with open("/proc/self/status") as status, open("/proc/meminfo") as meminfo:
            size = next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))
            available = next(int(line.split()[1]) for line in meminfo if line.startswith("MemAvailable:"))
    except (OSError, StopIteration, ValueError):
        return False
    return min(available, _container_room_kib()) >= 2 * size


def _container_room_kib(cgroup: str = "/sys/fs/cgroup") -> float:
    """What a container's memory limit (cgroup v2) leaves this process's group, in KiB; no limit: infinity.
    ``/proc/meminfo`` speaks for the whole machine, and a container hitting its limit kills a process."""
    try:
        with open(f"{cgroup}/memory.max") as limit, open(f"{cgroup}/memory.current") as used:
            text = limit.read().strip()
            return float("inf") if text == "max" else (int(text) - int(used.read())) / 1024
    except (OSError, ValueError):
        return float("inf")


def _forked(squashed: list[str | None]):
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_send_candidates, args=(squashed, send), daemon=True, name="litreview-fuzzy")
    with warnings.catch_warnings():  # (Python 3.12 warns of forking beside threads: the child uses none of theirs)
        warnings.simplefilter("ignore", DeprecationWarning)
        child.start()
    send.close()

    def result() -> list[tuple[str, str]]:
        try:
            ok, value = receive.recv()
        except (EOFError, OSError):  # (the process died, killed for its memory say: the pairs are found here)
            return _fuzzy_candidates(squashed)
        if not ok:
            raise value
        return value

    def close() -> None:
        receive.close()
        if child.is_alive():
            child.terminate()
        child.join()

    return result, close


FORK_AHEAD_BYTES = 32 << 20  # input from which a load forks the candidates' process before reading (see below)


@contextlib.contextmanager
def fuzzy_process_ahead(input_bytes: int) -> Iterator[FuzzyProcess | None]:
    """A :class:`FuzzyProcess` for a load of ``input_bytes`` that merges on fuzzy titles (from
    :data:`FORK_AHEAD_BYTES`, on Linux, where processes fork), ended on leaving; else ``None``."""
    process = None
    if input_bytes >= FORK_AHEAD_BYTES and sys.platform == "linux" and _room_to_fork():
        with contextlib.suppress(OSError, ValueError, AssertionError):
            process = FuzzyProcess()
    try:
        yield process
    finally:
        if process is not None:
            process.close()


class FuzzyProcess:
    """A process forked while this one is small (before a load reads its files) that waits for the squashed
    titles and finds their fuzzy candidates.  Forked at merge time instead, the process would share this one's
    pages, and each page this one writes while the other keys are worked out (every object whose reference
    count changes) would be copied: a quarter of a second of page faults at 200,000 records."""

    def __init__(self) -> None:
        context = multiprocessing.get_context("fork")
        titles_in, self._titles_out = context.Pipe(duplex=False)
        self._pairs_in, pairs_out = context.Pipe(duplex=False)
        self._child = context.Process(target=_serve_candidates, args=(titles_in, self._titles_out, pairs_out),
                                      daemon=True, name="litreview-fuzzy")  # fmt: skip
        with warnings.catch_warnings():  # (as in _forked)
            warnings.simplefilter("ignore", DeprecationWarning)
            self._child.start()
        titles_in.close()
        pairs_out.close()

    def candidates(self, squashed: list[str | None]):
        """``(result, close)`` as :func:`fuzzy_candidates_aside` gives them, the titles sent to the process."""
        try:
            self._titles_out.send(squashed)
        except OSError:  # (the process is gone: a thread finds them)
            return _in_thread(squashed)

        def result() -> list[tuple[str, str]]:
            try:
                ok, value = self._pairs_in.recv()
            except (EOFError, OSError):  # (the process died: the pairs are found here)
                return _fuzzy_candidates(squashed)
            if not ok:
                raise value
            return value

        return result, self.close

    def close(self) -> None:
        """End the process (it may be waiting for titles, or finding pairs no one will read)."""
        self._titles_out.close()
        self._pairs_in.close()
        if self._child.is_alive():
            self._child.terminate()
        self._child.join()


def _serve_candidates(titles_in, titles_out, send) -> None:
    titles_out.close()  # (this process's copy of the sending end: the pipe then ends when the load's end closes)
    try:
        squashed = titles_in.recv()
    except (EOFError, OSError):  # (not needed: the load ended or merged too few titles)
        return
    _send_candidates(squashed, send)


def _send_candidates(squashed: list[str | None], send) -> None:
    try:
        found = (True, _fuzzy_candidates(squashed))
    except Exception as exc:  # noqa: BLE001 - raised in the parent, in its place
        found = (False, exc)
    send.send(found)
    send.close()


def _fuzzy_candidates(squashed: list[str | None]) -> list[tuple[str, str]]:
    """Pairs of distinct titles within :data:`FUZZY_SIMILARITY`, in the order of their indices among the
    sorted unique titles; found within blocks, never across the whole corpus."""
    from rapidfuzz.distance import Indel
    from rapidfuzz.process import cpdist

    titles = sorted({t for t in squashed if t and len(t) >= FUZZY_MIN_CHARS})
    lengths = np.fromiter(map(len, titles), dtype=np.int64, count=len(titles))
    small, larger = _small_blocks(titles)
    pairs: set[tuple[int, int]] = set()
    for first, second in _small_block_pairs(small, lengths):  # the scorer releases the GIL: all cores
        scores = cpdist([titles[k] for k in first.tolist()], [titles[k] for k in second.tolist()],
                        scorer=Indel.normalized_similarity, score_cutoff=FUZZY_SIMILARITY, dtype=np.float32,
                        workers=-1)  # fmt: skip
        found = np.flatnonzero(scores)
        pairs.update(zip(first[found].tolist(), second[found].tolist()))
    for members in larger:
        pairs.update(_pairs_by_length(members, titles))
    return [(titles[a], titles[b]) for a, b in sorted(pairs)]


_PAIRED = 64  # blocks up to this size are scored pair by pair, many blocks' pairs in one call
_SCORED_AT_ONCE = 1 << 19  # pairs a scoring call takes (their texts are listed for it: memory stays bounded)


def _small_blocks(titles: list[str]) -> tuple[list[np.ndarray], list[list[int]]]:
    """The blocks of :func:`_blocks`: those of at most :data:`_PAIRED` titles as one array a size (a row a
    block, indices ascending), the larger ones as lists of ascending indices.  Vectorised: a group-by on each
    end, each size of block one numpy step."""
    small, larger = [], []
    for ends in ([t[:FUZZY_BLOCK_CHARS] for t in titles], [t[-FUZZY_BLOCK_CHARS:] for t in titles]):
        codes, _ = pd.factorize(np.array(ends, dtype=object))
        if not len(codes):
            continue
        shared = np.flatnonzero(np.bincount(codes)[codes] >= 2)
        ordered = shared[np.argsort(codes[shared], kind="stable")]  # blocks one after another, indices ascending
        starts = np.flatnonzero(np.diff(codes[ordered], prepend=-1))
        sizes = np.diff(starts, append=len(ordered))
        for size in _distinct(sizes).tolist():
            at = starts[sizes == size]
            if size > _PAIRED:
                larger.extend(ordered[a : a + size].tolist() for a in at.tolist())
            else:
                small.append(ordered[at[:, None] + np.arange(size)])
    return small, larger


def _small_block_pairs(small: list[np.ndarray], lengths: np.ndarray):
    """The pairs ``(a, b)``, ``a < b``, of each small block's titles whose lengths allow
    :data:`FUZZY_SIMILARITY`, about :data:`_SCORED_AT_ONCE` at a time (a pair in two blocks, by its opening
    and by its ending, comes twice)."""
    for blocks in small:
        i, j = np.triu_indices(blocks.shape[1], 1)
        step = max(1, _SCORED_AT_ONCE // len(i))
        for start in range(0, len(blocks), step):
            rows = blocks[start : start + step]
            first, second = rows[:, i].ravel(), rows[:, j].ravel()
            short, long = np.minimum(lengths[first], lengths[second]), np.maximum(lengths[first], lengths[second])
            near = long <= short * _LENGTH_REACH + 1  # (other pairs cannot be within FUZZY_SIMILARITY)
            if near.any():
                yield first[near], second[near]


def _distinct(values: np.ndarray) -> np.ndarray:
    """``np.unique(values)`` by sorting (numpy's hashing unique is slower on these integers)."""
    values = np.sort(values)
    return values[np.concatenate(([True], values[1:] != values[:-1]))] if len(values) else values


# Titles of lengths m <= n are within FUZZY_SIMILARITY only if n - m <= (1 - FUZZY_SIMILARITY) * (m + n): n is
# at most m times this (plus one, against rounding)
_LENGTH_REACH = (2 - FUZZY_SIMILARITY) / FUZZY_SIMILARITY
_WINDOW = 64


def _pairs_by_length(members: list[int], titles: list[str]) -> list[tuple[int, int]]:
    """The pairs ``(a, b)``, ``a < b``, of a block's titles within :data:`FUZZY_SIMILARITY`: the titles in
    order of length, each window of them scored against the titles long enough and not too long (a fraction
    of the block, where comparing the whole block scores every pair; every pair the whole block's scores give).

    The block's common opening and ending are cut off first: they change no Indel distance (the longest
    common subsequence of ``xA`` and ``xB`` is ``x`` and that of ``A`` and ``B``), and the scorer's time
    grows with the texts' lengths.  The similarity is then taken from the distance and the whole lengths,
    as the scorer takes it."""
    from rapidfuzz.distance import Indel
    from rapidfuzz.process import cdist

    by_length = sorted(members, key=lambda k: len(titles[k]))
    texts = [titles[k] for k in by_length]
    lengths = [len(t) for t in texts]
    opening = len(os.path.commonprefix(texts))
    ending = min(len(os.path.commonprefix([t[::-1] for t in texts])), lengths[0] - opening)
    cores = [t[opening : len(t) - ending] for t in texts]
    whole = np.asarray(lengths, dtype=np.float64)
    found = []
    for start in range(0, len(texts), _WINDOW):
        stop = min(start + _WINDOW, len(texts))
        reach = bisect.bisect_right(lengths, lengths[stop - 1] * _LENGTH_REACH + 1)
        most = int((1 - FUZZY_SIMILARITY) * (lengths[stop - 1] + lengths[reach - 1])) + 1  # (no pair's is more)
        distances = cdist(cores[start:stop], cores[start:reach], scorer=Indel.distance, score_cutoff=most,
                          dtype=np.int32, workers=-1)  # fmt: skip
        # (as Indel.normalized_similarity scores a pair: one minus the distance over both whole lengths)
        near = 1.0 - distances / (whole[start:stop, None] + whole[None, start:reach]) >= FUZZY_SIMILARITY
        for a, b in zip(*np.nonzero(near)):
            if b > a:
                i, j = by_length[start + a], by_length[start + b]
                found.append((i, j) if i < j else (j, i))
    return found


def _blocks(titles: list[str]):
    """Groups of two or more titles (as ascending indices) sharing their first, or their last,
    :data:`FUZZY_BLOCK_CHARS` characters: a vectorised group-by on each end."""
    for ends in ([t[:FUZZY_BLOCK_CHARS] for t in titles], [t[-FUZZY_BLOCK_CHARS:] for t in titles]):
        codes, _ = pd.factorize(np.array(ends, dtype=object))
        shared = np.flatnonzero(np.bincount(codes)[codes] >= 2) if len(codes) else np.array([], int)
        ordered = shared[np.argsort(codes[shared], kind="stable")]
        cuts = np.flatnonzero(np.diff(codes[ordered])) + 1
        yield from (block.tolist() for block in np.split(ordered, cuts) if len(block))


def _same_numbers(a: str, b: str) -> bool:
    """SemEval-2016 is not SemEval-2017, nor Part II Part III: numbers must agree."""
    return _DIGITS.findall(a) == _DIGITS.findall(b)


def _same_words(a: str, b: str) -> bool:
    """Whether two near-identical titles differ only as a typo does: where their words differ, the words read
    alike (``efficent``/``efficient``; ``pre training``/``pretraining``; ``α``/``alpha``) or are short words on
    both sides (``in``/``for``).
    ``Canine Pontine ...``/``Canine PRG ...`` (a meeting abstract and the article after it) is another word."""
    from difflib import SequenceMatcher

    from rapidfuzz.distance import Indel

    from litreview.fields.ids import normalize_title

    def alike(x: str, y: str) -> bool:  # (a small word dropped or swapped, "in"/"for", or a misspelt one)
        return (len(x) <= 3 and len(y) <= 3) or Indel.normalized_similarity(x, y) >= 0.5

    words_a, words_b = normalize_title(_greek_named(a)).split(), normalize_title(_greek_named(b)).split()
    changed = [op for op in SequenceMatcher(None, words_a, words_b, autojunk=False).get_opcodes() if op[0] != "equal"]
    runs = [("".join(words_a[i1:i2]), "".join(words_b[j1:j2])) for _, i1, i2, j1, j2 in changed]
    # each differing run alike, or all of them together (a typo in a repeated word aligns apart: "doxain domain")
    return all(alike(x, y) for x, y in runs) or alike("".join(x for x, _ in runs), "".join(y for _, y in runs))


def _greek_named(title: str) -> str:
    """Greek letters by name, as another database writes them (``α-synuclein``, ``alpha-synuclein``)."""
    from litreview.fields.latex import GREEK_NAMES

    return "".join(GREEK_NAMES.get(c, c) for c in title) if not title.isascii() else title
