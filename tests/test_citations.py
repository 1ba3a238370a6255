"""Cited references and citation analyses: parsing, resolution, counts and figures on hand-made corpora
with exact expectations, and on the shared WoS, Scopus, OpenAlex and Semantic Scholar exports."""

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import litreview as lr
from litreview.io.references import fits_venue, parse_reference, split_references, union_references
from litreview.schema import to_frame

FIXTURES = Path(__file__).resolve().parents[2] / "shared" / "fixtures"
needs_fixtures = pytest.mark.skipif(not FIXTURES.is_dir(), reason="../shared/fixtures is absent")

A, B, C, D, E = "doi:10.1000/a", "arxiv:1201.00001", "title:c-paper", "title:deep-nets-for-cats", "doi:10.1000/e"


def plain(column: pd.Series) -> list:
    """A column's values with missing as None (the references table stores text as categoricals)."""
    return [None if pd.isna(v) else v for v in column]


def corpus() -> pd.DataFrame:
    rows = [
        {"id": A, "title": "Things paper", "year": 2010, "doi": "10.1000/a", "authors": ["Ann Alpha"],
         "venue": "Journal of Things", "references": ["doi:10.1000/e"], "source": "a.txt:1"},  # cites a later paper
        {"id": B, "title": "B paper", "year": 2012, "arxiv_id": "1201.00001", "authors": ["Bob Beta"],
         "references": ["ALPHA A, 2010, J THINGS, V1, P1", "Some X, 1990, OLD J, V2, P3"], "source": "b.txt:1"},
        {"id": C, "title": "C paper", "year": 2015, "authors": ["Cy Gamma"], "external_ids": ["openalex:W100"],
         "references": ["doi:10.1000/A", "arxiv:1201.00001", "SOME X, 1990, OLD J, V2, P3"], "source": "c.txt:1"},
        {"id": D, "title": "Deep nets for cats", "year": 2016, "authors": ["Di Delta"],
         "references": ["openalex:W100", "Alpha, A., Things paper (2010) Journal of Things, 1, pp. 1-2"],
         "source": "d.txt:1"},
        {"id": E, "title": "E paper", "year": 2018, "doi": "10.1000/e", "authors": ["Ed Eps"],
         "references": ["Delta, D., Deep nets for cats (2016) Conf, pp. 5-6", "https://openalex.org/W100",
                        "!!! ???", "doi:10.1000/e"], "source": "e.txt:1"},  # a junk string and itself
    ]
    return to_frame(rows)


def test_parse_wos_scopus_and_ids():
    assert parse_reference("AKAIKE H, 1974, IEEE T AUTOMAT CONTR, VAC19, P716, DOI 10.1109/TAC.1974.1100705") == {
        "doi": "10.1109/tac.1974.1100705", "first_author": "akaike", "year": 1974, "source": "IEEE T AUTOMAT CONTR",
        "volume": "AC19", "page": "716", "parsed": True}  # fmt: skip
    two_dois = "Dhillon IS, 2004, P 10 ACM SIGKDD INT, P551, DOI [10.1145/1014052.1014118, DOI 10.1145/1014052.1014118]"
    assert parse_reference(two_dois)["doi"] == "10.1145/1014052.1014118"
    assert parse_reference("Canny, J., A computational approach to edge detection (1986) IEEE Transactions on "
                           "Pattern Analysis and Machine Intelligence, PAMI-8 (6), pp. 679-698.") == {
        "year": 1986, "first_author": "canny", "title": "A computational approach to edge detection",
        "source": "IEEE Transactions on Pattern Analysis and Machine Intelligence", "page": "679", "parsed": True}
    assert parse_reference("openalex:W2741809807") == {"openalex_id": "W2741809807", "parsed": True}
    assert parse_reference("https://openalex.org/W100") == {"openalex_id": "W100", "parsed": True}
    assert parse_reference("s2:" + "ab" * 20) == {"s2_id": "ab" * 20, "parsed": True}
    assert parse_reference("arxiv:2106.09685v2") == {"arxiv_id": "2106.09685", "parsed": True}
    assert parse_reference("!!! ???") == {"parsed": False}
    assert parse_reference("Van der Merwe D, 2003, P IEEE C EV COMP, P215")["first_author"] == "vandermerwe"


