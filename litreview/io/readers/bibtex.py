"""BibTeX (``.bib``): every entry with a title, abstract, DOI or arXiv id becomes a record.

What is read:

- entries of any type (``@article``, ``@ARTICLE``, ``@Conference``, ``@misc``, ...), delimited by
  braces or parentheses; field values in braces (nested), in quotes, numbers and ``@string`` macros,
  joined with ``#``; the standard month macros ``jan`` .. ``dec``; ``@comment``, ``@preamble`` and
  text between entries (``%`` lines, ``###`` headings) give no record (a BibTeX export reads them again
  from the file and writes them back: :mod:`litreview.io.writers.bibtex_blocks`);
- ``title``, ``abstract``; ``author`` split on ``and`` (``Last, First`` becomes ``First Last``;
  ``{Google DeepMind}`` stays one name; ``and others`` flags ``authors-incomplete``); ``year``;
  ``month`` (macro, name or number); ``date`` (biblatex) when there is no year;
- ``venue`` from ``journal`` (or biblatex ``journaltitle``), else ``booktitle``, else ``howpublished``
  (unless it is a link), else ``institution``, ``school``, and ``publisher`` if nothing else; a venue
  that only says arXiv (``arXiv preprint arXiv:2106.09685``, ``arxiv:1611.07800``) is ``arXiv``;
- ``arxiv_id`` and ``arxiv_version`` from ``eprint`` (with ``archivePrefix``/``eprinttype`` arXiv,
  or none), from the venue text, from an arxiv.org link (``abs``, ``pdf``, ``html``, ``format``), or
  from a DataCite DOI ``10.48550/arXiv.2106.09685`` (the rules of :mod:`litreview.fields.arxiv`);
  ``categories`` from ``primaryClass`` of an arXiv entry;
- ``doi``, ``url`` (or a link given as ``howpublished``), ``keywords`` (plus Scopus'
  ``author_keywords``) split on ``,`` and ``;``; ``annote`` (an annotation) as ``notes``;
- ``ids`` (biblatex: other keys the entry is cited by) as ``key:<alias>`` in ``external_ids``, as a merge
  keeps a folded duplicate's key (:mod:`litreview.io.merge`);
- ``references``: Scopus' ``references`` (joined by ``; ``), Web of Science's ``cited-references`` (one per
  line); ``citation_count``: Scopus' ``note = {cited By 12}``, Web of Science's ``times-cited``;
- ``crossref``: a missing booktitle, journal, year, month, publisher ... is taken from the referenced
  entry (its ``title`` serves as the booktitle);
- containers are not papers and give no record (and no error): a ``@proceedings`` (or
  ``@mvproceedings``) entry always, a ``@book``, ``@collection`` or ``@reference`` when another entry
  refers to it by ``crossref`` (a PMLR volume's ``.bib`` opens with the ``@Proceedings`` of the volume).

Values are decoded by :mod:`litreview.fields.latex` (accents, letters, escapes, dashes, Greek and math
symbols to Unicode; markup and protective braces dropped); ``url``, ``doi`` and ``eprint`` are taken
verbatim (only ``\\url{}``, braces and escapes removed).  The syntax (entries, values, macros, and
``\\{`` as a literal brace) is :mod:`litreview.io.readers.bibtex_syntax`'s.

Problems: a text that is not blank and has no ``@`` entry, ``@string`` or ``@comment`` at all is one error ("no BibTeX
entry found in x.bib; is this a BibTeX file?"), so a binary or foreign file named ``.bib`` is not an
empty bibliography.  An entry that cannot be parsed (no closing brace, garbage between fields) is one error at
its ``@`` line, and reading carries on at the next line that starts an entry, so one broken entry
never costs the others.  Warnings (the record is kept): an ``@string`` macro not defined in the file
(kept as its name; macros of the files loaded before it are seen), a year or month that is not one,
a DOI that is not one, a ``crossref`` to an unknown key, a field given twice, a missing comma
between fields, a duplicate citation key (both records are kept; the merge step decides).

Why hand-written: measured on ``pybibx_scopus.bib`` (263 entries, 2.4 MB), bibtexparser 2.1 fails
36 of the entries (Scopus repeats ``funding_details``) and takes 0.65 ms/entry without LaTeX
decoding, 6 ms/entry with pylatexenc decoding only the fields used here and 31 ms/entry with its own
LatexDecodingMiddleware, against a budget of 0.4 ms/entry (10x faster than litstudy's bibtexparser
1.x reader).  This module parses only the fields it uses, skips the others with one ``str.find`` per
brace, and decodes LaTeX only where the text has any; it reads that file at about 0.17 ms/entry
(24x litstudy's reader, 4x bibtexparser 2.1 without any decoding).

Kept for export (:mod:`litreview.io.export`): the citation ``key`` and ``entry_type`` as written, and
``source_fields``, every field as written (value text with its braces, quotes, ``#`` and macros), in
file order, duplicates too.

``@string`` macros: :func:`litreview.load` hands the macros of the BibTeX files read before this one to
:func:`read`, so ``lr.load(["strings.bib", "refs.bib"])`` resolves them as BibTeX resolves
``\\bibliography{strings,refs}``.

Known limits: ``@string`` macros defined after their use, or in a file loaded after, are not seen (the
value stays the macro's name, with a warning; it is written back unbraced, as a macro); a line that starts
with ``@word{`` inside a field value is taken as the start of a new entry (that is what lets a broken entry
end); crossref is resolved one level deep; unknown LaTeX commands are kept as written (``\\foo{bar}``); TeX's ``\\:``
and friends become spaces.
"""

