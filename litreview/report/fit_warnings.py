"""When a taxonomy does not fit a corpus: the warnings' leads, one wording for the reports and the overview
(Markdown, :mod:`litreview.report.sections`) and the index (HTML, :mod:`litreview.report.index`); the rules
are the tagging layer's (:mod:`litreview.tagging.coverage`), where ``lr.tag``'s warnings use them too."""

from __future__ import annotations

from litreview.tagging.coverage import LABELLED_FIELD, covers_little, does_not_fit  # noqa: F401 (re-exported)

DOES_NOT_FIT = "This taxonomy does not fit most of this corpus"
COVERS_LITTLE = "This taxonomy covers little of this corpus"
WRITE_YOUR_OWN = "write a taxonomy for the corpus's field (walkthrough 2, build your own taxonomy)"
