"""DOIs: one normal form for every reader, the writers and merging.

A DOI is written bare (``10.1145/3442188.3445922``), with a ``doi:`` label, or as a link through a
resolver (``https://doi.org/``, ``http://dx.doi.org/``, ``https://www.doi.org/``); DOIs are
case-insensitive, so the normal form is the bare DOI in lower case, without the trailing punctuation of
the sentence it sat in.
"""

from __future__ import annotations

import re

_DOI_RE = re.compile(r"10\.\d{4,9}/\S+", re.IGNORECASE)
RESOLVER = "https://doi.org/"


def normalize_doi(text: str) -> str | None:
    """Lower-case DOI without a resolver or ``doi:`` prefix; ``None`` when ``text`` holds no DOI.

    >>> normalize_doi("https://dx.doi.org/10.1145/3442188.3445922.")
    '10.1145/3442188.3445922'
    >>> normalize_doi("doi:10.48550/arXiv.2106.09685")
    '10.48550/arxiv.2106.09685'
    """
    match = _DOI_RE.search(text.strip())
    if not match:
        return None
    doi = match[0].rstrip(".,;")
    while doi.endswith(")") and doi.count(")") > doi.count("("):
        doi = doi[:-1].rstrip(".,;")
    return doi.lower()


def doi_url(doi: str) -> str:
    """The resolver link of a DOI: ``https://doi.org/10.1145/3442188.3445922``."""
    return RESOLVER + doi
