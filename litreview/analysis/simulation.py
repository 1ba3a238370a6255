"""Replay a labelled review through the prioritised screening, and measure how early it finds the relevant papers.

:func:`simulate_screening` starts from the prior records (their labels known),
then repeatedly screens the top-ranked record of :func:`litreview.rank_for_screening`'s
model and refits, as a reviewer using the ranking would.  Its result is every
record in the order screened; :func:`recall_curve`, :func:`screening_metrics`
and :func:`plot_recall_curve` read that order.

The figures (as ASReview and the literature define them; ``N`` records, ``R`` relevant):

- records needed for a recall ``r``: the number screened when ``ceil(r * R)``
  relevant records have been found;
- WSS@r (work saved over sampling): ``(N - needed) / N - (1 - r)``, the share of
  records a reviewer need not read, beyond what random order saves at that recall;
- recall after 10% screened: relevant found in the first ``N // 10`` records over ``R``.

Refitting: after every decision while fewer than 200 records are screened,
then every ``screened // 100`` decisions (after every 1% of the review), so a
simulation of 10,000 records refits some 600 times, not 10,000.  Once every
relevant record is found the rest are screened in the last model's order
without refitting: they are all irrelevant, so no figure depends on their order.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from litreview.analysis.ranking import MODELS, _check_choice, _check_papers, _order, fit_scores, screening_features
from litreview.analysis.stopping import _simulation_labels

SIMULATION_COLUMNS = ["step", "id", "label", "prior"]
CURVE_COLUMNS = ["screened", "share_screened", "found", "recall", "random_recall"]
METRIC_COLUMNS = ["records", "relevant", "wss@95", "wss@100", "recall@10%", "needed_for_95%", "needed_for_100%"]


def simulate_screening(
    papers: pd.DataFrame,
    labels,
    prior: Sequence[str] = (),
    *,
    seed: int = 0,
    model: str = "logistic",
    refit_every: int | None = None,
) -> pd.DataFrame:
    """Screen a labelled review in the model's order; every record, in the order screened.

    ``labels`` says which papers are relevant: a pandas Series with the index
    of ``papers``, or a list or array in the order of its rows, of 1/0 (or
    True/False).  ``prior`` are the ids screened first, in the order given (the
    records a reviewer starts from, typically one relevant and one irrelevant).
    ``refit_every`` refits the model after that many decisions throughout
    (``1``: after every one); by default after every decision for the first
    200 records, then after every 1% of those screened (see the module notes).

    Returns ``step`` (1 for the first record screened), ``id``, ``label``
    (0/1) and ``prior`` (True for the prior records, which come first).
    Deterministic for a ``seed``.

    Parameters
    ----------
    papers : DataFrame
        A papers table with unique ``id`` and a ``title`` or an ``abstract`` column.
    labels : Series, list or array
        1 (relevant) or 0 (irrelevant) for every paper.
    prior : sequence of str
        The ids screened first, in this order.
    seed : int
        Seeds the order of ties and of the papers presumed irrelevant.
    model : {"logistic", "svm", "naive_bayes"}
        The classifier of :func:`litreview.rank_for_screening`.
    refit_every : int, optional
        Decisions between refits; by default as the module notes say.

    Returns
    -------
    DataFrame
        ``step``, ``id``, ``label``, ``prior``, one row per paper in the order screened.

    Examples
    --------
    >>> papers = pd.DataFrame({"id": ["a", "b", "c", "d"], "title": [
    ...     "Active learning for screening", "Coral reef fish", "Deep sea fish", "Screening with active learning"]})
    >>> lr.simulate_screening(papers, [1, 0, 0, 1], prior=["a", "b"])[["id", "label"]].values.tolist()
    [['a', 1], ['b', 0], ['d', 1], ['c', 0]]
    """
    _check_papers(papers)
    _check_choice(model, "model", MODELS)
    if refit_every is not None and (not isinstance(refit_every, int) or refit_every < 1):
        raise ValueError(f"refit_every must be a positive whole number or None, not {refit_every!r}")
    y = aligned_labels(papers, labels)
    features = screening_features(papers)
    prior = _prior_positions(features, prior)
    n = len(papers)
    screened = list(prior)
    left = np.ones(n, dtype=bool)
    left[screened] = False
    relevant_left = int(y[left].sum())
    scores = None
    while left.any():
        if relevant_left == 0 and scores is not None:
            rest = np.flatnonzero(left)
            screened.extend(rest[_order(scores[rest], seed)])
            break
        known = np.asarray(screened, dtype=np.intp)  # (no prior: nothing known yet)
        scores, _ = fit_scores(features.matrix, known, y[known], model=model, seed=seed)
        batch = refit_every or (1 if len(known) < 200 else len(known) // 100)
        rest = np.flatnonzero(left)
        take = rest[_order(scores[rest], seed)[:batch]]
        screened.extend(take)
        left[take] = False
        relevant_left -= int(y[take].sum())
    order = np.asarray(screened, dtype=int)
    return pd.DataFrame({
        "step": np.arange(1, n + 1),
        "id": features.ids[order],
        "label": y[order],
        "prior": np.arange(n) < len(prior),
    }, columns=SIMULATION_COLUMNS)


def aligned_labels(papers: pd.DataFrame, labels) -> np.ndarray:
    """``labels`` as a 0/1 array in the order of ``papers``' rows; a clear error if they do not line up."""
    if isinstance(labels, pd.Series):
        if len(labels) != len(papers) or not labels.index.equals(papers.index):
            extra = labels.index.difference(papers.index)
            lacking = papers.index.difference(labels.index)
            raise ValueError(
                f"labels are not aligned with papers: {len(labels)} labels for {len(papers)} papers, "
                f"{len(lacking)} paper index value(s) without a label (e.g. {list(lacking[:3])}) and {len(extra)} "
                f"label(s) for no paper (e.g. {list(extra[:3])}); pass pd.Series(values, index=papers.index)"
            )
        values = labels.to_numpy()
    elif isinstance(labels, (list, tuple, np.ndarray)):
        values = np.asarray(labels, dtype=object)
        if values.ndim != 1 or len(values) != len(papers):
            raise ValueError(f"labels has {len(values)} values for {len(papers)} papers; pass one label per "
                             "paper, in the order of its rows")
    else:
        raise TypeError(f"labels must be a pandas Series, a list or an array, not {type(labels).__name__}")
    good = np.array([v in (0, 1) and not isinstance(v, str) and v == v for v in values], dtype=bool)
    if not good.all():
        where = int(np.flatnonzero(~good)[0])
        raise ValueError(f"label {values[where]!r} for paper {papers['id'].iloc[where]!r} (row {where}) is not 0 or 1; "
                         f"labels say 1 (relevant) or 0 (irrelevant) for every paper ({int((~good).sum())} do not)")
    return values.astype(int)


