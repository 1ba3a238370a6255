"""The walkthroughs' exercise checks (exact messages) and the walkthrough notebooks' own promises."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from conftest import RLHF_BIB

from litreview.report.teaching import EXERCISES, check, exercises, quiet_subprocesses
from litreview.schema import to_frame

ROOT = Path(__file__).resolve().parent.parent
WALKTHROUGHS = ROOT / "notebooks" / "walkthroughs"
WALKTHROUGH_FILES = sorted(WALKTHROUGHS.glob("[0-9][0-9]_*.ipynb"))
SOLUTION_FILES = sorted((WALKTHROUGHS / "solutions").glob("[0-9][0-9]_*_solutions.ipynb"))
ALL_NOTEBOOKS = WALKTHROUGH_FILES + SOLUTION_FILES
REFERENCE_NOTEBOOKS = ["corpus_overview", "topic_report", "topic_trends", "compare_topics", "topic_discovery",
                       "screening_flow"]
UNANSWERED = "not answered yet. Replace the ... in the answer cell with your answer, run that cell, then run this one."


# -- small hand-made tables --------------------------------------------------------------------------


@pytest.fixture
def papers():
    rows = [
        {"id": "arxiv:2101.00001", "arxiv_id": "2101.00001", "abstract": "Prompts for frozen models.",
         "year": 2021, "month": 1, "source": "a.txt:1"},
        {"id": "arxiv:2103.00002", "arxiv_id": "2103.00002", "abstract": "Low-rank adapters.", "year": 2021,
         "month": 3, "source": "a.txt:3"},
        {"id": "title:quantized-adapters", "title": "Quantized Adapters", "year": 2023, "month": 5,
         "source": "b.txt:1"},
        {"id": "title:an-essay", "title": "An Essay", "source": "c.txt:1"},
    ]
    frame = to_frame(rows)
    frame["topics"] = [["peft"], ["peft", "efficiency"], ["peft"], ["efficiency"]]
    return frame


@pytest.fixture
def evidence():
    rows = [
        ("arxiv:2101.00001", "peft", "abstract", "term", True),
        ("arxiv:2103.00002", "peft", "abstract", "supporting", True),
        ("arxiv:2103.00002", "peft", "abstract", "supporting", True),
        ("title:quantized-adapters", "peft", "title", "supporting", True),
        ("title:quantized-adapters", "peft", "notes", "supporting", True),
        ("title:an-essay", "peft", "title", "supporting", False),
    ]
    return pd.DataFrame(rows, columns=["id", "topic", "field", "kind", "tagged"])


@pytest.fixture
def labels():
    return pd.DataFrame({"id": ["arxiv:2101.00001", "arxiv:2103.00002", "title:quantized-adapters", "title:an-essay"],
                         "topics": [["peft"], ["efficiency"], ["peft"], ["peft"]]})


# -- every exercise ------------------------------------------------------------------------------------


def test_exercises_are_numbered_in_order_with_unique_names():
    table = exercises()
    assert table["name"].is_unique
    assert table["number"].tolist() == ["1.1", "1.2", "1.3", "1.4", "2.1", "2.2", "2.3", "3.1", "3.2", "3.3", "3.4"]
    assert exercises(2)["name"].tolist() == ["draft-recall", "missed-paper", "library-field"]
    assert "{topic}" not in " ".join(table["question"])


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.name)
def test_an_unanswered_exercise_says_so_without_computing_anything(exercise):
    given = {name: pd.DataFrame() for name in exercise.needs}  # empty tables: nothing is computed for ...
    assert check(exercise.name, ..., **given) == f"Exercise {exercise.number} ({exercise.title}): {UNANSWERED}"


def test_unknown_exercise_and_inputs_are_errors(papers):
    with pytest.raises(KeyError, match="unknown exercise 'nope'; exercises: untitled-papers, supporting-only"):
        check("nope", 1)
    with pytest.raises(TypeError, match=r"unknown input\(s\) \['paper'\]"):
        check("untitled-papers", 1, paper=papers)
    with pytest.raises(TypeError, match=r"exercise 'draft-recall' needs tagged=\.\.\."):
        check("draft-recall", 0.5)


# -- whole numbers -------------------------------------------------------------------------------------


def test_count_right_wrong_and_wrong_kind(papers):
    head = "Exercise 1.1 (untitled papers):"
    right = (f"{head} right. Those papers are known only by an arXiv id and an abstract: that is why "
             "`lr.display_title` exists, and why walkthrough 3 fills titles in.")
    assert check("untitled-papers", 2, papers=papers) == right
    assert check("untitled-papers", 2.0, papers=papers) == right
    assert check("untitled-papers", 3, papers=papers) == (
        f"{head} not yet. Hint: `lr.missing_fields(papers)` counts the missing fields of each source file; "
        "its last row adds them up."
    )
    assert check("untitled-papers", "2", papers=papers) == (
        f"{head} not yet: give a whole number, such as 7 (without quotes); got the text '2'."
    )
    assert check("untitled-papers", 2.5, papers=papers) == (
        f"{head} not yet: give a whole number, such as 7 (without quotes); got the number 2.5."
    )
    assert check("untitled-papers", True, papers=papers) == (
        f"{head} not yet: give a whole number, such as 7 (without quotes); got the truth value True."
    )
    assert check("untitled-papers", [2], papers=papers).endswith("got a list.")


def test_counts_follow_the_topic_passed(papers):
    right = ("Exercise 1.4 (papers the timeline leaves out): right. A timeline only shows what is dated: say so "
             "when you report one.")
    assert check("undated-in-topic", 1, tagged=papers, topic="efficiency") == right
    assert check("undated-in-topic", 0, tagged=papers, topic="peft") == right
    assert check("undated-in-topic", 1, tagged=papers).startswith(  # the default topic: peft
        "Exercise 1.4 (papers the timeline leaves out): not yet. Hint:"
    )


def test_year(papers):
    head = "Exercise 1.3 (busiest year):"
    assert check("peak-year", 2021, tagged=papers, topic="peft") == (
        f"{head} right. Now ask whether that year was busy in the field, or only in the sources someone chose to keep."
    )
    assert check("peak-year", 2023, tagged=papers, topic="peft") == (
        f"{head} not yet. Hint: `lr.topic_timeline(tagged, [topic])` has one row per year; find the largest "
        "`papers` count."
    )
    assert check("peak-year", "2021", tagged=papers, topic="peft") == (
        f"{head} not yet: give a year as a whole number, such as 2020 (without quotes); got the text '2021'."
    )


# -- shares --------------------------------------------------------------------------------------------


def test_share_within_half_a_percent(papers, labels):
    head = "Exercise 2.1 (the draft's recall):"
    right = (f"{head} right. Recall below 1 means a paper the hand labels give this topic was missed: "
             "the next exercise finds it.")
    # peft: labelled 2101.00001, quantized-adapters, an-essay; tagged: the first two -> recall 2/3
    assert check("draft-recall", 2 / 3, tagged=papers, labels=labels) == right
    assert check("draft-recall", 0.667, tagged=papers, labels=labels) == right
    assert check("draft-recall", 0.67, tagged=papers, labels=labels) == right
    assert check("draft-recall", 0.5, tagged=papers, labels=labels) == (
        f"{head} not yet. Hint: Recall is tp / (tp + fn): the share of the hand-labelled papers the rules found. "
        "`lr.evaluate(draft_tagged, labels, draft.slugs)` has it in the `recall` column."
    )
    assert check("draft-recall", 67, tagged=papers, labels=labels) == (
        f"{head} not yet: give a number from 0 to 1, such as 0.25 (a share, not a percentage); got the number 67."
    )
    assert check("draft-recall", "0.667", tagged=papers, labels=labels).startswith(f"{head} not yet: give a number")


# -- papers --------------------------------------------------------------------------------------------


def test_a_paper_is_named_by_id_arxiv_id_title_or_display_title(papers, evidence):
    head = "Exercise 1.2 (weakest evidence):"
    right = (f"{head} right (one of 2 papers that fit). Tags resting on weak cues are the first ones to read "
             "for yourself.")
    for name in ("arxiv:2103.00002", "ARXIV:2103.00002", "2103.00002", "2103.00002v3", "arXiv:2103.00002",
                 "[2103.00002] Low-rank adapters.", "title:quantized-adapters", "Quantized Adapters",
                 "quantized adapters", "Quantized Ad..."):
        assert check("supporting-only", name, papers=papers, evidence=evidence) == right, name
    assert check("supporting-only", "2101.00001", papers=papers, evidence=evidence) == (
        f"{head} not yet. Hint: In `why` (the evidence table), keep the rows of topic 'peft' whose `tagged` is "
        "True, then look at the `kind` column paper by paper: which paper has no 'term' row?"
    )
    assert check("supporting-only", "An Essay", papers=papers, evidence=evidence).startswith(f"{head} not yet. Hint")
    assert check("supporting-only", "Attention Is All You Need", papers=papers, evidence=evidence) == (
        f"{head} not yet: no paper in this corpus has the id, arXiv id or title 'Attention Is All You Need'. "
        "Copy an `id` (or a title) from one of the tables above."
    )
    assert check("supporting-only", 2103.00002, papers=papers, evidence=evidence) == (
        f"{head} not yet: give one paper as text: its id, arXiv id or title, such as 'arxiv:1706.03762'; "
        "got the number 2103.00002."
    )


def test_none_is_right_only_when_no_paper_fits(papers, evidence):
    assert check("supporting-only", None, papers=papers, evidence=evidence).startswith(
        "Exercise 1.2 (weakest evidence): not yet. Hint:"
    )
    strong = evidence.assign(kind="term")
    assert check("supporting-only", None, papers=papers, evidence=strong) == (
        "Exercise 1.2 (weakest evidence): right. Tags resting on weak cues are the first ones to read for yourself."
    )


def test_a_single_right_paper_has_no_count(papers, labels):
    # peft: an-essay is labelled but not tagged
    assert check("missed-paper", "An Essay", tagged=papers, labels=labels) == (
        "Exercise 2.2 (a paper the draft misses): right. A missed paper leaves no evidence behind: read its "
        "abstract to see which words the rules lack."
    )


def test_first_paper_by_year_then_month(papers):
    assert check("first-in-topic", "2101.00001", tagged=papers) == (
        "Exercise 3.1 (the earliest paper): right. Now check where its date comes from: an arXiv id gives the "
        "month a paper was first posted, not when it was published."
    )
    assert check("first-in-topic", "2103.00002", tagged=papers).startswith(
        "Exercise 3.1 (the earliest paper): not yet."
    )
    undated_month = papers.assign(month=papers["month"].where(papers["id"] != "arxiv:2103.00002"))
    assert check("first-in-topic", "2103.00002", tagged=undated_month).startswith(
        "Exercise 3.1 (the earliest paper): right (one of 2 papers that fit)."
    )


# -- fields --------------------------------------------------------------------------------------------


def test_field(evidence):
    head = "Exercise 2.3 (where the library's tags come from):"
    title_only = evidence[evidence["field"] == "title"]
    right = (f"{head} right. A reference manager's export often has no abstracts: rules that only work on "
             "abstracts find nothing there.")
    assert check("library-field", "title", evidence=title_only) == right
    assert check("library-field", " Title ", evidence=title_only) == right
    assert check("library-field", ["title"], evidence=title_only) == right
    assert check("library-field", "abstract", evidence=title_only) == (
        f"{head} not yet. Hint: Look at the `field` column of the library's evidence for 'peft', or at what "
        "`lr.missing_fields(library)` says the library lacks."
    )
    assert check("library-field", "title", evidence=evidence).startswith(f"{head} not yet. Hint")
    assert check("library-field", ["abstract", "title", "notes"], evidence=evidence) == right
    assert check("library-field", "summary", evidence=title_only) == (
        f"{head} not yet: the fields tags come from are 'title', 'abstract' and 'notes'; got 'summary'."
    )
    assert check("library-field", 3, evidence=title_only) == (
        f"{head} not yet: give a field name as text: 'title', 'abstract' or 'notes'; got the number 3."
    )


# -- the default corpus ----------------------------------------------------------------------------------


def test_expected_answers_on_the_default_corpus():
    """What the walkthroughs' exercises expect today (the solution notebooks show how each is found)."""
    from litreview.report.teaching import _Inputs

    expected = {
        "untitled-papers": 39,
        "supporting-only": frozenset({"title:read-recurrent-adaptation-of-large-transformers"}),
        "peak-year": frozenset({2021}),
        "undated-in-topic": 1,
        "first-in-topic": frozenset({"arxiv:2101.00190"}),
        "closest-to-lora": frozenset({"title:read-recurrent-adaptation-of-large-transformers"}),
        "papers-2022": 11,
        "still-untitled": 2,
    }
    computed = {}
    for exercise in EXERCISES:
        if exercise.name in expected:
            inputs = _Inputs(exercise, {})
            computed[exercise.name] = exercise.solve(inputs)
    assert computed == expected


