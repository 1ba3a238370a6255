"""PubMed's MEDLINE text: the ``.nbib`` file of "Send to: Citation manager", and "Save" as the PubMed format.

Records are separated by blank lines and each opens with ``PMID- <number>``.  A line is a tag of up to four
capitals padded to four characters, ``- `` and a value (``TI  - Methylphenidate for ...``); a line starting
with six spaces continues the previous tag's text.  Tags may repeat (one ``FAU`` per author, one ``MH`` per
MeSH heading).

What is read:

- ``title``: ``TI`` (a book's ``BTI`` when there is none) without the full stop MEDLINE ends it with (a
  translated title keeps its brackets); ``abstract``: ``AB``
- ``authors``: full names ``FAU`` (``Smith, John A`` becomes ``John A Smith``, ``Frenck, Robert W Jr``
  ``Robert W Frenck Jr``), else ``AU`` (``Smith JA`` becomes ``J.A. Smith``, ``Türeci Ö`` ``Ö. Türeci``), with
  group authors ``CN`` after them
- ``year`` and ``month``: the publication date ``DP`` (``2023 Jan 15``, ``2023 Jan-Feb``, ``2023``; a season
  gives no month)
- ``venue``: the journal's title ``JT``, else its abbreviation ``TA``; a book's title ``BTI`` for a chapter
- ``doi``: the ``AID`` or ``LID`` marked ``[doi]`` (normalised); ``arxiv_id``: from an arXiv DOI
- ``keywords``: author keywords ``OT``, then the MeSH headings ``MH`` (their descriptors: ``*`` and the
  qualifiers after ``/`` dropped), exact repeats dropped
- ``entry_type``: the publication type ``PT`` saying what the document is (``Book Chapter``, ``Book``, ``Journal
  Article``; else the first ``PT``, such as ``Published Erratum``), not a study design listed before it
- ``quality_flags``: ``retracted`` (``PT`` ``Retracted Publication``, or a ``RIN`` retraction notice),
  ``retraction-notice`` (``Retraction of Publication``), ``erratum`` (``Published Erratum``), ``no-abstract``
- ``external_ids``: ``pmid:<PMID>``, ``pmcid:PMC<n>`` of ``PMC`` (the free full text in PubMed Central) and
  ``nihms:NIHMS<n>`` of ``MID`` (the NIH manuscript id of the author's manuscript); ``url``: the paper's PubMed page
- ``source``: the file and line of the ``PMID`` line

Not read: affiliations, grants, dates other than the publication's, MeSH qualifiers.  PubMed's MEDLINE
holds no cited references.

A record without a title, abstract or DOI is skipped with an error naming the file and line; a record
that does not open with ``PMID`` is read all the same, with a warning, and a ``PMID`` line with no blank line
before it starts the next record (with a warning: it was taken for a second id of the record before).  A
line that is neither a tag nor a continuation is kept as text of the tag before it, with a warning naming
its line.
"""

from __future__ import annotations

import re

from litreview.fields.arxiv import arxiv_from_doi
from litreview.fields.dates import find_month
from litreview.fields.doi import normalize_doi
from litreview.fields.names import pubmed_full_name, pubmed_name
from litreview.io.readers.base import ReadResult, excerpt

FORMAT = "medline"

_TAG_LINE = re.compile(r"^([A-Z][A-Z0-9]{0,3}) {0,3}- ?(.*)$")
_PMID_LINE = re.compile(r"^PMID- ?\d+\s*$")
_YEAR = re.compile(r"^(\d{4})\b")
_MARKED_DOI = re.compile(r"^(\S+)\s*\[doi\]$", re.IGNORECASE)
_IDENTITY = ("title", "abstract", "doi")


def sniff(text: str) -> bool:
    """A ``PMID-`` line first, and a title or author tag among the next lines."""
    lines = [line.strip("\ufeff\r") for line in text[:8192].split("\n")]
    lines = [line for line in lines if line.strip()][:40]
    return bool(lines) and bool(_PMID_LINE.match(lines[0])) and any(
        line.startswith(("TI  -", "FAU -", "AU  -", "AB  -")) for line in lines[1:])


def read(text: str, file: str) -> ReadResult:
    result = ReadResult()
    record: list[tuple[str, list[str]]] = []
    start = 0
    for lineno, raw in enumerate(text.split("\n"), start=1):
        line = raw.lstrip("\ufeff").rstrip("\r ").rstrip()
        if not line.strip():
            if record:
                _finish(record, start, result, file)
            record = []
            continue
        if line.startswith("      ") and record:
            record[-1][1].append(line.strip())
            continue
        match = _TAG_LINE.match(line)
        if match is None:
            if record:
                record[-1][1].append(line.strip())
                result.warn(file, lineno, f"line {excerpt(line.strip(), 40)} is not a MEDLINE tag line; read as "
                                          f"more of {record[-1][0]}")
            else:
                result.warn(file, lineno, f"line {excerpt(line.strip(), 40)} is outside any record; skipped")
            continue
        if match[1] == "PMID" and record:  # (no blank line between two records: the PMID opens the next one)
            _finish(record, start, result, file)
            record = []
            result.warn(file, lineno, "a PMID line with no blank line before it; read as the start of the next "
                                      "record", kind="pmid-no-blank-line")
        if not record:
            start = lineno
        record.append((match[1], [match[2].strip()]))
    if record:
        _finish(record, start, result, file)
    if not result.records and not result.problems:
        result.error(file, None, "no MEDLINE records found (no line starts with 'PMID- ')")
    return result


