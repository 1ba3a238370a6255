"""Every report notebook on awkward corpora, run as a user runs them (``litreview report``, papermill).

Each case is one kernel run (they are slow: keep them few).  A report must never stop, must say in a
sentence what it cannot show, and its HTML must hold no pandas leftovers (``dtype:``, ``<NA>``, ``None``),
no traceback and no unescaped corpus text.
"""

import html
import re

import pytest
from conftest import RLHF_BIB

CASES = {
    # name: (argv, report file, sentences the page must hold)
    "tiny": (("--topic", "peft", "--corpus", "tiny"), "peft.html",
             ["Too few papers for distinctive terms: 3 papers, at least 10 needed.",
              'id="Parameter-efficient-fine-tuning">Parameter-efficient fine-tuning<', "years: all",
              "corpus: tiny.bib"]),
    "empty-window": (("--topic", "peft", "--start-year", "2030"), "peft.html",
                     ["<strong>No paper</strong> in the corpus matches these parameters",
                      "No paper is tagged with this topic.",
                      "No paper has a year, so there is no timeline.", "years: 2030 and later"]),
    "trends-undated": (("--notebook", "topic_trends", "--corpus", "titles", "--errors", "skip"),
                       "topic_trends.html", ["No paper has a year, so there is no timeline.",
                                             "Too few years to compare: the timeline has 0"]),
    "compare-tiny": (("--notebook", "compare_topics", "--param", "topic_a=PEFT", "--param", "topic_b=alignment",
                      "--corpus", "tiny"), "compare_topics.html",
                     ["Too few papers for terms that tell them apart: 2 papers, at least 10 needed."]),
    "discovery-tiny": (("--notebook", "topic_discovery", "--corpus", "tiny"), "topic_discovery.html",
                       ["Too few papers to find 8 themes: 3 papers, at least 16 needed."]),
    "screening-titles": (("--notebook", "screening_flow", "--corpus", "titles"), "screening_flow.html",
                         ["23 decisions are about papers not in this corpus (shown by their id)."]),
    "overview-titles": (("--notebook", "corpus_overview", "--corpus", "titles", "--errors", "skip"),
                        "corpus_overview.html",
                        ["1 record skipped, 0 read in part.", "No paper names its authors.",
                         "none with a year", "Too few papers for a term network: 5 papers"]),
}


def _check_readable(page: str) -> None:
    body = page.split("</style>")[-1]
    assert "Traceback" not in body and "Error" not in re.sub(r"<script>.*?</script>", "", body, flags=re.S)
    assert "dtype:" not in body
    assert "<td>None</td>" not in body and "&lt;NA&gt;" not in body and "<td>nan</td>" not in body
    assert "<th></th>" not in body  # no pandas index column
    assert 'class="dataframe"' not in body  # every table is a report table


@pytest.mark.parametrize("case", CASES)
def test_report_runs_and_says_what_it_cannot_show(case, report_run):
    argv, name, expected = CASES[case]
    out = report_run(*argv)
    page = (out / name).read_text(encoding="utf-8")
    _check_readable(page)
    for sentence in expected:
        assert sentence in page, sentence
    assert '<a href="index.html">' in page


def test_tiny_report_links_titles_and_escapes_them(report_run):
    page = (report_run("--topic", "alignment", "--corpus", "tiny") / "alignment.html").read_text(encoding="utf-8")
    assert ('<a href="https://arxiv.org/abs/2203.02155">Training language models to follow instructions '
            "with &lt;b&gt;human&lt;/b&gt; feedback</a>") in page
    assert "<b>human</b>" not in page


@pytest.mark.skipif(not RLHF_BIB.is_file(), reason="../shared/fixtures is not here (rlhf-book_bib.bib)")
def test_a_real_library_lists_every_paper_and_names_the_outlier_year(report_run):
    import litreview as lr

    out = report_run("--topic", "alignment", "--corpus", "rlhf")
    page = (out / "alignment.html").read_text(encoding="utf-8")
    _check_readable(page)
    tagged = lr.tag(lr.load(RLHF_BIB))
    titles = lr.display_titles(tagged[lr.has_topic(tagged, "alignment")], words=12)
    assert len(titles) == 118
    rows = re.search(r'<table class="lr-table" data-lr-search="papers">(.*?)</table>', page, re.S).group(1)
    assert rows.count("<tr>") == 118 + 1  # every paper, and the header
    for title in titles:
        assert html.escape(title) in rows
    assert "The Port-Royal Logic (1662)" in page and "left out of the timeline" in page
    assert "118 rows" not in page and "…" not in rows
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "<b>412</b>papers" in index and "rlhf-book_bib.bib (412)" in index
    assert "Timelines show 1992 to 2026, where most papers are." in index
