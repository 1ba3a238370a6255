"""The arXiv metadata snapshot, columnar: blocks of lines read by pyarrow, converted column by column.

The result is :mod:`litreview.io.readers.arxiv_snapshot`'s, row for row (its ``record_from`` rules:
collapsed title and abstract, the last listed version, the year and month of ``v1``'s ``created`` date,
``First Last Suffix`` from ``authors_parsed``, categories split on spaces, the journal reference as the
venue, else ``arXiv``).  The rows a kernel cannot judge (an old-style or odd id, no title or abstract, no
``v1`` date, authors not in three clean parts, a DOI the twin cannot read) are read by ``record_from``
itself, from the same line; a block pyarrow cannot read as a table (a line that is not JSON, a value of
another type) is read whole by the record path, with its line numbers.  Memory: one block and the papers
read so far.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import BinaryIO

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pj

from litreview.fields.arxiv import parse_arxiv_id_arrow
from litreview.fields.dates import MONTH_NUMBERS
from litreview.fields.doi import normalize_doi_arrow
from litreview.io.columnar import kernels as k
from litreview.io.columnar.convert import schema_columns
from litreview.io.columnar.frames import Columns, join, release_freed_memory
from litreview.io.columnar.jsonl import BLOCK_BYTES, WholeFile, blocks
from litreview.io.encoding import repair_frame_text
from litreview.io.readers import arxiv_snapshot as snapshot
from litreview.io.readers.base import ReadResult
from litreview.schema import to_frame

_VERSION = pa.struct([("version", pa.string()), ("created", pa.string())])
_SCHEMA = pa.schema([
    ("id", pa.string()), ("title", pa.string()), ("abstract", pa.string()), ("doi", pa.string()),
    ("categories", pa.string()), ("journal-ref", pa.string()), ("versions", pa.list_(_VERSION)),
    ("authors_parsed", pa.list_(pa.list_(pa.string()))),
])  # fmt: skip
_OPTIONS = pj.ParseOptions(explicit_schema=_SCHEMA, unexpected_field_behavior="ignore")
_MONTHS = pa.array(list(MONTH_NUMBERS))
_MONTH_OF = pa.array(list(MONTH_NUMBERS.values()), pa.int64())


def read_arxiv_lines(
    stream: BinaryIO, label: str, *, block_bytes: int | None = None, on_bytes: Callable[[int], None] | None = None
) -> ReadResult:
    """Read snapshot lines from a binary stream; ``ReadResult.frame`` holds the papers."""
    result = ReadResult()
    parts: list[pd.DataFrame | Columns] = []
    order: list[np.ndarray] = []
    fallback = ReadResult()
    fallback_lines: list[int] = []
    line = 1
    for data in blocks(stream, block_bytes or BLOCK_BYTES):
        count = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
        if b"\r" in data:  # (the record path reads the decoded text, its line ends made \\n)
            raise WholeFile("carriage returns")
        texts = data.split(b"\n")
        nonblank = [i for i, text in enumerate(texts[:count]) if text.strip()]
        try:
            table = pj.read_json(pa.BufferReader(data), parse_options=_OPTIONS)
            if table.num_rows != len(nonblank):
                raise pa.ArrowInvalid("rows and lines differ")
            if not data.isascii():
                table.validate(full=True)  # (pyarrow does not check that strings are UTF-8 while parsing)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):  # the record path reads the block
            before = len(fallback.records)
            snapshot.read_lines(_decoded(texts[:count]), label, fallback, first_line=line)
            fallback_lines.extend(int(r["source"].rsplit(":", 1)[1]) for r in fallback.records[before:])
        else:
            rows = np.array(nonblank, dtype=int) + line
            values, marked = _convert(table)
            ok = ~marked
            parts.append(schema_columns(values, ok, [f"{label}:{n}" for n in rows[ok]]))
            order.append(rows[ok])
            for i in np.flatnonzero(marked).tolist():  # (each read as the record path reads its line)
                before = len(fallback.records)
                snapshot.read_lines(_decoded([texts[nonblank[i]]]), label, fallback, first_line=int(rows[i]))
                fallback_lines.extend([int(rows[i])] * (len(fallback.records) - before))
        pa.default_memory_pool().release_unused()
        line += count
        if on_bytes is not None:
            on_bytes(len(data))
    result.problems.extend(fallback.problems)
    if fallback.records:
        parts.append(repair_frame_text(to_frame(fallback.records)))
        order.append(np.array(fallback_lines, dtype=int))
    if not fallback.records and not result.problems and not any(len(part) for part in parts):
        raise WholeFile("no records")  # (the record path's own error says so)
    rank = np.argsort(np.concatenate(order), kind="stable") if fallback.records else None
    result.frame = join(parts, rank)
    release_freed_memory()
    return result


def _decoded(lines: list[bytes]) -> list[str]:
    try:
        return [line.decode("utf-8") for line in lines]
    except UnicodeDecodeError:
        raise WholeFile("not UTF-8") from None  # (the record path decodes the file its own way)


def _convert(table: pa.Table) -> tuple[dict, np.ndarray]:
    """Schema values of a block's works, and the rows ``record_from`` must read."""
    n = table.num_rows

    def column(name: str) -> pa.Array:
        return k.plain(table.column(name))

    raw_id = column("id")
    stripped = k.strip(raw_id)
    ids, _, ok = parse_arxiv_id_arrow(stripped)
    marked = ~ok | ~k.mask(pc.is_valid(raw_id)) | ~k.mask(pc.equal(stripped, raw_id))
    title = k.blank_as_null(k.one_line(column("title")))
    abstract = k.blank_as_null(k.one_line(column("abstract")))
    marked |= ~k.mask(pc.is_valid(title)) | ~k.mask(pc.is_valid(abstract))
    version, year, month, odd = _versions(column("versions"), n)
    authors, odd_authors = _authors(column("authors_parsed"), n)
    doi_cell = k.blank_as_null(column("doi"))
    dois, doi_ok = normalize_doi_arrow(k.strip(doi_cell))
    marked |= odd | odd_authors | ~doi_ok | (k.mask(pc.is_valid(doi_cell)) & ~k.mask(pc.is_valid(dois)))
    venue = pc.fill_null(k.blank_as_null(k.one_line(column("journal-ref"))), "arXiv")
    categories = [list(dict.fromkeys(c.split())) if c else [] for c in column("categories").to_pylist()]
    values = {
        "arxiv_id": ids, "url": pc.binary_join_element_wise("https://arxiv.org/abs/", ids, ""),
        "title": title, "abstract": abstract, "arxiv_version": version, "year": year, "month": month,
        "authors": authors, "categories": categories, "venue": venue, "doi": dois,
        "quality_flags": [[] for _ in range(n)],
    }  # fmt: skip
    return values, marked


