"""RIS export of a papers table, for reference managers (Zotero, EndNote, Mendeley) and screening tools.

A record read from RIS is written back as it was read (:mod:`litreview.io.export`): its ``TY`` as given,
then every tag line in the order read (continuation lines joined), with the kit's additions only: the
keywords the table has and the record lacks (topics, a screening decision, keywords of merged records)
as ``KW`` lines after its own, and the fields the kit filled in where the record has no tag for them
(title, authors, year, venue, abstract, DOI, link).

Any other row: one record, in this order: ``TY``, ``ID`` (the citation key: the source's, else one made as for
BibTeX), ``TI``, one ``AU`` per author as ``Last, First`` (``Labanski, A.``; particles stay with the surname:
``van der Maaten, Laurens``; see :func:`litreview.fields.names.last_first`), ``PY`` (year), ``DA``
(``YYYY/MM//`` when the month is known), the venue, ``AB``, one ``KW`` per keyword, ``DO``, ``UR``, ``N1`` (the
table's ``notes``), then the source's fields the schema does not model, by :mod:`litreview.io.crosswalk`
(``VL``, ``IS``, ``SP``/``EP``, ``PB``, ``SN``, ``ED``, ``CY``, ``N1``, ``LA``, ``T3``, ``ET``), and any other
source field as an ``N1`` line ``name: value``; ``ER``.  Records are separated by a blank line; missing values
are left out.

The reference type: the source's entry type through :data:`litreview.io.crosswalk.TYPES`
(``@inproceedings`` is ``CONF``), else by the venue:

- ``GEN`` when there is no venue or the venue is a preprint server (``arXiv``, ``bioRxiv``, ``CoRR``, ...);
- ``JOUR`` when the venue names a journal (``Journal``, ``Transactions``, ``Letters``, ``Magazine``,
  ``Annals``, ``Bulletin``, or the journals called ``Proceedings of the National Academy / of the IEEE /
  of the Royal Society``);
- ``CONF`` when the venue names a conference (``Conference``, ``Proceedings``, ``Workshop``,
  ``Symposium``, ...) or holds a well-known conference acronym (``ICLR``, ``NeurIPS``, ``ACL``, ...,
  see :data:`CONFERENCE_ACRONYMS`);
- ``JOUR`` for any other venue (``Nature``, ``Psychoneuroendocrinology``).

The venue goes in ``JO`` for ``JOUR`` and in ``T2`` otherwise.

Every value is written on one line: line breaks (of any kind) and the blanks around them become one space, so an
abstract wrapped over several lines reads back as one line, and text that looks like a tag (``ER  - `` inside an
abstract) stays inside its field.  Reading the output with :mod:`litreview.io.readers.ris` gives back title,
abstract, authors, year, month, venue, doi, url and keywords unchanged, with these documented exceptions: text
is flattened as just said and stripped; author names are tidied by :func:`litreview.fields.names.first_last`
(runs of blanks become one space, and a name holding a comma, ``John Smith, Jr.``, is written as it is and taken
for ``Last, First``); a month without a year is not written (``DA`` needs a year); a record with an arXiv id
whose url is not its arXiv page gets a second ``UR`` with ``https://arxiv.org/abs/<id>`` (with ``v<version>``
when known), and one without a url gets that link as its only ``UR`` (so it is read back as the url); the reader
derives a DOI from a doi.org url and an arXiv id from an arXiv url or DOI where the table had none;
``arxiv_version`` comes back only from an arXiv link that carries it; ``notes`` (written as ``N1``) are not read
back.  Not written: ``id``, ``categories``, ``quality_flags``, ``source``, ``provenance``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from litreview.fields.arxiv import arxiv_url, find_arxiv
from litreview.fields.names import last_first
from litreview.io.crosswalk import field_name, source_of, target_type, unmodelled
from litreview.io.writers.base import added_keywords, integer, items, missing, venue_kind
from litreview.io.writers.bibtex import citation_keys  # one rule for keys in every format

FORMAT = "ris"
EXTENSION = ".ris"


def reference_type(venue: str | None) -> str:
    """``CONF``, ``JOUR`` or ``GEN`` for a venue, by the rule in the module docstring.

    >>> reference_type("ICLR"), reference_type("Nature"), reference_type("arXiv"), reference_type(None)
    ('CONF', 'JOUR', 'GEN', 'GEN')
    """
    return {"preprint": "GEN", "journal": "JOUR", "conference": "CONF"}[venue_kind(venue)]


def write(papers: pd.DataFrame) -> str:
    """The papers table (see :mod:`litreview.schema`) as RIS text, one record per row."""
    rows = papers.to_dict("records")
    records = ["\n".join(_lines(row, key)) for row, key in zip(rows, citation_keys(papers))]
    return "\n\n".join(records) + "\n" if records else ""


def _lines(row: dict[str, Any], key: str) -> list[str]:
    source = source_of(row)
    if source is not None and source[0] == FORMAT:
        return _source_lines(row, source[1])
    lines = _record_lines(row, key)
    concepts, leftovers = unmodelled(*source, row.get("entry_type")) if source else ({}, [])
    extra = []
    for concept, value in concepts.items():
        if concept == "editor":
            extra += _tagged("ED", [last_first(str(v)) for v in value])
        elif concept == "pages" and "-" in value.strip("-"):
            start, _, end = value.replace("--", "-").partition("-")
            extra += _tagged("SP", [start]) + _tagged("EP", [end])
        else:
            extra += _tagged(field_name(concept, FORMAT), value.split("\n") if concept == "note" else [value])
    extra += _tagged("N1", [f"{name}: {value}" for name, value in leftovers])  # nothing dropped
    return lines[:-1] + extra + lines[-1:]


# Tags of a RIS record that give what the table's columns give: a source record with any of them
# already has that column's value.
_GIVEN_BY = {
    "TI": ("TI", "T1", "CT", "BT"), "AU": ("AU", "A1"), "PY": ("PY", "Y1", "DA"), "DA": ("PY", "Y1", "DA"),
    "AB": ("AB", "N2"), "JO": ("JF", "JO", "T2", "C3", "BT", "JA", "J1", "J2"), "DO": ("DO",),
    "UR": ("UR", "LK", "L2", "L1", "L4"), "KW": ("KW",), "ID": ("ID",),
}  # fmt: skip
_GIVEN_BY["T2"] = _GIVEN_BY["JO"]


def _source_lines(row: dict[str, Any], fields: list[list[str]]) -> list[str]:
    """The source record as read, tag by tag, with the kit's topics (and decision) added as ``KW`` lines
    after its own, and the fields it filled in (title, authors, ...) where the record had none."""
    tags = {str(tag) for tag, _ in fields}
    lines = [f"TY  - {_text(row.get('entry_type')) or 'GEN'}"]
    lines += [f"{tag}  - {value}" for tag, value in fields]
    added = _tagged("KW", added_keywords(row.get("keywords"), [str(v) for t, v in fields if t == "KW"]))
    last_keyword = max((i for i, (tag, _) in enumerate(fields) if tag == "KW"), default=len(fields) - 1)
    lines[last_keyword + 2 : last_keyword + 2] = added
    source_text = row["source_fields"].casefold()
    for line in _record_lines(row, None)[1:-1]:
        tag, value = line[:2], line[6:]
        if tag in ("KW", "ID") or tags.intersection(_GIVEN_BY.get(tag, (tag,))):
            continue
        if tag in ("DO", "UR") and value.casefold() in source_text:
            continue  # read from another tag of the record (a DOI in a link)
        lines.append(line)
    lines.append("ER  - ")
    return lines


def _record_lines(row: dict[str, Any], key: str | None) -> list[str]:
    venue = _text(row.get("venue"))
    kind = target_type(row.get("entry_type"), FORMAT) or reference_type(venue)
    year, month = integer(row.get("year")), integer(row.get("month"))
    lines = [f"TY  - {kind}"]
    lines += _tagged("ID", [key])
    lines += _tagged("TI", [row.get("title")])
    lines += _tagged("AU", [last_first(name) for name in map(_text, items(row.get("authors"))) if name])
    if year is not None:
        lines.append(f"PY  - {year:04d}")
        if month is not None and 1 <= month <= 12:
            lines.append(f"DA  - {year:04d}/{month:02d}//")
    lines += _tagged("JO" if kind == "JOUR" else "T2", [venue])
    lines += _tagged("AB", [row.get("abstract")])
    lines += _tagged("KW", items(row.get("keywords")))
    lines += _tagged("DO", [row.get("doi")])
    lines += _tagged("UR", _links(row))
    lines += _tagged("N1", [row.get("notes")])
    lines.append("ER  - ")
    return lines


def _links(row: dict[str, Any]) -> list[str]:
    url = _text(row.get("url"))
    links = [url] if url else []
    arxiv_id = _text(row.get("arxiv_id"))
    if arxiv_id:
        version = integer(row.get("arxiv_version"))
        found = find_arxiv(url) if url else None
        if found is None or found[0] != arxiv_id:
            links.append(arxiv_url(arxiv_id, version))
    return links


def _tagged(tag: str, values: Iterable[Any]) -> list[str]:
    return [f"{tag}  - {text}" for text in map(_text, values) if text]


def _text(value: Any) -> str | None:
    """A value on one line, or ``None`` when missing or blank."""
    if missing(value):
        return None
    return " ".join(part for part in (line.strip() for line in str(value).splitlines()) if part) or None
