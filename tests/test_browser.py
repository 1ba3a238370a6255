"""Reports as a reader sees them: the index and a report rendered by headless Chromium.

Needs Debian's ``chromium`` (``.ci/run`` installs it); elsewhere these tests skip, saying so.
The DOM Chromium builds after loading a page is compared, not the HTML text: it shows
what a browser makes of the page (figures decoded, tables laid out, no script run).
"""

import re
import shutil
import subprocess

import pytest

from litreview.report.run import plan_reports, run_report, write_index

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="headless Chromium is not installed (apt-get install chromium)"
)


def render(path, tmp_path) -> str:
    """The page's DOM after Chromium has loaded it."""
    result = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=5000", "--dump-dom", path.as_uri()],
        capture_output=True, text=True, timeout=120, check=True,
    )
    return result.stdout


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    corpus = out / "digest.txt"
    corpus.write_text(
        "Security\n"
        "<script>document.title='owned'</script> LoRA adapters\n"
        + "Low-rank adaptation keeps the model frozen while tuning a few parameters. " * 4
        + "\nA second item\n"
        + "Prompt tuning learns soft prompts for a frozen model and nothing else at all. " * 4
        + "\n",
        encoding="utf-8",
    )
    jobs = plan_reports(["peft"])
    run_report(jobs[0], out)
    (hostile,) = plan_reports(["peft"], corpus=[corpus])
    run_report(hostile, out / "hostile")
    write_index(jobs, out)
    return out


def test_index_renders_with_a_link_to_each_report(reports, tmp_path):
    dom = render(reports / "index.html", tmp_path)
    assert "<h1>litreview reports</h1>" in dom
    assert re.search(r'<a href="peft.html">Parameter-efficient fine-tuning</a>', dom)


def test_report_renders_its_figures_and_tables(reports, tmp_path):
    dom = render(reports / "peft.html", tmp_path)
    assert "<title>litreview: Parameter-efficient fine-tuning</title>" in dom
    figures = re.findall(r'<img [^>]*src="data:image/png;base64,', dom)
    assert len(figures) >= 2  # timeline and distinctive terms
    assert dom.count("<table") >= 4  # papers, timeline, neighbours, terms, pairs, provenance
    assert "LoRA: Low-Rank Adaptation" in dom or "2106.09685" in dom


def test_a_script_in_a_title_is_text_in_the_browser(reports, tmp_path):
    dom = render(reports / "hostile" / "peft.html", tmp_path)
    assert "<title>litreview: Parameter-efficient fine-tuning</title>" in dom  # the script never ran
    assert "&lt;script&gt;document.title='owned'&lt;/script&gt;" in dom
