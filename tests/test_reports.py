"""`litreview report`: parameter validation, papermill runs and the HTML it writes."""

import re
import sys

import pytest

import litreview as lr
from litreview.report.cli import main
from litreview.report.run import ReportJob, plan_reports, run_report, write_index
from litreview.tagging.taxonomy import load_taxonomy

ALL_TOPICS = load_taxonomy().slugs


def test_plan_defaults_to_every_topic():
    jobs = plan_reports()
    assert [j.topic for j in jobs] == ALL_TOPICS
    assert jobs[0].parameters == {"topic": "peft", "corpus": [], "start_year": None, "end_year": None,
                                  "taxonomy": None, "errors": "raise", "tagger": "learned"}


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"topics": ["peft", "nope"]}, "unknown topic(s) nope. Valid topics: peft, alignment, reasoning"),
        ({"topics": ["controlable"]}, "unknown topic(s) controlable; did you mean controllable? Valid topics: peft"),
        ({"start_year": "2021"}, "start_year must be an integer year, got '2021'"),
        ({"start_year": 2023, "end_year": 2021}, "start_year 2023 is after end_year 2021"),
        ({"corpus": ["missing.bib"]}, "corpus file(s) not found: missing.bib"),
        ({"parameters": {"tagger": "rule"}}, "tagger must be 'learned' or 'rules', got 'rule'"),
        ({"notebook": "citation_report", "parameters": {"only_topic": "multimodel"}},
         "unknown topic(s) multimodel; did you mean multimodal?"),
        ({"notebook": "citation_report", "topics": ["peft"]},
         "citation_report takes no topic; leave out --topic (its topic parameter: --param only_topic=SLUG)"),
    ],
)
def test_plan_rejects_bad_parameters(kwargs, message):
    with pytest.raises(ValueError) as info:
        plan_reports(**kwargs)
    assert message in str(info.value)


def test_cli_bad_topic_is_a_one_line_error(capsys):
    with pytest.raises(SystemExit) as info:
        main(["report", "--topic", "lora"])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("litreview report: error: unknown topic(s) lora. Valid topics: peft, alignment")
    assert "Traceback" not in err and len(err.splitlines()) == 1


def test_topics_match_in_any_case_and_by_label():
    jobs = plan_reports(["PEFT", "Parameter-efficient fine-tuning", "Safety"])
    assert [j.topic for j in jobs] == ["peft", "peft", "safety"]
    (job,) = plan_reports(notebook="compare_topics", parameters={"topic_a": "Alignment", "topic_b": "SAFETY"})
    assert (job.parameters["topic_a"], job.parameters["topic_b"]) == ("alignment", "safety")


def test_a_report_made_with_other_parameters_gets_a_name_and_label_of_its_own():
    # (a second compare_topics run replaced the first in the same folder: a newcomer's trial)
    cases = [
        ("compare_topics", {}, "compare_topics", "Compare topics"),
        ("compare_topics", {"topic_a": "Agents", "topic_b": "interpretability"},
         "compare_topics-agents-interpretability", "Compare topics (agents, interpretability)"),
        ("compare_topics", {"topic_b": "alignment"}, "compare_topics-peft-alignment",
         "Compare topics (peft, alignment)"),
        ("topic_trends", {"granularity": "month", "errors": "skip"}, "topic_trends-granularity-month",
         "Topic trends (granularity month)"),
        ("topic_trends", {"topics": ["peft", "retrieval"]}, "topic_trends-peft-retrieval",
         "Topic trends (peft retrieval)"),
        ("topic_discovery", {"n_topics": 12}, "topic_discovery-n_topics-12", "Topic discovery (n_topics 12)"),
        ("topic_discovery", {"n_topics": 8}, "topic_discovery", "Topic discovery"),  # (the default)
        ("citation_report", {"only_topic": "Multimodal"}, "citation_report-multimodal",
         "Citation report (multimodal)"),
    ]
    for notebook, parameters, name, label in cases:
        (job,) = plan_reports(notebook=notebook, parameters=parameters)
        assert (job.name, job.label) == (name, label)
    (job,) = plan_reports(notebook="citation_report", parameters={"only_topic": "Multimodal"})
    assert job.parameters["only_topic"] == "multimodal"  # (resolved before the kernel starts, as topic_a is)


