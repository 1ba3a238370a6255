"""Tables: which column is which schema field, and how a cell becomes a schema value.

Shared by the table readers (``csv``, ``json-records``, ``excel``, ``parquet``): each reader finds its
column names and rows, :func:`map_columns` maps the names once, and :func:`convert` turns each row into
a record.

Column names are matched case-, space- and punctuation-insensitively (``Source title``, ``source_title``
and ``SourceTitle`` are one name) against the names of common exports, most preferred first:

- ``title``: ``title``, ``primary_title``, ``paper_title``, ``article_title``, ``document_title``,
  ``display_name`` (OpenAlex), ``TI`` (Web of Science)
- ``abstract``: ``abstract``, ``Abstract Note`` (Zotero), ``summary``, ``AB``
- ``authors``: ``Author full names`` (Scopus), ``AF``, ``authorships.author.display_name`` (OpenAlex),
  ``authors``, ``author``, ``author_names``, ``AU``; without any of them ``firstAuthor`` /
  ``first_author``, whose records are flagged ``authors-incomplete``
- ``year``: ``year``, ``publication_year``, ``pub_year``, ``PY``
- ``date`` (year and month of an ISO-ish date, or a month name and year): ``date``,
  ``publication_date``, ``published``, ``date_published``, ``date_submitted``, ``pub_date``
- ``month``: ``month`` (a number or an English month name)
- ``venue``: ``venue``, ``Source title`` (Scopus), ``journal``, ``journal_title``, ``booktitle``,
  ``conference``, ``Publication Title`` (Zotero), ``primary_location.source.display_name``,
  ``host_venue.display_name``, ``SO``, ``source``
- ``arxiv_id``: ``arxiv_id``, ``arxiv``, ``eprint`` (a version suffix gives ``arxiv_version``);
  ``arxiv_version``: ``arxiv_version``
- ``doi``: ``doi``, ``DI``; ``url``: ``url``, ``link``, ``site``, ``pdf_url``; ``notes``: ``notes``, ``note``
- ``keywords`` (all of these, merged): ``keywords``, ``Author Keywords``, ``DE``, ``tags``,
  ``Manual Tags``, ``Index Keywords``, ``Automatic Tags``, ``keywords.display_name``
- ``categories`` (all of these, merged): ``categories``, ``category``, ``subjects``
- ``bibtex`` (a BibTeX entry in a cell, as paperlists gives): its ``year`` and ``booktitle``/``journal``
  are used when no other column gives the year or venue

For every other field the most preferred column present is used for every row (so Scopus's ``Source``
column, which says ``Scopus``, is never the venue when ``Source title`` exists).  Other columns, screening
labels (ASReview's ``included``) among them, are ignored.  ``columns=`` ({file column: field}) overrides
the guesses: a field named there takes only the columns named for it, a column named there is not
guessed, and ``None`` as the field ignores the column.  Its fields are the schema fields above plus
``date`` and ``bibtex``; an unknown field or a column the file does not have raises ``ValueError``,
since that is the caller's mistake, not the file's.

Cells: text is stripped (titles and venues also have runs of whitespace collapsed: a line break in a title
is a wrap).  Lists come from real lists (JSON, Parquet), from list-strings (``"['cs.cl', 'cs.ai']"``,
read with ``json`` or ``ast.literal_eval``, never ``eval``), or by splitting on ``;``, else ``|``; keywords
and categories also on ``,``, and categories of arXiv-style codes on spaces.  Authors: ``Last, First``
becomes ``First Last``; Scopus's comma-separated ``Smith J., Doe A.B.`` is read as surname and initials
(``J. Smith``); ``Last, F., Last, F.`` pairs are read as such; a cell with two or more commas and no
``;`` is a comma-separated list of names; a cell with exactly one comma is one ``Last, First`` name.
Years are integers from 1000 to 2999 (``2019.0`` is 2019); a date column gives the year when no year
column does, and the month only when its year is the record's.  arXiv ids go through
:func:`~litreview.fields.ids.parse_arxiv_id` (an arxiv.org ``abs``/``pdf`` url also gives the id and version
when no arXiv column does), DOIs through :func:`~litreview.fields.ids.normalize_doi`.

Problems: a table with no column for a title, abstract, DOI or arXiv id is one error listing its columns;
a cell that cannot be read as its field (a year ``in press``) is left out, flagged ``unreadable-<field>``
and reported as a warning; a row without a title, abstract, DOI or arXiv id is skipped with an error; a
row whose cells are all empty is not a record and is skipped silently; an empty abstract cell (in a table
that has an abstract column) flags ``no-abstract``.
"""

