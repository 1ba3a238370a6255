"""PubMed's MEDLINE text (.nbib): what each record gives, damaged records, and merging with another export."""

import json
import textwrap
import warnings

import pytest

import litreview as lr
from litreview.io.readers import detect_format, medline

NBIB = textwrap.dedent("""\
    PMID- 38012345
    OWN - NLM
    DP  - 2023 Jan-Feb
    TI  - Methylphenidate for attention-deficit/hyperactivity disorder in adults: a
          randomized trial.
    LID - 10.1177/1087054722112345 [doi]
    AB  - BACKGROUND: Adults with ADHD were given methylphenidate or placebo. RESULTS:
          Symptoms fell more with methylphenidate.
    FAU - Smith, John A
    AU  - Smith JA
    AD  - Department of Psychiatry.
    FAU - Doe, Anna
    AU  - Doe A
    CN  - ADHD Trials Group
    PT  - Journal Article
    PT  - Randomized Controlled Trial
    TA  - J Atten Disord
    JT  - Journal of attention disorders
    MH  - Adult
    MH  - *Attention Deficit Disorder with Hyperactivity/drug therapy
    MH  - Methylphenidate/*therapeutic use
    OT  - ADHD
    OT  - Adult
    AID - 10.1177/1087054722112345 [doi]
    AID - 123456 [pii]

    PMID- 37999999
    DP  - 2022 Spring
    TI  - Atomoxetine and sleep.
    AU  - Brown K
    TA  - Sleep Med
    PT  - Letter
    """)


def test_a_medline_record_gives_every_field_it_holds(tmp_path):
    path = tmp_path / "pubmed.nbib"
    path.write_text(NBIB, encoding="utf-8")
    assert detect_format(NBIB) == "medline" and detect_format("PMID- 1\n", ".nbib") == "medline"
    papers = lr.load(path, progress=False)
    first, second = papers.to_dict("records")
    assert first["title"] == ("Methylphenidate for attention-deficit/hyperactivity disorder in adults: a randomized "
                              "trial")  # (MEDLINE's closing full stop left out)
    assert first["abstract"] == ("BACKGROUND: Adults with ADHD were given methylphenidate or placebo. RESULTS: "
                                 "Symptoms fell more with methylphenidate.")
    assert first["authors"] == ["John A Smith", "Anna Doe", "ADHD Trials Group"]
    assert (first["year"], first["month"], first["venue"]) == (2023, 1, "Journal of attention disorders")
    assert (first["id"], first["doi"], first["entry_type"]) == (
        "doi:10.1177/1087054722112345", "10.1177/1087054722112345", "Journal Article")
    assert first["keywords"] == ["ADHD", "Adult", "Attention Deficit Disorder with Hyperactivity", "Methylphenidate"]
    assert (first["external_ids"], first["url"]) == (["pmid:38012345"], "https://pubmed.ncbi.nlm.nih.gov/38012345/")
    assert (first["source"], first["quality_flags"]) == (f"{path}:1", [])
    # abbreviated names become initials first, as Scopus's read; a season names no month; no abstract is flagged
    assert (second["authors"], second["year"], second["month"], second["venue"]) == (["K. Brown"], 2022, None,
                                                                                      "Sleep Med")
    assert (second["source"], second["quality_flags"]) == (f"{path}:27", ["no-abstract"])


def test_damaged_medline_records_are_named_by_file_and_line():
    text = NBIB + textwrap.dedent("""\

        PMID- 37000001
        DP  - 2021
        AU  - Gray Z

        TI  - A record whose PMID line was lost
        a line that is no tag
        DP  - 2020
        """)
    result = medline.read(text, "pubmed.nbib")
    assert [r["title"] for r in result.records][2:] == ["A record whose PMID line was lost a line that is no tag"]
    assert [(p.line, p.severity, p.message) for p in result.problems] == [
        (34, "error", "MEDLINE record has no title, abstract or DOI; skipped"),
        (39, "warning", "line 'a line that is no tag' is not a MEDLINE tag line; read as more of TI"),
        (38, "warning", "MEDLINE record opens with TI, not PMID; read all the same"),
    ]
    empty = medline.read("\n\n", "empty.nbib")
    assert [(p.line, p.severity, p.message) for p in empty.problems] == [
        (None, "error", "no MEDLINE records found (no line starts with 'PMID- ')")]


