"""Reports as a reader sees them: the HTML text, then the page rendered by headless Chromium.

Needs Debian's ``chromium`` (``.ci/run`` installs it); elsewhere the rendering part skips, saying so,
after the checks of the HTML text have run.
Where Chromium runs, the DOM it builds after loading a page (and running its inlined table script) is
checked as well: it shows what a browser makes of the page.
"""

import html
import re
import shutil
import subprocess
from urllib.parse import unquote

import pytest
from conftest import RLHF_BIB, check_readable

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def render(url: str, tmp_path) -> str:
    """The page's DOM after Chromium has loaded it and run its scripts (the test skips, saying why,
    where Chromium is missing: the checks of the HTML text before it have run by then)."""
    if CHROMIUM is None:
        pytest.skip("headless Chromium is not installed (apt-get install chromium)")
    result = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=5000", "--dump-dom", url],
        capture_output=True, text=True, timeout=120, check=True,
    )
    return result.stdout


def paper_rows(dom: str) -> list[str]:
    table = re.search(r'<table class="lr-table" data-lr-search="papers">(.*?)</table>', dom, re.S).group(1)
    return re.findall(r"<tr[^>]*>.*?</tr>", table.split("<tbody>")[1], re.S)


@pytest.fixture(scope="module")
def tiny_dom(report_run, tmp_path_factory) -> str:
    """The tiny library's report as Chromium builds it, with a search given in its address: one Chromium run
    for the two tests below (the search hides rows; it removes none and changes nothing else)."""
    out = report_run("--topic", "peft", "--corpus", "tiny")
    return render((out / "peft.html").as_uri() + "#search=prefix", tmp_path_factory.mktemp("chromium"))


def test_report_reads_cleanly_in_the_browser(report_run, request):
    out = report_run("--topic", "peft", "--corpus", "tiny")
    # A title is untrusted text: the tiny library's Prefix-Tuning title carries a script.
    text = (out / "peft.html").read_text(encoding="utf-8")
    assert "<script>document.title='owned'</script>" not in text
    assert "&lt;script&gt;document.title='owned'&lt;/script&gt;" in text
    dom = request.getfixturevalue("tiny_dom")  # (where Chromium is missing, the test skips here)
    assert "<title>litreview: Parameter-efficient fine-tuning</title>" in dom  # the script never ran
    assert "&lt;script&gt;document.title='owned'&lt;/script&gt;" in dom
    text = re.sub(r"<[^>]+>", " ", dom.split("</style>")[-1])
    assert "dtype:" not in text and "Traceback" not in text
    cells = re.findall(r"<td[^>]*>(.*?)</td>", dom, re.S)
    assert cells and not {"None", "&lt;NA&gt;", "nan", "NaN"} & {c.strip() for c in cells}
    images = re.findall(r"<img [^>]+>", dom)
    assert images and all('src="data:image/png;base64,' in i and ' alt="' in i for i in images)
    assert any('alt="Line chart of papers per year, 2021 to 2022' in i for i in images)
    assert "No description has been provided" not in dom  # every figure has its own alt text
    rows = paper_rows(dom)
    assert len(rows) == 2
    assert '<a href="https://arxiv.org/abs/2106.09685">LoRA: Low-Rank Adaptation' in rows[0]


def test_the_search_box_filters_the_rows(tiny_dom):
    dom = tiny_dom
    assert re.search(r'<input type="search" placeholder="Search 2 papers"', dom)
    rows = paper_rows(dom)
    shown = [r for r in rows if "hidden" not in r.split(">")[0]]
    assert len(rows) == 2 and len(shown) == 1 and "Prefix-Tuning" in shown[0]
    assert "1 of 2 papers" in dom


@pytest.mark.skipif(not RLHF_BIB.is_file(), reason="../shared/fixtures is not here (rlhf-book_bib.bib)")
def test_a_real_library_lists_all_its_papers_and_the_index_links_resolve(report_run, tmp_path):
    import litreview as lr

    out = report_run("--topic", "alignment", "--corpus", "rlhf")
    page = (out / "alignment.html").read_text(encoding="utf-8")
    check_readable(page)
    tagged = lr.tag(lr.load(RLHF_BIB))
    titles = lr.display_titles(tagged[lr.has_topic(tagged, "alignment")], words=12)
    assert len(titles) == 116
    rows = re.search(r'<table class="lr-table" data-lr-search="papers">(.*?)</table>', page, re.S).group(1)
    assert rows.count("<tr>") == 116 + 1  # every paper, and the header
    for title in titles:  # (a title in a link keeps its quotes as text: escaped without quote=True)
        assert html.escape(title) in rows or html.escape(title, quote=False) in rows, title
    # (the library's 1662 outlier is no alignment paper: the topic's timeline does not name it, the overview does)
    assert "Port-Royal" not in page
    assert "118 rows" not in page and "…" not in rows
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "<b>412</b>papers" in index and "rlhf-book_bib.bib (412)" in index
    assert ("Timelines show 1992 to 2026, where most papers are; 46 of the papers without a topic read as outside "
            "the field the kit&#x27;s fitted topics were learned on (see the corpus overview: litreview report "
            "--notebook corpus_overview).") in index  # (this folder holds no overview: how to make it)
    assert "does not fit" not in index

    # The same page as a browser shows it.
    dom = render((out / "alignment.html").as_uri(), tmp_path)
    assert len(paper_rows(dom)) == 116
    index = render((out / "index.html").as_uri(), tmp_path)
    links = re.findall(r'<a href="([^"#:]+)"', index)
    assert "alignment.html" in links
    for link in links:
        assert (out / unquote(link)).is_file(), link
    assert re.search(r'<svg class="spark"[^>]*aria-label="papers per year, 1992 to 2026', index)
