"""CSL-JSON export of a papers table, for Zotero, pandoc (``--citeproc``) and other CSL processors.

A pretty-printed JSON array (UTF-8, non-ASCII characters as themselves), one item per row, keys always
in this order: ``id`` (the paper's ``id``; ``row-<n>`` for a row without one), ``type``, ``title``,
``author``, ``issued`` (``{"date-parts": [[year, month]]}``, or ``[[year]]``), ``container-title`` or
``publisher``, ``DOI``, ``URL``, ``number`` or ``note`` (the arXiv id), ``abstract``, ``keyword``.
Missing values are left out.

The item type:

- ``article`` (CSL's preprint type) when the venue is a preprint server (``arXiv``, ``bioRxiv``,
  ``CoRR``, ...) or missing; the server goes in ``publisher`` and the arXiv id in ``number`` as
  ``arXiv:<id>`` (``v<version>`` when known), as Zotero writes preprints;
- ``paper-conference`` when the venue names a conference (``Conference``, ``Proceedings``,
  ``Workshop``, ``Symposium``, ...) or is a well-known conference acronym (``ICLR``, ``NeurIPS``, ...,
  see :data:`CONFERENCE_ACRONYMS`);
- ``article-journal`` for any other venue.

For the last two the venue is the ``container-title`` and the arXiv id goes in ``note`` as
``arXiv:<id>`` (Zotero's Extra field).

Authors: a name of two or more words, each starting with a capital letter, single-spaced, with no comma
and no suffix (``Jr.``, ``III``) is split into ``given`` (all but the last word) and ``family`` (the last
word).  Every other name (particles such as ``van der``, one-word names, lower-case or uncased scripts)
is written as ``literal``, so it reads back exactly.  Multi-word family names without a particle
(``Gabriel García Márquez``) are therefore split at the last word: citations show ``Márquez, G. G.``.

Keywords are one ``keyword`` string, joined with ``, `` (with ``; `` when a keyword holds a comma).

Reading the output with :mod:`litreview.io.readers.csl_json` gives back title, abstract, authors, year,
month, venue, arxiv_id, doi, url and keywords unchanged, with these exceptions: text is stripped; a
keyword holding a semicolon is split there (CSL keeps keywords in one string); repeated keywords are
read once; a month without a year is not written; the reader takes an arXiv id from an arXiv DOI or URL
where the table had none, and stores a venue such as ``arXiv preprint arXiv:2106.09685`` as ``arXiv``.  Not written:
``categories`` (CSL has no place for them), ``notes``, ``quality_flags``, ``source``, ``provenance``.
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd

from litreview.io.writers.base import integer, items, missing, venue_kind

FORMAT = "csl-json"
EXTENSION = ".json"

_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "v"})


def item_type(venue: str | None) -> str:
    """``article``, ``paper-conference`` or ``article-journal`` for a venue, by the rule above.

    >>> item_type("arXiv"), item_type(None), item_type("ICLR 2024"), item_type("Nature")
    ('article', 'article', 'paper-conference', 'article-journal')
    """
    return {"preprint": "article", "journal": "article-journal", "conference": "paper-conference"}[venue_kind(venue)]


def csl_name(name: str) -> dict[str, str]:
    """``{"family", "given"}`` where the split is safe, else ``{"literal": name}``.

    >>> csl_name("Ashish Vaswani"), csl_name("Laurens van der Maaten")
    ({'family': 'Vaswani', 'given': 'Ashish'}, {'literal': 'Laurens van der Maaten'})
    """
    words = name.split(" ")
    simple = (
        len(words) >= 2
        and "," not in name
        and all(word and word[0].isupper() for word in words)
        and words[-1].lower() not in _SUFFIXES
    )
    if not simple:
        return {"literal": name}
    return {"family": words[-1], "given": " ".join(words[:-1])}


def write(papers: pd.DataFrame) -> str:
    """The papers table (see :mod:`litreview.schema`) as a CSL-JSON array, one item per row."""
    items = [_item(row, n) for n, row in enumerate(papers.to_dict("records"), start=1)]
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


def _item(row: dict[str, Any], number: int) -> dict[str, Any]:
    venue = _text(row.get("venue"))
    kind = item_type(venue)
    item: dict[str, Any] = {"id": _text(row.get("id")) or f"row-{number}", "type": kind}
    item["title"] = _text(row.get("title"))
    item["author"] = [csl_name(name) for name in (_text(a) for a in items(row.get("authors"))) if name] or None
    item["issued"] = _issued(integer(row.get("year")), integer(row.get("month")))
    item["publisher" if kind == "article" else "container-title"] = venue
    item["DOI"] = _text(row.get("doi"))
    item["URL"] = _text(row.get("url"))
    arxiv_id = _text(row.get("arxiv_id"))
    if arxiv_id:
        version = integer(row.get("arxiv_version"))
        item["number" if kind == "article" else "note"] = f"arXiv:{arxiv_id}" + (f"v{version}" if version else "")
    item["abstract"] = _text(row.get("abstract"))
    item["keyword"] = _keyword(items(row.get("keywords")))
    return {key: value for key, value in item.items() if value is not None}


def _issued(year: int | None, month: int | None) -> dict | None:
    if year is None:
        return None
    parts = [year, month] if month is not None and 1 <= month <= 12 else [year]
    return {"date-parts": [parts]}


def _keyword(keywords: list[Any]) -> str | None:
    words = [word for word in map(_text, keywords) if word]
    if not words:
        return None
    if not any("," in word for word in words):
        return ", ".join(words)
    # The reader splits at ";" whenever there is one: a lone keyword holding a comma gets a trailing ";".
    return "; ".join(words) + (";" if len(words) == 1 else "")


def _text(value: Any) -> str | None:
    if missing(value):
        return None
    return str(value).strip() or None
