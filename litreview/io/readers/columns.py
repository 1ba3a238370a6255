"""Tables: which column is which schema field.

Shared by the table readers (``csv``, ``json-records``, ``excel``, ``parquet``): each reader finds its
column names and rows, :func:`map_columns` maps the names once, and
:func:`litreview.io.readers.cells.convert` turns each row into a record.

Column names are matched case-, space- and punctuation-insensitively (``Source title``, ``source_title``
and ``SourceTitle`` are one name) against the names of common exports, most preferred first:

- ``title``: ``title``, ``primary_title``, ``paper_title``, ``article_title``, ``document_title``,
  ``display_name`` (OpenAlex), ``TI`` (Web of Science)
- ``abstract``: ``abstract``, ``Abstract Note`` (Zotero), ``summary``, ``AB``, ``Abstract Text``
- ``authors``: ``Author full names`` (Scopus), ``AF``, ``authorships.author.display_name`` (OpenAlex),
  ``authors``, ``author``, ``author_names``, ``AU``, ``Writers``, ``Creators``; without any of them ``firstAuthor`` /
  ``first_author``, whose records are flagged ``authors-incomplete``
- ``year``: ``year``, ``publication_year``, ``pub_year``, ``PY``, ``Year Published``
- ``date`` (year and month of an ISO-ish date, or a month name and year): ``date``,
  ``publication_date``, ``published``, ``date_published``, ``date_submitted``, ``pub_date``, ``issued``
- ``month``: ``month`` (a number or an English month name)
- ``venue``: ``venue``, ``Source title`` (Scopus), ``journal``, ``journal_title``, ``booktitle``,
  ``conference``, ``Publication Title`` (Zotero), ``primary_location.source.display_name``,
  ``host_venue.display_name``, ``SO``, ``Where Published``, ``Published In``, ``container-title``,
  ``Journal Name``, ``Conference Name``, ``Proceedings Title``, ``source``
- ``arxiv_id``: ``arxiv_id``, ``arxiv``, ``eprint`` (a version suffix gives ``arxiv_version``);
  ``arxiv_version``: ``arxiv_version``
- ``doi``: ``doi``, ``DI``, ``Digital Object Identifier``, ``DOI Link``, ``DOI URL``; ``url``: ``url``,
  ``link``, ``site``, ``pdf_url``, ``Web Link``; ``notes``: ``notes``, ``note``
- ``keywords`` (all of these, merged): ``keywords``, ``Author Keywords``, ``DE``, ``tags``,
  ``Manual Tags``, ``Index Keywords``, ``Automatic Tags``, ``keywords.display_name``, ``Keywords Plus``
- ``categories`` (all of these, merged): ``categories``, ``category``, ``subjects``
- ``bibtex`` (a BibTeX entry in a cell, as paperlists gives): its ``year`` and ``booktitle``/``journal``
  are used when no other column gives the year or venue
- ``external_ids`` also gets PubMed's ids: ``pmid:`` of ``PMID`` / ``PubMed ID``, ``pmcid:`` of ``PMCID`` (PubMed
  Central, the free full text) and ``nihms:`` of ``NIHMS ID`` (the author's manuscript, ``NIHMS123``)

A spreadsheet (CSV, TSV, Excel) also gives each record its ``key`` (column ``key``, ``citation key``,
``bibtex key``, ``cite key``), its ``entry_type`` (``entry type``, ``item type`` (Zotero), ``document
type`` (Scopus), ``reference type``, ``publication type``) and keeps every cell of the row, by column, in
``source_fields`` (see :mod:`litreview.schema`), so that the table can be exported back whole.

For every other field the most preferred column present is used for every row (so Scopus's ``Source``
column, which says ``Scopus``, is never the venue when ``Source title`` exists).  Other columns, screening
labels (ASReview's ``included``) among them, are not read, and the file's one warning names them, so a
column is never dropped without a word; a known export's column the schema has no field for (PubMed's
``Create Date``, the day the record entered PubMed: not the paper's date) is kept without one.
``columns=`` ({file column: field}) overrides the guesses: a field named there takes only the columns named
for it, a column named there is not guessed, and ``None`` as the field ignores the column.  Its fields are
the schema fields above plus ``date``, ``bibtex``, ``pmid``, ``pmcid``, ``nihms`` and ``citation``; an unknown
field or a column the file does not have raises ``ValueError``, since that is the caller's mistake, not the
file's.

Problems: a table with no column for a title, abstract, DOI or arXiv id is one error listing its columns;
a cell that cannot be read as its field (a year ``in press``) is left out, flagged ``unreadable-<field>``
and reported as a warning; a row without a title, abstract, DOI or arXiv id is skipped with an error; a
row whose cells are all empty is not a record and is skipped silently; an empty abstract cell (in a table
that has an abstract column) flags ``no-abstract``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from litreview.schema import COLUMNS

# Schema fields a column can give, plus ``date`` (year and month) and ``bibtex`` (year and venue).
FIELDS: tuple[str, ...] = tuple(
    c for c in COLUMNS if c not in ("id", "quality_flags", "source", "provenance", "key", "entry_type", "source_fields")
)
TARGETS: tuple[str, ...] = FIELDS + ("date", "bibtex", "pmid", "pmcid", "nihms", "citation")
IDENTITY: tuple[str, ...] = ("title", "abstract", "doi", "arxiv_id")
MERGED: frozenset[str] = frozenset({"keywords", "categories"})  # every matching column contributes

# Recognised column names per target, most preferred first (normalised: see normalize_name).
ALIASES: dict[str, tuple[str, ...]] = {
    "title": ("title", "primarytitle", "papertitle", "articletitle", "documenttitle", "displayname", "ti"),
    "abstract": ("abstract", "abstractnote", "summary", "ab", "abstracttext"),
    "authors": (
        "authorfullnames", "af", "authorshipsauthordisplayname", "authors", "author", "authornames", "au",
        "writers", "writer", "creators", "creator",
    ),
    "first_author": ("firstauthor",),
    "year": ("year", "publicationyear", "pubyear", "py", "yearpublished"),
    "date": ("date", "publicationdate", "published", "datepublished", "datesubmitted", "pubdate", "issued"),
    "month": ("month",),
    "venue": (
        "venue", "sourcetitle", "journal", "journaltitle", "booktitle", "conference", "publicationtitle",
        "primarylocationsourcedisplayname", "hostvenuedisplayname", "so", "wherepublished", "publishedin",
        "containertitle", "journalname", "conferencename", "proceedingstitle", "source", "journalbook",
    ),
    "arxiv_id": ("arxivid", "arxiv", "eprint"),
    "arxiv_version": ("arxivversion",),
    "doi": ("doi", "di", "digitalobjectidentifier", "doilink", "doiurl"),
    "url": ("url", "link", "site", "pdfurl", "weblink"),
    "keywords": (
        "keywords", "authorkeywords", "de", "tags", "manualtags", "indexkeywords", "automatictags",
        "keywordsdisplayname", "keywordsplus", "authorkeyword",
    ),
    "categories": ("categories", "category", "subjects"),
    "notes": ("notes", "note"),
    "references": ("references", "cr", "citedreferences", "referencedworks"),
    "citation_count": ("citedby", "timescitedallDatabases".lower(), "timescitedwoscore", "tc", "citationcount",
                       "citedbycount", "timescited"),
    "external_ids": ("externalids", "eid", "ut", "openalexid", "paperid"),
    "pmid": ("pmid", "pubmedid"),  # (a PubMed id is a bare number: its column says what it is)
    "pmcid": ("pmcid", "pubmedcentralid"),  # (PubMed Central's id: the free full text)
    "nihms": ("nihmsid",),  # (PubMed's NIH manuscript id: the author's manuscript, NIHMS123)
    "citation": ("citation",),  # (PubMed's "J Atten Disord. 2023 Jan;27(2):101-110.": the month it alone gives)
    "bibtex": ("bibtex",),
}  # fmt: skip
_ALIAS_RANK: dict[str, tuple[str, int]] = {
    alias: (target, rank) for target, aliases in ALIASES.items() for rank, alias in enumerate(aliases)
}

_NOT_ALNUM = re.compile(r"[\W_]+")
# The kit's own columns that a table written by it holds and the reader recomputes: not worth a warning.
_OWN_COLUMNS = frozenset({"id", "qualityflags", "provenance", "topics", "decision", "sourcefields"})
# Columns the spreadsheet readers (CSV, Excel) keep as the record's ``key`` and ``entry_type``.
KEY_NAMES: tuple[str, ...] = ("key", "citationkey", "bibtexkey", "citekey")
TYPE_NAMES: tuple[str, ...] = ("entrytype", "itemtype", "documenttype", "referencetype", "publicationtype")
_SPACES = re.compile(r"\s+")
# Bibliographic columns the schema has no field for but the crosswalk (litreview.io.crosswalk) carries
# to every export format (the kit's own CSV export writes them): kept in source_fields, not warned about.
BIBLIOGRAPHIC_COLUMNS: dict[str, tuple[str, ...]] = {
    "volume": ("Volume",), "number": ("Issue", "Number"), "pages": ("Pages", "Page"),
    "publisher": ("Publisher",), "issn": ("ISSN",), "isbn": ("ISBN",), "editor": ("Editor", "Editors"),
    "address": ("Place", "Address"), "note": ("Extra",), "language": ("Language",), "series": ("Series",),
    "edition": ("Edition",),
}  # fmt: skip
PAGE_RANGE_COLUMNS = ("Page start", "Page end")  # Scopus: the crosswalk joins them as the pages, ``12--19``
# A known export's columns the schema has no field for, kept in source_fields and not warned about: PubMed's
# ``Create Date``, the day the record entered PubMed (not the paper's date: never its year or month).
KNOWN_UNREAD: tuple[str, ...] = ("createdate",)


def normalize_name(name: str) -> str:
    """``"Source title"``, ``"source_title"`` and ``"SourceTitle"`` are all ``"sourcetitle"``."""
    return _NOT_ALNUM.sub("", str(name).casefold())


_CROSSWALKED = frozenset(
    normalize_name(n) for names in (*BIBLIOGRAPHIC_COLUMNS.values(), PAGE_RANGE_COLUMNS) for n in names
)


class ColumnsError(ValueError):
    """A wrong ``columns=`` argument: the caller's mistake, raised as it is (not a problem of the file)."""


