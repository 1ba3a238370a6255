"""Web of Science plain-text ("tagged") export, the ``savedrecs.txt`` of the "Plain text file" option.

The file opens with ``FN <product>`` and ``VR 1.0``, holds records from ``PT <type>`` to ``ER`` and ends
with ``EF``.  Each line is a two-character tag, a space and a value; a line starting with three spaces
continues the previous tag.  For multi-valued tags (``AU``, ``AF``) each continuation line is one more
value; for text (``TI``, ``AB``, ``SO``) it continues the text, joined with a space.  Semicolon lists
(``DE``, ``ID``, ``WC``, ``SC``) are wrapped like text and split on ``;``; a list written one value per
line without any ``;`` (as some converters do) is read one value per line.

What is read:

- ``title``: ``TI``; ``abstract``: ``AB``
- ``authors``: ``AF`` (full names) or, without it, ``AU`` (``Kim, S``); ``Last, First`` becomes
  ``First Last``
- ``year``: ``PY``, else the early-access year ``EY``; ``month``: the first month named in ``PD``
  (``MAR``, ``MAR 15``, ``JAN-FEB``; seasons give none), or ``EA`` with ``EY``
- ``venue``: ``SO`` (the source title, as Web of Science writes it: often upper case)
- ``doi``: ``DI`` (normalised); ``arxiv_id``: from an arXiv DOI (``10.48550/arXiv.2106.09685``)
- ``keywords``: author keywords ``DE`` then Keywords Plus ``ID``; ``categories``: Web of Science
  categories ``WC`` then research areas ``SC`` (exact repeats dropped)
- ``source``: the file and line of the ``PT`` line

- ``references``: cited references ``CR``, one per line as written (``AKAIKE H, 1974, IEEE T AUTOMAT
  CONTR, VAC19, P716, DOI ...``); ``citation_count``: times cited ``TC``; ``external_ids``: the accession
  number ``UT`` as ``wos:WOS:...``

Not read: addresses, other counts.  There is no url in the format.

Damaged records, as in the RIS reader: a record without its ``PT`` line (tags after an ``ER``) or
without its ``ER`` line (the next ``PT``, an ``EF``, a new ``FN`` header or the end of the file comes
first) is kept when it has a title, flagged ``truncated`` and reported as a warning, and skipped with an
error otherwise.  A record with neither title nor abstract nor DOI is skipped with an error.  Records
without an abstract are flagged ``no-abstract``, without a title ``no-title``.  Text outside records is
skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from litreview.fields.arxiv import arxiv_from_doi
from litreview.fields.dates import find_month
from litreview.fields.doi import normalize_doi
from litreview.fields.names import first_last
from litreview.io.readers.base import ReadResult, keep_tagged_record

FORMAT = "wos"

_TAG_LINE = re.compile(r"^([A-Z][A-Z0-9])(?: (.*))?$")
_PT_LINE = re.compile(r"^PT [A-Z]\s*$")
_FIELD_TAG = re.compile(r"^(?:AU|AF|TI|SO|PY|DI|AB) \S")
_YEAR = re.compile(r"^(\d{4})$")
LIST_TAGS = frozenset({"AU", "AF"})
SEMICOLON_TAGS = frozenset({"DE", "ID", "WC", "SC"})
# Tags that give the reader something: tags after an ER with none of these are not a record.
READ_TAGS = frozenset({"TI", "AB", "AU", "AF", "PY", "EY", "PD", "EA", "SO", "DI", "CR", "TC", "UT", *SEMICOLON_TAGS})


def sniff(text: str) -> bool:
    """``FN`` first, then ``VR`` or a ``PT`` record; or a file starting at its first ``PT`` record."""
    lines = [line.strip("\ufeff\r") for line in text[:8192].split("\n")]
    lines = [line for line in lines if line.strip()][:30]
    if not lines:
        return False
    if lines[0].startswith("FN "):
        return any(line.startswith("VR ") or _PT_LINE.match(line) for line in lines[1:4])
    return bool(_PT_LINE.match(lines[0])) and sum(bool(_FIELD_TAG.match(line)) for line in lines[1:]) >= 2


@dataclass
class _Raw:
    """A record as tagged values; ``fields`` holds ``(tag, lines)``: the tag's line and its continuations."""

    line: int
    has_start: bool
    fields: list[tuple[str, list[str]]] = field(default_factory=list)

    def by_tag(self) -> dict[str, list[str]]:
        grouped: dict[str, list[str]] = {}
        for tag, lines in self.fields:
            grouped.setdefault(tag, []).extend(lines)
        return grouped