def test_cli_help_lists_notebooks_and_topics(capsys):
    with pytest.raises(SystemExit):
        main(["report", "--help"])
    out = capsys.readouterr().out
    assert "  topic_trends: corpus, taxonomy, topics, granularity, window, errors, tagger" in out
    assert "peft, alignment, reasoning" in out and "--errors {raise,skip}" in out


def test_cli_bad_value_is_one_line_without_usage(capsys):
    with pytest.raises(SystemExit) as info:
        main(["report", "--errors", "maybe"])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert err == ("litreview report: error: argument --errors: invalid choice: 'maybe' (choose from 'raise', "
                   "'skip') (see litreview report --help)\n")


def test_cli_bad_year_is_rejected_before_any_kernel(capsys):
    with pytest.raises(SystemExit) as info:
        main(["report", "--start-year", "last year"])
    assert info.value.code == 2
    assert "expected a year such as 2021, got 'last year'" in capsys.readouterr().err


def test_index_lists_reports_and_escapes(tmp_path):
    jobs = [ReportJob("peft", "PEFT <b>", {"topic": "peft", "start_year": 2021, "corpus": []})]
    page = write_index(jobs, tmp_path).read_text()
    assert '<a href="peft-from-2021.html">PEFT &lt;b&gt;</a>' in page  # (a window: its own file)
    assert "<td>years: 2021 and later</td>" in page