def test_default_inputs_are_computed_when_left_out():
    assert check("papers-2022", 11).startswith("Exercise 3.3 (the corpus in 2022): right.")
    assert check("closest-to-lora", "READ: Recurrent Adaptation of Large Transformers").startswith(
        "Exercise 3.2 (LoRA's nearest neighbour): right."
    )


def test_lora_s_neighbour_on_a_corpus_without_lora_is_the_first_paper_s():
    # (as the walkthrough's cell takes it: "or your first paper"); it raised ValueError on such a corpus
    papers = to_frame([
        {"id": "a", "title": "Chess by search", "abstract": "We play chess with tree search and pruning."},
        {"id": "b", "title": "Go by search", "abstract": "We play go with tree search and pruning."},
        {"id": "c", "title": "Soil", "abstract": "Soil moisture under rain."},
    ])
    assert check("closest-to-lora", "Go by search", papers=papers).startswith("Exercise 3.2 (LoRA's nearest "
                                                                              "neighbour): right.")
    assert "not yet" in check("closest-to-lora", "Soil", papers=papers)


# -- quiet_subprocesses ------------------------------------------------------------------------------------


def test_quiet_subprocesses_silences_children_for_the_block_only(capfd):
    noisy = [sys.executable, "-c", "import sys; sys.stderr.write('start-up noise')"]
    with quiet_subprocesses():
        subprocess.run(noisy, check=True)
    assert capfd.readouterr().err == ""
    subprocess.run(noisy, check=True)
    assert capfd.readouterr().err == "start-up noise"


