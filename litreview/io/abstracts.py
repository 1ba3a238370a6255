"""Abstracts as some sources give them: PDF-extracted text, and placeholders.

Text extracted from PDFs (proceedings sites, some bulk dumps) keeps the layout's spacing (runs of
spaces, line breaks) and the soft hyphens that split words at line ends, written as the glyph code
``(cid:173)`` or as U+00AD (``naviga(cid:173) tion``).  Both inflate a text's length and split its
words, so the tagger's field floor misreads such papers as outside the field and ``cid`` shows among
the distinctive terms.  On load, an abstract's runs of ASCII whitespace (and any line break or tab)
become one space, and a soft hyphen joins the word it split (flag ``soft-hyphens-joined``).

Some sources fill the abstract with a placeholder (``Abstract Unavailable``, Scopus's
``[No abstract available]``), the title again, an author's name, or a fragment of fewer than three
words (``We``, ``Advances``: a PDF's first line cut short).  Such an abstract is left missing
(flags ``placeholder-abstract`` and ``no-abstract``); the source's own value stays in
``source_fields`` where the format keeps one, so an export to the same format writes it back.
"""

from __future__ import annotations

import itertools
import operator
import re

import numpy as np

SOFT_HYPHENS_JOINED = "soft-hyphens-joined"
PLACEHOLDER = "placeholder-abstract"

_SOFT_HYPHEN = re.compile(r"(?:\(cid:173\)|\u00ad)[ \t\n\r\f\v]*")
_SPACE_RUN = re.compile(r"[ \t\n\r\f\v]{2,}|[\t\n\r\f\v]")
_PLACEHOLDER_MAX_CHARS = 80  # (a longer abstract is read as one, unless it is the title again)
_PLACEHOLDERS = frozenset("""
abstract | abstract missing | abstract not available | abstract not provided | abstract unavailable |
missing abstract | n a | na | no abstract | no abstract available | no abstract available for this article |
no abstract provided | none | not applicable | not available | null | tba | tbd | unavailable
""".replace("\n", " ").split(" | ")) - {""}
_NOT_WORDS = re.compile(r"[\W_]+")

# What marks a value tidy_abstract may change, in UTF-8: a byte from tab to carriage return (9-13), and
# three byte pairs (as little-endian 16-bit words): two spaces, "(c" (of "(cid:173)") and U+00AD.
_SPACES, _CID, _SOFT = 0x2020, 0x6328, 0xADC2


def tidy_abstract(text: str) -> tuple[str, bool]:
    """``text`` with soft hyphens joined and whitespace runs as one space; and whether a hyphen was joined.

    >>> tidy_abstract("robots  learn naviga(cid:173) tion\\ntasks")
    ('robots learn navigation tasks', True)
    """
    joined = _SOFT_HYPHEN.subn("", text) if ("(cid:173)" in text or "\u00ad" in text) else (text, 0)
    return _SPACE_RUN.sub(" ", joined[0]).strip(), joined[1] > 0


def may_need_tidy(text: str) -> bool:
    """Whether :func:`tidy_abstract` may change ``text`` (a cheap test, so most values are not rewritten)."""
    return ("  " in text or "\n" in text or "\t" in text or "\r" in text or "\f" in text or "\v" in text
            or "(cid:173)" in text or (not text.isascii() and "\u00ad" in text))


def may_need_tidy_arrow(values) -> np.ndarray:
    """:func:`may_need_tidy` of each value of a pyarrow string array, as a numpy bool array.

    It reads the array's UTF-8 bytes with numpy (a Python test per value costs more than the rest of a
    column's conversion): a hit is a marking byte pair or byte, mapped to its value by the offsets.

    >>> import pyarrow as pa
    >>> may_need_tidy_arrow(pa.array(["a  b", "plain", None, "x\\ny", "naviga(cid:173) tion"])).tolist()
    [True, False, False, True, True]
    """
    from litreview.io.columnar.kernels import value_bytes

    data, offsets = value_bytes(values)
    out = np.zeros(len(values), dtype=bool)
    hits = _marked(data)
    if hits:
        out[np.searchsorted(offsets, np.concatenate(hits), side="right") - 1] = True
    return out