def recall_curve(simulation: pd.DataFrame) -> pd.DataFrame:
    """Relevant records found against records screened, one row per step (with the expected random-order recall).

    ``share_screened`` is ``screened / N``; ``random_recall`` the recall a
    random order would expect after as many records (also ``screened / N``).

    Parameters
    ----------
    simulation : DataFrame
        A table from :func:`simulate_screening` (``label``, in ``step`` order).

    Returns
    -------
    DataFrame
        ``screened``, ``share_screened``, ``found``, ``recall``, ``random_recall``.

    Examples
    --------
    >>> simulation = pd.DataFrame({"step": range(1, 7), "label": [1, 0, 1, 1, 0, 0]})
    >>> lr.recall_curve(simulation)["recall"].round(3).tolist()
    [0.333, 0.333, 0.667, 1.0, 1.0, 1.0]
    """
    labels = _simulation_labels(simulation)
    n, total = len(labels), int(labels.sum())
    screened = np.arange(1, n + 1)
    found = np.cumsum(labels)
    return pd.DataFrame({
        "screened": screened,
        "share_screened": screened / n,
        "found": found,
        "recall": found / total if total else np.ones(n),
        "random_recall": screened / n,
    }, columns=CURVE_COLUMNS)


def records_needed(simulation: pd.DataFrame, recall: float = 0.95) -> int:
    """Records screened until ``ceil(recall * relevant)`` relevant ones are found.

    Parameters
    ----------
    simulation : DataFrame
        A table from :func:`simulate_screening`.
    recall : float
        The recall to reach, in (0, 1].

    Returns
    -------
    int
        The number of records screened (0 when there is nothing relevant).

    Examples
    --------
    >>> simulation = pd.DataFrame({"step": range(1, 7), "label": [1, 0, 1, 1, 0, 0]})
    >>> lr.records_needed(simulation, 0.5), lr.records_needed(simulation, 1.0)
    (3, 4)
    """
    if not 0 < recall <= 1:
        raise ValueError(f"recall must be in (0, 1], not {recall!r}")
    labels = _simulation_labels(simulation)
    need = math.ceil(round(recall * labels.sum(), 9))
    if need == 0:
        return 0
    return int(np.searchsorted(np.cumsum(labels), need) + 1)


