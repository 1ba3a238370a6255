"""What every writer needs: the kind of a venue, and table cells as plain values."""

from __future__ import annotations

import re
from typing import Any, Literal

import pandas as pd

from litreview.fields.arxiv import arxiv_from_url
from litreview.fields.doi import normalize_doi
from litreview.io.merge import KEY_ALIAS_PREFIX
from litreview.io.readers.bibtex_syntax import braced_end

CONFERENCE_ACRONYMS: tuple[str, ...] = (
    "AAAI", "AACL", "ACL", "AISTATS", "CHI", "CIKM", "COLING", "COLM", "COLT", "CoNLL", "CoRL", "CVPR", "EACL",
    "ECCV", "EMNLP", "FAccT", "ICASSP", "ICCV", "ICLR", "ICML", "ICRA", "IJCAI", "INTERSPEECH", "Interspeech",
    "IROS", "KDD", "LREC", "MICCAI", "NAACL", "NeurIPS", "NIPS", "SIGIR", "UAI", "WACV", "WSDM", "WWW",
)  # fmt: skip
_JOURNAL_WORDS = re.compile(
    r"\b(?:journal|transactions|letters|magazine|annals|bulletin)\b"
    r"|\bproceedings of the (?:national academy|ieee|royal society)\b",
    re.IGNORECASE,
)
_CONFERENCE_WORDS = re.compile(
    r"\b(?:conference|conf|proceedings|proc|workshops?|symposium|congress|colloquium|meeting)\b"
    r"|\badvances in neural information processing systems\b",  # (NeurIPS's proceedings, by their title)
    re.IGNORECASE,
)
_CONFERENCE_ACRONYM = re.compile(r"\b(?:" + "|".join(CONFERENCE_ACRONYMS) + r")\b")
_PREPRINT = re.compile(r"^\s*(?:arxiv|biorxiv|medrxiv|chemrxiv|ssrn|corr|preprints?)\b", re.IGNORECASE)


def venue_kind(venue: str | None) -> Literal["preprint", "journal", "conference"]:
    """What a venue is, for the entry or reference type an export gives it.

    No venue or a preprint server is ``preprint``; a name with a journal word
    (Journal, Transactions, Letters, ..., and the journals PNAS and Proceedings of
    the IEEE) is ``journal``; a conference word or a known conference acronym is
    ``conference``; anything else is a ``journal``.

    >>> venue_kind("ICLR"), venue_kind("Nature"), venue_kind("arXiv"), venue_kind(None)
    ('conference', 'journal', 'preprint', 'preprint')
    >>> venue_kind("Advances in Neural Information Processing Systems 8")
    'conference'
    """
    if not venue or _PREPRINT.match(venue):
        return "preprint"
    if _JOURNAL_WORDS.search(venue):
        return "journal"
    if _CONFERENCE_WORDS.search(venue) or _CONFERENCE_ACRONYM.search(venue):
        return "conference"
    return "journal"


def missing(value: Any) -> bool:
    """``None``, NaN, ``<NA>`` or ``NaT``; never a list (list columns hold lists)."""
    if value is None or isinstance(value, str):
        return value is None
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # not a scalar
        return False


def items(value: Any) -> list[Any]:
    """A list column's items (a list, tuple or array); a lone string is one item."""
    if isinstance(value, str):
        return [value]
    if value is None or not hasattr(value, "__iter__"):
        return []
    return list(value)


def integer(value: Any) -> int | None:
    if missing(value):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# --- what export overlays on a source record ---------------------------------------------------


def key_aliases(row: dict[str, Any], key: str | None) -> list[str]:
    """The citation keys of records merged into ``row`` (``key:<key>`` in ``external_ids``, see
    :mod:`litreview.io.merge`), other than ``key``, in order."""
    ids = [str(e) for e in items(row.get("external_ids"))]
    aliases = [e[len(KEY_ALIAS_PREFIX) :] for e in ids if e.startswith(KEY_ALIAS_PREFIX)]
    return [a for a in dict.fromkeys(aliases) if a and a != key]


def added_keywords(keywords: Any, own: list[str]) -> list[str]:
    """The row's keywords (its topics and decision included) that the source record's ``own`` lack."""
    present = {k.strip().casefold() for k in own}
    added = []
    for word in items(keywords):
        if isinstance(word, str) and word.strip() and word.strip().casefold() not in present:
            present.add(word.strip().casefold())
            added.append(word.strip())
    return added


def append_to_value(raw: str, addition: str) -> str:
    """A BibTeX value as written (``{a, b}``, ``"a"``, ``macro # {x}``) with ``addition`` (``", c"``)
    appended to its text; a value empty before keeps no leading separator."""
    raw = raw.strip()
    for opener, closer, end in (("{", "}", braced_end), ('"', '"', None)):
        if len(raw) >= 2 and raw[0] == opener and raw[-1] == closer:
            whole = braced_end(raw, 1, len(raw)) == len(raw) - 1 if end else '"' not in raw[1:-1]
            if whole:
                inner = raw[1:-1]
                text = inner + addition if inner.strip() else addition.lstrip(",; ")
                return f"{opener}{text}{closer}"
    return f"{raw} # {{{addition}}}"


_DOI_RESOLVER = re.compile(r"^\s*https?://(?:dx\.)?doi\.org/", re.IGNORECASE)


def restates_ids(url: Any, arxiv_id: Any, doi: Any) -> bool:
    """Whether ``url`` is only the link of ``arxiv_id`` (its arxiv.org page, any version) or of ``doi`` (a
    doi.org link): a record that gives those ids gains nothing from it (:func:`litreview.io.export`)."""
    if missing(url):
        return False
    text = str(url)
    found = arxiv_from_url(text)
    if found is not None and not missing(arxiv_id) and found[0] == str(arxiv_id):
        return True
    return bool(_DOI_RESOLVER.match(text)) and not missing(doi) and normalize_doi(text) == normalize_doi(str(doi))
