"""Identifiers: arXiv ids, DOIs, normalised titles and the stable record id."""

from __future__ import annotations

import re
import unicodedata

# New-style ids (0704.0001 onwards, 4 or 5 digits after the dot) and old-style
# ids (hep-th/9901001, math.GT/0309136), each with an optional version.
_ARXIV_NEW = r"(?P<new>\d{4}\.\d{4,5})"
_ARXIV_OLD = r"(?P<old>[a-z][a-z\-]+(?:\.[A-Z]{2})?/\d{7})"
ARXIV_ID_RE = re.compile(rf"(?:{_ARXIV_NEW}|{_ARXIV_OLD})(?:v(?P<version>\d+))?")
_ARXIV_FULL = re.compile(rf"^(?:arxiv:)?\s*{ARXIV_ID_RE.pattern}$", re.IGNORECASE)


def parse_arxiv_id(text: str) -> tuple[str, int | None] | None:
    """Split an arXiv identifier into ``(id, version)``.

    >>> parse_arxiv_id("2303.11366v1")
    ('2303.11366', 1)
    >>> parse_arxiv_id("arXiv:hep-th/9901001")
    ('hep-th/9901001', None)

    Returns ``None`` when ``text`` is not an arXiv identifier.
    """
    match = _ARXIV_FULL.match(text.strip())
    if not match:
        return None
    ident = match["new"] or match["old"]
    version = int(match["version"]) if match["version"] else None
    return ident, version


def arxiv_year_month(arxiv_id: str) -> tuple[int, int] | None:
    """Year and month of first submission encoded in an arXiv id.

    New-style ids start ``YYMM``; old-style ids end ``/YYMMNNN``.  arXiv began
    in 1991, so two-digit years from 91 onwards are 1990s.
    """
    match = re.match(r"^(\d{2})(\d{2})\.", arxiv_id) or re.search(r"/(\d{2})(\d{2})\d{3}$", arxiv_id)
    if not match:
        return None
    yy, mm = int(match[1]), int(match[2])
    if not 1 <= mm <= 12:
        return None
    return (1900 + yy if yy >= 91 else 2000 + yy), mm


_DOI_RE = re.compile(r"10\.\d{4,9}/\S+", re.IGNORECASE)


def normalize_doi(text: str) -> str | None:
    """Lower-case DOI without ``https://doi.org/`` or ``doi:`` prefixes."""
    match = _DOI_RE.search(text.strip())
    if not match:
        return None
    doi = match[0].rstrip(".,;")
    while doi.endswith(")") and doi.count(")") > doi.count("("):
        doi = doi[:-1].rstrip(".,;")
    return doi.lower()


# \"{o}, \'e, \v{c}: the accent goes, the letter stays (accents are folded anyway).
_LATEX_ACCENT = re.compile(r"\\(?:[\"'`^~=.]|[uvHckbdrt](?=[\s{]))\s*\{?\s*([a-zA-Z])\}?")
_LATEX_CMD = re.compile(r"\\[a-zA-Z]+\*?")
_NON_WORD = re.compile(r"[\W_]+")
# the combining-mark blocks that NFKD splits accents into (é -> e + U+0301)
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
# ASCII: braces and $ vanish, every other non-alphanumeric character is a space
_ASCII_FOLD = str.maketrans(
    {chr(c): None if chr(c) in "{}$" else " " for c in range(128) if not chr(c).isalnum()}
)


def normalize_title(title: str) -> str:
    """Fold case, accents, punctuation and LaTeX markup; keep digits.

    >>> normalize_title("LIMA: Less Is More for  Alignment")
    'lima less is more for alignment'
    >>> normalize_title("SemEval-2016") != normalize_title("SemEval-2017")
    True
    """
    text = title
    if "\\" in text:
        text = _LATEX_CMD.sub(" ", _LATEX_ACCENT.sub(r"\1", text))
    # One translate() folds ASCII punctuation (braces and $ vanish: {B}ERT is BERT);
    # only text with other characters needs the Unicode steps.
    # (translate() is fast on ASCII strings only, hence two paths.)
    if text.isascii():
        return " ".join(text.lower().translate(_ASCII_FOLD).split())
    text = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
    text = text.replace("{", "").replace("}", "").replace("$", "")
    return " ".join(_NON_WORD.sub(" ", text.lower()).split())


def title_slug(title: str, max_words: int = 8) -> str:
    """A short, readable slug of a title: ``lima-less-is-more-for-alignment``."""
    words = normalize_title(title).split()
    return "-".join(words[:max_words])
