"""Abstracts as some sources give them: PDF-extracted text, and placeholders.

Text extracted from PDFs (proceedings sites, some bulk dumps) keeps the layout's spacing (runs of
spaces, line breaks) and the soft hyphens that split words at line ends, written as the glyph code
``(cid:173)`` or as U+00AD (``naviga(cid:173) tion``).  Both inflate a text's length and split its
words, so the tagger's field floor misreads such papers as outside the field and ``cid`` shows among
the distinctive terms.  On load, an abstract's runs of ASCII whitespace (and any line break or tab)
become one space, and a soft hyphen joins the word it split (flag ``soft-hyphens-joined``).

Some sources fill the abstract with a placeholder (``Abstract Unavailable``, Scopus's
``[No abstract available]``), the title again, an author's name, or a fragment: fewer than three words
(``We``, ``Advances``: a PDF's first line cut short), or fewer than six with no sentence end (``that deals
with``, ``Henry Markram Brain Mind Institute``: an affiliation line; every abstract of three to five words in the
shared fixtures is such a fragment).  Such an abstract is left missing
(flags ``placeholder-abstract`` and ``no-abstract``); the source's own value stays in
``source_fields`` where the format keeps one, so an export to the same format writes it back.

A withdrawn paper's abstract is often the withdrawal notice alone (arXiv's ``This paper has been withdrawn by
the author``, ``This submission has been withdrawn by arXiv administrators because ...``, a publisher's ``This
article has been withdrawn at the request of the author(s) ...``): such an abstract, of up to
:data:`_NOTICE_MAX_WORDS` words, is left missing too and the paper flagged ``withdrawn``, so that papers
withdrawn alike are not taken for one abstract given to two papers.  A notice followed by the abstract is kept.

Some sources give one paper's abstract to another (two NeurIPS papers of 1994, on chaotic time series and on
the barn owl's auditory maps, carry one abstract).  After merging, a paper whose abstract another paper carries under a
different title is flagged ``shared-abstract``: the two stay apart (their titles and authors differ), and
:func:`litreview.similar_pairs` does not offer them as the closest pair.  They are found by grouping the
papers on the abstract's text, never by comparing every pair.
"""

from __future__ import annotations

import itertools
import operator
import re

import numpy as np
import pandas as pd

from litreview.fields.ids import normalize_title

SOFT_HYPHENS_JOINED = "soft-hyphens-joined"
PLACEHOLDER = "placeholder-abstract"
SHARED = "shared-abstract"
WITHDRAWN = "withdrawn"

_SOFT_HYPHEN = re.compile(r"(?:\(cid:173\)|\u00ad)[ \t\n\r\f\v]*")
_SPACE_RUN = re.compile(r"[ \t\n\r\f\v]{2,}|[\t\n\r\f\v]")
_FRAGMENT_WORDS = 6  # fewer words and no sentence end: a fragment (NeurIPS: "that deals with", an affiliation)
_PLACEHOLDER_MAX_CHARS = 80  # (a longer abstract is read as one, unless it is the title again)
_PLACEHOLDERS = frozenset("""
abstract | abstract missing | abstract not available | abstract not provided | abstract unavailable |
missing abstract | n a | na | no abstract | no abstract available | no abstract available for this article |
no abstract provided | none | not applicable | not available | null | tba | tbd | unavailable
""".replace("\n", " ").split(" | ")) - {""}
_NOT_WORDS = re.compile(r"[\W_]+")
_NOTICE_MAX_WORDS = 60  # a withdrawal notice's words at most (a publisher's, with its apology and policy link: 40)
_NOTICE_HEAD = 120  # characters within which a notice says "withdrawn"
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
# What the sentences after a notice's first speak of (arXiv's and publishers' notices), never an abstract's matter
_ABOUT_WITHDRAWAL = re.compile(r"withdr|error|mistake|flaw|incorrect|author|administrator|polic|apolog|request|"
                               r"publisher|editor|inconvenience|duplicat|plagiar|retract|replaced|supersed|"
                               r"version|arxiv|https?://|www\.", re.IGNORECASE)
_NOTICE = re.compile(r"(?:this|the) (?:paper|article|submission|manuscript|preprint|version|work|report)"
                     r"(?: \w+){0,3}? (?:has been|had been|is being|is|was) withdrawn\b")

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


