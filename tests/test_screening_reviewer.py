"""A systematic reviewer's path through the screening notebooks and the flow, on a corpus of their own."""

import json
import re
from pathlib import Path

import pandas as pd
import pytest

import litreview as lr
from litreview.report import screening_sections as ss

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"

RIS = """TY  - JOUR
TI  - Sumatriptan for acute migraine: a randomised trial
AB  - Sumatriptan relieved migraine headache at two hours more often than placebo.
PY  - 2001
DO  - 10.1000/trip.1
ER  -{end}

TY  - JOUR
TI  - Rizatriptan against placebo in menstrual migraine
AB  - Rizatriptan relieved menstrual migraine more often than placebo at two hours.
PY  - 2003
DO  - 10.1000/trip.2
ER  -{end}

TY  - JOUR
TI  - Coral reef fish at night
AB  - Reef fish sleep in crevices; we counted them.
PY  - 2005
DO  - 10.1000/fish.1
ER  -{end}
""".format(end=" ")  # (RIS ends a record with "ER  - ")


def _outputs(notebook: Path) -> str:
    cells = json.loads(notebook.read_text())["cells"]
    parts = []
    for o in (o for c in cells for o in c.get("outputs", [])):
        data = o.get("data", {})
        parts += ["".join(o.get("text", "")), "".join(data.get("text/markdown", "")),
                  "".join(data.get("text/html", ""))]
    return "\n".join(parts)


def _run(name: str, out: Path, **parameters) -> None:
    import papermill

    papermill.execute_notebook(str(NOTEBOOKS / name), str(out), cwd=str(NOTEBOOKS), parameters=parameters,
                               kernel_name="python3", progress_bar=False, request_save_on_cell_execute=False,
                               shutdown_kernel="immediate")


# -- the last decision -------------------------------------------------------------------------------------------


def test_the_next_paper_once_every_paper_is_screened_is_a_sentence_not_an_index_error():
    papers = pd.DataFrame({"id": ["a"], "title": ["Cats"]})
    shown = ss.next_paper(papers, lr.rank_for_screening(papers, pd.DataFrame({"id": ["a"], "decision": ["include"]})))
    assert str(shown).startswith("Every paper is screened: none is left to decide.")
    card = ss.next_paper(papers, lr.rank_for_screening(papers, pd.DataFrame(columns=["id", "decision"])))
    assert "id a · model score" in card.data and "<h3>Cats</h3>" in card.data


def test_the_screening_notebook_records_the_last_decision_and_says_screening_is_done(tmp_path):
    corpus = tmp_path / "export.ris"
    corpus.write_text(RIS)
    decisions = tmp_path / "mine.csv"
    papers = lr.load(corpus)
    lr.record_decision(decisions, "doi:10.1000/trip.1", "include", papers=papers)
    lr.record_decision(decisions, "doi:10.1000/fish.1", "exclude", "not about migraine", papers=papers)
    out = tmp_path / "run.ipynb"
    _run("screening.ipynb", out, corpus=str(corpus), decisions=str(decisions), record="include",
         paper="doi:10.1000/trip.2")
    assert decisions.read_text().splitlines()[-1] == "doi:10.1000/trip.2,include,"
    shown = _outputs(out)
    assert "Recorded include for doi:10.1000/trip.2 on line 4 of mine.csv" in shown
    assert "3 of the 3 papers are screened: 2 included, 1 excluded; none is left." in shown
    assert "Every paper is screened: none is left to decide." in shown
    assert "Every paper is screened: none is left to rank." in shown


# -- where the screening stands ----------------------------------------------------------------------------------


def _progress(p, estimate=4.2):
    return pd.DataFrame([{"papers": 670, "screened": 564, "included": 211, "excluded": 353, "left": 106,
                          "estimated_relevant_left": estimate, "at_most_relevant_left": 14, "stop_p_value": p}])


def test_a_p_value_just_below_the_threshold_is_not_shown_as_the_threshold():
    # The Triptans review screened in ranked order: the rule allows stopping at p = 0.046, which two decimals
    # showed as "p = 0.05; below 0.05, screening can stop".
    said = str(ss.progress_summary(_progress(0.046)))
    assert "The stopping rule allows stopping now (p = 0.046; below 0.05" in said
    assert said.endswith("If you stop here, the flow report reports the 106 papers left as not screened because the "
                         "rule was met (`screening_flow` with `stopped` True).")
    assert "If you stop here" not in str(ss.progress_summary(_progress(0.0504)))
    assert "does not allow stopping yet (p = 0.05;" in str(ss.progress_summary(_progress(0.0504)))
    assert "does not allow stopping yet (p = 0.99;" in str(ss.progress_summary(_progress(0.9891)))


