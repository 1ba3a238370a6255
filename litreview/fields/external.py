"""A paper's ids in the databases it came from, written ``kind:id``: ``openalex:W2741809807``,
``s2:<40 hex digits>``, ``wos:WOS:000355286600030``, ``scopus:2-s2.0-85012345678``, ``pmid:123``,
``pmcid:PMC123``, ``nihms:NIHMS123`` (an NIH manuscript id: the author's manuscript in PubMed Central)."""

from __future__ import annotations

import re

KINDS = ("openalex", "s2", "wos", "scopus", "pmid", "pmcid", "nihms")
OPENALEX_ID = re.compile(r"^(?:https?://openalex\.org/)?(W\d+)$", re.IGNORECASE)
S2_ID = re.compile(r"^[0-9a-f]{40}$")
_SHAPES = (
    (re.compile(r"^2-s2\.0-\d+$"), "scopus"),
    (re.compile(r"^WOS:\w+$", re.IGNORECASE), "wos"),
    (OPENALEX_ID, "openalex"),
    (S2_ID, "s2"),
)


def external_id(text: str) -> str | None:
    """``kind:id`` for an id already written so, or one known by its shape; ``None`` otherwise.

    >>> external_id("https://openalex.org/W2741809807"), external_id("2-s2.0-85012345678"), external_id("x")
    ('openalex:W2741809807', 'scopus:2-s2.0-85012345678', None)
    """
    cell = text.strip()
    kind, _, ident = cell.partition(":")
    if kind in KINDS and ident:
        return cell
    for pattern, kind in _SHAPES:
        found = pattern.match(cell)
        if found:
            return f"{kind}:{found.group(1).upper() if found.groups() else cell}"
    return None
