"""DOIs: one normal form for every reader, the writers and merging.

A DOI is written bare (``10.1145/3442188.3445922``), with a ``doi:`` label, or as a link through a
resolver (``https://doi.org/``, ``http://dx.doi.org/``, ``https://www.doi.org/``); DOIs are
case-insensitive, so the normal form is the bare DOI in lower case, without the trailing punctuation of
the sentence it sat in.
"""

from __future__ import annotations

import re

_DOI_RE = re.compile(r"10\.\d{4,9}/\S+", re.IGNORECASE)
# a DOI in the normal form (printable ASCII, no capital, not ending in punctuation a sentence leaves): what
# normalize_doi gives for it is itself
_NORMAL_DOI = re.compile(r"10\.[0-9]{4,9}/[\x21-\x40\x5b-\x7e]*[\x21-\x28\x2a\x2b\x2d\x2f-\x3a\x3c-\x40\x5b-\x7e]")
RESOLVER = "https://doi.org/"


def normalize_doi(text: str) -> str | None:
    """Lower-case DOI without a resolver or ``doi:`` prefix; ``None`` when ``text`` holds no DOI.

    >>> normalize_doi("https://dx.doi.org/10.1145/3442188.3445922.")
    '10.1145/3442188.3445922'
    >>> normalize_doi("doi:10.48550/arXiv.2106.09685")
    '10.48550/arxiv.2106.09685'
    """
    if type(text) is str and _NORMAL_DOI.fullmatch(text):  # (the normal form already, as a loaded table's DOIs)
        return text
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


# The columnar twin of normalize_doi: one pass over a whole column (pyarrow), for the columnar readers.
# It handles the common shape (printable ASCII, no inner space, not ending in punctuation the per-value
# rule would trim) and marks every other value for normalize_doi itself.
_DOI_ARROW = r"(?i)10\.\d{4,9}/[\x21-\x7e]+"
# a value that is such a DOI alone and ends in none of the punctuation normalize_doi trims: the DOI is the value
_BARE_DOI_ARROW = r"^10\.\d{4,9}/[\x21-\x7e]*[\x21-\x28\x2a\x2b\x2d\x2f-\x3a\x3c-\x7e]$"


def normalize_doi_arrow(values):
    """:func:`normalize_doi` over a pyarrow string array of stripped, non-empty values.

    Returns ``(dois, ok)``: a string array (null where no DOI was found) and a boolean numpy array,
    False where the value needs :func:`normalize_doi` itself (anything outside the common shape).

    >>> import pyarrow as pa
    >>> dois, ok = normalize_doi_arrow(pa.array(["https://doi.org/10.1145/AB", "10.1145/x.", None]))
    >>> dois.to_pylist(), ok.tolist()
    (['10.1145/ab', None, None], [True, False, True])
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    bare = np.asarray(pc.fill_null(pc.match_substring_regex(values, _BARE_DOI_ARROW), True), dtype=bool)
    lowered = pc.utf8_lower(values)
    if bare.all():  # (one pass tells a value that is a DOI alone; finding the DOI in a value takes four)
        return lowered, bare
    rest = pa.array(~bare)
    dois, ok = _find_dois(values.filter(rest))
    found = bare.copy()
    found[~bare] = ok
    return pc.replace_with_mask(lowered, rest, dois), found


def _find_dois(values):
    """:func:`normalize_doi_arrow` of values that are not bare DOIs: the DOI found in each."""
    import numpy as np
    import pyarrow.compute as pc

    present = pc.is_valid(values)
    simple = pc.and_(pc.string_is_ascii(values), pc.match_substring_regex(values, r"^[\x21-\x7e]+$"))
    found = pc.extract_regex(values, r"(?P<doi>" + _DOI_ARROW + ")")
    doi = pc.struct_field(found, [0])
    trailing = pc.match_substring_regex(doi, r"[.,;)]$")
    ok = pc.and_(pc.and_(simple, pc.is_valid(doi)), pc.invert(trailing))
    ok = pc.or_(pc.invert(present), pc.fill_null(ok, False))
    lowered = pc.utf8_lower(doi)
    return pc.if_else(ok, lowered, None), np.asarray(ok.to_numpy(zero_copy_only=False), dtype=bool)