from __future__ import annotations

import ast
import datetime as dt
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from litreview.fields.ids import normalize_doi, parse_arxiv_id
from litreview.fields.names import first_last
from litreview.schema import COLUMNS
from litreview.io.readers.base import excerpt

# Schema fields a column can give, plus ``date`` (year and month) and ``bibtex`` (year and venue).
FIELDS: tuple[str, ...] = tuple(c for c in COLUMNS if c not in ("id", "quality_flags", "source", "provenance"))
TARGETS: tuple[str, ...] = FIELDS + ("date", "bibtex")
IDENTITY: tuple[str, ...] = ("title", "abstract", "doi", "arxiv_id")
MERGED: frozenset[str] = frozenset({"keywords", "categories"})  # every matching column contributes

# Recognised column names per target, most preferred first (normalised: see normalize_name).
ALIASES: dict[str, tuple[str, ...]] = {
    "title": ("title", "primarytitle", "papertitle", "articletitle", "documenttitle", "displayname", "ti"),
    "abstract": ("abstract", "abstractnote", "summary", "ab"),
    "authors": ("authorfullnames", "af", "authorshipsauthordisplayname", "authors", "author", "authornames", "au"),
    "first_author": ("firstauthor",),
    "year": ("year", "publicationyear", "pubyear", "py"),
    "date": ("date", "publicationdate", "published", "datepublished", "datesubmitted", "pubdate"),
    "month": ("month",),
    "venue": (
        "venue", "sourcetitle", "journal", "journaltitle", "booktitle", "conference", "publicationtitle",
        "primarylocationsourcedisplayname", "hostvenuedisplayname", "so", "source",
    ),
    "arxiv_id": ("arxivid", "arxiv", "eprint"),
    "arxiv_version": ("arxivversion",),
    "doi": ("doi", "di"),
    "url": ("url", "link", "site", "pdfurl"),
    "keywords": (
        "keywords", "authorkeywords", "de", "tags", "manualtags", "indexkeywords", "automatictags",
        "keywordsdisplayname",
    ),
    "categories": ("categories", "category", "subjects"),
    "notes": ("notes", "note"),
    "references": ("references", "cr", "citedreferences", "referencedworks"),
    "citation_count": ("citedby", "timescitedallDatabases".lower(), "timescitedwoscore", "tc", "citationcount",
                       "citedbycount", "timescited"),
    "external_ids": ("eid", "ut", "openalexid", "paperid"),
    "bibtex": ("bibtex",),
}  # fmt: skip
_ALIAS_RANK: dict[str, tuple[str, int]] = {
    alias: (target, rank) for target, aliases in ALIASES.items() for rank, alias in enumerate(aliases)
}

_NOT_ALNUM = re.compile(r"[\W_]+")
_SPACES = re.compile(r"\s+")


def normalize_name(name: str) -> str:
    """``"Source title"``, ``"source_title"`` and ``"SourceTitle"`` are all ``"sourcetitle"``."""
    return _NOT_ALNUM.sub("", str(name).casefold())


Key = int | str  # a column's position in a row (CSV, Excel) or its name (JSON, Parquet records)


