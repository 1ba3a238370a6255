"""The citation report as a bibliometrician reads it: which papers cite (a year window, a topic), what the
summary says when the choice is empty, how many rows a table shows (``n``), how cited works are labelled and
linked, on hand-made corpora with exact expectations and on the shared WoS, Scopus and OpenAlex exports."""

import warnings
from pathlib import Path

import pandas as pd
import pytest

import litreview as lr
from litreview.report import citation_sections as cit
from litreview.report.run import plan_reports
from litreview.schema import to_frame

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "examples" / "wos_peft_citations.txt"
FIXTURES = Path(__file__).resolve().parents[2] / "shared" / "fixtures"
needs_fixtures = pytest.mark.skipif(not FIXTURES.is_dir(), reason="../shared/fixtures is absent")


def load(path) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (the shared exports' unread columns)
        return lr.load(path, progress=False)


def test_a_year_window_or_topic_without_papers_says_so_not_that_there_are_no_references():
    papers = load(EXAMPLE)  # eight PEFT papers of 2019-2023, all carrying references
    chosen, refs, scope = cit.select_citing(papers, 2030)
    assert (len(chosen), len(refs), scope) == (0, 0, "from 2030 on")
    # (it said "None of these papers carries its cited references", which all eight do)
    assert repr(cit.citation_summary(chosen, refs, corpus=papers, scope=scope)) == (
        "None of the 8 papers of the corpus is from 2030 on, so there is nothing to show here.")
    chosen, refs, scope = cit.select_citing(papers, 2030, None, "safety")
    assert repr(cit.citation_summary(chosen, refs, corpus=papers, scope=scope)) == (
        "None of the 8 papers of the corpus is from 2030 on and tagged Safety and risk, so there is nothing to "
        "show here.")
    papers_without_refs = papers.assign(references=[[]] * len(papers))
    chosen, refs, scope = cit.select_citing(papers_without_refs)
    assert repr(cit.citation_summary(chosen, refs, corpus=papers_without_refs, scope=scope)) == cit.NO_REFERENCES


def test_the_summary_says_whose_citations_are_counted_when_some_papers_are_chosen():
    papers = load(EXAMPLE)
    chosen, refs, scope = cit.select_citing(papers, 2021, 2021)
    assert chosen["year"].tolist() == [2021, 2021, 2021] and scope == "of 2021"
    assert repr(cit.citation_summary(chosen, refs, corpus=papers, scope=scope)) == (
        "All 3 papers carry 11 references in all; 4 references name a paper of the corpus. The citing papers are "
        "the 3 of the corpus's 8 of 2021: the counts below are of their citations, to any paper of the corpus or "
        "work outside it.")
    chosen, _, scope = cit.select_citing(papers, 2022, None, "peft")
    assert (len(chosen), scope) == (4, "from 2022 on and tagged Parameter-efficient fine-tuning")
    everything = cit.select_citing(papers)
    assert everything[2] == "" and len(everything[0]) == 8
    undated = papers.assign(year=papers["year"].mask(papers["year"] == 2019))  # (one paper of 2019)
    assert cit.select_citing(undated, 2021, 2021)[2] == "of 2021 (1 paper without a year left out)"
    assert cit.select_citing(undated, 2021, 2021, "safety")[2] == "of 2021 and tagged Safety and risk"  # (not safety)
    assert cit.select_citing(undated, 2021, 2021, "peft")[2] == (
        "of 2021 (1 paper without a year left out) and tagged Parameter-efficient fine-tuning")
    assert cit.select_citing(undated)[2] == ""
    assert repr(cit.citation_summary(everything[0], everything[1], corpus=papers)) == (
        "All 8 papers carry 35 references in all; 19 references name a paper of the corpus.")  # (as before)


def test_bad_choices_of_citing_papers_are_errors():
    papers = load(EXAMPLE)
    with pytest.raises(ValueError, match=r"^start_year 2015 is after end_year 2010$"):
        cit.select_citing(papers, 2015, 2010)
    with pytest.raises(KeyError, match="multimodal"):  # (the misspelt slug: the close one is named)
        cit.select_citing(papers, only_topic="multimodel")


def test_one_of_a_kind_is_said_in_the_singular():
    papers = to_frame([
        {"id": "a", "title": "A", "year": 2001, "references": ["!!! ???", "Smith J, 1990, J X, V1, P10"],
         "source": "a.txt:1"},
        {"id": "b", "title": "B", "year": 2002, "references": [], "source": "a.txt:9"},
        {"id": "c", "title": "C", "year": 2003, "references": [], "source": "a.txt:20"},
    ])
    refs = lr.references(papers)
    # (it said "1 papers of the 3 papers carry" and "1 references could not be parsed and are kept as given")
    assert repr(cit.citation_summary(papers, refs)) == (
        "1 of the 3 papers carries 2 references in all; 0 references name a paper of the corpus. 1 reference "
        "could not be parsed and is kept as given.")


@pytest.mark.parametrize("n", [0, -3])
def test_n_below_one_is_an_error_not_an_empty_or_a_whole_table(n):
    papers = load(EXAMPLE)
    refs = lr.references(papers)
    # (n=0 drew empty tables and said "No two works are cited together"; n=-3 listed every work but three:
    # a 4 MB report on the shared k-means export)
    for call in (lambda: cit.most_cited_section(papers, refs, n), lambda: cit.foundations_table(refs, n),
                 lambda: cit.cocitation_table(refs, n), lambda: cit.historiograph_section(papers, refs, n),
                 lambda: lr.plot_local_citations(lr.local_citations(papers, refs), n=n),
                 lambda: lr.plot_historiograph(papers, refs, n=n)):
        with pytest.raises(ValueError, match=f"^n must be 1 or more, got {n}$"):
            call()
    with pytest.raises(ValueError, match=f"^n must be 1 or more, got {n}$"):  # before any kernel starts
        plan_reports(notebook="citation_report", parameters={"n": n})
    assert plan_reports(notebook="citation_report", parameters={"n": 1})[0].parameters["n"] == 1


def test_rpys_start_after_end_is_an_error():
    refs = lr.references(load(EXAMPLE))
    with pytest.raises(ValueError, match="^start 2010 is after end 2000$"):  # (it gave an empty spectrum)
        lr.rpys(refs, start=2010, end=2000)


def test_a_scopus_label_keeps_its_first_author_title_and_year():
    memon = ("Memon, A.M., Pollack, M.E., Soffa, M.L., Hierarchical GUI test case generation using automated "
             "planning (2001) IEEE Transactions on Software Engineering, 27 (2), pp. 144-155")
    # (it showed "Memon, A.M., Pollack, M.E., Soffa, M.L., Hierarchical GUI test case generation using automated …":
    # the authors took the room, the year was cut)
    assert cit.short_label(memon) == (
        "Memon, A.M., et al., Hierarchical GUI test case generation using automated planning (2001) IEEE …")
    et_al = "Smith, J., Doe, A., et al., Things (2001) J Things"
    assert cit.short_label(et_al) == "Smith, J., et al., Things (2001) J Things"
    one = "Memon, A.M., (2001) A Comprehensive Framework for Testing Graphical User Interfaces, , Ph.D. thesis"
    assert cit.short_label(one) == one  # one author: as written
    for wos in ("MacQueen J.B., 1967, P 5 BERK S MATH STAT, P281", "Jain AK, 1999, ACM COMPUT SURV, V31, P264"):
        assert cit.short_label(wos) == wos


def test_a_cited_work_is_labelled_as_most_references_write_it():
    lloyd_rare = "Lloyd S., 1982, IEEE T INFORM THEORY, V28, P129, DOI DOI 10.1109/TIT.1982.1056489"
    lloyd = "LLOYD SP, 1982, IEEE T INFORM THEORY, V28, P129, DOI 10.1109/TIT.1982.1056489"
    dummy = "MacQueen J., 1967, P 5 BERK S MATH STAT, V1, P281, DOI DOI 10.1234/12345678"
    macqueen = "MacQueen J.B., 1967, P 5 BERK S MATH STAT, P281"
    papers = to_frame([
        {"id": "a", "title": "A", "year": 2001, "references": [lloyd_rare, dummy], "source": "a.txt:1"},
        {"id": "b", "title": "B", "year": 2002, "references": [lloyd, dummy], "source": "a.txt:9"},
        {"id": "c", "title": "C", "year": 2003, "references": [lloyd, macqueen], "source": "a.txt:20"},
    ])
    works = lr.cited_works(lr.references(papers))
    # (the first form seen was shown: the rarer "DOI DOI" one, and MacQueen's with the dummy DOI of 10.1234)
    assert works[["work", "papers", "label"]].values.tolist() == [
        ["doi:10.1109/tit.1982.1056489", 3, lloyd],
        ["ref:macqueen 1967 P 5 BERK S MATH STAT", 3, macqueen],  # (a placeholder DOI's form comes last)
    ]


def test_cited_works_and_papers_link_to_their_pages():
    assert [cit.work_url(w) for w in ("doi:10.1/x", "arxiv:2106.09685", "openalex:W100", "s2:" + "ab" * 20,
                                      "ref:smith 1990 J X", "title:deep-nets")] == [
        "https://doi.org/10.1/x", "https://arxiv.org/abs/2106.09685", "https://openalex.org/W100",
        "https://www.semanticscholar.org/paper/" + "ab" * 20, None, None]
    papers = to_frame([
        {"id": "doi:10.1000/a", "doi": "10.1000/a", "title": "Alpha & <i>beta</i> < 1", "year": 2010,
         "references": ["openalex:W100"], "source": "a:1"},
        {"id": "b", "title": "Beta", "year": 2012, "references": ["doi:10.1000/a", "openalex:W100"],
         "source": "b:1"},
        {"id": "c", "title": "Gamma", "year": 2013, "references": ["b", "doi:10.1000/a"], "source": "c:1"},
    ])
    refs = lr.references(papers)
    works = cit.foundations_table(refs).html
    # (OpenAlex gives ids only: a bare "openalex:W100" was all the reader had to go on)
    assert '<td><a href="https://openalex.org/W100">openalex:W100</a></td>' in works
    assert '<td><a href="https://doi.org/10.1000/a">doi:10.1000/a</a></td>' in works
    most_cited = cit.most_cited_section(papers, refs)
    assert '<td><a href="https://doi.org/10.1000/a">Alpha &amp; beta &lt; 1</a></td>' in most_cited.parts[0].html


@needs_fixtures
def test_the_shared_exports_read_as_a_bibliometrician_expects():
    wos = load(FIXTURES / "citations" / "wos_kmeans_clustering.txt")
    works = lr.cited_works(lr.references(wos)).set_index("work")
    assert works.at["doi:10.1109/tit.1982.1056489", "label"] == (
        "LLOYD SP, 1982, IEEE T INFORM THEORY, V28, P129, DOI 10.1109/TIT.1982.1056489")  # 35 of its 41
    assert works.at["ref:macqueen 1967 P 5 BERK S MATH STAT", "label"] == macqueen_label()
    scopus = load(FIXTURES / "citations" / "scopus_gui_testing.csv")
    shown = cit.foundations_table(lr.references(scopus), 2).frame.iloc[:, 0].tolist()
    assert shown == [
        "Memon, A., et al., GUI ripping: Reverse engineering of graphical user interfaces for testing (2003) …",
        "Memon, A.M., et al., Hierarchical GUI test case generation using automated planning (2001) IEEE …"]
    openalex = load(FIXTURES / "openalex" / "paper-extract_openalex_works.json")
    html = cit.foundations_table(lr.references(openalex), 1).html
    assert '<a href="https://openalex.org/W2045435533">openalex:W2045435533</a>' in html


def macqueen_label() -> str:
    return "MacQueen J.B., 1967, P 5 BERK S MATH STAT, P281"


def test_a_scopus_reference_resolves_by_its_title_when_its_year_is_off_by_one_or_missing():
    title = "Automated testing of graphical user interfaces at scale"
    papers = to_frame([
        {"id": "gui", "title": title, "year": 2013, "source": "s.csv:2", "references": []},
        {"id": "short", "title": "A survey of GUI testing", "year": 2015, "source": "s.csv:3", "references": []},
        {"id": "citing", "title": "Citing paper", "year": 2020, "source": "s.csv:4", "references": [
            f"Smith, J., Doe, A., {title} (2012) Proc. ICSE, pp. 1-10",  # online first, a year before its issue
            f"Smith, J., Doe, A., {title} Proceedings of the 2013 35th International Conference, pp. 1-10",  # no (year)
            f"Smith, J., {title} Proceedings of the 35th International Conference",  # no year anywhere: left
            f"Smith, J., {title} (2010) Proc. ICSE",  # three years apart: another work
            f"Smith, J., {title} revisited (2013) Proc. ICSE",  # a longer title: another work
            "Lee, K., A survey of GUI testing approaches for mobile apps, 2015",  # five words begin it: too few
        ]},
    ])
    refs = lr.references(papers)
    # (the first two were left unresolved: Scopus writes no year in brackets for some, and online-first years)
    assert list(zip(plain(refs["cited_id"]), plain(refs["matched_on"]))) == [
        ("gui", "title-near"), ("gui", "title-near"), (None, None), (None, None), (None, None), (None, None)]


@needs_fixtures
def test_the_scopus_export_counts_the_citations_its_text_shows():
    papers = load(FIXTURES / "citations" / "scopus_gui_testing.csv")
    refs = lr.references(papers)
    assert refs["matched_on"].value_counts().to_dict() == {
        "title": 1807, "doi": 137, "title-near": 131, "author-year-source": 59}  # (1,800 titles before 27 references
    # holding "; " were one each: the TESTAR paper, "...with TESTAR; what about ...", is cited 8 times, not once)
    cited = lr.local_citations(papers, refs).set_index("title")["local_citations"]
    # 77 papers' reference lists name GUI Ripping (WCRE 2003) by its title (grep); 69 were counted
    assert cited["GUI Ripping: Reverse Engineering of Graphical User Interfaces for Testing"] == 77
    assert cited["Dynodroid: An input generation system for android apps"] == 58  # (56 before; 60 name it)


def plain(column: pd.Series) -> list:
    return [None if pd.isna(v) else v for v in column]


def test_the_rpys_figure_leaves_out_a_long_early_tail_and_says_so():
    old = ["[Anonymous], 1781, MEMORIES ACAD SCI"]
    recent = [f"Author{i} A, {1990 + i % 10}, J X, V1, P{i + 10}" for i in range(300)]
    papers = to_frame([{"id": "a", "title": "A", "year": 2001, "references": old + recent, "source": "a.txt:1"}])
    refs = lr.references(papers)
    spectrum = lr.rpys(refs)
    assert (spectrum["year"].min(), cit.rpys_start(spectrum)) == (1781, 1990)
    # (the figure ran from 1781: 209 empty years, the field's ten a sliver at the right)
    assert repr(cit.rpys_section(refs)).split("\n\n")[1] == (
        "The figure starts in 1990: 1 reference to the years 1781 to 1989 is left out of it, so that the years most "
        "references come from can be read.")
    small = lr.references(load(EXAMPLE))  # 35 references: every year shown, nothing said
    assert cit.rpys_start(lr.rpys(small)) == lr.rpys(small)["year"].min()
    assert "The figure starts" not in repr(cit.rpys_section(small))


@needs_fixtures
def test_the_rpys_figure_of_the_k_means_export_starts_in_1951():
    wos = lr.references(load(FIXTURES / "citations" / "wos_kmeans_clustering.txt"))  # (Monge 1781 cited once)
    assert repr(cit.rpys_section(wos)).split("\n\n")[1:] == [
        "The figure starts in 1951: 61 references to the years 1781 to 1950 are left out of it, so that the years "
        "most references come from can be read.", "Years that stand out from their neighbours: 1967, 1985, 1988, "
        "1999, 2004."]


def test_only_topic_can_name_a_topic_of_ones_own_taxonomy(tmp_path):
    mine = tmp_path / "kmeans.yaml"
    mine.write_text("topics:\n- {slug: seeding, label: Seeding, scope: How k-means starts., terms: [prefix]}\n",
                    encoding="utf-8")
    # (it said "citation_report has no parameter 'taxonomy'": only_topic could name only the default's topics)
    (job,) = plan_reports(notebook="citation_report", taxonomy=str(mine), parameters={"only_topic": "Seeding"})
    assert (job.parameters["only_topic"], job.parameters["taxonomy"], job.name) == (
        "seeding", str(mine), "citation_report-seeding")
    with pytest.raises(ValueError, match=r"^unknown topic\(s\) peft\. Valid topics: seeding"):
        plan_reports(notebook="citation_report", taxonomy=str(mine), parameters={"only_topic": "peft"})
    papers = load(EXAMPLE)
    chosen, _, scope = cit.select_citing(papers, only_topic="seeding", taxonomy=lr.load_taxonomy(mine))
    assert (chosen["title"].tolist(), scope) == (
        ["Prefix-Tuning: Optimizing Continuous Prompts for Generation"], "tagged Seeding")


def test_references_of_one_author_year_and_title_are_one_work_however_the_source_is_written():
    title = "Automated GUI performance testing"
    papers = to_frame([
        {"id": f"p{i}", "title": f"Paper {i}", "year": 2020, "source": f"s.csv:{i}", "references": [ref]}
        for i, ref in enumerate([
            f"Adamoli, A., Zaparanuks, D., {title} (2011) Software Quality Journal, 19 (4), pp. 801-839",
            f"Adamoli, A., Zaparanuks, D., {title} (2011) Softw Qual J, 19, pp. 801-839",
            f"Adamoli, A., {title.upper()}. (2011) Softw. Qual. J., 19 (4)",
            f"Adamoli, A., {title} (2011) Softw. Qual. J., 19 (4), pp. 801-839. , DOI 10.1007/s11219-011-9128-z",
            f"Adamoli, A., {title} (2012) Software Quality Journal",  # another year: another work
            f"Smith, J., {title} (2011) Software Quality Journal",  # another first author: another work
            "Adamoli, A., On GUI testing (2011) Proc. ICSE",  # three words say too little
            "Adamoli, A., On GUI testing (2011) ICSE Proceedings",
        ])
    ])
    works = lr.cited_works(lr.references(papers))
    # (it counted four works of 1 citing paper each for Adamoli 2011: one per way of writing the journal)
    assert works[["work", "papers"]].values.tolist() == [
        ["doi:10.1007/s11219-011-9128-z", 4],  # the identifier's key, where one reference has it
        ["ref:adamoli 2011 ICSE PROCEEDINGS", 1], ["ref:adamoli 2011 PROC. ICSE", 1],
        ["ref:adamoli 2012 SOFTWARE QUALITY JOURNAL", 1], ["ref:smith 2011 SOFTWARE QUALITY JOURNAL", 1]]


@needs_fixtures
def test_the_scopus_exports_count_each_cited_work_once():
    petri = lr.cited_works(lr.references(load(FIXTURES / "tables" / "litstudy_scopus.csv"))).set_index("work")
    # Goss & Peccoud 1998 (PNAS) was three works (6, 4 by its DOI and 1 citing papers): PNAS written four ways
    assert petri.at["doi:10.1073/pnas.95.12.6750", "papers"] == 11 and len(petri) == 2162  # (2,253, then 2,166
    # before four titles holding "; " were one reference each: "...coloured Petri nets; application to ...")
    gui = lr.cited_works(lr.references(load(FIXTURES / "citations" / "scopus_gui_testing.csv")))
    assert len(gui) == 6997  # 8,032 before: works written two ways or more (7,017 before 27 references holding
    # "; " were one each)
    coverage = gui.loc[gui["label"].str.contains("Coverage criteria for GUI testing (2001)", regex=False)]
    # (42, 7, 4, 1 and 1 under the ways of writing ESEC/FSE 2001; the one left names Soffa first)
    assert coverage["papers"].tolist() == [60, 1]


def test_counts_take_their_thousands_separator_in_every_citation_table():
    papers = to_frame([
        {"id": "doi:10.1000/petri", "doi": "10.1000/petri", "title": "Petri nets", "year": 1989, "citation_count": 8097,
         "references": [], "source": "a:1"},
        {"id": "doi:10.1000/namd", "doi": "10.1000/namd", "title": "NAMD", "year": 2005, "citation_count": 13169,
         "references": [], "source": "a:2"},
        {"id": "c", "title": "C", "year": 2010, "references": ["doi:10.1000/petri", "doi:10.1000/namd"],
         "source": "a:3"},
    ])
    shown = cit.most_cited_section(papers, lr.references(papers)).parts[0]
    # (it showed "8097" beside "13,169": numbers below 10,000 were written as years are)
    assert '<td class="num" data-sort="8097.0">8,097</td>' in shown.html
    assert '<td class="num" data-sort="13169.0">13,169</td>' in shown.html
    assert '<td class="num" data-sort="2005.0">2005</td>' in shown.html  # (a year stays a year)


def test_the_historiograph_spreads_a_chain_of_papers_over_lanes_and_counts_years_in_whole_numbers():
    papers = to_frame([
        {"id": f"doi:10.1000/{year}", "doi": f"10.1000/{year}", "title": f"Paper of {year}", "year": year,
         "authors": [f"Ann Author{year}"], "source": f"a:{year}",
         "references": [f"doi:10.1000/{earlier}" for earlier in range(2001, year)]}
        for year in range(2001, 2007)
    ])
    ax = lr.plot_historiograph(papers, lr.references(papers))
    points = [tuple(c.get_offsets()[0]) for c in ax.collections]
    # (every paper sat on one line, each arrow running through the papers between its ends, labels overlapping)
    assert points == [(2001.0, 0.0), (2002.0, 1.0), (2003.0, 2.0), (2004.0, 3.0), (2005.0, 0.0)]
    assert all(float(t).is_integer() for t in ax.get_xticks())  # (2019.5 was a tick)
    assert [t.get_text() for t in ax.texts if t.get_text()] == [f"Author{y} {y}" for y in range(2001, 2006)]


def test_a_corpus_work_its_references_name_by_an_id_alone_is_named_by_its_title():
    papers = to_frame([
        {"id": "w1", "title": "Attention is all you need", "year": 2017, "external_ids": ["openalex:W2963403868"],
         "references": [], "source": "works.json:1"},
        {"id": "w2", "title": "Later", "year": 2019, "external_ids": ["openalex:W2"], "source": "works.json:1",
         "references": ["openalex:W2963403868", "openalex:W1"]},
        {"id": "w3", "title": "Later still", "year": 2020, "external_ids": ["openalex:W3"], "source": "works.json:1",
         "references": ["openalex:W2963403868", "openalex:W1"]},
    ])
    refs = lr.references(papers)
    # (OpenAlex's referenced_works are ids: the table said "openalex:W2963403868" of a paper the corpus holds)
    assert cit.foundations_table(refs, papers=papers).frame.iloc[:, 0].tolist() == [
        "openalex:W1", "Attention is all you need (2017)"]  # (a work outside the corpus keeps its id, linked)
    assert cit.foundations_table(refs).frame.iloc[:, 0].tolist() == ["openalex:W1", "openalex:W2963403868"]
    pair = cit.cocitation_table(refs, papers=papers)
    assert pair.frame[["work", "cited with"]].values.tolist() == [["openalex:W1", "Attention is all you need (2017)"]]
    assert '<a href="https://openalex.org/W1">openalex:W1</a>' in pair.html


def test_a_work_is_labelled_by_a_form_that_gives_its_year():
    title = "Automated testing of graphical user interfaces at scale"
    undated = f"Smith, J., Doe, A., {title} Proceedings of the 2013 35th International Conference, pp. 1-10"
    dated = f"Smith, J., Doe, A., {title} (2013) Proc. ICSE, pp. 1-10"
    papers = to_frame([
        {"id": "gui", "title": title, "year": 2013, "source": "s.csv:2", "references": []},
        *({"id": f"c{i}", "title": f"Citing {i}", "year": 2020, "source": f"s.csv:{i + 3}", "references": [ref]}
          for i, ref in enumerate([undated, undated, dated])),
    ])
    works = lr.cited_works(lr.references(papers))
    # (the form most references write was shown, though it gives no year: Scopus writes some without one)
    assert works[["work", "papers", "label"]].values.tolist() == [["gui", 3, dated]]


def test_scopus_bibtex_and_ris_and_wos_bibtex_exports_carry_their_references(tmp_path):
    (tmp_path / "scopus.bib").write_text(
        "@ARTICLE{Figueira2022,\n"
        "author={Figueira, J.R. and Greco, S.},\ntitle={{ELECTRE-SCORE}: A first outranking based method},\n"
        "year={2022},\nnote={cited By 12},\n"
        "references={Amgoud, L., Prade, H., Using arguments (2009) Artificial Intelligence, 173, pp. 413-436; "
        "de Borda, J.C., M{\\'e}moire sur les {\\'e}lections au scrutin (1781) Histoire de l'Academie Royale;},\n}\n"
        "@article{Wos2020,\ntitle={A WoS record},\nyear={2020},\nTimes-Cited = {7},\n"
        "Cited-References = {AKAIKE H, 1974, IEEE T AUTOMAT CONTR, V19, P716\n"
        "   MacQueen J., 1967, P 5 BERK S MATH STAT, P281},\n}\n", encoding="utf-8")
    (tmp_path / "scopus.ris").write_text(
        "TY  - JOUR\nTI  - Stress and the brain-gut axis\nPY  - 2020\nN1  - Cited By :2\n"
        "N1  - Export Date: 18 November 2019\n"
        "N1  - References: Agostini, A., Ballotta, D., Stress and brain functional changes (2017) Neurogastroenterol. "
        "Motil., 29, pp. 1-10;\nAziz, Q., Thompson, D.G., Brain-gut axis in health and disease (1998) Gastroenterology,"
        " 114, pp. 559-578\nER  - \n", encoding="utf-8")
    bib = load(tmp_path / "scopus.bib").set_index("title")
    # (both were read as carrying no references: "None of these papers carries its cited references")
    assert bib.at["ELECTRE-SCORE: A first outranking based method", "references"] == [
        "Amgoud, L., Prade, H., Using arguments (2009) Artificial Intelligence, 173, pp. 413-436",
        "de Borda, J.C., Mémoire sur les élections au scrutin (1781) Histoire de l'Academie Royale"]
    assert bib.at["ELECTRE-SCORE: A first outranking based method", "citation_count"] == 12
    assert bib.at["A WoS record", "references"] == [
        "AKAIKE H, 1974, IEEE T AUTOMAT CONTR, V19, P716", "MacQueen J., 1967, P 5 BERK S MATH STAT, P281"]
    assert bib.at["A WoS record", "citation_count"] == 7
    ris = load(tmp_path / "scopus.ris").iloc[0]
    assert ris["references"] == [
        "Agostini, A., Ballotta, D., Stress and brain functional changes (2017) Neurogastroenterol. Motil., 29, "
        "pp. 1-10",
        "Aziz, Q., Thompson, D.G., Brain-gut axis in health and disease (1998) Gastroenterology, 114, pp. 559-578"]
    assert ris["citation_count"] == 2


@needs_fixtures
def test_the_shared_scopus_bibtex_and_ris_exports_carry_every_reference():
    import re

    text = (FIXTURES / "bibtex" / "pybibx_scopus.bib").read_text(encoding="utf-8")
    fields = re.findall(r"^references=\{(.*)\},?$", text, re.M)  # (one line per field in this export)
    bib = lr.load(FIXTURES / "bibtex" / "pybibx_scopus.bib", merge=False, progress=False)
    assert (bib["references"].map(len) > 0).sum() == len(fields) == 255
    pieces = sum(len([r for r in f.split("; ") if r.strip(" ;")]) for f in fields)
    # 11 references hold "; " ("...in Southern Italy; toward a decision support tool ...", "(UNEP/CBD/COP/8/3; 19 ...)")
    assert bib["references"].map(len).sum() == pieces - 11 == 9642
    assert bib["citation_count"].notna().sum() == 263  # every entry's note says "cited By N"
    ris = load(FIXTURES / "ris" / "asreview_scopus.ris")
    # one reference per line after "N1  - References:" (186 lines in the first record); two titles of the
    # second hold "; " ("...in remission; is it a reflection of ...": one reference each, 149 before), and one of
    # its lines holds two references ("... Publishing UK; Uno, Y., Introducer method ...")
    assert ris["references"].map(len).tolist() == [186, 147, 87, 59, 144, 180]
    assert ris["citation_count"].tolist()[4:] == [2, 2] and ris["citation_count"].isna().sum() == 4


def test_the_bar_chart_of_one_paper_says_so_in_the_singular():
    papers = to_frame([
        {"id": "doi:10.1000/a", "doi": "10.1000/a", "title": "A", "year": 2001, "references": [], "source": "a:1"},
        {"id": "b", "title": "B", "year": 2002, "references": ["doi:10.1000/a"], "source": "a:2"},
    ])
    chart = cit.most_cited_section(papers, lr.references(papers)).parts[1]
    # (it said "Bar chart of the 1 papers most cited ..., with their citation counts")
    assert chart.alt == "Bar chart of the paper most cited inside the corpus, with its citation count"


def test_an_index_of_reports_that_read_no_topic_says_nothing_of_the_taxonomy(tmp_path):
    # A citation report's index said "This taxonomy covers little of this corpus ... write a taxonomy", and
    # counted the papers without a topic, to a reader who never asked for topics.
    from litreview.report.run import ReportJob, write_index

    dashboard = {"papers": 492, "files": [("wos.txt", 492)], "first_year": 1990, "last_year": 2021, "undated": 0,
                 "untagged": 451, "outside": 0, "window": (1990, 2021), "skipped": 0,
                 "topics": [{"slug": "safety", "label": "Safety", "papers": 3, "per_year": {2020: 3}}],
                 "parameters": {"corpus": ["wos.txt"]}}
    citations = ReportJob(None, "Citation report", {"corpus": ["wos.txt"]}, "citation_report")
    page = write_index([citations], tmp_path, dashboard).read_text()
    assert "covers little" not in page and "without a topic" not in page
    assert '<div class="card"><b>492</b>papers</div>' in page
    on_a_topic = ReportJob(None, "Citation report (safety)", {"corpus": ["wos.txt"], "only_topic": "safety"},
                           "citation_report")
    (tmp_path / "topic").mkdir()
    page = write_index([on_a_topic], tmp_path / "topic", dashboard).read_text()
    assert "This taxonomy covers little of this corpus" in page and "without a topic" in page


@needs_fixtures
def test_the_report_keys_the_references_once_and_its_tables_are_those_of_unkeyed_references(monkeypatch):
    # Each table keyed every reference again (five passes for a report; 0.19 s each on this export's 11,926)
    import litreview.analysis.citations as analysis

    papers = load(FIXTURES / "citations" / "scopus_gui_testing.csv")
    calls = []
    key = analysis.reference_key
    monkeypatch.setattr(analysis, "reference_key", lambda refs: calls.append(len(refs)) or key(refs))
    _, refs, _ = cit.select_citing(papers)
    tables = [cit.foundations_table(refs, 10, papers), cit.cocitation_table(refs, 10, papers)]
    assert len(calls) == 1 and len(refs) == 11926  # (once, over the references but self-citations)
    unkeyed = refs.drop(columns="work")
    again = [cit.foundations_table(unkeyed, 10, papers), cit.cocitation_table(unkeyed, 10, papers)]
    assert [t.html for t in tables] == [t.html for t in again]
    assert lr.cited_works(refs).equals(lr.cited_works(unkeyed)) and lr.cocitation(refs).equals(lr.cocitation(unkeyed))
