"""The teaching walkthroughs on a corpus of one's own: each cell runs, and what it says fits that corpus.

A teacher sets ``corpus`` and ``topic`` in a walkthrough's parameters cell (or with papermill).  The runs
here use a small hand-made BibTeX corpus (four papers on reinforcement-learning agents, none on ``peft``)
and, when ``../shared`` is present, a Scopus export on Petri nets (``litstudy_scopus.csv``).
"""

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from conftest import SHARED_FIXTURES

from litreview.report.walkthrough import topic_note
from litreview.schema import to_frame

ROOT = Path(__file__).resolve().parent.parent
WALKTHROUGHS = ROOT / "notebooks" / "walkthroughs"
SCOPUS_CSV = SHARED_FIXTURES / "tables" / "litstudy_scopus.csv"

AGENTS_BIB = """\
@article{mnih2015human,
  title = {Human-level control through deep reinforcement learning},
  author = {Mnih, Volodymyr and Kavukcuoglu, Koray and Silver, David},
  journal = {Nature}, year = {2015},
  abstract = {We train a deep reinforcement learning agent that learns policies directly from pixels and reaches
              human-level play in Atari games, using experience replay and a target network.}
}
@inproceedings{yao2023react,
  title = {ReAct: Synergizing Reasoning and Acting in Language Models},
  author = {Yao, Shunyu and Zhao, Jeffrey},
  booktitle = {International Conference on Learning Representations}, year = {2023},
  abstract = {Language model agents interleave reasoning traces and actions in an environment, such as web
              navigation and interactive decision-making tasks, and plan their next actions from observations.}
}
@inproceedings{hafner2020dream,
  title = {Dream to Control: Learning Behaviors by Latent Imagination},
  author = {Hafner, Danijar and Lillicrap, Timothy},
  booktitle = {International Conference on Learning Representations}, year = {2020},
  abstract = {A model-based reinforcement learning agent learns a world model of the environment and learns
              long-horizon behaviors by latent imagination, solving continuous control tasks from images.}
}
@misc{anon2021survey,
  title = {A Survey of Agents in Games},
  author = {Doe, Jane},
  abstract = {We review reinforcement learning agents that play board games and video games, from tabular
              policies to deep agents trained by self-play in simulated environments.}
}
"""
NO_PEFT = ("**No paper** of the {n} papers of this corpus is tagged `peft` (Parameter-efficient fine-tuning), so the "
           "tables about it below are empty (an exercise on it then wants `None` for a paper or a year, 0 for a "
           "count).")


# -- topic_note ---------------------------------------------------------------------------------------------


def _tagged(topics):
    frame = to_frame([{"id": f"p{i}", "title": f"Paper {i}", "source": f"a.bib:{i}"} for i in range(len(topics))])
    frame["topics"] = topics
    return frame


def test_topic_note_counts_the_topic_s_papers():
    assert repr(topic_note(_tagged([["peft"], ["peft", "agents"], []]), "peft")) == \
        "**2** of the 3 papers of this corpus are tagged `peft`."
    assert repr(topic_note(_tagged([["agents"], ["peft"]]), "agents")) == \
        "**1** of the 2 papers of this corpus is tagged `agents`."


def test_topic_note_on_a_topic_without_papers_names_the_corpus_s_topics_and_how_to_choose_one():
    import litreview as lr

    tagged = _tagged([["agents"], ["agents", "reasoning"], ["safety"], ["agents"], [], ["data"], ["evaluation"],
                      ["multimodal"]])
    assert repr(topic_note(tagged, "peft", lr.load_taxonomy())) == NO_PEFT.format(n=8) + (
        " The topics this corpus has most: `agents` (3 papers), `data` (1 paper), `evaluation` (1 paper), "
        "`multimodal` (1 paper), `reasoning` (1 paper). To follow one, set `topic` in the parameters cell to its "
        "name (with papermill: `-p topic agents`) and run all cells again.")


