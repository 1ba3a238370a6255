"""JSON tables: an array of records, an object holding one (``{"data"|"results"|"records"|"items": [...]}``),
or JSON Lines (one record object per line), as written by paperlists, ASReview, pandas ``to_json`` and
many scrapers.

Records are flat-ish objects: each key is a column, mapped onto the schema by :mod:`.columns` (which lists
the recognised names and how values are read); real JSON lists are lists, and a nested object stands for
its ``name``/``display_name`` (authors as ``{"given", "family"}`` too).  ``columns=`` names the columns
when they cannot be guessed.  The specific JSON dialects (arXiv snapshot, OpenAlex, Semantic Scholar,
CSL-JSON) have their own readers, sniffed before this one.

A record's ``source`` is the line where its object starts; messages also say ``record N`` (1-based), which
is what tells records apart in a one-line file.  For JSON Lines the source is the record's line.

Decisions and known limits:

- paperlists files give the year only inside a ``bibtex`` field (and in the file name): the year, and the
  venue (``booktitle``/``journal``), are taken from that field when no column gives them; never from the
  file name.
- A malformed JSON document is one error with the line and column where parsing stopped; the records
  before that point are kept.  A malformed JSON Lines line costs only that line.
- Only the top level is searched for the list of records; a list nested deeper (``{"response":
  {"docs": [...]}}``) is not found.  A single object without such a list is one record.
"""

from __future__ import annotations

import json
import re
from typing import Any

from litreview.io.readers.base import ReadResult
from litreview.io.readers.cells import convert
from litreview.io.readers.columns import map_columns

FORMAT = "json-records"

WRAPPER_KEYS: tuple[str, ...] = ("data", "results", "records", "items")

_WS = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


def sniff(text: str) -> bool:
    """An array of objects, an object holding one under a wrapper key, or JSON Lines of objects."""
    try:
        text = text.lstrip("\ufeff")
        pos = _WS.match(text).end()
        if text.startswith("[", pos):
            return text.startswith("{", _WS.match(text, pos + 1).end())
        if not text.startswith("{", pos):
            return False
        return _looks_like_json_lines(text) or _has_wrapped_list(text, pos)
    except Exception:  # a sniffer never raises, whatever the input
        return False


def _first_lines(text: str, count: int) -> list[str]:
    """The first ``count`` non-blank lines, stripped, found without splitting the whole text."""
    lines: list[str] = []
    start = 0
    while len(lines) < count and start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        if text[start:end].strip():
            lines.append(text[start:end].strip())
        start = end + 1
    return lines


def _looks_like_json_lines(text: str) -> bool:
    """Two lines that each start an object, at least one of them a complete object by itself."""
    lines = _first_lines(text, 2)
    if len(lines) < 2 or not all(line.startswith("{") for line in lines):
        return False
    for line in lines:
        try:
            if isinstance(json.loads(line), dict):
                return True
        except (ValueError, RecursionError):
            continue
    return False


def _has_wrapped_list(text: str, pos: int) -> bool:
    """Whether the object at ``pos`` has a wrapper key whose value is a list of objects."""
    pos = _skip(text, pos + 1)
    while text.startswith('"', pos):
        key, pos = _DECODER.raw_decode(text, pos)
        pos = _skip(text, pos)
        if not text.startswith(":", pos):
            return False
        pos = _skip(text, pos + 1)
        if key in WRAPPER_KEYS and text.startswith("[", pos):
            return text.startswith("{", _skip(text, pos + 1))
        _, pos = _DECODER.raw_decode(text, pos)
        pos = _skip(text, pos)
        if not text.startswith(",", pos):
            return False
        pos = _skip(text, pos + 1)
    return False


def _skip(text: str, pos: int) -> int:
    return _WS.match(text, pos).end()


def read(text: str, file: str, *, columns=None) -> ReadResult:
    """Read JSON records; ``columns`` ({key: field}) overrides the guessed mapping.

    Raises ``ValueError`` only for a wrong ``columns`` argument; problems in the file are reported.
    """
    result = ReadResult()
    text = text.lstrip("\ufeff")
    pos = _skip(text, 0)
    if pos >= len(text):
        result.error(file, None, "the file is empty")
        return result
    if _looks_like_json_lines(text):
        items = _json_lines(text, file, result)
        labelled = False
    else:
        items = _document(text, pos, file, result)
        labelled = True
    _convert(items, labelled, file, columns, result)
    return result


