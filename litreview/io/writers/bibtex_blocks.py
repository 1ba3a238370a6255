"""The text of a BibTeX file outside its entries, written back with them: ``@preamble`` and ``@comment``
blocks and the text between entries (``%`` notes, rlhf-book's ``### chapter`` headings), which BibTeX reads
as comments, LaTeX takes its preamble macros from, and JabRef keeps its groups and settings in
(``@Comment{jabref-meta: ...}``).

The table does not hold this text: at export it is read again from the BibTeX files the rows name (every
``file:line`` of ``provenance``), and placed by the entry each block preceded in its file (the next entry that
gave a record):

- a block is written before the row of that entry's record (the row it was merged into, for a folded
  duplicate), wherever the row stands in the export; those before the export's first row open the file,
  before the ``@string`` definitions, as a file's header does;
- the blocks after a file's last record belong to the file (JabRef's settings): they close the export;
- the ``%`` comments, ``@comment`` and ``@preamble`` blocks that open a file, before its first entry and any
  other text, are the file's header (JabRef's ``% This file was created with JabRef`` and ``% Encoding:``
  lines): when their entry is not in the export (``papers[papers.year > 2020]`` left it out) they open the
  export, as the file's end closes it (other text before the first entry, such as rlhf-book's
  ``### First appearing in chapter 1 ###``, goes with that entry, as any block does);
- an ``@preamble`` whose entry is not in the export opens the export too (its macros may serve any entry);
  any other block whose entry is not in the export (a selection left it out) is left out, and
  :func:`litreview.export_changes` lists it;
- in an export of rows from several BibTeX files, each run of blocks from one file is introduced by a
  ``% from <file>`` line (a comment to BibTeX).

So a file loaded on its own and exported in its order comes back with every block where it was; a sorted or
merged export keeps each block with its entry.  The blocks of a file that gave no row (a strings file) are
not written.  Blocks are written as the file has them (delimiters, case, ``%``, LaTeX: nothing escaped,
nothing interpreted, so BibTeX reads them as it read the source), without the blank lines around them; the
writer puts one blank line between blocks and entries.  One line is written otherwise: JabRef's header
``% Encoding: <name>`` names the encoding JabRef reads the file in, and the export is UTF-8, so it says
``% Encoding: UTF-8`` (a Latin-1 library's ``% Encoding: ISO8859_1`` would have JabRef read every accented
letter of the export wrong).

A file that cannot be found again (moved, or named relative to another working folder) or has changed since
the load gives no blocks: when rows were read from it as BibTeX (they have ``source_fields``) it is listed in
:attr:`Placement.unread`, and :func:`litreview.export` warns.  A change is seen by the digest of the file's
bytes in the table's load account (``attrs``, which selections and :func:`litreview.tag` keep); when pandas
dropped it (``pd.concat``, ``DataFrame.merge``), only by the entries the rows name being no longer at their
lines with their keys, so a note edited in place is then written as the file has it now.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from litreview.io.crosswalk import source_of
from litreview.io.readers.bibtex_syntax import Piece, layout
from litreview.io.writers.base import items

BIBTEX_SUFFIXES = (".bib", ".bibtex")
GZIP_MAGIC = b"\x1f\x8b"
_ENCODING_LINE = re.compile(r"^(%[ \t]*Encoding:[ \t]*)(?!UTF-8[ \t]*$)\S.*$", re.MULTILINE | re.IGNORECASE)


def is_bibtex_name(name: str) -> bool:
    """Whether a file's name says BibTeX: ``.bib``, ``.bibtex``, or either gzipped (``.bib.gz``, which the load
    reads)."""
    name = name.lower()
    return name.endswith(BIBTEX_SUFFIXES) or name.endswith(tuple(f"{s}.gz" for s in BIBTEX_SUFFIXES))


def source_text(raw: bytes) -> str:
    """A BibTeX file's text as the load decoded it: gunzipped when gzipped, then :func:`decode_text` (its
    encoding recognised, ``\\n`` line ends)."""
    from litreview.io.gunzip import gunzip
    from litreview.io.load import decode_text

    if raw.startswith(GZIP_MAGIC):
        raw, _stream = gunzip(raw)
    return decode_text(raw)


def loaded_digests(attrs: Mapping[str, Any]) -> dict[str, str]:
    """The digest of each file's bytes as the load read them, from the table's load account (its attrs, when
    pandas kept them; see :mod:`litreview.io.account`): a file whose bytes differ has changed since the load."""
    from litreview.io.account import ATTRS_KEY

    account = attrs.get(ATTRS_KEY) if isinstance(attrs, Mapping) else None
    files = account.get("files", []) if isinstance(account, Mapping) else []
    return {str(f["file"]): str(f["digest"]) for f in files if isinstance(f, Mapping) and f.get("digest")}


@dataclass
class Placement:
    """Where the blocks outside the entries go in an export: ``top`` (before the ``@string`` definitions: the
    blocks before the first row, and the headers and preambles whose entry is not in the export), ``before`` a
    row (by its position, the first row aside), ``end``; each a list of texts to write.  ``written`` holds the
    ``file:line`` of every block placed, ``unread`` the files whose blocks could not be read again."""

    top: list[str] = field(default_factory=list)
    before: dict[int, list[str]] = field(default_factory=dict)
    end: list[str] = field(default_factory=list)
    written: set[str] = field(default_factory=set)
    unread: list[str] = field(default_factory=list)


@dataclass
class _Parsed:
    """A file's text and :func:`layout`, and the lines of its entries that gave a record (read when needed)."""

    text: str
    pieces: list[Piece]
    records: set[int] | None = None


