"""Tag quality of the learned decision on the labels shipped in ``data/``: which figure is which.

    .venv/bin/python bench/tag_quality.py

Prints one table: nested 5-fold cross-validation over all 522 labelled papers
(the whole fit, cue precisions, text scores and threshold included, redone
inside each outer fold), then leave-one-source-out (fit on two of seed / COLM 2024 /
Prompt Report, measured on the third), each beside the taxonomy's rules alone on
the same papers; then the nested-CV scores per topic.  Scores use the ``sure``
labels only.  Every "learned" figure is on papers the measured fit never saw.
"""

from litreview.tagging.quality import print_report

if __name__ == "__main__":
    print_report()
