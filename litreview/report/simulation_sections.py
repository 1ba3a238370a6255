"""The screening simulation report's sections: what a replay of a labelled review shows, in sentences and
readable tables (the tables of :mod:`litreview.analysis.simulation` and :mod:`litreview.analysis.stopping`
with their columns named for a reader)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from litreview.report.format import Section, Table, Text, figure, number, plural, say, table

_METRICS = {"records": "records", "relevant": "relevant", "wss@95": "work saved at 95% recall (WSS@95)",
            "wss@100": "work saved at 100% recall (WSS@100)", "recall@10%": "recall after 10% screened",
            "needed_for_95%": "records screened for 95% recall", "needed_for_100%": "records screened for all"}
_STOPPING = {"screened": "records screened", "found": "relevant found", "p_value": "p-value",
             "stop": "would stop here"}


def simulation_summary(labels: pd.Series, order: pd.DataFrame, prior: list) -> Text:
    """One sentence: the review's size, its priors, and how early the relevant records turned up."""
    import litreview as lr

    metrics = lr.screening_metrics(order).iloc[0]
    records, relevant = int(metrics["records"]), int(metrics["relevant"])
    if not relevant:
        return say("{n}, none of them relevant: there is nothing to find.", n=plural(records, "record"))
    return say("{n}, {r} relevant; screening started from {p} (their labels known). In the kit's order every "
               "relevant record had turned up after {all} records ({share} of the review), 95% of them after "
               "{most}: {saved} of the screening saved against random order at 95% recall.",
               n=plural(records, "record"), r=number(relevant), p=plural(len(prior), "prior record"),
               all=number(int(metrics["needed_for_100%"])),
               share=f"{metrics['needed_for_100%'] / records:.0%}", most=number(int(metrics["needed_for_95%"])),
               saved=f"{metrics['wss@95']:.0%}")


def metrics_table(order: pd.DataFrame) -> Table | Text:
    import litreview as lr

    metrics = lr.screening_metrics(order).rename(columns=_METRICS)
    return table(metrics, formats={c: "{:.3f}" for c in (_METRICS["wss@95"], _METRICS["wss@100"],
                                                         _METRICS["recall@10%"])})


def recall_figure(order: pd.DataFrame, seed: int) -> Section:
    import litreview as lr

    ax = lr.plot_recall_curve(order, title=f"Recall curve, seed {seed}")
    return Section(figure(ax.figure, "Recall curve: the share of relevant records found against the records "
                                     "screened, in the kit's order and in random order"))


def stopping_section(order: pd.DataFrame, recall_target: float = 0.95, confidence: float = 0.95) -> Section:
    """Where the stopping rule would have ended this screening, in a sentence, then its test every tenth of
    the way, at the last record and where it stops."""
    import litreview as lr

    where = lr.stopping_behaviour(order, recall_target=recall_target, confidence=confidence).iloc[0]
    if pd.isna(where["stopped_after"]):
        lead = say("The stopping rule would not have stopped before the last record.")
    else:
        lead = say("The stopping rule would have stopped after {n} records ({share} of the review), with {found} "
                   "of the {relevant} relevant records found (recall {recall}).",
                   n=number(int(where["stopped_after"])), share=f"{where['share_screened']:.0%}",
                   found=number(int(where["found"])), relevant=number(int(where["relevant"])),
                   recall=f"{where['recall']:.0%}")
    tested = lr.stopping_test(order["label"], len(order), recall_target=recall_target, confidence=confidence)
    # every tenth of the way, the last record, and the record where the rule stops (the row the lead names)
    rows = set(range(0, len(tested), max(len(tested) // 10, 1))) | {len(tested) - 1}
    if not pd.isna(where["stopped_after"]):
        rows |= set(np.flatnonzero(tested["screened"].to_numpy() == int(where["stopped_after"])).tolist())
    shown = tested.iloc[sorted(r for r in rows if r >= 0)].rename(columns=_STOPPING)
    shown[_STOPPING["stop"]] = shown[_STOPPING["stop"]].map({True: "yes", False: "no"})
    return Section(lead, table(shown, formats={_STOPPING["p_value"]: "{:.4f}"}))


def parameters_table(dataset: str, seed: int, prior: list) -> Table | Text:
    """The run's parameters as a table (the dataset as given, the priors by record id)."""
    return table(pd.DataFrame({"parameter": ["dataset", "seed", "prior records"],
                               "value": [str(dataset), str(seed), ", ".join(map(str, prior))]}))
