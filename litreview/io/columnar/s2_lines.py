"""Semantic Scholar papers as JSON Lines (the S2 datasets' ``papers`` files, Graph API papers one a line),
read by columns.

Each block of lines is parsed by pyarrow into the fields the reader reads, by an explicit schema (the rest
of a line, such as a paper's nested citations or its embedding, is skipped by the parser), and converted
column by column by the rules of :mod:`litreview.io.readers.semantic_scholar`: the same values, flags,
``source`` and problems, in the same order.  A row the kernels cannot judge (a nameless author, a date or
DOI outside the common shape, nested references, no title and no ``paperId``, a line that is ``null``, an
array or an API page) is read by the reader's own rules, with its paper number; a block pyarrow cannot parse
(bad JSON, a value of another type than the schema's) is read line by line the same way.  A selection is
applied block by block, so only the papers it keeps are held.  Blocks are read and parsed on a thread, ahead of
their conversion.
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
from litreview.fields.doi import normalize_doi_arrow
from litreview.io.columnar import kernels as k
from litreview.io.columnar.ahead import ahead
from litreview.io.columnar.convert import schema_columns
from litreview.io.columnar.frames import Columns, join, release_freed_memory
from litreview.io.columnar.jsonl import BLOCK_BYTES, OPENS_OBJECT, WholeFile, blocks, one_chunk
from litreview.io.encoding import repair_frame_text
from litreview.io.readers.base import Problem, ReadResult
from litreview.io.readers.json_walk import _is_wrapper, _wrapped_list, json_kind, json_line
from litreview.io.readers.semantic_scholar import PAGE_ID, _linked_paper, _paper_record
from litreview.io.selection import Selection
from litreview.schema import to_frame

_TEXT, _INT = pa.string(), pa.int64()
_NAMED = pa.struct([("name", _TEXT)])
_IDS = pa.struct([("DOI", _TEXT), ("ArXiv", _TEXT)])
_STUDIES = pa.list_(pa.struct([("category", _TEXT)]))
# the fields read, under both spellings where the datasets write them in lower case
_SCHEMA = pa.schema(
    [("paperId", _TEXT), ("title", _TEXT), ("abstract", _TEXT), ("authors", pa.list_(_NAMED)), ("year", _INT),
     ("publicationDate", _TEXT), ("publicationdate", _TEXT), ("venue", _TEXT), ("publicationVenue", _NAMED),
     ("publicationvenue", _NAMED), ("journal", _NAMED), ("externalIds", _IDS), ("externalids", _IDS),
     ("url", _TEXT), ("openAccessPdf", pa.struct([("url", _TEXT)])), ("openaccesspdf", pa.struct([("url", _TEXT)])),
     ("fieldsOfStudy", pa.list_(_TEXT)), ("fieldsofstudy", pa.list_(_TEXT)), ("s2FieldsOfStudy", _STUDIES),
     ("s2fieldsofstudy", _STUDIES), ("references", pa.list_(pa.struct([]))), ("citationCount", _INT),
     ("citationcount", _INT)]
)  # fmt: skip
_PARSE = pj.ParseOptions(explicit_schema=_SCHEMA, unexpected_field_behavior="ignore")
_LIST_KEYS, _RECORD_KEYS = ("data",), ("paperId", "title")
_UNMATCHED = "(a /paper/batch id that matched no paper)"


def read_s2_lines(
    stream: BinaryIO,
    label: str,
    *,
    selection: Selection | None = None,
    block_bytes: int | None = None,
    on_bytes: Callable[[int], None] | None = None,
) -> ReadResult:
    """Read Semantic Scholar papers, one JSON object a line, from a binary stream; ``ReadResult.frame``
    holds them.  Raises :class:`~litreview.io.columnar.jsonl.WholeFile` when the record path must read the
    file instead (it is not UTF-8, or bare carriage returns end its lines)."""
    reader = _Reader(label, selection)

    def parsed():  # (on a thread: reading, decompressing and parsing free the GIL while a block is converted)
        line = 1
        for data in blocks(stream, block_bytes or BLOCK_BYTES):
            texts, rows, table = reader.parse(data)
            yield data, line, texts, rows, table
            line += len(texts)

    for data, line, texts, rows, table in ahead(parsed()):
        reader.block(line, texts, rows, table)
        pa.default_memory_pool().release_unused()
        if on_bytes is not None:
            on_bytes(len(data))
    return reader.result()


class _Reader:
    def __init__(self, label: str, selection: Selection | None) -> None:
        self.label, self.selection = label, selection
        self.number = 0  # papers met so far (the reader's "paper N")
        self.json_problems: list[Problem] = []  # (the record path reports the unreadable lines first)
        self.found = ReadResult()  # the papers' own problems, and the records read by the reader's rules
        self.parts: list[pd.DataFrame | Columns] = []
        self.lines: list[np.ndarray] = []

    def parse(self, data: bytes) -> tuple[list[bytes], list[int], pa.Table | None]:
        """A block's lines, its non-blank ones, and pyarrow's table of it (``None`` where it cannot read it)."""
        texts = data.split(b"\n")
        if data.endswith(b"\n"):
            texts.pop()
        if b"\r" in data and data.count(b"\r") != data.count(b"\r\n"):
            raise WholeFile("bare carriage returns end lines")
        rows = [i for i, text in enumerate(texts) if text.strip()]
        table = self.parse_table(data) if OPENS_OBJECT.match(data) else None
        return texts, rows, table if table is not None and table.num_rows == len(rows) else None

    def block(self, line: int, texts: list[bytes], rows: list[int], table: pa.Table | None) -> None:
        """Read one parsed block whose first line is ``line``."""
        if table is None:
            self.by_lines(texts, rows, line)
            return
        values, fallback = convert(table)
        row_lines = np.asarray(rows, dtype=int) + line
        ok = ~fallback
        part = schema_columns(values, ok, [f"{self.label}:{n}" for n in row_lines[ok].tolist()])
        self.keep(part, row_lines[ok])
        base, extra = self.number, 0  # extra: papers of the rows read by the rules, beyond one a row
        for i in np.flatnonzero(fallback).tolist():
            self.number = base + i + extra  # (the rows before: one paper each, and those extra)
            self.read_line(texts[rows[i]], line + rows[i])
            extra += self.number - (base + i + extra) - 1
        self.number = base + len(rows) + extra

    def parse_table(self, data: bytes) -> pa.Table | None:
        try:
            table = pj.read_json(pa.BufferReader(data), read_options=one_chunk(data), parse_options=_PARSE)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            return None
        if not data.isascii():
            try:
                table.validate(full=True)  # pyarrow does not check that strings are UTF-8 while parsing
            except pa.ArrowInvalid:
                raise WholeFile("not UTF-8") from None
        return table

    def by_lines(self, texts: list[bytes], rows: list[int], line: int) -> None:
        """A block pyarrow cannot read as a table: every line by the reader's rules."""
        try:
            for i in rows:
                self.read_line(texts[i], line + i)
        except UnicodeDecodeError:
            raise WholeFile("not UTF-8") from None

    def read_line(self, text: bytes, lineno: int) -> None:
        """One line by the reader's rules (:func:`litreview.io.readers.semantic_scholar.read`)."""
        parsed = ReadResult()
        read, value = json_line(text.decode("utf-8"), self.label, lineno, parsed)
        self.json_problems.extend(parsed.problems)
        if not read:
            return
        if isinstance(value, list):
            papers = value
        elif _is_wrapper(value, _LIST_KEYS, _RECORD_KEYS):
            papers = _wrapped_list(value, _LIST_KEYS)
        else:
            papers = [value]
        found = self.found
        for entry in papers:
            self.number += 1
            paper = _linked_paper(entry)
            if paper is None:
                found.error(self.label, lineno, f"paper {self.number} is null {_UNMATCHED}")
            elif not isinstance(paper, dict):
                found.error(self.label, lineno, f"paper {self.number} is {json_kind(paper)}, not a JSON object")
            else:
                record = _paper_record(paper, self.label, lineno, self.number, found)
                if record is not None:
                    found.records.append(record)

    def keep(self, part: pd.DataFrame | Columns, lines: np.ndarray) -> None:
        """Keep a block's papers (those the selection takes, with its fields)."""
        if self.selection is not None:
            part = part.frame() if isinstance(part, Columns) else part
            if self.selection.filters:
                chosen = self.selection.mask(part)
                part, lines = part.loc[chosen].reset_index(drop=True), lines[chosen]
            part = self.selection.apply(part)
        self.parts.append(part)
        self.lines.append(lines)

    def result(self) -> ReadResult:
        result = ReadResult()
        result.problems.extend(self.json_problems)
        result.problems.extend(self.found.problems)
        records = self.found.records
        if records:
            lines = np.array([int(r["source"].rsplit(":", 1)[1]) for r in records], dtype=int)
            self.keep(repair_frame_text(to_frame(records)), lines)
        order = np.argsort(np.concatenate(self.lines), kind="stable") if records else None
        result.frame = join(self.parts, order) if self.parts else to_frame([])
        release_freed_memory()
        return result


