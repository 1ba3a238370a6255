"""OpenAlex works, as the API and the snapshot give them.

Read: a ``/works`` response (``{"meta": ..., "results": [...]}``), a single work, a JSON array of works,
or JSON Lines of works (the OpenAlex snapshot; a line may also hold a whole ``/works`` page).

Per work:

- ``title`` (or ``display_name``); the abstract is rebuilt from ``abstract_inverted_index`` (each word
  placed at its positions, joined with spaces); a null index means no abstract (flag ``no-abstract``); a
  plain ``abstract`` string (added by some client libraries) is used when there is no index
- authors: ``authorships[].author.display_name``, else ``raw_author_name``; ``is_authors_truncated``
  (OpenAlex lists at most 100 authors) flags ``authors-incomplete``
- ``publication_year``; the month from ``publication_date``
- venue: ``primary_location.source.display_name`` (``host_venue.display_name`` in the older layout);
  ``arXiv (Cornell University)`` is stored as ``arXiv``, the name the rest of the kit uses
- ``doi`` (a URL, normalised); the arXiv id from a location whose landing page or PDF is on arxiv.org,
  or from an arXiv DOI (``10.48550/arXiv.*``)
- keywords: ``keywords[].display_name`` (or ``concepts[].display_name`` for works without keywords) with a
  score of at least 0.3: lower scores are mostly generic or wrong (``Mathematics`` at 0.04 on a genome
  editing review)
- categories: ``topics[].display_name`` (OpenAlex's subject classification, at most three per work,
  best first), else ``primary_topic``
- url: ``primary_location.landing_page_url``, else the work's OpenAlex ``id``

The work's ``referenced_works`` become ``references`` (``openalex:W...``), ``cited_by_count`` the
``citation_count`` and its id an ``external_ids`` entry (``openalex:W...``).

Known limits: related works, institutions and open access status have no place in the schema and are not
read.  In a one-line file (the API's usual output)
every work is on line 1, so messages name the work's position (``work 2``).

"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import chain
from typing import Any

from litreview.fields.arxiv import find_arxiv
from litreview.fields.names import first_last
from litreview.io.readers.base import ReadResult
from litreview.io.readers.json_walk import (
    date_year_month,
    doi_value,
    finish_record,
    int_value,
    json_kind,
    json_values,
    list_value,
    nested,
    text_value,
)

FORMAT = "openalex"

KEYWORD_MIN_SCORE = 0.3

_WORK_ID = re.compile(r'"id"\s*:\s*"https://openalex\.org/W\d+"')
_INVERTED_INDEX = re.compile(r'"abstract_inverted_index"\s*:')
_ARXIV_VENUE = re.compile(r"^arxiv\b", re.IGNORECASE)


def sniff(text: str) -> bool:
    if not isinstance(text, str):
        return False
    head = text.lstrip("\ufeff \t\r\n")
    if not head.startswith(("{", "[")):
        return False
    return bool(_WORK_ID.search(head) or _INVERTED_INDEX.search(head))


def read(text: str, file: str) -> ReadResult:
    result = ReadResult()
    values = json_values(text, file, result, list_keys=("results",), record_keys=("id", "title", "display_name"))
    for number, (line, work) in enumerate(values, start=1):
        if not isinstance(work, dict):
            result.error(file, line, f"work {number} is {json_kind(work)}, not a JSON object")
            continue
        record = _work_record(work, file, line, number, result)
        if record is not None:
            result.records.append(record)
    return result


def _work_record(work: dict, file: str, line: int, number: int, result: ReadResult) -> dict | None:
    where = f"work {number}"
    flags: list[str] = []
    record: dict[str, Any] = {}
    record["title"] = text_value(work.get("title")) or text_value(work.get("display_name"))
    record["abstract"] = _abstract(work, file, line, where, result, flags)
    record["authors"] = _authors(work, file, line, where, result, flags)
    year, month = date_year_month(work.get("publication_date"))
    record["year"] = int_value(work.get("publication_year")) or year
    record["month"] = month
    record["venue"] = _venue(work)
    record["doi"] = doi_value(work.get("doi")) or doi_value(nested(work, "ids", "doi"))
    arxiv = _arxiv(work, record["doi"])
    if arxiv:
        record["arxiv_id"], record["arxiv_version"] = arxiv
    record["url"] = text_value(nested(work, "primary_location", "landing_page_url")) or text_value(work.get("id"))
    record["keywords"] = _keywords(work)
    record["categories"] = _categories(work)
    record["references"] = [f"openalex:{w.rsplit('/', 1)[-1]}" for w in work.get("referenced_works") or ()
                            if isinstance(w, str) and w.strip()]
    record["citation_count"] = int_value(work.get("cited_by_count"), low=0, high=10**9)
    ident = text_value(work.get("id"))
    record["external_ids"] = [f"openalex:{ident.rsplit('/', 1)[-1]}"] if ident else []
    return finish_record(record, flags, file, line, where, result)


# --------------------------------------------------------------------------- fields


def _abstract(work: dict, file: str, line: int, where: str, result: ReadResult, flags: list[str]) -> str | None:
    index = work.get("abstract_inverted_index")
    if isinstance(index, dict):
        text, complete = rebuild_abstract(index)
        if not complete:
            flags.append("abstract-incomplete")
            result.warn(file, line, f"{where}: abstract_inverted_index has entries that are not word positions")
        return text or None
    return text_value(work.get("abstract"))


def rebuild_abstract(index: dict) -> tuple[str, bool]:
    """The abstract from an inverted index (word -> positions), and whether every entry was readable.

    Linear in the abstract's length: each word is put in its slot of a list as long as the number of
    positions.  Only an index that does not fill that list exactly (repeated or missing positions,
    positions that are not non-negative integers) is sorted instead, so a huge position costs n log n
    time, never memory proportional to its value.
    """
    values = index.values()
    try:
        slots: list[str | None] = [None] * sum(map(len, values))
        for word, positions in index.items():
            for pos in positions:
                slots[pos] = word
    except (IndexError, TypeError):
        return _rebuild_sorted(index)
    # A negative or boolean position also indexes a list: check the types and the minimum once, in C.
    if (
        None in slots
        or set(map(type, chain.from_iterable(values))) - {int}
        or min(chain.from_iterable(values), default=0) < 0
    ):
        return _rebuild_sorted(index)
    return " ".join(slots), True  # type: ignore[arg-type]  # no slot is None


def _rebuild_sorted(index: dict) -> tuple[str, bool]:
    """:func:`rebuild_abstract` for irregular indexes: the readable (position, word) pairs in order."""
    placed: list[tuple[int, str]] = []
    complete = True
    for word, positions in index.items():
        if not isinstance(positions, list):
            complete = False
            continue
        for pos in positions:
            if isinstance(pos, int) and not isinstance(pos, bool) and pos >= 0:
                placed.append((pos, word))
            else:
                complete = False
    placed.sort(key=lambda pair: pair[0])
    return " ".join(word for _, word in placed), complete


def _authors(work: dict, file: str, line: int, where: str, result: ReadResult, flags: list[str]) -> list[str]:
    authors: list[str] = []
    unnamed = 0
    for authorship in list_value(work.get("authorships")):
        name = None
        if isinstance(authorship, dict):
            name = text_value(nested(authorship, "author", "display_name"))
            if name is None:
                raw = text_value(authorship.get("raw_author_name"))
                name = first_last(raw) if raw else None
        if name:
            authors.append(name)
        else:
            unnamed += 1
    if unnamed:
        result.warn(file, line, f"{where}: {unnamed} authorship(s) without an author name")
    if work.get("is_authors_truncated") is True:
        result.warn(file, line, f"{where}: OpenAlex lists only the first {len(authors)} authors")
    if unnamed or work.get("is_authors_truncated") is True:
        flags.append("authors-incomplete")
    return authors


def _venue(work: dict) -> str | None:
    name = text_value(nested(work, "primary_location", "source", "display_name")) or text_value(
        nested(work, "host_venue", "display_name")
    )
    if name and _ARXIV_VENUE.match(name):
        return "arXiv"
    return name


def _locations(work: dict) -> Iterable[dict]:
    for key in ("primary_location", "best_oa_location"):
        if isinstance(work.get(key), dict):
            yield work[key]
    for location in list_value(work.get("locations")):
        if isinstance(location, dict):
            yield location


def _arxiv(work: dict, doi: str | None) -> tuple[str, int | None] | None:
    for location in _locations(work):
        for key in ("landing_page_url", "pdf_url"):
            found = find_arxiv(location.get(key))
            if found:
                return found
    return find_arxiv(doi)


def _scored_names(items: Any) -> list[str]:
    names: list[str] = []
    for item in list_value(items):
        if not isinstance(item, dict):
            continue
        name = text_value(item.get("display_name")) or text_value(item.get("keyword"))
        score = item.get("score")
        scored = isinstance(score, (int, float)) and not isinstance(score, bool)
        if name and (not scored or score >= KEYWORD_MIN_SCORE) and name not in names:
            names.append(name)
    return names


def _keywords(work: dict) -> list[str]:
    if list_value(work.get("keywords")):
        return _scored_names(work["keywords"])
    return _scored_names(work.get("concepts"))


def _categories(work: dict) -> list[str]:
    names = [text_value(t.get("display_name")) for t in list_value(work.get("topics")) if isinstance(t, dict)]
    names = [n for n in dict.fromkeys(names) if n]
    if not names:
        primary = text_value(nested(work, "primary_topic", "display_name"))
        names = [primary] if primary else []
    return names