@pytest.mark.parametrize("title, expected", [
    ("Safety and Efficacy of the BNT162b2 mRNA Covid-19 Vaccine.", "Safety and Efficacy of the BNT162b2 mRNA Covid-19 "
                                                                  "Vaccine"),
    ("[Methylphenidate in adults: a systematic review].", "[Methylphenidate in adults: a systematic review]"),
    ("Is methylphenidate safe?", "Is methylphenidate safe?"),
    ("Waiting for the next trial...", "Waiting for the next trial..."),
])
def test_a_medline_title_loses_the_full_stop_medline_closes_it_with(title, expected):
    # the title was kept with it ("... Vaccine."), and a citation style adds its own: "Vaccine.."
    [record] = medline.read(f"PMID- 1\nTI  - {title}\n", "x.nbib").records
    assert record["title"] == expected


def test_a_medline_pmc_tag_gives_the_pubmed_central_id_and_mid_the_nih_manuscript_id():
    # (MID, the NIH manuscript id, was not read; PubMed's CSV gives it as NIHMS ID)
    [record] = medline.read("PMID- 33301246\nTI  - A trial.\nPMC - PMC7745181\nMID - NIHMS1654321\n",
                            "x.nbib").records
    assert record["external_ids"] == ["pmid:33301246", "pmcid:PMC7745181", "nihms:NIHMS1654321"]


def test_records_with_no_blank_line_between_them_are_each_read():
    # the second record was read as more of the first (a second PMID), so it was dropped without a word
    result = medline.read("PMID- 1\nTI  - First paper.\nAU  - Smith J\nPMID- 2\nTI  - Second paper.\n"
                          "PMID- 3\nTI  - Third paper.\n\nPMID- 4\nTI  - Fourth paper.\n", "x.nbib")
    assert [(r["title"], r["external_ids"], r["source"]) for r in result.records] == [
        ("First paper", ["pmid:1"], "x.nbib:1"), ("Second paper", ["pmid:2"], "x.nbib:4"),
        ("Third paper", ["pmid:3"], "x.nbib:6"), ("Fourth paper", ["pmid:4"], "x.nbib:9")]
    assert [(p.line, p.severity, p.message) for p in result.problems] == [
        (line, "warning", "a PMID line with no blank line before it; read as the start of the next record")
        for line in (4, 6)]


