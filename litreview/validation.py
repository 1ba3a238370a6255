"""Checks of the arguments public functions take, with one kind of error for each kind of mistake.

A wrong type is a ``TypeError`` and a wrong value a ``ValueError`` (as in
scikit-learn); each message names the parameter, what it got and what it
accepts, so the user can fix the call from the message alone.  This module
imports nothing from litreview and nothing heavy at import time.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from typing import Any


def _frame_type():
    import pandas as pd

    return pd.DataFrame


def check_frame(frame: Any, name: str, columns: Iterable[str] = (), hint: str = "") -> None:
    """``frame`` must be a pandas DataFrame holding ``columns``.

    A non-DataFrame is a ``TypeError``; missing columns a ``ValueError`` naming
    them and the columns the frame has.  ``hint`` ends the message (where such
    a table comes from, ``"load it with lr.load()"``).
    """
    if not isinstance(frame, _frame_type()):
        raise TypeError(f"{name} must be a pandas DataFrame, got {type(frame).__name__}" + _tail(hint))
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{name} lacks column(s) {missing}; it has {list(frame.columns)}" + _tail(hint))


def check_choice(value: Any, name: str, choices: Collection[Any]) -> None:
    """``value`` must be one of ``choices`` (``None`` counts when it is listed)."""
    hashable = getattr(type(value), "__hash__", None) is not None
    if not hashable or value not in choices:
        raise ValueError(f"{name} must be one of {_listed(choices)}, got {value!r}")


def check_int(value: Any, name: str, min: int | None = None, *, none: bool = False) -> None:
    """``value`` must be a whole number (not a bool), at least ``min``; ``None`` too when ``none``."""
    if value is None and none:
        return
    if isinstance(value, bool) or not _is_int(value):
        accepts = "a whole number" + (" or None" if none else "")
        raise TypeError(f"{name} must be {accepts}, got {type(value).__name__} {value!r}")
    if min is not None and value < min:
        raise ValueError(f"{name} must be {min} or more, got {value!r}")


def check_fraction(value: Any, name: str, *, low_open: bool = True) -> None:
    """``value`` must be a number in (0, 1] (or [0, 1] with ``low_open=False``)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) and not _is_number(value):
        raise TypeError(f"{name} must be a number, got {type(value).__name__} {value!r}")
    ok = (0 < value <= 1) if low_open else (0 <= value <= 1)
    if not ok:
        raise ValueError(f"{name} must be a fraction in {'(0, 1]' if low_open else '[0, 1]'}, got {value!r}")


def check_bool(value: Any, name: str) -> None:
    """``value`` must be ``True`` or ``False``."""
    if not isinstance(value, bool) and type(value).__name__ != "bool_":
        raise TypeError(f"{name} must be True or False, got {type(value).__name__} {value!r}")


def check_topics(topics: Any, name: str = "topics", known: Collection[str] | None = None) -> list[str] | None:
    """A topic selection as a list of slugs, or ``None`` (every topic).

    A single string is taken as one topic (``"peft"`` means ``["peft"]``);
    anything else must be a list-like of strings (``TypeError`` otherwise).
    With ``known``, a slug outside it is a ``ValueError`` naming the slugs
    known.  A topic that no paper has is not an error: it gives empty rows.
    """
    if topics is None:
        return None
    if isinstance(topics, str):
        topics = [topics]
    if not isinstance(topics, Iterable) or isinstance(topics, (bytes, dict)) or _is_frame(topics):
        raise TypeError(f"{name} must be a list of topic slugs (or None for every topic), got {type(topics).__name__}")
    selection = list(topics)
    odd = [t for t in selection if not isinstance(t, str)]
    if odd:
        raise TypeError(f"{name} must hold topic slugs (strings); got {odd[:3]!r}")
    if known is not None:
        unknown = [t for t in selection if t not in known]
        if unknown:
            raise ValueError(f"{name} has unknown topic(s) {unknown}{did_you_mean(unknown, known)}; "
                             f"the topics are {_listed(sorted(known))}")
    return selection


def check_pair(topic_a: str, topic_b: str) -> None:
    """Two topics to compare must differ: one topic twice has nothing to compare (both given as slugs)."""
    if topic_a == topic_b:
        raise ValueError(f"topic_a and topic_b are both {topic_a!r}: choose two different topics to compare")


def did_you_mean(unknown: Iterable[str], known: Iterable[str]) -> str:
    """`` (did you mean x, y?)`` naming the known slug closest to each unknown one (case aside), or ``""``."""
    import difflib

    by_case = {k.casefold(): k for k in known}
    near = [by_case[m] for t in unknown for m in difflib.get_close_matches(t.casefold(), by_case, n=1)]
    return f" (did you mean {', '.join(dict.fromkeys(near))}?)" if near else ""


TAXONOMY_TOPICS = "taxonomy_topics"  # lr.tag keeps its taxonomy's slugs in the table's attrs under this key


def known_topics(tagged: Any) -> list[str] | None:
    """The slugs of the taxonomy ``tagged`` was tagged with (``lr.tag`` keeps them in ``DataFrame.attrs``), or
    ``None`` when the table does not say (made by hand, or pandas dropped its attrs): a topic outside them is
    a misspelt slug or a label, not a topic without papers."""
    known = getattr(tagged, "attrs", {}).get(TAXONOMY_TOPICS)
    return list(known) if known is not None else None


def _is_int(value: Any) -> bool:
    import numbers

    return isinstance(value, numbers.Integral)


def _is_number(value: Any) -> bool:
    import numbers

    return isinstance(value, numbers.Real)


def _is_frame(value: Any) -> bool:
    return type(value).__name__ == "DataFrame" and type(value).__module__.startswith("pandas")


def _listed(choices: Sequence[Any] | Collection[Any]) -> str:
    return ", ".join(repr(c) for c in choices)


def _tail(hint: str) -> str:
    return f"; {hint}" if hint else ""