# --------------------------------------------------------------------------- the fields, column by column


def convert(table: pa.Table) -> tuple[dict[str, object], np.ndarray]:
    """Schema values of a block's papers (for :func:`~litreview.io.columnar.convert.schema_frame`), and the
    rows the reader's own rules must read (``fallback``)."""
    n = table.num_rows

    def column(name: str) -> pa.Array:
        return k.plain(table.column(name))

    def either(name: str) -> pa.Array:  # the Graph API's field, else the datasets' (semantic_scholar.field)
        camel, lower = column(name), column(name.lower())
        if lower.null_count == n:
            return camel
        return lower if camel.null_count == n else pc.if_else(pc.is_valid(camel), camel, lower)

    values: dict[str, object] = {}
    fallback = np.zeros(n, bool)
    values["title"], _ = k.text(column("title"))
    values["abstract"], _ = k.text(column("abstract"))
    values["authors"], marked = _authors(column("authors"))
    fallback |= marked
    date_year, values["month"], marked = k.date(either("publicationDate"))
    fallback |= marked
    year = column("year")
    values["year"] = pc.if_else(pc.fill_null(_within(year, 1, 9999), False), year, date_year)
    values["venue"], marked = _venue(column("venue"), either("publicationVenue"), column("journal"))
    fallback |= marked
    ids = either("externalIds")
    raw_doi = pc.struct_field(ids, "DOI")
    values["doi"], ok = normalize_doi_arrow(k.blank_as_null(k.strip(raw_doi)))
    fallback |= ~ok
    values["arxiv_id"], values["arxiv_version"], ok = parse_arxiv_id_arrow(k.strip(pc.struct_field(ids, "ArXiv")))
    fallback |= ~ok
    url = column("url")
    pdf = pc.struct_field(either("openAccessPdf"), "url")
    links = np.zeros(n, bool)  # an id the reader would find in the DOI or a link, when externalIds gives none
    for text in (raw_doi, url, pdf):
        links |= k.mask(pc.or_kleene(pc.match_substring(text, "arxiv", ignore_case=True),
                                     pc.invert(pc.string_is_ascii(text))))  # fmt: skip
    fallback |= links & k.mask(pc.is_null(values["arxiv_id"]))
    values["url"], _ = k.text(url)
    values["categories"] = _categories(either("fieldsOfStudy"), either("s2FieldsOfStudy"))
    fallback |= k.present(column("references"))  # nested references: the reader writes each as a string
    count = either("citationCount")
    values["citation_count"] = pc.if_else(pc.fill_null(_within(count, 0, 10**9), False), count, None)
    values["external_ids"] = _external_ids(column("paperId"), values["url"])
    title_missing = k.mask(pc.is_null(values["title"]))
    abstract_missing = k.mask(pc.is_null(values["abstract"]))
    identified = ~title_missing | ~abstract_missing
    for field in ("doi", "arxiv_id"):
        identified |= k.mask(pc.is_valid(values[field]))
    fallback |= ~identified  # (the reader reports a paper without a title, abstract, DOI or arXiv id)
    # neither a title nor a paperId: perhaps a citations page's entry or an API page, which the reader unwraps
    fallback |= title_missing & k.mask(pc.is_null(column("paperId")))
    kinds = (title_missing.astype(int) * 2 + abstract_missing.astype(int)).tolist()
    values["quality_flags"] = [list(_FLAGS[kind]) for kind in kinds]
    return values, fallback