def wss(simulation: pd.DataFrame, recall: float = 0.95) -> float:
    """Work saved over sampling at ``recall``: ``(N - records needed) / N - (1 - recall)``.

    Parameters
    ----------
    simulation : DataFrame
        A table from :func:`simulate_screening`.
    recall : float
        The recall at which the work saved is counted, in (0, 1].

    Returns
    -------
    float
        The share of records not read beyond what random order saves.

    Examples
    --------
    >>> simulation = pd.DataFrame({"step": range(1, 7), "label": [1, 0, 1, 1, 0, 0]})
    >>> round(lr.wss(simulation, 0.95), 3), round(lr.wss(simulation, 1.0), 3)
    (0.283, 0.333)
    """
    n = len(simulation)
    return (n - records_needed(simulation, recall)) / n - (1 - recall)


def recall_after(simulation: pd.DataFrame, share: float = 0.10) -> float:
    """Share of the relevant records found in the first ``floor(share * N)`` screened.

    Parameters
    ----------
    simulation : DataFrame
        A table from :func:`simulate_screening`.
    share : float
        The share of records screened, in [0, 1].

    Returns
    -------
    float
        The recall then (1.0 when there is nothing relevant).

    Examples
    --------
    >>> simulation = pd.DataFrame({"step": range(1, 7), "label": [1, 0, 1, 1, 0, 0]})
    >>> round(lr.recall_after(simulation, 0.5), 3)
    0.667
    """
    if not 0 <= share <= 1:
        raise ValueError(f"share must be in [0, 1], not {share!r}")
    labels = _simulation_labels(simulation)
    total = labels.sum()
    return float(labels[: int(share * len(labels))].sum() / total) if total else 1.0


def screening_metrics(simulation: pd.DataFrame) -> pd.DataFrame:
    """The figures of one simulation in one row: records, relevant, WSS@95, WSS@100, recall@10%, records needed.

    Parameters
    ----------
    simulation : DataFrame
        A table from :func:`simulate_screening`.

    Returns
    -------
    DataFrame
        One row: ``records``, ``relevant``, ``wss@95``, ``wss@100``, ``recall@10%``,
        ``needed_for_95%``, ``needed_for_100%``.

    Examples
    --------
    >>> simulation = pd.DataFrame({"step": range(1, 7), "label": [1, 0, 1, 1, 0, 0]})
    >>> lr.screening_metrics(simulation).round(3).to_dict("records")
    [{'records': 6, 'relevant': 3, 'wss@95': 0.283, 'wss@100': 0.333, 'recall@10%': 0.0, 'needed_for_95%': 4,
      'needed_for_100%': 4}]
    """
    labels = _simulation_labels(simulation)
    row = {
        "records": len(labels),
        "relevant": int(labels.sum()),
        "wss@95": wss(simulation, 0.95),
        "wss@100": wss(simulation, 1.0),
        "recall@10%": recall_after(simulation, 0.10),
        "needed_for_95%": records_needed(simulation, 0.95),
        "needed_for_100%": records_needed(simulation, 1.0),
    }
    return pd.DataFrame([row], columns=METRIC_COLUMNS)