@dataclass(frozen=True)
class ColumnMap:
    """Which columns give which target, preferred first."""

    names: tuple[str, ...]
    fields: dict[str, tuple[Key, ...]]
    authors_incomplete: bool = False  # authors come from a first-author column

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
    for position, name in enumerate(names):
        if position in explicit:
            continue
        found = _ALIAS_RANK.get(normalize_name(name))
        if found:
            target, rank = found
            chosen.setdefault(target, []).append((rank, position))
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

    return ColumnMap(names, {t: tuple(key(p) for p in ps) for t, ps in fields.items()}, incomplete)


def _explicit_columns(names: tuple[str, ...], columns: Mapping[str, str | None]) -> dict[int, str | None]:
    if not isinstance(columns, Mapping):
        raise ValueError(f"columns= must be a mapping from column names to fields, not {type(columns).__name__}")
    normalized = [normalize_name(n) for n in names]
    out: dict[int, str | None] = {}
    for column, target in columns.items():
        if target is not None and target not in TARGETS:
            raise ValueError(
                f"columns=: {target!r} (for column {column!r}) is not a field; choose from {', '.join(TARGETS)}"
            )
        if column in names:
            position = names.index(column)
        elif normalize_name(column) in normalized:
            position = normalized.index(normalize_name(column))
        else:
            raise ValueError(f"columns=: the table has no column {column!r}; its columns are {list(names)}")
        out[position] = target
    return out


# --------------------------------------------------------------------------- converting a row


class _Unreadable(ValueError):
    """A cell that cannot be read as its field."""


@dataclass
class Converted:
    """One row's outcome: a record (``None`` when skipped), warnings, and the error when skipped."""

    record: dict[str, Any] | None
    warnings: list[str] = field(default_factory=list)
    error: str | None = None


def convert(cells: Any, cmap: ColumnMap, source: str) -> Converted:
    """Turn one row into a record with ``source``; ``cells`` is a sequence (by position) or a mapping."""
    record: dict[str, Any] = {}
    flags: list[str] = []
    warnings: list[str] = []
    for target, keys in cmap.fields.items():
        if target in MERGED:
            value = [_cell(cells, key) for key in keys]
        else:
            value = _cell(cells, keys[0])
            if value is None or value == "":
                continue
        try:
            _CONVERTERS[target](record, value)
        except _Unreadable as bad:
            warnings.append(str(bad))
            flags.append(f"unreadable-{target}")
    if not record and not warnings and _row_blank(cells):
        return Converted(None)  # an empty row is not a record
    _settle(record)
    if not any(record.get(f) for f in IDENTITY):
        why = f" ({'; '.join(warnings)})" if warnings else ""
        return Converted(None, [], f"has no title, abstract, DOI or arXiv id{why}")
    if "abstract" in cmap.fields and "abstract" not in record:
        flags.append("no-abstract")
    if cmap.authors_incomplete and "authors" in record:
        flags.append("authors-incomplete")
    if flags:
        record["quality_flags"] = flags
    record["source"] = source
    return Converted(record, warnings)


def _cell(cells: Any, key: Key) -> Any:
    try:
        return cells[key]
    except (IndexError, KeyError, TypeError):
        return None


def _blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float):
        return value != value  # NaN
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, tuple, dict)):
        return not value
    return False


def _row_blank(cells: Any) -> bool:
    values = cells.values() if isinstance(cells, Mapping) else cells
    try:
        return all(_blank(v) for v in values)
    except TypeError:
        return False


def _settle(record: dict[str, Any]) -> None:
    """Combine the helper entries (``_date``, ``_bibtex``, ``_url_arxiv``) into schema fields."""
    date = record.pop("_date", None)
    bib_year, bib_venue = record.pop("_bibtex", (None, None))
    url_arxiv = record.pop("_url_arxiv", None)
    if date:
        year, month = date
        record.setdefault("year", year)
        if month and record["year"] == year:
            record.setdefault("month", month)
    if bib_year:
        record.setdefault("year", bib_year)
    if bib_venue:
        record.setdefault("venue", bib_venue)
    if url_arxiv and "arxiv_id" not in record:
        record["arxiv_id"] = url_arxiv[0]
        if url_arxiv[1] is not None:
            record.setdefault("arxiv_version", url_arxiv[1])


