"""arXiv identifiers, wherever a source writes them: bare ids, links, DOIs and labels.

One set of rules for every reader, the writers and merging:

- ids: new style (``0704.0001`` onwards, 4 or 5 digits after the dot) and old style (``hep-th/9901001``,
  ``math.GT/0309136``), each with an optional version (``v2``);
- links: ``arxiv.org/abs/``, ``/pdf/`` (with or without ``.pdf``), ``/html/`` and ``/format/``, on
  ``arxiv.org``, ``www.arxiv.org`` or ``export.arxiv.org``, over http or https;
- DOIs: DataCite's ``10.48550/arXiv.<id>``, bare or behind a resolver (``https://doi.org/...``);
- labels: ``arXiv:2106.09685``, ``arXiv preprint arXiv:2106.09685``, ``arXiv 2106.09685``,
  ``arxiv/abs/2106.09685``.
"""

from __future__ import annotations

import re

_ARXIV_NEW = r"(?P<new>\d{4}\.\d{4,5})"
_ARXIV_OLD = r"(?P<old>[a-z][a-z\-]+(?:\.[A-Z]{2})?/\d{7})"
ARXIV_ID_RE = re.compile(rf"(?:{_ARXIV_NEW}|{_ARXIV_OLD})(?:v(?P<version>\d+))?")
_ARXIV_FULL = re.compile(rf"^(?:arxiv:)?\s*{ARXIV_ID_RE.pattern}$", re.IGNORECASE)
# An id inside longer text: not glued to more digits or letters on either side.
_ID_IN_TEXT = r"(?P<id>(?:\d{4}\.\d{4,5}|[a-z][a-z\-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?)(?![\dA-Za-z])"
_URL = re.compile(rf"arxiv\.org/+(?:abs|pdf|html|format|ps)/+{_ID_IN_TEXT}", re.IGNORECASE)
_DOI = re.compile(rf"10\.48550/arxiv\.{_ID_IN_TEXT}", re.IGNORECASE)
_LABEL = re.compile(
    rf"(?<![\w.])arxiv(?:\s+preprint)?(?:\s*[:/]\s*|\s+)(?:arxiv\s*:\s*|abs/)?{_ID_IN_TEXT}", re.IGNORECASE
)
# What may surround an arXiv id in a venue that only says arXiv; Zotero adds the categories: "[cs, eess]".
_ARXIV_ONLY_WORDS = re.compile(r"\[[\w\s,.\-]*\]|\b(?:arxiv|preprints?|e-?prints?|abs)\b|[\W_]", re.IGNORECASE)


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


def _found(match: re.Match | None) -> tuple[str, int | None] | None:
    return parse_arxiv_id(match["id"]) if match else None


def arxiv_from_url(text: str) -> tuple[str, int | None] | None:
    """The id and version named by an arxiv.org link (``abs``, ``pdf``, ``html``, ``format``).

    >>> arxiv_from_url("https://arxiv.org/html/2106.09685v2")
    ('2106.09685', 2)
    >>> arxiv_from_url("http://arxiv.org/pdf/hep-th/9901001v1.pdf")
    ('hep-th/9901001', 1)
    """
    if "arxiv.org" not in text.lower():  # the cheap test first
        return None
    return _found(_URL.search(text))


def arxiv_from_doi(text: str) -> tuple[str, int | None] | None:
    """The id named by an arXiv DOI (``10.48550/arXiv.2106.09685``), bare or behind a resolver.

    >>> arxiv_from_doi("https://doi.org/10.48550/ARXIV.2106.09685")
    ('2106.09685', None)
    """
    if "10.48550" not in text:
        return None
    return _found(_DOI.search(text))


def is_arxiv_doi(doi: str) -> bool:
    """Whether a (normalised) DOI is one of DataCite's arXiv DOIs, ``10.48550/arxiv.*``."""
    return doi.lower().startswith("10.48550/arxiv.")


def find_arxiv(text: str) -> tuple[str, int | None] | None:
    """An arXiv id anywhere in ``text``: a link, an arXiv DOI or a label (``arXiv preprint arXiv:2106.09685``).

    >>> find_arxiv("arXiv preprint arXiv:2106.09685")
    ('2106.09685', None)
    >>> find_arxiv("see https://arxiv.org/abs/1706.03762v5 for details")
    ('1706.03762', 5)
    """
    if not isinstance(text, str) or "arxiv" not in text.lower():
        return None
    return arxiv_from_url(text) or arxiv_from_doi(text) or _found(_LABEL.search(text))


def arxiv_anywhere(text: str) -> tuple[str, int | None] | None:
    """A bare arXiv id (``2106.09685v2``), else an id :func:`find_arxiv` finds in the text."""
    return parse_arxiv_id(text) or find_arxiv(text)


def is_arxiv_venue(venue: str) -> bool:
    """Whether a journal or booktitle only says the paper is on arXiv (``arXiv preprint arXiv:2106.09685``).

    >>> is_arxiv_venue("arXiv preprint arXiv:2106.09685"), is_arxiv_venue("ArXiv"), is_arxiv_venue("Nature")
    (True, True, False)
    """
    if "arxiv" not in venue.lower():
        return False
    rest = _LABEL.sub("", venue)
    return not _ARXIV_ONLY_WORDS.sub("", rest)


def arxiv_url(arxiv_id: str, version: int | None = None) -> str:
    """The abstract page of an arXiv paper: ``https://arxiv.org/abs/2106.09685v2``."""
    return f"https://arxiv.org/abs/{arxiv_id}" + (f"v{version}" if version else "")


def parse_arxiv_id_arrow(values):
    """The columnar twin of :func:`parse_arxiv_id` for new-style ids (``2106.09685``, ``2106.09685v2``).

    ``values``: a pyarrow string array of stripped values.  Returns ``(ids, versions, ok)``: string and
    int64 arrays, and a boolean numpy array that is False where a value needs :func:`arxiv_anywhere`
    (old-style ids, labels, links, anything else).

    >>> import pyarrow as pa
    >>> ids, versions, ok = parse_arxiv_id_arrow(pa.array(["2106.09685v2", "hep-th/9901001", None]))
    >>> ids.to_pylist(), versions.to_pylist(), ok.tolist()
    (['2106.09685', None, None], [2, None, None], [True, False, True])
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    # (an id without a version is its own id: one pass tells, where taking the id and version apart takes five)
    bare = np.asarray(pc.fill_null(pc.match_substring_regex(values, r"^\d{4}\.\d{4,5}$"), True), dtype=bool)
    no_versions = pa.nulls(len(values), pa.int64())
    if bare.all():
        return values, no_versions, bare
    rest = pa.array(~bare)
    ids, versions, ok = _split_arxiv_ids(values.filter(rest))
    found = bare.copy()
    found[~bare] = ok
    return pc.replace_with_mask(values, rest, ids), pc.replace_with_mask(no_versions, rest, versions), found


def _split_arxiv_ids(values):
    """:func:`parse_arxiv_id_arrow` of values that are not an id alone: the id and version taken apart."""
    import numpy as np
    import pyarrow.compute as pc

    found = pc.extract_regex(values, r"^(?P<id>\d{4}\.\d{4,5})(?:v(?P<version>\d{1,9}))?$")
    ids = pc.struct_field(found, [0])
    versions = pc.struct_field(found, [1])
    versions = pc.cast(pc.if_else(pc.equal(versions, ""), None, versions), "int64")
    ok = pc.or_(pc.is_null(values), pc.is_valid(ids))
    return ids, versions, np.asarray(ok.to_numpy(zero_copy_only=False), dtype=bool)
