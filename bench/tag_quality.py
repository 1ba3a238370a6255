"""Tag quality of the learned decision on the labels shipped in ``data/``: which figure is which; and fitting time.

    .venv/bin/python bench/tag_quality.py              # the quality tables
    .venv/bin/python bench/tag_quality.py --seeds 0 1 2  # nested CV and pooled leave-one-source-out per fold seed
    .venv/bin/python bench/tag_quality.py --fit-time   # how long lr.fit_tagger takes on ~800 and ~1,600 papers

Prints one table: nested 5-fold cross-validation over all 822 labelled papers
(the whole fit, cue precisions, text scores and threshold included, redone
inside each outer fold), then leave-one-source-out (fit on two of seed / COLM 2024 /
Prompt Report, measured on the third), each beside the taxonomy's rules alone on
the same papers; then the nested-CV scores per topic.  Scores use the ``sure``
labels of the shared hand-label files only (254 papers): the team's 300 labels
(``data/labels/prompt_report_team.csv``) are fitted on, never scored, and are left
out with their source.  Every "learned" figure is on papers the measured fit never saw.

``--fit-time`` times ``lr.fit_tagger(papers, labels, cv=False)`` (what ``make tagger``
runs: cue precisions, text weights, regularisation and threshold chosen on inner
folds) on the 822 shipped papers, and on 1,644: each paper a second time under a
new id (the copies cost what new papers would).
Wall and CPU seconds, the best of two calls each.
"""

import sys
import time

import pandas as pd


def fit_times() -> None:
    import litreview as lr
    from litreview.tagging.labelsets import training_set

    papers, labels = training_set()
    doubled_papers = pd.concat([papers, papers.assign(id=papers["id"] + "#2")], ignore_index=True)
    doubled_labels = pd.concat([labels, labels.assign(id=labels["id"] + "#2")], ignore_index=True)
    for name, (p, y) in {f"{len(labels):,} papers": (papers, labels),
                         f"{len(doubled_labels):,} papers": (doubled_papers, doubled_labels)}.items():
        best = None
        for _ in range(2):
            wall, cpu = time.perf_counter(), time.process_time()
            lr.fit_tagger(p, y, cv=False)
            took = (time.perf_counter() - wall, time.process_time() - cpu)
            best = took if best is None or took[0] < best[0] else best
        print(f"fit_tagger on {name}: {best[0]:.1f} s wall, {best[1]:.1f} s CPU")


if __name__ == "__main__":
    if "--fit-time" in sys.argv[1:]:
        fit_times()
    elif "--seeds" in sys.argv[1:]:
        from litreview.tagging.quality import seed_table

        seeds = [int(a) for a in sys.argv[sys.argv.index("--seeds") + 1 :]]
        print(seed_table(seeds or [0, 1, 2]).to_string(index=False))
    else:
        from litreview.tagging.quality import print_report

        print_report()
