"""Readers, one module per input format.

Each reader module has ``FORMAT`` (its name), ``sniff(text) -> bool`` and
``read(text, file) -> ReadResult``.  Readers take decoded text, so they are
pure functions that tests can call on a string.  A reader with ``BINARY = True``
(Excel, Parquet) takes the file's bytes instead; readers of tables also take
``columns=``, a mapping from the file's column names to schema fields.

``sniff`` looks at the head of a file only, so detection stays fast on large ones.
"""

from __future__ import annotations

from types import ModuleType

from litreview.io.readers import (
    arxiv_atom,
    arxiv_dump,
    arxiv_oai,
    arxiv_snapshot,
    bibtex,
    csl_json,
    csv,
    digest,
    excel,
    json_records,
    medline,
    openalex,
    parquet,
    publist,
    ris,
    roundup,
    semantic_scholar,
    wos,
)
from litreview.io.readers.base import Problem, ReadResult

# Sniffed in this order: binary layouts, then the most specific text layouts,
# the loosest last (a generic JSON table after every JSON dialect, the digest last of all).
READERS: dict[str, ModuleType] = {
    module.FORMAT: module
    for module in (
        excel,
        parquet,
        bibtex,
        ris,
        wos,
        medline,
        arxiv_atom,
        arxiv_oai,
        arxiv_snapshot,
        openalex,
        semantic_scholar,
        csl_json,
        json_records,
        arxiv_dump,
        roundup,
        publist,
        csv,
        digest,
    )
}

SNIFF_CHARS = 65_536  # how much of a file the sniffers see

__all__ = ["READERS", "Problem", "ReadResult", "detect_format", "is_binary", "takes_columns"]


def is_binary(module: ModuleType) -> bool:
    return getattr(module, "BINARY", False)


def takes_columns(module: ModuleType) -> bool:
    """Whether the reader accepts a ``columns=`` mapping (the table readers)."""
    import inspect

    return "columns" in inspect.signature(module.read).parameters


# When no sniffer recognises a file, its name ending decides: a broken .bib is
# still read as BibTeX, so its problems are reported entry by entry.
BY_EXTENSION = {
    ".bib": "bibtex", ".bibtex": "bibtex", ".ris": "ris", ".ciw": "wos", ".nbib": "medline",
    ".csv": "csv", ".tsv": "csv", ".tab": "csv",
    ".json": "json-records", ".jsonl": "json-records", ".ndjson": "json-records",
    ".xlsx": "excel", ".xlsm": "excel", ".parquet": "parquet", ".pq": "parquet",
}  # fmt: skip


def detect_format(text: str | bytes, suffix: str = "") -> str | None:
    """The name of the reader that recognises ``text`` (or a file's bytes), or ``None``.

    Sniffers are asked in :data:`READERS` order, most specific first; when none
    recognises the content, a known file name ending (``suffix``) decides.
    """
    binary = isinstance(text, bytes)
    head = text[:SNIFF_CHARS]
    for module in READERS.values():
        if is_binary(module) == binary and module.sniff(head):
            return module.FORMAT
    fallback = BY_EXTENSION.get(suffix.lower())
    if fallback and is_binary(READERS[fallback]) == binary:
        return fallback
    return None
