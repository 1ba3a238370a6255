"""arXiv API Atom feeds (``export.arxiv.org/api/query`` responses).

Both layouts are read: the 2016 one (``arxiv:`` namespace declared on each
element, ``http://`` links) and the current one (namespaces on ``<feed>``,
``https://`` links, ``<published>`` after ``<summary>``).  Per ``<entry>``:

- ``id`` (``http://arxiv.org/abs/2106.09685v2``) -> ``arxiv_id`` and ``arxiv_version``;
  ``url`` is ``https://arxiv.org/abs/<arxiv_id>`` (the ``rel="alternate"`` link
  only when the id is not an arXiv abstract address)
- ``title``, ``summary`` -> ``title``, ``abstract``, the whitespace of wrapped lines
  collapsed to single spaces
- ``author/name`` -> ``authors`` (already ``First Last``; whitespace tidied only)
- ``published`` (the date of the first version) -> ``year``, ``month``
- ``arxiv:doi`` -> ``doi``; ``arxiv:journal_ref`` -> ``venue``, else ``arXiv``
- ``arxiv:primary_category`` then ``category term=`` -> ``categories`` (unique)

An API error feed (an entry whose id is ``http://arxiv.org/api/errors#...``) is
an error naming arXiv's message.  A feed without entries is a warning.

Malformed XML is one error with the line and (1-based) column of expat's ParseError;
then every complete ``<entry>...</entry>`` is parsed on its own, so the entries
before (and after) the damage are kept.  An entry that fails on its own, other
than the one holding the damage already reported, is an error of its own.

Known limits: the line of each entry is found by scanning the text for
``<entry`` tags in order; if a comment or CDATA section holds such a tag, the
counts disagree and records carry the line of ``<feed>`` instead (the message
names the entry's position).  ``arxiv:comment`` is not read (it is about the
file, e.g. "12 pages"). XML with ``<!ENTITY`` declarations is refused (arXiv
never sends any; this keeps entity-expansion tricks out); ElementTree never
resolves external entities.

The XML helpers here (:func:`parse_items`) are shared with the OAI-PMH reader.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field

from litreview.fields.arxiv import arxiv_from_url, arxiv_url
from litreview.fields.dates import parse_date
from litreview.fields.doi import normalize_doi
from litreview.io.readers.base import Problem, ReadResult

FORMAT = "arxiv-atom"

ATOM = "{http://www.w3.org/2005/Atom}"
ARXIV = "{http://arxiv.org/schemas/atom}"

_ROOT_FEED = re.compile(r"\A\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*)*<(?:[\w.-]+:)?feed[\s>]", re.DOTALL)
_ARXIV_API = re.compile(r"arxiv\.org/(?:api/|schemas/atom)")  # a feed merely linking to papers is not one
_ABS_URL = re.compile(r"^https?://(?:export\.)?arxiv\.org/abs/")  # the entry id is an abstract address
_API_ERROR = re.compile(r"^https?://(?:export\.)?arxiv\.org/api/errors")
_FIRST_ELEMENT = re.compile(r"<[^?!/]")
_START_TAG = re.compile(r"<[\w.:-]+(?:\s[^<>]*)?>")


def sniff(text: str) -> bool:
    if not isinstance(text, str):
        return False
    return bool(_ROOT_FEED.match(text)) and "http://www.w3.org/2005/Atom" in text and bool(_ARXIV_API.search(text))


def collapse(text: str | None) -> str | None:
    """Whitespace runs (wrapped lines) as single spaces; empty is ``None``."""
    if text is None:
        return None
    return " ".join(text.split()) or None


def year_month(date: str | None) -> tuple[int | None, int | None]:
    """``2012-01-23T21:15:02Z`` -> ``(2012, 1)``; unreadable parts are ``None``."""
    return parse_date(date or "")


# --------------------------------------------------------------------------- shared XML helpers


@dataclass(frozen=True)
class ItemTags:
    """How to find the repeated element (``entry``, ``record``) of a feed."""

    name: str  # element name without namespace, for messages and the text scan
    qualified: str  # ``{namespace}name`` as ElementTree names it
    root_open: str  # the document's start tag to wrap a lone item in, when none is found in the text
    start: re.Pattern = field(init=False, repr=False, compare=False)  # the item's start tag in the text
    end: re.Pattern = field(init=False, repr=False, compare=False)  # its end tag

    def __post_init__(self):
        # compiled once per format, at import
        object.__setattr__(self, "start", re.compile(rf"<(?:[\w.-]+:)?{self.name}[\s>/]"))
        object.__setattr__(self, "end", re.compile(rf"</(?:[\w.-]+:)?{self.name}\s*>"))


def parse_items(
    text: str, file: str, result: ReadResult, tags: ItemTags, find_items: Callable[[ET.Element], list[ET.Element]]
) -> tuple[ET.Element | None, list[tuple[int | None, int, ET.Element]]]:
    """Parse ``text``; return its root (``None`` when malformed) and its items as
    ``(line, position, element)``, ``position`` counting items from 1.

    Malformed XML gives one error, then each complete item is parsed on its own.
    """
    if "<!ENTITY" in text:
        result.error(file, _line_of(text, text.index("<!ENTITY")), "XML entity declarations are not read")
        return None, []
    starts = [m.start() for m in tags.start.finditer(text)]
    try:
        root = ET.fromstring(text)
    except ET.ParseError as err:
        line, column = err.position
        reason = str(err).split(":")[0]
        if reason == "no element found" and text.strip():
            reason = "the text ends inside an element (truncated?)"
        message = f"malformed XML at line {line}, column {column + 1}: {reason}"
        errors_at = len(result.problems)
        items, damaged_start = _recover_items(text, file, result, tags, starts, damaged_line=line)
        if damaged_start is not None:
            message += f"; the {tags.name} starting at line {damaged_start} is skipped"
        result.problems.insert(errors_at, Problem(file, line, message))
        return None, items
    except ValueError as err:  # lone surrogates and the like: the text cannot be XML at all
        result.error(file, None, f"text cannot be parsed as XML: {err}")
        return None, []
    items = find_items(root)
    if len(items) == len(starts):
        lines = _lines_at(text, starts)
    else:  # a tag in a comment or CDATA: lines unknown, fall back to the root's
        first_tag = _FIRST_ELEMENT.search(text)
        lines = [_line_of(text, first_tag.start()) if first_tag else 1] * len(items)
    return root, [(line, position, item) for position, (line, item) in enumerate(zip(lines, items), start=1)]


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _lines_at(text: str, offsets: list[int]) -> list[int]:
    """1-based lines of increasing offsets, in one pass over the text."""
    lines, line, previous = [], 1, 0
    for offset in offsets:
        line += text.count("\n", previous, offset)
        previous = offset
        lines.append(line)
    return lines


def _recover_items(
    text: str, file: str, result: ReadResult, tags: ItemTags, starts: list[int], damaged_line: int
) -> tuple[list[tuple[int | None, int, ET.Element]], int | None]:
    """Parse each complete item of a malformed document inside a copy of its root start tag.

    Returns the items read and the start line of the item holding the damage (if one does).
    """
    damaged_start = None
    if not starts:
        return [], damaged_start
    root_open = _root_open_tag(text, starts, tags)
    root_close = tag_close(root_open)
    lines = _lines_at(text, starts)
    items = []
    for position, (start, line) in enumerate(zip(starts, lines), start=1):
        limit = starts[position] if position < len(starts) else len(text)
        close = tags.end.search(text, start, limit)
        chunk_end = close.end() if close else limit
        last_line = line + text.count("\n", start, chunk_end)
        damaged = line <= damaged_line <= last_line
        if close is None:
            if damaged:
                damaged_start = line
            else:
                result.error(file, line, f"{tags.name} has no closing </{tags.name}>")
            continue
        try:
            wrapper = ET.fromstring(root_open + text[start:chunk_end] + root_close)
        except (ET.ParseError, ValueError) as err:
            if damaged:
                damaged_start = line
            else:
                result.error(file, line, f"{tags.name} is not well-formed XML: {str(err).split(':')[0]}")
            continue
        element = wrapper.find(tags.qualified)
        if element is not None:
            items.append((line, position, element))
    return items, damaged_start


def _root_open_tag(text: str, starts: list[int], tags: ItemTags) -> str:
    """The document's root start tag (for its namespace declarations), on one line."""
    head = text[: starts[0]] if starts else text
    candidates = [tag for tag in _START_TAG.findall(head) if not tag.endswith("/>")]
    tag = candidates[0] if candidates else tags.root_open
    try:
        ET.fromstring(tag + tag_close(tag))
    except (ET.ParseError, ValueError):
        tag = tags.root_open
    return " ".join(tag.split())


