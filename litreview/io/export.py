"""``export()``: a papers table (or a selection of it) out to a file a
reference manager reads: BibTeX, RIS, CSV or CSL-JSON.

Each format has a writer module in :mod:`litreview.io.writers`; a file written by
:func:`export` reads back through :func:`litreview.load` as the same records
(the round-trip tests check it, field by field).
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path

import pandas as pd

from litreview.schema import COLUMNS

# format name -> writer module (imported when used)
WRITERS = {"bibtex": "bibtex", "ris": "ris", "csv": "csv", "csl-json": "csl_json"}
_BY_EXTENSION = {".bib": "bibtex", ".bibtex": "bibtex", ".ris": "ris", ".csv": "csv", ".json": "csl-json"}


def export(papers: pd.DataFrame, path: str | os.PathLike | None = None, *, format: str | None = None) -> str:
    """Write ``papers`` as ``format`` and return the text; also save it to ``path`` if given.

    The format is named, or taken from the file name ending (``.bib``,
    ``.ris``, ``.csv``, ``.json`` for CSL-JSON).  Files are UTF-8.

    >>> lr.export(tagged[lr.has_topic(tagged, "peft")], "peft.bib")  # doctest: +SKIP
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
    text = writer.write(papers.reset_index(drop=True))
    if path is not None:
        Path(path).write_text(text, encoding="utf-8")
    return text


def export_formats() -> list[str]:
    """Names of the export formats, for ``export(format=...)``."""
    return list(WRITERS)
