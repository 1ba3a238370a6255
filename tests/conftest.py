"""Test-wide settings.

Hypothesis explores new examples on every local run, but in CI (``CI`` set, as ``.ci/run`` has it) it
runs derandomized: the same examples every time, so a submission is judged on its own code and not on
the luck of the draw.  ``HYPOTHESIS_PROFILE=ci`` gives the CI behaviour locally.
"""

import os
import re

from hypothesis import settings

settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
settings.register_profile("dev", print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev"))


# --------------------------------------------------------------------------- report runs shared by test files
# Reports are slow (a kernel each), so the awkward corpora are written once and each report is run once per
# session, then read by tests/test_report_corpora.py (the HTML text) and tests/test_browser.py (the DOM).

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

SHARED_FIXTURES = Path(__file__).resolve().parents[2] / "shared" / "fixtures"
RLHF_BIB = SHARED_FIXTURES / "bibtex" / "rlhf-book_bib.bib"

TINY_BIB = """@inproceedings{hu2022lora,
  title = {{LoRA}: Low-Rank Adaptation of <i>Large</i> Language Models},
  author = {Hu, Edward J. and Shen, Yelong}, booktitle = {ICLR}, year = {2022}, eprint = {2106.09685},
  archivePrefix = {arXiv},
}
@article{li2021prefix,
  title = {Prefix-Tuning: Optimizing Continuous Prompts for Generation <script>document.title='owned'</script>},
  author = {Li, Xiang Lisa and Liang, Percy}, journal = {arXiv preprint arXiv:2101.00190}, year = {2021},
}
@article{ouyang2022training,
  title = {Training language models to follow instructions with <b>human</b> feedback},
  author = {Ouyang, Long and Wu, Jeff}, journal = {NeurIPS}, year = {2022}, doi = {10.48550/arXiv.2203.02155},
}
"""
TITLES_BIB = """@misc{a, title = {Direct Preference Optimization: Your Language Model is Secretly a Reward Model}}
@misc{b, title = {LoRA: Low-Rank Adaptation of Large Language Models}}
@misc{c, title = {Chain-of-Thought Prompting Elicits Reasoning in Large Language Models}}
@misc{d, title = {Constitutional AI: Harmlessness from AI Feedback}}
@misc{e, title = {QLoRA: Efficient Finetuning of Quantized LLMs}}
@misc{broken, title = {An entry whose closing brace was lost
"""


@pytest.fixture(scope="session")
def awkward_corpora(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("corpora")
    (folder / "tiny.bib").write_text(TINY_BIB, encoding="utf-8")
    (folder / "titles.bib").write_text(TITLES_BIB, encoding="utf-8")
    return {"tiny": folder / "tiny.bib", "titles": folder / "titles.bib", "rlhf": RLHF_BIB}


@pytest.fixture(scope="session")
def report_run(tmp_path_factory, awkward_corpora):
    """``report_run(argv)``: ``litreview report ARGV`` into a fresh folder, once per argv; the folder."""
    from litreview.report.cli import main

    done = {}

    def run(*argv: str) -> Path:
        if argv not in done:
            out = tmp_path_factory.mktemp("report")
            argv_ = [str(awkward_corpora.get(a, a)) if isinstance(a, str) else str(a) for a in argv]
            code = main(["report", *argv_, "--out", str(out)])
            done[argv] = (out, code)
        out, code = done[argv]
        assert code == 0, f"litreview report {' '.join(argv)} failed"
        return out

    return run


def check_readable(page: str) -> None:
    """A report page a person can read: no traceback, no pandas leftovers, every table a report table."""
    body = page.split("</style>")[-1]
    assert "Traceback" not in body and "Error" not in re.sub(r"<script>.*?</script>", "", body, flags=re.S)
    assert "dtype:" not in body
    assert "<td>None</td>" not in body and "&lt;NA&gt;" not in body and "<td>nan</td>" not in body
    assert "<th></th>" not in body  # no pandas index column
    assert 'class="dataframe"' not in body  # every table is a report table


SOURCE_KEPT = ("key", "entry_type", "source_fields")  # what readers keep for export (tests/test_roundtrip.py)


def modelled(records):
    """A reader's record (or list of records) without the fields kept for export: the modelled fields only."""
    if isinstance(records, dict):
        return {k: v for k, v in records.items() if k not in SOURCE_KEPT}
    return [modelled(r) for r in records]


# --------------------------------------------------------------------------- how `make test` spreads the files
# `pytest -n auto --dist loadfile` gives each worker whole files (a notebook's cells run in order in one
# worker).  Left to itself xdist hands out the files with the most tests first, so a slow file with few tests
# (a papermill run each) starts last and one worker finishes long after the other.  Here the slowest files
# go first, slowest first (measured with --durations=0; a file renamed or missing here only loses its place),
# and the files in SAME_WORKER run in one worker so that the report runs they share (``report_run``) run once.

SLOWEST_FIRST = (
    "tests/test_report_corpora.py",
    "tests/test_reports.py",
    "tests/test_screening_priority.py",
    "tests/test_distributed_pipeline.py",
    "tests/test_roundtrip.py",
    "notebooks/walkthroughs/01_first_literature_review.ipynb",
    "tests/test_bibtex.py",
    "tests/test_json_formats.py",
    "tests/test_tagging_speed_equivalence.py",
    "tests/test_distributed.py",
    "tests/test_doctests.py",
    "tests/test_fuzz.py",
    "tests/test_columnar.py",
    "tests/test_citations.py",
    "tests/test_merge_scale.py",
    "notebooks/corpus_overview.ipynb",
    "tests/test_ris.py",
    "tests/test_export.py",
    "tests/test_learned_tagging.py",
    "tests/test_tables.py",
    "notebooks/walkthroughs/03_reading_a_field_peft.ipynb",
)
SAME_WORKER = {
    "tests/test_browser.py": "tests/test_report_corpora.py",  # both read report_run("...tiny")
    # both compare with the frozen reference's evidence for the same papers, worked out once (reference_of)
    "tests/test_tagging_fast_paths.py": "tests/test_tagging_speed_equivalence.py",
}


def work_unit(nodeid: str) -> str:
    """The file a test belongs to for xdist, or the file it shares a worker with."""
    path = nodeid.split("::", 1)[0]
    return SAME_WORKER.get(path, path)


def pytest_collection_modifyitems(config, items):
    """In an xdist worker: slowest files first, the rest in their usual order (a stable sort keeps each
    file's own order).  A run in one process keeps the usual order."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return
    rank = {path: n for n, path in enumerate(SLOWEST_FIRST)}
    items.sort(key=lambda item: rank.get(work_unit(item.nodeid), len(rank)))


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """``--dist loadfile`` in the collection order above, with the SAME_WORKER files as one unit."""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class SlowestFilesFirst(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return work_unit(nodeid)

    config.option.loadscopereorder = False  # keep the order of pytest_collection_modifyitems
    return SlowestFilesFirst(config, log)
