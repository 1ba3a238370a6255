"""Tag quality figures of the learned decision on the shipped labels (``bench/tag_quality.py`` prints them).

Every figure is on papers the measured tagger was not fitted on, except the
``fitted on`` rows, which say so.  Scores use the ``sure`` labels of the shared hand-label
files only (``measured``: the team's labels are fitted on, never scored).
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def quality_table(data=None, folds: int = 5, seed: int = 0) -> pd.DataFrame:
    """One row per figure: ``measure`` (what was held out), ``tagger``, micro/macro F1, precision, recall."""
    from litreview.tagging import fit

    data = data if data is not None else fit.default_data()
    rows = []

    def add(measure: str, tagger: str, scores: pd.DataFrame) -> None:
        micro = scores.set_index("topic").loc["micro"]
        macro = scores.set_index("topic").loc["macro"]
        rows.append(
            {
                "measure": measure,
                "tagger": tagger,
                "labels": int(micro["support"]),
                "micro_f1": micro["f1"],
                "precision": micro["precision"],
                "recall": micro["recall"],
                "macro_f1": macro["f1"],
            }
        )

    add("nested 5-fold CV, all sources", "learned", fit.nested_cv(data, folds, seed))
    add("all sources (rules were revised on seed)", "rules alone", fit.rules_alone(data))
    for source, scores in fit.leave_one_source_out(data, folds, seed).items():
        held = np.flatnonzero((data.labels["source"] == source).to_numpy())
        add(f"held-out source: {source} (fit on the others)", "learned", scores)
        add(f"held-out source: {source}", "rules alone", fit.rules_alone(data, held))
    table = pd.DataFrame(rows)
    table["labels"] = table["labels"].astype(int)
    return table.round(3)


def print_report(data=None) -> None:
    from litreview.tagging import fit

    data = data if data is not None else fit.default_data()
    pd.set_option("display.width", 200)
    print(quality_table(data).to_string(index=False))
    print("\nNested 5-fold cross-validation per topic (sure, measured labels of all sources):")
    print(fit.nested_cv(data).to_string(index=False))


def seed_table(seeds, data=None, folds: int = 5) -> pd.DataFrame:
    """Micro-F1 (and precision) of nested CV and of the pooled leave-one-source-out fits, one row per fold seed:
    how far the figures move with the random split into folds."""
    from litreview.tagging import fit

    data = data if data is not None else fit.default_data()
    rows = []
    for seed in seeds:
        cv = fit.nested_cv(data, folds, seed).set_index("topic").loc["micro"]
        counts = sum(s.set_index("topic").loc["micro", ["tp", "fp", "fn"]]
                     for s in fit.leave_one_source_out(data, folds, seed).values())
        tp, fp, fn = (int(counts[c]) for c in ("tp", "fp", "fn"))
        rows.append({"seed": seed, "nested_cv_f1": cv["f1"], "nested_cv_precision": cv["precision"],
                     "loso_pooled_f1": 2 * tp / (2 * tp + fp + fn), "loso_pooled_precision": tp / (tp + fp)})
    return pd.DataFrame(rows).round(3)