def test_a_pubmed_record_merges_with_the_same_paper_from_scopus(tmp_path):
    (tmp_path / "pubmed.nbib").write_text(NBIB, encoding="utf-8")
    (tmp_path / "scopus.ris").write_text(
        "TY  - JOUR\nTI  - Methylphenidate for attention-deficit/hyperactivity disorder in adults: a randomized trial\n"
        "DO  - 10.1177/1087054722112345\nPY  - 2023\nER  - \n", encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        papers = lr.load([tmp_path / "scopus.ris", tmp_path / "pubmed.nbib"], progress=False)
    assert len(papers) == 2
    merged = papers.iloc[0]
    # (MEDLINE, a curated database's record, ranks before RIS: its fields are taken first)
    assert [p.rsplit("/", 1)[-1] for p in merged["provenance"]] == ["pubmed.nbib:1", "scopus.ris:1"]
    assert merged["external_ids"] == ["pmid:38012345"] and merged["abstract"].startswith("BACKGROUND")


def test_medline_names_keep_their_suffix_and_accented_initials():
    # "Frenck, Robert W Jr" was "Robert W Jr Frenck"; "Türeci Ö" and "Frenck RW Jr" were kept as written
    text = ("PMID- 33301246\nTI  - A vaccine trial.\nFAU - Frenck, Robert W Jr\nAU  - Frenck RW Jr\n"
            "FAU - Türeci, Özlem\nAU  - Türeci Ö\nCN  - C4591001 Clinical Trial Group\n\n"
            "PMID- 2\nTI  - Abbreviated names only.\nAU  - Frenck RW Jr\nAU  - Türeci Ö\nAU  - Smith J 3rd\n")
    first, second = medline.read(text, "x.nbib").records
    assert first["authors"] == ["Robert W Frenck Jr", "Özlem Türeci", "C4591001 Clinical Trial Group"]
    assert second["authors"] == ["R.W. Frenck Jr", "Ö. Türeci", "J. Smith 3rd"]


def test_medline_entry_types_and_retraction_flags(tmp_path):
    # the entry type was the first PT: "Clinical Trial, Phase II", "English Abstract", a chapter's "Review" (so
    # exported as @article); a retracted trial, its retraction notice and an erratum were not told apart
    text = textwrap.dedent("""\
        PMID- 1
        TI  - A trial.
        PT  - Clinical Trial, Phase II
        PT  - Journal Article
        PT  - Retracted Publication
        RIN - J Atten Disord. 2022;26(5):800. PMID: 2

        PMID- 2
        TI  - Retraction Notice: A trial.
        PT  - Retraction of Publication

        PMID- 3
        TI  - Erratum: A trial.
        PT  - Published Erratum

        PMID- 4
        BTI - StatPearls
        TI  - Attention Deficit Hyperactivity Disorder
        PT  - Review
        PT  - Book Chapter

        PMID- 5
        TI  - A trial whose retraction is only cited.
        AB  - Patients with ADHD were given methylphenidate; symptoms fell.
        RIN - Lancet. 2020;395:1820. PMID: 6
        """)
    path = tmp_path / "pubmed.nbib"
    path.write_text(text, encoding="utf-8")
    papers = lr.load(path, progress=False)
    assert papers["entry_type"].tolist() == ["Journal Article", "Retraction of Publication", "Published Erratum",
                                             "Book Chapter", None]
    assert papers["quality_flags"].tolist() == [["no-abstract", "retracted"], ["no-abstract", "retraction-notice"],
                                                ["no-abstract", "erratum"], ["no-abstract"], ["retracted"]]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        lr.export(papers.iloc[[3]], tmp_path / "chapter.bib")
    assert (tmp_path / "chapter.bib").read_text(encoding="utf-8").startswith("@incollection{")


@pytest.mark.parametrize("head, expected", [
    ("PMID- 1\nTI  - A title\n", True),
    ("PMID- 1\nOWN - NLM\nFAU - Doe, Anna\n", True),
    ("PMID- 1\n", False),  # (no title or author yet: the file's name ending decides)
    ("TY  - JOUR\nTI  - A title\n", False),
    ("PT J\nAU Kim, S\nTI A title\n", False),
])
def test_medline_is_sniffed_by_its_pmid_line_and_a_field(head, expected):
    assert medline.sniff(head) is expected


def test_a_medline_record_merged_with_pubmed_csv_rows_keeps_its_entry_type(tmp_path):
    # the merged paper took key, entry type and source fields from the CSV row (whose fields the export writes
    # back), and a PubMed CSV row has no type: the MEDLINE record's "Journal Article" was lost (exported as @misc)
    (tmp_path / "pubmed.nbib").write_text(NBIB, encoding="utf-8")
    (tmp_path / "pubmed.csv").write_text(
        "PMID,Title,Authors,Journal/Book,Publication Year,DOI\n"
        "38012345,Methylphenidate for ADHD in adults: a randomized trial.,Smith J,J Atten Disord,2023,"
        "10.1177/1087054722112345\n37999999,Atomoxetine and sleep.,Brown K.,Sleep Med,2022,\n", encoding="utf-8")
    papers = lr.load([tmp_path / "pubmed.nbib", tmp_path / "pubmed.csv"], progress=False)
    assert papers["provenance"].map(len).tolist() == [2, 2]
    assert papers["entry_type"].tolist() == ["Journal Article", "Letter"]
    assert [f["format"] for f in papers["source_fields"].map(json.loads)] == ["csv", "csv"]  # (still written back)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        lr.export(papers.iloc[[0]], tmp_path / "merged.bib")
    assert (tmp_path / "merged.bib").read_text(encoding="utf-8").startswith("@article{")
