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

Known limits: the OpenAlex id, citation counts, referenced and related works, institutions and open
access status have no place in the schema and are not read.  In a one-line file (the API's usual output)
every work is on line 1, so messages name the work's position (``work 2``).

The JSON walking here (documents or JSON Lines, wrapped lists, the line where each object starts) is
shared with the Semantic Scholar and CSL-JSON readers.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from itertools import chain
from typing import Any

from ..ids import normalize_doi, parse_arxiv_id
from ..names import first_last
from .base import ReadResult

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
            found = arxiv_in_text(location.get(key))
            if found:
                return found
    return arxiv_in_text(doi)


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


# --------------------------------------------------------------------------- shared by the JSON readers


def nested(obj: Any, *keys: str) -> Any:
    """``obj[k1][k2]...``, or ``None`` where a level is missing or not an object."""
    for key in keys:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(key)
    return obj


def text_value(value: Any) -> str | None:
    """A non-empty, stripped string, or ``None`` for anything else."""
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return None


def int_value(value: Any, low: int = 1, high: int = 9999) -> int | None:
    """An integer (or string of digits) within ``low..high``, else ``None``."""
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) <= 6:
        value = int(value.strip())
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high:
        return value
    return None


def list_value(value: Any) -> list:
    return value if isinstance(value, list) else []


def doi_value(value: Any) -> str | None:
    text = text_value(value)
    return normalize_doi(text) if text else None


_ISO_DATE = re.compile(r"^\s*(\d{4})(?:-(\d{1,2}))?")


def date_year_month(value: Any) -> tuple[int | None, int | None]:
    """Year and month of an ISO date string (``2021-05-19``, ``2021-05``, ``2021``)."""
    match = _ISO_DATE.match(value) if isinstance(value, str) else None
    if not match:
        return None, None
    return int_value(match[1]), int_value(match[2], 1, 12) if match[2] else None


_ARXIV_ID = r"(\d{4}\.\d{4,5}|[a-z][a-z\-]+(?:\.[A-Z]{2})?/\d{7})(v\d+)?"
_ARXIV_IN_TEXT = re.compile(
    rf"(?:arxiv\.org/(?:abs|pdf)/|10\.48550/arxiv\.|\barxiv:\s*){_ARXIV_ID}(?!\d)", re.IGNORECASE
)


def arxiv_in_text(value: Any) -> tuple[str, int | None] | None:
    """An arXiv id named in a URL (arxiv.org/abs|pdf), an arXiv DOI or an ``arXiv:`` label."""
    if not isinstance(value, str) or "arxiv" not in value.lower():  # the cheap test first
        return None
    match = _ARXIV_IN_TEXT.search(value)
    return parse_arxiv_id(match[1] + (match[2] or "")) if match else None


def finish_record(record: dict, flags: list[str], file: str, line: int, where: str, result: ReadResult) -> dict | None:
    """Drop empty fields, add the usual flags and the source; ``None`` (and an error) if not a paper."""
    if not (record.get("title") or record.get("abstract") or record.get("doi") or record.get("arxiv_id")):
        result.error(file, line, f"{where} has no title, abstract, DOI or arXiv id")
        return None
    if not record.get("title"):
        flags.append("no-title")
    if not record.get("abstract"):
        flags.append("no-abstract")
    out = {key: value for key, value in record.items() if value not in (None, [], "")}
    out["quality_flags"] = list(dict.fromkeys(flags))
    out["source"] = f"{file}:{line}"
    return out


def json_kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


_DECODER = json.JSONDecoder()
_SPACE = re.compile(r"[ \t\n\r]*")


def json_values(
    text: str, file: str, result: ReadResult, *, list_keys: tuple[str, ...] = (), record_keys: tuple[str, ...] = ()
) -> list[tuple[int, Any]]:
    """The records of a JSON document or of JSON Lines, each with the line where it starts.

    A top-level array gives its elements; an object that has one of ``list_keys`` holding an array and
    none of ``record_keys`` (an API page such as ``{"meta": ..., "results": [...]}``) gives that array's
    elements; any other value is one record.  Malformed JSON is one error with its line and column (the
    records completed before it are kept); in JSON Lines a bad line costs only that line.
    """
    if _is_json_lines(text):
        return _json_lines_values(text, file, result, list_keys, record_keys)
    start = _SPACE.match(text).end()
    if start == len(text):
        result.error(file, None, "the file holds no JSON")
        return []
    lines = _LineCounter(text)
    found: list[tuple[int, Any]] = []
    try:
        end = _walk_top(text, start, lines, found, list_keys, record_keys)
        end = _SPACE.match(text, end).end()
        if end != len(text):
            raise json.JSONDecodeError("Extra data", text, end)
    except json.JSONDecodeError as exc:
        kept = f"; the {len(found)} records before it were read" if found else ""
        result.error(file, exc.lineno, f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno}){kept}")
    except RecursionError:
        result.error(file, None, "JSON nested too deeply to read")
    return found