_FLAGS = ((), ("no-abstract",), ("no-title",), ("no-title", "no-abstract"))  # (as json_walk.finish_record)


def _within(values: pa.Array, low: int, high: int) -> pa.Array:
    return pc.and_(pc.greater_equal(values, low), pc.less_equal(values, high))


def _authors(column: pa.Array) -> tuple[list, np.ndarray]:
    """``authors[].name``, stripped; a row with a nameless author (which the reader warns about) is marked."""
    n = len(column)
    offsets = np.asarray(column.offsets)
    items = column.values.slice(offsets[0], offsets[-1] - offsets[0])
    names = k.strip(pc.struct_field(items, "name"))
    fallback = np.zeros(n, bool)
    unnamed = k.mask(pc.or_kleene(pc.is_null(names), pc.equal(names, "")))
    if unnamed.any():
        fallback[np.asarray(pc.list_parent_indices(column.slice(0)))[unnamed]] = True
    flat = k.shared_pylist(names)
    starts = (offsets - offsets[0]).tolist()
    return [flat[a:b] for a, b in zip(starts[:-1], starts[1:])], fallback


def _venue(venue: pa.Array, publication_venue: pa.Array, journal: pa.Array) -> tuple[pa.Array, np.ndarray]:
    """``venue``, else ``publicationVenue.name``, else ``journal.name``; ``ArXiv`` as ``arXiv``.  A short name
    outside ASCII is marked (Unicode case folding could make it an ``arxiv``)."""
    name, _ = k.text(venue)
    for other in (publication_venue, journal):
        text, _ = k.text(pc.struct_field(other, "name"))
        name = pc.coalesce(name, text)
    arxiv = pc.fill_null(pc.match_substring_regex(name, r"^(?i:arxiv)(?:\.(?i:org))?$"), False)
    name = pc.if_else(arxiv, "arXiv", name)
    odd = pc.and_(pc.invert(pc.string_is_ascii(name)), pc.less_equal(pc.utf8_length(name), 9))
    return name, k.mask(odd)