def test_venue_abbreviations_fit_word_by_word():
    assert fits_venue("IEEE T AUTOMAT CONTR", "IEEE Transactions on Automatic Control")
    assert fits_venue("J THINGS", "Journal of Things")
    assert not fits_venue("J THINGS", "Things Journal")  # order matters
    assert not fits_venue("NEURAL COMPUT", "Neurocomputing")


def test_references_are_parsed_and_resolved_by_the_key_that_matches():
    refs = lr.references(corpus())
    assert len(refs) == 12
    assert refs["citing_id"].tolist() == [A, B, B, C, C, C, D, D, E, E, E, E]
    assert refs["position"].tolist() == [1, 1, 2, 1, 2, 3, 1, 2, 1, 2, 3, 4]
    assert refs["origin"].tolist()[:3] == ["a.txt:1", "b.txt:1", "b.txt:1"]
    assert list(zip(plain(refs["cited_id"]), plain(refs["matched_on"]))) == [
        (E, "doi"), (A, "author-year-source"), (None, None), (A, "doi"), (B, "arxiv"), (None, None),
        (C, "openalex"), (A, "title"), (D, "title"), (C, "openalex"), (None, None), (E, "doi")]  # fmt: skip
    assert refs["parsed"].tolist().count(False) == 1  # the junk string: kept, counted, not dropped
    assert refs.loc[refs["parsed"] == False, "reference"].tolist() == ["!!! ???"]  # noqa: E712


def test_a_corpus_with_papers_without_a_year_resolves_the_others():
    papers = corpus()
    undated = to_frame([{"id": "undated", "title": "Undated note", "authors": ["Ann Alpha"], "source": "f.bib:1"}])
    both = pd.concat([papers, undated], ignore_index=True)
    assert both["year"].dtype == "Int64" and both["year"].isna().sum() == 1  # (pd.NA: its truth value raises)
    refs = lr.references(both)
    assert plain(refs["cited_id"]) == plain(lr.references(papers)["cited_id"])


def test_no_references_gives_an_empty_table_with_the_columns():
    refs = lr.references(lr.load())
    assert refs.empty and list(refs.columns) == list(lr.references(corpus()).columns)
    assert lr.local_citations(lr.load(), refs)["local_citations"].sum() == 0
    assert lr.cocitation(refs).empty and lr.bibliographic_coupling(refs).empty and lr.rpys(refs).empty


def test_local_citations_leave_out_self_citations():
    papers = corpus()
    table = lr.local_citations(papers, lr.references(papers))
    assert dict(zip(table["id"], table["local_citations"])) == {A: 3, C: 2, B: 1, D: 1, E: 1}
    assert table["id"].tolist() == [A, C, B, E, D]  # most cited first, ties by id


def test_cocitation_counts_works_outside_the_corpus():
    refs = lr.references(corpus())
    pairs = lr.cocitation(refs)
    assert pairs[["work_a", "work_b", "papers"]].values.tolist() == [[A, "ref:some 1990 OLD J", 2]]
    assert pairs["strength"].iloc[0] == pytest.approx(2 / np.sqrt(3 * 2))
    works = lr.cited_works(refs)
    assert works.head(3)[["work", "papers", "in_corpus"]].values.tolist() == [
        [A, 3, True], ["ref:some 1990 OLD J", 2, False], [C, 2, True]]  # fmt: skip


def test_bibliographic_coupling():
    pairs = lr.bibliographic_coupling(lr.references(corpus()))
    # each pair once, its ids in sorted order; most shared first, then by id
    assert pairs[["paper_a", "paper_b", "shared_references"]].values.tolist() == [
        [B, C, 2], [B, D, 1], [E, D, 1], [C, D, 1]]  # fmt: skip
    assert pairs["strength"].iloc[0] == pytest.approx(2 / np.sqrt(2 * 3))


def test_main_path_survives_a_cycle_and_counts_search_paths():
    papers = corpus()
    table, path = lr.main_path(papers, lr.references(papers))
    spc = {(a, b): s for a, b, s in zip(table["cited_id"], table["citing_id"], table["spc"])}
    assert spc == {(A, B): 2, (A, C): 2, (B, C): 2, (A, D): 1, (C, D): 2, (C, E): 2, (D, E): 3, (E, A): 0}
    assert table.loc[~table["in_dag"], ["citing_id", "cited_id"]].values.tolist() == [[A, E]]
    assert table.loc[table["backward"], "citing_id"].tolist() == [A]  # 2010 cites 2018: flagged
    assert path == [A, B, C, D, E]


