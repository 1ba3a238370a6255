"""BibTeX export of a papers table: one entry per row, UTF-8, for LaTeX and reference managers.

**An entry read from BibTeX is written back as it was** (its ``source_fields``): the same citation key
and entry type (``@Article`` stays ``@Article``), every field in the order given, names and values as
written (braces, quotes, LaTeX, ``#`` and macros: ``journal = icml`` stays unbraced, so a strings file
still resolves it; a field given twice is written twice).  Only the kit's work is overlaid: keywords the
table has and the entry lacks (topics ``topic:<slug>``, a decision ``screening:<decision>``, keywords of
merged duplicates) appended to ``keywords`` (or a new ``keywords`` field), the fields the kit filled in
where the entry gives nothing of the kind (title, author, year, venue, abstract, DOI, URL, arXiv id;
not a value the reader took from another field of the entry, nor a link that is only the arXiv page or doi.org
link of the arXiv id or DOI the entry gives), and the keys of merged duplicates as
biblatex ``ids`` aliases.  The file opens with the ``@string`` macros these entries use, with the values
they had when loaded (see :func:`string_definitions`), so it reads back the same on its own.  The source
files' ``@preamble``, ``@comment`` blocks and text between entries come back with their entries
(:mod:`litreview.io.writers.bibtex_blocks`; the text before the first entry opens the file, before the
macros).  The layout is the writer's: two-space indent, one field per line, a blank line between entries
and blocks.

**Any other row** is written from the table's columns, as follows, then the source's fields the schema
does not model through :mod:`litreview.io.crosswalk` (``volume``, ``number``, ``pages``, ``publisher``,
``issn``, ``isbn``, ``editor``, ``address``, ``note``, ...) and any other source field under its own
name (lower case; ``Art. No.`` is ``art-no``), then ``ids`` (merged duplicates' keys).

Entry type: the source's through :data:`litreview.io.crosswalk.TYPES` (RIS ``CONF`` is
``inproceedings``), else by the venue:

- ``@misc`` when there is no venue or the venue is a preprint server (``arXiv``, ``bioRxiv``, ``CoRR``,
  ...); the server is written as ``howpublished``;
- ``@inproceedings`` with ``booktitle`` when the venue names a conference (``Conference``,
  ``Proceedings``, ``Workshop``, ``Symposium``, ...) or holds a well-known conference acronym (``ICLR``,
  ``NeurIPS``, ``ACL``, ... see :data:`CONFERENCE_ACRONYMS`), unless it names a journal (``Journal``,
  ``Transactions``, ``Proceedings of the National Academy`` ...);
- ``@article`` with ``journal`` for any other venue.

Fields, in this order: ``title``, ``author``, ``year``, ``month`` (the macro ``jan`` .. ``dec``), the
venue, ``abstract``, ``keywords`` (joined with ``, ``), ``doi``, ``url``, ``eprint`` (the arXiv id, with
``v<version>`` when known), ``archivePrefix = {arXiv}``, ``primaryClass`` (the first category when it is
an arXiv category), ``annote`` (the table's ``notes``).  Missing values are left out.

Text is escaped so that it reads back as written: ``\\ { } % & # $ _ ~ ^`` become ``\\textbackslash{}``,
``\\{`` ``\\}`` (``\\textbraceleft{}`` when the braces are unbalanced), ``\\%``, ``\\&``, ``\\#``, ``\\$``,
``\\_``, ``\\textasciitilde{}``, ``\\textasciicircum{}``; ``--``, ````` and ``''`` are split with ``{}``
so that LaTeX does not make dashes or quotes of them.  Unicode stays Unicode.  Title words with a
capital after their first letter (``BERT``, ``LoRA``, ``GPT-4``) are wrapped in braces so that
bibliography styles keep their case.  Author names are ``First Last`` joined with ``and``; a name that
holds a comma or the word ``and`` is wrapped in braces; ``authors-incomplete`` adds ``and others``.

Citation keys: the source's key, as given, where the row has one (``key``).  Otherwise: first author's
surname folded to ASCII lower case, year, first significant title word
(not a stopword or a number): ``vaswani2017attention``.  Missing parts are left out; a paper without
authors starts with its arXiv id instead (``arxiv2106.09685lora``: the year is in the id) and one with
nothing is ``paper``.  Made keys that collide (with each other, or with a source key or alias) get ``a``,
``b``, ... in row order, so the same table always gives the same keys.

Reading the output with :mod:`litreview.io.readers.bibtex` gives back title, abstract, authors, year,
month, venue, arxiv_id, arxiv_version, doi, url, keywords and notes unchanged, with these exceptions:
runs of whitespace become one space (as BibTeX reads them); a venue that only says arXiv (``arXiv
preprint arXiv:2106.09685``) reads back as ``arXiv``; keywords repeated in a row read back once.
Not written: ``id``, ``quality_flags`` (but ``authors-incomplete``), ``source``, ``provenance``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

import pandas as pd

from litreview.fields.arxiv import is_arxiv_venue
from litreview.fields.dates import MONTH_ABBREVIATIONS
from litreview.fields.ids import normalize_title
from litreview.fields.names import author_key
from litreview.io.crosswalk import bibtex_field_name, field_name, source_of, target_type, unmodelled
from litreview.io.readers.bibtex import split_keywords
from litreview.io.readers.bibtex_syntax import MONTH_MACROS, value_parts, value_text
from litreview.io.writers.base import (
    added_keywords,
    append_to_value,
    integer,
    key_aliases,
    missing,
    restates_ids,
    venue_kind,
)
from litreview.io.writers.bibtex_blocks import Placement

FORMAT = "bibtex"
EXTENSION = ".bib"

_PAGE_RANGE = re.compile(r"(?<=\w)-(?=\w)")  # 12-34 as BibTeX's 12--34
_ARXIV_CATEGORY = re.compile(r"^[a-z][a-z\-]*(?:\.[A-Za-z\-]+)?$")

MONTHS = MONTH_ABBREVIATIONS  # BibTeX's month macros

_WHITESPACE = re.compile(r"[ \t\n\r\f\v]+")  # what the reader collapses: ASCII whitespace only
_SPECIAL = re.compile(r"[\\&%$#_~^{}]|-(?=-)|`(?=`)|'(?=')")
_ESCAPES = {
    "\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
    "~": r"\textasciitilde{}", "^": r"\textasciicircum{}", "-": "-{}", "`": "`{}", "'": "'{}",
}  # fmt: skip
_INNER_CAPITAL = re.compile(r"^.+[A-Z]")
_AND_WORD = re.compile(r"\band\b", re.IGNORECASE)
_KEYWORD_SEPARATOR = re.compile(r"[,;]")

# Letters NFKD does not split into an ASCII letter and an accent.
_ASCII_LETTERS = str.maketrans(
    {"ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d",
     "Đ": "D", "ð": "d", "Ð": "D", "þ": "th", "Þ": "TH", "ı": "i"}
)  # fmt: skip
_STOPWORDS = frozenset(
    "a an the on of in for to and or with without towards toward via from at by is are be do does can what how "
    "why when where which who into using about beyond through under over not no as we our your it its this that "
    "these those".split()
)


def write(papers: pd.DataFrame, blocks: Placement | None = None) -> str:
    """The papers table (see :mod:`litreview.schema`) as BibTeX text, one entry per row; with ``blocks``
    (:func:`litreview.io.writers.bibtex_blocks.place_blocks` of the rows), the source files' text outside
    their entries where it goes."""
    rows = papers.to_dict("records")
    keys = citation_keys(papers)
    blocks = blocks or Placement()
    strings = "".join(f"@string{{{name} = {{{value}}}}}\n" for name, value in string_definitions(rows).items())
    chunks = [f"{text}\n" for text in blocks.top] + ([strings] if strings else [])
    for i, (key, row) in enumerate(zip(keys, rows)):
        chunks += [f"{text}\n" for text in blocks.before.get(i, ())]
        chunks.append(_write_row(key, row))
    chunks += [f"{text}\n" for text in blocks.end]
    return "\n".join(chunks)  # a blank line between entries and blocks


def string_definitions(rows: list[dict[str, Any]]) -> dict[str, str]:
    """The ``@string`` macros the BibTeX-sourced rows use, with the values they had when loaded (month
    names aside: BibTeX predefines them), so the entries, written with their macros, read the same.

    A macro's value is recovered from the field's expansion when the field uses one macro (``icml``,
    ``icml # " 2017"``); a field of several macros, or an undefined one, defines none.
    """
    found: dict[str, str] = {}
    for row in rows:
        source = source_of(row)
        if source is None or source[0] != FORMAT:
            continue
        for pair in source[1]:
            if len(pair) < 3:
                continue
            parts = value_parts(str(pair[1]))
            macros = [i for i, (kind, text) in enumerate(parts) if kind == "macro" and text.lower() not in MONTH_MACROS]
            if len(macros) != 1:
                continue
            at = macros[0]
            prefix = "".join(text for _, text in parts[:at])
            suffix = "".join(text for _, text in parts[at + 1 :])
            expansion = str(pair[2])
            if expansion.startswith(prefix) and expansion.endswith(suffix) and len(expansion) >= len(prefix + suffix):
                name = parts[at][1]
                found.setdefault(name.lower(), (name, expansion[len(prefix) : len(expansion) - len(suffix)]))
    return {name: value for name, value in found.values() if _balanced(value)}


def _write_row(key: str, row: dict[str, Any]) -> str:
    source = source_of(row)
    if source is not None and source[0] == FORMAT:
        return _source_entry(key, row, source[1])
    concepts, leftovers = unmodelled(*source, row.get("entry_type")) if source else ({}, [])
    kind = target_type(row.get("entry_type"), FORMAT) or entry_type(_text(row.get("venue")))
    fields = _modelled_fields(row, kind)
    written = {name.lower() for name, _ in fields}
    for concept, value in concepts.items():
        name = field_name(concept, FORMAT)
        if concept == "editor":
            text = " and ".join(_author_name(v) for v in value)
        else:
            text = _verbatim(_PAGE_RANGE.sub("--", value)) if concept == "pages" else escape(value)
        fields.append((name, _braced(text)))
        written.add(name)
    for name, value in leftovers:  # nothing dropped: a field of its own, under its own name
        name = bibtex_field_name(name)
        name = name if name not in written else f"source-{name}"
        fields.append((name, _braced(escape(str(value)))))
        written.add(name)
    aliases = key_aliases(row, key)
    if aliases:
        fields.append(("ids", _braced(",".join(aliases))))
    body = "".join(f"  {name} = {value},\n" for name, value in fields)
    return f"@{kind}{{{key},\n{body}}}\n"


def _source_entry(key: str, row: dict[str, Any], fields: list[list[str]]) -> str:
    """The source entry as written, with only what the kit changed overlaid (see the module docstring)."""
    out = [[str(pair[0]), str(pair[1])] for pair in fields]
    names = {name.lower() for name, _ in out}
    kind = _text(row.get("entry_type")) or "misc"
    own = split_keywords(*(value_text(v) for n, v in out if n.lower() in ("keywords", "author_keywords")))
    added = added_keywords(row.get("keywords"), own)
    if added:
        addition = ", ".join(_keyword(k) for k in added)
        at = next((i for i, (n, _) in enumerate(out) if n.lower() == "keywords"), None)
        if at is None:
            out.append(["keywords", _braced(addition)])
        else:
            out[at][1] = append_to_value(out[at][1], ", " + addition)
    source_text = row["source_fields"].casefold()
    given = set(names)
    for name, value in _modelled_fields(row, kind.lower()):  # what the kit filled in: fields the entry lacks
        lowered = name.lower()
        if given & _GIVES.get(lowered, {lowered}) or lowered == "keywords":
            continue
        if lowered in _DERIVED and str(row.get(_DERIVED[lowered]) or "").casefold() in source_text:
            continue  # read from another field of the entry (an arXiv id in the journal, a DOI in the url)
        if lowered == "url" and restates_ids(row.get("url"), *_given_ids(row, source_text)):
            continue  # a merged record's link to the entry's own arXiv id or DOI
        out.append([name, value])
    aliases = key_aliases(row, key)
    if aliases:
        at = next((i for i, (n, _) in enumerate(out) if n.lower() == "ids"), None)
        given = [a.strip() for a in value_text(out[at][1]).split(",")] if at is not None else []
        new = [a for a in aliases if a not in given]
        if new and at is None:
            out.append(["ids", _braced(",".join(new))])
        elif new:
            out[at][1] = append_to_value(out[at][1], "," + ",".join(new))
    body = "".join(f"  {name} = {value},\n" for name, value in out)
    return f"@{kind}{{{key},\n{body}}}\n"


def _given_ids(row: dict[str, Any], source_text: str) -> tuple[str | None, str | None]:
    """The row's arXiv id and DOI where the entry itself gives them (its casefolded text holds them)."""
    return tuple(_text(row.get(name)) if str(row.get(name) or "\0").casefold() in source_text else None
                 for name in ("arxiv_id", "doi"))  # fmt: skip


_DERIVED = {"eprint": "arxiv_id", "archiveprefix": "arxiv_id", "primaryclass": "arxiv_id", "doi": "doi", "url": "url"}
# A field the kit would write, and the source fields that already give its value.
_VENUE_FIELDS = {"journal", "journaltitle", "booktitle", "howpublished", "institution", "school", "publisher"}
_GIVES = {
    "year": {"year", "date"}, "month": {"month", "date"}, "journal": _VENUE_FIELDS, "booktitle": _VENUE_FIELDS,
    "howpublished": _VENUE_FIELDS, "school": _VENUE_FIELDS, "institution": _VENUE_FIELDS, "publisher": _VENUE_FIELDS,
    "eprint": {"eprint"}, "archiveprefix": {"eprint", "archiveprefix"},
    "primaryclass": {"eprint", "primaryclass"}, "url": {"url", "howpublished"},
}  # fmt: skip


def entry_type(venue: str | None) -> str:
    """``misc``, ``inproceedings`` or ``article`` for a venue, by the rule in the module docstring.

    >>> entry_type("ICLR"), entry_type("Nature"), entry_type("arXiv"), entry_type(None)
    ('inproceedings', 'article', 'misc', 'misc')
    """
    if venue and is_arxiv_venue(venue):
        return "misc"
    return {"preprint": "misc", "journal": "article", "conference": "inproceedings"}[venue_kind(venue)]


# --- citation keys ------------------------------------------------------------------------------


def citation_keys(papers: pd.DataFrame) -> list[str]:
    """One key per row: the source's own ``key`` where it has one, else a generated one,
    ``vaswani2017attention``; every key unique within the export.  A generated key that collides (with the
    source keys and their aliases too) gets ``a``, ``b``, ... in row order; so does a source key the source
    itself repeats, after its first row (BibTeX keeps only the first entry of a key, so a ``\\cite`` of it
    meant that one): :func:`repeated_keys` lists those."""
    rows = papers.to_dict("records")
    given = [_text(row.get("key")) for row in rows]
    used: set[str] = {k for k in given if k} | {a for row in rows for a in key_aliases(row, None)}
    next_suffix: dict[str, int] = {}  # per base, the first suffix not tried yet: no rescans of a long run
    keys = []
    taken: set[str] = set()  # source keys already written
    for row, own in zip(rows, given):
        if own and own not in taken:
            taken.add(own)
            keys.append(own)
            continue
        key = base = own or base_key(row)
        if key in used:
            n = next_suffix.get(base, 0)
            while (key := base + _letters(n)) in used:
                n += 1
            next_suffix[base] = n + 1
        used.add(key)
        keys.append(key)
    return keys


def repeated_keys(papers: pd.DataFrame) -> pd.DataFrame:
    """The rows whose source key an earlier row already has, and the key each is written with.

    Returns
    -------
    pandas.DataFrame
        Columns ``id``, ``key`` (as the source gives it) and ``written``; empty when every key is unique.
    """
    keys = citation_keys(papers) if len(papers) else []
    given = papers["key"].tolist() if "key" in papers.columns else [None] * len(papers)
    ids = papers["id"].tolist() if "id" in papers.columns else [None] * len(papers)
    rows = [(i, g, k) for i, g, k in zip(ids, given, keys) if _text(g) and _text(g) != k]
    return pd.DataFrame(rows, columns=["id", "key", "written"], dtype=object)


def base_key(row: dict[str, Any]) -> str:
    """The key of one paper before collisions are resolved."""
    surname = _surname(_list(row.get("authors")))
    year = integer(row.get("year"))
    word = _title_word(_text(row.get("title")))
    if surname:
        parts = [surname, str(year) if year is not None else "", word]
    else:
        arxiv_id = _text(row.get("arxiv_id"))
        lead = "arxiv" + arxiv_id.replace("/", "") if arxiv_id else (str(year) if year is not None else "")
        parts = [lead, word]
    return "".join(parts) or "paper"


def _letters(n: int) -> str:
    """0 -> a, 25 -> z, 26 -> aa, ..."""
    out = ""
    n += 1
    while n:
        n, rest = divmod(n - 1, 26)
        out = chr(ord("a") + rest) + out
    return out


def _ascii(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.translate(_ASCII_LETTERS))
    return "".join(ch for ch in text.lower() if ch.isascii() and ch.isalnum())


def _surname(authors: list[str]) -> str:
    if not authors:
        return ""
    key = author_key(str(authors[0]).translate(_ASCII_LETTERS))
    return _ascii(key.split()[0]) if key else ""


def _title_word(title: str | None) -> str:
    if not title:
        return ""
    for word in normalize_title(title).split():
        folded = _ascii(word)
        if folded and not folded.isdigit() and word not in _STOPWORDS:
            return folded
    return ""


# --- one entry ----------------------------------------------------------------------------------


def _modelled_fields(row: dict[str, Any], kind: str) -> list[tuple[str, str]]:
    """The table's own columns as BibTeX fields, the venue under the field ``kind`` calls for."""
    venue = _text(row.get("venue"))
    fields: list[tuple[str, str]] = []
    title = _text(row.get("title"))
    if title:
        fields.append(("title", _braced(_protect_case(title))))
    authors = _authors(_list(row.get("authors")), "authors-incomplete" in _list(row.get("quality_flags")))
    if authors:
        fields.append(("author", _braced(authors)))
    year = integer(row.get("year"))
    if year is not None:
        fields.append(("year", f"{{{year}}}"))
    month = integer(row.get("month"))
    if month is not None and 1 <= month <= 12:
        fields.append(("month", MONTHS[month - 1]))
    if venue:
        fields.append((_VENUE_FIELD.get(kind, "journal"), _braced(escape(venue))))
    abstract = _text(row.get("abstract"))
    if abstract:
        fields.append(("abstract", _braced(escape(abstract))))
    keywords = [_keyword(k) for k in _list(row.get("keywords")) if _text(k)]
    if keywords:
        fields.append(("keywords", _braced(", ".join(keywords))))
    for name in ("doi", "url"):
        value = _text(row.get(name))
        if value:
            fields.append((name, _braced(_verbatim(value))))
    fields.extend(_arxiv_fields(row))
    notes = _text(row.get("notes"))
    if notes:
        fields.append(("annote", _braced(escape(notes))))
    return fields


_VENUE_FIELD = {
    "misc": "howpublished", "inproceedings": "booktitle", "conference": "booktitle", "incollection": "booktitle",
    "inbook": "booktitle", "article": "journal", "phdthesis": "school", "mastersthesis": "school",
    "techreport": "institution", "book": "publisher", "online": "howpublished", "unpublished": "howpublished",
}  # fmt: skip


def _arxiv_fields(row: dict[str, Any]) -> list[tuple[str, str]]:
    arxiv_id = _text(row.get("arxiv_id"))
    if not arxiv_id:
        return []
    version = integer(row.get("arxiv_version"))
    fields = [
        ("eprint", _braced(_verbatim(arxiv_id + (f"v{version}" if version is not None else "")))),
        ("archivePrefix", "{arXiv}"),
    ]
    categories = [str(c) for c in _list(row.get("categories"))]
    if categories and _ARXIV_CATEGORY.match(categories[0]):
        fields.append(("primaryClass", _braced(categories[0])))
    return fields


def _authors(names: Iterable[Any], incomplete: bool) -> str:
    written = [_author_name(name) for name in names if _text(name)]
    if incomplete:
        written.append("others")
    return " and ".join(written)


def _author_name(name: Any) -> str:
    text = _text(name) or ""
    escaped = escape(text)
    # "Smith, Jr." or "Smith and Sons" would be split or turned round by a reader: keep it whole.
    if "," in text or _AND_WORD.search(text) or text.lower() == "others":
        escaped = f"{{{escaped}}}"
    return escaped


def _keyword(keyword: Any) -> str:
    text = escape(_text(keyword) or "")
    return f"{{{text}}}" if _KEYWORD_SEPARATOR.search(text) else text


def _protect_case(title: str) -> str:
    """Escape ``title`` and brace the words whose case a style must not change (``BERT``, ``LoRA``)."""
    text = _flat(title)
    balanced = _balanced(text)
    words = []
    for word in text.split(" "):
        escaped = escape(word, balanced)
        if _INNER_CAPITAL.match(word) and "{" not in word and "}" not in word:
            escaped = f"{{{escaped}}}"
        words.append(escaped)
    return " ".join(words)


def escape(text: str, balanced: bool | None = None) -> str:
    """Text as a BibTeX field value that reads back as ``text`` (whitespace runs become one space)."""
    text = _flat(text)
    if balanced is None:
        balanced = _balanced(text)

    def one(match: re.Match) -> str:
        ch = match[0]
        if ch in "{}":
            if balanced:
                return "\\" + ch
            return r"\textbraceleft{}" if ch == "{" else r"\textbraceright{}"
        return _ESCAPES[ch]

    return _SPECIAL.sub(one, text)


def _verbatim(value: str) -> str:
    """``doi``, ``url``, ``eprint``: written as they are; only braces need care."""
    value = _flat(value)
    if "{" in value or "}" in value:
        if _balanced(value):
            value = value.replace("{", "\\{").replace("}", "\\}")
        else:  # a link with a stray brace: its percent-encoded form is the same link
            value = value.replace("{", "%7B").replace("}", "%7D")
    return value


def _balanced(text: str) -> bool:
    depth = 0
    for ch in text:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def _braced(value: str) -> str:
    return f"{{{value}}}"


def _flat(text: str) -> str:
    return _WHITESPACE.sub(" ", text).strip(" ")


# --- table cells --------------------------------------------------------------------------------


def _text(value: Any) -> str | None:
    if missing(value):
        return None
    text = _flat(str(value))
    return text or None


def _list(value: Any) -> list:
    if isinstance(value, (list, tuple)):
        return list(value)
    if hasattr(value, "tolist") and not isinstance(value, str):  # numpy arrays from Parquet
        return list(value.tolist())
    return []
