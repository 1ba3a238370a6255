"""arXiv OAI-PMH ``ListRecords`` pages (``export.arxiv.org/oai2``).

Two metadata formats are read, per ``<record>``:

``arXiv`` (``metadataPrefix=arXiv``, arXiv's own):
- ``id`` -> ``arxiv_id`` (the format names no version, so ``arxiv_version`` is left out);
  ``url`` is ``https://arxiv.org/abs/<id>``
- ``created`` (date of the first version) -> ``year``, ``month``; ``updated`` is not read
- ``authors/author``: ``forenames keyname suffix`` -> ``authors`` (``keyname`` alone
  for collaborations); affiliations are not read
- ``title``, ``abstract`` -> whitespace of wrapped lines collapsed
- ``categories`` (space-separated) -> ``categories``
- ``journal-ref`` -> ``venue``, else ``arXiv``; ``doi`` -> ``doi`` (the first, when
  several are given); ``comments``, ``license``, ``msc-class``, ``acm-class``,
  ``report-no`` are not read

``oai_dc`` (Dublin Core): ``dc:title``, ``dc:creator`` (``Last, First``),
the first ``dc:description`` that is not ``Comment: ...`` (the abstract),
the earliest ``dc:date``, ``dc:identifier`` (the ``arxiv.org/abs/`` address and
``doi:...``).  ``dc:subject`` holds category names, not codes, and is not read;
``venue`` is ``arXiv`` (the journal reference is not told apart in this format).

Character references (``&#233;``) are decoded by the XML parser.  The
``resumptionToken`` is ignored (each page is a file of its own).  An OAI-PMH
``<error code=...>`` is an error; deleted records (``<header
status="deleted">``, no metadata) are skipped with one warning per page.
A record in another metadata format (``arXivRaw``) is an error.

Malformed XML is handled as by the Atom reader (one error with line and column,
then every complete ``<record>`` is parsed on its own).  Lines are those of each
``<record>`` tag, found by a scan of the text.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from litreview.fields.arxiv import arxiv_from_url, arxiv_url, parse_arxiv_id
from litreview.fields.doi import normalize_doi
from litreview.fields.names import first_last
from litreview.io.readers.arxiv_atom import ItemTags, collapse, parse_items, year_month
from litreview.io.readers.base import ReadResult

FORMAT = "arxiv-oai"

OAI = "{http://www.openarchives.org/OAI/2.0/}"
ARXIV = "{http://arxiv.org/OAI/arXiv/}"
OAI_DC = "{http://www.openarchives.org/OAI/2.0/oai_dc/}"
DC = "{http://purl.org/dc/elements/1.1/}"

RECORD = ItemTags("record", f"{OAI}record", '<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">')

_ROOT_OAI = re.compile(r"\A\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*)*<(?:[\w.-]+:)?OAI-PMH[\s>]", re.DOTALL)
_OAI_IDENTIFIER = re.compile(r"^oai:arXiv\.org:(.+)$", re.IGNORECASE)


def sniff(text: str) -> bool:
    return isinstance(text, str) and bool(_ROOT_OAI.match(text))


def read(text: str, file: str) -> ReadResult:
    result = ReadResult()
    root, records = parse_items(text, file, result, RECORD, lambda root: list(root.iter(RECORD.qualified)))
    if root is not None and root.tag != f"{OAI}OAI-PMH":
        result.error(file, 1, f"the root element is <{root.tag.rsplit('}', 1)[-1]}>, not <OAI-PMH>")
        return result
    if root is not None:
        _read_protocol_errors(root, text, file, result)
    deleted: list[int | None] = []
    for line, position, element in records:
        header = element.find(f"{OAI}header")
        if header is not None and header.get("status") == "deleted":
            deleted.append(line)
            continue
        record = _read_record(element, file, line, position, result)
        if record is not None:
            result.records.append(record)
    if deleted:
        result.warn(file, deleted[0], f"{len(deleted)} deleted record(s) skipped (they have no metadata)")
    return result


def _read_protocol_errors(root: ET.Element, text: str, file: str, result: ReadResult) -> None:
    errors = root.findall(f"{OAI}error")
    if not errors:
        return
    start = text.find("<error")
    line = text.count("\n", 0, start) + 1 if start >= 0 else None
    for error in errors:
        message = collapse("".join(error.itertext())) or "(no message)"
        result.error(file, line, f"OAI-PMH error {error.get('code', '?')}: {message}")


def _read_record(element: ET.Element, file: str, line: int | None, position: int, result: ReadResult) -> dict | None:
    metadata = element.find(f"{OAI}metadata")
    content = None if metadata is None else next(iter(metadata), None)
    if content is None:
        result.error(file, line, f"record {position} has no metadata")
        return None
    if content.tag == f"{ARXIV}arXiv":
        record = _arxiv_format(content)
    elif content.tag == f"{OAI_DC}dc":
        record = _dublin_core(content)
    else:
        result.error(file, line, f"record {position} is in metadata format <{content.tag}>, which is not read")
        return None
    if record.get("arxiv_id") is None:  # the header's oai:arXiv.org:<id> still names the paper
        identifier = _text(element.find(f"{OAI}header/{OAI}identifier"))
        match = _OAI_IDENTIFIER.match(identifier or "")
        parsed = parse_arxiv_id(match[1]) if match else None
        if parsed:
            record["arxiv_id"] = parsed[0]
    if record.get("arxiv_id"):
        record["url"] = arxiv_url(record["arxiv_id"])
    where = f"record {position}" + (f" ({record['arxiv_id']})" if record.get("arxiv_id") else "")
    if not (record.get("title") or record.get("abstract") or record.get("arxiv_id")):
        result.error(file, line, f"{where} has no title, abstract or arXiv id")
        return None
    flags = []
    for field in ("title", "abstract"):
        if not record.get(field):
            flags.append(f"no-{field}")
            result.warn(file, line, f"{where} has no {field}")
    record["quality_flags"] = flags
    record["source"] = f"{file}:{line}"
    return {key: value for key, value in record.items() if value is not None}


def _text(element: ET.Element | None) -> str | None:
    if element is None:
        return None
    return collapse(element.text if len(element) == 0 else "".join(element.itertext()))  # most have no children


def _arxiv_format(content: ET.Element) -> dict:
    fields = {child.tag[len(ARXIV) :]: child for child in content if child.tag.startswith(ARXIV)}
    ident = _text(fields.get("id"))
    parsed = parse_arxiv_id(ident) if ident else None
    year, month = year_month(_text(fields.get("created")))
    doi = _text(fields.get("doi"))
    categories = _text(fields.get("categories"))
    authors_element = fields.get("authors")
    return {
        "arxiv_id": parsed[0] if parsed else None,
        "title": _text(fields.get("title")),
        "abstract": _text(fields.get("abstract")),
        "authors": [] if authors_element is None else _arxiv_authors(authors_element),
        "year": year,
        "month": month,
        "venue": _text(fields.get("journal-ref")) or "arXiv",
        "doi": normalize_doi(doi) if doi else None,
        "categories": list(dict.fromkeys(categories.split())) if categories else [],
    }


def _arxiv_authors(authors: ET.Element) -> list[str]:
    names = []
    for author in authors.iterfind(f"{ARXIV}author"):
        parts = (_text(author.find(f"{ARXIV}{part}")) for part in ("forenames", "keyname", "suffix"))
        name = " ".join(part for part in parts if part)
        if name:
            names.append(name)
    return names


def _dublin_core(content: ET.Element) -> dict:
    def values(name: str) -> list[str]:
        return [v for v in (_text(e) for e in content.iterfind(f"{DC}{name}")) if v]

    identifiers = values("identifier")
    arxiv_id = doi = None
    for identifier in identifiers:
        parsed = arxiv_from_url(identifier)
        if parsed and arxiv_id is None:
            arxiv_id = parsed[0]
        elif identifier.lower().startswith("doi:") and doi is None:
            doi = normalize_doi(identifier[4:])
    dates = sorted(d for d in values("date") if year_month(d)[0] is not None)
    year, month = year_month(dates[0]) if dates else (None, None)
    abstracts = [d for d in values("description") if not d.startswith("Comment:")]
    titles = values("title")
    return {
        "arxiv_id": arxiv_id,
        "title": titles[0] if titles else None,
        "abstract": abstracts[0] if abstracts else None,
        "authors": [first_last(name) for name in values("creator")],
        "year": year,
        "month": month,
        "venue": "arXiv",
        "doi": doi,
    }
