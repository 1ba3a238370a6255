"""Two reviewers: how far their screening decisions agree, which papers they disagree on, and the resolved result.

Each reviewer's decisions are a table from :func:`litreview.read_decisions` or
:func:`litreview.load_screening`, or the path of their decisions file; a single
file with a ``reviewer`` column is split with :func:`decisions_by_reviewer`.
Title-and-abstract decisions are compared (full-text rows are left aside).

Agreement is counted over the papers both reviewers decided: the share of
them with the same decision, and Cohen's kappa, the agreement beyond what two
reviewers deciding at random with their own include rates would reach:
``kappa = (p_observed - p_chance) / (1 - p_chance)`` with
``p_chance = pA(include) * pB(include) + pA(exclude) * pB(exclude)``.
"""

from __future__ import annotations

import os
import warnings

import numpy as np
import pandas as pd

AGREEMENT_COLUMNS = ["first", "second", "both_screened", "only_first", "only_second", "agreed", "conflicts",
                     "percent_agreement", "kappa"]
CONFLICT_COLUMNS = ["id", "first_decision", "first_reason", "second_decision", "second_reason"]
RESOLVED_COLUMNS = ["id", "stage", "decision", "reason", "resolved"]


def decisions_by_reviewer(decisions: pd.DataFrame | str | os.PathLike) -> dict[str, pd.DataFrame]:
    """One decisions table per reviewer, from a table or file with a ``reviewer`` column.

    Parameters
    ----------
    decisions : DataFrame or path
        Decisions with a ``reviewer`` on every row, or their file.

    Returns
    -------
    dict of str to DataFrame
        Each reviewer's decisions, reviewers in alphabetical order.

    Examples
    --------
    >>> decisions = pd.DataFrame({"id": ["a", "a", "b"], "decision": ["include", "exclude", "include"],
    ...                           "reviewer": ["bo", "ann", "bo"]})
    >>> {name: table["id"].tolist() for name, table in lr.decisions_by_reviewer(decisions).items()}
    {'ann': ['a'], 'bo': ['a', 'b']}
    """
    table = _table(decisions, "decisions")
    if "reviewer" not in table.columns:
        raise ValueError("decisions has no 'reviewer' column; pass each reviewer's decisions separately")
    reviewers = table["reviewer"].fillna("")
    if (reviewers == "").any():
        line = table.loc[reviewers == "", "line"].iloc[0] if "line" in table else reviewers.index[reviewers == ""][0]
        raise ValueError(f"a decision (line {line}) has no reviewer; fill in the reviewer column on every row")
    return {name: group.reset_index(drop=True) for name, group in table.groupby(reviewers, sort=True)}


def screening_agreement(first, second, *, names: tuple[str, str] = ("first", "second")) -> pd.DataFrame:
    """One row: papers both screened, those only one did, agreed, conflicts, percent agreement, Cohen's kappa.

    ``kappa`` is NaN when chance agreement is certain (both reviewers gave
    every paper the same single decision): kappa is undefined there.

    Parameters
    ----------
    first, second : DataFrame or path
        Each reviewer's decisions (``id``, ``decision``, optionally ``reason``, ``stage``), or their file.
    names : tuple of str
        The reviewers' names, for the ``first`` and ``second`` columns.

    Returns
    -------
    DataFrame
        One row: ``first``, ``second``, ``both_screened``, ``only_first``, ``only_second``,
        ``agreed``, ``conflicts``, ``percent_agreement``, ``kappa``.

    Examples
    --------
    >>> ann = pd.DataFrame({"id": ["a", "b", "c", "d"], "decision": ["include", "exclude", "include", "exclude"],
    ...                     "reason": ["", "off topic", "", "no data"]})
    >>> bo = pd.DataFrame({"id": ["a", "b", "c", "d"], "decision": ["include", "exclude", "exclude", "exclude"],
    ...                    "reason": ["", "off topic", "a review", "no data"]})
    >>> lr.screening_agreement(ann, bo, names=("ann", "bo"))[["agreed", "conflicts", "kappa"]].to_dict("records")
    [{'agreed': 3, 'conflicts': 1, 'kappa': 0.5}]
    """
    both, only_first, only_second = _paired(first, second)
    agreed = int((both["decision_first"] == both["decision_second"]).sum())
    n = len(both)
    row = {
        "first": names[0], "second": names[1], "both_screened": n, "only_first": only_first,
        "only_second": only_second, "agreed": agreed, "conflicts": n - agreed,
        "percent_agreement": 100.0 * agreed / n if n else float("nan"),
        "kappa": cohen_kappa(both["decision_first"], both["decision_second"]),
    }
    return pd.DataFrame([row], columns=AGREEMENT_COLUMNS)