def _lengths(texts) -> np.ndarray:
    """Each value's length, 0 for a missing one."""
    return np.fromiter(map(operator.length_hint, texts, itertools.repeat(0)), np.int64, len(texts))


def placeholder_rows(abstracts, titles, authors, lengths: np.ndarray | None = None) -> list[int]:
    """The rows whose abstract is a placeholder, the title again, one of the paper's authors, or a fragment
    (fewer than three words, or fewer than six with no sentence end).  Each argument is a list or an object
    array, one value per paper.

    >>> placeholder_rows(["Abstract Unavailable", "A real abstract.", "Volker Tresp", "[No abstract available]"],
    ...                  ["T1", "T2", "T3", "T4"], [[], [], ["Volker Tresp"], []])
    [0, 2, 3]
    >>> placeholder_rows(["that deals with", "We prove a bound on the error.", "Henry Markram Brain Mind Institute"],
    ...                  ["T1", "T2", "T3"], [[], [], []])
    [0, 2]
    """
    texts = np.asarray(abstracts, dtype=object)
    same = texts == np.asarray(titles, dtype=object)  # (a title repeated as the abstract, at any length)
    short = _lengths(abstracts) if lengths is None else lengths
    found = set(np.flatnonzero(same & (short > 0)).tolist())
    for i in np.flatnonzero((short > 0) & (short <= _PLACEHOLDER_MAX_CHARS)).tolist():
        said = _plain(abstracts[i])
        named = authors[i] if isinstance(authors[i], list) else []
        words = said.count(" ") + 1
        cut = words < 3 or (words < _FRAGMENT_WORDS and not abstracts[i].rstrip().endswith((".", "!", "?")))
        if (said in _PLACEHOLDERS or cut or said == _plain(titles[i])
                or any(said == _plain(n) for n in named)):
            found.add(i)
    return sorted(found)


def _plain(text) -> str:
    return _NOT_WORDS.sub(" ", text).strip().casefold() if isinstance(text, str) else ""


def withdrawal_rows(abstracts, lengths: np.ndarray | None = None) -> list[int]:
    """The rows whose abstract is a withdrawal notice alone (of up to :data:`_NOTICE_MAX_WORDS` words): its first
    sentence says the paper was withdrawn, and each sentence after it speaks of the withdrawal (an error, the
    authors, a policy, an apology, a link), so a notice followed by the abstract is kept.

    >>> withdrawal_rows(["This paper has been withdrawn by the author.", "We study graphs.", None,
    ...                  "This submission has been withdrawn by arXiv administrators because it is incomplete.",
    ...                  "The paper has been withdrawn effective today. " + "Pumps need a swirl-free flow. " * 12,
    ...                  "THIS ARTICLE HAS BEEN WITHDRAWN. The Publisher apologizes for any inconvenience.",
    ...                  "The paper has been withdrawn. We study graphs of bounded degree and their colouring."])
    [0, 3, 5]
    """
    lengths = _lengths(abstracts) if lengths is None else lengths
    found = []
    for i in np.flatnonzero((lengths > 0) & (lengths <= _NOTICE_MAX_WORDS * 12)).tolist():  # (12: a long word)
        if "ithdrawn" not in abstracts[i][:_NOTICE_HEAD].lower():  # (a cheap look first: most are no notice)
            continue
        first, *rest = _SENTENCE_END.split(abstracts[i].strip())
        if (abstracts[i].count(" ") < _NOTICE_MAX_WORDS and _NOTICE.match(_plain(first))
                and all(_ABOUT_WITHDRAWAL.search(sentence) for sentence in rest)):
            found.append(i)
    return found