Key = int | str  # a column's position in a row (CSV, Excel) or its name (JSON, Parquet records)


@dataclass(frozen=True)
class ColumnMap:
    """Which columns give which target, preferred first."""

    names: tuple[str, ...]
    fields: dict[str, tuple[Key, ...]]
    authors_incomplete: bool = False  # authors come from a first-author column
    unplaced: tuple[str, ...] = ()  # columns no field was recognised for (and not ignored by columns=)

    @property
    def identifies(self) -> bool:
        """Whether some column can give a title, abstract, DOI or arXiv id."""
        return any(target in self.fields for target in IDENTITY)

    def no_identity_message(self) -> str:
        shown = ", ".join(repr(n) for n in self.names[:40]) + (", ..." if len(self.names) > 40 else "")
        return (
            f"no column is a title, abstract, DOI or arXiv id (the columns are {shown or 'none'}): "
            "pass columns={'<column>': 'title', ...} to name them"
        )


    def unplaced_message(self) -> str:
        shown = ", ".join(repr(n) for n in self.unplaced[:40]) + (", ..." if len(self.unplaced) > 40 else "")
        return (
            f"{len(self.unplaced)} column{'s' if len(self.unplaced) != 1 else ''} not read, no field recognised: "
            f"{shown}; name one with columns={{'<column>': '<field>'}}, or None to ignore it"
        )