def cohen_kappa(first, second) -> float:
    """Cohen's kappa of two equally long sequences of include/exclude decisions.

    Parameters
    ----------
    first, second : sequence of str
        ``include`` or ``exclude``, paper by paper, in the same order.

    Returns
    -------
    float
        NaN when there are no decisions or chance agreement is certain.

    Examples
    --------
    >>> lr.cohen_kappa(["include", "exclude", "include", "exclude"], ["include", "exclude", "exclude", "exclude"])
    0.5
    """
    a, b = np.asarray(first, dtype=object), np.asarray(second, dtype=object)
    if len(a) != len(b):
        raise ValueError(f"the two reviewers' decisions differ in length ({len(a)} and {len(b)})")
    if len(a) == 0:
        return float("nan")
    observed = float(np.mean(a == b))
    chance = sum(float(np.mean(a == c)) * float(np.mean(b == c)) for c in ("include", "exclude"))
    return float("nan") if chance == 1 else (observed - chance) / (1 - chance)


def screening_conflicts(first, second) -> pd.DataFrame:
    """The papers the two reviewers decided differently, with each one's decision and reason (sorted by id).

    Parameters
    ----------
    first, second : DataFrame or path
        Each reviewer's decisions (``id``, ``decision``, optionally ``reason``, ``stage``), or their file.

    Returns
    -------
    DataFrame
        ``id``, ``first_decision``, ``first_reason``, ``second_decision``, ``second_reason``.

    Examples
    --------
    >>> ann = pd.DataFrame({"id": ["a", "b", "c", "d"], "decision": ["include", "exclude", "include", "exclude"],
    ...                     "reason": ["", "off topic", "", "no data"]})
    >>> bo = pd.DataFrame({"id": ["a", "b", "c", "d"], "decision": ["include", "exclude", "exclude", "exclude"],
    ...                    "reason": ["", "off topic", "a review", "no data"]})
    >>> lr.screening_conflicts(ann, bo).values.tolist()
    [['c', 'include', '', 'exclude', 'a review']]
    """
    both, _, _ = _paired(first, second)
    differ = both[both["decision_first"] != both["decision_second"]]
    return pd.DataFrame({
        "id": differ["id"], "first_decision": differ["decision_first"], "first_reason": differ["reason_first"],
        "second_decision": differ["decision_second"], "second_reason": differ["reason_second"],
    }, columns=CONFLICT_COLUMNS).sort_values("id").reset_index(drop=True)