def test_rpys_counts_every_year():
    table = lr.rpys(lr.references(corpus()))
    assert table["year"].iloc[0] == 1990 and table["year"].iloc[-1] == 2016 and len(table) == 27
    counts = dict(zip(table["year"], table["references"]))
    assert (counts[1990], counts[2010], counts[2016], counts[2000]) == (2, 2, 1, 0)
    assert table.loc[table["year"] == 1990, "deviation"].item() == 2.0


def test_plots_draw_the_data():
    papers = corpus()
    refs = lr.references(papers)
    ax = lr.plot_rpys(lr.rpys(refs))
    assert [p.get_height() for p in ax.patches][:1] == [2] and ax.get_xlabel() == "cited year"
    assert list(ax.lines[0].get_xdata())[:2] == [1990, 1991]
    ax = lr.plot_local_citations(lr.local_citations(papers, refs), n=2)
    assert [p.get_width() for p in ax.patches] == [2, 3]  # drawn bottom-up: the most cited on top
    assert [t.get_text() for t in ax.get_yticklabels()] == ["C paper", "Things paper"]
    ax = lr.plot_historiograph(papers, refs)
    labels = sorted(t.get_text() for t in ax.texts if t.get_text())
    assert labels == ["Alpha 2010", "Beta 2012", "Delta 2016", "Eps 2018", "Gamma 2015"]
    assert len([t for t in ax.texts if not t.get_text()]) == 8  # arrows: the 8 edges that are not self-citations


def test_merged_records_keep_each_reference_once():
    wos = "Hochreiter S, 1997, NEURAL COMPUT, V9, P1735, DOI 10.1162/neco.1997.9.8.1735"
    scopus = "Hochreiter, S., Schmidhuber, J., Long short-term memory (1997) Neural Computation, 9 (8), pp. 1735-1780."
    other = "Bengio Y, 2013, IEEE T PATTERN ANAL, V35, P1798"
    assert union_references([[wos, other], [scopus, other]]) == [wos, other]
    scopus_with_doi = scopus + " , https://doi.org/10.1162/neco.1997.9.8.1735"
    assert union_references([[wos], [scopus_with_doi]]) == [wos]


def test_vosviewer_export_of_cocitation(tmp_path):
    refs = lr.references(corpus())
    map_path, network_path = lr.write_vosviewer(lr.cocitation(refs), lr.cited_works(refs),
                                                tmp_path / "map.txt", tmp_path / "network.txt")
    assert network_path.read_text().strip().split("\n") == ["1\t2\t2"]  # A (3 papers) and the 1990 paper (2)
    # each work named as its references write it (VOSviewer showed the keys: doi:10.1000/a, ref:some 1990 OLD J)
    assert map_path.read_text().splitlines()[:4] == [
        "id\tlabel\tweight<Occurrences>", '1\t"ALPHA A, 2010, J THINGS, V1, P1"\t3',
        '2\t"Some X, 1990, OLD J, V2, P3"\t2', "3\topenalex:W100\t2"]  # (named by an id alone: the id)


@needs_fixtures
def test_wos_export_every_cr_line_kept_and_local_citations_match_the_dois():
    path = FIXTURES / "citations" / "wos_kmeans_clustering.txt"
    text = path.read_text(encoding="utf-8-sig")
    papers = lr.load(path, merge=False)
    declared = [int(n) for n in re.findall(r"^NR (\d+)", text, re.M)]
    assert papers["references"].map(len).tolist() == declared  # each record's NR equals its CR lines
    assert sum(declared) == 14151
    refs = lr.references(papers)
    # independent count: CR lines that carry the DOI of another record of the file
    dois = {d.lower() for d in re.findall(r"^DI (\S+)", text, re.M)}
    carrying = [m.lower() for m in re.findall(r"DOI (10\.\S+?)(?:,|\]|$)", text, re.M) if m.lower() in dois]
    assert len(carrying) == 407
    assert (refs["matched_on"] == "doi").sum() == 407