# --------------------------------------------------------------------------- cells as values


def text(value: Any) -> str | None:
    """A cell as stripped text; ``None`` when blank."""
    if value is None:
        return None
    if isinstance(value, str):
        out = value
    elif isinstance(value, bool):
        out = str(value)
    elif isinstance(value, float):
        if value != value:
            return None
        out = str(int(value)) if value.is_integer() else repr(value)
    elif isinstance(value, (bytes, bytearray)):
        out = bytes(value).decode("utf-8", errors="replace")
    elif isinstance(value, (list, tuple)):
        out = "; ".join(t for t in map(text, value) if t)
    elif isinstance(value, dict):
        out = _name_of(value) or ""
    elif isinstance(value, dt.date):
        out = value.isoformat()
    else:
        out = str(value)
    return out.strip() or None


def _name_of(value: dict) -> str | None:
    """The display name in a nested object (``{"name": ...}``, ``{"given": ..., "family": ...}``)."""
    for key in ("display_name", "name", "full_name", "fullName", "title", "value", "text", "literal"):
        if isinstance(value.get(key), str) and value[key].strip():
            return value[key]
    given, family = value.get("given") or value.get("first"), value.get("family") or value.get("last")
    if isinstance(family, str) and family.strip():
        return f"{given} {family}" if isinstance(given, str) and given.strip() else family
    nested = value.get("author")
    return _name_of(nested) if isinstance(nested, dict) else None


def _one_line(value: Any) -> str | None:
    out = text(value)
    return _SPACES.sub(" ", out) if out else None


_LIST_STRING = re.compile(r"^\[.*\]$", re.DOTALL)
# ['cs.cl', 'cs.ai'] or ["a", "b"]: quoted items without escapes
_SIMPLE_LIST = re.compile(r"""^\[\s*(?:(?:'[^'\\\n]*'|"[^"\\\n]*")\s*,\s*)*(?:'[^'\\\n]*'|"[^"\\\n]*")?\s*\]$""")
_QUOTED_ITEM = re.compile(r"""(['"])(.*?)\1""", re.DOTALL)


def _items(value: Any) -> list[Any] | None:
    """A real list, or a list written as a JSON/Python list-string; ``None`` otherwise."""
    if isinstance(value, (list, tuple)):
        return list(value)
    if isinstance(value, str) and _LIST_STRING.match(value.strip()):
        if _SIMPLE_LIST.match(value.strip()):  # the common case, without the cost of a parser
            return [item for _, item in _QUOTED_ITEM.findall(value)]
        for parse in (json.loads, ast.literal_eval):  # literal_eval evaluates literals only, never code
            try:
                parsed = parse(value.strip())
            except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
                continue
            if isinstance(parsed, (list, tuple)):
                return list(parsed)
    return None


def _split(value: str, separators: str) -> list[str]:
    for sep in separators:
        if sep in value:
            return value.split(sep)
    return [value]


