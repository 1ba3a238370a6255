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
keywords never change the tags.)  A ``decision`` column (a screening decision, ``include`` or
``exclude``) goes out the same way, as the keyword ``screening:<decision>``.

**Your library back as you gave it.**  A record read from BibTeX, RIS, CSL-JSON or a table keeps its
citation ``key``, ``entry_type`` and every field as written (``source_fields``, see
:mod:`litreview.schema`).  Exported to the format it came from, it is written back from those: the same
key, entry type, fields and field order, values as written (macros, braces, LaTeX), with only the kit's
work overlaid: added keywords (topics, decision, keywords of merged duplicates), the fields the kit
filled in where the record had none (a title, an abstract, a DOI found by enrichment), and for BibTeX
the keys of merged duplicates as biblatex ``ids`` aliases, so every ``\\cite`` the user wrote still
resolves.  A table (CSV, Excel) keeps every original column and gets ``topics`` and ``decision``
columns.  A BibTeX export writes back the BibTeX sources' text outside the entries too (``@preamble``,
``@comment`` blocks, ``%`` notes and headings between entries), verbatim, each before the entry it preceded
(:mod:`litreview.io.writers.bibtex_blocks` says where each goes when the export selects, reorders, merges
or mixes files).  Whitespace between fields is the writer's (two-space indent, one field per line, a blank
line between entries); values are as read (RIS continuation lines joined).  Exported to another format,
a record is written from the table's columns plus its source's other fields through one crosswalk
(:mod:`litreview.io.crosswalk`): a field the target has no place for goes in the target's note (RIS
``N1``, CSL ``note``) or, in BibTeX and CSV, under its own name.

Keys: a record with a key keeps it; one without gets ``vaswani2017attention`` (made from the record,
so the same on every run), unique within the export (``...a``, ``...b``), in every format (RIS ``ID``,
CSL ``id``, CSV ``key``).

