"""RIS, the tagged format of reference managers and databases (Zotero, EndNote, Mendeley, Scopus,
IEEE Xplore, Ovid, Lens, ...).

A record is a run of ``XX  - value`` lines from ``TY  - <type>`` to ``ER  -``.  What is read, for every
reference type alike (JOUR, CONF, CPAPER, BOOK, CHAP, THES, RPRT, GEN, ELEC, UNPB, ...):

- ``title``: ``TI``, else ``T1``, else ``CT``; for whole books (BOOK, EBOOK, EDBOOK) ``BT`` last.
- ``abstract``: ``AB``, else ``N2``.
- ``authors``: every ``AU`` and ``A1`` line, in file order (``Last, First`` becomes ``First Last``);
  editors and other contributors (``A2``-``A4``) are not authors.  Names are kept as given, even a
  name an exporter repeats (IEEE Xplore sometimes lists an author twice).
- ``year``: from ``PY``, else ``Y1``, else ``DA``; ``month`` from the first of them that gives a month
  for that same year.  Dates are read by :func:`litreview.fields.dates.parse_date`: ``2019``, ``2019//``,
  ``2019/05/12/``, ``2019-05-12`` and free text with a month name (IEEE's ``24-27 Sept. 2019`` is
  September 2019; ``Jan.-Feb. 2019`` is January).
- ``venue``: the first of ``JF``, ``JO``, ``T2``, ``C3``, ``BT`` (not for whole books, where it is the
  title), ``JA``, ``J1``, ``J2``: full journal names first (``JF``/``JO``), then the secondary title
  (journal, proceedings or book of a chapter), then abbreviations.
- ``doi``: ``DO`` (normalised: ``http://dx.doi.org/10.1/X`` is ``10.1/x``), else a doi.org link.
- ``url``: the first web link of ``UR``, else ``LK``, ``L2``, ``L1``, ``L4`` (``file://`` and EndNote's
  ``internal-pdf://`` attachments are not links to the paper).
- ``arxiv_id`` and ``arxiv_version``: from an arxiv.org link in any of those, an arXiv DOI
  (``10.48550/arXiv.2106.09685``) or a venue such as Google Scholar's ``arXiv preprint arXiv:2106.09685``
  (the rules of :mod:`litreview.fields.arxiv`).
- ``keywords``: one per ``KW`` line, as given.
- ``source``: the file and line of the ``TY`` line.

- ``key``: ``ID``; ``entry_type``: the ``TY`` value as written; ``source_fields``: every tag line of the
  record (but ``TY`` and ``ER``), in order, as ``[tag, value]`` (continuation lines joined with a space),
  so that export writes the record back whole.

- ``references`` and ``citation_count``: Scopus writes them as notes, ``N1  - References: a; b; ...`` (one
  reference after another, joined by ``; ``) and ``N1  - Cited By :2``.

Not modelled (kept in ``source_fields`` only): other notes (``N1``: export dates, funding, user tags), pages,
volume, publisher.

Layout quirks accepted: a BOM; ``XX  -`` with nothing after it (``ER  -``) and one space instead of two
before the hyphen; a stray CR at a line start (IEEE Xplore separates records with ``\\n\\r``); text
between records (Ovid's ``1.``/``<1>`` numbering and "Link to ..." lines, JSTOR's ``Provider:`` header),
which is not part of any record and is skipped.  A line without a tag inside a record continues the
previous field (exporters wrap long abstracts); continuation lines are joined with a space.  Line
numbers are those of the text the loader hands over, where a lone CR is a line end (so in the IEEE
file they run ahead of ``grep -n``, which counts only LF).

Damaged records: a record whose ``TY`` line is missing (tags after an ``ER``) or whose ``ER`` line is
missing (the file ends, or the next ``TY`` comes first) is kept when it has a title, flagged
``truncated`` and reported as a warning; without a title it is skipped with an error.  Tags after an
``ER`` that the reader would not read anyway (Ovid writes ``NL  - <journal abbreviation>`` after each
``ER``) are skipped without a problem.  A record with neither title nor abstract nor DOI nor arXiv id is
skipped with an error.  Records without an abstract are flagged ``no-abstract``, without a title
``no-title``.

Why not ``rispy``: it is well kept, but it returns records without their line numbers, and on damaged
input it loses records without a word (a record with no ``ER`` line, tags without a ``TY``, a ``TY``
before the previous record's ``ER``).  This reader is one pass over the lines, with precompiled
patterns, and reports every such record with its ``file:line``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from litreview.fields.arxiv import find_arxiv
from litreview.fields.dates import parse_date
from litreview.fields.doi import normalize_doi
from litreview.fields.names import first_last
from litreview.io.readers.base import ReadResult, keep_tagged_record
from litreview.io.references import split_references

FORMAT = "ris"

# ``AU  - Smith, J``; ``ER  -``; one space before the hyphen is tolerated.
TAG_LINE = re.compile(r"^([A-Z][A-Z0-9]) {1,2}-(?: (.*))?$")
# Ovid numbers its records: ``1.`` or ``<1>`` on a line of their own.
_NUMBERING = re.compile(r"^(?:\d+\.|<\d+>)$")
# Export headers before the first record (JSTOR: ``Provider: JSTOR http://www.jstor.org``).
_HEADER = re.compile(r"^[A-Za-z][\w -]{0,30}: ")
_SNIFF_PREAMBLE = 10  # non-tag lines allowed before the first TY line

TITLE_TAGS = ("TI", "T1", "CT")
BOOK_TYPES = frozenset({"BOOK", "EBOOK", "EDBOOK"})
ABSTRACT_TAGS = ("AB", "N2")
AUTHOR_TAGS = frozenset({"AU", "A1"})
DATE_TAGS = ("PY", "Y1", "DA")
VENUE_TAGS = ("JF", "JO", "T2", "C3", "BT", "JA", "J1", "J2")
LINK_TAGS = ("UR", "LK", "L2", "L1", "L4")
# Tags that give the reader something: a tag-run after an ER with none of these is export noise.
READ_TAGS = frozenset(
    {*TITLE_TAGS, "BT", *ABSTRACT_TAGS, *AUTHOR_TAGS, *DATE_TAGS, *VENUE_TAGS, *LINK_TAGS, "DO", "KW"}
)

_WEB_LINK = re.compile(r"^(?:https?|ftp)://", re.IGNORECASE)


def sniff(text: str) -> bool:
    """A ``TY  - `` line first, after at most a few blank, numbering or header lines."""
    preamble = 0
    for line in text[:8192].split("\n"):
        line = line.lstrip("\ufeff\r").rstrip()
        if not line.strip() or _NUMBERING.match(line):
            continue
        match = TAG_LINE.match(line)
        if match:
            return match[1] == "TY"
        preamble += 1
        if preamble > _SNIFF_PREAMBLE or not _HEADER.match(line):
            return False
    return False


@dataclass
class _Raw:
    """A record as tagged lines: ``fields`` holds ``(tag, parts)``, ``parts`` the value and its
    continuation lines (joined once, at the end, so long wrapped fields cost no copying)."""

    line: int
    has_start: bool  # whether the record has its TY line
    type: str | None = None
    given_type: str | None = None  # the TY value as written
    fields: list[tuple[str, list[str]]] = field(default_factory=list)

    def by_tag(self) -> dict[str, list[str]]:
        """Non-empty values of each tag, in file order."""
        grouped: dict[str, list[str]] = {}
        for tag, parts in self.fields:
            value = " ".join(parts).strip()
            if value:
                grouped.setdefault(tag, []).append(value)
        return grouped


def _first(values: dict[str, list[str]], tags) -> str | None:
    for tag in tags:
        if tag in values:
            return values[tag][0]
    return None


def read(text: str, file: str) -> ReadResult:
    result = ReadResult()
    current: _Raw | None = None
    for lineno, raw in enumerate(text.split("\n"), start=1):
        line = raw.rstrip()
        if line[:1] in ("\r", "\ufeff"):  # a stray CR (IEEE) or a BOM the decoder left
            line = line.lstrip("\ufeff\r")
        match = TAG_LINE.match(line)
        if match:
            tag, value = match[1], (match[2] or "").strip()
            if tag == "TY":
                if current is not None:
                    _finish(current, result, file, missing_end=f"no ER line before the TY at line {lineno}")
                current = _Raw(lineno, True, value.upper() or None, value or None)
            elif tag == "ER":
                if current is not None:
                    _finish(current, result, file)
                current = None
            else:
                if current is None:  # tags after an ER: a record whose TY line is missing
                    current = _Raw(lineno, False)
                current.fields.append((tag, [value]))
        elif current is not None and line.strip() and not _NUMBERING.match(line.strip()):
            if current.fields:
                current.fields[-1][1].append(line.strip())  # a wrapped line continues the last field
            else:
                current.type = f"{current.type or ''} {line.strip()}".strip()  # wrapped TY value
        # Anything else outside a record (blank lines, numbering, export headers) is not a record.
    if current is not None:
        _finish(current, result, file, missing_end="no ER line (the file ends inside it)")
    if not result.records and not result.problems:
        result.error(file, None, "no RIS records found (no line starts with 'TY  - ')")
    return result


def _finish(raw: _Raw, result: ReadResult, file: str, missing_end: str | None = None) -> None:
    """Turn one tagged record into a schema record, or report why it cannot be one."""
    if not raw.has_start and not any(tag in READ_TAGS for tag, _ in raw.fields):
        return  # export noise after an ER (Ovid's NL line): nothing the reader would read
    keep_tagged_record(
        result, _record(raw), file=file, line=raw.line, label="RIS", start_tag="TY",
        has_start=raw.has_start, missing_end=missing_end, identity=("title", "abstract", "doi", "arxiv_id"),
    )


def _record(raw: _Raw) -> dict:
    values = raw.by_tag()
    whole_book = raw.type in BOOK_TYPES
    title = _first(values, TITLE_TAGS + (("BT",) if whole_book else ()))
    abstract = _first(values, ABSTRACT_TAGS)
    venue = _first(values, (t for t in VENUE_TAGS if not (whole_book and t == "BT")))
    links = [v for tag in LINK_TAGS for v in values.get(tag, ())]
    dois = [d for d in map(normalize_doi, values.get("DO", ())) if d]
    dois += [d for d in (normalize_doi(v) for v in links if "doi.org/" in v.lower()) if d]
    year, month = _year_month(values)
    arxiv = next(filter(None, map(find_arxiv, links + dois)), None) or (find_arxiv(venue) if venue else None)
    url = next((v.split()[0] for v in links if _WEB_LINK.match(v)), None)
    authors = [first_last(" ".join(parts)) for tag, parts in raw.fields if tag in AUTHOR_TAGS]
    flags = [] if abstract else ["no-abstract"]
    if not title:
        flags.append("no-title")
    notes = values.get("N1", [])
    references = [r.strip() for note in notes if note.startswith(_REFERENCES)
                  for r in split_references(note[len(_REFERENCES):]) if r.strip(" ;")]
    cited_by = next((int(m[1]) for m in map(_CITED_BY.match, notes) if m), None)
    record = {
        "title": title,
        "abstract": abstract,
        "authors": [name for name in authors if name],
        "year": year,
        "month": month,
        "venue": venue,
        "arxiv_id": arxiv[0] if arxiv else None,
        "arxiv_version": arxiv[1] if arxiv else None,
        "doi": dois[0] if dois else None,
        "url": url,
        "keywords": values.get("KW", []),
        "references": [r.rstrip(";").strip() for r in references] or None,
        "citation_count": cited_by,
        "quality_flags": flags,
        "key": values["ID"][0] if "ID" in values else None,
        "entry_type": raw.given_type or raw.type,
        "source_fields": json.dumps(
            {"format": FORMAT, "fields": [[tag, " ".join(parts).strip()] for tag, parts in raw.fields]},
            ensure_ascii=False,
        ),
    }
    return {key: value for key, value in record.items() if value is not None}


_REFERENCES = "References:"  # (Scopus' note holding the reference list)
_CITED_BY = re.compile(r"Cited By\s*:\s*(\d+)\s*$", re.IGNORECASE)


def _year_month(values: dict[str, list[str]]) -> tuple[int | None, int | None]:
    dates = [parse_date(v) for tag in DATE_TAGS for v in values.get(tag, ())]
    year = next((y for y, _ in dates if y is not None), None)
    month = next((m for y, m in dates if y == year and m is not None), None) if year else None
    return year, month
