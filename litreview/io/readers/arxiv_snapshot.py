"""The arXiv metadata snapshot (Kaggle's ``arxiv-metadata-oai-snapshot.json``).

JSON Lines despite the name: one object per line with ``id``, ``submitter``,
``authors``, ``title``, ``comments``, ``journal-ref``, ``doi``, ``categories``,
``abstract``, ``versions``, ``update_date`` and ``authors_parsed``.  Read:

- ``id`` -> ``arxiv_id``, kept a string (``0704.0001``); ``url`` is
  ``https://arxiv.org/abs/<id>``; ``arxiv_version`` is the last version listed
  (as the API's ``id`` names the latest version)
- ``authors_parsed`` (``[last, first, suffix, affiliation...]``) -> ``First Last Suffix``;
  without it, the ``authors`` string split on commas and `` and `` (LaTeX accents kept)
- ``year``, ``month``: the ``created`` date of version ``v1`` (``Mon, 2 Apr 2007 ...``);
  without one, the year and month encoded in the id (``0704`` -> 2007-04); without
  that either, ``update_date`` (the date of the latest metadata change)
- ``categories`` split on spaces; ``venue`` from ``journal-ref``, else ``arXiv``;
  ``doi`` normalised (the first, when several are given)
- ``title``, ``abstract``: whitespace of wrapped lines collapsed

``submitter``, ``comments``, ``report-no`` and ``license`` are not read.  A
line that is not a JSON object costs that line only (an error with its number);
blank lines are skipped.  An ``id`` that is not a string (a number, as left by
tools that read ids as floats: ``704.0001``) cannot be trusted: the record is kept
without ``arxiv_id``, flagged ``bad-arxiv-id``.

:func:`read_lines` reads any iterable of lines (a file being streamed), and
:func:`line_id` reads the id of a raw line without parsing it, for the
prefilter of :mod:`litreview.io.enrichment`.

Speed: stdlib ``json.loads`` per line, about 50,000 records/s (100,000 lines of
the fixture in 2 s of CPU); ``json.loads`` itself is over half of that.  orjson made
the whole read only 1.3x faster, so it is not used.  The cyclic garbage collector
is paused while lines are read (records hold no cycles).  A first line longer than
the 64 KiB sniff window is not recognised (arXiv abstracts stay under 2,000 characters).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from litreview.collector import collector_paused
from litreview.fields.arxiv import arxiv_url, arxiv_year_month, parse_arxiv_id
from litreview.fields.dates import MONTH_NUMBERS, parse_date
from litreview.fields.doi import normalize_doi
from litreview.io.readers.base import ReadResult, excerpt

FORMAT = "arxiv-snapshot"

_ID_PREFIX = '{"id":"'


def sniff(text: str) -> bool:
    if not isinstance(text, str):
        return False
    for line in text.split("\n", 50):
        if line.strip():
            try:
                first = json.loads(line)
            except (ValueError, RecursionError):
                return False
            return (
                isinstance(first, dict)
                and "id" in first
                and "abstract" in first
                and ("authors_parsed" in first or "versions" in first)
            )
    return False


def read(text: str, file: str) -> ReadResult:
    result = ReadResult()
    read_lines(_lines(text), file, result)
    if not result.records and not result.problems:
        result.error(file, None, "no JSON lines found")
    return result


def _lines(text: str) -> Iterator[str]:
    """The lines of ``text``, one at a time (a list of a million lines would double the memory)."""
    start, find = 0, text.find
    while start < len(text):
        end = find("\n", start)
        if end < 0:
            end = len(text)
        yield text[start:end]
        start = end + 1


def read_lines(lines: Iterable[str | bytes], file: str, result: ReadResult, first_line: int = 1) -> ReadResult:
    """Read snapshot lines into ``result`` (one pass; a bad line costs only itself)."""
    # (records hold no reference cycles: with a million new objects the collector would run again and
    # again for nothing, a quarter of the time)
    with collector_paused():
        _read_lines(lines, file, result, first_line)
    return result


def _read_lines(lines: Iterable[str | bytes], file: str, result: ReadResult, first_line: int) -> None:
    loads = json.loads
    records = result.records
    for lineno, line in enumerate(lines, start=first_line):
        if not line.strip():
            continue
        try:
            data = loads(line)
        except (ValueError, RecursionError) as err:
            result.error(file, lineno, _json_problem(err, line))
            continue
        if not isinstance(data, dict):
            result.error(file, lineno, f"line is a JSON {type(data).__name__}, not an object")
            continue
        record = record_from(data, file, lineno, result)
        if record is not None:
            records.append(record)


def _json_problem(err: Exception, line: str | bytes) -> str:
    if isinstance(err, json.JSONDecodeError):
        return f"line is not valid JSON: {err.msg} at column {err.colno}"
    if isinstance(err, UnicodeDecodeError):
        return "line is not valid UTF-8"
    if isinstance(err, RecursionError):
        return "line is JSON nested too deeply"
    return f"line is not valid JSON: {excerpt(str(line))}"


def line_id(line: str | bytes) -> str | bytes | None:
    """The ``id`` of a snapshot line written as ``{"id":"...",`` (the snapshot's own
    layout), read without parsing; ``None`` for any other layout or an escaped id."""
    if isinstance(line, bytes):
        if not line.startswith(b'{"id":"'):
            return None
        end = line.find(b'"', 7)
        ident = line[7:end] if end > 7 else None
        return None if ident is None or b"\\" in ident else ident
    if not line.startswith(_ID_PREFIX):
        return None
    end = line.find('"', 7)
    ident = line[7:end] if end > 7 else None
    return None if ident is None or "\\" in ident else ident


def collapse(value: Any) -> str | None:
    return (" ".join(value.split()) or None) if isinstance(value, str) else None


def record_from(data: dict, file: str, lineno: int, result: ReadResult) -> dict | None:
    """One snapshot object as a record; problems go to ``result``."""
    raw_id = data.get("id")
    parsed = parse_arxiv_id(raw_id) if type(raw_id) is str else None
    title = collapse(data.get("title"))
    abstract = collapse(data.get("abstract"))
    if not (parsed or title or abstract):
        result.error(file, lineno, "record has no title, abstract or arXiv id")
        return None
    record: dict = {"source": f"{file}:{lineno}"}
    flags: list[str] = []
    arxiv_id = None
    if parsed:
        arxiv_id = record["arxiv_id"] = parsed[0]
        record["url"] = arxiv_url(arxiv_id)
    else:
        flags.append("bad-arxiv-id")
        result.warn(file, lineno, f"id {raw_id!r} is not an arXiv id string; left out")
    if title:
        record["title"] = title
    if abstract:
        record["abstract"] = abstract
    versions = data.get("versions")
    if type(versions) is list and versions:
        version = _version_number(versions[-1])
        if version is not None:
            record["arxiv_version"] = version
    else:
        versions = []
    record["authors"] = _authors(data)
    when = _first_version_date(versions) or (arxiv_year_month(arxiv_id) if arxiv_id else None)
    if when is None:
        when = _iso_year_month(data.get("update_date"))
    if when:
        record["year"], record["month"] = when
    categories = data.get("categories")
    record["categories"] = list(dict.fromkeys(categories.split())) if type(categories) is str else []
    record["venue"] = collapse(data.get("journal-ref")) or "arXiv"
    doi = data.get("doi")
    if doi and type(doi) is str:
        doi = normalize_doi(doi)
        if doi:
            record["doi"] = doi
    if not (title and abstract):
        where = f"record {arxiv_id}" if arxiv_id else "record"
        for field, value in (("title", title), ("abstract", abstract)):
            if not value:
                flags.append(f"no-{field}")
                result.warn(file, lineno, f"{where} has no {field}")
    record["quality_flags"] = flags
    return record


def _digits(text: str) -> bool:
    """ASCII digits only (``str.isdigit`` accepts ``²``, which ``int`` refuses)."""
    return text.isascii() and text.isdigit()


def _version_number(entry: Any) -> int | None:
    version = entry.get("version") if isinstance(entry, dict) else None
    if isinstance(version, str) and version[:1] == "v" and _digits(version[1:]):
        return int(version[1:])
    return None


def _first_version_date(versions: list) -> tuple[int, int] | None:
    """Year and month of ``v1``'s ``created`` (``Mon, 2 Apr 2007 19:18:42 GMT``)."""
    first = versions[0] if versions and type(versions[0]) is dict and versions[0].get("version") == "v1" else None
    if first is None:  # not listed first: look for it
        first = next((v for v in versions if isinstance(v, dict) and v.get("version") == "v1"), None)
    created = first.get("created") if first else None
    if not isinstance(created, str):
        return None
    parts = created.split()
    if len(parts) < 4 or not _digits(parts[3]):
        return None
    month = MONTH_NUMBERS.get(parts[2].lower())
    return (int(parts[3]), month) if month else None


def _iso_year_month(date: Any) -> tuple[int, int] | None:
    year, month = parse_date(date) if isinstance(date, str) else (None, None)
    return (year, month) if year and month else None


def _authors(data: dict) -> list[str]:
    parsed = data.get("authors_parsed")
    if isinstance(parsed, list) and parsed:
        names = []
        for parts in parsed:
            if not isinstance(parts, list) or not parts:
                continue
            # The hot path: three clean strings; anything else goes the slow, careful way.
            if len(parts) >= 3 and type(parts[0]) is str and type(parts[1]) is str and type(parts[2]) is str:
                last, first, suffix = parts[0], parts[1], parts[2]
                name = f"{first} {last} {suffix}" if suffix else f"{first} {last}" if first else last
            else:  # malformed: keep the strings that are there, in their places
                last, first, suffix = (p if isinstance(p, str) else "" for p in [*parts[:3], "", ""][:3])
                name = f"{first} {last} {suffix}"
            if "  " in name or "\n" in name or "\t" in name or name[:1] == " " or name[-1:] == " ":
                name = " ".join(name.split())
            if name:
                names.append(name)
        return names
    raw = data.get("authors")
    if not isinstance(raw, str):
        return []
    names = []
    for chunk in " ".join(raw.split()).split(","):
        names.extend(part.strip() for part in chunk.split(" and "))
    return [name for name in names if name]
