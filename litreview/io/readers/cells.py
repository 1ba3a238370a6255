"""Table rows to records: how a cell becomes a schema value (the columns are placed by :mod:`.columns`).

Cells: text is stripped (titles and venues also have runs of whitespace collapsed: a line break in a title
is a wrap).  Lists come from real lists (JSON, Parquet), from list-strings (``"['cs.cl', 'cs.ai']"``,
read with ``json`` or ``ast.literal_eval``, never ``eval``), or by splitting on ``;``, else ``|``; keywords
and categories also on ``,``, and categories of arXiv-style codes on spaces.  Authors: ``Last, First``
becomes ``First Last``; Scopus's comma-separated ``Smith J., Doe A.B.`` is read as surname and initials
(``J. Smith``); ``Last, F., Last, F.`` pairs are read as such; a cell with two or more commas and no
``;`` is a comma-separated list of names; a cell with exactly one comma is one ``Last, First`` name.
Years are integers from 1000 to 2999 (``2019.0`` is 2019); months and dates are read by
:mod:`litreview.fields.dates`; a date column gives the year when no year column does, and the month only
when its year is the record's.  arXiv ids, links and DOIs go through :mod:`litreview.fields.arxiv` (an
arxiv.org link in the url column gives the id and version when no arXiv column does), DOIs through
:func:`~litreview.fields.doi.normalize_doi`.  A BibTeX entry in a cell is read by the BibTeX reader; its
year and venue are used when no other column gives them.

"""

from __future__ import annotations

import ast
import datetime as dt
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from litreview.fields.arxiv import arxiv_anywhere, arxiv_from_doi, arxiv_from_url
from litreview.fields.dates import find_month, month_number, parse_date, plausible_year
from litreview.fields.doi import normalize_doi
from litreview.fields.external import external_id
from litreview.fields.names import first_last, pubmed_name
from litreview.io.readers.base import excerpt
from litreview.io.readers.bibtex import entry_year_venue
from litreview.io.readers.columns import IDENTITY, MERGED, ColumnMap, Key
from litreview.io.references import split_references

_SPACES = re.compile(r"\s+")


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
    """Combine the helper entries (``_date``, ``_bibtex``, ``_linked_arxiv``) into schema fields."""
    date = record.pop("_date", None)
    bib_year, bib_venue = record.pop("_bibtex", (None, None))
    url_arxiv = record.pop("_linked_arxiv", None)
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
        cell = text(value) or ""
        names = _vancouver(cell) or _split_names(cell)
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


def _vancouver(cell: str) -> list[str] | None:
    """The names of a PubMed author list (``Smith J, Doe AB, Lee C.``: surnames with undotted initials, the list
    ending with a period) as ``J. Smith``, ``A.B. Doe`` (as Scopus's ``Doe A.B.`` reads), suffixes last and
    the group authors PubMed writes after a semicolon after them; ``None`` for another cell.

    >>> _vancouver("Smith J, Doe AB, van der Berg C."), _vancouver("Wei WU, Li MA"), _vancouver("Brown K.")
    (['J. Smith', 'A.B. Doe', 'C. van der Berg'], None, ['K. Brown'])
    >>> _vancouver("Türeci Ö, Frenck RW Jr; C4591001 Clinical Trial Group."), _vancouver("Smith J; Doe A.")
    (['Ö. Türeci', 'R.W. Frenck Jr', 'C4591001 Clinical Trial Group'], None)
    """
    if not cell.endswith("."):
        return None
    people, _, groups = cell[:-1].partition(";")
    names = [pubmed_name(part) for part in people.split(",")]
    collective = [group.strip() for group in groups.split(";")] if groups else []
    if not all(names) or not all(collective) or any(pubmed_name(group) for group in collective):
        return None  # (a group that reads as a person: names separated by semicolons, not PubMed's list)
    return names + collective


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


def _plausible_year(year: int, value: Any) -> int:
    if plausible_year(year) is None:
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
    number = month_number(cell)
    if number is None:
        raise _Unreadable(f"month {excerpt(cell, 40)} is not a month")
    return number


def date(value: Any) -> tuple[int, int | None]:
    """Year and month of a date (:func:`litreview.fields.dates.parse_date`): ``2023-08-07``, ``Aug 2023``, ..."""
    if isinstance(value, dt.date):
        return value.year, value.month
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return year(value), None
    cell = text(value) or ""
    found_year, found_month = parse_date(cell)
    if found_year is None:
        raise _Unreadable(f"date {excerpt(cell, 40)} is not a date")
    return found_year, found_month