@needs_fixtures
def test_scopus_export_every_reference_kept():
    import csv

    path = FIXTURES / "citations" / "scopus_gui_testing.csv"
    csv.field_size_limit(10**9)
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    papers = lr.load(path, merge=False)
    cells = [[r.strip() for r in row["References"].strip().split("; ") if r.strip()] for row in rows]
    assert ["; ".join(refs) for refs in papers["references"]] == ["; ".join(cell) for cell in cells]  # nothing lost
    # 27 references hold "; " (10 in a title, 17 in brackets: "[Online; accessed September 2019]"): one each
    assert sum(map(len, cells)) - papers["references"].map(len).sum() == 27
    counts = [int(row["Cited by"]) if row["Cited by"] else None for row in rows]
    assert [None if pd.isna(c) else int(c) for c in papers["citation_count"]] == counts
    refs = lr.references(papers)
    assert len(refs) == 11949
    # bare links, product names and notes (3.6%): kept as given and counted, never dropped (385 before a
    # fragment without a comma, "Springer: Berlin/Heidelberg, Germany" aside, stopped counting as an author)
    assert (~refs["parsed"]).sum() == 415  # (431 while "accessed September 2019]" was a reference of its own)
    assert refs.loc[~refs["parsed"], "reference"].str.contains("http").sum() > 200


SPLIT_CELL = (
    "Bauersfeld, S., Vos, T.E.J., User interface level testing with TESTAR; what about more sophisticated action "
    "specification and selection? (2014) SATToSE, pp. 60-78; "
    "Joorabchi, M.E., Mesbah, A., Real Challenges in Mobile App Development Proceedings of ESEM 2013; "
    "Glaser, B.G., Strauss, A.L., The discovery of grounded theory; strategies for qualitative research (1968) Nurs "
    "Res, 17 (4), p. 364; "
    "Memon, A., GUI testing; "
    "Espresso, , https://developer.android.com/training/testing/espresso, [Online; accessed 11-February-2019]; "
    "Monkey (2019) Android Developers; "
    "Lee, K., Maps of things (Abstract only; "
    "(2003) WINE Daily Builds, , http://wine.dataparty.no/"
)
SPLIT_REFS = [
    "Bauersfeld, S., Vos, T.E.J., User interface level testing with TESTAR; what about more sophisticated action "
    "specification and selection? (2014) SATToSE, pp. 60-78",
    "Joorabchi, M.E., Mesbah, A., Real Challenges in Mobile App Development Proceedings of ESEM 2013",
    "Glaser, B.G., Strauss, A.L., The discovery of grounded theory; strategies for qualitative research (1968) Nurs "
    "Res, 17 (4), p. 364",
    "Memon, A., GUI testing",  # (a title without a year, then a work without authors: two references)
    "Espresso, , https://developer.android.com/training/testing/espresso, [Online; accessed 11-February-2019]",
    "Monkey (2019) Android Developers",
    "Lee, K., Maps of things (Abstract only",  # (a bracket no later piece closes: cut there)
    "(2003) WINE Daily Builds, , http://wine.dataparty.no/",
]


def test_a_title_holding_a_semicolon_stays_one_reference(tmp_path):
    # Scopus joins references with "; ": "...testing with TESTAR; what about ..." was two references, neither
    # the TESTAR paper's
    assert split_references(SPLIT_CELL) == SPLIT_REFS
    assert split_references("ALPHA A, 2010, J THINGS, V1, P1; SOME X, 1990, OLD J, V2, P3") == [
        "ALPHA A, 2010, J THINGS, V1, P1", "SOME X, 1990, OLD J, V2, P3"]  # fmt: skip
    (tmp_path / "scopus.csv").write_text(f"Title,Year,References\nA study,2020,\"{SPLIT_CELL}\"\n")
    ris = f"TY  - JOUR\nTI  - A study\nPY  - 2020\nN1  - References: {SPLIT_CELL}\nER  - \n"
    (tmp_path / "scopus.ris").write_text(ris)
    bib = f"@article{{a, title={{A study}}, year={{2020}}, references={{{SPLIT_CELL}}}}}"
    (tmp_path / "scopus.bib").write_text(bib)
    for name in ("scopus.csv", "scopus.ris", "scopus.bib"):
        assert lr.load(tmp_path / name)["references"].iloc[0] == SPLIT_REFS, name
    parts = parse_reference(SPLIT_REFS[0])
    assert (parts["title"], parts["year"]) == (
        "User interface level testing with TESTAR; what about more sophisticated action specification and selection?",
        2014)  # fmt: skip


