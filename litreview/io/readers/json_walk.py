"""What the JSON readers (OpenAlex, Semantic Scholar, CSL-JSON) share: walking a
document or JSON Lines to its records with the line where each starts, unwrapping
API pages (``results``, ``data``), and reading values out of nested objects.
"""

from __future__ import annotations

import json
import re
from typing import Any

from litreview.fields.dates import parse_date
from litreview.fields.doi import normalize_doi
from litreview.io.readers.base import ReadResult


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


def date_year_month(value: Any) -> tuple[int | None, int | None]:
    """Year and month of a date string (``2021-05-19``, ``2021-05``, ``2021``, ``May 2021``)."""
    return parse_date(value) if isinstance(value, str) else (None, None)


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


def json_line(line: str, file: str, lineno: int, result: ReadResult) -> tuple[bool, Any]:
    """``(True, value)`` of one JSON Lines line, or ``(False, None)`` after an error naming the file and
    line (a line's own ``null`` is a value: hence the flag)."""
    try:
        return True, json.loads(line)
    except json.JSONDecodeError as exc:
        result.error(file, lineno, f"line is not valid JSON: {exc.msg} (column {exc.colno})")
    except RecursionError:
        result.error(file, lineno, "line holds JSON nested too deeply to read")
    return False, None


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
        read, value = json_line(line, file, lineno, result)
        if not read:
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
