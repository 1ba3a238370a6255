"""What every writer needs: the kind of a venue, and table cells as plain values."""

from __future__ import annotations

import re
from typing import Any, Literal

import pandas as pd

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
    r"\b(?:conference|conf|proceedings|proc|workshops?|symposium|congress|colloquium|meeting)\b", re.IGNORECASE
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