from __future__ import annotations

import json
import re
from typing import Any

from litreview.fields.arxiv import arxiv_from_doi, arxiv_from_url, find_arxiv, is_arxiv_venue, parse_arxiv_id
from litreview.fields.dates import find_month, month_number, parse_date, plausible_year
from litreview.fields.doi import normalize_doi
from litreview.fields.latex import ASCII_SPACE, decode_latex, verbatim
from litreview.fields.names import first_last
from litreview.io.readers.base import ReadResult, excerpt
from litreview.io.readers.bibtex_syntax import Entry, braced_end, parse_entries
from litreview.io.references import split_references

__all__ = ["FORMAT", "decode_latex", "is_arxiv_venue", "read", "sniff"]  # decode_latex, is_arxiv_venue: old homes

FORMAT = "bibtex"

# Fields this reader uses; every other field is skipped without being decoded.
USED_FIELDS = frozenset(
    {
        "title", "abstract", "author", "year", "month", "date", "journal", "journaltitle", "booktitle",
        "howpublished", "institution", "school", "publisher", "keywords", "author_keywords", "url", "doi",
        "eprint", "archiveprefix", "eprinttype", "primaryclass", "crossref", "annote", "ids",
        "references", "cited-references", "note", "times-cited",
    }
)  # fmt: skip
# Fields a crossref child takes from its parent when it lacks them.
_INHERITED = ("booktitle", "journal", "journaltitle", "year", "month", "date", "publisher", "institution", "school")


_SNIFF_ENTRY = re.compile(
    r"^[ \t]*@[ \t]*(?:[A-Za-z]+(?:[ \t]*\{|\()[ \t]*[^\s,={}()\"#%']+[ \t]*,"
    r"|string(?:[ \t]*\{|\()\s*[A-Za-z][\w-]*\s*=|(?:preamble|comment)[ \t]*\{)",
    re.MULTILINE | re.IGNORECASE,
)


def sniff(text: str) -> bool:
    """An entry (``@type{key,``), ``@string`` definition or ``@comment{`` at the start of a line, near the top."""
    if not isinstance(text, str):
        return False
    match = _SNIFF_ENTRY.search(text)
    # A BibTeX file may open with comment lines, not with pages of other text.
    return match is not None and text.count("\n", 0, match.start()) < 1000


# --- fields to a record -------------------------------------------------------------------------