def test_topic_note_when_no_paper_has_any_topic_or_the_corpus_is_empty():
    import litreview as lr

    assert repr(topic_note(_tagged([[], []]), "peft", lr.load_taxonomy())) == NO_PEFT.format(n=2) + (
        " No paper of this corpus has any of the taxonomy's topics: the taxonomy does not fit it. Walkthrough 2 "
        "writes a taxonomy for a field of your own.")
    assert repr(topic_note(_tagged([]), "peft")) == (
        "**The corpus has no papers**: the files in `corpus` gave none, so every table below is empty. Check the "
        "file names and their format, then run all cells again.")


# -- the walkthroughs, run on corpora of one's own ----------------------------------------------------------


def _run(tmp_path, notebook, parameters):
    import papermill

    out = tmp_path / Path(notebook).name
    papermill.execute_notebook(
        str(WALKTHROUGHS / notebook), str(out), cwd=str((WALKTHROUGHS / notebook).parent), parameters=parameters,
        kernel_name="python3", progress_bar=False, request_save_on_cell_execute=False, shutdown_kernel="immediate")
    cells = [c for c in json.loads(out.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "code"]
    assert not [o for c in cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    return cells


def _output(cells, source_start):
    """The text/plain result of the code cell whose source starts with ``source_start``."""
    (cell,) = [c for c in cells if "".join(c["source"]).startswith(source_start)]
    (result,) = [o for o in cell["outputs"] if o.get("output_type") == "execute_result"]
    return "".join(result["data"]["text/plain"])


@pytest.fixture(scope="module")
def agents_run_01(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("agents")
    (tmp / "agents.bib").write_text(AGENTS_BIB, encoding="utf-8")
    return _run(tmp, "01_first_literature_review.ipynb", {"corpus": [str(tmp / "agents.bib")]})


def test_walkthrough_1_on_a_corpus_without_the_topic_says_why_its_tables_are_empty(agents_run_01):
    note = _output(agents_run_01, "topic_note(")
    assert note == NO_PEFT.format(n=4) + (
        " The topics this corpus has most: `agents` (4 papers), `interpretability` (1 paper), `reasoning` (1 paper). "
        "To follow one, set `topic` in the parameters cell to its name (with papermill: `-p topic agents`) and run "
        "all cells again.")


@pytest.mark.skipif(not SCOPUS_CSV.is_file(), reason=f"needs the shared fixture {SCOPUS_CSV.name} (../shared absent)")
def test_walkthrough_3_on_a_scopus_export_of_another_field(tmp_path):
    # 55 papers on Petri nets: 42 read as outside the field, 4 tagged with a topic, none with peft.
    cells = _run(tmp_path, "03_reading_a_field_peft.ipynb", {"corpus": [str(SCOPUS_CSV)]})
    note = _output(cells, "%matplotlib inline")
    assert note.startswith(NO_PEFT.format(n=55) + " The topics this corpus has most: `efficiency` (1 paper), ")


def test_the_walkthroughs_default_corpus_note():
    import litreview as lr

    tagged = lr.tag(lr.load())
    assert repr(topic_note(tagged, "peft", lr.load_taxonomy())) == \
        "**9** of the 74 papers of this corpus are tagged `peft` (Parameter-efficient fine-tuning)."


# -- exercises that a corpus without the default's examples can still pass ------------------------------------


def test_busiest_year_is_none_when_no_paper_of_the_topic_has_a_year():
    from litreview.report.teaching import check

    undated = _tagged([["agents"], ["peft"]])
    assert check("peak-year", None, tagged=undated, topic="agents") == (
        "Exercise 1.3 (busiest year): right. No paper of this topic has a year, so this corpus cannot place it in "
        "time: say so when you report it.")
    assert check("peak-year", 2020, tagged=undated, topic="agents") == (
        "Exercise 1.3 (busiest year): not yet. Hint: `lr.topic_timeline(tagged, [topic])` has one row per year; "
        "find the largest `papers` count.")
    dated = undated.assign(year=pd.array([2021, 2022], dtype="Int64"))
    assert check("peak-year", None, tagged=dated, topic="agents").startswith("Exercise 1.3 (busiest year): not yet.")
    assert check("peak-year", 2021, tagged=dated, topic="agents") == (
        "Exercise 1.3 (busiest year): right. Now ask whether that year was busy in the field, or only in the "
        "sources someone chose to keep.")


def test_untitled_papers_when_every_paper_has_a_title():
    from litreview.report.teaching import check

    assert check("untitled-papers", 0, papers=_tagged([["agents"]])) == (
        "Exercise 1.1 (untitled papers): right. Every paper of this corpus has a title, so every table can name its "
        "papers.")


def _printed(cells):
    return ["".join(o.get("text", "")).strip() for c in cells for o in c.get("outputs", [])
            if o.get("name") == "stdout"]


def test_walkthrough_1_s_solutions_pass_every_check_on_a_corpus_without_the_topic(tmp_path):
    (tmp_path / "agents.bib").write_text(AGENTS_BIB, encoding="utf-8")
    cells = _run(tmp_path, "solutions/01_first_literature_review_solutions.ipynb",
                 {"corpus": [str(tmp_path / "agents.bib")]})
    assert [line for line in _printed(cells) if line.startswith("Exercise")] == [
        "Exercise 1.1 (untitled papers): right. Every paper of this corpus has a title, so every table can name its "
        "papers.",
        "Exercise 1.2 (weakest evidence): right. Tags resting on weak cues are the first ones to read for yourself.",
        "Exercise 1.3 (busiest year): right. No paper of this topic has a year, so this corpus cannot place it in "
        "time: say so when you report it.",
        "Exercise 1.4 (papers the timeline leaves out): right. A timeline only shows what is dated: say so when you "
        "report one.",
    ]


# -- the paper walkthroughs 1 and 3 take apart ----------------------------------------------------------------


def test_example_paper_is_lora_or_the_corpus_s_first_paper():
    from litreview.report.walkthrough import example_paper

    assert example_paper(to_frame([{"id": "a"}, {"id": "arxiv:2106.09685"}])) == "arxiv:2106.09685"
    assert example_paper(to_frame([{"id": "a"}, {"id": "b"}])) == "a"
    with pytest.raises(ValueError, match=r"^the corpus has no papers, so there is no paper to take apart: check the "
                                         r"files in `corpus` \(the first cells say what was loaded\)$"):
        example_paper(to_frame([]))


def test_lora_s_neighbour_hint_works_on_a_corpus_without_lora():
    from litreview.report.teaching import check

    papers = to_frame([{"id": "a", "title": "Chess by search", "abstract": "We play chess with tree search."},
                       {"id": "b", "title": "Go by search", "abstract": "We play go with tree search."},
                       {"id": "c", "title": "Soil", "abstract": "Soil moisture under rain."}])
    assert check("closest-to-lora", "Soil", papers=papers) == (
        "Exercise 3.2 (LoRA's nearest neighbour): not yet. Hint: `lr.similar_papers(papers, paper=lora)` lists the "
        "most similar papers first (`lora` is LoRA's id, or on a corpus without LoRA its first paper's: "
        "`example_paper(papers)`).")


def test_walkthrough_1_takes_apart_the_first_paper_of_a_corpus_without_lora(agents_run_01):
    evidence = _output(agents_run_01, "lora = example_paper(papers)")
    assert evidence.split("\n")[1].split()[:4] == ["0", "agents", "title", "deep"]


def test_walkthrough_3_s_solutions_pass_every_check_on_a_corpus_without_lora_2022_or_the_topic(tmp_path):
    (tmp_path / "agents.bib").write_text(AGENTS_BIB, encoding="utf-8")
    cells = _run(tmp_path, "solutions/03_reading_a_field_peft_solutions.ipynb",
                 {"corpus": [str(tmp_path / "agents.bib")]})
    printed = [line for line in _printed(cells) if line.startswith("Exercise")]
    assert [line.split(":")[1].split(".")[0] for line in printed] == [" right"] * 4
    assert printed[0] == ("Exercise 3.1 (the earliest paper): right. No paper of this topic has a year, so this "
                          "corpus cannot say which came first.")


# -- corpus given as one path (papermill's -p passes text) -----------------------------------------------------


def test_corpus_paths_takes_one_path_a_list_or_nothing(tmp_path):
    from litreview.data import corpus_files
    from litreview.report.walkthrough import corpus_paths

    assert corpus_paths([]) == corpus_paths(None) == corpus_files()
    assert corpus_paths("my.bib") == corpus_paths(Path("my.bib")) == corpus_paths(["my.bib"]) == [Path("my.bib")]


def test_a_report_planned_for_one_corpus_file_given_as_text(tmp_path):
    # Walkthrough 1's report cell, with corpus = "agents.bib": it raised "corpus file(s) not found: a, g, e, ..."
    from litreview.report.run import plan_reports

    bib = tmp_path / "agents.bib"
    bib.write_text(AGENTS_BIB, encoding="utf-8")
    (job,) = plan_reports(["agents"], corpus=str(bib))
    assert job.parameters["corpus"] == [str(bib.resolve())]
    assert plan_reports(["agents"], corpus=bib)[0].parameters == job.parameters


def test_walkthrough_3_runs_to_its_end_on_one_corpus_file_given_as_text(tmp_path):
    # It stopped in section 5 on "/...: cannot tell the format of this file": the path was spread into characters.
    (tmp_path / "agents.bib").write_text(AGENTS_BIB, encoding="utf-8")
    cells = _run(tmp_path, "03_reading_a_field_peft.ipynb", {"corpus": str(tmp_path / "agents.bib"), "topic": "agents"})
    assert _output(cells, "%matplotlib inline") == \
        "**4** of the 4 papers of this corpus are tagged `agents` (Agents and reinforcement learning)."


# -- a corpus gathered on the topic: every paper in it ---------------------------------------------------------


def test_topic_terms_says_why_there_is_nothing_to_compare():
    from litreview.report.walkthrough import topic_terms

    tagged = to_frame([{"id": f"p{i}", "title": t, "abstract": t} for i, t in
                       enumerate(["Agents play games", "Agents act on the web", "Soil moisture", "Rain and soil"])])
    assert repr(topic_terms(tagged, [True] * 4)) == (
        "No distinctive terms: every paper of this corpus is in the topic, so there is no rest of the corpus to "
        "compare its words with. Load papers of other topics beside it, or set `topic` to one that holds only part "
        "of the corpus.")
    assert repr(topic_terms(tagged, [False] * 4)) == "No distinctive terms: no paper of this corpus is in the topic."
    terms = topic_terms(tagged, [True, True, False, False], n=3)
    assert terms.loc[0, ["term", "in_group", "rest"]].tolist() == ["agents", 2, 0]


def test_walkthrough_1_runs_to_its_end_on_a_corpus_gathered_on_its_topic(tmp_path):
    # Every paper of the hand-made corpus is about agents: section 7 raised "in_group selects every paper".
    # The corpus is given as text (papermill -p), which the report cell could not plan before.
    (tmp_path / "agents.bib").write_text(AGENTS_BIB, encoding="utf-8")
    cells = _run(tmp_path, "01_first_literature_review.ipynb",
                 {"corpus": str(tmp_path / "agents.bib"), "topic": "agents"})
    assert _output(cells, "topic_note(") == \
        "**4** of the 4 papers of this corpus are tagged `agents` (Agents and reinforcement learning)."
    assert _output(cells, "topic_terms(").startswith("No distinctive terms: every paper of this corpus is in the topic")
    assert _output(cells, "from litreview.report.run import") == "('agents.html', True)"


# -- the text says when it describes the default corpus -------------------------------------------------------

# Phrases that state a fact of the default corpus (its sources, its counts, LoRA's score there).
DEFAULT_FACTS = ("abstract dump", "the newsletter", "one newsletter", "74 papers", "33 papers", "0.26", "nine papers",
                 "LoRA is tagged")


def test_walkthrough_1_says_default_corpus_wherever_it_quotes_one_of_its_facts():
    cells = json.loads((WALKTHROUGHS / "01_first_literature_review.ipynb").read_text(encoding="utf-8"))["cells"]
    quoting = ["".join(c["source"]) for c in cells if c["cell_type"] == "markdown"
               and any(fact in "".join(c["source"]) for fact in DEFAULT_FACTS)]
    assert len(quoting) == 9
    assert [text[:60] for text in quoting if "default corpus" not in text] == []


def test_walkthrough_3_says_its_story_is_the_default_corpus_s():
    cells = json.loads((WALKTHROUGHS / "03_reading_a_field_peft.ipynb").read_text(encoding="utf-8"))["cells"]
    assert ("**On a corpus of your own.** Set `corpus` and `topic` in the parameters cell and the code cells show "
            "your\ncorpus's tables, but the text still tells the default corpus's story of `peft`"
            ) in "".join(cells[0]["source"])


def test_readme_says_how_to_run_a_walkthrough_on_a_corpus_of_one_s_own():
    from litreview.report.run import notebook_parameters

    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    command = "papermill 01_first_literature_review.ipynb out.ipynb -y 'corpus: [my.bib]' -p topic agents"
    assert command in readme
    assert {"corpus", "topic"} <= set(notebook_parameters(WALKTHROUGHS / "01_first_literature_review.ipynb"))


# -- walkthrough 3's tables on a corpus without the default's sources ------------------------------------------

RLHF_BIB = SHARED_FIXTURES / "bibtex" / "rlhf-book_bib.bib"


def _papers(rows):
    return to_frame([{"source": f"lib/my.bib:{i}", **row} for i, row in enumerate(rows)])


def test_topic_chronology_names_the_file_and_says_when_no_rule_matched():
    # The notebook's table showed NaN as the evidence of a paper the learned decision tagged without a rule match.
    import litreview as lr
    from litreview.analysis.topic import NO_RULE_MATCHED
    from litreview.report.walkthrough import topic_chronology

    papers = _papers([{"id": "b", "title": "LoRA: Low-Rank Adaptation of Large Language Models", "year": 2021},
                      {"id": "a", "title": "Behaviour and the Concept of Preference", "year": 1973},
                      {"id": "c", "title": "Undated adapters", "year": None}])
    tagged = papers.assign(topics=[["peft"], ["peft"], ["peft"]])
    table = topic_chronology(tagged, lr.evidence(papers, lr.load_taxonomy()), "peft")
    assert table["id"].tolist() == ["a", "b", "c"]
    assert table["source"].tolist() == ["my.bib"] * 3
    assert table.loc[0, "evidence"] == NO_RULE_MATCHED
    assert table.loc[1, "evidence"].startswith("title: ")


def test_commentary_lists_papers_with_a_note_in_place_of_an_abstract():
    from litreview.report.walkthrough import commentary

    tagged = _papers([{"id": "a", "title": "QLoRA", "notes": "They made LoRA take less RAM.\nMore."},
                      {"id": "b", "title": "LoRA", "abstract": "Low-rank updates.", "notes": "Listed under: ICLR"}])
    chronology = pd.DataFrame({"paper": ["LoRA", "QLoRA"], "id": ["b", "a"]})
    table = commentary(chronology, tagged)
    assert table.to_dict("list") == {"paper": ["QLoRA"], "commentary": ["They made LoRA take less RAM."]}
    assert table.index.tolist() == [1]


def test_commentary_says_why_there_is_none():
    # Walkthrough 3 showed "Empty DataFrame / Columns: [paper, commentary]" on any corpus without the newsletter.
    from litreview.report.walkthrough import commentary

    head = ("No paper of the topic here comes with commentary in place of an abstract, as the default corpus's "
            "newsletter papers do")
    rows = [{"id": "a", "title": "A"}, {"id": "b", "title": "B"}, {"id": "c", "title": "C", "abstract": "Text."}]
    tagged = _papers(rows)
    chronology = pd.DataFrame({"paper": ["A", "B", "C"], "id": ["a", "b", "c"]})
    assert repr(commentary(chronology, tagged)) == head + (
        ", and 2 of its 3 papers have no abstract either: a title is all this corpus says about them, so a tag or a "
        "similarity there rests on a few words.")
    assert repr(commentary(chronology.iloc[:2], tagged)) == head + (
        ", and none of its 2 papers has an abstract either: a title is all this corpus says about them, so a tag or "
        "a similarity there rests on a few words.")
    assert repr(commentary(chronology.iloc[:1], tagged)) == head + (
        ", and its one paper has no abstract either: a title is all this corpus says about it, so a tag or a "
        "similarity there rests on a few words.")
    assert repr(commentary(chronology.iloc[2:], tagged)) == head + \
        ": its one paper has an abstract, its authors' own account of it."
    both = tagged.assign(abstract="Text.")
    assert repr(commentary(chronology, both)) == head + \
        ": all 3 of its papers have an abstract, their authors' own account of them."
    assert repr(commentary(chronology.iloc[:0], tagged)) == \
        "No paper of this corpus is in the topic, so there is no commentary to read."


def test_topic_pairs_lists_pairs_or_says_why_there_is_none():
    # Two papers sharing no word gave "Empty DataFrame / Columns: [paper_a, paper_b, similarity, shared]".
    from litreview.report.walkthrough import topic_pairs

    papers = _papers([{"id": "a", "title": "Qlora: Efficient finetuning of quantized llms"},
                      {"id": "b", "title": "K2-Think: A Parameter-Efficient Reasoning System"}])
    assert repr(topic_pairs(papers)) == ('No two of the topic\'s 2 papers share a word (common words such as "the" '
                                         'aside), so there is no similar pair to list.')
    assert repr(topic_pairs(papers.iloc[:1])) == "No pair to score: the topic has 1 paper, and a pair takes two."
    linked = _papers([{"id": "a", "title": "Sparse attention"}, {"id": "b", "title": "Sparse attention kernels"}])
    pairs = topic_pairs(linked)
    assert pairs.columns.tolist() == ["paper_a", "paper_b", "similarity", "shared"]
    assert pairs["shared"].tolist() == ["attention, sparse"]


def test_topic_enrichment_keeps_the_topic_s_rows_or_says_why_there_are_none():
    # The log for a corpus the example snapshot does not cover showed "Empty DataFrame / Columns: [id, field, source]".
    from litreview.report.walkthrough import topic_enrichment

    log = pd.DataFrame({"id": ["x", "a"], "field": ["title", "month"], "source": ["s.jsonl:1", "s.jsonl:2"]})
    papers = _papers([{"id": "a", "title": "A", "arxiv_id": "2112.09332"}, {"id": "b", "title": "B"}])
    assert topic_enrichment(log, papers).to_dict("list") == {"id": ["a"], "field": ["month"], "source": ["s.jsonl:2"]}
    tail = (". The example snapshot holds eight papers of the default corpus; point `snapshot` at arXiv's full "
            "metadata snapshot to fill yours.")
    assert repr(topic_enrichment(log.iloc[:1], papers)) == (
        "The snapshot filled no field of the topic's 2 papers. It finds a paper by its arXiv id: 1 of them has one, "
        "and it holds nothing missing from it" + tail)
    assert repr(topic_enrichment(log.iloc[:1], papers.iloc[1:])) == (
        "The snapshot filled no field of the topic's 1 paper. It finds a paper by its arXiv id: none of them has "
        "one" + tail)
    assert repr(topic_enrichment(log, papers.iloc[:0])) == \
        "No paper of this corpus is in the topic, so there is nothing to fill."


def test_rule_errors_lists_mistakes_or_says_what_was_checked():
    from litreview.report.walkthrough import rule_errors

    tagged = pd.DataFrame({"id": ["a", "b", "c"], "topics": [["peft"], [], ["agents"]]})
    labels = pd.DataFrame({"id": ["a", "b"], "topics": [["peft"], ["peft"]]})
    assert rule_errors(tagged, labels, "peft").values.tolist() == [["b", "fn"]]
    assert repr(rule_errors(tagged, labels.iloc[:1], "peft")) == (
        "The rules make no mistake on `peft` for the 1 paper of this corpus in the hand labels. Few labelled papers "
        "prove little: label a sample of yours to measure them (walkthrough 2).")
    assert repr(rule_errors(tagged, labels.assign(id=["x", "y"]), "peft")) == (
        "No paper of this corpus is in the hand labels (`data/labels.csv`), so there is nothing to check the rules "
        "against: label a sample of your papers to measure them (walkthrough 2).")


@pytest.mark.skipif(not RLHF_BIB.is_file(), reason=f"needs the shared fixture {RLHF_BIB.name} (../shared absent)")
def test_walkthrough_3_on_a_book_s_bibliography_shows_no_empty_table(tmp_path):
    # 412 papers, 2 tagged peft, titles only: four tables read "Empty DataFrame" and the chronology "NaN".
    cells = _run(tmp_path, "03_reading_a_field_peft.ipynb", {"corpus": str(RLHF_BIB)})
    shown = ["".join(o["data"]["text/plain"]) for c in cells for o in c.get("outputs", []) if "data" in o]
    assert [text[:40] for text in shown if "Empty DataFrame" in text or "NaN" in text] == []
    assert _output(cells, "commentary(").startswith("No paper of the topic here comes with commentary")
    assert _output(cells, "topic_pairs(").startswith("No two of the topic's 2 papers share a word")
    assert _output(cells, "enriched = ").startswith("The snapshot filled no field of the topic's 2 papers.")
    assert _output(cells, "labels = ").startswith("The rules make no mistake on `peft` for the 4 papers")


# -- walkthrough 3's methods per year on a topic spanning decades ----------------------------------------------


def _methods(years, papers):
    return pd.DataFrame({"kind": "method", "entity": "LoRA", "year": years, "papers": papers, "share": 0.0})


def test_methods_by_year_is_the_pivot_up_to_twelve_years():
    from litreview.report.walkthrough import methods_by_year

    methods = pd.concat([_methods(range(2012, 2024), [1] * 12), _methods(range(2012, 2024), [0] * 11 + [2])
                         .assign(entity="QLoRA")])
    shown = methods_by_year(methods)
    assert isinstance(shown, pd.DataFrame)
    assert shown.equals(methods.pivot(index="entity", columns="year", values="papers"))
    assert methods_by_year(methods.iloc[:0]).empty  # (no method mentioned: no column, no sentence)


def test_methods_by_year_pools_the_earliest_years_of_a_long_span_and_says_so():
    # (the RLHF book's alignment papers run from 1973 to 2025: the pivot was 53 columns wide)
    from litreview.report.format import Section
    from litreview.report.walkthrough import methods_by_year

    papers = [1 if year in (1973, 2000, 2014, 2015) else 0 for year in range(1973, 2026)]
    shown = methods_by_year(_methods(range(1973, 2026), papers))
    assert isinstance(shown, Section)
    note, table = shown.parts
    assert note.markdown == ("The topic's papers span 1973 to 2025, 53 years: the last 11 have a column each, and "
                             "the 42 before are pooled in the first, 1973-2014 (the papers of those years mentioning "
                             "each method).")
    assert table.columns.name == "year"
    assert table.columns.tolist() == ["1973-2014"] + [str(y) for y in range(2015, 2026)]
    assert table.loc["LoRA"].tolist() == [3, 1] + [0] * 10
    narrow = methods_by_year(_methods(range(2010, 2016), [1] * 6), columns=3).parts[1]
    assert narrow.columns.tolist() == ["2010-2013", "2014", "2015"] and narrow.loc["LoRA"].tolist() == [4, 1, 1]


@pytest.mark.parametrize("columns", [1, 0, -3, 2.5, "12", True])
def test_methods_by_year_wants_at_least_two_columns(columns):
    # (columns=1 said "the last 0 have a column each": a pooled column needs a year's beside it)
    from litreview.report.walkthrough import methods_by_year

    methods = _methods(range(2010, 2016), [1] * 6)
    with pytest.raises(ValueError, match=r"The 'columns' parameter of methods_by_year must be an int in the range "
                                         r"\[2, inf\)\. Got .* instead\."):
        methods_by_year(methods, columns=columns)
    assert methods_by_year(methods, columns=2).parts[1].columns.tolist() == ["2010-2014", "2015"]


@pytest.mark.skipif(not RLHF_BIB.is_file(), reason=f"needs the shared fixture {RLHF_BIB.name} (../shared absent)")
def test_walkthrough_3_s_methods_on_a_topic_of_five_decades_fit_twelve_columns(tmp_path):
    cells = _run(tmp_path, "03_reading_a_field_peft.ipynb", {"corpus": str(RLHF_BIB), "topic": "alignment"})
    (cell,) = [c for c in cells if "methods_by_year(methods)" in "".join(c["source"])]
    note, table = cell["outputs"]
    assert "".join(note["data"]["text/markdown"]).startswith(
        "The topic's papers span 1973 to 2025, 53 years: the last 11 have a column each")
    header = re.findall(r"<th>([^<]*)</th>", "".join(table["data"]["text/html"]).split("</tr>")[0])
    assert header == ["year", "1973-2014"] + [str(y) for y in range(2015, 2026)]