@needs_fixtures
def test_the_scopus_export_cites_its_testar_paper_by_its_whole_title():
    papers = lr.load(FIXTURES / "citations" / "scopus_gui_testing.csv")
    refs = lr.references(papers)
    testar = papers.loc[papers["title"].str.startswith("User interface level testing with testar;"), "id"].item()
    cites = refs.loc[refs["cited_id"] == testar]
    assert len(cites) == 8 and set(cites["matched_on"]) == {"title"}  # (1 before, by title-near)
    assert (len(refs), refs["cited_id"].notna().sum()) == (11926, 2134)  # (11,953 and 2,127 before)


@needs_fixtures
def test_the_fast_wos_path_parses_as_the_full_parser():
    import csv

    from litreview.io.references import PART_COLUMNS, parse_references

    text = (FIXTURES / "citations" / "wos_kmeans_clustering.txt").read_text(encoding="utf-8-sig")
    strings = sorted(set(re.findall(r"^(?:CR|  ) (\S.*)$", text, re.M)))
    csv.field_size_limit(10**9)
    with open(FIXTURES / "citations" / "scopus_gui_testing.csv", encoding="utf-8-sig", newline="") as handle:
        strings += sorted({r.strip() for row in csv.DictReader(handle) for r in row["References"].split("; ")} - {""})
    rows = parse_references(strings).to_dict("index")  # one row per string (a unique index)
    for string in strings:
        row = rows[string]
        got = {c: row[c] for c in PART_COLUMNS if row[c] is not None}
        assert {**got, "parsed": bool(row["parsed"])} == parse_reference(string), string


@needs_fixtures
def test_openalex_and_semantic_scholar_references():
    works = lr.load(FIXTURES / "openalex" / "paper-extract_openalex_works.json")
    assert works["references"].map(len).tolist() == [59, 453, 60]
    assert works["references"].iloc[0][0] == "openalex:W1504222414"
    assert works["citation_count"].tolist() == [771, 2296, 1878]
    paper = lr.load(FIXTURES / "s2" / "semanticscholar_Paper.json")
    assert len(paper["references"].iloc[0]) == 14 and paper["citation_count"].iloc[0] == 10059
    # the nested reference's title and year are kept beside its identifier: a report names the work, RPYS counts it
    assert paper["references"].iloc[0][0] == "Calculating Instruments and Machines (1951) [doi:10.2307/3610576]"
    refs = lr.references(paper)
    first = refs.iloc[0]
    assert (first["doi"], first["title"], first["year"]) == ("10.2307/3610576", "Calculating Instruments and Machines",
                                                             1951)
    assert refs["year"].notna().sum() > 2
    # three of the four footnote fragments S2 lists as references are kept as given, not parsed (the fourth has a
    # comma: its opening reads as an author)
    assert refs.loc[~refs["parsed"], "reference"].str.len().min() > 30 and (~refs["parsed"]).sum() == 3
    assert lr.cited_works(refs)["label"].str.startswith("doi:").sum() == 0


def test_the_shipped_example_resolves_across_styles():
    """data/examples/wos_peft_citations.txt: eight PEFT papers citing each other (the citation_report default)."""
    papers = lr.load(Path(__file__).resolve().parents[1] / "data" / "examples" / "wos_peft_citations.txt")
    refs = lr.references(papers)
    assert len(papers) == 8 and len(refs) == 35
    assert refs["matched_on"].value_counts().to_dict() == {"author-year-source": 16, "doi": 3}
    table = lr.local_citations(papers, refs)
    assert table[["title", "local_citations"]].head(3).values.tolist() == [
        ["Parameter-Efficient Transfer Learning for NLP", 7],
        ["Prefix-Tuning: Optimizing Continuous Prompts for Generation", 4],
        ["The Power of Scale for Parameter-Efficient Prompt Tuning", 3],
    ]
    _, path = lr.main_path(papers, refs)
    titles = dict(zip(papers["id"], papers["title"]))
    assert [titles[i].split(":")[0] for i in path] == [
        "Parameter-Efficient Transfer Learning for NLP", "Prefix-Tuning", "The Power of Scale for Parameter-Efficient "
        "Prompt Tuning", "LoRA", "Few-Shot Parameter-Efficient Fine-Tuning is Better and Cheaper than In-Context "
        "Learning", "QLoRA"]  # fmt: skip


def test_references_round_trip_through_the_csv_export(tmp_path):
    papers = lr.load(Path(__file__).resolve().parents[1] / "data" / "examples" / "wos_peft_citations.txt")
    lr.export(papers, tmp_path / "out.csv")
    back = lr.load(tmp_path / "out.csv")
    assert back["references"].tolist() == papers["references"].tolist()
    assert back["external_ids"].tolist() == papers["external_ids"].tolist()