def recognises(name: str, targets: Sequence[str] = IDENTITY) -> bool:
    """Whether ``name`` is a known column name for one of ``targets`` (used by sniffers)."""
    found = _ALIAS_RANK.get(normalize_name(name))
    return found is not None and found[0] in targets


def map_columns(
    names: Sequence[str], columns: Mapping[str, str | None] | None = None, *, by_position: bool = True
) -> ColumnMap:
    """Map a table's column ``names`` onto targets; ``columns`` overrides the guesses.

    Keys in the result are positions in ``names`` (``by_position``) or the names themselves.
    Raises ``ValueError`` for a ``columns`` entry naming an unknown field or a missing column.
    """
    names = tuple("" if n is None else str(n) for n in names)
    explicit = _explicit_columns(names, columns or {})
    chosen: dict[str, list[tuple[int, int]]] = {}  # target -> [(rank, position)]
    unplaced: list[str] = []
    for position, name in enumerate(names):
        if position in explicit:
            continue
        found = _ALIAS_RANK.get(normalize_name(name))
        if found:
            target, rank = found
            chosen.setdefault(target, []).append((rank, position))
        elif name.strip() and normalize_name(name) not in _NOT_WARNED:
            unplaced.append(name)
    fields: dict[str, list[int]] = {}
    for target, candidates in chosen.items():
        candidates.sort()
        fields[target] = [p for _, p in candidates] if target in MERGED else [candidates[0][1]]
    for target in {t for t in explicit.values() if t is not None}:
        fields[target] = [p for p, t in explicit.items() if t == target]
    incomplete = False
    first_author = fields.pop("first_author", None)
    if first_author and "authors" not in fields:
        fields["authors"] = first_author
        incomplete = True

    def key(position: int) -> Key:
        return position if by_position else names[position]

    placed = {t: tuple(key(p) for p in ps) for t, ps in fields.items()}
    return ColumnMap(names, placed, incomplete, tuple(unplaced))


_KEPT_NAMES = frozenset(KEY_NAMES + TYPE_NAMES)
_NOT_WARNED = _OWN_COLUMNS | _KEPT_NAMES | _CROSSWALKED | frozenset(KNOWN_UNREAD)


def source_positions(names: Sequence[str]) -> tuple[int | None, int | None]:
    """Positions of the columns a spreadsheet gives as ``key`` and ``entry_type`` (most preferred name)."""
    normalized = [normalize_name(n) for n in names]

    def first(wanted: tuple[str, ...]) -> int | None:
        return next((normalized.index(w) for w in wanted if w in normalized), None)

    return first(KEY_NAMES), first(TYPE_NAMES)


def _explicit_columns(names: tuple[str, ...], columns: Mapping[str, str | None]) -> dict[int, str | None]:
    if not isinstance(columns, Mapping):
        raise ColumnsError(f"columns= must be a mapping from column names to fields, not {type(columns).__name__}")
    normalized = [normalize_name(n) for n in names]
    out: dict[int, str | None] = {}
    for column, target in columns.items():
        if target is not None and target not in TARGETS:
            raise ColumnsError(
                f"columns=: {target!r} (for column {column!r}) is not a field; choose from {', '.join(TARGETS)}"
            )
        if column in names:
            position = names.index(column)
        elif normalize_name(column) in normalized:
            position = normalized.index(normalize_name(column))
        else:
            raise ColumnsError(f"columns=: the table has no column {column!r}; its columns are {list(names)}")
        out[position] = target
    return out