Nothing is dropped without a word: :func:`export_losses` lists the values a format has no place for
(the table's ``categories``, ``references``, ``citation_count``, ``external_ids`` in most formats), by
record; :func:`export` warns (:class:`litreview.errors.ExportWarning`) when any of them came from the
user's own records (a record with ``source_fields``).  :func:`export_changes` lists what an export will
write differently from the source file: merged records, filled fields, added keywords, made keys, and the
records and blocks outside the entries left out.
"""

from __future__ import annotations

import importlib
import os
import warnings
from pathlib import Path

import pandas as pd

from litreview.errors import ExportWarning
from litreview.io.writers.base import items, missing
from litreview.schema import COLUMNS

# format name -> writer module (imported when used)
WRITERS = {"bibtex": "bibtex", "ris": "ris", "csv": "csv", "csl-json": "csl_json"}
TOPIC_PREFIX = "topic:"
DECISION_PREFIX = "screening:"
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
    (9, True)
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
    table = with_topic_keywords(papers).reset_index(drop=True)
    text = writer.write(table, _outside_blocks(table, papers.attrs)) if format == "bibtex" else writer.write(table)
    losses = export_losses(papers, format)
    if "source_fields" in papers.columns:
        own = set(papers.loc[papers["source_fields"].notna(), "id"]) if "id" in papers.columns else set()
        losses = losses[losses["id"].isin(own)]
        if len(losses):
            warnings.warn(_losses_message(losses, format), ExportWarning, stacklevel=2)
    _warn_repeated_keys(papers)
    if path is not None:
        Path(path).write_text(text, encoding="utf-8")
    return text


def _outside_blocks(table: pd.DataFrame, attrs):
    """Where the BibTeX sources' ``@preamble``, ``@comment`` blocks and text between entries go; a warning
    names the files that could not be read again for them (or changed since the load, by the table's ``attrs``)."""
    from litreview.io.writers.bibtex_blocks import block_rows, loaded_digests, place_blocks

    placement = place_blocks(block_rows(table), loaded_digests(attrs))
    if placement.unread:
        shown = ", ".join(placement.unread[:3]) + (", ..." if len(placement.unread) > 3 else "")
        warnings.warn(f"the @preamble, @comment blocks and text between entries of {shown} (if any) are not "
                      "written: the file is not found from the working folder, or has changed since it was loaded",
                      ExportWarning, stacklevel=3)
    return placement


def _warn_repeated_keys(papers: pd.DataFrame) -> None:
    from litreview.io.writers.bibtex import repeated_keys

    repeated = repeated_keys(papers) if "key" in papers.columns else None
    if repeated is not None and len(repeated):
        shown = ", ".join(f"{k} -> {w}" for k, w in repeated[["key", "written"]].head(3).values)
        more = ", ..." if len(repeated) > 3 else ""
        n = len(repeated)
        said = f"{n} records repeat" if n > 1 else "1 record repeats"
        warnings.warn(f"{said} a citation key an earlier record has ({shown}{more}), written with a letter added "
                      "so that every key in the export is unique", ExportWarning, stacklevel=3)


def with_topic_keywords(papers: pd.DataFrame) -> pd.DataFrame:
    """``papers`` with each paper's ``topics`` added to its ``keywords`` as ``topic:<slug>``.

    The record's own keywords come first, then its topics in taxonomy order,
    each once, and not when the record already has it as a keyword (in any case).  A table without a
    ``topics`` column is returned as it is.
    """
    if "topics" not in papers.columns and "decision" not in papers.columns:
        return papers
    out = papers.copy()
    topics = papers["topics"] if "topics" in papers.columns else [[]] * len(papers)
    decisions = papers["decision"] if "decision" in papers.columns else [None] * len(papers)
    out["keywords"] = pd.Series(
        [_merged_keywords(items(own), items(t), d) for own, t, d in zip(papers["keywords"], topics, decisions)],
        index=papers.index,
        dtype=object,
    )
    return out


def _merged_keywords(own: list, topics: list, decision=None) -> list:
    """The record's keywords as they are (the writers clean them), then the topics and decision not among them."""
    present = {k.strip().casefold() for k in own if isinstance(k, str)}
    added = [f"{TOPIC_PREFIX}{slug}" for slug in dict.fromkeys(topics) if isinstance(slug, str) and slug]
    if not missing(decision) and str(decision).strip():
        added.append(f"{DECISION_PREFIX}{str(decision).strip().lower()}")
    return [*own, *(k for k in added if k.casefold() not in present)]


# Columns each format has no place for (the others are written; see each writer's docstring).
_NOT_WRITTEN = {
    "bibtex": ("categories", "references", "citation_count", "external_ids"),
    "ris": ("categories", "references", "citation_count", "external_ids"),
    "csl-json": ("categories", "notes", "references", "citation_count", "external_ids"),
    "csv": (),
}
_FIRST_IDS = 5


def export_losses(papers: pd.DataFrame, format: str) -> pd.DataFrame:
    """The values of ``papers`` that an export to ``format`` has no place for, one row per record and field.

    A record written back from its own source (BibTeX to BibTeX, ...) loses nothing: its fields are
    written as read (but the keys of merged duplicates, which only BibTeX keeps, as ``ids``: listed as
    ``key aliases`` for the other formats).  Otherwise the columns a format cannot hold are listed
    (BibTeX, RIS and CSL-JSON have no place for ``categories`` (BibTeX keeps an arXiv paper's first as
    ``primaryClass``), ``references``, ``citation_count`` and the database ids of ``external_ids``;
    CSL-JSON none for ``notes``).  A source's own fields are never lost: the crosswalk puts those
    without a place in a note.

    Parameters
    ----------
    papers : DataFrame
        A papers table, as given to :func:`export`.
    format : str
        One of :func:`export_formats`.

    Returns
    -------
    DataFrame
        Columns ``id``, ``key``, ``field``, ``value`` (as in the table).

    Examples
    --------
    >>> papers = tagged.head(2).assign(categories=[["cs.CL", "cs.LG"], []])
    >>> lr.export_losses(papers, "ris")[["field", "value"]].values.tolist()
    [['categories', ['cs.CL', 'cs.LG']]]
    >>> lr.export_losses(papers, "csv").empty
    True
    """
    from litreview.io.crosswalk import source_of

    if format not in WRITERS:
        raise ValueError(f"unknown export format {format!r}; choose one of {list(WRITERS)}")
    rows = []
    for row in papers.to_dict("records"):
        aliases = [str(v) for v in items(row.get("external_ids")) if str(v).startswith("key:")]
        if aliases and format != "bibtex":  # only biblatex has a place for a merged duplicate's key (ids)
            rows.append({"id": row.get("id"), "key": row.get("key"), "field": "key aliases",
                         "value": [a[len("key:") :] for a in aliases]})  # fmt: skip
        source = source_of(row)
        if source is not None and source[0] == format:
            continue
        for field in _NOT_WRITTEN[format]:
            value = row.get(field)
            if not isinstance(value, (str, type(None))) and hasattr(value, "__iter__"):
                value = list(value)
            if field == "external_ids":
                value = [v for v in items(value) if not str(v).startswith("key:")]
            empty = not value if isinstance(value, list) else missing(value)
            if empty:
                continue
            if format == "bibtex" and field == "categories" and row.get("arxiv_id") and len(value) == 1:
                continue  # written as primaryClass
            rows.append({"id": row.get("id"), "key": row.get("key"), "field": field, "value": value})
    return pd.DataFrame(rows, columns=["id", "key", "field", "value"])


def _losses_message(losses: pd.DataFrame, format: str) -> str:
    parts = []
    for field, group in losses.groupby("field", sort=False):
        ids = group["id"].astype(str).tolist()
        shown = ", ".join(ids[:_FIRST_IDS]) + (", ..." if len(ids) > _FIRST_IDS else "")
        parts.append(f"{field} of {len(ids)} record{'s' if len(ids) != 1 else ''} ({shown})")
    return f"{format} has no place for: {'; '.join(parts)}; lr.export_losses(papers, {format!r}) lists them"


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
