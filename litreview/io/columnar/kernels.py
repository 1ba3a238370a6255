"""Column kernels: the cell rules of :mod:`litreview.io.readers.cells`, one pass over a whole column.

Each kernel takes a pyarrow array (one column of a batch) and returns the schema values it gives
together with ``fallback``, a boolean numpy array that is True for the rows whose cell is outside the
common shape the kernel handles.  Those rows are read again, whole, by the record-by-record path
(:func:`litreview.io.readers.cells.convert`), so the kernels never need to know the rare cases: a
kernel is right when every row it does not mark gives exactly what the per-value rule gives (the
tests check that, value by value).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

# Python's whitespace (str.isspace, str.strip, str.split and re's \s), spelled out for RE2, whose \s
# is ASCII only.  pyarrow's utf8_trim_whitespace trims exactly this set (a test checks every code point).
PY_SPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
    "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_SPACE_RUN = "[" + "".join(f"\\x{{{ord(c):x}}}" for c in PY_SPACE) + "]+"
_ODD_SPACE = "[" + "".join(f"\\x{{{ord(c):x}}}" for c in PY_SPACE if c != " ") + "]|  |^ | $"
_SPACE_FIRST_BYTE = np.zeros(256, bool)  # the bytes a whitespace character's UTF-8 begins with, and ends with
_SPACE_FIRST_BYTE[[c.encode()[0] for c in PY_SPACE]] = True
_SPACE_LAST_BYTE = np.zeros(256, bool)
_SPACE_LAST_BYTE[[c.encode()[-1] for c in PY_SPACE]] = True
_NO_AUTHOR = ["[no author name available]", "anonymous", "n/a", "none"]  # as cells.people
# the names people() marks, in one pass: blank, a comma, a closing ")" or ".", or a _NO_AUTHOR in any case (RE2's
# case folding also takes the rare letters that fold to ASCII ones without lower() making them so: marked, and
# read by the per-value rule, which is always right)
_ODD_NAME = (
    r"^$|,|[.)]$|(?i:^(?:" + "|".join(name.replace("[", r"\[").replace("]", r"\]") for name in _NO_AUTHOR) + ")$)"
)


_ODD_NAME_OR_SPACE = _ODD_SPACE + "|" + _ODD_NAME
# the bytes of a value that _ODD_SPACE can match at (a control character or any byte outside ASCII: every
# whitespace character but the space is one), and _ODD_NAME_OR_SPACE (a comma too); the ends and sizes of
# values _ODD_NAME matches whole (an ASCII value case-folds to one of its own size)
_ODD_SPACE_BYTES = np.array([b < 0x20 or b >= 0x80 for b in range(256)])
_ODD_NAME_BYTES = _ODD_SPACE_BYTES | (np.arange(256) == ord(","))
_NAME_END_BYTE = np.isin(np.arange(256), list(b" .)"))
_NO_AUTHOR_FIRST_BYTE = np.isin(np.arange(256), [ord(c) for name in _NO_AUTHOR for c in name[0] + name[0].upper()])
_NO_AUTHOR_SIZES = sorted({len(name.encode()) for name in _NO_AUTHOR})


def plain(column: pa.Array | pa.ChunkedArray) -> pa.Array:
    """One contiguous array; dictionary-encoded columns (pandas categoricals) decoded, large types narrowed."""
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks() if column.num_chunks != 1 else column.chunk(0)
    if pa.types.is_dictionary(column.type):
        column = column.dictionary_decode()
    if pa.types.is_large_string(column.type):
        column = column.cast(pa.string())
    return column


def value_bytes(column: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """A string array's bytes as numpy sees them, without a copy: ``(data, offsets)``, value ``i`` being
    ``data[offsets[i]:offsets[i + 1]]`` (a null's slice may hold bytes: test validity apart).  ``data`` holds
    only the array's values, so a byte found in it belongs to value ``searchsorted(offsets, at, "right") - 1``."""
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    n = len(column)
    if n == 0:
        return np.zeros(0, np.uint8), np.zeros(1, np.int64)
    width = np.int64 if pa.types.is_large_string(column.type) else np.int32
    _, offsets, data = column.buffers()
    offsets = np.frombuffer(offsets, width, count=n + 1, offset=column.offset * np.dtype(width).itemsize)
    data = np.frombuffer(data, np.uint8) if data is not None else np.zeros(0, np.uint8)
    start, end = int(offsets[0]), int(offsets[-1])
    return data[start:end], offsets - start


_SCAN_BYTES = 1 << 18  # bytes compared at a time by the scans (high_bytes, _odd_bytes)


def high_bytes(data: np.ndarray, least: int) -> np.ndarray:
    """Positions of the bytes of ``data`` (uint8) that are ``least`` or more, in order.  The comparison runs
    a quarter megabyte at a time into one small array: a mask of the whole block would cost more in fresh
    memory (the page faults of a new array per block) than the scan itself."""
    scratch = np.empty(min(len(data), _SCAN_BYTES), bool)
    found = []
    for start in range(0, len(data), _SCAN_BYTES):
        part = data[start : start + _SCAN_BYTES]
        at = np.flatnonzero(np.greater_equal(part, least, out=scratch[: len(part)]))
        if len(at):
            found.append(at + start)
    return np.concatenate(found) if found else np.zeros(0, np.intp)


def matching(column: pa.Array, pattern: str, maybe) -> np.ndarray:
    """``match_substring_regex(column, pattern)`` as a numpy mask (nulls False), the pattern run only on the
    values ``maybe()`` marks (a mask of every value it can match, found from the bytes: RE2's cost is per value
    as much as per byte, and these columns hold many short values)."""
    if not (isinstance(column, pa.Array) and (is_text(column) or pa.types.is_large_string(column.type))):
        return mask(pc.match_substring_regex(column, pattern))
    found = maybe()
    if found.any():
        where = np.flatnonzero(found)
        found[where] = mask(pc.match_substring_regex(column.take(pa.array(where)), pattern))
    return found


def _odd_bytes(column: pa.Array, special: np.ndarray, *, names: bool = False) -> np.ndarray:
    """The values that hold a byte ``special`` marks or two spaces in a row, or begin or end with a space (with
    ``names``: also empty, ending in ``.`` or ``)``, or as long as a :data:`_NO_AUTHOR` name and beginning as
    one does), as a numpy mask: every value :data:`_ODD_SPACE` (``names``: :data:`_ODD_NAME_OR_SPACE`) can match."""
    data, offsets = value_bytes(column)
    starts, ends = offsets[:-1], offsets[1:]
    filled = ends > starts
    first, last = data[starts[filled]], data[ends[filled] - 1]
    found = np.zeros(len(column), bool)
    if names:
        found[~filled] = True
        sized = np.isin(ends - starts, _NO_AUTHOR_SIZES)[filled]
        found[filled] = _NAME_END_BYTE[last] | (_NO_AUTHOR_FIRST_BYTE[first] & sized) | (first == 32)
    else:
        found[filled] = (first == 32) | (last == 32)
    at = []
    for start in range(0, len(data), _SCAN_BYTES):
        part = data[start : start + _SCAN_BYTES + 1]  # (a byte more: two spaces across the cut)
        hit = special[part]
        space = part == 32
        hit[:-1] |= space[:-1] & space[1:]
        hits = np.flatnonzero(hit[:_SCAN_BYTES])
        if len(hits):
            at.append(hits + start)
    if at:
        found[np.searchsorted(offsets, np.concatenate(at), side="right") - 1] = True
    return found


def is_text(column: pa.Array) -> bool:
    return pa.types.is_string(column.type)


def mask(values) -> np.ndarray:
    """A pyarrow boolean array (nulls False) as a numpy bool array."""
    if isinstance(values, np.ndarray):
        return values.astype(bool)
    return np.asarray(pc.fill_null(values, False).to_numpy(zero_copy_only=False), dtype=bool)


def present(column: pa.Array) -> np.ndarray:
    """Rows whose cell the record path hands to a converter: not null, not ``""``, not an empty list."""
    valid = pc.is_valid(column)
    if is_text(column):
        valid = pc.and_(valid, pc.not_equal(column, ""))
    elif pa.types.is_list(column.type) or pa.types.is_large_list(column.type):
        valid = pc.and_(valid, pc.greater(pc.list_value_length(column), 0))
    elif pa.types.is_floating(column.type):
        valid = pc.and_(valid, pc.invert(pc.is_nan(column)))  # NaN is a blank cell
    return mask(valid)


def nulls(n: int, kind: pa.DataType | None = None) -> pa.Array:
    return pa.nulls(n, kind or pa.string())


def strip(column: pa.Array) -> pa.Array:
    """``str.strip()`` of every value (Python's whitespace); the column itself when no value has a byte at
    either end that a whitespace character can begin or end with (nearly always: no copy then)."""
    if isinstance(column, pa.Array) and (is_text(column) or pa.types.is_large_string(column.type)):
        data, offsets = value_bytes(column)
        starts, ends = offsets[:-1], offsets[1:]
        filled = ends > starts
        if not (_SPACE_FIRST_BYTE[data[starts[filled]]] | _SPACE_LAST_BYTE[data[ends[filled] - 1]]).any():
            return column
    return pc.utf8_trim_whitespace(column)


def one_line(column: pa.Array) -> pa.Array:
    """Runs of whitespace as one space, then stripped: ``" ".join(value.split())``.

    Only the values that it changes are rewritten (finding them is a tenth of the cost of the rewrite):
    those with a whitespace character other than a space, two spaces in a row, or a space at an end.
    """
    odd = matching(column, _ODD_SPACE, lambda: _odd_bytes(column, _ODD_SPACE_BYTES))
    if not odd.any():
        return column
    odd = pa.array(odd)
    fixed = strip(pc.replace_substring_regex(column.filter(odd), _SPACE_RUN, " "))
    return pc.replace_with_mask(column, odd, fixed)


def text(column: pa.Array, *, single_line: bool = False) -> tuple[pa.Array, np.ndarray]:
    """Text cells (:func:`cells.text`, and ``_one_line`` for titles and venues); blank is missing."""
    n = len(column)
    if pa.types.is_null(column.type):
        return nulls(n), np.zeros(n, bool)
    if not is_text(column):
        return nulls(n), present(column)
    out = one_line(column) if single_line else strip(column)
    return blank_as_null(out), np.zeros(n, bool)


def blank_as_null(column: pa.Array) -> pa.Array:
    """Empty strings as nulls (copying the strings only when there is one)."""
    if isinstance(column, pa.Array) and (is_text(column) or pa.types.is_large_string(column.type)):
        _, offsets = value_bytes(column)
        empty = offsets[1:] == offsets[:-1]  # (the offsets tell, with no pass over the strings)
        if column.null_count:
            empty &= np.asarray(column.is_valid())
        return pc.if_else(pa.array(empty), None, column) if empty.any() else column
    empty = pc.equal(pc.binary_length(column), 0)
    return pc.if_else(empty, None, column) if pc.any(empty).as_py() else column


def people(column: pa.Array) -> tuple[list, np.ndarray]:
    """Author lists (:func:`cells.people`) from a list-of-strings column whose names are ``First Last``.

    Returns Python lists (``None`` for a missing list).  A row with a name the per-value rule would
    change or drop (a comma, a closing ``)`` or ``.``, a blank or an ``anonymous``) is marked.
    """
    n = len(column)
    kind = column.type
    if pa.types.is_null(kind):
        return [None] * n, np.zeros(n, bool)
    if not (pa.types.is_list(kind) or pa.types.is_large_list(kind)):
        return [None] * n, present(column)
    item_kind = kind.value_type
    if pa.types.is_large_string(item_kind):
        column = column.cast(pa.list_(pa.string()))
    elif not (pa.types.is_string(item_kind) or pa.types.is_null(item_kind)):
        return [None] * n, present(column)
    offsets = np.asarray(column.offsets)
    values = column.values.slice(offsets[0], offsets[-1] - offsets[0])
    if pa.types.is_null(values.type):
        values = values.cast(pa.string())
    names, bad_items = _names(values)
    fallback = np.zeros(n, bool)
    if bad_items.any():
        parents = np.asarray(pc.list_parent_indices(column))
        fallback[parents[bad_items]] = True
    flat = shared_pylist(names)
    starts = (offsets - offsets[0]).tolist()
    listed = mask(pc.is_valid(column)).tolist()
    rows = [flat[a:b] if ok else None for a, b, ok in zip(starts[:-1], starts[1:], listed)]
    return rows, fallback


def _names(values: pa.Array) -> tuple[pa.Array, np.ndarray]:
    """Names as :func:`one_line` gives them, and the missing ones and those it gives that :data:`_ODD_NAME`
    matches (a numpy mask).  One pass finds the names that need either (one line, an odd name): nearly none."""
    odd = matching(values, _ODD_NAME_OR_SPACE, lambda: _odd_bytes(values, _ODD_NAME_BYTES, names=True))
    bad = mask(pc.is_null(values))
    if not odd.any():
        return values, bad
    chosen = pa.array(odd)
    some = values.filter(chosen)
    fixed = one_line(some)
    bad[odd] = mask(pc.match_substring_regex(fixed, _ODD_NAME))
    return (values if fixed is some else pc.replace_with_mask(values, chosen, fixed)), bad


def people_cells(column: pa.Array) -> tuple[list, np.ndarray]:
    """Author names from text cells (:func:`cells.people` of a string): names separated by ``;``, or one
    name alone.  Cells with another separator (``|``, a line break, commas) or a list written as text are
    marked, and so are the names :func:`people` marks."""
    n = len(column)
    cell = blank_as_null(strip(column))
    shaped = pc.or_kleene(pc.match_substring(cell, ";"), pc.invert(pc.match_substring_regex(cell, r"[|\n,]")))
    shaped = pc.and_kleene(shaped, pc.invert(pc.starts_with(cell, "[")))
    names, marked = people(pc.split_pattern(cell, ";"))
    return names, (marked | ~mask(shaped)) & mask(pc.is_valid(cell)) if n else np.zeros(0, bool)


def shared_pylist(column: pa.Array) -> list:
    """``column.to_pylist()``, with one Python object for the values that repeat in the column (names,
    venues): equal strings are shared, not copied, which the table's memory feels at a million rows."""
    if len(column) < 64 or not is_text(column):
        return column.to_pylist()
    encoded = column.dictionary_encode()
    if len(encoded.dictionary) > len(column) // 2:
        return column.to_pylist()
    values = np.array(encoded.dictionary.to_pylist() + [None], dtype=object)
    indices = pc.fill_null(encoded.indices, len(encoded.dictionary)).to_numpy(zero_copy_only=False)
    return values[indices].tolist()


def _int_column(column: pa.Array, low: int, high: int, digits: str) -> tuple[pa.Array, np.ndarray]:
    """Whole numbers within ``low..high``: integers, integral floats and (``digits``) strings."""
    n = len(column)
    kind = column.type
    if pa.types.is_null(kind):
        return nulls(n, pa.int64()), np.zeros(n, bool)
    if pa.types.is_integer(kind):
        values = column.cast(pa.int64())
    elif pa.types.is_floating(kind):
        whole = pc.equal(pc.floor(column), column)
        values = pc.if_else(whole, column, None).cast(pa.int64(), safe=False)
        values = pc.if_else(pc.and_(whole, pc.less_equal(pc.abs(column), 1e15)), values, None)
    elif is_text(column) and digits:
        cell = strip(column)
        numeric = pc.match_substring_regex(cell, digits)
        values = pc.if_else(numeric, cell, None).cast(pa.int64())
    else:
        return nulls(n, pa.int64()), present(column)
    ok = pc.and_(pc.greater_equal(values, low), pc.less_equal(values, high))
    values = pc.if_else(ok, values, None)
    return values, present(column) & ~mask(ok)


def year(column: pa.Array) -> tuple[pa.Array, np.ndarray]:
    """Years 1000-2999 (:func:`cells.year`): numbers, ``"2019"``, dates and timestamps."""
    if pa.types.is_date(column.type) or pa.types.is_timestamp(column.type):
        return pc.year(column).cast(pa.int64()), np.zeros(len(column), bool)
    return _int_column(column, 1000, 2999, r"^\d{4}$")


def month(column: pa.Array) -> tuple[pa.Array, np.ndarray]:
    """Months 1-12 given as numbers (:func:`cells.month`); names are left to the per-value rule."""
    return _int_column(column, 1, 12, r"^\d{1,2}$")


def arxiv_version(column: pa.Array) -> tuple[pa.Array, np.ndarray]:
    return _int_column(column, 1, 9999, r"^\d{1,4}$")


def citation_count(column: pa.Array) -> tuple[pa.Array, np.ndarray]:
    return _int_column(column, 0, 10**15, r"^\d{1,15}$")


def date(column: pa.Array) -> tuple[pa.Array, pa.Array, np.ndarray]:
    """Year and month of ISO dates (``2023``, ``2023-08``, ``2023-08-07``), dates and timestamps."""
    n = len(column)
    kind = column.type
    if pa.types.is_null(kind):
        return nulls(n, pa.int64()), nulls(n, pa.int64()), np.zeros(n, bool)
    if pa.types.is_date(kind) or pa.types.is_timestamp(kind):
        return pc.year(column).cast(pa.int64()), pc.month(column).cast(pa.int64()), np.zeros(n, bool)
    if not is_text(column):
        return nulls(n, pa.int64()), nulls(n, pa.int64()), present(column)
    found = pc.extract_regex(strip(column), r"^(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-\d{2})?)?$")
    years = pc.struct_field(found, [0]).cast(pa.int64())
    months = pc.struct_field(found, [1])
    months = pc.if_else(pc.equal(months, ""), None, months).cast(pa.int64())
    ok = pc.and_(pc.greater_equal(years, 1000), pc.less_equal(years, 2999))
    months = pc.if_else(pc.and_(pc.greater_equal(months, 1), pc.less_equal(months, 12)), months, None)
    return pc.if_else(ok, years, None), pc.if_else(ok, months, None), present(column) & ~mask(ok)
