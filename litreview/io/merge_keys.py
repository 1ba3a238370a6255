"""The keys records are merged on (see :mod:`litreview.io.merge`): per value, and for whole columns.

:func:`record_keys` gives every record's keys as a small table (arXiv id, DOI, squashed title, opening
words of the abstract, year, first author's surname, title, source): what :func:`~litreview.io.merge.find_duplicates`
groups, and what the Dask merge brings together instead of the records themselves.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

from litreview.fields.arxiv import arxiv_from_doi, is_arxiv_doi
from litreview.fields.doi import normalize_doi
from litreview.fields.ids import normalize_title, title_words
from litreview.fields.names import author_key, first_author_surnames

ABSTRACT_KEY_WORDS = 25
KEY_COLUMNS = ("arxiv", "doi", "title", "abstract", "year", "surname", "title_text", "source")


def record_keys(
    records: pd.DataFrame, merge_on: Iterable[str] = ("abstract",), *, squashed: list[str | None] | None = None
) -> pd.DataFrame:
    """The merge keys of every record (the abstract's only when ``merge_on`` names it), on a 0..n-1 index;
    ``squashed``: the titles' keys (:func:`squashed_titles`) when the caller has them already."""
    return pd.DataFrame(key_lists(records, merge_on, squashed=squashed), columns=list(KEY_COLUMNS), dtype=object)


def key_lists(
    records: pd.DataFrame,
    merge_on: Iterable[str] = ("abstract",),
    *,
    squashed: list[str | None] | None = None,
    shared_only: bool = False,
) -> dict[str, list]:
    """:func:`record_keys`' columns as lists (what the merge reads them as: no table made and read back);
    ``shared_only``: the abstracts' keys only where another record's may be the same (:func:`shared_abstract_keys`:
    what grouping needs, a third of the work)."""
    merge_on = tuple(merge_on)
    n = len(records)
    abstract_key = shared_abstract_keys if shared_only else lambda texts: [_abstract_key(a) for a in texts]
    return {
        "arxiv": [_arxiv_key(a, d) for a, d in zip(records["arxiv_id"].tolist(), records["doi"].tolist())],
        "doi": [_doi_key(d) for d in records["doi"].tolist()],
        "title": squashed_titles(records["title"].tolist()) if squashed is None else squashed,
        # (value by value: the opening words are a bounded slice, and a one-pass version measured slower)
        "abstract": abstract_key(records["abstract"].tolist()) if "abstract" in merge_on else [None] * n,
        "year": pd.array(records["year"], dtype="Int64").to_numpy(dtype=object, na_value=None).tolist(),
        "surname": first_author_surnames(records["authors"].tolist()),
        "title_text": records["title"].tolist(),
        "source": records["source"].tolist(),
    }


def _first_author_surname(authors: list[str]) -> str | None:
    if not authors:
        return None
    key = author_key(authors[0])
    return key.split(" ")[0] if key else None


_HEAD_CHARS = ABSTRACT_KEY_WORDS * 12
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_NON_ASCII_BYTE = re.compile(rb"[\x80-\xff]")
# characters outside ASCII that normalize_title makes a space of, as a space in ASCII is (NFKD leaves them, or
# gives a space or dots; none is a mark or a word character, none looks at its neighbours): as UTF-8
SPACE_LIKE = "\u201c\u201d\u2018\u2019\u2014\u2013\xa0\u2026"
_SPACE_LIKE_BYTES = tuple(c.encode() for c in SPACE_LIKE)
# normalize_title's ASCII path as one bytes.translate: letters lower-cased, digits kept, braces and $
# dropped, every other character a space
_ASCII_WORD_BYTES = bytes((ord(chr(c).lower()) if chr(c).isalnum() else 32) if c < 128 else c for c in range(256))


def _abstract_key(abstract: str | None) -> str | None:
    if not abstract:
        return None
    # Only the opening matters: normalise a bounded prefix, not the whole text.
    # The prefix may end inside a word, so it must hold one word more than the key.
    head = abstract[:_HEAD_CHARS]
    if "\\" not in head:  # (most abstracts, in a quarter of the time)
        # The text before the first character outside ASCII: where it holds one word more than the key,
        # the key is its first words (normalize_title folds ASCII one character at a time, so what
        # follows cannot change the words before the last)
        if head.isascii():
            ascii_head = head.encode()
        else:  # (typographic quotes, dashes and no-break spaces part words as a space does: spaces first)
            ascii_head = head.encode("utf-8", "surrogatepass")
            for mark in _SPACE_LIKE_BYTES:
                ascii_head = ascii_head.replace(mark, b" ")
            if not ascii_head.isascii():
                ascii_head = ascii_head[: _NON_ASCII_BYTE.search(ascii_head).start()]
        words = ascii_head.translate(_ASCII_WORD_BYTES, b"{}$").split(None, ABSTRACT_KEY_WORDS)
        if len(words) > ABSTRACT_KEY_WORDS:  # one word more than the key: the key's last word is whole
            return b" ".join(words[:ABSTRACT_KEY_WORDS]).decode()
    words = title_words(head)
    if len(words) <= ABSTRACT_KEY_WORDS and len(head) < len(abstract):
        words = title_words(abstract)
    elif len(head) < len(abstract):
        words = words[:-1]
    return " ".join(words[:ABSTRACT_KEY_WORDS]) if len(words) >= ABSTRACT_KEY_WORDS else None


# An abstract's proxy: the first _PROXY_CHARS letters and digits of its key (lower case), read from its opening
# _PROXY_HEAD characters.  Holding that many letters and digits, the opening has at most _PROXY_HEAD - _PROXY_CHARS
# other characters, so at most 25 words: its letters and digits are the key's, whichever rule makes the key.
_PROXY_CHARS = 48
_PROXY_HEAD = 72


def shared_abstract_keys(abstracts: list) -> list[str | None]:
    """:func:`_abstract_key` of each abstract whose key another's may equal; ``None`` for the others, whose key
    no other abstract has (so it can join nothing).

    Equal keys have equal proxies (:func:`_abstract_proxy`), which cost a fifth of a key: only the abstracts whose
    proxy another shares need their key.

    >>> opening = "We study how large language models learn new tasks from a few examples given in the prompt, "
    >>> opening += "which of the examples help most, and why "
    >>> keys = shared_abstract_keys([opening + "they fail.", opening.upper() + "THEY FAIL!", "Graphs, briefly.", None])
    >>> keys[0] == keys[1] == " ".join(opening.lower().replace(",", "").split()[:25]), keys[2:]
    (True, [None, None])
    """
    proxies, keys = zip(*map(_abstract_proxy, abstracts)) if abstracts else ((), ())
    keys = list(keys)
    proxies = pd.Series(proxies, dtype=object)
    for i in np.flatnonzero((proxies.notna() & proxies.duplicated(keep=False)).to_numpy()).tolist():
        if keys[i] is None:
            keys[i] = _abstract_key(abstracts[i])
    return keys


def _abstract_proxy(abstract) -> tuple[bytes | None, str | None]:
    """An abstract's proxy, and its key where working the proxy out took it (else ``None``)."""
    if not abstract or type(abstract) is not str:
        return None, None
    head = abstract[:_PROXY_HEAD]
    if head.isascii() and "\\" not in abstract:  # (a LaTeX command anywhere may change the key's words)
        letters = head.encode().translate(_LOWER_BYTES, _NOT_ALNUM_BYTES)
        if len(letters) >= _PROXY_CHARS:
            return letters[:_PROXY_CHARS], None
    key = _abstract_key(abstract)
    return (None, None) if key is None else (key.replace(" ", "")[:_PROXY_CHARS].encode(), key)


def _arxiv_key(arxiv_id, doi) -> str | None:
    if isinstance(arxiv_id, str) and arxiv_id:
        return arxiv_id
    if isinstance(doi, str):
        parsed = arxiv_from_doi(doi)
        if parsed:
            return parsed[0]
    return None


def _doi_key(doi) -> str | None:
    if not isinstance(doi, str) or not doi:
        return None
    key = normalize_doi(doi) or doi.strip().lower()
    return None if is_arxiv_doi(key) else key


_UPPER = bytes(range(65, 91))
_LOWER_BYTES = bytes.maketrans(_UPPER, _UPPER.lower())
_NOT_ALNUM_BYTES = bytes(c for c in range(128) if not chr(c).isalnum())


def squashed_titles(titles) -> list[str | None]:
    """:func:`_squashed_title` of every title: an ASCII title without LaTeX is its letters and digits in lower
    case (one ``bytes.translate``, a tenth of the time of pyarrow's regex kernel on Python strings); the others
    take the per-value rule.

    >>> squashed_titles(["LIMA: Less Is More", None, "{B}ERT", "Schrödinger", "a\\_b"])
    ['limalessismore', None, 'bert', 'schrodinger', 'ab']
    """
    return [
        (title.encode().translate(_LOWER_BYTES, _NOT_ALNUM_BYTES).decode() or None)
        if type(title) is str and title.isascii() and "\\" not in title
        else _squashed_title(title)
        for title in titles
    ]


def _squashed_title(title) -> str | None:
    if not isinstance(title, str):
        return None
    return normalize_title(title).replace(" ", "") or None
