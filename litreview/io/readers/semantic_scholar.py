"""Semantic Scholar papers: the Graph API's, and the S2 datasets' ``papers`` files.

Read: a single paper object, a ``/paper/search`` (or ``/paper/search/bulk``, ``/author/{id}/papers``)
response ``{"total", "offset", "next", "data": [...]}``, a ``/paper/batch`` JSON array (a ``null`` entry,
an id the batch found no paper for, is reported), or JSON Lines of papers.  In ``/paper/{id}/citations``
and ``/references`` pages each entry's ``citingPaper`` / ``citedPaper`` is read as the paper.  The S2
datasets' ``papers`` files (JSON Lines, gzipped as downloaded) write the same fields in lower case
(``corpusid``, ``externalids``, ``publicationdate``, ``citationcount``, ``s2fieldsofstudy``): a field is
read under its Graph API name, else under its lower-case name, and a paper without a ``paperId`` takes
its Semantic Scholar id from its ``url`` (``https://www.semanticscholar.org/paper/<paperId>``).  Large
JSON Lines files are read by columns (:mod:`litreview.io.columnar.s2_lines`), with this module's result.

Per paper: ``title``, ``abstract``, ``authors[].name``, ``year`` (else the year of
``publicationDate``), the month from ``publicationDate``, ``venue`` (else ``publicationVenue.name``,
else ``journal.name``; ``ArXiv`` is stored as ``arXiv``), ``externalIds.DOI``, the arXiv id from
``externalIds.ArXiv`` (else an arXiv DOI, or an arxiv.org ``url`` or ``openAccessPdf.url``), ``url`` (the
Semantic Scholar page), categories from ``fieldsOfStudy`` and ``s2FieldsOfStudy[].category``
(each once, in that order).

A paper's nested ``references`` become its ``references`` (each as ``Title (year) [doi:...]``, the
identifier ``doi:...``, ``arxiv:...`` or ``s2:<paperId>`` in brackets after the title and year where S2
gives them, so a citation report can name the work and count its year; else the identifier or
``Title (year)`` alone), ``citationCount`` its ``citation_count`` and ``paperId`` an
``external_ids`` entry (``s2:...``).

Known limits: the nested ``citations`` (the works citing it) are not papers of the corpus and are not
read.  Nor are ``tldr`` (a generated one-sentence summary, neither abstract nor commentary), ``corpusId``,
other counts,
``embedding`` and ``openAccessPdf``.  S2's ``venue`` is its own normalised venue name and is taken as
given even where ``journal.name`` differs (Turing's 1950 paper has venue "The Philosophy of Artificial
Intelligence", journal "Mind").  The S2 datasets keep abstracts and citations in other files (the
``abstracts`` and ``citations`` datasets, keyed by ``corpusid``): a ``papers`` file alone gives no abstracts
(flag ``no-abstract``) and no references, and the kit does not join those files.
"""

from __future__ import annotations

import re
from typing import Any

from litreview.fields.arxiv import find_arxiv, parse_arxiv_id
from litreview.io.readers.base import ReadResult
from litreview.io.readers.json_walk import (
    date_year_month,
    doi_value,
    finish_record,
    int_value,
    json_kind,
    json_values,
    list_value,
    nested,
    text_value,
)

FORMAT = "semantic-scholar"

_PAPER_ID = re.compile(r'"paperId"\s*:|"corpusid"\s*:')  # (the Graph API's papers, the datasets' papers)
_ARXIV_VENUE = re.compile(r"^arxiv(?:\.org)?$", re.IGNORECASE)
_LINKED = ("citingPaper", "citedPaper")
# the paper's page, which names its paperId (the datasets' papers have no paperId field); printable ASCII only,
# so that Python's re and pyarrow's RE2 (:mod:`litreview.io.columnar.s2_lines`) read it alike
PAGE_ID = r"^https?://(?:www\.)?semanticscholar\.org/paper/(?:[\x21-\x2e\x30-\x7e]+/)?([0-9a-f]{40})$"
_PAGE_ID = re.compile(PAGE_ID)


def sniff(text: str) -> bool:
    if not isinstance(text, str):
        return False
    head = text.lstrip("\ufeff \t\r\n")
    return head.startswith(("{", "[")) and bool(_PAPER_ID.search(head))


def read(text: str, file: str) -> ReadResult:
    result = ReadResult()
    values = json_values(text, file, result, list_keys=("data",), record_keys=("paperId", "title"))
    for number, (line, paper) in enumerate(values, start=1):
        paper = _linked_paper(paper)
        if paper is None:
            result.error(file, line, f"paper {number} is null (a /paper/batch id that matched no paper)")
            continue
        if not isinstance(paper, dict):
            result.error(file, line, f"paper {number} is {json_kind(paper)}, not a JSON object")
            continue
        record = _paper_record(paper, file, line, number, result)
        if record is not None:
            result.records.append(record)
    return result