def _firsts_and_lasts(lists: pa.Array) -> tuple[pa.Array, pa.Array, np.ndarray]:
    """The first and the last item of each list (nulls for a missing or empty list), and which have one."""
    offsets = np.asarray(lists.offsets)
    lengths = np.diff(offsets)
    has = k.mask(pc.is_valid(lists)) & (lengths > 0)
    flat, missing = lists.values, pa.array(~has)
    if len(flat) == 0:
        return pa.nulls(len(has), flat.type), pa.nulls(len(has), flat.type), has
    first = flat.take(pa.array(np.where(has, offsets[:-1], 0)))
    last = flat.take(pa.array(np.where(has, offsets[1:] - 1, 0)))
    empty = pa.nulls(len(has), flat.type)
    return pc.if_else(missing, empty, first), pc.if_else(missing, empty, last), has


def _item(lists: pa.Array, i: int) -> pa.Array:
    """Item ``i`` of every list (null where a list is missing or shorter)."""
    offsets = np.asarray(lists.offsets)
    there = k.mask(pc.is_valid(lists)) & (np.diff(offsets) > i)
    if len(lists.values) == 0:
        return pa.nulls(len(lists), lists.type.value_type)
    taken = lists.values.take(pa.array(np.where(there, offsets[:-1] + i, 0)))
    return pc.if_else(pa.array(there), taken, pa.nulls(len(lists), taken.type))


def _versions(versions: pa.Array, n: int):
    """The last version's number, the year and month of ``v1``'s ``created`` (listed first), and the rows
    whose dates the record path must work out (no versions, ``v1`` not first, an odd date)."""
    if pa.types.is_null(versions.type) or len(versions) == 0:
        return k.nulls(n, pa.int64()), k.nulls(n, pa.int64()), k.nulls(n, pa.int64()), np.ones(n, bool)
    first, last, has = _firsts_and_lasts(versions)
    number = pc.struct_field(pc.extract_regex(pc.struct_field(last, "version"), r"^v(?P<n>[0-9]+)$"), [0])
    number = pc.cast(number, pa.int64())
    created = pc.struct_field(first, "created")
    parts = pc.extract_regex(created, r"^[^ ]+ +[^ ]+ +(?P<month>[^ ]+) +(?P<year>[0-9]+)(?: |$)")
    months = pc.take(_MONTH_OF, pc.index_in(pc.utf8_lower(pc.struct_field(parts, [0])), value_set=_MONTHS))
    years = pc.cast(pc.struct_field(parts, [1]), pa.int64())
    dated = (
        has
        & k.mask(pc.equal(pc.struct_field(first, "version"), "v1"))
        & k.mask(pc.string_is_ascii(created))
        & ~k.mask(pc.match_substring_regex(created, r"[\t\n\x0b\x0c\r\x1c-\x1f]"))
        & k.mask(pc.is_valid(months))
    )
    return number, years, months, ~dated


def _authors(parsed: pa.Array, n: int) -> tuple[list, np.ndarray]:
    """``First Last Suffix`` of every ``[last, first, suffix, ...]``; rows with a part missing, a name that
    is blank, or no list are marked (the record path reads them, or the ``authors`` string)."""
    if pa.types.is_null(parsed.type) or len(parsed) == 0:
        return [None] * n, np.ones(n, bool)
    offsets = np.asarray(parsed.offsets)
    people = parsed.values.slice(offsets[0], offsets[-1] - offsets[0])
    owner = np.repeat(np.arange(n), np.diff(offsets))
    marked = ~(k.mask(pc.is_valid(parsed)) & (np.diff(offsets) > 0))
    parts = [_item(people, i) for i in range(3)]
    whole = np.ones(len(people), bool)
    for part in parts:
        whole &= k.mask(pc.is_valid(part))
    marked[owner[~whole]] = True
    last, first, suffix = (pc.fill_null(p, "") for p in parts)
    two = pc.if_else(pc.equal(first, ""), last, pc.binary_join_element_wise(first, last, " "))
    names = pc.if_else(pc.equal(suffix, ""), two, pc.binary_join_element_wise(first, last, suffix, " "))
    odd = k.mask(pc.match_substring_regex(names, r"  |\n|\t|^ | $"))
    if odd.any():
        names = pc.if_else(pa.array(odd), k.one_line(names), names)
    marked[owner[k.mask(pc.equal(names, ""))]] = True
    flat = names.to_pylist()
    starts = (offsets - offsets[0]).tolist()
    return [flat[a:b] for a, b in zip(starts[:-1], starts[1:])], marked
