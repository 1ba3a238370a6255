"""Joining the tables read block by block, one column at a time.

``pd.concat`` of the blocks' tables holds every block and the joined table at once (and a table built
from a dict of columns is consolidated, which copies it once more).  :func:`join` builds the joined
table column by column, freeing each column's pieces as soon as they are joined, so joining costs the
memory of one column, not of a second table.
"""

from __future__ import annotations

import ctypes
import functools

import numpy as np
import pandas as pd


def unconsolidated(data: dict[str, object]) -> pd.DataFrame:
    """A table of ``data``'s columns (Series or arrays of the same length), each kept as its own block:
    no copy now, and each column can be freed on its own later (see :func:`join`)."""
    return pd.DataFrame(data, copy=False)


def join(parts: list[pd.DataFrame], order: np.ndarray | None = None) -> pd.DataFrame:
    """The rows of ``parts`` (tables with the same columns) in one table, as ``pd.concat(parts,
    ignore_index=True)`` gives them, then taken in ``order`` (row positions) when given.

    ``parts`` is emptied, and each column's pieces are freed as soon as it is joined.
    """
    columns = list(parts[0].columns)
    if any(list(part.columns) != columns for part in parts[1:]):
        joined = pd.concat(parts, ignore_index=True)
        parts.clear()
        return joined if order is None else joined.take(order).reset_index(drop=True)
    # (each part as its columns: popping a column from a table reindexes the table, slow at 23 columns)
    split = [dict(part.items()) for part in parts]
    parts.clear()
    data: dict[str, pd.Series] = {}
    for col in columns:
        pieces = [part.pop(col) for part in split]
        column = pieces[0].reset_index(drop=True) if len(pieces) == 1 else _concat(pieces)
        del pieces
        data[col] = column if order is None else column.take(order).reset_index(drop=True)
        del column
        _trim_heap()  # the pieces' memory, before the next column takes more
    return unconsolidated(data)


def _concat(pieces: list[pd.Series]) -> pd.Series:
    """``pd.concat(pieces, ignore_index=True)`` of one column's pieces: object and ``Int64`` columns joined
    by numpy (pandas' concat costs more than the copy at a few dozen pieces a column)."""
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