def test_the_widget_status_says_what_is_not_estimated_yet_instead_of_nan():
    from litreview.analysis.screening_session import status_line

    assert status_line(_progress(0.046)) == ("screened 564 of 670 · included 211 · relevant left: about 4 (at most "
                                            "14) · stopping rule: p = 0.046, screening may stop")
    nothing = _progress(1.0, float("nan")).assign(screened=0, included=0, excluded=0, left=670)
    assert status_line(nothing) == ("screened 0 of 670 · included 0 · relevant left: not estimated yet · "
                                    "stopping rule: p = 1.00, keep screening")


# -- the flow diagram ---------------------------------------------------------------------------------------------


def test_dollar_signs_in_reasons_and_file_names_are_drawn_as_written_not_as_formulas():
    import io

    flow = pd.DataFrame({"stage": ["identification", "identification", "screening", "screening", "screening",
                                   "included"],
                         "label": ["records identified", "search_$2024.ris", "excluded on title and abstract",
                                   "costs $5 to $10 per dose", r"dose in $\frac{1}$ units", "papers included"],
                         "count": [3, 3, 2, 1, 1, 1], "kind": ["flow", "source", "aside", "reason", "reason", "flow"]})
    ax = lr.plot_prisma_flow(flow, title="Review of $-priced drugs")
    ax.figure.savefig(io.BytesIO(), format="png")  # (mathtext raised ParseSyntaxException on the second reason)
    texts = [t.get_text() for t in ax.texts]
    assert "  costs $5 to $10 per dose (n\xa0=\xa01)" in texts[-4].split("\n")  # the side box of screening
    assert "  search_$2024.ris (n\xa0=\xa03)" in texts[1].split("\n")
    assert not any(t.get_parse_math() for t in ax.texts)


# -- decisions about papers the corpus does not hold ---------------------------------------------------------------


def test_the_flow_section_names_the_decisions_it_leaves_out():
    papers = pd.DataFrame({"id": ["a", "b"], "provenance": [["x.ris:1"], ["x.ris:9"]]})
    decisions = pd.DataFrame({"id": ["a", "c", "c", "d_1"], "stage": ["title-abstract", "title-abstract",
                                                                      "full-text", "title-abstract"],
                              "decision": ["include", "include", "include", "exclude"],
                              "reason": [None, None, None, "off topic"]})
    flow = lr.prisma_flow(papers, decisions, problems=pd.DataFrame(columns=["file", "severity"]), unknown_ids="ignore")
    said = repr(ss.prisma_section(flow, decisions, papers)).split("\n\n")[0]
    assert said == ("3 decisions about 2 papers not in this corpus are left out of the flow: c, d_1. Point `corpus` "
                    "at the files that were screened, or move a decision to the paper's id in this corpus (`lr.enrich` "
                    "can turn a `title:` id into `arxiv:`).")
    assert repr(ss.prisma_section(flow)).split()[0] == "stage"  # (without the decisions: the table first)


def test_the_flow_notebook_says_in_a_sentence_which_decisions_it_leaves_out_not_in_a_warning(tmp_path):
    corpus = tmp_path / "export.ris"
    corpus.write_text(RIS)
    screening = tmp_path / "decisions.csv"
    screening.write_text("id,decision,reason\ndoi:10.1000/trip.1,include,\ndoi:10.1000/fish.1,exclude,off topic\n"
                         "doi:10.1000/gone.9,include,\n")
    out = tmp_path / "flow.ipynb"
    _run("screening_flow.ipynb", out, corpus=str(corpus), screening=str(screening))
    cells = json.loads(out.read_text())["cells"]
    assert not [o for c in cells for o in c.get("outputs", []) if o.get("name") == "stderr"]
    shown = _outputs(out)
    assert "1 decision about 1 paper not in this corpus is left out of the flow: doi:10.1000/gone.9." in shown
    counts = lr.prisma_flow(lr.load(corpus), screening, unknown_ids="ignore").set_index("label")["count"]
    assert counts[["records identified", "papers screened", "papers included"]].tolist() == [3, 2, 1]
    assert '<td>papers screened</td><td class="num" data-sort="2.0">2</td>' in shown


