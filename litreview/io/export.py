"""``export()``: a papers table (or a selection of it) out to a file a
reference manager reads: BibTeX, RIS, CSV or CSL-JSON.

Each format has a writer module in :mod:`litreview.io.writers`; a file written by
:func:`export` reads back through :func:`litreview.load` as the same records
(the round-trip tests check it, field by field).

Tags go back to the reference manager as keywords: when the table has a
``topics`` column (from :func:`litreview.tag`), every format writes each topic
as the keyword ``topic:<slug>`` (RIS ``KW``, BibTeX ``keywords``, CSL-JSON
``keyword``, CSV ``keywords``) after the record's own keywords, leaving out a
keyword already there.  The ``topic:`` prefix is what makes the round trip
clean: a paper's own keyword ``PEFT`` and the kit's tag ``topic:peft`` stay
apart when the file is read back (by :func:`litreview.load`, Zotero or
JabRef), so a tag is never mistaken for an author's keyword, a reference
manager can select the tagged papers by the prefix, and exporting a reloaded,
re-tagged corpus writes the same keywords again instead of adding
duplicates.  (The tagger matches title, abstract and notes only, so the
keywords never change the tags.)
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path

import pandas as pd

from litreview.io.writers.base import items
from litreview.schema import COLUMNS

# format name -> writer module (imported when used)
WRITERS = {"bibtex": "bibtex", "ris": "ris", "csv": "csv", "csl-json": "csl_json"}
TOPIC_PREFIX = "topic:"
_BY_EXTENSION = {".bib": "bibtex", ".bibtex": "bibtex", ".ris": "ris", ".csv": "csv", ".json": "csl-json"}


def export(papers: pd.DataFrame, path: str | os.PathLike | None = None, *, format: str | None = None) -> str:
    """Write ``papers`` as ``format`` and return the text; also save it to ``path`` if given.

    Parameters
    ----------
    papers : DataFrame
        A papers table (:func:`litreview.load`), or a selection of it; its ``topics`` (from
        :func:`litreview.tag`), when present, are written as ``topic:<slug>`` keywords.
    path : str or path-like, optional
        The file to write (UTF-8).
    format : str, optional
        One of :func:`export_formats`; by default taken from the ending of ``path`` (``.bib``,
        ``.ris``, ``.csv``, ``.json`` for CSL-JSON).

    Returns
    -------
    str
        The file's text.

    Examples
    --------
    >>> peft = tagged[lr.has_topic(tagged, "peft")]
    >>> text = lr.export(peft, format="ris")
    >>> text.count("TY  - "), "KW  - topic:peft" in text
    (10, True)
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "peft.bib"
    >>> _ = lr.export(peft, path)              # BibTeX, from the ending
    >>> lr.load(path)["id"].tolist() == peft["id"].tolist()
    True
    """
    if format is None:
        if path is None:
            raise ValueError(f"name a format= ({', '.join(WRITERS)}) or a path to take it from")
        suffix = Path(path).suffix.lower()
        if suffix not in _BY_EXTENSION:
            raise ValueError(
                f"cannot tell the export format from {Path(path).name!r}; name format= one of {list(WRITERS)}"
            )
        format = _BY_EXTENSION[suffix]
    if format not in WRITERS:
        raise ValueError(f"unknown export format {format!r}; choose one of {list(WRITERS)}")
    if not isinstance(papers, pd.DataFrame):
        raise TypeError(f"export takes a papers table (a DataFrame), not {type(papers).__name__}")
    missing = [c for c in COLUMNS if c not in papers.columns and c not in ("id", "source", "provenance")]
    if missing:
        raise ValueError(f"the table lacks the schema columns {missing}; export a table from lr.load()")
    writer = importlib.import_module(f".writers.{WRITERS[format]}", __package__)
    text = writer.write(with_topic_keywords(papers).reset_index(drop=True))
    if path is not None:
        Path(path).write_text(text, encoding="utf-8")
    return text


def with_topic_keywords(papers: pd.DataFrame) -> pd.DataFrame:
    """``papers`` with each paper's ``topics`` added to its ``keywords`` as ``topic:<slug>``.

    The record's own keywords come first, then its topics in taxonomy order,
    each once, and not when the record already has it as a keyword (in any case).  A table without a
    ``topics`` column is returned as it is.
    """
    if "topics" not in papers.columns:
        return papers
    out = papers.copy()
    out["keywords"] = pd.Series(
        [_merged_keywords(items(own), items(topics)) for own, topics in zip(papers["keywords"], papers["topics"])],
        index=papers.index,
        dtype=object,
    )
    return out


def _merged_keywords(own: list, topics: list) -> list:
    """The record's keywords as they are (the writers clean them), then the topics not among them."""
    present = {k.strip().casefold() for k in own if isinstance(k, str)}
    added = [f"{TOPIC_PREFIX}{slug}" for slug in dict.fromkeys(topics) if isinstance(slug, str) and slug]
    return [*own, *(k for k in added if k.casefold() not in present)]


def export_formats() -> list[str]:
    """Names of the export formats, for ``export(format=...)``.

    Returns
    -------
    list of str

    Examples
    --------
    >>> lr.export_formats()
    ['bibtex', 'ris', 'csv', 'csl-json']
    """
    return list(WRITERS)