def drop_placeholders(frame):
    """Leave a papers table's placeholder abstracts and withdrawal notices missing, flagged (in place).
    Returns ``frame``."""
    if frame.empty or "abstract" not in frame:
        return frame
    texts = frame["abstract"].to_numpy(dtype=object)
    lengths = _lengths(texts)
    rows = placeholder_rows(texts, frame["title"].to_numpy(dtype=object), frame["authors"].to_numpy(dtype=object),
                            lengths)
    withdrawn = withdrawal_rows(texts, lengths)
    if rows or withdrawn:
        abstracts = frame["abstract"].to_numpy(dtype=object, copy=True)
        flags = list(frame["quality_flags"])
        for found, flagged in ((rows, (PLACEHOLDER, "no-abstract")), (withdrawn, (WITHDRAWN, "no-abstract"))):
            abstracts[found] = None
            for i in found:
                flags[i] = [*flags[i], *(f for f in flagged if f not in flags[i])]
        frame["abstract"] = pd.Series(abstracts, index=frame.index, dtype=object)
        frame["quality_flags"] = pd.Series(flags, index=frame.index, dtype=object)
    return frame


def shared_abstract_rows(abstracts, titles) -> list[int]:
    """The rows whose abstract another row carries under a different title (titles compared as
    :func:`~litreview.fields.ids.normalize_title` folds them; a missing title is not a different one).
    Each argument is a list or an object array, one value per paper.

    >>> shared_abstract_rows(["One text.", "One text.", "Own text.", "Copy.", "Copy.", None, None, " ", " "],
    ...                      ["A paper", "Another paper", "C", "LoRA", "LORA.", "E", "F", "G", "H"])
    [0, 1]
    """
    texts = pd.Series(abstracts, dtype=object)
    given = np.fromiter((isinstance(t, str) and not t.isspace() and t != "" for t in abstracts), bool, len(texts))
    # most abstracts are their paper's own: only the repeated ones (a hash table's group-by) are looked at
    repeated = np.flatnonzero(given & texts.duplicated(keep=False).to_numpy())
    if not len(repeated):
        return []
    named = [normalize_title(t) if isinstance(t, str) and t.strip() else None
             for t in np.asarray(titles, dtype=object)[repeated]]
    titles_per_text = pd.Series(named, dtype=object).groupby(texts.to_numpy()[repeated]).transform("nunique")
    return repeated[titles_per_text.to_numpy() > 1].tolist()


def flag_shared_abstracts(frame):
    """Flag ``shared-abstract`` the papers of a merged table whose abstract another carries under a different
    title (in place).  Returns ``frame``."""
    if frame.empty or "abstract" not in frame:
        return frame
    rows = shared_abstract_rows(frame["abstract"].to_numpy(dtype=object), frame["title"].to_numpy(dtype=object))
    if rows:
        flags = list(frame["quality_flags"])
        for i in rows:
            flags[i] = [*flags[i], SHARED] if SHARED not in flags[i] else flags[i]
        frame["quality_flags"] = pd.Series(flags, index=frame.index, dtype=object)
    return frame


def flag_shared_abstracts_partitioned(papers):
    """:func:`flag_shared_abstracts` of a Dask DataFrame of merged papers (:func:`litreview.distributed.merge`),
    the same flags: each partition hashes its abstracts, only the rows of a repeated hash come together (where
    the texts themselves are compared, so two texts of one hash cost a comparison, never a wrong flag), and
    each partition flags its own rows."""
    digests = papers["abstract"].map_partitions(_abstract_digests, meta=("abstract", "uint64")).compute()
    labels = set(digests.index[digests.duplicated(keep=False)].tolist())
    if not labels:
        return papers
    candidates = papers[["abstract", "title"]].map_partitions(_rows_of, labels).compute()
    rows = shared_abstract_rows(candidates["abstract"].to_numpy(dtype=object),
                                candidates["title"].to_numpy(dtype=object))
    return papers.map_partitions(_flag_rows_of, set(candidates.index[rows].tolist()), meta=papers._meta)


def _abstract_digests(abstracts: pd.Series) -> pd.Series:
    present = abstracts.dropna()  # (a blank one may come through: shared_abstract_rows leaves it out)
    return pd.util.hash_pandas_object(present.astype(str), index=False)


def _rows_of(part, labels: set):
    return part[part.index.isin(labels)]


def _flag_rows_of(part, labels: set):
    hit = part.index.isin(labels)
    if not hit.any():
        return part
    out = part.copy()
    out["quality_flags"] = pd.Series([[*f, SHARED] if h and SHARED not in f else f
                                      for f, h in zip(out["quality_flags"], hit)], index=out.index, dtype=object)
    return out