# The files parsed for their blocks, by the digest of their bytes: an export and export_changes of the same
# table, or the exports of several selections in a notebook, parse each file once.  A few files are kept.
_PARSED: dict[str, _Parsed] = {}
_PARSED_KEPT = 4


@dataclass
class _Run:
    """Blocks of one file bound for one place, kept apart so that each file's run can be introduced."""

    file: str
    texts: list[str]


ROW_COLUMNS = ("source", "provenance", "key", "source_fields")  # what place_blocks reads of a row


def block_rows(table: Any) -> list[dict[str, Any]]:
    """The rows of a papers table as :func:`place_blocks` reads them: only its :data:`ROW_COLUMNS` (a table's
    rows as dicts whole cost more than placing the blocks)."""
    return table[[c for c in ROW_COLUMNS if c in table.columns]].to_dict("records")


def place_blocks(rows: list[dict[str, Any]], loaded: Mapping[str, str] | None = None) -> Placement:
    """Where each block outside the entries of the rows' BibTeX files goes (see the module docstring);
    ``rows`` are the export's rows, in export order; ``loaded`` the digest of each file as loaded
    (:func:`loaded_digests`), when known: a file whose bytes are no longer those gives no blocks."""
    row_of = {label: i for i, row in enumerate(rows) for label in _labels(row)}
    named, own = _named_entries(rows)
    placement = Placement()
    top: list[_Run] = []
    end: list[_Run] = []
    before: dict[int, list[_Run]] = {}
    for file, entries in named.items():
        found = _read_if_unchanged(file, entries, (loaded or {}).get(file))
        if found is None:
            if file in own:  # (a table made by hand names files that may never have been)
                placement.unread.append(file)
            continue
        pieces = found.pieces
        records = set(entries) | _other_records(file, found, set(entries))
        header = _header_lines(pieces)
        for anchor, blocks in _anchored(pieces, records):
            row = row_of.get(f"{file}:{anchor}")
            for piece in blocks:
                written = _ENCODING_LINE.sub(r"\1UTF-8", piece.written) if piece.kind == "text" else piece.written
                if anchor is None:
                    _add(end, file, written)
                elif row is None and (piece.kind == "preamble" or piece.line in header):
                    _add(top, file, written)
                elif row is not None:
                    _add(before.setdefault(row, []), file, written)
                else:
                    continue  # its entry is not in the export
                placement.written.add(f"{file}:{piece.line}")
    # The blocks before the first row open the file, before the @string definitions, as a file's header does.
    for run in before.pop(0, []):
        for text in run.texts:
            _add(top, run.file, text)
    several = len(named) > 1
    placement.top = _texts(top, several)
    placement.end = _texts(end, several)
    placement.before = {row: _texts(runs, several) for row, runs in before.items()}
    return placement


def _labels(row: dict[str, Any]) -> list[str]:
    return [str(s) for s in items(row.get("provenance"))] or ([str(row["source"])] if row.get("source") else [])


def _named_entries(rows: list[dict[str, Any]]) -> tuple[dict[str, dict[int, str | None]], set[str]]:
    """The BibTeX files the rows name, in the order they first do (by name, or as the source of a row read
    from BibTeX), each with the lines of its entries they name and the key a row read from there has (line
    0: a label without a line); and the files rows were read from as BibTeX."""
    named: dict[str, dict[int, str | None]] = {}
    own: set[str] = set()
    for row in rows:
        source = source_of(row)
        from_bibtex = source is not None and source[0] == "bibtex" and bool(row.get("source"))
        for label in _labels(row):
            file, _, line = label.rpartition(":")
            read_here = from_bibtex and label == row.get("source")
            if not read_here and not is_bibtex_name(Path(file).name):
                continue
            key = row.get("key") if read_here and isinstance(row.get("key"), str) else None
            named.setdefault(file, {})[int(line) if line.isdigit() else 0] = key
            if read_here:
                own.add(file)
    return named, own


