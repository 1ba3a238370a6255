"""arXiv abstract dumps as copied from a dataset viewer.

The layout is a header (column names, each followed by the viewer's
``stringlengths`` statistics), then per paper one line with the arXiv id and
one line with its abstract::

    arxiv_id
    stringlengths
    9
    12
    abstract
    ...
    2303.11366v1
    Large language models (LLMs) have been increasingly used ...
"""

from __future__ import annotations

import re

from litreview.fields.arxiv import arxiv_url, arxiv_year_month, parse_arxiv_id
from litreview.io.readers.base import ReadResult, excerpt, numbered_lines

FORMAT = "arxiv-dump"

# Header lines: column names and the viewer's statistics ("stringlengths", 9, 13.8k).
_HEADER_LINE = re.compile(r"^(?:[a-z_]+|\d{1,6}(?:\.\d+)?k?)$")


def _is_abstract(line: str) -> bool:
    """Abstracts are prose; a lone token (a mangled id) is not one."""
    return len(line.split()) >= 3


def sniff(text: str) -> bool:
    head = [line.strip().lower() for line in text.lstrip("\ufeff").splitlines() if line.strip()][:12]
    return bool(head) and head[0] in {"arxiv_id", "id"} and "stringlengths" in head


def read(text: str, file: str) -> ReadResult:
    result = ReadResult()
    lines = numbered_lines(text)
    i = 0
    while i < len(lines) and _HEADER_LINE.match(lines[i][1].strip()) and not parse_arxiv_id(lines[i][1]):
        i += 1
    while i < len(lines):
        lineno, line = lines[i]
        parsed = parse_arxiv_id(line)
        if parsed is None:
            result.error(file, lineno, f"expected an arXiv id, found {excerpt(line)}")
            # The next line is that record's abstract, unless it is not prose.
            i += 2 if i + 1 < len(lines) and _is_abstract(lines[i + 1][1]) else 1
            continue
        ident, version = parsed
        abstract = None
        if i + 1 < len(lines) and _is_abstract(lines[i + 1][1]):
            abstract = lines[i + 1][1].strip()
            i += 2
        else:
            result.warn(file, lineno, f"arXiv id {ident} has no abstract line")
            i += 1
        year_month = arxiv_year_month(ident)
        result.records.append(
            {
                "id": f"arxiv:{ident}",
                "abstract": abstract,
                "arxiv_id": ident,
                "arxiv_version": version,
                "year": year_month[0] if year_month else None,
                "month": year_month[1] if year_month else None,
                "venue": "arXiv",
                "url": arxiv_url(ident),
                "quality_flags": [] if abstract else ["no-abstract"],
                "source": f"{file}:{lineno}",
            }
        )
    if not result.records and not result.problems:
        result.error(file, None, "no arXiv id lines found after the header")
    return result