def _linked_paper(entry: Any) -> Any:
    """The paper inside a citations/references entry (``{"citingPaper": {...}}``), else the entry."""
    if isinstance(entry, dict) and "paperId" not in entry and "title" not in entry:
        for key in _LINKED:
            if isinstance(entry.get(key), dict):
                return entry[key]
    return entry


def field(paper: dict, name: str) -> Any:
    """``paper[name]`` (a Graph API name), else the datasets' lower-case ``paper[name.lower()]``."""
    value = paper.get(name)
    return paper.get(name.lower()) if value is None else value


def _paper_record(paper: dict, file: str, line: int, number: int, result: ReadResult) -> dict | None:
    where = f"paper {number}"
    flags: list[str] = []
    record: dict[str, Any] = {}
    record["title"] = text_value(paper.get("title"))
    record["abstract"] = text_value(paper.get("abstract"))
    record["authors"] = _authors(paper, file, line, where, result, flags)
    year, month = date_year_month(field(paper, "publicationDate"))
    record["year"] = int_value(paper.get("year")) or year
    record["month"] = month
    record["venue"] = _venue(paper)
    record["doi"] = doi_value(nested(field(paper, "externalIds"), "DOI"))
    arxiv = _arxiv(paper, record["doi"])
    if arxiv:
        record["arxiv_id"], record["arxiv_version"] = arxiv
    record["url"] = text_value(paper.get("url"))
    record["categories"] = _categories(paper)
    record["references"] = [ref for ref in map(_reference, paper.get("references") or ()) if ref]
    record["citation_count"] = int_value(field(paper, "citationCount"), low=0, high=10**9)
    ident = text_value(paper.get("paperId")) or _page_id(record["url"])
    record["external_ids"] = [f"s2:{ident}"] if ident else []
    return finish_record(record, flags, file, line, where, result)


def _page_id(url: str | None) -> str | None:
    found = _PAGE_ID.match(url) if url else None
    return found[1] if found else None


def _reference(cited) -> str | None:
    """A nested reference as one string: ``Title (year) [doi:...]`` (its DOI, else arXiv id, else Semantic
    Scholar id, in brackets after what a reader knows it by), or the id alone, or ``Title (year)`` alone."""
    if not isinstance(cited, dict):
        return None
    doi = doi_value(nested(cited, "externalIds", "DOI"))
    arxiv = text_value(nested(cited, "externalIds", "ArXiv"))
    paper_id = text_value(cited.get("paperId"))
    ident = f"doi:{doi}" if doi else f"arxiv:{arxiv}" if arxiv else f"s2:{paper_id}" if paper_id else None
    title = text_value(cited.get("title"))
    year = int_value(cited.get("year"))
    label = f"{title} ({year})" if title and year else title
    return f"{label} [{ident}]" if label and ident else ident or label


def _authors(paper: dict, file: str, line: int, where: str, result: ReadResult, flags: list[str]) -> list[str]:
    authors: list[str] = []
    unnamed = 0
    for author in list_value(paper.get("authors")):
        name = text_value(author.get("name")) if isinstance(author, dict) else None
        if name:
            authors.append(name)
        else:
            unnamed += 1
    if unnamed:
        flags.append("authors-incomplete")
        result.warn(file, line, f"{where}: {unnamed} author(s) without a name")
    return authors


def _venue(paper: dict) -> str | None:
    name = (
        text_value(paper.get("venue"))
        or text_value(nested(field(paper, "publicationVenue"), "name"))
        or text_value(nested(paper, "journal", "name"))
    )
    return "arXiv" if name and _ARXIV_VENUE.match(name) else name


def _arxiv(paper: dict, doi: str | None) -> tuple[str, int | None] | None:
    """``externalIds.ArXiv``, else an arXiv DOI or an arxiv.org link (``url``, ``openAccessPdf.url``)."""
    value = nested(field(paper, "externalIds"), "ArXiv")
    found = parse_arxiv_id(value) if isinstance(value, str) else None
    for text in (doi, paper.get("url"), nested(field(paper, "openAccessPdf"), "url")):
        found = found or (find_arxiv(text) if isinstance(text, str) else None)
    return found


def _categories(paper: dict) -> list[str]:
    names = [text_value(name) for name in list_value(field(paper, "fieldsOfStudy"))]
    names += [
        text_value(study.get("category"))
        for study in list_value(field(paper, "s2FieldsOfStudy"))
        if isinstance(study, dict)
    ]
    return [name for name in dict.fromkeys(names) if name]
