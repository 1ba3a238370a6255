"""One crosswalk of fields and entry types between BibTeX, RIS, CSL-JSON and CSV, for export across formats.

A record exported to the format it was read from is written back from its ``source_fields`` (see
:mod:`litreview.io.export`).  A record exported to another format is written from the table's columns
(title, authors, year, venue, ...) plus the fields of its source that the schema does not model, each
put where the target format keeps it, by this table (the CSV names are Zotero's CSV export's):

============  ============  ==============  ===================  ============
concept       BibTeX        RIS             CSL-JSON             CSV
============  ============  ==============  ===================  ============
volume        volume        VL              volume               Volume
number        number        IS              issue                Issue
pages         pages         SP, EP          page                 Pages
publisher     publisher     PB              publisher            Publisher
issn          issn          SN              ISSN                 ISSN
isbn          isbn          SN              ISBN                 ISBN
editor        editor        ED (A2)         editor               Editor
address       address       CY              publisher-place      Place
note          note          N1              note                 Extra
language      language      LA              language             Language
series        series        T3              collection-title     Series
edition       edition       ET              edition              Edition
============  ============  ==============  ===================  ============

The modelled fields go the same way: title (``title``, ``TI``, ``title``, ``title``), authors
(``author``, ``AU``, ``author``, ``authors``), year (``year``, ``PY``, ``issued``, ``year``), venue
(``journal`` or ``booktitle`` by the entry type, ``JO`` or ``T2``, ``container-title``, ``venue``),
abstract (``abstract``, ``AB``), DOI (``doi``, ``DO``, ``DOI``), URL (``url``, ``UR``, ``URL``) and
keywords (``keywords``, ``KW``, ``keyword``, ``keywords``).  RIS ``SN`` is an ISBN for books and
chapters, an ISSN otherwise; RIS pages are ``SP``-``EP``.

Entry types (:data:`TYPES`; a type of the source that is not listed leaves the target's type to the
venue rule of its writer):

=================  ======  ==================
BibTeX             RIS     CSL-JSON
=================  ======  ==================
article            JOUR    article-journal
inproceedings      CONF    paper-conference
book               BOOK    book
incollection       CHAP    chapter
phdthesis          THES    thesis
techreport         RPRT    report
unpublished        UNPB    manuscript
online             ELEC    webpage
misc               GEN     document
=================  ======  ==================

with these read as the row's type too: BibTeX ``conference`` (inproceedings), ``mastersthesis``
(phdthesis), ``inbook`` (incollection), ``booklet``/``manual`` (misc); RIS ``CPAPER`` (CONF), ``EJOUR``,
``MGZN``, ``NEWS`` (JOUR), ``ECHAP`` (CHAP), ``EBOOK``/``EDBOOK`` (BOOK), ``WEB``/``BLOG`` (ELEC);
CSL ``article`` (a preprint: misc), ``article-magazine``/``article-newspaper`` (article-journal),
``post``/``post-weblog`` (webpage); table types such as Zotero's ``journalArticle``,
``conferencePaper``, ``bookSection``, ``preprint`` and Scopus' ``Article``, ``Review``,
``Conference Paper``, ``Book Chapter``.

A source field that is neither modelled nor in the table is not dropped: it is a *leftover*, written
under its own name where the target allows any name (a BibTeX field, a CSV column) and as a
``name: value`` line of the note otherwise (RIS ``N1``, CSL ``note``); such a note line (lower-case
name, no spaces) is read back as that field, so a leftover survives a trip through RIS or CSL-JSON.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from litreview.fields.latex import decode_latex, verbatim
from litreview.fields.names import first_last
from litreview.io.readers.bibtex_syntax import value_text
from litreview.io.readers.columns import (
    BIBLIOGRAPHIC_COLUMNS,
    KEY_NAMES,
    PAGE_RANGE_COLUMNS,
    TYPE_NAMES,
    map_columns,
    normalize_name,
)

FORMATS = ("bibtex", "ris", "csl-json", "csv")

# concept: (BibTeX field, RIS tags (the first is written), CSL-JSON key, CSV column)
FIELDS: dict[str, tuple[str, tuple[str, ...], str, str]] = {
    "volume": ("volume", ("VL",), "volume", "Volume"),
    "number": ("number", ("IS",), "issue", "Issue"),
    "pages": ("pages", ("SP", "EP"), "page", "Pages"),
    "publisher": ("publisher", ("PB",), "publisher", "Publisher"),
    "issn": ("issn", ("SN",), "ISSN", "ISSN"),
    "isbn": ("isbn", ("SN",), "ISBN", "ISBN"),
    "editor": ("editor", ("ED", "A2"), "editor", "Editor"),
    "address": ("address", ("CY",), "publisher-place", "Place"),
    "note": ("note", ("N1",), "note", "Extra"),
    "language": ("language", ("LA",), "language", "Language"),
    "series": ("series", ("T3",), "collection-title", "Series"),
    "edition": ("edition", ("ET",), "edition", "Edition"),
}
_COLUMN = {"bibtex": 0, "ris": 1, "csl-json": 2, "csv": 3}

# (BibTeX, RIS, CSL-JSON), then the other spellings read as that row.
TYPES: tuple[tuple[str, str, str], ...] = (
    ("article", "JOUR", "article-journal"),
    ("inproceedings", "CONF", "paper-conference"),
    ("book", "BOOK", "book"),
    ("incollection", "CHAP", "chapter"),
    ("phdthesis", "THES", "thesis"),
    ("techreport", "RPRT", "report"),
    ("unpublished", "UNPB", "manuscript"),
    ("online", "ELEC", "webpage"),
    ("misc", "GEN", "document"),
)
_TYPE_ALIASES = {
    "conference": 1, "mastersthesis": 4, "inbook": 3, "booklet": 8, "manual": 8, "cpaper": 1, "ejour": 0,
    "mgzn": 0, "news": 0, "echap": 3, "ebook": 2, "edbook": 2, "web": 7, "blog": 7, "article": 0,
    "articlemagazine": 0, "articlenewspaper": 0, "post": 7, "postweblog": 7, "journalarticle": 0, "review": 0,
    "conferencepaper": 1, "conferencereview": 1, "booksection": 3, "bookchapter": 3, "preprint": 8,
    "thesis": 4, "report": 5, "webpage": 7, "manuscript": 6, "document": 8,
}  # fmt: skip
_TYPE_ROW = {normalize_name(name): n for n, row in enumerate(TYPES) for name in row}
_TYPE_ROW.update(_TYPE_ALIASES)

# Source fields the table's columns already give (written from the table, not from here).
_MODELLED = {
    "bibtex": frozenset({
        "title", "author", "year", "month", "date", "journal", "journaltitle", "booktitle", "howpublished",
        "institution", "school", "abstract", "keywords", "author_keywords", "doi", "url", "eprint",
        "archiveprefix", "eprinttype", "primaryclass", "annote", "ids",
    }),
    "ris": frozenset({"TI", "T1", "CT", "AU", "A1", "PY", "Y1", "DA", "AB", "N2", "DO", "KW", "ID"}),
    "csl-json": frozenset({"title", "author", "issued", "container-title", "DOI", "URL", "abstract", "keyword"}),
}  # fmt: skip
_RIS_VENUE = ("JF", "JO", "T2", "C3", "BT", "JA", "J1", "J2")  # the reader's order: the first one is the venue
_RIS_LINKS = ("UR", "LK", "L2", "L1", "L4")
_BIBTEX_NAMES = {"journaltitle": "journal", "location": "address"}
_CSV_NAMES = {normalize_name(name): concept for concept, names in BIBLIOGRAPHIC_COLUMNS.items() for name in names}
_SPACES = re.compile(r"\s+")
_FIELD_LINE = re.compile(r"^([a-z][a-z0-9_-]*): (.+)$")
_NAME_CHARS = re.compile(r"[^a-z0-9_-]+")


def source_of(row: Mapping[str, Any]) -> tuple[str, list[list[Any]]] | None:
    """``(format, fields)`` of a row's ``source_fields``, or ``None`` when it has none."""
    text = row.get("source_fields")
    if not isinstance(text, str) or not text:
        return None
    try:
        data = json.loads(text)
        return str(data["format"]), list(data["fields"])
    except (ValueError, KeyError, TypeError):
        return None