def test_the_index_counts_only_the_reports_made_on_its_corpus(tmp_path):
    # A report made earlier on another corpus (or year window) stays listed, without this run's counts.
    import json

    from litreview.report.assets import MANIFEST

    manifest = {"safety": {"label": "Safety", "notebook": "topic_report", "made": "2026-12-01",
                           "parameters": {"topic": "safety", "corpus": ["other.ris"]}},
                "peft": {"label": "PEFT", "notebook": "topic_report", "made": "2026-12-01",
                         "parameters": {"topic": "peft", "corpus": ["mine.bib"], "errors": "raise"}}}
    (tmp_path / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    for name in manifest:
        (tmp_path / f"{name}.html").write_text("ok", encoding="utf-8")
    dashboard = {"papers": 30, "files": [("mine.bib", 30)], "first_year": 2020, "last_year": 2022, "undated": 0,
                 "untagged": 3, "outside": 0, "window": (2020, 2022), "skipped": 0,
                 "topics": [{"slug": s, "label": s.title(), "papers": n, "per_year": {2021: n}}
                            for s, n in [("peft", 12), ("safety", 7)]],
                 "parameters": {"corpus": ["mine.bib"]}}
    page = write_index([], tmp_path, dashboard).read_text()
    rows = re.findall(r"<tr><td>.*?</tr>", page)
    peft, old_safety = ([r for r in rows if f'href="{name}.html"' in r] for name in ("peft", "safety"))
    assert len(rows) == 3 and len(peft) == 1 and len(old_safety) == 1
    assert '<td class="num" data-sort="12">12</td>' in peft[0]  # made on this corpus: its count
    assert '<td class="num" data-sort="-1">—</td>' in old_safety[0]  # made on another: no count of this one
    assert "corpus: other.ris" in old_safety[0]
    # this corpus's safety papers have no report here yet
    assert re.search(r'<tr><td>Safety</td><td class="num" data-sort="7">7</td>.*no report yet</td></tr>', page)
    assert "1 of these reports were made on another corpus, taxonomy or year window" in page


def test_every_default_topic_plans_its_own_report_without_a_kernel():
    # What differs between topics before a kernel starts: the job's name, label and parameters.
    taxonomy = load_taxonomy()
    jobs = plan_reports()
    assert [(j.name, j.label, j.parameters["topic"]) for j in jobs] == [
        (slug, taxonomy[slug].label, slug) for slug in ALL_TOPICS]
    assert len({j.name for j in jobs}) == len(ALL_TOPICS)
    windows = [plan_reports(["peft"], start_year=a, end_year=b)[0].name for a, b in [(2021, None), (None, 2022),
                                                                                        (2021, 2022)]]
    assert windows == ["peft-from-2021", "peft-to-2022", "peft-2021-2022"]


def test_report_on_the_default_corpus_with_a_year_window_and_a_quiet_cli(tmp_path, capfd):
    assert main(["report", "--topic", "Efficiency", "--start-year", "2021", "--end-year", "2022",
                 "--out", str(tmp_path)]) == 0
    page = (tmp_path / "efficiency-2021-2022.html").read_text()  # (the whole years' report is not replaced)
    assert "years: 2021 to 2022" in page
    label = load_taxonomy()["efficiency"].label
    assert f">{label}<a class=\"anchor-link\"" in page and page.count("<h1") == 1
    assert '<img alt="Line chart of papers per year' in page and 'src="data:image/png;base64,' in page
    assert "lr.load(" not in page and "rs.topic_heading" not in page  # code cells are left out
    assert "Traceback" not in page
    assert "function makeSearchable" in page and "table.lr-table" in page  # script and style inlined
    assert not re.search(r"<script[^>]*src=", page)  # nothing loaded from a CDN: the page works offline
    years = {int(y) for y in re.findall(r'<td class="num" data-sort="(\d{4})\.0">\1</td>', page)}
    assert years and years <= {2021, 2022}
    assert "efficiency-2021-2022.html" in (tmp_path / "index.html").read_text()
    out, err = capfd.readouterr()
    assert out.splitlines()[0] == "[1/1] efficiency-2021-2022 ..."
    assert re.fullmatch(r"wrote 1 report\(s\) \(0 up to date\) and \S+index.html in \d+\.\d s", out.splitlines()[1])
    assert len(out.splitlines()) == 2 and err == ""  # no kernel warnings, no nbconvert alt-text warning


def test_a_failing_report_is_named_in_one_line_and_the_others_run(tmp_path, capfd, monkeypatch):
    from litreview.report import run as run_module

    def fake_run(job, out, log_output=False):
        if job.name == "peft":
            raise run_module.ReportFailed("peft", out / "notebooks" / "peft.ipynb", "cell 4: ValueError: boom")
        (out / f"{job.name}.html").write_text("ok", encoding="utf-8")
        return out / f"{job.name}.html"

    monkeypatch.setattr(run_module, "run_report", fake_run)
    assert main(["report", "--topic", "peft", "--topic", "safety", "--out", str(tmp_path)]) == 1
    out, err = capfd.readouterr()
    assert err.splitlines()[0] == (f"litreview report: the peft report failed (cell 4: ValueError: boom); "
                                   f"the executed notebook is {tmp_path / 'notebooks' / 'peft.ipynb'}")
    assert "[2/2] safety ..." in out and "wrote 1 report(s) (0 up to date, 1 failed: peft)" in out
    # the index says the report failed, and where its notebook is beside it (no machine's folders), not that it
    # was never made
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert ('<span class="warning">failed this run: cell 4: ValueError: boom; see notebooks/peft.ipynb</span>'
            in page)
    assert str(tmp_path) not in page
    assert page.count("failed this run") == 1


def test_a_kernel_that_dies_is_reported_with_its_log_not_an_old_notebook(tmp_path, monkeypatch):
    # papermill writes the executed notebook once, at the end or at the failing cell (run_report asks it not
    # to after every cell): a kernel that dies first leaves no notebook, and the error names the kernel's log,
    # never the notebook an earlier run left there.
    import papermill

    from litreview.report.run import ReportFailed

    def dies(source, target, **options):
        assert options["request_save_on_cell_execute"] is False
        raise RuntimeError("Kernel died before replying to kernel_info")

    monkeypatch.setattr(papermill, "execute_notebook", dies)
    (job,) = plan_reports(["peft"])
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "notebooks" / "peft.ipynb").write_text("{}", encoding="utf-8")  # an earlier run's
    with pytest.raises(ReportFailed) as info:
        run_report(job, tmp_path)
    assert str(info.value) == ("the peft report failed (Kernel died before replying to kernel_info); "
                               f"the kernel's log is {tmp_path / 'notebooks' / 'peft.log'}")
    assert not (tmp_path / "notebooks" / "peft.ipynb").exists() and (tmp_path / "notebooks" / "peft.log").is_file()


# --------------------------------------------------------------------------- any notebook, typed parameters


