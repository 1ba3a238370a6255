"""The compare_topics report: the two topics it is given, and what it says when one has no paper."""

import json

import pandas as pd
import pytest

import litreview as lr
from litreview.report import corpus_sections as cs
from litreview.report.cli import main
from litreview.report.run import notebooks_dir, plan_reports

OWN_TAXONOMY = """topics:
  - slug: rl
    label: Reinforcement learning
    scope: Agents learning from reward.
    terms: [reinforcement learning, q-learning]
  - slug: kernels
    label: Kernel methods
    scope: Support vector machines and Gaussian processes.
    terms: [support vector, gaussian process]
"""


@pytest.fixture
def own_taxonomy(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text(OWN_TAXONOMY, encoding="utf-8")
    return path


@pytest.mark.parametrize("topic_b", ["peft", "PEFT", "Parameter-efficient fine-tuning"])
def test_one_topic_twice_is_a_one_line_error_before_any_kernel(topic_b, capsys):
    # Before: the kernel started and the report failed in its timeline cell with
    # "ValueError: Index contains duplicate entries, cannot reshape".
    with pytest.raises(SystemExit) as info:
        main(["report", "--notebook", "compare_topics", "--param", "topic_a=peft", "--param", f"topic_b={topic_b}"])
    assert info.value.code == 2
    assert capsys.readouterr().err == ("litreview report: error: topic_a and topic_b are both 'peft': choose two "
                                       "different topics to compare\n")


def test_one_topic_twice_given_by_default_and_by_name():
    with pytest.raises(ValueError, match=r"^topic_a and topic_b are both 'peft': choose two different topics"):
        plan_reports(notebook="compare_topics", parameters={"topic_b": "peft"})


def test_a_default_topic_missing_from_ones_own_taxonomy_is_named_before_any_kernel(own_taxonomy, capsys):
    # Before: only topic_b given, so topic_a stayed "peft", which this taxonomy lacks: the kernel started and
    # the report failed in its first cell with a KeyError.
    with pytest.raises(SystemExit) as info:
        main(["report", "--notebook", "compare_topics", "--taxonomy", str(own_taxonomy), "--param", "topic_b=rl"])
    assert info.value.code == 2
    assert capsys.readouterr().err == (
        "litreview report: error: topic_a is 'peft' by default, a topic this taxonomy does not have: pass "
        "--param topic_a=SLUG. Valid topics: rl, kernels\n")
    (job,) = plan_reports(notebook="compare_topics", taxonomy=own_taxonomy,
                          parameters={"topic_a": "Kernel methods", "topic_b": "RL"})
    assert (job.parameters["topic_a"], job.parameters["topic_b"]) == ("kernels", "rl")


def test_the_notebook_names_its_two_topics_through_topic_pair():
    taxonomy = lr.load_taxonomy()
    a, b = cs.topic_pair(taxonomy, "peft", "efficiency")
    assert (a.slug, b.slug) == ("peft", "efficiency")
    with pytest.raises(ValueError, match=r"^topic_a and topic_b are both 'agents': choose two different topics "
                                         r"to compare$"):
        cs.topic_pair(taxonomy, "agents", "agents")
    with pytest.raises(KeyError, match="unknown topic 'agent'"):
        cs.topic_pair(taxonomy, "agent", "safety")
    cells = json.loads((notebooks_dir() / "compare_topics.ipynb").read_text(encoding="utf-8"))["cells"]
    assert "a, b = cs.topic_pair(taxonomy_rules, topic_a, topic_b)" in "".join(cells[1]["source"])


def _sides(a: list[bool], b: list[bool]) -> tuple[pd.Series, pd.Series]:
    return pd.Series(a), pd.Series(b)


def test_a_topic_with_no_paper_is_said_under_the_overlap():
    # Before: a topic of one's own with no paper in the corpus gave a row of 0 and the report went on comparing,
    # its "closest papers" all the other topic's, without a word.
    in_a, in_b = _sides([False, False, False], [True, True, False])
    section = cs.overlap_table(in_a, in_b, "Kernel methods", "Alignment")
    assert section.parts[0].frame["papers"].tolist() == [0, 0, 2]
    assert section.parts[1].markdown == ("Kernel methods has no paper in this corpus, so there is nothing to compare "
                                         "it with: the sections below show Alignment alone.")
    section = cs.overlap_table(in_b, in_a, "Alignment", "Kernel methods")
    assert section.parts[1].markdown.startswith("Kernel methods has no paper in this corpus")
    assert section.parts[1].markdown.endswith("show Alignment alone.")
    none = cs.overlap_table(in_a, in_a, "Kernel methods", "Gaussian processes")
    assert none.parts[1].markdown == ("Neither Kernel methods nor Gaussian processes has a paper in this corpus, so "
                                      "there is nothing to compare: choose topics the corpus has (the corpus overview "
                                      "counts the papers of each).")


def test_two_topics_with_papers_get_the_table_alone():
    in_a, in_b = _sides([True, True, False], [False, True, True])
    shown = cs.overlap_table(in_a, in_b, "PEFT", "Efficiency")
    assert shown.frame.values.tolist() == [["PEFT only", 1], ["both", 1], ["Efficiency only", 1]]


def test_the_terms_that_tell_two_topics_apart_name_each_z_score_by_its_topic():
    # Before: the columns read "Reasoning and prompting | z (A) | Agents and reinforcement learning | z (B)",
    # and nothing on the page said which topic was A
    words = {True: "chain of thought prompting reasoning steps", False: "agents act in web environments with tools"}
    side = [True] * 6 + [False] * 6
    tagged = pd.DataFrame({"id": [f"p{i}" for i in range(12)], "title": [f"Paper {i}" for i in range(12)],
                           "abstract": [f"{words[s]} number {i}" for i, s in enumerate(side)]})
    in_a, in_b = pd.Series(side), pd.Series([not s for s in side])
    shown = cs.compare_terms(tagged, in_a, in_b, "Reasoning and prompting", "Agents", n=3,
                             slugs=("reasoning", "agents"))
    assert shown.frame.columns.tolist() == ["Reasoning and prompting", "z (reasoning)", "Agents", "z (agents)"]
    assert len(shown.frame) == 3
    cells = json.loads((notebooks_dir() / "compare_topics.ipynb").read_text(encoding="utf-8"))["cells"]
    assert 'rs.heading(f"{a.label} vs. {b.label}"' in "".join(cells[1]["source"])  # not "... and ...": labels
    # have "and" in them ("Reasoning and prompting and Agents and reinforcement learning")


def test_a_tag_no_rule_matched_says_so_in_the_papers_in_both():
    # Before (COLM 2024, reasoning and agents): 3 of the 9 papers in both showed "—" as the words that earned
    # their reasoning tag (the learned decision tagged them); the topic report says what that means
    from litreview.analysis.topic import NO_RULE_MATCHED

    tagged = pd.DataFrame({"id": ["a", "b", "c"], "title": ["Agents that reason", "StateFlow", "Web agents"],
                           "year": [2024, 2024, 2023],
                           "topics": [["reasoning", "agents"], ["reasoning", "agents"], ["agents"]]})
    evidence = pd.DataFrame({"id": ["a", "a", "b", "c"], "topic": ["reasoning", "agents", "agents", "agents"],
                             "field": ["title", "title", "abstract", "title"],
                             "matched": ["reason", "Agents", "environments", "agents"], "tagged": True})
    shown = cs.papers_in_both(tagged, evidence, "reasoning", "agents", lr.load_taxonomy())
    assert shown.frame.values.tolist() == [
        ["Agents that reason", 2024, "title: reason", "title: agents"],
        ["StateFlow", 2024, NO_RULE_MATCHED, "abstract: environments"]]
    assert NO_RULE_MATCHED == "(no rule matched: tagged by the learned decision; lr.explain_tag says why)"


def test_two_topics_given_as_topic_options_point_to_the_two_parameters(capsys):
    # Before: "compare_topics takes no topic; leave out --topic", and not a word of how to name the two topics
    with pytest.raises(SystemExit) as info:
        main(["report", "--notebook", "compare_topics", "--topic", "peft", "--topic", "efficiency"])
    assert info.value.code == 2
    assert capsys.readouterr().err == (
        "litreview report: error: compare_topics takes no topic; leave out --topic (its two topics: "
        "--param topic_a=SLUG --param topic_b=SLUG)\n")


def test_the_timeline_of_two_topics_with_no_paper_speaks_of_both():
    # Before (tiny.bib with one's own taxonomy, kernels and rl): "No paper is tagged with this topic, so there is
    # no timeline." under two topics
    from litreview.report import sections as rs

    taxonomy = lr.load_taxonomy()
    tagged = pd.DataFrame({"id": ["a", "b", "c"], "year": pd.array([2021, None, 2022], dtype="Int64"),
                           "topics": [[], ["peft"], []]})
    none = rs.timeline_section(tagged.assign(topics=[[]] * 3), ["peft", "agents"], taxonomy, title="t")
    assert repr(none) == "No paper is tagged with these topics, so there is no timeline."
    undated = rs.timeline_section(tagged, ["peft", "agents"], taxonomy, title="t")
    assert repr(undated).startswith("No paper of these topics has a year in 2021 to 2022, so there is no timeline.")
    cells = json.loads((notebooks_dir() / "compare_topics.ipynb").read_text(encoding="utf-8"))["cells"]
    # (the two topics' table has no share of the year's papers, which the text promised)
    assert "".join(cells[8]["source"]) == (
        "## Over time\n\nPapers per year in each topic (a paper in both counts in each).")


def test_the_timeline_of_two_topics_draws_only_the_one_with_papers(monkeypatch):
    # (the Prompt Report with a taxonomy's Protein folding, no paper: under "the sections below show Safety and
    # risk alone" the figure drew a Protein folding line of zeros, hidden under Safety's, in its legend, and the
    # table a column of zeros)
    from litreview.analysis import trends
    from litreview.report import sections as rs

    drawn_axes = []
    plot = trends.plot_topic_timeline
    monkeypatch.setattr(trends, "plot_topic_timeline",
                        lambda *a, **k: drawn_axes.append(plot(*a, **k)) or drawn_axes[-1])
    taxonomy = lr.load_taxonomy()
    tagged = pd.DataFrame({"id": ["a", "b", "c"], "year": [2021, 2022, 2022],
                           "topics": [["safety"], ["safety"], ["safety", "peft"]]})
    shown = rs.timeline_section(tagged, ["safety", "agents"], taxonomy, title="Safety and risk and Agents")
    note, drawn, counts = shown.parts
    assert note.markdown == "Agents and reinforcement learning has no paper in 2021 to 2022, so it is not drawn."
    ax = drawn_axes[0] if hasattr(drawn_axes[0], "lines") else drawn_axes[0].axes[0]
    assert [(line.get_label(), list(line.get_xdata()), list(line.get_ydata())) for line in ax.lines] == [
        ("Safety and risk", [2021, 2022], [1, 2])]
    assert drawn.alt == ("Line chart of papers per year, 2021 to 2022, for Safety and risk; the most papers in one "
                         "year is 2 (Safety and risk, 2022).")
    assert counts.frame.columns.tolist() == ["year", "Safety and risk"]
    assert counts.frame.values.tolist() == [[2021, 1], [2022, 2]]
    both = rs.timeline_section(tagged, ["safety", "peft"], taxonomy, title="t")
    assert [type(p).__name__ for p in both.parts] == ["Figure", "Table"]
    assert both.parts[1].frame.values.tolist() == [[2021, 1, 0], [2022, 2, 1]]


# -- the line saying how to compare two other topics -------------------------------------------------------------

THREE_TOPICS = OWN_TAXONOMY + """  - slug: trees
    label: Decision trees
    scope: Trees and forests.
    terms: [decision tree, random forest]
"""


def _tagged_with(topics: list[list[str]]) -> pd.DataFrame:
    return pd.DataFrame({"id": [f"p{i}" for i in range(len(topics))], "topics": topics})


def test_the_rerun_line_names_the_largest_other_topics_of_the_taxonomy_in_use():
    # (the line named peft and efficiency whatever the taxonomy: a command that failed on a taxonomy of one's own)
    from litreview.report.compare_sections import rerun_line

    tagged = lr.tag(lr.load())
    assert rerun_line(tagged, lr.load_taxonomy(), "peft", "efficiency").markdown == (
        "Run it for two other topics of this taxonomy (the largest here) with `litreview report --notebook "
        "compare_topics --param topic_a=pretraining --param topic_b=architecture`.")
    assert rerun_line(tagged, lr.load_taxonomy(), "pretraining", "architecture").markdown.endswith(
        "--param topic_a=efficiency --param topic_b=peft`.")


def test_the_rerun_line_on_ones_own_taxonomy_and_corpus_runs_as_written(tmp_path):
    from litreview.report.compare_sections import rerun_line

    path = tmp_path / "my taxonomy.yaml"
    path.write_text(THREE_TOPICS, encoding="utf-8")
    taxonomy = lr.load_taxonomy(path)
    tagged = _tagged_with([["rl"], ["kernels"], ["trees"], ["trees"]])
    assert rerun_line(tagged, taxonomy, "rl", "kernels", ["a.bib", "my export.ris"], str(path)).markdown == (
        "Run it for its other topic with `litreview report --notebook compare_topics --corpus a.bib 'my export.ris' "
        f"--taxonomy '{path}' --param topic_a=trees --param topic_b=rl`.")
    assert rerun_line(tagged, taxonomy, "trees", "rl", "a.bib").markdown.endswith(
        "--corpus a.bib --param topic_a=kernels --param topic_b=trees`.")
    # (a corpus read skipping its broken records, with the rules' tags: the line without them failed or differed)
    assert rerun_line(tagged, taxonomy, "trees", "rl", "a.bib", errors="skip", tagger="rules").markdown.endswith(
        "--corpus a.bib --errors skip --param tagger=rules --param topic_a=kernels --param topic_b=trees`.")
    # (--param reads its value as YAML: a topic "no" would be False)
    path.write_text(THREE_TOPICS.replace("slug: trees", "slug: 'no'"), encoding="utf-8")
    assert rerun_line(tagged, lr.load_taxonomy(path), "rl", "trees").markdown.endswith(
        "--param topic_a=kernels --param 'topic_b=\"no\"'`.")
    path.write_text(OWN_TAXONOMY, encoding="utf-8")
    two = lr.load_taxonomy(path)
    assert rerun_line(tagged, two, "rl", "kernels").markdown == (
        "The taxonomy has no topic besides these two, so there is no other pair to compare.")


def test_the_rerun_line_names_no_largest_topics_where_they_have_no_paper():
    from litreview.report.compare_sections import other_topics, rerun_line

    tagged = _tagged_with([["peft"], ["efficiency"]])
    shown = rerun_line(tagged, lr.load_taxonomy(), "peft", "efficiency").markdown
    assert shown == ("Run it for two other topics of this taxonomy with `litreview report --notebook compare_topics "
                     "--param topic_a=agents --param topic_b=alignment`.")  # (ties by slug)
    assert other_topics(tagged, lr.load_taxonomy(), ["peft"]).values.tolist() == [["efficiency", 1], ["agents", 0]]


def test_the_rerun_line_keeps_a_backtick_in_a_file_name_inside_its_code_span():
    from litreview.report.compare_sections import rerun_line

    shown = rerun_line(_tagged_with([["peft"]]), lr.load_taxonomy(), "peft", "efficiency", "odd`name.bib").markdown
    assert shown.endswith("with `` litreview report --notebook compare_topics --corpus 'odd`name.bib' --param "
                          "topic_a=agents --param topic_b=alignment ``.")
    # (two backticks in a row ended a two-backtick span: the rest of the path was read as Markdown, HTML and all)
    shown = rerun_line(_tagged_with([["peft"]]), lr.load_taxonomy(), "peft", "efficiency", "a``<b>x</b>.bib").markdown
    assert shown.endswith("with ``` litreview report --notebook compare_topics --corpus 'a``<b>x</b>.bib' --param "
                          "topic_a=agents --param topic_b=alignment ```.")


def test_the_notebook_says_how_to_rerun_it_from_the_taxonomy_in_use():
    cells = json.loads((notebooks_dir() / "compare_topics.ipynb").read_text(encoding="utf-8"))["cells"]
    sources = ["".join(c["source"]) for c in cells]
    assert not [s for s in sources if "topic_a=peft" in s]
    assert "compare.rerun_line(tagged, taxonomy_rules, a.slug, b.slug, corpus, taxonomy, errors, tagger)" in sources[4]