def _categories(fields: pa.Array, studies: pa.Array) -> list[list[str]]:
    """``fieldsOfStudy`` then ``s2FieldsOfStudy[].category``, stripped, each once (the reader's rule).  Rows
    repeat a few fields of study: each row's names are joined into one text (by pyarrow), and each distinct
    text is worked out once."""
    first, first_at = _texts(fields, lambda items: items)
    second, second_at = _texts(studies, lambda items: pc.struct_field(items, "category"))
    names = pa.concat_arrays([first, second])
    if pc.any(pc.match_substring_regex(names, "[\x1e\x1f]")).as_py():  # (the joining characters)
        return _categories_by_rows(names.to_pylist(), first_at, second_at)
    in_first, in_second = np.diff(first_at), np.diff(second_at)
    offsets = np.concatenate(([0], np.cumsum(in_first + in_second)))
    order = np.empty(offsets[-1], dtype=np.int64)  # each row's names in order: its first list's, then its second's
    row = np.repeat(np.arange(len(in_first)), in_first)
    order[offsets[row] + np.arange(len(row)) - first_at[row]] = np.arange(len(row))
    row = np.repeat(np.arange(len(in_second)), in_second)
    order[offsets[row] + in_first[row] + np.arange(len(row)) - second_at[row]] = len(first) + np.arange(len(row))
    listed = pa.ListArray.from_arrays(pa.array(offsets, pa.int32()), pc.fill_null(names.take(pa.array(order)), "\x1e"))
    codes, texts = pd.factorize(pc.binary_join(listed, "\x1f").to_numpy(zero_copy_only=False))
    distinct = [[name for name in dict.fromkeys(text.split("\x1f")) if name != "\x1e"] if text else []
                for text in texts]  # fmt: skip
    return [list(distinct[code]) for code in codes.tolist()]


def _categories_by_rows(names: list, first_at: np.ndarray, second_at: np.ndarray) -> list[list[str]]:
    """:func:`_categories` a row at a time."""
    out = []
    second = names[first_at[-1] :]
    firsts, seconds = first_at.tolist(), second_at.tolist()
    for a, b, c, d in zip(firsts[:-1], firsts[1:], seconds[:-1], seconds[1:]):
        out.append([name for name in dict.fromkeys(names[a:b] + second[c:d]) if name])
    return out


def _texts(column: pa.Array, item_text) -> tuple[pa.Array, np.ndarray]:
    """The stripped texts (null for blank) of a list column's items, and each row's start among them."""
    offsets = np.asarray(column.offsets)
    items = column.values.slice(offsets[0], offsets[-1] - offsets[0])
    texts, _ = k.text(item_text(items))
    return texts, (offsets - offsets[0]).astype(np.int64)


_PAGE_ID_RE2 = PAGE_ID.replace("([0-9a-f]{40})", "(?P<id>[0-9a-f]{40})")


def _external_ids(paper_id: pa.Array, url: pa.Array) -> list[list[str]]:
    """``s2:<paperId>``, else the id the paper's page names (its url, stripped)."""
    ident, _ = k.text(paper_id)
    page = pc.struct_field(pc.extract_regex(url, _PAGE_ID_RE2), [0])
    ident = pc.coalesce(ident, page)
    return [[f"s2:{i}"] if i is not None else [] for i in ident.to_pylist()]
