"""A lab's publication page copied as text: one block per paper.

Each block is a listing label (the site's tags, printed twice, e.g.
``ICLR Stella Biderman ICLR Stella Biderman``), the title, an optional
citation line, the abstract, and a ``Read More`` link that ends the block.
The label names the venue and the lab member the page files the paper under;
it is not the author list.  Authors and year come only from a citation line::

    Victor Sanh*, Albert Webson*, ..., and 37 others (incl. ...). "Title." In ... (ICLR), 2022.
"""

from __future__ import annotations

import re

from litreview.io.readers.base import ReadResult, numbered_lines

FORMAT = "publist"

_END = re.compile(r"^\s*read more\s*$", re.IGNORECASE)
_VENUE = re.compile(r"^(?:[A-Z]{2,}|NeurIPS|[A-Z][a-z]*[A-Z]{2,})\d*$")
_QUOTED_TITLE = re.compile(r"[“\"](?P<title>[^”\"]{10,})[”\"]")
_YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")
_OTHERS = re.compile(r",?\s*(?:and\s+)?(\d+)\s+others\b.*$", re.IGNORECASE)
_VENUE_IN_PARENS = re.compile(r"\((?P<venue>[A-Z][A-Za-z]*[A-Z])\)")


def sniff(text: str) -> bool:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return sum(bool(_END.match(line)) for line in lines) >= 1 and any(repeated_label(line) for line in lines[:3])


def repeated_label(line: str) -> str | None:
    """``"A B A B"`` -> ``"A B"``: the listing's tag line is printed twice."""
    words = line.split()
    half = len(words) // 2
    if half and len(words) % 2 == 0 and words[:half] == words[half:] and len(words) <= 16:
        return " ".join(words[:half])
    return None


def parse_citation(line: str) -> dict:
    """Authors (list), ``authors_incomplete`` count, year and venue of a citation."""
    quoted = _QUOTED_TITLE.search(line)
    if not quoted:
        return {}
    names_part = line[: quoted.start()].strip().rstrip(".").strip()
    others = _OTHERS.search(names_part)
    more = int(others.group(1)) if others else 0
    if others:
        names_part = names_part[: others.start()]
    names = [n.strip().rstrip("*").strip() for n in re.split(r",\s*|\s+and\s+", names_part)]
    after = line[quoted.end() :]
    year = _YEAR.search(after)
    venue = _VENUE_IN_PARENS.search(after)
    return {
        "authors": [n for n in names if n],
        "more_authors": more,
        "year": int(year[0]) if year else None,
        "venue": venue["venue"] if venue else None,
        "title": quoted["title"].strip().rstrip("."),
    }


def read(text: str, file: str) -> ReadResult:
    result = ReadResult()
    block: list[tuple[int, str]] = []
    for lineno, line in numbered_lines(text.lstrip("\ufeff")) + [(None, "Read More")]:
        if _END.match(line):
            if block:
                _read_block(block, file, result)
            block = []
        else:
            block.append((lineno, line.strip()))
    if not result.records and not result.problems:
        result.error(file, None, "no publication blocks (ending in 'Read More') found")
    return result


def _read_block(block: list[tuple[int, str]], file: str, result: ReadResult) -> None:
    label = repeated_label(block[0][1])
    tags = label.split() if label else []
    body = block[1:] if label else block
    if len(body) < 2:
        result.error(file, block[0][0], "publication block has no title and abstract")
        return
    (title_line, title), *rest = body
    citation = {}
    for _, line in rest[:-1]:
        citation = parse_citation(line) or citation
    abstract = rest[-1][1]
    venue = citation.get("venue") or (tags[0] if tags and _VENUE.match(tags[0]) else None)
    notes = f"Listed under: {label}" if label else None
    flags = []
    if citation.get("more_authors"):
        flags.append("authors-incomplete")
        notes = (notes + "; " if notes else "") + f"citation lists {citation['more_authors']} more authors"
    result.records.append(
        {
            "title": title,
            "abstract": abstract,
            "authors": citation.get("authors", []),
            "year": citation.get("year"),
            "venue": venue,
            "notes": notes,
            "quality_flags": flags,
            "source": f"{file}:{title_line}",
        }
    )