def _read_if_unchanged(file: str, entries: dict[int, str | None], digest: str | None = None) -> _Parsed | None:
    """The file's text and :func:`layout`, when the file is found, has the ``digest`` it was loaded with (when
    known: a note edited since the load would be written as it is now) and still has an entry at each of the
    ``entries`` lines, with the key given there; else ``None``."""
    from litreview.io.account import locate_file

    path = locate_file(file)
    if path is None:
        return None
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    found = hashlib.sha256(raw).hexdigest()
    if digest and found != digest:
        return None
    parsed = _parsed(raw, found)
    keys = {p.line: p.contents for p in parsed.pieces if p.kind == "entry"}
    for line, key in entries.items():
        if line not in keys or (key and keys[line] != key):
            return None
    return parsed


def outside_blocks(raw: bytes) -> list[Piece]:
    """The blocks outside the entries of a BibTeX file's bytes (:func:`layout`, its entries left out), parsed
    once for :func:`place_blocks` and :func:`litreview.export_changes` alike."""
    return [piece for piece in _parsed(raw).pieces if piece.kind != "entry"]


def _parsed(raw: bytes, digest: str | None = None) -> _Parsed:
    """A file's text and layout, from :data:`_PARSED` when its bytes were parsed already."""
    digest = digest or hashlib.sha256(raw).hexdigest()
    parsed = _PARSED.pop(digest, None)  # (put back last: the most recently used are kept)
    if parsed is None:
        text = source_text(raw)
        parsed = _Parsed(text, layout(text))
    _PARSED[digest] = parsed
    while len(_PARSED) > _PARSED_KEPT:
        del _PARSED[next(iter(_PARSED))]
    return parsed


def _other_records(file: str, parsed: _Parsed, named: set[int]) -> set[int]:
    """The lines of the file's entries that gave a record the rows do not name (left out by a selection).
    Only when a block stands before an entry the rows do not name is the file read again as the load read
    it (a block before an entry that is no paper goes with the next one): reading costs more than the export."""
    from litreview.io.readers.bibtex import read

    if not _a_block_before_another_entry(parsed.pieces, named):
        return set()
    if parsed.records is None:
        parsed.records = {int(str(r["source"]).rsplit(":", 1)[1]) for r in read(parsed.text, file).records}
    return parsed.records - named


def _a_block_before_another_entry(pieces: list[Piece], named: set[int]) -> bool:
    after_block = False
    for piece in pieces:
        if piece.kind != "entry":
            after_block = True
        elif after_block and piece.line not in named:
            return True
        else:
            after_block = False
    return False


def _header_lines(pieces: list[Piece]) -> set[int]:
    """The lines of the file's header: the ``@comment``, ``@preamble`` and ``%`` blocks (text whose every line
    is a ``%`` comment) that open the file, before its first entry and any other text (a heading such as
    rlhf-book's ``### First appearing in chapter 1 ###``, which belongs to the entries after it)."""
    lines = set()
    for piece in pieces:
        if piece.kind == "text" and not all(line.lstrip().startswith("%") for line in piece.contents.splitlines()
                                            if line.strip()):
            break
        if piece.kind not in ("text", "comment", "preamble"):
            break
        lines.add(piece.line)
    return lines


def _anchored(pieces: list[Piece], records: set[int]) -> list[tuple[int | None, list[Piece]]]:
    """The blocks grouped by the line of the record entry that follows them (``None``: after the last)."""
    groups: list[tuple[int | None, list[Piece]]] = []
    pending: list[Piece] = []
    for piece in pieces:
        if piece.kind != "entry":
            pending.append(piece)
        elif piece.line in records and pending:
            groups.append((piece.line, pending))
            pending = []
    if pending:
        groups.append((None, pending))
    return groups


def _add(runs: list[_Run], file: str, text: str) -> None:
    if runs and runs[-1].file == file:
        runs[-1].texts.append(text)
    else:
        runs.append(_Run(file, [text]))


def _texts(runs: list[_Run], several: bool) -> list[str]:
    """Each block's text, a file's run introduced by ``% from <file>`` when ``several``: a block of its own (a
    blank line after it), so that the export read back gives the same blocks whatever follows (an ``@comment``
    is a block of its own) and an export of that is the same text."""
    out = []
    for run in runs:
        if several:
            out.append(f"% from {' '.join(run.file.split())}")
        out.extend(run.texts)
    return out
