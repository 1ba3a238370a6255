"""A selection on the way in: the slice of a field a review studies, taken while a corpus is read.

:func:`litreview.load` applies a :class:`Selection` to every file as it is read, and the bulk readers
(OpenAlex snapshot parts, gzipped JSON Lines) to every block of a file, so the papers outside it are
never held: reading a snapshot of millions of works for the few thousand of a topic takes the memory of
the few thousand.  The selection is applied before merging.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from litreview.schema import COLUMNS, INT_COLUMNS, LIST_COLUMNS

_ALWAYS_KEPT = ("id", "quality_flags", "source", "provenance")
_PARAMETERS = ("years", "topics", "categories", "fields")  # Selection's, the keys of a select= dict


@dataclass(frozen=True)
class Selection:
    """Which papers, and which of their fields, to keep while reading.

    Parameters
    ----------
    years : (int or None, int or None), optional
        A year window, both ends included; ``None`` leaves an end open.  Papers without a year are left out.
        A window that ends before it starts is a ``ValueError``; a year given as text a ``TypeError``.
    topics : iterable of str
        Keep papers with one of these keywords or categories, compared without case: an OpenAlex work's
        topics (its categories) and its keywords, or its concepts of score 0.3 or more when it has no keywords.
    categories : iterable of str
        Keep papers with one of these categories; ``cs`` takes every ``cs.*`` category (arXiv's).
    fields : iterable of str, optional
        Schema fields to keep; the others are left missing (``id``, ``quality_flags``, ``source`` and
        ``provenance`` are always kept).

    Examples
    --------
    >>> papers = pd.DataFrame({"title": ["A", "B", "C"], "year": [2015, 2019, None],
    ...                        "categories": [["cs.CL"], ["math.ST"], ["cs.LG"]]})
    >>> lr.Selection(years=(2016, None)).apply(papers)["title"].tolist()
    ['B']
    >>> lr.Selection(categories=["cs"]).apply(papers)["title"].tolist()
    ['A', 'C']
    """

    years: tuple[int | None, int | None] | None = None
    topics: Iterable[str] = ()
    categories: Iterable[str] = ()
    fields: Iterable[str] | None = None

    def __post_init__(self) -> None:
        if self.years is not None:
            if not (isinstance(self.years, (tuple, list)) and len(self.years) == 2):
                raise TypeError(f"years must be a pair (first, last), not {self.years!r}")
            for end in self.years:
                if end is not None and (not isinstance(end, (int, np.integer)) or isinstance(end, bool)):
                    raise TypeError(f"years must hold whole years or None, not {end!r}")
            first, last = self.years
            if first is not None and last is not None and first > last:
                raise ValueError(f"years: the window ({first}, {last}) ends before it starts; give (first, last), "
                                 f"such as ({last}, {first})")
            object.__setattr__(self, "years", tuple(self.years))
        for name in ("topics", "categories"):
            value = getattr(self, name)
            if isinstance(value, str):
                value = [value]
            object.__setattr__(self, name, tuple(str(v).casefold() for v in value))
        if self.fields is not None:
            fields = (self.fields,) if isinstance(self.fields, str) else tuple(self.fields)
            unknown = [f for f in fields if f not in COLUMNS]
            if unknown:
                raise ValueError(f"fields: {unknown} are not schema fields; choose from {', '.join(COLUMNS)}")
            object.__setattr__(self, "fields", fields)

    @property
    def filters(self) -> bool:
        """Whether the selection leaves papers out (and not only fields)."""
        return self.years is not None or bool(self.topics) or bool(self.categories)

    def year_window(self) -> tuple[int, int]:
        first, last = self.years or (None, None)
        return (-(2**62) if first is None else int(first), 2**62 if last is None else int(last))

    def mask(self, papers: pd.DataFrame) -> np.ndarray:
        """True for the rows of ``papers`` the selection keeps."""
        keep = np.ones(len(papers), dtype=bool)
        if self.years is not None:
            first, last = self.year_window()
            years = pd.array(papers["year"], dtype="Int64")
            keep &= np.asarray(((years >= first) & (years <= last)).fillna(False), dtype=bool)
        if self.topics:
            wanted = set(self.topics)
            keep &= [
                any(str(t).casefold() in wanted for t in list(k or []) + list(c or []))
                for k, c in zip(papers["keywords"], papers["categories"])
            ]
        if self.categories:
            keep &= [any(self._category(str(c).casefold()) for c in cats or []) for cats in papers["categories"]]
        return keep

    def _category(self, category: str) -> bool:
        return any(category == c or category.startswith(c + ".") for c in self.categories)

    def apply(self, papers: pd.DataFrame) -> pd.DataFrame:
        """The rows and fields of ``papers`` the selection keeps (a new table; row order kept)."""
        out = papers
        if self.filters and len(papers):
            keep = self.mask(papers)
            if not keep.all():
                out = papers.loc[keep].reset_index(drop=True)
        if self.fields is not None:
            out = out.copy() if out is papers else out
            for col in COLUMNS:
                if col in self.fields or col in _ALWAYS_KEPT or col not in out:
                    continue
                if col in LIST_COLUMNS:
                    out[col] = pd.Series([[] for _ in range(len(out))], index=out.index, dtype=object)
                elif col in INT_COLUMNS:
                    out[col] = pd.array([None] * len(out), dtype="Int64")
                else:
                    out[col] = pd.Series([None] * len(out), index=out.index, dtype=object)
        return out


def as_selection(select) -> Selection | None:
    """``select=`` as :func:`litreview.load` takes it: a :class:`Selection`, a dict of its parameters, or None."""
    if select is None or isinstance(select, Selection):
        return select
    if isinstance(select, dict):
        unknown = [k for k in select if k not in _PARAMETERS]
        if unknown:
            raise TypeError(f"select: unknown key(s) {', '.join(map(repr, unknown))}; "
                            f"the keys are {', '.join(_PARAMETERS)}")
        return Selection(**select)
    raise TypeError(f"select must be a Selection or a dict of its parameters, not {type(select).__name__}")