# ASCII whitespace only, here too: a name or keyword may begin or end with a no-break space.
_AND = re.compile(r"[ \t\n\r\f\v]+and[ \t\n\r\f\v]+", re.IGNORECASE)
_KEYWORD_SEPARATOR = re.compile(r"[ \t\n\r\f\v]*[,;][ \t\n\r\f\v]*")
_YEAR = re.compile(r"^\d{1,4}$")
_LINK = re.compile(r"^(?:https?|ftp)://\S+$", re.IGNORECASE)
_CATEGORY_SEPARATOR = re.compile(r"[,;\s]+")
# Entries that hold papers rather than being one: a volume of proceedings always; a book or collection
# when other entries refer to it (crossref).
_CONTAINER_TYPES = frozenset({"proceedings", "mvproceedings"})
_CROSSREF_CONTAINER_TYPES = _CONTAINER_TYPES | {"book", "mvbook", "collection", "mvcollection", "reference"}


def _split_top_level(raw: str, separator: re.Pattern) -> list[str]:
    """Split ``raw`` on ``separator`` outside braces: ``{Smith and Sons} and Doe`` is two names."""
    if "{" not in raw:
        return separator.split(raw)
    parts, start, depth, pos = [], 0, 0, 0
    while True:
        match = separator.search(raw, pos)
        if match is None:
            parts.append(raw[start:])
            return parts
        depth += raw.count("{", pos, match.start()) - raw.count("}", pos, match.start())
        if depth == 0:
            parts.append(raw[start : match.start()])
            start = match.end()
        pos = match.end()


def _authors(raw: str) -> tuple[list[str], bool]:
    """Names as ``First Last`` and whether the list ends with ``and others``."""
    names: list[str] = []
    incomplete = False
    for part in _split_top_level(raw.strip(ASCII_SPACE), _AND):
        part = part.strip(ASCII_SPACE)
        if part.lower() == "others":
            incomplete = True
            continue
        if part.startswith("{") and part.endswith("}") and braced_end(part, 1, len(part)) == len(part) - 1:
            name = decode_latex(part[1:-1])  # {Google DeepMind}: one name, taken as written
        else:
            name = decode_latex(part)
            if "," in name:  # Last, First
                name = first_last(name)
        if name:
            names.append(name)
    return names, incomplete


def split_keywords(*raws: str | None) -> list[str]:
    """Keywords of ``keywords``-like values (macros expanded), split on ``,`` and ``;`` outside braces, decoded."""
    return _keywords(*raws)


def _keywords(*raws: str | None) -> list[str]:
    seen: dict[str, None] = {}
    for raw in raws:
        if raw:
            for part in _split_top_level(raw, _KEYWORD_SEPARATOR):
                word = decode_latex(part)
                if word:
                    seen.setdefault(word, None)
    return list(seen)


def _month(text: str) -> int | None:
    """``may``, ``5``, ``June 2019``, ``11--13 Apr``: a month number, or the first month named."""
    return month_number(text) or find_month(text)


def _arxiv(fields: dict[str, str], venue_texts: list[str], url: str | None, doi: str | None):
    """``(id, version)`` from eprint, venue text, link or DOI, in that order of trust."""
    eprint = fields.get("eprint")
    if eprint:
        archive = (fields.get("archiveprefix") or fields.get("eprinttype") or "").strip().lower()
        if archive in ("", "arxiv"):
            parsed = parse_arxiv_id(verbatim(eprint))
            if parsed:
                return parsed
    for text in venue_texts:
        found = find_arxiv(text)
        if found:
            return found
    return (arxiv_from_url(url) if url else None) or (arxiv_from_doi(doi) if doi else None)


