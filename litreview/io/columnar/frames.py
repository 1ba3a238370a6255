"""Joining the tables read block by block, one column at a time.

``pd.concat`` of the blocks' tables holds every block and the joined table at once (and a table built
from a dict of columns is consolidated, which copies it once more).  :func:`join` builds the joined
table column by column, freeing each column's pieces as soon as they are joined, so joining costs the
memory of one column, not of a second table.  A block may also be kept as :class:`Columns`, its columns
before pandas wraps them: joined, they are wrapped once, not once a block.
"""

from __future__ import annotations

import ctypes
import functools
import itertools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from litreview.schema import INT_COLUMNS, LIST_COLUMNS


def unconsolidated(data: dict[str, object]) -> pd.DataFrame:
    """A table of ``data``'s columns (Series or arrays of the same length), each kept as its own block:
    no copy now, and each column can be freed on its own later (see :func:`join`)."""
    return pd.DataFrame(data, copy=False)


@dataclass
class Columns:
    """A block's papers column by column, before pandas: ``data`` maps each column, in the table's order, to an
    object array, a list, an ``IntegerArray`` or ``None`` (a column with no value: see :func:`empty`)."""

    data: dict[str, object]
    rows: int

    @property
    def columns(self) -> list[str]:
        return list(self.data)

    def __len__(self) -> int:
        return self.rows

    def frame(self) -> pd.DataFrame:
        return unconsolidated({col: series(col, value, self.rows) for col, value in self.data.items()})


def series(col: str, value, rows: int) -> pd.Series:
    """One column of :class:`Columns` as the table holds it."""
    if value is None:
        return empty(col, rows)
    if isinstance(value, pd.Series):
        return value
    if isinstance(value, pd.arrays.IntegerArray):
        return pd.Series(value, copy=False)
    return pd.Series(value, dtype=object, copy=False)


def empty(col: str, rows: int) -> pd.Series:
    """A column of ``rows`` papers without a value: empty lists, missing numbers or ``None``."""
    if col in LIST_COLUMNS:
        return _objects(map(list.copy, itertools.repeat([], rows)), rows)  # (each row its own list)
    if col in INT_COLUMNS:
        return pd.Series(pd.arrays.IntegerArray(np.zeros(rows, np.int64), np.ones(rows, bool)), copy=False)
    return pd.Series(np.empty(rows, dtype=object), copy=False)  # (numpy fills an object array with None)


def empty_lists(n: int) -> list[list]:
    """``n`` empty lists, each its own (copies made in C: faster than ``[[] for _ in range(n)]`` by a third)."""
    return list(map(list.copy, itertools.repeat([], n)))


def _objects(values, n: int) -> pd.Series:
    """An object column of the ``n`` values an iterable gives, put straight into its array (lists stay lists:
    ``pd.Series`` of a list of lists makes a list, then the array, from it)."""
    return pd.Series(np.fromiter(values, dtype=object, count=n), dtype=object, copy=False)


def join(parts: list[pd.DataFrame | Columns], order: np.ndarray | None = None) -> pd.DataFrame:
    """The rows of ``parts`` (tables, or :class:`Columns`, with the same columns) in one table, as
    ``pd.concat(parts, ignore_index=True)`` gives them, then taken in ``order`` (row positions) when given.

    ``parts`` is emptied, and each column's pieces are freed as soon as it is joined.
    """
    columns = list(parts[0].columns)
    if any(list(part.columns) != columns for part in parts[1:]):
        frames = [part.frame() if isinstance(part, Columns) else part for part in parts]
        parts.clear()
        joined = pd.concat(frames, ignore_index=True)
        return joined if order is None else joined.take(order).reset_index(drop=True)
    sizes = [len(part) for part in parts]
    # (each part as its columns: popping a column from a table reindexes the table, slow at 23 columns)
    split = [dict(part.data) if isinstance(part, Columns) else dict(part.items()) for part in parts]
    parts.clear()
    data: dict[str, pd.Series] = {}
    for col in columns:
        pieces = [part.pop(col) for part in split]
        column = _concat(col, pieces, sizes)
        del pieces
        data[col] = column if order is None else column.take(order).reset_index(drop=True)
        del column
        _trim_heap()  # the pieces' memory, before the next column takes more
    return unconsolidated(data)


def _concat(col: str, pieces: list, sizes: list[int]) -> pd.Series:
    """``pd.concat`` of one column's pieces (:func:`series` of each), with ``ignore_index=True``: object and
    ``Int64`` columns joined by numpy (pandas' concat costs more than the copy at a few dozen pieces a column)."""
    kinds = {type(piece) for piece in pieces}
    if kinds == {type(None)}:
        return empty(col, sum(sizes))
    if kinds == {list}:
        return _objects(itertools.chain.from_iterable(pieces), sum(sizes))
    if kinds == {np.ndarray}:
        return pd.Series(np.concatenate(pieces), dtype=object, copy=False)
    pieces = [series(col, piece, size) for piece, size in zip(pieces, sizes)]
    if len(pieces) == 1:
        return pieces[0].reset_index(drop=True)
    kinds = {piece.dtype for piece in pieces}
    if kinds == {np.dtype(object)}:
        return pd.Series(np.concatenate([piece.to_numpy() for piece in pieces]), dtype=object, copy=False)
    if kinds == {pd.Int64Dtype()}:
        values = np.concatenate([piece.to_numpy(dtype=np.int64, na_value=0) for piece in pieces])
        missing = np.concatenate([piece.isna().to_numpy() for piece in pieces])
        return pd.Series(pd.arrays.IntegerArray(values, missing), copy=False)
    return pd.concat(pieces, ignore_index=True)


def release_freed_memory() -> None:
    """Give the memory freed while reading back to the system, so that what comes next (merging, the
    analyses) does not pay for it: pyarrow's allocator keeps the blocks' tables for reuse, and the C
    allocator (glibc) keeps the holes the joined blocks' pieces left in its heap (``malloc_trim``, as
    Dask's workers do).  Elsewhere than glibc, only pyarrow's part is done."""
    import pyarrow as pa

    pa.default_memory_pool().release_unused()
    _trim_heap()


def _trim_heap() -> None:
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def _malloc_trim():
    try:
        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc
        return None
