"""RIS export of a papers table, for reference managers (Zotero, EndNote, Mendeley) and screening tools.

One record per row, in this order: ``TY``, ``TI``, one ``AU`` per author (``First Last``, as in the
table), ``PY`` (year), ``DA`` (``YYYY/MM//`` when the month is known), the venue, ``AB``, one ``KW`` per
keyword, ``DO``, ``UR``, ``ER``.  Records are separated by a blank line; missing values are left out.

The reference type:

- ``GEN`` when there is no venue or the venue is a preprint server (``arXiv``, ``bioRxiv``, ``CoRR``, ...);
- ``JOUR`` when the venue names a journal (``Journal``, ``Transactions``, ``Letters``, ``Magazine``,
  ``Annals``, ``Bulletin``, or the journals called ``Proceedings of the National Academy / of the IEEE /
  of the Royal Society``);
- ``CONF`` when the venue names a conference (``Conference``, ``Proceedings``, ``Workshop``,
  ``Symposium``, ...) or holds a well-known conference acronym (``ICLR``, ``NeurIPS``, ``ACL``, ...,
  see :data:`CONFERENCE_ACRONYMS`);
- ``JOUR`` for any other venue (``Nature``, ``Psychoneuroendocrinology``).

The venue goes in ``JO`` for ``JOUR`` and in ``T2`` otherwise.

Every value is written on one line: line breaks (of any kind) and the blanks around them become one
space, so an abstract wrapped over several lines reads back as one line, and text that looks like a tag
(``ER  - `` inside an abstract) stays inside its field.  Reading the output with
:mod:`litreview.io.readers.ris` gives back title, abstract, authors, year, month, venue, doi, url and
keywords unchanged, with these documented exceptions: text is flattened as just said and stripped;
author names are tidied by :func:`litreview.fields.names.first_last` (runs of blanks become one space, and a
name holding a comma, ``John Smith, Jr.``, is taken for ``Last, First``); a month without a year is not
written (``DA`` needs a year); a record with an arXiv id whose url is not its arXiv page gets a second ``UR`` with
``https://arxiv.org/abs/<id>`` (with ``v<version>`` when known), and one without a url gets that link as
its only ``UR`` (so it is read back as the url); the reader derives a DOI from a doi.org url and an
arXiv id from an arXiv url or DOI where the table had none; ``arxiv_version`` comes back only from an
arXiv link that carries it.  Not written: ``id``, ``categories``,
``notes``, ``quality_flags``, ``source``, ``provenance``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from litreview.fields.arxiv import arxiv_url, find_arxiv
from litreview.io.writers.base import integer, items, missing, venue_kind

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
    records = ["\n".join(_record_lines(row)) for row in papers.to_dict("records")]
    return "\n\n".join(records) + "\n" if records else ""


def _record_lines(row: dict[str, Any]) -> list[str]:
    venue = _text(row.get("venue"))
    kind = reference_type(venue)
    year, month = integer(row.get("year")), integer(row.get("month"))
    lines = [f"TY  - {kind}"]
    lines += _tagged("TI", [row.get("title")])
    lines += _tagged("AU", items(row.get("authors")))
    if year is not None:
        lines.append(f"PY  - {year:04d}")
        if month is not None and 1 <= month <= 12:
            lines.append(f"DA  - {year:04d}/{month:02d}//")
    lines += _tagged("JO" if kind == "JOUR" else "T2", [venue])
    lines += _tagged("AB", [row.get("abstract")])
    lines += _tagged("KW", items(row.get("keywords")))
    lines += _tagged("DO", [row.get("doi")])
    lines += _tagged("UR", _links(row))
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