def target_type(entry_type: Any, target: str) -> str | None:
    """The target format's entry type for a source ``entry_type`` (of any format), by :data:`TYPES`.

    >>> target_type("Article", "ris"), target_type("CONF", "bibtex"), target_type("conferencePaper", "csl-json")
    ('JOUR', 'inproceedings', 'paper-conference')
    >>> target_type("patent", "bibtex") is None
    True
    """
    if not isinstance(entry_type, str) or target not in _COLUMN or target == "csv":
        return entry_type if isinstance(entry_type, str) and target == "csv" else None
    row = _TYPE_ROW.get(normalize_name(entry_type))
    return None if row is None else TYPES[row][_COLUMN[target]]


def field_name(concept: str, target: str) -> str:
    """The name of a crosswalk concept in a target format (RIS: the tag written)."""
    name = FIELDS[concept][_COLUMN[target]]
    return name[0] if isinstance(name, tuple) else name


def unmodelled(
    fmt: str, fields: list[list[Any]], entry_type: Any = None
) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """What a source record holds beyond the table's columns: ``({concept: value}, leftovers)``.

    A concept's value is text, or a list of names for ``editor``.  Leftovers are ``(name, text)`` of
    the fields the crosswalk has no place for, in source order.
    """
    reader = {"bibtex": _bibtex, "ris": _ris, "csl-json": _csl, "csv": _table, "excel": _table}.get(fmt)
    if reader is None:
        return {}, []
    concepts: dict[str, Any] = {}
    leftovers: list[tuple[str, str]] = []
    reader(fields, concepts, leftovers, entry_type)
    return concepts, leftovers