def _record(entry: Entry, fields: dict[str, str], file: str, result: ReadResult) -> dict[str, Any] | None:
    record: dict[str, Any] = {"source": f"{file}:{entry.line}"}
    flags = _report_warnings(entry, file, result)

    def warn(message: str, flag: str) -> None:
        result.warn(file, entry.line, f"{_label(entry)}: {message}")
        if flag not in flags:
            flags.append(flag)

    for name, column in (("title", "title"), ("abstract", "abstract"), ("annote", "notes")):
        if name in fields:
            record[column] = decode_latex(fields[name]) or None
    if "author" in fields:
        authors, incomplete = _authors(fields["author"])
        record["authors"] = authors
        if incomplete:
            flags.append("authors-incomplete")
    _read_date(fields, record, warn)
    venue_texts, link = _venue_texts_and_link(fields)
    if venue_texts:
        record["venue"] = "arXiv" if is_arxiv_venue(venue_texts[0]) else venue_texts[0]
    record["url"] = link
    doi = None
    if fields.get("doi"):
        doi = normalize_doi(verbatim(fields["doi"]))
        if doi is None:
            warn(f"doi {excerpt(verbatim(fields['doi']))} is not a DOI; left out", "unreadable-doi")
        record["doi"] = doi
    arxiv = _arxiv(fields, venue_texts, link, doi)
    if arxiv:
        record["arxiv_id"], record["arxiv_version"] = arxiv
        categories = [c for c in _CATEGORY_SEPARATOR.split(verbatim(fields.get("primaryclass") or "")) if c]
        if categories:  # Zotero writes "cs, eess"
            record["categories"] = categories
    if fields.get("ids"):  # biblatex aliases: keys this entry is also cited by
        aliases = [a for a in (p.strip() for p in verbatim(fields["ids"]).split(",")) if a and a != entry.key]
        record["external_ids"] = [f"key:{a}" for a in dict.fromkeys(aliases)] or None
    keywords = _keywords(fields.get("author_keywords"), fields.get("keywords"))
    if keywords:
        record["keywords"] = keywords
    _read_citations(fields, record)
    if not (record.get("title") or record.get("abstract") or doi or arxiv):
        result.error(file, entry.line, f"{_label(entry)} has no title, abstract, DOI or arXiv id: not a paper")
        return None
    if not record.get("abstract"):
        flags.append("no-abstract")
    record["quality_flags"] = flags
    return {name: value for name, value in record.items() if value is not None}


_CITED_BY = re.compile(r"\bcited by\s*:?\s*(\d+)\b", re.IGNORECASE)


def _read_citations(fields: dict[str, str], record: dict[str, Any]) -> None:
    """The cited references and the citation count Scopus and Web of Science write (see the module's text)."""
    scopus = [r.strip() for r in split_references(decode_latex(fields.get("references") or ""))]
    wos = [decode_latex(line).strip() for line in (fields.get("cited-references") or "").splitlines()]
    references = [r.rstrip(";").strip() for r in scopus + wos if r.strip(" ;")]
    if references:
        record["references"] = references
    count = _CITED_BY.search(fields.get("note") or "") or re.fullmatch(r"\s*(\d+)\s*", fields.get("times-cited") or "")
    if count:
        record["citation_count"] = int(count[1])


def _venue_texts_and_link(fields: dict[str, str]) -> tuple[list[str], str | None]:
    """The venue fields' texts, most specific first, and the link (``url``, or ``howpublished`` if a link)."""
    link = verbatim(fields["url"]).split(" ")[0] if fields.get("url") else None
    texts = []
    for name in ("journal", "journaltitle", "booktitle", "howpublished", "institution", "school", "publisher"):
        if fields.get(name):
            text = decode_latex(fields[name])
            if name == "howpublished" and _LINK.match(text):  # \url{...} is kept verbatim by decode_latex
                link = link or text
            elif text:
                texts.append(text)
    return texts, link or None


_DUPLICATE_KEY = "duplicate key"


def _label(entry: Entry) -> str:
    return f"entry {entry.key!r}" if entry.key is not None else "entry without a key"


def _report_warnings(entry: Entry, file: str, result: ReadResult) -> list[str]:
    """Report what parsing noticed about ``entry``; return the quality flags it calls for."""
    flags: list[str] = []
    if entry.key is None:
        result.note(file, entry.line, "entry has no citation key")
    for message, flag in entry.warnings:
        say = result.note if message.startswith(_DUPLICATE_KEY) else result.warn  # (read whole all the same)
        say(file, entry.line, f"{_label(entry)}: {message}", kind=flag or _kind(message))
        if flag and flag not in flags:
            flags.append(flag)
    return flags


def _kind(message: str) -> str:
    """The kind of a parsing warning without a quality flag, for grouping (``duplicate key``)."""
    return re.sub(r"'[^']*'|\(.*\)|\d+", "", message).strip()


def source_fields(entry: Entry) -> str:
    """The entry's fields as written, for :data:`litreview.schema.COLUMNS`' ``source_fields``."""
    return json.dumps({"format": FORMAT, "fields": entry.raw}, ensure_ascii=False)


