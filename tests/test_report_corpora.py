"""Every report notebook on awkward corpora, run as a user runs them (``litreview report``, papermill).

Each case is one kernel run (they are slow: keep them few).  A report must never stop, must say in a
sentence what it cannot show, and its HTML must hold no pandas leftovers (``dtype:``, ``<NA>``, ``None``),
no traceback and no unescaped corpus text.
"""


import pytest
from conftest import RLHF_BIB, check_readable

CASES = {
    # name: (argv, report file, sentences the page must hold)
    "tiny": (("--topic", "peft", "--corpus", "tiny"), "peft.html",
             ["Too few papers for distinctive terms: 3 papers, at least 10 needed.",
              'id="Parameter-efficient-fine-tuning">Parameter-efficient fine-tuning<', "years: all",
              "corpus: tiny.bib"]),
    "empty-window": (("--topic", "peft", "--start-year", "2030"), "peft-from-2030.html",
                     ["<strong>No paper</strong> in the corpus matches these parameters",
                      "No paper is tagged with this topic.",
                      "No paper matches these parameters, so there is no timeline.", "years: 2030 and later"]),
    "trends-undated": (("--notebook", "topic_trends", "--corpus", "titles", "--errors", "skip"),
                       "topic_trends.html", ["No paper has a year, so there is no timeline.",
                                             "Too few years to compare: the timeline has 0"]),
    "compare-tiny": (("--notebook", "compare_topics", "--param", "topic_a=PEFT", "--param", "topic_b=alignment",
                      "--corpus", "tiny"), "compare_topics-peft-alignment.html",
                     ["Too few papers for terms that tell them apart: 3 papers in only one of the two, at least 10 "
                      "needed."]),
    "discovery-tiny": (("--notebook", "topic_discovery", "--corpus", "tiny"), "topic_discovery.html",
                       ["Too few papers to find themes: 3 papers, at least 10 needed.",
                        "No themes, so nothing to show here (the themes above say why)."]),
    "screening-titles": (("--notebook", "screening_flow", "--corpus", "titles"), "screening_flow.html",
                         ["23 decisions are about papers not in this corpus (shown by their id).",
                          "records identified", '<img alt="PRISMA flow diagram', "data:image/png;base64,"]),
    "overview-titles": (("--notebook", "corpus_overview", "--corpus", "titles", "--errors", "skip"),
                        "corpus_overview.html",
                        ["1 record skipped, 0 read in part.", "No paper names its authors.",
                         "none with a year", "Too few papers for a term network: 5 papers",
                         "No paper of this corpus has an arXiv id, so an arXiv snapshot has nothing to fill here."]),
}


@pytest.mark.parametrize("case", CASES)
def test_report_runs_and_says_what_it_cannot_show(case, report_run):
    argv, name, expected = CASES[case]
    out = report_run(*argv)
    page = (out / name).read_text(encoding="utf-8")
    check_readable(page)
    for sentence in expected:
        assert sentence in page, sentence
    assert '<a href="index.html">' in page
    if "--corpus" in argv:  # the user's files: nothing said about the seed corpus, no demonstration on it
        assert "In the default corpus" not in page and "Adding your own files" not in page


@pytest.mark.skipif(not RLHF_BIB.is_file(), reason=f"needs the shared fixture {RLHF_BIB.name} (../shared absent)")
def test_a_report_says_in_a_sentence_which_papers_read_as_outside_the_field(report_run):
    # The RLHF book's bibliography cites psychology, economics and philosophy too: those papers get none of the
    # fitted topics, and the report says so in a sentence, not as a raw warning with a kernel's file path.
    page = (report_run("--topic", "alignment", "--corpus", "rlhf") / "alignment.html").read_text(encoding="utf-8")
    check_readable(page)
    assert ("46 of the 412 papers read as outside the field the kit&#x27;s fitted topics were learned on" in page
            or "46 of the 412 papers read as outside the field the kit's fitted topics were learned on" in page)
    assert "OutsideFieldWarning" not in page and "ipykernel" not in page


def test_tiny_report_links_titles_and_escapes_them(report_run):
    page = (report_run("--topic", "peft", "--corpus", "tiny") / "peft.html").read_text(encoding="utf-8")
    # (a publisher's <i> is left out where a title is shown; the library's <script> title stays text: test_browser)
    assert '<a href="https://arxiv.org/abs/2106.09685">LoRA: Low-Rank Adaptation of Large Language Models</a>' in page
    assert "<i>Large</i>" not in page


def test_distinctive_terms_below_the_notable_mark_say_so():
    # The RLHF book's two peft papers: "finetuning" (z 0.70), "efficient", "reasoning" were listed as distinctive
    # terms under a heading that calls above about 2 notable, with nothing said.
    from litreview.report.sections import distinctive_section
    from litreview.schema import to_frame

    rest = [f"Reward models for reasoning task {i}" for i in range(10)] + ["Efficient reasoning", "Finetuning agents"]
    papers = to_frame([{"id": str(i), "title": t} for i, t in enumerate(
        ["Qlora: Efficient finetuning of quantized llms", "K2-Think: A Parameter-Efficient Reasoning System", *rest])])
    weak = list(distinctive_section(papers, [True, True] + [False] * 12, "PEFT", plot=False))
    assert repr(weak[0]) == (
        "None of these reaches a z-score of 2, the mark of a notable term: with 2 papers in the group, nothing stands "
        "out clearly from the rest of the corpus. Read them as the group's commonest words, not as what sets it "
        "apart.")
    assert weak[1].frame["z"].max() < 2
    strong = to_frame([{"id": str(i), "title": t, "abstract": ("Low-rank adapters keep the model frozen. " * 5
                                                             if i < 8 else "Reward models score answers. " * 5)}
                       for i, t in enumerate([f"Low-rank adapters {i}" for i in range(8)] + rest)])
    (shown,) = list(distinctive_section(strong, [True] * 8 + [False] * 12, "PEFT", plot=False))
    assert shown.frame["z"].max() >= 2
