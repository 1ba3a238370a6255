"""The one record schema every reader produces and every analysis consumes.

Each row of a papers table is one paper.  Unknown values are missing (``None`` /
``<NA>``), never guessed.

- ``id`` (str): stable identifier: ``arxiv:2106.09685``, ``doi:10.1/x`` or a
  slug of the normalised title (``title:lima-less-is-more-for-alignment``)
- ``title`` (str): title as given by the source
- ``abstract`` (str): the paper's abstract (never commentary about it), each run of whitespace one space
  and a PDF's soft hyphens joined; missing where the source gives a placeholder (``Abstract Unavailable``,
  the title again, an author's name: :mod:`litreview.io.abstracts`)
- ``authors`` (list[str]): author names as ``First Last``; empty when unknown
- ``year`` (Int64): year of first public appearance (publication or first arXiv version)
- ``month`` (Int64): month, 1-12, where the source gives it
- ``venue`` (str): journal, conference or archive (``arXiv``, ``ICLR``)
- ``arxiv_id`` (str): arXiv identifier without version (``2303.11366``)
- ``arxiv_version`` (Int64): the arXiv version the source named (``v1`` -> 1)
- ``doi`` (str): lower-case DOI without resolver prefix
- ``url`` (str): a link to the paper
- ``keywords`` (list[str]): keywords, or the section or issue the source filed it under
- ``categories`` (list[str]): subject categories the source assigns (arXiv's
  ``cs.CL``, a database's subject areas)
- ``notes`` (str): commentary the source gives about the paper (a newsletter's
  discussion); not the abstract
- ``quality_flags`` (list[str]): data-quality flags: ``mojibake-repaired``,
  ``mojibake``, ``authors-incomplete``, ``no-abstract``, ``placeholder-abstract``, ``soft-hyphens-joined``,
  ``shared-abstract`` (another paper carries the same abstract under a different title), ``withdrawn`` (the
  abstract was a withdrawal notice alone, left missing), ``retracted``, ``retraction-notice``, ``erratum`` (as
  PubMed's publication types say)
- ``references`` (list[str]): the works this paper cites, each as the source wrote it (a Web of Science
  ``CR`` line, a Scopus reference, or a prefixed id such as ``doi:10.1/x`` or ``openalex:W123``); empty
  when the format gives none.  :func:`litreview.references` parses and resolves them
- ``citation_count`` (Int64): citations the source counts for the paper (Web of Science ``TC``, Scopus
  ``Cited by``, OpenAlex ``cited_by_count``, Semantic Scholar ``citationCount``)
- ``external_ids`` (list[str]): the paper's ids in the databases it came from (``openalex:W123``,
  ``s2:<paper id>``, ``wos:WOS:000...``, ``scopus:2-s2.0-...``, ``pmid:123``, ``pmcid:PMC123``, ``nihms:NIHMS123``)
- ``key`` (str): the citation key as the source gave it (BibTeX key, RIS ``ID``, CSL-JSON ``id``, a
  table's ``key``/``citation key`` column); missing where the source has none (the export then makes one)
- ``entry_type`` (str): the entry type as the source gave it (BibTeX ``Article``, RIS ``JOUR``, CSL
  ``article-journal``, a table's ``item type``/``document type`` column)
- ``source_fields`` (str): the source record itself, as a JSON string ``{"format": "bibtex", "fields":
  [[name, value], ...]}``: every field of the record (the modelled ones too), in the order given, with
  names and values verbatim (BibTeX values as written, delimiters and macros included; RIS one pair per
  tag line; a table's every column; CSL-JSON's every item key but ``id`` and ``type``, values as JSON).
  It is what makes export lossless (:mod:`litreview.io.export`).  Filled by the BibTeX, RIS, CSV/TSV,
  Excel and CSL-JSON readers only; the bulk formats (OpenAlex, Semantic Scholar, arXiv, JSON Lines,
  Parquet) leave ``key``, ``entry_type`` and ``source_fields`` missing
- ``source`` (str): where the record came from: ``file:line`` of its first source
- ``provenance`` (list[str]): every ``file:line`` merged into this record
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

COLUMNS: tuple[str, ...] = (
    "id",
    "title",
    "abstract",
    "authors",
    "year",
    "month",
    "venue",
    "arxiv_id",
    "arxiv_version",
    "doi",
    "url",
    "keywords",
    "categories",
    "notes",
    "quality_flags",
    "references",
    "citation_count",
    "external_ids",
    "key",
    "entry_type",
    "source_fields",
    "source",
    "provenance",
)

LIST_COLUMNS: tuple[str, ...] = (
    "authors", "keywords", "categories", "quality_flags", "references", "external_ids", "provenance",
)  # fmt: skip
INT_COLUMNS: tuple[str, ...] = ("year", "month", "arxiv_version", "citation_count")
TEXT_COLUMNS: tuple[str, ...] = tuple(c for c in COLUMNS if c not in LIST_COLUMNS and c not in INT_COLUMNS)


def to_frame(records: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """Build a papers table in the schema from record dicts.

    Missing keys become missing values; keys outside the schema are an error,
    so a reader cannot invent columns by accident.
    """
    allowed = frozenset(COLUMNS)
    rows = []
    for rec in records:
        if not allowed.issuperset(rec):
            raise KeyError(f"fields outside the schema: {sorted(set(rec) - allowed)}")
        rows.append(rec)
    # object columns throughout: conform() gives each its type once, without a detour through inference
    frame = pd.DataFrame({col: [rec.get(col) for rec in rows] for col in COLUMNS}, dtype=object)
    return conform(frame)


def conform(frame: pd.DataFrame) -> pd.DataFrame:
    """Give ``frame`` the schema's columns, in order, with the schema's types."""
    # Built from whole columns in two tables, not by setting some 30 columns one by one (~5 ms a table,
    # most of the work for the small tables of one file): the object columns, then the rest.
    n = len(frame)
    index = pd.RangeIndex(n)
    given = dict(frame.items())
    nothing = [None] * n
    texts, others = {}, {}
    for col in COLUMNS:
        cells = given.get(col, nothing)
        if col in LIST_COLUMNS:
            cells = [v if type(v) is list else list(v) if isinstance(v, tuple) else [] for v in cells]
            if n:
                texts[col] = np.fromiter(cells, dtype=object, count=n)
            else:  # (a table without rows: float64, as pandas gives a column set to an empty list)
                others[col] = np.array([], dtype="float64")
        elif col in INT_COLUMNS:
            if cells is not nothing and cells.dtype == "Int64":
                others[col] = cells.array.copy()
            else:
                others[col] = pd.array([None if _missing(v) else int(v) for v in cells], dtype="Int64")
        else:
            # (the common cells, text that is not blank and missing values, without a call each)
            texts[col] = np.fromiter(
                (v if type(v) is str and v and not v.isspace() else None if v is None else _text(v) for v in cells),
                dtype=object,
                count=n,
            )
    extra = [col for col in given if col not in COLUMNS]
    out = pd.concat(
        [pd.DataFrame(texts, index=index, dtype=object),  # (object: no str dtype inferred for the texts)
         pd.DataFrame(others, index=index),
         pd.DataFrame({col: given[col].reset_index(drop=True) for col in extra}, index=index)],
        axis=1,
    )[[*COLUMNS, *extra]]
    # (attrs, where the load account lives, and flags: as frame.copy() would keep them)
    return out.__finalize__(frame)


def _text(value: Any) -> str | None:
    """A text cell: blank text (``""``, ``"\\r"``, spaces) is missing, as every format reads it."""
    if type(value) is str:
        return None if not value or value.isspace() else value
    return None if _missing(value) else str(value) or None


def _missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


_WORDS = re.compile(r"\S+")


def display_title(record: Mapping[str, Any], words: int = 8) -> str:
    """A human-readable name for a paper, even when it has no title.

    A paper without a title is shown by its arXiv id (else its ``id``) and the
    opening words of its abstract: ``[2106.09685] An important paradigm of natural language ...``.

    Parameters
    ----------
    record : mapping
        One paper: a dict, or a row of a papers table (``title``, ``abstract``, ``arxiv_id``, ``id``
        are read where present).
    words : int
        How many opening words of the abstract to show.

    Returns
    -------
    str
        The title; else ``[id] opening words ...``; ``(untitled)`` when the record has none of these.

    Examples
    --------
    >>> lr.display_title({"title": "LoRA"})
    'LoRA'
    >>> lr.display_title({"arxiv_id": "2106.09685", "abstract": "An important paradigm of NLP is ..."}, words=3)
    '[2106.09685] An important paradigm ...'
    >>> lr.display_title({})
    '(untitled)'
    """
    title = record.get("title")
    if not _missing(title) and title:
        return str(title)
    abstract = record.get("abstract")
    opening = ""
    if not _missing(abstract) and abstract:
        tokens = _WORDS.findall(str(abstract))
        opening = " ".join(tokens[:words]) + (" ..." if len(tokens) > words else "")
    ident = record.get("arxiv_id")
    if _missing(ident) or not ident:
        ident = record.get("id")
    label = f"[{ident}]" if ident else ""
    return " ".join(part for part in (label, opening) if part) or "(untitled)"


def display_titles(papers: pd.DataFrame, words: int = 8) -> pd.Series:
    """:func:`display_title` for every row of ``papers``.

    Parameters
    ----------
    papers : DataFrame
        A papers table.
    words : int
        How many opening words of an abstract to show for a paper without a title.

    Returns
    -------
    Series
        Named ``display_title``, on the index of ``papers``.

    Examples
    --------
    >>> papers = pd.DataFrame({"id": ["a", "b"], "title": ["LoRA", None], "abstract": [None, "We fine-tune GPT-3"]})
    >>> lr.display_titles(papers, words=2).tolist()
    ['LoRA', '[b] We fine-tune ...']
    """
    return pd.Series(
        [display_title(rec, words) for rec in papers.to_dict("records")],
        index=papers.index,
        name="display_title",
        dtype="object",
    )
