"""Screening decisions keyed by another id of the paper: its PMID, its DOI, its id as a user types it.

Every reader of decisions reads them as the paper's, as it reads an earlier ``title:`` id (read_decisions, the
flow, the ranking, the progress, the flow report's papers still to screen); an id two papers share, and a paper
decided twice at one stage under two names, are errors.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

import litreview as lr
from litreview.analysis.screened_ids import id_keys, known_as, other_ids, resolve_ids
from litreview.report.screening_sections import still_to_screen

FIXTURES = Path(__file__).resolve().parents[2] / "shared" / "fixtures"
NO_PROBLEMS = pd.DataFrame(columns=["file", "line", "severity", "message"])
OTHER_NAMES = "its PubMed id, DOI, arXiv id or another database's id, or its id written another way"


def _corpus(tmp_path):
    """Four papers as a PubMed-based export gives them: two with a DOI (their id), two without (a title: id)."""
    path = tmp_path / "corpus.csv"
    path.write_text("title,year,doi,pmid\nZolmitriptan in cluster headache,2001,10.1000/zol.1,11111\n"
                    "Coral reef fish at night,2005,,22222\n"
                    "Sumatriptan for menstrual migraine,2003,10.1000/sum.2,33333\nTriptans and sleep,2004,,44444\n")
    papers = lr.load(path)
    assert papers["id"].tolist() == ["doi:10.1000/zol.1", "title:coral-reef-fish-at-night", "doi:10.1000/sum.2",
                                     "title:triptans-and-sleep"]
    return papers


@pytest.mark.parametrize("typed, key", [
    ("PMID: 012345", "pmid:12345"), ("12345", "pmid:12345"), ("https://pubmed.ncbi.nlm.nih.gov/12345/", "pmid:12345"),
    ("PMC7745181", "pmcid:PMC7745181"), ("pmcid: 7745181", "pmcid:PMC7745181"), ("NIHMS12", "nihms:NIHMS12"),
    ("https://doi.org/10.1000/X", "doi:10.1000/x"), ("DOI:10.1000/X", "doi:10.1000/x"),
    ("arXiv:2106.09685v2", "arxiv:2106.09685"), ("https://arxiv.org/abs/2106.09685", "arxiv:2106.09685"),
    ("Title:Zolmitriptan in Cluster Headache", "title:zolmitriptan-in-cluster-headache"),
    ("OpenAlex:w123", "openalex:W123"), ("WOS:000123", "wos:WOS:000123"), ("p99", "p99"),
    ("10.1002/(SICI)1097-4636:2<1::AID-JBM1>3.0.CO;2-Y", "doi:10.1002/(sici)1097-4636:2<1::aid-jbm1>3.0.co;2-y"),
    ("https://doi.org/10.1000/X).", "doi:10.1000/x"),
])
def test_an_id_as_a_user_types_it_has_one_normal_form(typed, key):
    assert id_keys(typed) == [key]


def test_decisions_by_pmid_and_doi_variants_are_the_papers_in_every_reader(tmp_path):
    # a colleague's spreadsheet names papers by PMID (as PubMed lists it) and by a DOI link: read_decisions refused
    # them ("it is the paper 'doi:10.1000/zol.1': change the id on this line"), the flow left them out
    papers = _corpus(tmp_path)
    decisions = tmp_path / "decisions.csv"
    decisions.write_text("id,decision,reason\nPMID: 11111,include,\n22222,exclude,not about migraine\n"
                         "https://doi.org/10.1000/SUM.2,include,\n")
    with pytest.warns(UserWarning) as caught:
        read = lr.read_decisions(decisions, papers)
    assert [str(w.message) for w in caught] == [
        f"{decisions}: 3 decision(s) by another name of the paper ({OTHER_NAMES}) read as the paper's: line 2 "
        "'PMID: 11111' as 'doi:10.1000/zol.1'; line 3 '22222' as 'title:coral-reef-fish-at-night'; line 4 "
        "'https://doi.org/10.1000/SUM.2' as 'doi:10.1000/sum.2'; change the ids in the file to keep it current"]
    assert read[["id", "decision", "line"]].values.tolist() == [
        ["doi:10.1000/zol.1", "include", 2], ["title:coral-reef-fish-at-night", "exclude", 3],
        ["doi:10.1000/sum.2", "include", 4]]
    with pytest.warns(UserWarning) as caught:
        flow = lr.prisma_flow(papers, decisions).set_index("label")["count"]
    assert [str(w.message) for w in caught] == [
        f"3 screened id(s) no paper has as its id are counted as the paper known by it ({OTHER_NAMES}): '22222' as "
        "'title:coral-reef-fish-at-night', 'PMID: 11111' as 'doi:10.1000/zol.1', 'https://doi.org/10.1000/SUM.2' as "
        "'doi:10.1000/sum.2'; change the ids in the decisions file to keep it current"]
    assert flow[["records identified", "not yet screened", "papers screened", "excluded on title and abstract",
                 "not about migraine", "papers included"]].tolist() == [4, 1, 3, 1, 1, 2]
    # the ranking, the progress and the flow report's papers still to screen: one paper left, the fourth
    table = pd.read_csv(decisions, dtype=str)
    with pytest.warns(UserWarning, match="3 decision\\(s\\) by another name"):
        assert lr.rank_for_screening(papers, decisions)["id"].tolist() == ["title:triptans-and-sleep"]
    assert lr.rank_for_screening(papers, table)["id"].tolist() == ["title:triptans-and-sleep"]
    progress = lr.screening_progress(papers, table).iloc[0]
    assert {k: int(progress[k]) for k in ("screened", "included", "excluded", "left")} == {
        "screened": 3, "included": 2, "excluded": 1, "left": 1}
    left = still_to_screen(papers, table)
    assert left.parts[0].markdown == "1 paper without a decision; the first rows of a template to fill in:"
    assert left.parts[1].frame["id"].tolist() == ["title:triptans-and-sleep"]
    # recording names the id to write, rather than write another
    with pytest.raises(ValueError, match=r"^'PMID: 44444' is not in the papers table; it is the paper "
                                         r"'title:triptans-and-sleep': record the decision under that id$"):
        lr.record_decision(decisions, "PMID: 44444", "include", papers=papers)


def test_an_id_two_papers_share_is_not_guessed(tmp_path):
    # a trial and its erratum kept apart by their DOIs, both listed under the trial's PMID: which one was screened?
    papers = pd.DataFrame({"id": ["doi:10.1/trial", "doi:10.1/erratum", "doi:10.1/other"],
                           "title": ["A trial", "Erratum: a trial", "Coral reef fish"],
                           "external_ids": [["pmid:5"], ["pmid:5"], ["pmid:6"]],
                           "provenance": [["x.ris:1"], ["x.ris:2"], ["x.ris:3"]]})
    decisions = tmp_path / "mine.csv"
    decisions.write_text("id,decision,reason\npmid:5,include,\n")
    with pytest.raises(ValueError) as raised:
        lr.read_decisions(decisions, papers)
    assert str(raised.value) == (
        f"{decisions}:2: id 'pmid:5' is not in the papers table, and 2 papers are known by that id "
        "('doi:10.1/trial', 'doi:10.1/erratum'): change the id on this line to the one screened")
    assert known_as(other_ids(papers), "pmid:5") is None and known_as(other_ids(papers), "6") == "doi:10.1/other"
    with pytest.warns(UserWarning, match=r"^1 screened id\(s\) are not in the papers table and are left out of the "
                                         r"flow: 'pmid:5'; "):
        flow = lr.prisma_flow(papers, decisions, problems=NO_PROBLEMS)
    assert flow.set_index("label").loc["papers screened", "count"] == 0


def test_a_paper_decided_under_two_of_its_names_at_one_stage_is_refused(tmp_path):
    # counted twice, the flow said "excluded on title and abstract" 2 of 1 paper screened and "papers included" -1
    papers = _corpus(tmp_path)
    decisions = tmp_path / "mine.csv"
    decisions.write_text("id,decision,reason\npmid:11111,exclude,off topic\ndoi:10.1000/zol.1,exclude,off topic\n")
    with pytest.raises(ValueError) as raised:
        lr.read_decisions(decisions, papers)
    assert str(raised.value) == (f"{decisions}:3: 'doi:10.1000/zol.1' already has a decision at {decisions}:2; "
                                 "delete one of the two lines (keep the one you mean)")
    with pytest.raises(ValueError) as raised:
        lr.prisma_flow(papers, decisions)
    assert str(raised.value) == ("decisions: 'pmid:11111' is the paper 'doi:10.1000/zol.1' (another id of the "
                                 "paper), which has a decision of its own too: delete one of the two (keep the one "
                                 "you mean)")
    table = pd.DataFrame({"id": ["11111", "10.1000/ZOL.1"], "decision": ["exclude"] * 2, "reason": ["off topic"] * 2})
    with pytest.raises(ValueError, match=re.escape("decisions: '11111' is the paper 'doi:10.1000/zol.1' (another id "
                                                   "of the paper), which '10.1000/ZOL.1' names too: delete one")):
        lr.screening_progress(papers, table)
    # one name written twice is not two names: the readers judge it as they judge a paper's id written twice
    by_id, by_pmid = table.assign(id="doi:10.1000/zol.1"), table.assign(id="11111")
    assert lr.screening_progress(papers, by_pmid).equals(lr.screening_progress(papers, by_id))
    for again in (by_id, by_pmid):
        with pytest.raises(ValueError, match=r"^decisions row 1: 'doi:10.1000/zol.1' has a second decision"):
            lr.rank_for_screening(papers, again)
    # at another stage it is the paper's next decision, not a second one
    decisions.write_text("id,stage,decision,reason\npmid:11111,title-abstract,include,\n"
                         "doi:10.1000/zol.1,full-text,exclude,wrong population\n")
    with pytest.warns(UserWarning, match=r"^1 screened id\(s\) no paper has as its id are counted"):
        flow = lr.prisma_flow(papers, decisions).set_index("label")["count"]
    assert flow[["papers screened", "full texts assessed", "excluded on full text", "papers included"]].tolist() == [
        1, 1, 1, 0]


@pytest.mark.skipif(not FIXTURES.is_dir(), reason="../shared/fixtures is absent (the project cloned alone)")
def test_a_pubmed_review_screened_by_pmid(tmp_path):
    # Cohen 2006's triptans review as ASReview keeps it: each record's PubMed id and its title-and-abstract label.
    # Loaded, the records are papers with title: ids (no DOI); a decision by the PubMed id is the paper's.
    source = FIXTURES / "screening" / "cohen2006_Triptans.csv"
    with pytest.warns(lr.LoadWarning):
        papers = lr.load(source)
    labelled = pd.read_csv(source)
    lines = [f"{pmid},{'include' if label else 'exclude'},{'' if label else 'not relevant'}"
             for pmid, label in zip(labelled["pubmedID"], labelled["label_abstract_screening"])]
    decisions = tmp_path / "triptans.csv"
    decisions.write_text("id,decision,reason\n" + "\n".join(lines) + "\n")
    # the two records of "Almotriptan: a review of its use in migraine" (PMIDs 11817980, 12056924) are one paper:
    # decided under both ids it would be counted twice
    assert [len(papers), len(labelled)] == [670, 671]
    with pytest.raises(ValueError, match=re.escape(
            f"{decisions}:297: 'title:almotriptan-a-review-of-its-use-in-migraine' already has a decision at "
            f"{decisions}:253; delete one")):
        lr.read_decisions(decisions, papers)
    decisions.write_text("id,decision,reason\n" + "\n".join(lines[:295] + lines[296:]) + "\n")
    with pytest.warns(UserWarning, match=r"670 decision\(s\) by another name of the paper .*: line 2 '10067807' as "
                                         r"'title:migraine-a-woman-s-disease'; "):
        read = lr.read_decisions(decisions, papers)
    assert read["id"].isin(set(papers["id"])).all() and read["id"].is_unique
    with pytest.warns(UserWarning, match=r"^670 screened id\(s\) no paper has as its id are counted"):
        flow = lr.prisma_flow(papers, decisions).set_index("label")["count"]
    assert flow[["records identified", "duplicates removed", "papers screened", "excluded on title and abstract",
                 "papers included"]].tolist() == [671, 1, 670, 453, 217]


def test_bare_pmids_read_as_numbers_are_the_papers(tmp_path):
    # a spreadsheet of PubMed ids read with pd.read_csv holds them as integers: the ranking refused them ("'11111'
    # is not in the papers table"); the flow, which reads ids as text, counted them
    papers = _corpus(tmp_path)
    table = pd.DataFrame({"id": [11111, 22222], "decision": ["include", "exclude"], "reason": ["", "off topic"]})
    assert resolve_ids(table, papers)[0]["id"].tolist() == ["doi:10.1000/zol.1", "title:coral-reef-fish-at-night"]
    assert sorted(lr.rank_for_screening(papers, table)["id"]) == ["doi:10.1000/sum.2", "title:triptans-and-sleep"]
    with pytest.warns(UserWarning, match=r"^2 screened id\(s\) no paper has as its id are counted"):
        flow = lr.prisma_flow(papers, table, problems=NO_PROBLEMS).set_index("label")["count"]
    assert flow[["papers screened", "papers included"]].tolist() == [2, 1]
    twice = pd.DataFrame({"id": [11111, "doi:10.1000/zol.1"], "decision": ["exclude"] * 2, "reason": ["x"] * 2})
    with pytest.raises(ValueError, match=re.escape("decisions: '11111' is the paper 'doi:10.1000/zol.1'")):
        resolve_ids(twice, papers)


def test_read_decisions_slugs_the_papers_titles_only_for_a_title_id(tmp_path, monkeypatch):
    # (slugging every title is most of the index's cost: 3.1 s against 1.5 s for a PMID at 100,000 papers)
    from litreview.analysis import screening_log

    papers, indexed = _corpus(tmp_path), []
    monkeypatch.setattr(screening_log, "other_ids",
                        lambda table, titles=True: indexed.append(titles) or other_ids(table, titles=titles))
    decisions = tmp_path / "decisions.csv"
    decisions.write_text("id,decision,reason\nPMID: 11111,include,\n33333,include,\n")
    with pytest.warns(UserWarning):
        assert lr.read_decisions(decisions, papers)["id"].tolist() == ["doi:10.1000/zol.1", "doi:10.1000/sum.2"]
    assert indexed == [False]
    decisions.write_text("id,decision,reason\nPMID: 11111,include,\ntitle:Coral reef fish at night,include,\n")
    with pytest.warns(UserWarning):
        assert lr.read_decisions(decisions, papers)["id"].tolist() == [
            "doi:10.1000/zol.1", "title:coral-reef-fish-at-night"]
    assert indexed == [False, False, True]