# -- the walkthrough notebooks ------------------------------------------------------------------------------


def _cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _source(cell):
    return "".join(cell["source"])


def _stdout(cell):
    return "".join("".join(o.get("text", "")) for o in cell.get("outputs", []) if o.get("name") == "stdout")


def _checks(path):
    """(exercise name, printed message) for every check cell of a notebook."""
    found = []
    for cell in _cells(path):
        match = re.search(r'check\("([a-z0-9-]+)", answer', _source(cell))
        if cell["cell_type"] == "code" and match:
            found.append((match[1], _stdout(cell).strip()))
    return found


@pytest.mark.skipif(not RLHF_BIB.is_file(), reason=f"needs the shared fixture {RLHF_BIB.name} (../shared absent)")
def test_walkthrough_2_runs_to_its_end_on_another_corpus(tmp_path):
    # The RLHF book's bibliography: no abstracts, 4 papers of the shipped labels, no false positive for
    # efficiency, and none of the five papers the queue shows first labelled.  Each section says what it can.
    import papermill

    out = tmp_path / "run.ipynb"
    papermill.execute_notebook(
        str(WALKTHROUGHS / "02_build_your_own_taxonomy.ipynb"), str(out), cwd=str(WALKTHROUGHS),
        parameters={"corpus": [str(RLHF_BIB)]}, kernel_name="python3", progress_bar=False,
        request_save_on_cell_execute=False, shutdown_kernel="immediate")
    cells = [c for c in _cells(out) if c["cell_type"] == "code"]
    assert not [o for c in cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    printed = "\n".join(_stdout(c) for c in cells)
    assert "Qlora: Efficient finetuning of quantized llms\n\n(no abstract)" in printed  # the false negative
    added = "".join(next(c for c in cells if _source(c).startswith("reading = "))["outputs"][0]["data"]["text/plain"])
    assert "arxiv:2112.09332" in added and "title:lima-less-is-more-for-alignment" in added


def test_there_are_three_walkthroughs_each_with_its_solutions():
    assert [p.name for p in WALKTHROUGH_FILES] == [
        "01_first_literature_review.ipynb", "02_build_your_own_taxonomy.ipynb", "03_reading_a_field_peft.ipynb"
    ]
    assert [p.name for p in SOLUTION_FILES] == [p.stem + "_solutions.ipynb" for p in WALKTHROUGH_FILES]


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=lambda p: p.name)
def test_walkthroughs_are_parameterized_portable_and_small(path):
    """The rules tests/test_project.py sets for notebooks/*.ipynb, for the walkthroughs' subfolders too."""
    cells = _cells(path)
    tags = [c.get("metadata", {}).get("tags", []) for c in cells if c["cell_type"] == "code"]
    assert ["parameters"] in tags[:1], "the first code cell is the papermill parameters cell"
    text = path.read_text(encoding="utf-8")
    assert not re.search(r"/work/|/tmp/|/root/|/home/[a-z]|/Users/|[A-Z]:\\\\", text)
    assert not re.search(r"0x[0-9a-f]{8,}", text)
    assert not re.search(r"litreview-[a-z0-9_]{6,}", text), "a temporary folder's name was printed"
    code = [c for c in cells if c["cell_type"] == "code" and _source(c).strip()
            and "parameters" not in c.get("metadata", {}).get("tags", [])]
    assert all(c.get("outputs") for c in code), "every code cell has stored outputs"
    assert not [o for c in code for o in c["outputs"] if o.get("name") == "stderr" or o["output_type"] == "error"]
    assert len(text.encode()) < 600_000


