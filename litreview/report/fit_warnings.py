"""When a taxonomy does not fit a corpus: the rules and the warnings' leads, one wording for the reports and
the overview (Markdown, :mod:`litreview.report.sections`) and the index (HTML, :mod:`litreview.report.index`)."""

from __future__ import annotations

DOES_NOT_FIT = "This taxonomy does not fit most of this corpus"
COVERS_LITTLE = "This taxonomy covers little of this corpus"
WRITE_YOUR_OWN = "write a taxonomy for the corpus's field (walkthrough 2, build your own taxonomy)"


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