def _dedup(values: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for v in values:
        if v and v not in seen:
            seen.add(v)
            out.append(v)
    return out


_ARXIV_CATEGORY = re.compile(r"^[a-z][a-z-]*(?:\.[A-Za-z-]+)?$")


def terms(value: Any, *, categories: bool = False) -> list[str]:
    """Keywords or categories from a list, a list-string or a ``;``/``|``/``,``-separated cell."""
    if _blank(value):
        return []
    items = _items(value)
    if items is None:
        cell = text(value) or ""
        items = _split(cell, ";|,\n")
        if categories and len(items) == 1 and all(_ARXIV_CATEGORY.match(t) for t in cell.split()):
            items = cell.split()
    return _dedup([_SPACES.sub(" ", t) for t in (text(i) for i in items) if t])


# Scopus writes "Smith J., Doe A.B., Kalé L.": surname, then initials.
_SURNAME_INITIALS = re.compile(r"^(?P<surname>[^,]+?)\s+(?P<initials>(?:[^\W\d_]\.(?:\s|-)?)+)$")
_SCOPUS_ID = re.compile(r"\s*\(\d+\)$")  # "Phillips, James C. (57202138757)"
_SUFFIX = re.compile(r"^(?:jr|sr|ii|iii|iv)\.?$", re.IGNORECASE)
_NO_AUTHOR = {"[no author name available]", "anonymous", "n/a", "none"}


def people(value: Any) -> list[str]:
    """Author names as ``First Last`` from a list, a list-string or a separated cell."""
    if _blank(value):
        return []
    items = _items(value)
    if items is None:
        names = _split_names(text(value) or "")
    else:
        names = [n for n in (text(i) for i in items) if n]  # each item is one name, "Last, First" or not
    out = []
    for name in names:
        name = " ".join(name.split())
        if "," not in name and not name.endswith((")", ".")):  # "First Last" already: most names
            if name and name.lower() not in _NO_AUTHOR:
                out.append(name)
            continue
        if name.endswith(")"):
            name = _SCOPUS_ID.sub("", name)
        if not name or name.lower() in _NO_AUTHOR:
            continue
        match = _surname_initials(name) if name.endswith(".") else None
        out.append(f"{match['initials'].strip()} {match['surname']}" if match else first_last(name))
    return out


def _is_initials(part: str) -> bool:
    """``J.``, ``A.B.``, ``J.-P.``, ``JC``: up to four capitals, with or without dots."""
    letters = part.replace(".", "").replace("-", "").replace(" ", "")
    return 0 < len(letters) <= 4 and letters.isalpha() and letters.isupper()


def _surname_initials(name: str) -> re.Match | None:
    match = _SURNAME_INITIALS.match(name)
    return match if match and _is_initials(match["initials"]) else None


def _split_names(cell: str) -> list[str]:
    for sep in ";|\n":
        if sep in cell:
            return cell.split(sep)
    parts = [p.strip() for p in cell.split(",")]
    if len(parts) == 1:
        return parts
    if all(_surname_initials(p) for p in parts):  # Scopus: "Smith J., Doe A.B."
        return parts
    if len(parts) % 2 == 0 and all(_is_initials(p) for p in parts[1::2]):  # "Smith, J., Doe, A."
        return [f"{parts[i]}, {parts[i + 1]}" for i in range(0, len(parts), 2)]
    if len(parts) >= 3 and not any(_SUFFIX.match(p) for p in parts):  # "Ann Lee, Bo Chen, Cy Diaz"
        return parts
    return [cell]  # one "Last, First" name


_YEAR_TEXT = re.compile(r"^(\d{4})(?:\.0+|[-/.]\d{1,2}(?:\D.*)?|[T ].*)?$", re.DOTALL)
_ISO_DATE = re.compile(r"^(\d{4})(?:[-/.](\d{1,2})(?:[-/.]\d{1,2})?)?(?:[T ].*)?$", re.DOTALL)
_NAMED_DATE = re.compile(r"^(?:\d{1,2}\s+)?([A-Za-z]{3,9})\.?\s+(?:\d{1,2}(?:st|nd|rd|th)?,?\s+)?(\d{4})$")
_YEAR_NAMED = re.compile(r"^(\d{4})\s+([A-Za-z]{3,9})\.?(?:\s+\d{1,2})?$")
MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}


def _plausible_year(year: int, value: Any) -> int:
    if not 1000 <= year <= 2999:
        raise _Unreadable(f"year {excerpt(str(value), 40)} is not a year")
    return year