def _finish(fields: list[tuple[str, list[str]]], line: int, result: ReadResult, file: str) -> None:
    values: dict[str, list[str]] = {}
    for tag, lines in fields:
        values.setdefault(tag, []).append(" ".join(part for part in lines if part))
    record = _record(values)
    record["source"] = f"{file}:{line}"
    if not any(record.get(f) for f in _IDENTITY):
        result.error(file, line, "MEDLINE record has no title, abstract or DOI; skipped")
        return
    if fields[0][0] != "PMID":
        result.warn(file, line, f"MEDLINE record opens with {fields[0][0]}, not PMID; read all the same")
    result.records.append(record)


def _record(values: dict[str, list[str]]) -> dict:
    title = _unstopped(_first(values, "TI") or _first(values, "BTI"))
    abstract = _first(values, "AB")
    doi = next((normalize_doi(m[1]) for v in values.get("AID", []) + values.get("LID", [])
                if (m := _MARKED_DOI.match(v))), None)
    arxiv = arxiv_from_doi(doi) if doi else None
    pmid = (_first(values, "PMID") or "").strip()
    dated = _first(values, "DP") or ""
    year = _YEAR.match(dated)
    book = "BTI" in values and "TI" in values
    record = {
        "title": title,
        "abstract": abstract,
        "authors": _authors(values),
        "year": int(year[1]) if year else None,
        "month": find_month(dated[4:]) if year else None,
        "venue": _first(values, "BTI") if book else (_first(values, "JT") or _first(values, "TA")),
        "arxiv_id": arxiv[0] if arxiv else None,
        "doi": doi,
        "url": f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/" if pmid.isdigit() else None,
        "keywords": list(dict.fromkeys(values.get("OT", []) + [_descriptor(h) for h in values.get("MH", [])])),
        "entry_type": _entry_type(values.get("PT", [])),
        "external_ids": (([f"pmid:{int(pmid)}"] if pmid.isdigit() else []) + _pmcid(_first(values, "PMC"))
                         + _nihms(_first(values, "MID"))),
        "quality_flags": ([] if abstract else ["no-abstract"]) + _notice_flags(values),
    }
    return {key: value for key, value in record.items() if value not in (None, [], "")}


# The publication types that say what kind of document a record is (the others, ``Clinical Trial, Phase II``,
# ``English Abstract``, ``Review``, come before ``Journal Article`` alphabetically); and the ones a reviewer
# must see: a retracted paper (or ``RIN``, its retraction notice's citation), a retraction notice, an erratum.
_DOCUMENT_TYPES = ("Book Chapter", "Book", "Journal Article")
_NOTICES = {"Retracted Publication": "retracted", "Retraction of Publication": "retraction-notice",
            "Published Erratum": "erratum"}


def _entry_type(types: list[str]) -> str | None:
    """``Book Chapter``, ``Book`` or ``Journal Article`` when the record has one of them, else its first type."""
    return next((kind for kind in _DOCUMENT_TYPES if kind in types), types[0] if types and types[0] else None)


def _notice_flags(values: dict[str, list[str]]) -> list[str]:
    flags = [flag for kind, flag in _NOTICES.items() if kind in values.get("PT", [])]
    return flags + ["retracted"] if "RIN" in values and "retracted" not in flags else flags


def _pmcid(value: str | None) -> list[str]:
    found = re.fullmatch(r"PMC(\d+)", (value or "").strip())
    return [f"pmcid:PMC{int(found[1])}"] if found else []


def _nihms(value: str | None) -> list[str]:
    found = re.fullmatch(r"NIHMS(\d+)", (value or "").strip())
    return [f"nihms:NIHMS{int(found[1])}"] if found else []


def _unstopped(title: str | None) -> str | None:
    """A title without the full stop MEDLINE ends every title with (``... Vaccine.``: a citation style adds its
    own); an ellipsis is kept.  A translated title keeps its brackets (``[Methylphenidate in adults]``)."""
    return title[:-1].rstrip() if title and title.endswith(".") and not title.endswith("..") else title


def _first(values: dict[str, list[str]], tag: str) -> str | None:
    found = values.get(tag)
    return found[0] if found and found[0] else None


def _authors(values: dict[str, list[str]]) -> list[str]:
    if values.get("FAU"):
        names = [pubmed_full_name(name) for name in values["FAU"]]
    else:
        names = [pubmed_name(name) or name for name in values.get("AU", [])]
    return [name for name in names + values.get("CN", []) if name]


def _descriptor(heading: str) -> str:
    """A MeSH heading's descriptor: ``*Attention Deficit Disorder with Hyperactivity/drug therapy`` ->
    ``Attention Deficit Disorder with Hyperactivity``."""
    return heading.split("/", 1)[0].lstrip("*").strip()