def plot_recall_curve(simulation: pd.DataFrame, *, ax=None, label: str = "prioritised", title: str | None = None):
    """Recall against the share of records screened, beside the random-order baseline; returns the Axes.

    Lines: the simulation (``label``), then ``random order`` (the diagonal).
    A dotted vertical line marks the records needed for 95% recall.

    Parameters
    ----------
    simulation : DataFrame
        A table from :func:`simulate_screening`.
    ax : matplotlib Axes, optional
        Where to draw; a new figure by default.
    label : str
        The legend label of the simulation's line.
    title : str, optional
        The title; ``"Recall curve"`` by default.

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> simulation = pd.DataFrame({"step": range(1, 7), "label": [1, 0, 1, 1, 0, 0]})
    >>> ax = lr.plot_recall_curve(simulation)
    >>> ax.get_lines()[0].get_ydata().round(3).tolist(), [t.get_text() for t in ax.texts]
    ([0.0, 0.333, 0.333, 0.667, 1.0, 1.0, 1.0], ['95% recall after 67%'])
    """
    from litreview.figures import axes_for, finish

    curve = recall_curve(simulation)
    created = ax is None
    ax = axes_for(ax, (5.5, 4))
    x = np.concatenate([[0.0], curve["share_screened"].to_numpy()])
    ax.plot(x, np.concatenate([[0.0], curve["recall"].to_numpy()]), label=label, color="C0")
    ax.plot([0, 1], [0, 1], label="random order", color="grey", linestyle="--")
    at95 = records_needed(simulation, 0.95) / len(curve)
    ax.axvline(at95, color="C0", linestyle=":", linewidth=1)
    ax.annotate(f"95% recall after {at95:.0%}", (at95, 0.05), xytext=(4, 0), textcoords="offset points",
                fontsize=8, color="C0")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("share of records screened")
    ax.set_ylabel("share of relevant records found (recall)")
    ax.set_title(title if title is not None else "Recall curve")
    ax.legend(loc="lower right")
    return finish(ax, created)


def _prior_positions(features, prior) -> list[int]:
    if isinstance(prior, str) or not isinstance(prior, (list, tuple, np.ndarray, pd.Series, pd.Index)):
        raise TypeError(f"prior must be a list of paper ids, not {type(prior).__name__}")
    prior = [str(p) for p in prior]
    twice = sorted({p for p in prior if prior.count(p) > 1})
    if twice:
        raise ValueError(f"prior lists {twice} more than once; list each prior record once")
    where = pd.Index(features.ids).get_indexer(prior)
    unknown = [p for p, w in zip(prior, where) if w < 0]
    if unknown:
        raise ValueError(f"prior id(s) {unknown[:5]} are not in papers['id']; give ids of papers in the review")
    return [int(w) for w in where]


def read_labelled_review(path) -> tuple[pd.DataFrame, pd.Series]:
    """``(papers, labels)`` from a labelled review in ASReview's CSV layout.

    Columns ``record_id``, ``title``, ``abstract`` and ``label_included``
    (1 relevant, 0 not); others are ignored.  ``papers`` has ``id`` (the
    record id as text), ``title`` and ``abstract``; ``labels`` is aligned with it.
    A missing or other label is an error naming the line.

    Parameters
    ----------
    path : str or path
        The CSV file.

    Returns
    -------
    tuple of (DataFrame, Series)
        The papers (``id``, ``title``, ``abstract``) and their 0/1 labels.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "review.csv"
    >>> _ = path.write_text("record_id,title,abstract,label_included\\n1,Active learning,,1\\n2,Reef fish,,0\\n")
    >>> papers, labels = lr.read_labelled_review(path)
    >>> papers["id"].tolist(), labels.tolist()
    (['1', '2'], [1, 0])
    """
    from pathlib import Path

    name = str(path)
    layout = "a labelled review is a CSV file with columns record_id, title, abstract and label_included"
    try:
        header = pd.read_csv(Path(path), dtype=str, nrows=0).columns  # (the columns first: a RIS file says so)
        missing = [c for c in ("record_id", "label_included") if c not in header]
        if missing:
            raise ValueError(f"{name}: the header lacks column(s) {missing}; {layout} (ASReview's layout: a "
                             f"reference file such as RIS or BibTeX holds no labels); found {list(header)[:8]}")
        raw = pd.read_csv(Path(path), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as problem:
        said = " ".join(str(problem).split())
        raise ValueError(f"{name}: cannot be read as a CSV file ({said}); {layout}") from None
    label = raw["label_included"].str.strip().replace({"1.0": "1", "0.0": "0"})
    bad = ~label.isin(["0", "1"])
    if bad.any():
        first = int(np.flatnonzero(bad.to_numpy())[0])
        raise ValueError(f"{name}: record {raw['record_id'].iloc[first]!r} (data row {first + 1}) has label_included "
                         f"{raw['label_included'].iloc[first]!r}; write 1 "
                         f"(relevant) or 0 (irrelevant) on every row ({int(bad.sum())} row(s) lack one)")
    text = {c: raw[c].replace("", None) if c in raw else None for c in ("title", "abstract")}  # "" is missing
    papers = pd.DataFrame({"id": raw["record_id"].str.strip(), "title": text["title"], "abstract": text["abstract"]})
    return papers, pd.Series(label.astype(int).to_numpy(), index=papers.index, name="label")
