"""Whether a taxonomy fits a corpus, judged from a tagging: the rules behind ``lr.tag``'s warnings and the
reports' notes (:mod:`litreview.report.fit_warnings` words them for the reports)."""

from __future__ import annotations

import warnings

import numpy as np

from litreview.errors import user_stacklevel

# What the tagger's hand labels are about: where the fitted topics were learned, and what "outside the field"
# means in a warning (data/labels/README.md: language-model papers of 2019-2024).
LABELLED_FIELD = "language-model research"
# Fewer papers than this are too few for a warning about the corpus (one paper without a topic is no news).
MIN_PAPERS_TO_WARN = 20


class CoverageWarning(UserWarning):
    """Most papers of the corpus got none of the taxonomy's topics: the tags it did give may come from its
    words used in another sense."""


def does_not_fit(outside: int, papers: int) -> bool:
    """Whether most papers read as outside the field the fitted topics were learned on.

    >>> does_not_fit(164, 261), does_not_fit(46, 289)
    (True, False)
    """
    return 2 * outside > papers


def covers_little(untagged: int, outside: int, papers: int) -> bool:
    """Whether most papers have no topic, when most are not outside the field (that warning says more).

    >>> covers_little(388, 0, 491), covers_little(200, 0, 491), covers_little(300, 290, 491)
    (True, False, False)
    """
    return not does_not_fit(outside, papers) and 2 * untagged > papers


def warn_coverage(tagged: np.ndarray, outside: np.ndarray | None) -> None:
    """``lr.tag``'s :class:`CoverageWarning` when most of at least :data:`MIN_PAPERS_TO_WARN` papers have no
    topic (``tagged``: papers x topics) and most are not outside the field (``outside``)."""
    total = len(tagged)
    untagged = int((~tagged.any(axis=1)).sum()) if tagged.ndim == 2 and tagged.shape[1] else total
    n_outside = int(outside.sum()) if outside is not None else 0
    if total < MIN_PAPERS_TO_WARN or not covers_little(untagged, n_outside, total):
        return
    warnings.warn(
        f"the taxonomy covers little of this corpus: {untagged:,} of {total:,} papers have none of its topics, so "
        "a tag it did give may come from one of its words used in another sense, or from no word of it at all; "
        "read a few tagged papers before "
        "trusting a topic, or write a taxonomy for the corpus's field (walkthrough 2)",
        CoverageWarning,
        stacklevel=user_stacklevel(),
    )