# -- two reviewers in one file -------------------------------------------------------------------------------------


def test_a_two_reviewer_file_is_refused_by_the_flow_with_how_to_resolve_it(tmp_path):
    # Before, agreeing rows were merged and a paper only ann had decided counted as screened; rows that differed
    # only in their reason were "a second title-abstract decision", with no word of the reviewers.
    path = tmp_path / "decisions.csv"
    path.write_text("id,decision,reason,reviewer\n"
                    "a,include,,ann\na,include,,bo\nb,exclude,off topic,ann\nb,exclude,not a trial,bo\n"
                    "c,include,,ann\n")
    message = (f"{path}:1: the file holds the decisions of 2 reviewers ('ann', 'bo'), and the flow counts one "
               "decision per paper: resolve them first, "
               "reviewers = lr.decisions_by_reviewer(lr.read_decisions(path)); "
               "lr.save_screening(lr.resolve_screening(reviewers['ann'], reviewers['bo']), 'resolved.csv'), and use "
               "the resolved file")
    with pytest.raises(ValueError) as raised:
        lr.load_screening(path)
    assert str(raised.value) == message
    papers = pd.DataFrame({"id": ["a", "b", "c"], "provenance": [["x.ris:1"], ["x.ris:5"], ["x.ris:9"]]})
    none = pd.DataFrame(columns=["file", "severity"])
    with pytest.raises(ValueError, match=r"^decisions holds the decisions of 2 reviewers \('ann', 'bo'\)"):
        lr.prisma_flow(papers, lr.read_decisions(path), problems=none)
    # what the message says to do gives the flow: a and b screened by both, c by ann alone (not screened yet)
    reviewers = lr.decisions_by_reviewer(lr.read_decisions(path))
    lr.save_screening(lr.resolve_screening(reviewers["ann"], reviewers["bo"]), tmp_path / "resolved.csv")
    counts = lr.prisma_flow(papers, tmp_path / "resolved.csv", problems=none).set_index("label")["count"]
    assert counts[["papers screened", "not yet screened", "papers included"]].tolist() == [2, 1, 1]
    one = tmp_path / "one.csv"
    one.write_text("id,decision,reason,reviewer\na,include,,ann\nb,exclude,off topic,ann\n")
    assert len(lr.load_screening(one)) == 2  # (one reviewer's file, reviewer column and all, is read as before)


# -- when to stop ----------------------------------------------------------------------------------------------------


def test_the_stopping_rule_given_the_papers_and_decisions_says_what_it_takes_instead():
    papers = pd.DataFrame({"id": list("abcdef")})
    decisions = pd.DataFrame({"id": ["a", "b", "c"], "decision": ["include", "exclude", "exclude"]})
    for call in (lambda: lr.stopping_test(papers, decisions), lambda: lr.remaining_relevant(decisions, 6),
                 lambda: lr.stopping_point(decisions, total=6)):
        with pytest.raises(TypeError, match=r"^labels are the 0/1 decisions in the order screened, not a table: "
                                            r"for a decisions table, lr\.screening_progress\(papers, decisions\)"):
            call()
    labels = (decisions["decision"] == "include").astype(int)
    test = lr.stopping_test(labels, total=len(papers))
    assert round(test["p_value"].iloc[-1], 4) == lr.screening_progress(papers, decisions)["stop_p_value"].iloc[0] == 0.6


# -- the reports' index ----------------------------------------------------------------------------------------------