def _read_date(fields: dict[str, str], record: dict[str, Any], warn) -> None:
    if fields.get("year"):
        year = decode_latex(fields["year"])
        if _YEAR.match(year):
            record["year"] = int(year)
        else:
            warn(f"year {excerpt(year)} is not a number; left out", "unreadable-year")
    if fields.get("month"):
        text = decode_latex(fields["month"])
        month = _month(text)
        if month is None:
            warn(f"month {excerpt(text)} is not a month; left out", "unreadable-month")
        record["month"] = month
    if fields.get("date") and "year" not in record:
        year, month = parse_date(decode_latex(fields["date"]))
        if year:
            record["year"] = year
            if month and record.get("month") is None:
                record["month"] = month


def _with_crossrefs(entries: list[Entry], file: str, by_key: dict[str, Entry]):
    """Each entry's fields with what it inherits from its crossref; and the containers (by ``id``)."""
    containers = {id(entry) for entry in entries if entry.type in _CONTAINER_TYPES}
    resolved: list[dict[str, str]] = []
    for entry in entries:
        fields = entry.fields
        target_key = fields.get("crossref")
        if target_key:
            target = by_key.get(verbatim(target_key).lower())
            if target is None or target is entry:
                entry.warnings.append((f"crossref to unknown key {excerpt(verbatim(target_key))}", "missing-crossref"))
            else:
                if target.type in _CROSSREF_CONTAINER_TYPES:
                    containers.add(id(target))
                fields = dict(fields)
                for name in _INHERITED:
                    if name not in fields and name in target.fields:
                        fields[name] = target.fields[name]
                if "booktitle" not in fields and "journal" not in fields and "title" in target.fields:
                    fields["booktitle"] = target.fields["title"]
        resolved.append(fields)
    return resolved, containers


def entry_year_venue(text: str) -> tuple[int | None, str | None]:
    """The year and venue of the first entry in ``text`` (a BibTeX entry held in a table cell), read as
    this reader reads them; what is wrong in the entry is not reported (the cell is a side source)."""
    entries, _ = parse_entries(text, "cell", ReadResult(), USED_FIELDS)
    if not entries:
        return None, None
    record: dict[str, Any] = {}
    _read_date(entries[0].fields, record, lambda message, flag: None)
    texts, _link = _venue_texts_and_link(entries[0].fields)
    venue = ("arXiv" if is_arxiv_venue(texts[0]) else texts[0]) if texts else None
    return plausible_year(record.get("year") or 0), venue


def read(text: str, file: str, *, macros: dict[str, str] | None = None) -> ReadResult:
    """The papers of a BibTeX file and the problems met; a non-blank text without any ``@`` entry is an error.

    ``macros``: ``@string`` macros defined by the files read before this one in the same load (lower-case
    name: value); this file's definitions are added to it, so the next file sees them, as BibTeX does.
    Each record keeps its ``key``, ``entry_type`` (as written) and ``source_fields`` (every field as
    written, in order: :func:`source_fields`).
    """
    result = ReadResult()
    entries, constructs = parse_entries(text, file, result, USED_FIELDS, macros)
    if constructs == 0 and text.strip():  # a blank file is an empty bibliography (the writer's, for one)
        result.error(file, None, f"no BibTeX entry found in {file}; is this a BibTeX file?")
        return result
    by_key: dict[str, Entry] = {}
    for entry in entries:
        if entry.key is None:
            continue
        first = by_key.setdefault(entry.key.lower(), entry)
        if first is not entry:
            entry.warnings.append((f"{_DUPLICATE_KEY} (first at line {first.line}); both records kept", None))
    resolved, containers = _with_crossrefs(entries, file, by_key)
    for entry, fields in zip(entries, resolved):
        if id(entry) in containers:  # not a paper, but what was wrong in it is still said
            _report_warnings(entry, file, result)
            continue
        record = _record(entry, fields, file, result)
        if record is not None:
            if entry.key is not None:
                record["key"] = entry.key
            record["entry_type"] = entry.given_type
            record["source_fields"] = source_fields(entry)
            result.records.append(record)
    result.problems.sort(key=lambda p: p.line or 0)
    return result