def test_notebook_parameters_are_read_not_run():
    from litreview.report.run import notebook_parameters, notebooks_dir

    assert notebook_parameters(notebooks_dir() / "topic_report.ipynb") == {
        "topic": "peft", "corpus": [], "start_year": None, "end_year": None, "taxonomy": None, "errors": "raise",
        "tagger": "learned"}


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--notebook", "nope"], "unknown notebook 'nope'; choose one of "),
        (["--param", "colour=blue"], "topic_report has no parameter 'colour'; its parameters: topic, corpus,"),
        (["--param", "start_year=[2021]"], "start_year must be an integer year, got [2021]"),
        (["--param", "start_year='2021'"], "start_year must be an integer year, got '2021'"),
        (["--param", "topic=7"], "topic must be str like its default 'peft', got 7"),
        (["--param", "oops"], "expected name=value, got 'oops'"),
    ],
)
def test_cli_parameters_are_checked_before_any_kernel(argv, message, capsys):
    with pytest.raises(SystemExit) as info:
        main(["report", *argv])
    assert info.value.code == 2
    assert message in capsys.readouterr().err


def test_cli_reads_typed_parameters_from_yaml_and_the_command_line(tmp_path):
    from litreview.report.cli import _param

    assert _param("start_year=2021") == ("start_year", 2021)  # an integer stays an integer
    assert _param("corpus=[a.bib, b.ris]") == ("corpus", ["a.bib", "b.ris"])
    assert _param("topic=peft") == ("topic", "peft")
    jobs = plan_reports(["peft"], parameters={"start_year": 2021, "end_year": 2022})
    assert jobs[0].parameters["start_year"] == 2021 and isinstance(jobs[0].parameters["start_year"], int)


def test_cli_parameters_from_a_yaml_file_are_checked(tmp_path, capsys):
    params = tmp_path / "p.yaml"
    params.write_text("start_year: 2023\nend_year: 2021\n", encoding="utf-8")
    with pytest.raises(SystemExit):
        main(["report", "--params", str(params)])
    assert "start_year 2023 is after end_year 2021" in capsys.readouterr().err
    params.write_text("- a list\n", encoding="utf-8")
    with pytest.raises(SystemExit):
        main(["report", "--params", str(params)])
    assert "p.yaml must map parameter names to values" in capsys.readouterr().err