def test_an_index_of_screening_reports_alone_lists_no_topics_without_a_report(tmp_path):
    from litreview.report.run import ReportJob, write_index

    dashboard = {"papers": 100, "files": [("export.ris", 100)], "first_year": 2010, "last_year": 2021, "undated": 0,
                 "untagged": 91, "outside": 0, "window": (2010, 2021), "skipped": 0,
                 "topics": [{"slug": "safety", "label": "Safety", "papers": 3, "per_year": {2020: 3}}],
                 "parameters": {"corpus": ["export.ris"]}}
    flow = ReportJob(None, "Screening flow", {"corpus": ["export.ris"], "screening": "mine.csv"}, "screening_flow")
    page = write_index([flow], tmp_path, dashboard).read_text()
    assert "<h2>Topics</h2>" not in page and "no report yet" not in page
    assert re.search(r"<h2>Other reports</h2>.*>Screening flow</a></td><td><code>screening_flow</code>", page, re.S)
    topic = ReportJob("peft", "PEFT", {"topic": "peft", "corpus": ["export.ris"]})
    page = write_index([flow, topic], tmp_path, dashboard).read_text()  # with a topic report, the others are listed
    assert re.search(r'<tr><td>Safety</td><td class="num" data-sort="3">3</td>.*no report yet</td></tr>', page)


# -- a second database's export ----------------------------------------------------------------------------------


def test_a_decision_on_a_title_id_that_a_second_export_turned_into_a_doi_is_read_as_the_papers(tmp_path):
    # the decision was orphaned: read_decisions refused it ("change the id on this line to 'doi:10.1000/zol.1'")
    # and the flow left it out, the reviewer editing the file by hand; now it is the paper's, with a warning
    first, second = tmp_path / "pubmed.ris", tmp_path / "embase.ris"
    first.write_text("TY  - JOUR\nTI  - Zolmitriptan in cluster headache\nPY  - 2001\nER  - \n\n"
                     "TY  - JOUR\nTI  - Coral reef fish at night\nPY  - 2005\nER  - \n")
    second.write_text("TY  - JOUR\nTI  - Zolmitriptan in cluster headache\nPY  - 2001\nDO  - 10.1000/zol.1\nER  - \n")
    decisions = tmp_path / "mine.csv"
    alone = lr.load(first)
    lr.record_decision(decisions, "title:zolmitriptan-in-cluster-headache", "include", papers=alone)
    lr.record_decision(decisions, "title:coral-reef-fish-at-night", "exclude", "not about migraine", papers=alone)
    both = lr.load([first, second])  # the second database's record, with its DOI, is merged into the first's
    assert sorted(both["id"]) == ["doi:10.1000/zol.1", "title:coral-reef-fish-at-night"]
    with pytest.warns(UserWarning) as caught:
        read = lr.read_decisions(decisions, both)
    assert [str(w.message) for w in caught] == [
        f"{decisions}: 1 decision(s) by a title: id the paper no longer has (a second export or lr.enrich gave it a "
        "DOI or arXiv id) read as the paper's: line 2 'title:zolmitriptan-in-cluster-headache' as 'doi:10.1000/zol.1'; "
        "change the ids in the file to keep it current"]
    assert read[["id", "decision", "line"]].values.tolist() == [["doi:10.1000/zol.1", "include", 2],
                                                                ["title:coral-reef-fish-at-night", "exclude", 3]]
    with pytest.warns(UserWarning, match=r"^1 screened title: id\(s\) no paper has now are counted as the paper of "
                                         r"that title's .*: 'title:zolmitriptan-in-cluster-headache' as "
                                         r"'doi:10\.1000/zol\.1'; change the ids"):
        counts = lr.prisma_flow(both, decisions).set_index("label")["count"]
    assert counts[["records identified", "duplicates removed", "papers screened", "papers included"]].tolist() == [
        3, 1, 2, 1]
    # (a second decision on the paper by its new id is the same paper decided twice)
    with open(decisions, "a") as handle:
        handle.write("doi:10.1000/zol.1,exclude,off topic\n")
    with pytest.raises(ValueError, match=r":4: 'doi:10\.1000/zol\.1' already has a decision at .*mine\.csv:2; "):
        lr.read_decisions(decisions, both)
    with pytest.raises(ValueError, match=r"'title:nowhere' is not in the papers table; correct the id on this line"):
        decisions.write_text("id,decision,reason\ntitle:nowhere,include,\n")
        lr.read_decisions(decisions, both)


