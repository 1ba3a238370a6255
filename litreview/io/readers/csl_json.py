"""CSL-JSON, as Zotero, pandoc and Manubot export it (and as :mod:`litreview.io.writers.csl_json` writes it).

Read: a JSON array of CSL items (a single item object is read too).  Per item:

- ``title``, ``abstract``
- authors from ``author``: ``literal`` as given, else ``given``, ``dropping-particle``,
  ``non-dropping-particle``, ``family`` and ``suffix`` joined with spaces (``Laurens van der Maaten``)
- year and month from ``issued``: ``date-parts`` (numbers or digit strings), else ``raw`` or
  ``literal`` (``2017-06-12``, ``June 2017``, ``12 Jun 2017``, read by
  :func:`litreview.fields.dates.parse_date`)
- venue: ``container-title``, else ``event-title`` / ``event``, else, for ``type: article`` (a preprint),
  the ``publisher`` (Zotero puts the repository, ``arXiv``, there); ``arXiv preprint arXiv:1706.03762``
  (how BibTeX-converted items name arXiv) is stored as ``arXiv``
- ``DOI``, ``URL``, keywords from ``keyword`` (split at ``;`` when it has one, else at ``,``)
- the arXiv id from ``number`` (``arXiv:1706.03762``, or a bare id when the item's publisher,
  container, archive or URL is arXiv), ``archive_location``, a ``note`` line ``arXiv: 1706.03762`` (or
  ``arXiv:1706.03762 [cs]``), an arxiv.org ``URL``, an arXiv ``DOI`` (``10.48550/arXiv.*``) or the
  container title, in that order

Kept for export: the item ``id`` as ``key`` (the citation key; the paper's ``id`` is the merge step's),
``type`` as ``entry_type``, and every other item key with its JSON value, in order, in ``source_fields``.

Known limits: CSL has no categories; ``note`` (Zotero's free-form Extra field) gives an arXiv id only on
an ``arXiv: <id>`` line (an id elsewhere in it may be a cited work's) and is not modelled; editors, pages,
volumes and other bibliographic details are not modelled (they are
kept in ``source_fields``); rich-text markup CSL allows in titles
(``<i>``, ``<sup>``) is kept as given.  A date that cannot be read is left out, with a warning and the
flag ``date-unreadable``; an author entry without a name flags ``authors-incomplete``.
"""

from __future__ import annotations

import json
import re
from typing import Any

from litreview.fields.arxiv import find_arxiv, parse_arxiv_id
from litreview.fields.dates import parse_date
from litreview.fields.names import first_last
from litreview.io.readers.base import ReadResult
from litreview.io.readers.json_walk import doi_value, finish_record, int_value, json_kind, json_values, text_value

FORMAT = "csl-json"

# The item types of CSL 1.0.2; an object whose "type" is none of these is not a CSL item.
CSL_TYPES = frozenset(
    """article article-journal article-magazine article-newspaper bill book broadcast chapter classic
    collection dataset document entry entry-dictionary entry-encyclopedia event figure graphic hearing
    interview legal_case legislation manuscript map motion_picture musical_score pamphlet paper-conference
    patent performance periodical personal_communication post post-weblog regulation report review
    review-book software song speech standard thesis treaty webpage""".split()
)

_DECODER = json.JSONDecoder()
_SPACE = re.compile(r"[ \t\n\r]*")
_SNIFF_ITEMS = 20  # items decoded from the head at most
_TYPE_FIELD = re.compile(r'"type"\s*:\s*"([a-z_-]+)"')
_CSL_MARK = re.compile(r'"(?:issued|container-title)"\s*:|"author"\s*:\s*\[\s*\{[^\[\]{}]*"(?:family|literal)"\s*:')
_ARXIV_WORD = re.compile(r"^arxiv\b", re.IGNORECASE)
_NAME_PARTS = ("given", "dropping-particle", "non-dropping-particle", "family", "suffix")


def sniff(text: str) -> bool:
    """A JSON array whose first items (those within the head) all have a CSL ``type``, and at least one
    of them ``issued``, ``container-title`` or an ``author`` list of name objects."""
    try:
        return isinstance(text, str) and _sniff(text.lstrip("\ufeff"))
    except (ValueError, TypeError, RecursionError):
        return False


def _sniff(head: str) -> bool:
    idx = _SPACE.match(head).end()
    if not head.startswith("[", idx):
        return False
    idx = _SPACE.match(head, idx + 1).end()
    items: list[Any] = []
    while len(items) < _SNIFF_ITEMS and head.startswith("{", idx):
        try:
            item, idx = _DECODER.raw_decode(head, idx)
        except json.JSONDecodeError:
            break  # the item runs past the head
        items.append(item)
        idx = _SPACE.match(head, idx).end()
        if not head.startswith(",", idx):
            break
        idx = _SPACE.match(head, idx + 1).end()
    if not items:
        # One item larger than the head: judge by its opening text.
        kinds = _TYPE_FIELD.findall(head)
        return bool(kinds) and kinds[0] in CSL_TYPES and bool(_CSL_MARK.search(head))
    return all(_is_item(item) for item in items) and any(_has_csl_fields(item) for item in items)


def _is_item(item: Any) -> bool:
    return isinstance(item, dict) and isinstance(item.get("type"), str) and item["type"] in CSL_TYPES


def _has_csl_fields(item: dict) -> bool:
    authors = item.get("author")
    named = isinstance(authors, list) and any(
        isinstance(a, dict) and ("family" in a or "literal" in a) for a in authors
    )
    return isinstance(item.get("issued"), dict) or isinstance(item.get("container-title"), str) or named


