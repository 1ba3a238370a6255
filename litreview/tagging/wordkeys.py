"""Word keys and the hash table the matching engine looks words up in, for whole arrays at once.

Every word is two uint64 keys (its first 8 bytes; its last 7 with its length), so
that numpy compares words without Python strings (see :mod:`litreview.tagging.matching`).
"""

from __future__ import annotations

import numpy as np

_LOW_BYTES = np.array([(1 << (8 * n)) - 1 for n in range(8)] + [(1 << 64) - 1], dtype=np.uint64)

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
                probes, table = _place(_slots(keys, multipliers, bits), bits, n)
                if best is None or probes < best[0]:
                    best = (probes, bits, multipliers, table)
                if probes == 1:
                    break
            if best[0] == 1:
                break
        self.probes, self.bits, self.multipliers, self.table = best

    def find(self, *query: np.ndarray) -> np.ndarray:
        slots = _slots(query, self.multipliers, self.bits).view(np.int64)
        empty = len(self.keys[0]) - 1
        at = self.table[slots]
        found = np.where(self._same(at, query), at, empty)
        # Linear probing: a key sits past its slot only when every slot between is taken, so
        # only keys not found at an occupied slot look further (few, in a sparse table).
        (pending,) = np.nonzero((found == empty) & (at != empty))
        mask = (1 << self.bits) - 1
        for step in range(1, self.probes):
            if not len(pending):
                break
            at = self.table[(slots[pending] + step) & mask]
            asked = tuple(q[pending] for q in query)
            hit = self._same(at, asked)
            found[pending[hit]] = at[hit]
            pending = pending[~hit & (at != empty)]
        return found

    def _same(self, at: np.ndarray, query) -> np.ndarray:
        hit = self.keys[0][at] == query[0]
        for key, asked in zip(self.keys[1:], query[1:]):
            hit &= key[at] == asked
        return hit


def _place(slots: np.ndarray, bits: int, empty: int) -> tuple[int, np.ndarray]:
    """Row numbers placed at their slots by linear probing, and the longest probe needed.

    Placed in rounds, for whole arrays: each round, every row not yet placed tries its next
    slot, and of the rows trying a free slot the first wins it.  A row only passes slots that
    are taken, so a lookup walking from its slot meets no empty slot before finding it.
    """
    size = 1 << bits
    table = np.full(size, empty, dtype=np.int64)
    rows = np.arange(len(slots), dtype=np.int64)
    at = slots.astype(np.int64)
    rounds = 0
    while len(rows):
        (free,) = np.nonzero(table[at] == empty)
        _, first = np.unique(at[free], return_index=True)  # rows are in order: the first is the lowest
        won = free[first]
        table[at[won]] = rows[won]
        left = np.ones(len(rows), dtype=bool)
        left[won] = False
        rows, at = rows[left], (at[left] + 1) & (size - 1)
        rounds += 1
    return max(rounds, 1), table


def _slots(keys, multipliers: np.ndarray, bits: int) -> np.ndarray:
    """Hash-table slots of key tuples."""
    with np.errstate(over="ignore"):
        mixed = keys[0] * multipliers[0]
        for key, multiplier in zip(keys[1:], multipliers[1:]):
            mixed ^= key * multiplier
        return mixed >> np.uint64(64 - bits)