def _add(concepts: dict[str, Any], concept: str, value: Any) -> None:
    if concept == "editor":
        concepts.setdefault("editor", []).extend(value)
    elif concept in concepts:  # a second N1, a second SN: kept, on a line of its own
        concepts[concept] = f"{concepts[concept]}\n{value}"
    else:
        concepts[concept] = value


def _bibtex(fields, concepts, leftovers, _type) -> None:
    by_bibtex = {spec[0]: concept for concept, spec in FIELDS.items()}
    for pair in fields:
        name = str(pair[0]).lower()
        if name in _MODELLED["bibtex"]:
            continue
        raw = pair[2] if len(pair) > 2 else value_text(str(pair[1]))
        text = verbatim(raw) if name in ("issn", "isbn", "pages") else decode_latex(raw)
        concept = by_bibtex.get(_BIBTEX_NAMES.get(name, name))
        if not text:
            continue
        if concept == "editor":
            _add(concepts, concept, [first_last(n) for n in re.split(r"\s+and\s+", text) if n.strip()])
        elif concept:
            _add(concepts, concept, text)
        else:
            leftovers.append((str(pair[0]), text))


def _ris(fields, concepts, leftovers, entry_type) -> None:
    tags = [str(tag) for tag, _ in fields]
    # The table's venue and url are the first value of the first venue tag and of the first link tag.
    taken = {next((t for t in _RIS_VENUE if t in tags), None), next((t for t in _RIS_LINKS if t in tags), None)}
    book = str(entry_type or "").upper() in ("BOOK", "EBOOK", "EDBOOK", "CHAP", "ECHAP")
    start = end = None
    for tag, value in fields:
        text = str(value).strip()
        if tag in taken:
            taken.discard(tag)
            continue
        if not text or tag in _MODELLED["ris"]:
            continue
        if tag == "SP":
            start = text
        elif tag == "EP":
            end = text
        elif tag in ("ED", "A2"):
            _add(concepts, "editor", [first_last(text)])
        elif tag == "SN":
            _add(concepts, "isbn" if book else "issn", text)
        else:
            concept = next((c for c, spec in FIELDS.items() if spec[1][0] == tag), None)
            if concept == "note":
                _note(text, concepts, leftovers)
            elif concept:
                _add(concepts, concept, text)
            else:
                leftovers.append((tag, text))
    if start or end:
        concepts["pages"] = "--".join(p for p in (start, end) if p)  # BibTeX's range; CSL's is written with "-"


def _csl(fields, concepts, leftovers, entry_type) -> None:
    by_csl = {spec[2]: concept for concept, spec in FIELDS.items()}
    for name, value in fields:
        if name in _MODELLED["csl-json"] or (name == "publisher" and entry_type == "article") or value in (None, ""):
            continue
        concept = by_csl.get(name)
        if concept == "editor" and isinstance(value, list):
            names = [_csl_name(v) for v in value]
            _add(concepts, concept, [n for n in names if n])
        elif concept == "note" and isinstance(value, str):
            for line in value.split("\n"):
                _note(line, concepts, leftovers)
        elif concept and isinstance(value, (str, int, float)):
            _add(concepts, concept, str(value))
        else:
            leftovers.append((str(name), value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)))


def _note(line: str, concepts: dict[str, Any], leftovers: list[tuple[str, str]]) -> None:
    """A note line: ``name: value`` (lower-case name, as the crosswalk writes a field without a place,
    and as Zotero's Extra holds fields) is that field again; any other line is note text."""
    match = _FIELD_LINE.match(line)
    if match:
        leftovers.append((match[1], match[2]))
    elif line.strip():
        _add(concepts, "note", line.strip())


def _csl_name(value: Any) -> str | None:
    if not isinstance(value, dict):
        return str(value) if value else None
    if value.get("literal"):
        return str(value["literal"])
    return " ".join(str(value[p]) for p in ("given", "non-dropping-particle", "family") if value.get(p)) or None


def _table(fields, concepts, leftovers, _type) -> None:
    names = [str(name) for name, _ in fields]
    mapped = {p for keys in map_columns(names).fields.values() for p in keys}
    kept = set(KEY_NAMES) | set(TYPE_NAMES)
    page_range = [normalize_name(n) for n in PAGE_RANGE_COLUMNS]
    first_last: dict[str, str] = {}
    for position, (name, value) in enumerate(fields):
        text = "" if value is None else str(value).strip()
        norm = normalize_name(name)
        if not text or position in mapped or norm in kept:
            continue
        if norm in page_range:
            first_last.setdefault(norm, text)
            continue
        concept = _CSV_NAMES.get(norm)
        if concept == "editor":
            _add(concepts, concept, [n.strip() for n in text.split(";") if n.strip()])
        elif concept:
            _add(concepts, concept, text)
        else:
            leftovers.append((name, text))
    start, end = (first_last.get(n) for n in page_range)
    if (start or end) and "pages" not in concepts:
        concepts["pages"] = f"{start}--{end}" if start and end and start != end else start or end


def bibtex_field_name(name: str) -> str:
    """A leftover's name as a BibTeX field name: lower case, other characters as ``-``."""
    return _NAME_CHARS.sub("-", name.lower()).strip("-") or "field"