def test_citation_sections_say_plainly_when_there_are_no_references():
    from litreview.report import citation_sections as cit

    papers = lr.load()
    refs = lr.references(papers)
    assert repr(cit.citation_summary(papers, refs)) == cit.NO_REFERENCES  # said once, in full
    for section in (cit.most_cited_section(papers, refs), cit.foundations_table(refs), cit.cocitation_table(refs),
                    cit.historiograph_section(papers, refs), cit.main_path_table(papers, refs),
                    cit.rpys_section(refs)):
        assert repr(section) == "Nothing to show: no references (see above)."
    tagged = lr.tag(papers)
    assert "carry no cited references" in repr(cit.builds_on_section(papers, lr.has_topic(tagged, "peft"), "PEFT"))


def test_long_cited_work_labels_are_cut_at_a_word_in_the_tables():
    from litreview.report import citation_sections as cit

    title = "(2015) TensorFlow: Large-scale machine learning on heterogeneous systems, software available from " \
        "tensorflow.org"
    authors = "Abadi, M., Agarwal, A., Barham, P., Brevdo, E., Chen, Z., Citro, C., Corrado, G.S., "
    assert cit.short_label(authors + title) == ("Abadi, M., et al., (2015) TensorFlow: Large-scale machine learning "
                                                "on heterogeneous systems, …")  # (cut at the word at 100)
    short = "MacQueen J., 1967, P 5 BERK S MATH STAT, P281"
    assert cit.short_label(short) == short
    assert len(cit.short_label("x" * 300)) == 102  # (no space to cut at: 100 characters and the mark)


def test_citation_sections_on_the_example():
    from litreview.report import citation_sections as cit

    papers = lr.load(Path(__file__).resolve().parents[1] / "data" / "examples" / "wos_peft_citations.txt")
    refs = lr.references(papers)
    assert repr(cit.citation_summary(papers, refs)) == (
        "All 8 papers carry 35 references in all; 19 references name a paper of the corpus.")
    path = cit.main_path_table(papers, refs)
    assert path.frame["step"].tolist() == [1, 2, 3, 4, 5, 6] and path.frame["year"].tolist()[0] == 2019
    assert "Years that stand out from their neighbours: 2019, 2021." in repr(cit.rpys_section(refs))
    builds_on = repr(cit.builds_on_section(papers, [True] * 4 + [False] * 4, "PEFT"))
    assert builds_on.startswith("4 papers of the 4 carry") or builds_on.startswith("All 4 papers carry")
    one = papers.iloc[:1]
    assert repr(cit.citation_summary(one, refs[refs["citing_id"] == one["id"].iloc[0]])).startswith(
        "The paper carries ")  # (not "All 1 paper carry")


def test_a_placeholder_doi_names_no_work():
    from litreview.io.references import parse_reference

    dummy = parse_reference("MacQueen J., 1967, P 5 BERK S MATH STAT, V1, P281, DOI DOI 10.1234/12345678")
    assert "doi" not in dummy and (dummy["first_author"], dummy["year"]) == ("macqueen", 1967)
    assert parse_reference("Lloyd S., 1982, IEEE T INFORM THEORY, V28, P129, DOI DOI 10.1109/TIT.1982.1056489")[
        "doi"] == "10.1109/tit.1982.1056489"


@needs_fixtures
def test_the_works_a_field_builds_on_are_not_joined_by_a_placeholder_doi():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        papers = lr.load(FIXTURES / "citations" / "wos_kmeans_clustering.txt", progress=False)
    works = lr.cited_works(lr.references(papers))
    assert works["work"].tolist()[:3] == ["ref:macqueen 1967 P 5 BERK S MATH STAT", "doi:10.1145/331499.331504",
                                          "ref:jain 1988 ALGORITHMS CLUSTERIN"]
    # (MacQueen's two spellings were 77 and 47, apart; 123 together; 137 with the forms that name the
    # proceedings otherwise, "5TH P BERK S MATH ST", at the same page 281)
    assert works["papers"].tolist()[:3] == [137, 54, 47]
    assert not works["work"].str.startswith("doi:10.1234/").any()
    assert not works["label"].str.contains("5TH P BERK S MATH ST", regex=False).any()