def read(text: str, file: str) -> ReadResult:
    result = ReadResult()
    for number, (line, item) in enumerate(json_values(text, file, result), start=1):
        if not isinstance(item, dict):
            result.error(file, line, f"item {number} is {json_kind(item)}, not a JSON object")
            continue
        record = _item_record(item, file, line, number, result)
        if record is not None:
            result.records.append(record)
    return result


def _item_record(item: dict, file: str, line: int, number: int, result: ReadResult) -> dict | None:
    where = f"item {number}"
    flags: list[str] = []
    record: dict[str, Any] = {}
    record["title"] = text_value(item.get("title"))
    record["abstract"] = text_value(item.get("abstract"))
    record["authors"] = _authors(item.get("author"), file, line, where, result, flags)
    record["year"], record["month"] = _issued(item.get("issued"), file, line, where, result, flags)
    record["venue"] = _venue(item)
    record["doi"] = doi_value(item.get("DOI"))
    arxiv = _arxiv(item)
    if arxiv:
        record["arxiv_id"], record["arxiv_version"] = arxiv
    record["url"] = text_value(item.get("URL"))
    record["keywords"] = _keywords(item.get("keyword"))
    ident = item.get("id")
    record["key"] = str(ident) if isinstance(ident, (str, int)) and not isinstance(ident, bool) else None
    record["entry_type"] = text_value(item.get("type"))
    fields = [[name, value] for name, value in item.items() if name not in ("id", "type")]
    record["source_fields"] = json.dumps({"format": FORMAT, "fields": fields}, ensure_ascii=False)
    return finish_record(record, flags, file, line, where, result)


def _author_name(author: Any) -> str | None:
    if isinstance(author, str):
        return first_last(author) or None  # not CSL, but some tools write plain names
    if not isinstance(author, dict):
        return None
    literal = text_value(author.get("literal"))
    if literal:
        return literal
    parts = [text_value(author.get(part)) for part in _NAME_PARTS]
    return " ".join(p for p in parts if p) or None


def _authors(authors: Any, file: str, line: int, where: str, result: ReadResult, flags: list[str]) -> list[str]:
    if authors is None:
        return []
    if not isinstance(authors, list):
        authors = [authors]
    names = [_author_name(author) for author in authors]
    unnamed = sum(name is None for name in names)
    if unnamed:
        flags.append("authors-incomplete")
        result.warn(file, line, f"{where}: {unnamed} author entr{'y' if unnamed == 1 else 'ies'} without a name")
    return [name for name in names if name]


def _issued(issued: Any, file: str, line: int, where: str, result: ReadResult, flags: list[str]):
    if issued is None:
        return None, None
    year, month = _date(issued)
    if year is None:
        flags.append("date-unreadable")
        shown = json.dumps(issued, ensure_ascii=False)
        shown = shown if len(shown) <= 60 else shown[:57] + "..."
        result.warn(file, line, f"{where}: cannot read the date {shown}")
        return None, None
    return year, month


def _date(issued: Any) -> tuple[int | None, int | None]:
    if isinstance(issued, str):  # not CSL, but some tools write the date as a string
        return parse_date(issued)
    if not isinstance(issued, dict):
        return None, None
    parts = issued.get("date-parts")
    if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
        first = parts[0]
        if isinstance(first[0], str) and not first[0].strip().isdigit():
            year, month = parse_date(first[0])  # "2017-06" in a single part
        else:
            year = int_value(first[0])
            month = int_value(first[1], 1, 12) if len(first) > 1 else None
        if year is not None:
            return year, month
    for key in ("raw", "literal"):
        if isinstance(issued.get(key), str):
            year, month = parse_date(issued[key])
            if year is not None:
                return year, month
    return None, None


def _venue(item: dict) -> str | None:
    venue = text_value(item.get("container-title")) or text_value(item.get("event-title"))
    venue = venue or text_value(item.get("event"))
    if venue is None and item.get("type") == "article":
        venue = text_value(item.get("publisher"))
    if venue and _ARXIV_WORD.match(venue) and venue.lower() != "arxiv":
        return "arXiv"  # "arXiv preprint arXiv:1706.03762"; a bare name keeps its spelling
    return venue


def _is_arxiv_item(item: dict) -> bool:
    for key in ("publisher", "container-title", "archive", "source"):
        value = item.get(key)
        if isinstance(value, str) and _ARXIV_WORD.match(value.strip()):
            return True
    url = item.get("URL")
    return isinstance(url, str) and "arxiv.org/" in url.lower()


def _arxiv(item: dict) -> tuple[str, int | None] | None:
    bare_ok = _is_arxiv_item(item)
    for key in ("number", "archive_location"):
        value = item.get(key)
        found = find_arxiv(value)
        if not found and bare_ok and isinstance(value, str):
            found = parse_arxiv_id(value)
        if found:
            return found
    note = item.get("note")
    if isinstance(note, str):  # Zotero's Extra: an "arXiv: <id>" line, not any id the text mentions (a cited work's)
        for line in note.splitlines():
            found = find_arxiv(line) if _ARXIV_LINE.match(line) else None
            if found:
                return found
    for key in ("URL", "DOI", "container-title"):
        found = find_arxiv(item.get(key))
        if found:
            return found
    return None


_ARXIV_LINE = re.compile(r"\s*arxiv\s*(?:id\s*)?:", re.IGNORECASE)


def _keywords(value: Any) -> list[str]:
    if isinstance(value, list):  # not CSL, but some tools write a list
        words = [text_value(v) for v in value]
    elif isinstance(value, str):
        words = [text_value(v) for v in value.split(";" if ";" in value else ",")]
    else:
        return []
    return [word for word in dict.fromkeys(words) if word]