@pytest.mark.parametrize("number, path", list(enumerate(WALKTHROUGH_FILES, start=1)),
                         ids=[p.name for p in WALKTHROUGH_FILES])
def test_walkthrough_exercises_are_left_unanswered_and_solved_in_the_solutions(number, path):
    names = exercises(number)["name"].tolist()
    asked = _checks(path)
    assert [name for name, _ in asked] == names
    for name, message in asked:
        assert message.endswith(UNANSWERED), name
    answer_cells = [_source(c) for c in _cells(path) if _source(c).startswith("answer = ")]
    assert len(answer_cells) == len(names)
    assert all(re.match(r"answer = \.\.\.  # .+\nanswer$", s) for s in answer_cells)
    solved = _checks(WALKTHROUGHS / "solutions" / f"{path.stem}_solutions.ipynb")
    assert [name for name, _ in solved] == names
    for name, message in solved:
        assert re.match(r"Exercise \d\.\d \(.+?\): right[ .(]", message), (name, message)


@pytest.mark.parametrize("path", WALKTHROUGH_FILES, ids=lambda p: p.name)
def test_walkthroughs_end_by_linking_the_reference_notebooks(path):
    last = _cells(path)[-1]
    assert last["cell_type"] == "markdown"
    links = re.findall(r"\]\(\.\./([a-z_]+)\.ipynb\)", _source(last))
    assert links == REFERENCE_NOTEBOOKS
    assert all((ROOT / "notebooks" / f"{name}.ipynb").is_file() for name in links)


def test_taxonomy_solutions_use_the_walkthroughs_taxonomies_word_for_word():
    def yaml_cells(path):
        return [_source(c) for c in _cells(path) if re.match(r"(draft|revised)_yaml = ", _source(c))]

    walkthrough = yaml_cells(WALKTHROUGHS / "02_build_your_own_taxonomy.ipynb")
    assert len(walkthrough) == 2
    assert yaml_cells(WALKTHROUGHS / "solutions" / "02_build_your_own_taxonomy_solutions.ipynb") == walkthrough