def test_references_of_one_author_year_and_first_page_are_one_work():
    from litreview.io.references import reference_key

    refs = pd.DataFrame({
        "reference": ["a", "b", "c", "d", "e", "f"],
        "first_author": ["macqueen", "macqueen", "macqueen", "macqueen", "smith", "smith"],
        "year": pd.array([1967, 1967, 1967, 1968, 2001, 2001], dtype="Int64"),
        "source": ["P 5 BERK S MATH STAT", "5TH P BERK S MATH ST", "P 5 BERK S MATH STAT", "P 5 BERK S MATH STAT",
                   "J A", "J B"],
        "page": ["281", "281", None, "281", "1", "1"],
        "cited_id": None, "doi": [None, None, None, None, None, "10.1/x"], "arxiv_id": None, "openalex_id": None,
        "s2_id": None, "title": None,
    })
    assert reference_key(refs).tolist() == [
        "ref:macqueen 1967 P 5 BERK S MATH STAT",  # page 281: one work with b's form, the key most of them have
        "ref:macqueen 1967 P 5 BERK S MATH STAT",
        "ref:macqueen 1967 P 5 BERK S MATH STAT",  # (no page: by its parts, as before)
        "ref:macqueen 1968 P 5 BERK S MATH STAT",  # another year
        "ref:smith 2001 J A", "doi:10.1/x",  # page 1 says too little to join two works
    ]
    # a common surname's papers of one year at one page: identified works never join, nor do two journals
    papers = pd.DataFrame({"id": ["p1", "p2", "p3", "p4"], "source": ["w:1", "w:2", "w:3", "w:4"], "references": [
        ["WANG Y, 2015, NATURE, V521, P436, DOI 10.1038/nature14539"],
        ["WANG Y, 2015, SCIENCE, V349, P436, DOI 10.1126/science.aaa8415"],
        ["WANG Y, 2015, PHYS REV LETT, V114, P436"], ["WANG Y, 2015, PHYS REV B, V114, P436"]]})
    assert reference_key(lr.references(papers)).tolist() == [
        "doi:10.1038/nature14539", "doi:10.1126/science.aaa8415", "ref:wang 2015 PHYS REV LETT",
        "ref:wang 2015 PHYS REV B"]


def test_cited_works_with_the_papers_names_a_corpus_work_cited_by_its_id_by_title_and_year():
    from litreview.report import citation_sections as cit

    papers = to_frame([
        {"id": "w1", "title": "Attention is all you need", "year": 2017, "external_ids": ["openalex:W2963403868"],
         "references": [], "source": "works.json:1"},
        {"id": "w2", "title": r"Learning Deep $\ell_0$ Encoders", "external_ids": ["openalex:W2"],
         "references": ["openalex:W2963403868", "openalex:W1"], "source": "works.json:2"},  # (no year)
        {"id": "w3", "title": "Later still", "year": 2020, "external_ids": ["openalex:W3"], "source": "works.json:3",
         "references": ["openalex:W2963403868", "openalex:W1", "openalex:W2"]},
    ])
    refs = lr.references(papers)
    # (a library user saw "openalex:W2963403868" where the citation report showed the title and year)
    assert lr.cited_works(refs)["label"].tolist() == ["openalex:W1", "openalex:W2963403868", "openalex:W2"]
    works = lr.cited_works(refs, papers)
    assert works.drop(columns="label").equals(lr.cited_works(refs).drop(columns="label"))
    assert works[["work", "label"]].values.tolist() == [
        ["openalex:W1", "openalex:W1"],  # (outside the corpus: its id)
        ["w1", "Attention is all you need (2017)"],
        ["w2", "Learning Deep ℓ_0 Encoders"],  # (its title read as the reports show it; no year, none written)
    ]
    # a work some reference writes out keeps that text (the report's choice too)
    written = refs.assign(reference=refs["reference"].astype(object).where(
        refs["reference"] != "openalex:W2", "Deep, L., Learning Deep Encoders (2018) ICML"))
    assert lr.cited_works(written, papers)["label"].tolist()[2] == "Deep, L., Learning Deep Encoders (2018) ICML"
    # the report names them the same way (one code)
    shown = cit.foundations_table(refs, papers=papers).frame.iloc[:, 0].tolist()
    assert shown == works["label"].tolist()
    assert lr.cited_works(refs.iloc[:0], papers).empty
    with pytest.raises(TypeError, match="papers must be the papers table"):
        lr.cited_works(refs, papers["id"])