def test_reports_rerun_only_what_changed(tmp_path, capsys, monkeypatch):
    # Which runs happen is the question, not what a kernel makes of them: the notebook is copied, not run.
    import shutil

    import papermill

    runs = []
    monkeypatch.setattr(papermill, "execute_notebook",
                        lambda source, target, **options: runs.append(options["parameters"]["topic"])
                        or shutil.copyfile(source, target))
    corpus = tmp_path / "dump.txt"
    corpus.write_text(
        "arxiv_id\nstringlengths\n9\n12\nabstract\nstringlengths\n431\n13.8k\n"
        "2106.09685\nLow-rank adaptation (LoRA) freezes the pretrained weights and trains small matrices.\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    argv = ["report", "--topic", "peft", "--corpus", str(corpus), "--out", str(out)]
    assert main(argv) == 0
    assert "wrote 1 report(s) (0 up to date)" in capsys.readouterr().out
    assert main(argv) == 0
    assert "peft: up to date" in capsys.readouterr().out
    corpus.write_text(corpus.read_text(encoding="utf-8").replace("small", "tiny"), encoding="utf-8")
    assert main(argv) == 0
    assert "wrote 1 report(s) (0 up to date)" in capsys.readouterr().out
    assert main([*argv, "--force"]) == 0
    assert "wrote 1 report(s)" in capsys.readouterr().out
    assert runs == ["peft", "peft", "peft"]  # first, changed corpus, --force; never the up-to-date one
    index = (out / "index.html").read_text(encoding="utf-8")
    assert index.count('<a href="peft.html">') == 1


MY_TAXONOMY = """topics:
- {slug: lowrank, label: Low-rank methods, scope: Low-rank adapters and updates., terms: [LoRA, low-rank]}
- {slug: agents, label: Agents, scope: Agents that act., terms: [agent], supporting: [environment, reward]}
"""


@pytest.mark.parametrize(
    "notebook, parameters, expect",
    [
        # the rules alone, as a reader who validated them asks: the report says so
        ("topic_trends", {"granularity": "month", "window": 3, "topics": ["peft", "reasoning"], "tagger": "rules"},
         "rules alone (the report"),
        # a taxonomy of one's own: its topics have no fitted weights, and the report says so in a sentence
        ("topic_discovery", {"n_topics": 5, "seed": 1, "taxonomy": "mine.yaml"},
         "No topic of this taxonomy has weights fitted on hand labels"),
        ("compare_topics", {"topic_a": "alignment", "topic_b": "safety"}, "Alignment"),
        # screening_flow has no parameter to vary here but its corpus: with its defaults it runs under nbval
        # (notebooks/screening_flow.ipynb, no warning printed), through `litreview report` on another corpus in
        # tests/test_report_corpora.py (its diagram and the count of records identified on the page)
        ("citation_report", {"only_topic": "peft", "n": 5, "start_year": 2021}, "What this field builds on"),
        # only_topic of a taxonomy of one's own (a field outside the default taxonomy's)
        ("citation_report", {"only_topic": "lowrank", "taxonomy": "mine.yaml"}, "tagged Low-rank methods"),
    ],
)
def test_every_report_notebook_runs_with_other_parameters(notebook, parameters, expect, tmp_path):
    if "taxonomy" in parameters:
        (tmp_path / parameters["taxonomy"]).write_text(MY_TAXONOMY, encoding="utf-8")
        parameters = {**parameters, "taxonomy": str(tmp_path / parameters["taxonomy"])}
    (job,) = plan_reports(notebook=notebook, parameters=parameters)
    page = run_report(job, tmp_path).read_text(encoding="utf-8")
    assert expect in page
    body = page.split("</style>")[-1].split("<script>")[0]
    assert "Warning" not in body and 'data-mime-type="application/vnd.jupyter.stderr"' not in page  # none printed
    assert "data:image/png;base64" in page
    assert "Traceback" not in page and "Error" not in page.split("</style>")[-1].split("<script>")[0]
    for name in parameters:  # the provenance table names every parameter given
        assert f"parameter: {name}" in page


def test_notebooks_without_a_topic_refuse_one(capsys):
    with pytest.raises(SystemExit):
        main(["report", "--notebook", "topic_discovery", "--topic", "peft"])
    assert "topic_discovery takes no topic; leave out --topic" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["report", "--notebook", "topic_trends", "--param", "topics=[peft, lora]"])
    assert "unknown topic(s) lora. Valid topics: peft" in capsys.readouterr().err


def test_python_dash_m_litreview_is_the_command():
    import subprocess

    done = subprocess.run([sys.executable, "-m", "litreview", "--help"], capture_output=True, text=True, check=False)
    assert done.returncode == 0 and "report" in done.stdout


def test_file_parameters_are_read_from_where_the_command_runs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "review.csv").write_text("record_id,title,abstract,label_included\n1,A,,1\n2,B,,0\n")
    job = plan_reports(notebook="screening_simulation", parameters={"dataset": "review.csv"})[0]
    assert job.parameters["dataset"] == str(tmp_path / "review.csv") and job.inputs == (str(tmp_path / "review.csv"),)
    with pytest.raises(ValueError, match="dataset file\\(s\\) not found: gone.csv"):
        plan_reports(notebook="screening_simulation", parameters={"dataset": "gone.csv"})
    # a decisions file is made by the first decision: resolved here, not required to exist
    job = plan_reports(notebook="screening", parameters={"decisions": "mine.csv"})[0]
    assert job.parameters["decisions"] == str(tmp_path / "mine.csv") and job.inputs == ()


def test_the_provenance_table_names_every_file_parameter_by_its_name_only():
    from litreview.report import provenance, run

    assert set(provenance.FILE_PARAMETERS) == set(run.PATH_PARAMETERS + run.OUTPUT_PATHS)
    table = lr.provenance(lr.load(), lr.load_taxonomy(),
                          {"corpus": ["/home/me/a.bib", "/srv/b.ris"], "decisions": "/tmp/x/d.csv", "topic": "a/b"})
    assert table["value"].tolist()[4:] == ["a.bib, b.ris", "d.csv", "a/b"]