def year(value: Any) -> int:
    """A year from ``2019``, ``2019.0``, ``"2019"`` or the start of a date."""
    if isinstance(value, bool):
        raise _Unreadable(f"year {value!r} is not a year")
    if isinstance(value, dt.date):
        return value.year
    if isinstance(value, int):
        return _plausible_year(value, value)
    if isinstance(value, float) and value.is_integer():
        return _plausible_year(int(value), value)
    cell = text(value) or ""
    match = _YEAR_TEXT.match(cell)
    if not match:
        raise _Unreadable(f"year {excerpt(cell, 40)} is not a year")
    return _plausible_year(int(match[1]), cell)


def month(value: Any) -> int:
    """A month 1-12 from a number or an English month name."""
    cell = text(value) or ""
    number = MONTHS.get(cell.lower().rstrip("."))
    if number is None and re.fullmatch(r"\d{1,2}(?:\.0+)?", cell):
        number = int(float(cell))
    if number is None or not 1 <= number <= 12:
        raise _Unreadable(f"month {excerpt(cell, 40)} is not a month")
    return number


def date(value: Any) -> tuple[int, int | None]:
    """Year and month from an ISO-ish date (``2023-08-07``, ``2023-08``, ``2023``), ``Aug 2023``,
    ``7 August 2023``, ``August 7, 2023`` or ``2023 Aug``."""
    if isinstance(value, dt.date):
        return value.year, value.month
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return year(value), None
    cell = text(value) or ""
    iso = _ISO_DATE.match(cell)
    if iso:
        number = int(iso[2]) if iso[2] else None
        return _plausible_year(int(iso[1]), cell), number if number and 1 <= number <= 12 else None
    named = _NAMED_DATE.match(cell)
    if named and named[1].lower() in MONTHS:
        return _plausible_year(int(named[2]), cell), MONTHS[named[1].lower()]
    named = _YEAR_NAMED.match(cell)
    if named and named[2].lower() in MONTHS:
        return _plausible_year(int(named[1]), cell), MONTHS[named[2].lower()]
    raise _Unreadable(f"date {excerpt(cell, 40)} is not a date")


_ARXIV_URL = re.compile(r"arxiv\.org/(?:abs|pdf|html|format)/(?P<id>[^?#\s]+?)(?:\.pdf)?/?(?:[?#].*)?$", re.I)


def arxiv_from_url(url: str) -> tuple[str, int | None] | None:
    """The arXiv id and version named by an arxiv.org ``abs``/``pdf`` url."""
    match = _ARXIV_URL.search(url)
    return parse_arxiv_id(match["id"]) if match else None


_BIBTEX_YEAR = re.compile(r"\byear\s*=\s*[{\"]?\s*(\d{4})\b", re.IGNORECASE)
_BIBTEX_VENUE = re.compile(r"\b(?:booktitle|journal)\s*=\s*(?:\{((?:[^{}]|\{[^{}]*\})*)\}|\"([^\"]*)\")", re.IGNORECASE)


def bibtex_year_venue(entry: str) -> tuple[int | None, str | None]:
    """The ``year`` and the ``booktitle`` or ``journal`` of a BibTeX entry held in a cell."""
    year_match = _BIBTEX_YEAR.search(entry)
    venue_match = _BIBTEX_VENUE.search(entry)
    venue = None
    if venue_match:
        venue = _SPACES.sub(" ", (venue_match[1] or venue_match[2] or "").replace("{", "").replace("}", "")).strip()
    found_year = int(year_match[1]) if year_match and 1000 <= int(year_match[1]) <= 2999 else None
    return found_year, venue or None


# --------------------------------------------------------------------------- per-target converters


def _set_text(name: str, one_line: bool = False):
    def convert_text(record: dict, value: Any) -> None:
        out = _one_line(value) if one_line else text(value)
        if out:
            record[name] = out

    return convert_text


def _set_authors(record: dict, value: Any) -> None:
    names = people(value)
    if names:
        record["authors"] = names


def _set_terms(name: str):
    def convert_terms(record: dict, values: list) -> None:
        out = _dedup([t for v in values for t in terms(v, categories=name == "categories")])
        if out:
            record[name] = out

    return convert_terms


def _set_year(record: dict, value: Any) -> None:
    if not _blank(value):
        record["year"] = year(value)