_SCAN_BYTES = 1 << 18


def _marked(data: np.ndarray) -> list[np.ndarray]:
    """Positions in ``data`` (UTF-8 bytes) of a byte from tab to carriage return or of a marking pair.  Each
    test is a pass of numpy over a quarter megabyte at a time, into one small scratch array (a mask of a
    whole block costs more in the page faults of fresh memory than the comparisons); U+00AD is looked for
    only where a byte may start it, the single bytes only where one is below the space."""
    scratch = np.empty(_SCAN_BYTES // 2 + 1, bool)
    found = []
    for begin in range(0, len(data), _SCAN_BYTES):
        part = data[begin : begin + _SCAN_BYTES + 1]  # (a byte more: a pair across the cut)
        if part.min() < 14:
            found.append(np.flatnonzero(np.subtract(part[:_SCAN_BYTES], 9, dtype=np.uint8) < 5) + begin)
        pairs = (_SPACES, _CID, _SOFT) if part.max() >= 0xC2 else (_SPACES, _CID)
        for start in (0, 1):  # the pairs at even and at odd offsets
            words = part[start : start + (len(part) - start) // 2 * 2].view("<u2")
            for pair in pairs:
                at = np.flatnonzero(np.equal(words, pair, out=scratch[: len(words)]))
                if len(at):
                    found.append(at * 2 + (begin + start))
    return found


def placeholder_rows(abstracts, titles, authors) -> list[int]:
    """The rows whose abstract is a placeholder, the title again, one of the paper's authors, or a fragment
    of fewer than three words.  Each argument is a list or an object array, one value per paper.

    >>> placeholder_rows(["Abstract Unavailable", "A real abstract.", "Volker Tresp", "[No abstract available]"],
    ...                  ["T1", "T2", "T3", "T4"], [[], [], ["Volker Tresp"], []])
    [0, 2, 3]
    """
    texts = np.asarray(abstracts, dtype=object)
    same = texts == np.asarray(titles, dtype=object)  # (a title repeated as the abstract, at any length)
    short = np.fromiter(map(operator.length_hint, abstracts, itertools.repeat(0)), np.int64, len(abstracts))
    found = set(np.flatnonzero(same & (short > 0)).tolist())
    for i in np.flatnonzero((short > 0) & (short <= _PLACEHOLDER_MAX_CHARS)).tolist():
        said = _plain(abstracts[i])
        named = authors[i] if isinstance(authors[i], list) else []
        if (said in _PLACEHOLDERS or said.count(" ") < 2 or said == _plain(titles[i])
                or any(said == _plain(n) for n in named)):
            found.add(i)
    return sorted(found)


def _plain(text) -> str:
    return _NOT_WORDS.sub(" ", text).strip().casefold() if isinstance(text, str) else ""


def drop_placeholders(frame):
    """Leave a papers table's placeholder abstracts missing, flagged (in place).  Returns ``frame``."""
    import pandas as pd

    if frame.empty or "abstract" not in frame:
        return frame
    rows = placeholder_rows(*(frame[col].to_numpy(dtype=object) for col in ("abstract", "title", "authors")))
    if rows:
        abstracts = frame["abstract"].to_numpy(dtype=object, copy=True)
        abstracts[rows] = None
        frame["abstract"] = pd.Series(abstracts, index=frame.index, dtype=object)
        flags = list(frame["quality_flags"])
        for i in rows:
            flags[i] = [*flags[i], *(f for f in (PLACEHOLDER, "no-abstract") if f not in flags[i])]
        frame["quality_flags"] = pd.Series(flags, index=frame.index, dtype=object)
    return frame