def _is_json_lines(text: str) -> bool:
    """Several lines, the first two non-blank ones each opening an object (a document's second line doesn't)."""
    firsts: list[str] = []
    pos = 0
    while len(firsts) < 2 and pos < len(text):
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end
        line = text[pos:end].strip(" \t\r\ufeff")
        if line:
            firsts.append(line)
        pos = end + 1
    return len(firsts) == 2 and all(line.startswith("{") for line in firsts)


def _json_lines_values(
    text: str, file: str, result: ReadResult, list_keys: tuple[str, ...], record_keys: tuple[str, ...]
) -> list[tuple[int, Any]]:
    found: list[tuple[int, Any]] = []
    for lineno, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            result.error(file, lineno, f"line is not valid JSON: {exc.msg} (column {exc.colno})")
            continue
        except RecursionError:
            result.error(file, lineno, "line holds JSON nested too deeply to read")
            continue
        if isinstance(value, list):
            found.extend((lineno, item) for item in value)
        elif _is_wrapper(value, list_keys, record_keys):
            found.extend((lineno, item) for item in _wrapped_list(value, list_keys))
        else:
            found.append((lineno, value))
    return found


def _is_wrapper(value: Any, list_keys: tuple[str, ...], record_keys: tuple[str, ...]) -> bool:
    return (
        isinstance(value, dict)
        and not any(key in value for key in record_keys)
        and any(isinstance(value.get(key), list) for key in list_keys)
    )


def _wrapped_list(value: dict, list_keys: tuple[str, ...]) -> list:
    return next(value[key] for key in list_keys if isinstance(value.get(key), list))


class _LineCounter:
    """Line numbers of increasing offsets, counting each newline once."""

    def __init__(self, text: str) -> None:
        self.text, self.pos, self.line = text, 0, 1

    def at(self, pos: int) -> int:
        self.line += self.text.count("\n", self.pos, pos)
        self.pos = pos
        return self.line


def _walk_top(
    text: str, idx: int, lines: _LineCounter, found: list, list_keys: tuple[str, ...], record_keys: tuple[str, ...]
) -> int:
    """Parse the top-level value at ``idx`` into ``found``; return where it ends."""
    if text.startswith("[", idx):
        return _walk_array(text, idx, lines, found)
    if not text.startswith("{", idx):
        value, end = _DECODER.raw_decode(text, idx)
        found.append((lines.at(idx), value))
        return end
    line = lines.at(idx)
    obj: dict = {}
    lists: dict[str, list] = {}
    try:
        end = _walk_object(text, idx, lines, obj, lists, list_keys)
    except json.JSONDecodeError:
        # A page cut short: keep the records completed before the damage.
        if _is_wrapper(obj, list_keys, record_keys):
            found.extend(_wrapped_list(lists, list_keys))
        raise
    if _is_wrapper(obj, list_keys, record_keys):
        found.extend(_wrapped_list(lists, list_keys))
    else:
        found.append((line, obj))
    return end


def _walk_array(text: str, idx: int, lines: _LineCounter, out: list) -> int:
    """Elements of the array at ``idx`` into ``out`` as (line, value); return where the array ends."""
    idx = _SPACE.match(text, idx + 1).end()
    if text.startswith("]", idx):
        return idx + 1
    while True:
        value, end = _DECODER.raw_decode(text, idx)
        out.append((lines.at(idx), value))
        idx = _SPACE.match(text, end).end()
        if text.startswith(",", idx):
            idx = _SPACE.match(text, idx + 1).end()
        elif text.startswith("]", idx):
            return idx + 1
        else:
            raise json.JSONDecodeError("Expecting ',' delimiter", text, idx)


def _walk_object(
    text: str, idx: int, lines: _LineCounter, obj: dict, lists: dict[str, list], list_keys: tuple[str, ...]
) -> int:
    """Members of the object at ``idx`` into ``obj``; arrays under ``list_keys`` are walked into ``lists``
    so their elements keep their lines.  Returns where the object ends."""
    idx = _SPACE.match(text, idx + 1).end()
    if text.startswith("}", idx):
        return idx + 1
    while True:
        if not text.startswith('"', idx):
            raise json.JSONDecodeError("Expecting property name enclosed in double quotes", text, idx)
        key, idx = _DECODER.raw_decode(text, idx)
        idx = _SPACE.match(text, idx).end()
        if not text.startswith(":", idx):
            raise json.JSONDecodeError("Expecting ':' delimiter", text, idx)
        idx = _SPACE.match(text, idx + 1).end()
        if key in list_keys and text.startswith("[", idx):
            items: list[tuple[int, Any]] = []
            lists[key] = items
            obj[key] = []  # marks the key as an array while it is walked
            idx = _walk_array(text, idx, lines, items)
            obj[key] = [value for _, value in items]
        else:
            obj[key], idx = _DECODER.raw_decode(text, idx)
        idx = _SPACE.match(text, idx).end()
        if text.startswith(",", idx):
            idx = _SPACE.match(text, idx + 1).end()
        elif text.startswith("}", idx):
            return idx + 1
        else:
            raise json.JSONDecodeError("Expecting ',' delimiter", text, idx)