def _set_month(record: dict, value: Any) -> None:
    if not _blank(value):
        record["month"] = month(value)


def _set_date(record: dict, value: Any) -> None:
    if not _blank(value):
        record["_date"] = date(value)


def _set_doi(record: dict, value: Any) -> None:
    cell = text(value)
    if cell:
        doi = normalize_doi(cell)
        if doi is None:
            raise _Unreadable(f"DOI {excerpt(cell, 40)} is not a DOI")
        record["doi"] = doi


def _set_arxiv(record: dict, value: Any) -> None:
    cell = text(value)
    if cell:
        parsed = parse_arxiv_id(cell) or arxiv_from_url(cell)
        if parsed is None:
            raise _Unreadable(f"arXiv id {excerpt(cell, 40)} is not an arXiv id")
        record["arxiv_id"] = parsed[0]
        if parsed[1] is not None:
            record.setdefault("arxiv_version", parsed[1])


def _set_arxiv_version(record: dict, value: Any) -> None:
    cell = (text(value) or "").lower().lstrip("v")
    if cell:
        if not re.fullmatch(r"\d{1,4}(?:\.0+)?", cell) or int(float(cell)) < 1:
            raise _Unreadable(f"arXiv version {excerpt(cell, 40)} is not a version number")
        record["arxiv_version"] = int(float(cell))  # the column wins over a version in the id


def _set_url(record: dict, value: Any) -> None:
    cell = text(value)
    if cell:
        record["url"] = cell
        parsed = arxiv_from_url(cell)
        if parsed:
            record["_url_arxiv"] = parsed


def _set_references(record: dict, value: Any) -> None:
    """A list cell, or the references joined with ``; `` (Scopus, Web of Science tab-delimited)."""
    if isinstance(value, (list, tuple)):
        refs = [text(v) for v in value]
    else:
        cell = text(value)
        refs = cell.split("; ") if cell else []
    refs = [r.strip() for r in refs if r and r.strip()]
    if refs:
        record["references"] = refs


def _set_citation_count(record: dict, value: Any) -> None:
    cell = (text(value) or "").strip()
    if cell:
        if not re.fullmatch(r"\d+(?:\.0+)?", cell):
            raise _Unreadable(f"citation count {excerpt(cell, 40)} is not a number")
        record["citation_count"] = int(float(cell))


_EXTERNAL = (
    (re.compile(r"^2-s2\.0-\d+$"), "scopus"),
    (re.compile(r"^WOS:\w+$", re.IGNORECASE), "wos"),
    (re.compile(r"^(?:https?://openalex\.org/)?(W\d{4,})$", re.IGNORECASE), "openalex"),
    (re.compile(r"^[0-9a-f]{40}$"), "s2"),
)


def _set_external(record: dict, value: Any) -> None:
    cell = (text(value) or "").strip()
    for pattern, kind in _EXTERNAL:
        found = pattern.match(cell)
        if found:
            ident = found.group(1).upper() if found.groups() else cell
            record.setdefault("external_ids", []).append(f"{kind}:{ident}")
            return


def _set_bibtex(record: dict, value: Any) -> None:
    cell = text(value)
    if cell:
        record["_bibtex"] = bibtex_year_venue(cell)


_CONVERTERS = {
    "title": _set_text("title", one_line=True),
    "abstract": _set_text("abstract"),
    "authors": _set_authors,
    "year": _set_year,
    "month": _set_month,
    "date": _set_date,
    "venue": _set_text("venue", one_line=True),
    "arxiv_id": _set_arxiv,
    "arxiv_version": _set_arxiv_version,
    "doi": _set_doi,
    "url": _set_url,
    "keywords": _set_terms("keywords"),
    "categories": _set_terms("categories"),
    "notes": _set_text("notes"),
    "references": _set_references,
    "citation_count": _set_citation_count,
    "external_ids": _set_external,
    "bibtex": _set_bibtex,
}