def bibtex_year_venue(entry: str) -> tuple[int | None, str | None]:
    """The year and venue of a BibTeX entry held in a cell, as the BibTeX reader reads them."""
    return entry_year_venue(entry)


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
        parsed = arxiv_from_doi(doi)
        if parsed:
            record.setdefault("_linked_arxiv", parsed)


def _set_arxiv(record: dict, value: Any) -> None:
    cell = text(value)
    if cell:
        parsed = arxiv_anywhere(cell)
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
            record["_linked_arxiv"] = parsed  # a link names the version; a DOI does not


def _set_references(record: dict, value: Any) -> None:
    """A list (or a JSON list, as the kit's CSV writes references holding commas), else the references
    joined with ``; `` (Scopus, Web of Science tab-delimited)."""
    items = _items(value)
    refs = [text(v) for v in items] if items is not None else split_references(text(value) or "")
    refs = [r.strip() for r in refs if r and r.strip()]
    if refs:
        record["references"] = refs


def _set_citation_count(record: dict, value: Any) -> None:
    cell = (text(value) or "").strip()
    if cell:
        if not re.fullmatch(r"\d+(?:\.0+)?", cell):
            raise _Unreadable(f"citation count {excerpt(cell, 40)} is not a number")
        record["citation_count"] = int(float(cell))


def _set_external(record: dict, value: Any) -> None:
    """Database ids: prefixed (``openalex:W1``, as the kit writes them) or recognised by their shape."""
    items = _items(value)
    cells = items if items is not None else (text(value) or "").split(";")
    for cell in (text(c) or "" for c in cells):
        ident = external_id(cell)
        if ident:
            record.setdefault("external_ids", []).append(ident)


def _set_database_id(pattern: re.Pattern, name: str, written: str, article: str = "a"):
    """The converter of a column of one database's ids, which ``pattern`` reads (the number is its group 1: a bare
    number, the prefixed form or a link), each added to the external ids as ``written`` formats the number."""

    def convert(record: dict, value: Any) -> None:
        cell = (text(value) or "").strip()
        found = pattern.fullmatch(cell)
        if not found:
            raise _Unreadable(f"{name} {excerpt(cell, 40)} is not {article} {name}")
        record.setdefault("external_ids", []).append(written.format(int(found.group(1))))

    return convert


_PMID = re.compile(r"(?:pmid:\s*|https?://(?:www\.)?(?:pubmed\.ncbi\.nlm\.nih\.gov|ncbi\.nlm\.nih\.gov/pubmed)/)?"
                   r"(\d{1,9})/?", re.IGNORECASE)


_PMCID = re.compile(r"(?:pmcid:\s*|https?://(?:www\.ncbi\.nlm\.nih\.gov/pmc|pmc\.ncbi\.nlm\.nih\.gov)/articles/)?"
                    r"(?:PMC)?(\d{1,9})/?", re.IGNORECASE)
_NIHMS = re.compile(r"(?:nihms:\s*)?(?:NIHMS)?(\d{1,9})", re.IGNORECASE)


def _set_citation(record: dict, value: Any) -> None:
    """A citation as PubMed's CSV writes it (``J Atten Disord. 2023 Jan;27(2):101-110.``): its year and month, as
    a date column's (a date column wins); a citation without them gives nothing (the cell stays in the source)."""
    found = _CITED_DATE.search(text(value) or "")
    if found and "_date" not in record:
        record["_date"] = (int(found[1]), find_month(found[2] or ""))


_CITED_DATE = re.compile(r"\.\s+(\d{4})(?:\s+([A-Z][a-z]{2}[a-z]*(?:-[A-Z][a-z]{2})?))?(?=[\s;.:]|$)")


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
    "pmid": _set_database_id(_PMID, "PubMed id", "pmid:{}"),  # (the number, pmid:123 or a PubMed link)
    "pmcid": _set_database_id(_PMCID, "PubMed Central id", "pmcid:PMC{}"),  # (PMC123, the number, a PMC link)
    "nihms": _set_database_id(_NIHMS, "NIH manuscript id", "nihms:NIHMS{}", "an"),  # (NIHMS123 or the number)
    "citation": _set_citation,
    "bibtex": _set_bibtex,
}