def read(text: str, file: str) -> ReadResult:
    result = ReadResult()
    current: _Raw | None = None
    for lineno, raw in enumerate(text.split("\n"), start=1):
        line = raw.lstrip("\ufeff\r").rstrip()
        if not line:
            continue
        if line[0] in " \t":
            if current is not None and current.fields:
                current.fields[-1][1].append(line.strip())
            continue  # a continuation outside a record continues nothing
        match = _TAG_LINE.match(line)
        if not match:
            if current is not None and current.fields:
                current.fields[-1][1].append(line.strip())  # an unindented wrapped line: keep its text
            continue
        tag, value = match[1], (match[2] or "").strip()
        if tag in ("PT", "FN", "EF"):
            if current is not None:
                where = {"PT": "the next PT", "FN": "a new FN header", "EF": "the EF line"}[tag]
                _finish(current, result, file, missing_end=f"no ER line before {where} at line {lineno}")
            current = _Raw(lineno, True) if tag == "PT" else None
        elif tag == "ER":
            if current is not None:
                _finish(current, result, file)
            current = None
        elif current is not None:
            current.fields.append((tag, [value]))
        elif tag != "VR":  # VR is the header's version line
            current = _Raw(lineno, False, [(tag, [value])])  # tags after an ER: the PT line is missing
    if current is not None:
        _finish(current, result, file, missing_end="no ER line (the file ends inside it)")
    if not result.records and not result.problems:
        result.error(file, None, "no Web of Science records found (no line starts with 'PT ')")
    return result


def _finish(raw: _Raw, result: ReadResult, file: str, missing_end: str | None = None) -> None:
    if not raw.has_start and not any(tag in READ_TAGS for tag, _ in raw.fields):
        return  # stray tags that the reader would not read anyway
    keep_tagged_record(
        result, _record(raw), file=file, line=raw.line, label="Web of Science", start_tag="PT",
        has_start=raw.has_start, missing_end=missing_end, identity=("title", "abstract", "doi"),
    )


def _record(raw: _Raw) -> dict:
    values = raw.by_tag()
    title, abstract = _joined(values, "TI"), _joined(values, "AB")
    doi = normalize_doi(_joined(values, "DI") or "")
    arxiv = arxiv_from_doi(doi) if doi else None
    year, month = _year_month(values)
    names = values.get("AF") or values.get("AU") or []
    flags = [] if abstract else ["no-abstract"]
    if not title:
        flags.append("no-title")
    record = {
        "title": title,
        "abstract": abstract,
        "authors": [name for name in map(first_last, names) if name],
        "year": year,
        "month": month,
        "venue": _joined(values, "SO"),
        "arxiv_id": arxiv[0] if arxiv else None,
        "doi": doi,
        "keywords": _unique(_semicolon_list(values, "DE") + _semicolon_list(values, "ID")),
        "categories": _unique(_semicolon_list(values, "WC") + _semicolon_list(values, "SC")),
        "references": [line for line in values.get("CR", ()) if line] or None,
        "citation_count": _count(values.get("TC")),
        "external_ids": [f"wos:{ut}" for ut in values.get("UT", ()) if ut][:1] or None,
        "quality_flags": flags,
    }
    return {key: value for key, value in record.items() if value is not None}


def _count(lines: list[str] | None) -> int | None:
    text = lines[0].strip() if lines else ""
    return int(text) if text.isdigit() else None


def _joined(values: dict[str, list[str]], tag: str) -> str | None:
    return " ".join(part for part in values.get(tag, ()) if part) or None


def _semicolon_list(values: dict[str, list[str]], tag: str) -> list[str]:
    lines = [line for line in values.get(tag, ()) if line]
    if len(lines) > 1 and not any(";" in line for line in lines):
        return lines  # one value per line, the way AU is written
    return [item.strip() for item in " ".join(lines).split(";") if item.strip()]


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _year_month(values: dict[str, list[str]]) -> tuple[int | None, int | None]:
    for year_tag, month_tag in (("PY", "PD"), ("EY", "EA")):
        year_match = _YEAR.match(_joined(values, year_tag) or "")
        if year_match:
            return int(year_match[1]), find_month(_joined(values, month_tag) or "")
    return None, None