def tag_close(open_tag: str) -> str:
    return "</" + open_tag[1:].split(None, 1)[0].rstrip(">") + ">"


# --------------------------------------------------------------------------- Atom entries

ENTRY = ItemTags(
    "entry",
    f"{ATOM}entry",
    '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">',
)


def read(text: str, file: str) -> ReadResult:
    result = ReadResult()
    root, entries = parse_items(text, file, result, ENTRY, lambda root: root.findall(ENTRY.qualified))
    if root is not None and root.tag != f"{ATOM}feed":
        result.error(file, 1, f"the root element is <{_local(root.tag)}>, not an Atom <feed>")
        return result
    for line, position, entry in entries:
        _read_entry(entry, file, line, position, result)
    if root is not None and not entries:
        result.warn(file, None, "the feed has no entries")
    return result


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _text(element: ET.Element, path: str) -> str | None:
    found = element.find(path)
    return None if found is None else collapse("".join(found.itertext()))


def _read_entry(entry: ET.Element, file: str, line: int | None, position: int, result: ReadResult) -> None:
    ident = _text(entry, f"{ATOM}id") or ""
    if _API_ERROR.match(ident):
        message = _text(entry, f"{ATOM}summary") or _text(entry, f"{ATOM}title") or ident
        result.error(file, line, f"arXiv API error: {message}")
        return
    record: dict = {"source": f"{file}:{line}"}
    flags: list[str] = []
    parsed = arxiv_from_url(ident) if _ABS_URL.match(ident) else None
    if parsed:
        record["arxiv_id"], version = parsed
        if version is not None:
            record["arxiv_version"] = version
        record["url"] = arxiv_url(record["arxiv_id"])
    else:
        alternate = entry.find(f"{ATOM}link[@rel='alternate']")
        if alternate is not None and alternate.get("href"):
            record["url"] = alternate.get("href")
    record["title"] = _text(entry, f"{ATOM}title")
    record["abstract"] = _text(entry, f"{ATOM}summary")
    names = (collapse("".join(a.itertext())) for a in entry.iterfind(f"{ATOM}author/{ATOM}name"))
    record["authors"] = [name for name in names if name]
    record["year"], record["month"] = year_month(_text(entry, f"{ATOM}published"))
    doi = _text(entry, f"{ARXIV}doi")
    record["doi"] = normalize_doi(doi) if doi else None
    record["venue"] = _text(entry, f"{ARXIV}journal_ref") or "arXiv"
    primary = entry.find(f"{ARXIV}primary_category")
    terms = [primary.get("term")] if primary is not None else []
    terms += [c.get("term") for c in entry.iterfind(f"{ATOM}category")]
    record["categories"] = list(dict.fromkeys(t.strip() for t in terms if t and t.strip()))
    where = f"entry {position}" + (f" ({record['arxiv_id']})" if parsed else "")
    if not (record["title"] or record["abstract"] or parsed):
        result.error(file, line, f"{where} has no title, abstract or arXiv id")
        return
    if not parsed:
        flags.append("bad-arxiv-id")
        result.warn(file, line, f"{where}: id {ident!r} is not an arXiv abstract address")
    for name in ("title", "abstract"):
        if not record[name]:
            flags.append(f"no-{name}")
            result.warn(file, line, f"{where} has no {name}")
    record["quality_flags"] = flags
    result.records.append({key: value for key, value in record.items() if value is not None})
