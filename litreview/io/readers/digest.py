"""News and paper digests: a section heading, then items of title, optional
author line and a paragraph.

Author lines list ``Last, First`` pairs joined by commas
(``Wennberg, Ulme, Henter, Gustav Eje``) and become ``First Last`` names.  A
short line followed by another short line is a section heading: it is kept as
the items' keyword, not read as an item.
"""

from __future__ import annotations

import re

from litreview.io.readers.base import ReadResult, excerpt, numbered_lines

FORMAT = "digest"

# A paragraph is long; titles and headings are not.
PARAGRAPH_CHARS = 200
_PARTICLE = r"(?:de|da|di|du|del|della|der|den|van|von|ten|ter|le|la|dos|bin|al|el)"
_NAME_PART = re.compile(rf"^(?:{_PARTICLE} )*[A-Z][\w'’.\-]*(?: (?:{_PARTICLE} )*[A-Z][\w'’.\-]*){{0,3}}$")


def parse_author_line(line: str) -> list[str] | None:
    """``"Last, First, Last, First"`` -> ``["First Last", ...]``, else ``None``."""
    parts = [p.strip() for p in line.split(",")]
    if len(parts) < 2 or len(parts) % 2 or any(ch.isdigit() for ch in line):
        return None
    if not all(_NAME_PART.match(p) for p in parts):
        return None
    return [f"{first} {last}" for last, first in zip(parts[::2], parts[1::2])]


def sniff(text: str) -> bool:
    lines = [line for _, line in numbered_lines(text)]
    if len(lines) < 3 or len(lines[0]) >= PARAGRAPH_CHARS:
        return False
    paragraphs = sum(len(line) >= PARAGRAPH_CHARS for line in lines)
    authors = sum(parse_author_line(line) is not None for line in lines)
    return paragraphs >= len(lines) // 3 and (authors > 0 or paragraphs >= 2)


def read(text: str, file: str) -> ReadResult:
    result = ReadResult()
    lines = numbered_lines(text.lstrip("\ufeff"))
    section: str | None = None
    i = 0
    while i < len(lines):
        lineno, line = lines[i]
        if len(line) >= PARAGRAPH_CHARS:
            result.error(file, lineno, f"paragraph without a title: {excerpt(line)}")
            i += 1
            continue
        nxt = lines[i + 1][1] if i + 1 < len(lines) else None
        authors = parse_author_line(nxt) if nxt is not None else None
        after_authors = lines[i + 2][1] if authors is not None and i + 2 < len(lines) else None
        body = after_authors if authors is not None else nxt
        if body is None or len(body) < PARAGRAPH_CHARS:
            if authors is None and nxt is not None and len(nxt) < PARAGRAPH_CHARS:
                section = line.strip()  # a heading: the next line starts an item
                i += 1
                continue
            result.warn(file, lineno, f"item has no paragraph: {excerpt(line)}")
            result.records.append(_record(line, authors, None, section, file, lineno))
            i += 1 + (authors is not None)
            continue
        result.records.append(_record(line, authors, body, section, file, lineno))
        i += 2 + (authors is not None)
    if not result.records and not result.problems:
        result.error(file, None, "no digest items found")
    return result


def _record(title, authors, body, section, file, lineno) -> dict:
    return {
        "title": title.strip(),
        "abstract": body.strip() if body else None,
        "authors": authors or [],
        "keywords": [section] if section else [],
        "quality_flags": [] if body else ["no-abstract"],
        "source": f"{file}:{lineno}",
    }
