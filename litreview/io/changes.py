"""``export_changes()``: what an export of a papers table will write differently from the source file(s),
so a user sees what Zotero (or LaTeX) will receive before importing it.

The source is read again (without merging, its records by ``file:line``) and each paper of the table is
compared with the source record it was written back from (its ``source``), as :mod:`litreview.io.export`
writes it: values the source already has are written as read, so only these can differ:

- ``merged``: a record of the source folded into the paper (its key becomes an alias: biblatex ``ids``);
- ``filled``: a field the source record lacks and the table has (a title, abstract or DOI found by
  enrichment or taken from a merged duplicate);
- ``keywords added``: the topics (``topic:<slug>``), a screening decision (``screening:<decision>``)
  and merged records' keywords the source record lacks;
- ``key made``: a record without a citation key gets one;
- ``topics added``: a CSV export of tables gives the kit's topics a ``topics`` column;
- ``key changed``: a record whose key an earlier record of the source already has gets a letter added;
- ``left out``: a record of the source that is in no row of the table (a selection, or skipped on load),
  and a BibTeX source's ``@preamble`` and ``@comment`` blocks (field ``@preamble`` or ``@comment``) and the
  text between its entries (field ``comment``: ``%`` lines, headings, which BibTeX reads as comments) that
  the export does not write back: all of them in another format; in BibTeX (which writes them back, see
  :mod:`litreview.io.writers.bibtex_blocks`) those before an entry the table leaves out, and those of a file
  that gave no row or cannot be read again.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterable

import pandas as pd

from litreview.io.writers.base import items, missing, restates_ids

CHANGE_COLUMNS = ["id", "key", "source", "change", "field", "value"]
_FILLED = ("title", "authors", "year", "venue", "abstract", "doi", "url", "arxiv_id")


def export_changes(papers: pd.DataFrame, source: str | os.PathLike | Iterable[str | os.PathLike],
                   format: str = "bibtex") -> pd.DataFrame:
    """What exporting ``papers`` will write differently from ``source``, one row per change.

    Parameters
    ----------
    papers : DataFrame
        The table to export (a tagged, screened or enriched :func:`litreview.load` of ``source``, or a
        selection of it).
    source : path or list of paths
        The file(s) the table was loaded from, as given to :func:`litreview.load`.
    format : str, default "bibtex"
        The export's format (``bibtex``, ``ris``, ``csl-json``, ``csv``): what it writes differs.  An RIS
        record written to RIS, or a table row to CSV, is its own source again, so no key is made for it;
        a table's rows take the topics in a ``topics`` column, not in ``keywords``.

    Returns
    -------
    DataFrame
        Columns ``id`` and ``key`` (the paper's), ``source`` (the source record, ``file:line``),
        ``change`` (``merged``, ``filled``, ``keywords added``, ``topics added``, ``key made``, ``key changed``,
        ``left out``), ``field``
        and ``value`` (what the export writes; for ``merged``, the folded record's key).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> bib = pathlib.Path(tempfile.mkdtemp()) / "mine.bib"
    >>> _ = bib.write_text("@Article{Hu2021,\\n  title = {LoRA: Low-Rank Adaptation of Large Language Models},\\n"
    ...                    "  year = 2021,\\n}\\n@misc{hu-lora, title = {LoRA: low-rank adaptation of large language"
    ...                    " models}, year = 2021, eprint = {2106.09685}}\\n")
    >>> mine = lr.tag(lr.load(bib))
    >>> for change in lr.export_changes(mine, bib)[["key", "change", "field", "value"]].values.tolist():
    ...     print(change)
    ['Hu2021', 'merged', 'key', 'hu-lora']
    ['Hu2021', 'filled', 'arxiv_id', '2106.09685']
    ['Hu2021', 'keywords added', 'keywords', 'topic:peft']
    """
    from litreview.io.crosswalk import source_of
    from litreview.io.export import WRITERS
    from litreview.io.load import load
    from litreview.io.writers.bibtex import citation_keys
    from litreview.io.writers.csv import TABLE_FORMATS

    if not isinstance(papers, pd.DataFrame):
        raise TypeError(f"export_changes takes a papers table (a DataFrame), not {type(papers).__name__}")
    if format not in WRITERS:
        raise ValueError(f"format: unknown export format {format!r}; choose one of {list(WRITERS)}")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the load's own warnings were said when the table was loaded
        records = load(source, merge=False, errors="skip", progress=False)
    by_source = {row["source"]: row for row in records.to_dict("records")}
    exported = pd.DataFrame(papers).reset_index(drop=True)
    keys = citation_keys(exported) if len(exported) else []
    from litreview.io.export import with_topic_keywords

    written = with_topic_keywords(exported)
    formats = [(source_of(row) or (None,))[0] for row in exported.to_dict("records")]
    # The formats whose writer copies a record of that format back as it came (no key of its own made).
    as_given = {"ris": ("ris",), "csv": TABLE_FORMATS}.get(format, ())
    table_rows = format == "csv" and any(f in TABLE_FORMATS for f in formats)  # CSV of the tables' columns
    changes: list[dict] = []
    seen: set[str] = set()
    for row, out, key, own_format in zip(exported.to_dict("records"), written.to_dict("records"), keys, formats):
        base = {"id": row.get("id"), "key": key}
        provenance = [s for s in items(row.get("provenance")) if s in by_source] or [row.get("source")]
        seen.update(provenance)
        kept = by_source.get(row.get("source"))
        for other in provenance[1:]:
            folded = by_source[other]
            changes.append({**base, "source": other, "change": "merged", "field": "key", "value": folded.get("key")})
        if kept is None:
            continue
        where = {**base, "source": row.get("source")}
        if missing(kept.get("key")):
            if own_format not in as_given and not table_rows:
                changes.append({**where, "change": "key made", "field": "key", "value": key})
        elif kept.get("key") != key:  # the source repeats this key: a letter was added
            changes.append({**where, "change": "key changed", "field": "key", "value": key})
        for field in _FILLED:
            if field == "url" and format == "bibtex" and restates_ids(row.get("url"), kept.get("arxiv_id"),
                                                                      kept.get("doi")):
                continue  # the BibTeX writer leaves out a link to the entry's own arXiv id or DOI
            if _empty(kept.get(field)) and not _empty(row.get(field)):
                changes.append({**where, "change": "filled", "field": field, "value": row.get(field)})
        own = {str(k).strip().casefold() for k in items(kept.get("keywords"))}
        added = [k for k in items(out.get("keywords")) if str(k).strip().casefold() not in own]
        if added and table_rows:  # a table gets the kit's topics as a column of their own
            topics = "; ".join(items(row.get("topics")))
            if topics:
                changes.append({**where, "change": "topics added", "field": "topics", "value": topics})
        elif added:
            changes.append({**where, "change": "keywords added", "field": "keywords", "value": ", ".join(added)})
    for label, record in by_source.items():
        if label not in seen:
            changes.append({"id": None, "key": record.get("key"), "source": label, "change": "left out",
                            "field": None, "value": None})  # fmt: skip
    written_blocks = _blocks_written(exported, papers.attrs) if format == "bibtex" else set()
    changes += _blocks_left_out(source, written_blocks)
    return pd.DataFrame(changes, columns=CHANGE_COLUMNS, dtype=object)


def _blocks_written(exported: pd.DataFrame, attrs) -> set[str]:
    """The ``file:line`` of each block outside the entries that a BibTeX export of ``exported`` writes back."""
    from litreview.io.writers.bibtex_blocks import block_rows, loaded_digests, place_blocks

    return place_blocks(block_rows(exported), loaded_digests(attrs)).written if len(exported) else set()


def _blocks_left_out(source, written: set[str]) -> list[dict]:
    """A ``left out`` row for each ``@preamble`` and ``@comment`` block of the BibTeX sources (field
    ``@preamble``, ``@comment``) and each run of other text between their entries (``comment``: BibTeX reads it
    as one) that is not ``written``, with the first 80 characters of its text, whitespace runs as one space."""
    from litreview.io.load import _expand, display_path
    from litreview.io.writers.bibtex_blocks import is_bibtex_name, outside_blocks

    rows = []
    for path in _expand(source):
        if not is_bibtex_name(path.name) or not path.is_file():
            continue
        for block in outside_blocks(path.read_bytes()):  # (parsed once, with the export's placing of them)
            where = f"{display_path(path)}:{block.line}"
            if where in written:
                continue
            rows.append({"id": None, "key": None, "source": where, "change": "left out",
                         "field": "comment" if block.kind == "text" else f"@{block.kind}",
                         "value": " ".join(block.contents.split())[:80]})
    return rows


def _empty(value) -> bool:
    if isinstance(value, str) or value is None:
        return not value
    if hasattr(value, "__len__"):
        return len(value) == 0
    return missing(value)