def _convert(items: list[tuple[int, int, Any]], labelled: bool, file: str, columns, result: ReadResult) -> None:
    """Records from ``(line, number, value)`` items; ``labelled``: messages say ``record N``."""
    names = list(dict.fromkeys(key for _, _, value in items if isinstance(value, dict) for key in value))
    if not names:
        for line, number, value in items:
            _not_an_object(value, line, number, labelled, file, result)
        return
    cmap = map_columns(names, columns, by_position=False)
    if not cmap.identifies:
        result.error(file, items[0][0], cmap.no_identity_message())
        return
    if cmap.unplaced:
        result.note(file, items[0][0], cmap.unplaced_message())
    for line, number, value in items:
        if not isinstance(value, dict):
            _not_an_object(value, line, number, labelled, file, result)
            continue
        outcome = convert(value, cmap, f"{file}:{line}")
        label = f"record {number}" if labelled else "record"
        if outcome.record is None:
            if outcome.error:
                result.error(file, line, f"{label} {outcome.error}")
            continue
        for message in outcome.warnings:
            result.warn(file, line, f"{label}: {message}" if labelled else message)
        result.records.append(outcome.record)


def _not_an_object(value: Any, line: int, number: int, labelled: bool, file: str, result: ReadResult) -> None:
    where = f"record {number}" if labelled else "the line"
    result.error(file, line, f"{where} is {_kind(value)}, not an object")


def _kind(value: Any) -> str:
    names = {list: "a list", str: "a string", bool: "a boolean", int: "a number", float: "a number"}
    return "null" if value is None else names.get(type(value), type(value).__name__)


def _json_lines(text: str, file: str, result: ReadResult) -> list[tuple[int, int, Any]]:
    items = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            items.append((number, number, json.loads(line)))
        except json.JSONDecodeError as bad:
            result.error(file, number, f"invalid JSON at column {bad.colno}: {bad.msg}")
        except RecursionError:
            result.error(file, number, "JSON nested too deeply")
    return items


def _document(text: str, pos: int, file: str, result: ReadResult) -> list[tuple[int, int, Any]]:
    """The records of a JSON document: an array's items, a wrapper's list, or the object itself."""
    items: list[tuple[int, int, Any]] = []
    try:
        if text.startswith("[", pos):
            end = _array(text, pos, items)
        elif text.startswith("{", pos):
            end = _object(text, pos, items)
        else:
            raise json.JSONDecodeError("Expecting '[' or '{'", text, pos)
        if _skip(text, end) < len(text):
            raise json.JSONDecodeError("Extra data", text, _skip(text, end))
    except json.JSONDecodeError as bad:
        kept = f"; the {len(items)} record{'s' if len(items) > 1 else ''} before it kept" if items else ""
        result.error(file, bad.lineno, f"invalid JSON at line {bad.lineno} column {bad.colno}: {bad.msg}{kept}")
    except RecursionError:
        result.error(file, None, "JSON nested too deeply")
    return items


def _array(text: str, pos: int, items: list) -> int:
    """Append ``(line, number, value)`` for each item of the array at ``pos``; return where it ends."""
    line, counted = 1 + text.count("\n", 0, pos), pos
    pos = _skip(text, pos + 1)
    if text.startswith("]", pos):
        return pos + 1
    while True:
        line += text.count("\n", counted, pos)  # counted incrementally: one pass over the text
        counted = pos
        value, pos = _DECODER.raw_decode(text, pos)
        items.append((line, len(items) + 1, value))
        pos = _skip(text, pos)
        if text.startswith(",", pos):
            pos = _skip(text, pos + 1)
        elif text.startswith("]", pos):
            return pos + 1
        else:
            raise json.JSONDecodeError("Expecting ',' delimiter or ']'", text, pos)


def _object(text: str, pos: int, items: list) -> int:
    """Read the object at ``pos``: the list under its first wrapper key gives the records, else the
    object is one record.  Returns where the object ends."""
    start_line = 1 + text.count("\n", 0, pos)
    whole: dict[str, Any] = {}
    wrapped = False
    pos = _skip(text, pos + 1)
    if text.startswith("}", pos):
        items.append((start_line, 1, whole))
        return pos + 1
    while True:
        if not text.startswith('"', pos):
            raise json.JSONDecodeError("Expecting property name enclosed in double quotes", text, pos)
        key, pos = _DECODER.raw_decode(text, pos)
        pos = _skip(text, pos)
        if not text.startswith(":", pos):
            raise json.JSONDecodeError("Expecting ':' delimiter", text, pos)
        pos = _skip(text, pos + 1)
        if not wrapped and key in WRAPPER_KEYS and text.startswith("[", pos):
            wrapped = True
            pos = _array(text, pos, items)
        else:
            whole[key], pos = _DECODER.raw_decode(text, pos)
        pos = _skip(text, pos)
        if text.startswith(",", pos):
            pos = _skip(text, pos + 1)
        elif text.startswith("}", pos):
            break
        else:
            raise json.JSONDecodeError("Expecting ',' delimiter or '}'", text, pos)
    if not wrapped:
        items.append((start_line, 1, whole))
    return pos + 1
