"""CSL-JSON export of a papers table, for Zotero, pandoc (``--citeproc``) and other CSL processors.

A record read from CSL-JSON is written back as it was read: its ``id`` (the citation key), ``type`` and
every other key in the order read, with the kit's additions only: keywords the table has and the item
lacks (topics, a screening decision) appended to ``keyword``, and the fields the kit filled in where
the item has none.

Any other row: a pretty-printed JSON array (UTF-8, non-ASCII characters as themselves), one item per row, keys
in this order: ``id`` (the citation key: the source's, else one made as for BibTeX, ``vaswani2017attention``),
``type``, ``title``, ``author``, ``issued`` (``{"date-parts": [[year, month]]}``, or ``[[year]]``),
``container-title`` or ``publisher``, ``DOI``, ``URL``, ``number`` or ``note`` (the arXiv id), ``abstract``,
``keyword``, then the source's fields the schema does not model, by :mod:`litreview.io.crosswalk` (``volume``,
``issue``, ``page``, ``publisher``, ``ISSN``, ``ISBN``, ``editor``, ``publisher-place``, ``language``,
``collection-title``, ``edition``), and any other source field as a ``name: value`` line of ``note`` (after the
arXiv id and the source's note).  Missing values are left out.

The item type: the source's entry type through :data:`litreview.io.crosswalk.TYPES`
(``@inproceedings`` is ``paper-conference``), else by the venue:

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
``categories`` (CSL has no place for them), ``notes``, ``quality_flags``, ``source``, ``provenance``; the
paper's ``id`` (the item ``id`` is the citation key).
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd

from litreview.io.crosswalk import field_name, source_of, target_type, unmodelled
from litreview.io.writers.base import added_keywords, integer, items, missing, venue_kind
from litreview.io.writers.bibtex import citation_keys

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
    rows = papers.to_dict("records")
    items = [_write_item(row, key) for row, key in zip(rows, citation_keys(papers))]
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


def _write_item(row: dict[str, Any], key: str) -> dict[str, Any]:
    source = source_of(row)
    if source is not None and source[0] == FORMAT:
        return _source_item(row, key, source[1])
    item = _item(row, key)
    concepts, leftovers = unmodelled(*source, row.get("entry_type")) if source else ({}, [])
    notes = [item["note"]] if "note" in item else []
    for concept, value in concepts.items():
        if concept == "note":
            notes.append(value)
        elif concept == "editor":
            item["editor"] = [csl_name(str(name)) for name in value]
        elif concept == "pages":
            item["page"] = value.replace("--", "-")
        elif not (concept == "publisher" and "publisher" in item):
            item[field_name(concept, FORMAT)] = value
    notes += [f"{name}: {value}" for name, value in leftovers]  # nothing dropped: Zotero's "Extra" lines
    if notes:
        item["note"] = "\n".join(notes)
    return item


def _source_item(row: dict[str, Any], key: str, fields: list[list[Any]]) -> dict[str, Any]:
    """The source item as read, with the kit's keywords added to ``keyword`` and the fields it filled in."""
    item: dict[str, Any] = {"id": key, "type": _text(row.get("entry_type")) or "document"}
    item.update((str(name), value) for name, value in fields)
    own = item.get("keyword") if isinstance(item.get("keyword"), str) else ""
    added = added_keywords(row.get("keywords"), [w.strip() for w in own.replace(";", ",").split(",")])
    if added:
        joiner = "; " if ";" in own or any("," in word for word in added) else ", "
        item["keyword"] = joiner.join(([own] if own.strip() else []) + added)
    source_text = row["source_fields"].casefold()
    for name, value in _item(row, key).items():
        if name in item or name == "keyword" or (name == "container-title" and "publisher" in item):
            continue
        derived = row.get("arxiv_id") if name in ("number", "note") else value
        if name in ("DOI", "URL", "number", "note") and str(derived).casefold() in source_text:
            continue  # read from another field of the item (an arXiv id from its URL)
        item[name] = value
    return item


def _item(row: dict[str, Any], key: str) -> dict[str, Any]:
    venue = _text(row.get("venue"))
    kind = target_type(row.get("entry_type"), FORMAT) or item_type(venue)
    item: dict[str, Any] = {"id": key, "type": kind}
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