def resolve_screening(first, second, resolutions=None, *, unresolved: str = "raise") -> pd.DataFrame:
    """The decisions of a double-screened review, ready for :func:`litreview.prisma_flow`.

    A paper both reviewers decided alike keeps that decision (the first
    reviewer's reason, else the second's); a conflict takes its decision from
    ``resolutions`` (a decisions table or file, e.g. the third reviewer's or the
    pair's consensus); a paper only one reviewer has decided is not screened
    yet and is left out.  ``unresolved`` says what to do with a conflict that
    ``resolutions`` lacks: ``"raise"`` (a ValueError listing them) or ``"omit"``
    (left out, so counted as not yet screened, with a warning).
    Returns ``id``, ``stage``, ``decision``, ``reason`` and ``resolved``
    (True where the decision came from ``resolutions``), sorted by id.

    Parameters
    ----------
    first, second : DataFrame or path
        Each reviewer's decisions (``id``, ``decision``, optionally ``reason``, ``stage``), or their file.
    resolutions : DataFrame or path, optional
        The decisions that settle the conflicts.
    unresolved : {"raise", "omit"}
        What to do with a conflict ``resolutions`` does not settle.

    Returns
    -------
    DataFrame
        ``id``, ``stage``, ``decision``, ``reason``, ``resolved``.

    Examples
    --------
    >>> ann = pd.DataFrame({"id": ["a", "b", "c", "d"], "decision": ["include", "exclude", "include", "exclude"],
    ...                     "reason": ["", "off topic", "", "no data"]})
    >>> bo = pd.DataFrame({"id": ["a", "b", "c", "d"], "decision": ["include", "exclude", "exclude", "exclude"],
    ...                    "reason": ["", "off topic", "a review", "no data"]})
    >>> resolved = lr.resolve_screening(ann, bo, pd.DataFrame({"id": ["c"], "decision": ["include"]}))
    >>> resolved[["id", "decision", "resolved"]].values.tolist()
    [['a', 'include', False], ['b', 'exclude', False], ['c', 'include', True], ['d', 'exclude', False]]
    """
    if unresolved not in ("raise", "omit"):
        raise ValueError(f"unresolved must be 'raise' or 'omit', not {unresolved!r}")
    both, _, _ = _paired(first, second)
    agreed = both[both["decision_first"] == both["decision_second"]]
    rows = pd.DataFrame({
        "id": agreed["id"], "stage": "title-abstract", "decision": agreed["decision_first"],
        "reason": agreed["reason_first"].where(agreed["reason_first"].notna(), agreed["reason_second"]),
        "resolved": False,
    }, columns=RESOLVED_COLUMNS)
    conflicts = screening_conflicts(first, second)
    decided = _title_abstract(_table(resolutions, "resolutions")) if resolutions is not None else None
    if decided is not None:
        settled = decided[decided["id"].isin(conflicts["id"])]
        rows = pd.concat([rows, pd.DataFrame({
            "id": settled["id"], "stage": "title-abstract", "decision": settled["decision"],
            "reason": settled["reason"], "resolved": True,
        }, columns=RESOLVED_COLUMNS)], ignore_index=True)
    open_ids = sorted(set(conflicts["id"]) - set(rows["id"]))
    if open_ids:
        shown = ", ".join(repr(i) for i in open_ids[:10]) + (f" and {len(open_ids) - 10} more" if len(open_ids) > 10
                                                              else "")
        message = (f"{len(open_ids)} conflict(s) between the reviewers are not resolved: {shown}; record a decision "
                   "for each in the resolutions file (screening_conflicts lists them)")
        if unresolved == "raise":
            raise ValueError(message)
        warnings.warn(message + "; they are counted as not yet screened", UserWarning, stacklevel=2)
    return rows.sort_values("id").reset_index(drop=True).astype({"resolved": bool})


def _paired(first, second) -> tuple[pd.DataFrame, int, int]:
    a = _title_abstract(_table(first, "first"))
    b = _title_abstract(_table(second, "second"))
    both = a.merge(b, on="id", suffixes=("_first", "_second"))
    return both, int((~a["id"].isin(b["id"])).sum()), int((~b["id"].isin(a["id"])).sum())


def _title_abstract(table: pd.DataFrame) -> pd.DataFrame:
    if "stage" in table.columns:
        table = table[table["stage"].fillna("title-abstract") == "title-abstract"]
    twice = table["id"][table["id"].duplicated()]
    if len(twice):
        raise ValueError(f"{twice.iloc[0]!r} has two title-and-abstract decisions from one reviewer; "
                         "split a file with a reviewer column with decisions_by_reviewer")
    reason = table["reason"] if "reason" in table.columns else pd.Series(None, index=table.index, dtype=object)
    return pd.DataFrame({"id": table["id"].astype(str), "decision": table["decision"].str.lower(),
                         "reason": reason}).reset_index(drop=True)


def _table(decisions, name: str) -> pd.DataFrame:
    from litreview.analysis.screening_log import read_decisions

    if isinstance(decisions, (str, os.PathLike)):
        return read_decisions(decisions)
    if not isinstance(decisions, pd.DataFrame):
        raise TypeError(f"{name} must be a decisions table or the path of a decisions file, "
                        f"not {type(decisions).__name__}")
    missing = [c for c in ("id", "decision") if c not in decisions.columns]
    if missing:
        raise ValueError(f"{name} lacks column(s) {missing}; it has {list(decisions.columns)}")
    return decisions
