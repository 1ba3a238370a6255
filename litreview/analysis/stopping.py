"""When can screening stop?  A statistical stopping rule with a stated recall target and confidence.

The rule is the one of buscar (Callaghan & Müller-Hansen 2020, "Statistical
stopping criteria for automated screening in systematic reviews", Systematic
Reviews 9:273).  It tests the null hypothesis "recall is still below the
target" against the decisions made so far, assuming only that the records
screened last were *no better than a random sample* of the records they were
drawn from (the ranking puts likely relevant records first, so this errs on
the side of screening longer):

- after ``n_seen`` records with ``r_seen`` relevant found, recall below the
  target ``t`` means more than ``r_seen / t - r_seen`` relevant records remain;
- for each tail of the screening order (the last ``k`` records, holding
  ``found`` relevant ones), take the tail plus the unscreened records as an urn
  of ``N - n_seen + k`` records, which under the null holds at least
  ``K = floor(r_seen / t - (r_seen - found)) + 1`` relevant ones; the chance
  of drawing ``found`` or fewer relevant in ``k`` draws from it is the
  hypergeometric ``P(X <= found)``;
- the p-value is the smallest such chance over all tails; screening may stop
  once it falls below ``1 - confidence``.

The same urn gives :func:`remaining_relevant`, an estimate of the relevant
records not found yet with an upper bound at the confidence asked.  How the
rule behaves (recall reached and work saved when it says stop) on labelled
reviews is measured by :func:`stopping_behaviour`; the README quotes it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

STOP_COLUMNS = ["screened", "found", "p_value", "stop"]
BEHAVIOUR_COLUMNS = ["records", "relevant", "stopped_after", "share_screened", "found", "recall", "target_met"]


def stopping_p_values(labels, total: int, *, recall_target: float = 0.95) -> np.ndarray:
    """The p-value of "recall < ``recall_target``" after each record of a screening order.

    ``labels`` are the 0/1 decisions in the order screened; ``total`` the
    number of records in the review (screened or not).  Entry ``i`` is the
    p-value once the first ``i + 1`` records are screened (1.0 while nothing
    relevant has been found: there is no recall to speak of).
    """
    labels = _labels(labels)
    _check_target(recall_target)
    if not isinstance(total, (int, np.integer)) or total < len(labels):
        raise ValueError(f"total must be a whole number of records, at least the {len(labels)} screened; not {total!r}")
    return np.array([_p_value(labels[: i + 1], int(total), recall_target) for i in range(len(labels))])


def stopping_test(labels, total: int, *, recall_target: float = 0.95, confidence: float = 0.95) -> pd.DataFrame:
    """The rule after each decision: ``screened``, ``found``, ``p_value`` and ``stop`` (p < 1 - confidence).

    Parameters
    ----------
    labels : sequence of int
        The 0/1 decisions in the order screened.
    total : int
        The records in the review, screened or not.
    recall_target : float
        The recall the rule must reach, between 0 and 1.
    confidence : float
        How sure the rule must be that the target is reached, between 0 and 1.

    Returns
    -------
    DataFrame
        ``screened``, ``found``, ``p_value``, ``stop``, one row per decision.

    Examples
    --------
    >>> test = lr.stopping_test([1] * 20 + [0] * 100, total=130)
    >>> first = test[test["stop"]].iloc[0]
    >>> int(first["screened"]), int(first["found"]), round(float(first["p_value"]), 3)
    (106, 20, 0.046)
    """
    _check_confidence(confidence)
    labels = _labels(labels)
    p = stopping_p_values(labels, total, recall_target=recall_target)
    return pd.DataFrame({
        "screened": np.arange(1, len(labels) + 1),
        "found": np.cumsum(labels),
        "p_value": p,
        "stop": p < 1 - confidence,
    }, columns=STOP_COLUMNS)


def stopping_point(labels, total: int, *, recall_target: float = 0.95, confidence: float = 0.95) -> int | None:
    """Records screened when the rule first says stop, or ``None`` if it never does before the end.

    Parameters
    ----------
    labels : sequence of int
        The 0/1 decisions in the order screened.
    total : int
        The records in the review, screened or not.
    recall_target : float
        The recall the rule must reach, between 0 and 1.
    confidence : float
        How sure the rule must be that the target is reached, between 0 and 1.

    Returns
    -------
    int or None

    Examples
    --------
    >>> lr.stopping_point([1] * 20 + [0] * 100, total=130), lr.stopping_point([1] * 20 + [0] * 100, total=300)
    (106, None)
    """
    _check_confidence(confidence)
    labels = _labels(labels)
    _check_target(recall_target)
    for i in range(len(labels)):  # the first point where p < alpha: stop at the first, no need for the rest
        if _p_value(labels[: i + 1], int(total), recall_target) < 1 - confidence:
            return i + 1
    return None


def remaining_relevant(labels, total: int, *, confidence: float = 0.95) -> dict:
    """How many relevant records are still unscreened, estimated from the decisions in screening order.

    Returns ``screened``, ``found``, ``estimate`` (the rate of relevant records
    among the last ``min(screened, 50)`` screened, times the records left: an
    overestimate while the ranking still works) and ``upper`` (the largest
    number left that the last records are consistent with at ``confidence``,
    taking them as a random sample of the records they were drawn from).

    Parameters
    ----------
    labels : sequence of int
        The 0/1 decisions in the order screened.
    total : int
        The records in the review, screened or not.
    confidence : float
        The confidence of ``upper``, between 0 and 1.

    Returns
    -------
    dict
        ``screened``, ``found``, ``estimate``, ``upper``.

    Examples
    --------
    >>> lr.remaining_relevant([1] * 5 + [0] * 40, total=60)
    {'screened': 45, 'found': 5, 'estimate': 1.7, 'upper': 5}
    """
    _check_confidence(confidence)
    labels = _labels(labels)
    n, found = len(labels), int(labels.sum())
    left = int(total) - n
    if left < 0:
        raise ValueError(f"total ({total}) is less than the {n} records screened")
    if n == 0:
        return {"screened": 0, "found": 0, "estimate": float("nan"), "upper": left}
    k = min(n, 50)
    in_tail = int(labels[-k:].sum())
    estimate = in_tail / k * left
    upper = _upper_bound(k, in_tail, left, 1 - confidence)
    return {"screened": n, "found": found, "estimate": round(estimate, 1), "upper": upper}


def stopping_behaviour(simulation: pd.DataFrame, *, recall_target: float = 0.95, confidence: float = 0.95
                       ) -> pd.DataFrame:
    """Where the rule stops a simulated screening (a table from :func:`litreview.simulate_screening`).

    One row: ``records``, ``relevant``, ``stopped_after`` (records screened when
    the rule says stop; all of them if it never does), ``share_screened``,
    ``found`` and ``recall`` at that point, and ``target_met`` (recall >= target).

    Parameters
    ----------
    simulation : DataFrame
        A table from :func:`litreview.simulate_screening` (``label``, in ``step`` order).
    recall_target : float
        The recall the rule must reach, between 0 and 1.
    confidence : float
        How sure the rule must be that the target is reached, between 0 and 1.

    Returns
    -------
    DataFrame
        One row: ``records``, ``relevant``, ``stopped_after``, ``share_screened``, ``found``, ``recall``,
        ``target_met``.

    Examples
    --------
    >>> lr.stopping_behaviour(pd.DataFrame({"label": [1] * 20 + [0] * 200})).round(3).to_dict("records")
    [{'records': 220, 'relevant': 20, 'stopped_after': 175, 'share_screened': 0.795, 'found': 20, 'recall': 1.0,
      'target_met': True}]
    """
    labels = _simulation_labels(simulation)
    n, total = len(labels), int(labels.sum())
    stop = stopping_point(labels, n, recall_target=recall_target, confidence=confidence) or n
    found = int(labels[:stop].sum())
    recall = found / total if total else 1.0
    return pd.DataFrame([{
        "records": n, "relevant": total, "stopped_after": stop, "share_screened": stop / n, "found": found,
        "recall": recall, "target_met": recall >= recall_target,
    }], columns=BEHAVIOUR_COLUMNS)


def _simulation_labels(simulation: pd.DataFrame) -> np.ndarray:
    if not isinstance(simulation, pd.DataFrame):
        raise TypeError("simulation must be a pandas DataFrame from simulate_screening, "
                        f"not {type(simulation).__name__}")
    if "label" not in simulation.columns:
        raise ValueError(f"simulation lacks a 'label' column (a table from simulate_screening); it has "
                         f"{list(simulation.columns)}")
    if "step" in simulation.columns:
        simulation = simulation.sort_values("step", kind="stable")
    return simulation["label"].to_numpy(dtype=int)


def _p_value(labels: np.ndarray, total: int, target: float) -> float:
    from scipy.stats import hypergeom

    n_seen, r_seen = len(labels), int(labels.sum())
    if r_seen == 0:
        return 1.0
    found = np.cumsum(labels[::-1])  # relevant among the last k, k = 1..n_seen
    k = np.arange(1, n_seen + 1)
    urn = total - n_seen + k
    needed = np.floor(r_seen / target - (r_seen - found)) + 1  # relevant in the urn if recall < target
    possible = needed <= urn  # otherwise recall < target is impossible: p = 0
    p = np.zeros(n_seen)
    p[possible] = hypergeom.cdf(found[possible], urn[possible], needed[possible], k[possible])
    return float(min(p.min(), 1.0))


def _upper_bound(k: int, in_tail: int, left: int, alpha: float) -> int:
    """The largest ``m`` relevant among ``left`` unscreened with P(X <= in_tail) >= alpha for the tail of ``k``."""
    from scipy.stats import hypergeom

    m = np.arange(0, left + 1)
    p = hypergeom.cdf(in_tail, left + k, in_tail + m, k)
    consistent = np.flatnonzero(p >= alpha)
    return int(consistent.max()) if len(consistent) else 0


def p_text(p: float, alpha: float = 0.05) -> str:
    """``p`` with two decimals, or as many more as it takes to stay on its side of ``alpha``.

    >>> p_text(0.9891), p_text(0.046), p_text(0.0504), p_text(0.04996)
    ('0.99', '0.046', '0.05', '0.04996')
    """
    for digits in range(2, 8):
        text = f"{p:.{digits}f}"
        if (float(text) < alpha) == (p < alpha):
            return text
    return f"{p:.2e}"


def _labels(labels) -> np.ndarray:
    if isinstance(labels, pd.DataFrame):
        raise TypeError("labels are the 0/1 decisions in the order screened, not a table: for a decisions table, "
                        "lr.screening_progress(papers, decisions) gives the rule's p-value (stop_p_value), or pass "
                        "(decisions['decision'] == 'include').astype(int) with total=len(papers)")
    values = np.asarray(labels)
    if values.ndim != 1 or not np.isin(values, (0, 1)).all():
        raise ValueError("labels must be a one-dimensional sequence of 0 (irrelevant) and 1 (relevant)")
    return values.astype(int)


def _check_target(value) -> None:
    if not isinstance(value, (int, float)) or not 0 < value < 1:
        raise ValueError(f"recall_target must be a number between 0 and 1 (e.g. 0.95), not {value!r}")


def _check_confidence(value) -> None:
    if not isinstance(value, (int, float)) or not 0 < value < 1:
        raise ValueError(f"confidence must be a number between 0 and 1 (e.g. 0.95), not {value!r}")