def test_a_title_id_that_two_papers_titles_give_is_not_guessed(tmp_path):
    # two papers of one title (a trial and its erratum, kept apart by their DOIs): which one was screened?
    papers = pd.DataFrame({"id": ["doi:10.1/trial", "doi:10.1/erratum", "doi:10.1/other"],
                           "title": ["Zolmitriptan in cluster headache", "Zolmitriptan in Cluster Headache.",
                                     "Coral reef fish"]})
    decisions = tmp_path / "mine.csv"
    decisions.write_text("id,decision,reason\ntitle:zolmitriptan-in-cluster-headache,include,\n")
    with pytest.raises(ValueError) as raised:
        lr.read_decisions(decisions, papers)
    assert str(raised.value) == (
        f"{decisions}:2: id 'title:zolmitriptan-in-cluster-headache' is not in the papers table, and 2 papers have "
        "that title ('doi:10.1/trial', 'doi:10.1/erratum'): change the id on this line to the one screened")
    with pytest.warns(UserWarning, match=r"^1 screened id\(s\) are not in the papers table and are left out"):
        flow = lr.prisma_flow(papers.assign(provenance=[["x.ris:1"], ["x.ris:2"], ["x.ris:3"]]), decisions,
                              problems=pd.DataFrame(columns=["file", "line", "severity", "message"]))
    assert flow.set_index("label").loc["papers screened", "count"] == 0


def test_a_paper_decided_on_its_full_text_alone_counts_as_screened_everywhere_the_flow_counts_it(tmp_path):
    # c was recorded on its full text only: it passed title-and-abstract screening, as the flow counts it.  The
    # progress and the ranking left it out: 2 screened against the flow's 3, and c offered again for screening.
    papers = pd.DataFrame({"id": list("abcdef"), "title": [
        "Active learning for screening", "Coral reef fish", "Screening prioritisation with active learning",
        "Deep sea fish", "Active screening of abstracts", "Fish of the reef"]})
    decisions = pd.DataFrame({"id": ["a", "b", "c", "a"], "stage": ["title-abstract", "title-abstract", "full-text",
                              "full-text"], "decision": ["include", "exclude", "Exclude", "include"],
                              "reason": [None, "off topic", "wrong design", None]})
    from litreview.analysis.screening import title_abstract_decisions

    assert title_abstract_decisions(decisions)[["id", "decision"]].values.tolist() == [
        ["a", "include"], ["b", "exclude"], ["c", "include"]]
    progress = lr.screening_progress(papers, decisions).iloc[0]
    assert progress[["screened", "included", "excluded", "left"]].tolist() == [3, 2, 1, 3]
    ranking = lr.rank_for_screening(papers, decisions)
    assert sorted(ranking["id"]) == ["d", "e", "f"]
    # a blank decision is a paper not screened yet, with a stage column or without (an error without one)
    blank = pd.DataFrame({"id": ["a", "b"], "decision": ["include", ""]})
    assert sorted(lr.rank_for_screening(papers, blank)["id"]) == ["b", "c", "d", "e", "f"]
    assert ranking["id"].iloc[0] == "e"


def test_a_paper_decided_by_its_earlier_title_id_and_by_its_id_now_is_not_counted_twice(tmp_path):
    # the flow read both decisions as the paper's: "excluded on title and abstract" 2 of 1 paper screened, and
    # "papers included" -1; read_decisions already refused the second line, as the flow now does
    papers = pd.DataFrame({"id": ["doi:10.1/x", "doi:10.1/y"], "title": ["Foo bar study", "Other one"],
                           "provenance": [["a.ris:1"], ["a.ris:2"]]})
    decisions = tmp_path / "mine.csv"
    decisions.write_text("id,decision,reason\ntitle:foo-bar-study,exclude,off topic\ndoi:10.1/x,exclude,off topic\n")
    with pytest.raises(ValueError, match=r"^decisions: 'title:foo-bar-study' is the paper 'doi:10.1/x' \(its title's "
                                         r"id before it had another\), which has a decision of its own too: delete "):
        lr.prisma_flow(papers, decisions, problems=pd.DataFrame(columns=["file", "line", "severity", "message"]))
    # at another stage it is the paper's next decision, not a second one
    decisions.write_text("id,stage,decision,reason\ntitle:foo-bar-study,title-abstract,include,\n"
                         "doi:10.1/x,full-text,exclude,wrong population\n")
    with pytest.warns(UserWarning, match=r"^1 screened title: id\(s\) no paper has now are counted"):
        flow = lr.prisma_flow(papers, decisions, problems=pd.DataFrame(columns=["file", "line", "severity",
                                                                                "message"]))
    assert flow.set_index("label").loc[["papers screened", "excluded on full text", "papers included"],
                                       "count"].tolist() == [1, 1, 0]
