"""Table readers (CSV, JSON records, Excel, Parquet), their shared column mapping, and the CSV writer."""

import csv
import io
import json
import warnings
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from conftest import modelled
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import litreview as lr
from litreview.io.load import decode_text
from litreview.io.readers import csv as csv_reader
from litreview.io.readers import detect_format, excel, json_records, parquet
from litreview.io.readers.base import Problem
from litreview.io.readers.cells import people, terms
from litreview.io.readers.columns import map_columns, normalize_name
from litreview.io.writers import csv as csv_writer
from litreview.schema import COLUMNS, to_frame

FIXTURES = Path(__file__).resolve().parents[2] / "shared" / "fixtures"
needs_fixtures = pytest.mark.skipif(not FIXTURES.is_dir(), reason="../shared/fixtures is not beside this checkout")

PROMPT_REPORT = "tables/prompt_report_arxiv_papers_with_abstract.csv"
LITSTUDY = "tables/litstudy_scopus.csv"
COLM = "tables/paperlists_colm2024.json"
NEURIPS = "tables/neurips"
NEURIPS_COUNTS = {
    1987: 90, 1988: 94, 1989: 101, 1990: 143, 1991: 144, 1992: 127, 1993: 158, 1994: 140,
    1995: 152, 1996: 152, 1997: 150, 1998: 151, 1999: 150, 2000: 152, 2001: 197, 2002: 207,
}  # fmt: skip

UNPLACED_HINT = "; name one with columns={'<column>': '<field>'}, or None to ignore it"


def fixture_text(name: str) -> str:
    # the loader's decoding: BOM removed, \n line ends
    return decode_text((FIXTURES / name).read_bytes())


def problems(result, severity: str) -> list[str]:
    return [str(p) for p in result.problems if p.severity == severity]


def line_of(record: dict) -> int:
    return int(record["source"].rsplit(":", 1)[1])


# --------------------------------------------------------------------------- fixtures: CSV


@needs_fixtures
def test_prompt_report_csv():
    text = fixture_text(PROMPT_REPORT)
    result = csv_reader.read(text, "pr.csv")
    assert len(result.records) == 1661
    assert [(p.severity, str(p)) for p in result.problems] == [
        ("note", "pr.csv:1: 1 column not read, no field recognised: 'pdf_titles'" + UNPLACED_HINT)
    ]  # the one column the reader cannot place is named, not dropped without a word
    first = result.records[0]
    assert first["title"] == (
        '"Do Anything Now": Characterizing and Evaluating In-The-Wild Jailbreak Prompts on Large Language Models'
    )  # the doubled quotes undone, the wrap's double space collapsed
    assert first["abstract"].startswith(
        "The misuse of large language models (LLMs) has garnered significant attention\n"
    )
    assert first["abstract"].endswith("promoting safer and\nregulated LLMs.")
    assert {k: v for k, v in modelled(first).items() if k not in ("title", "abstract")} == {
        "authors": ["Xinyue Shen"],
        "year": 2023,
        "month": 8,
        "arxiv_id": "2308.03825",
        "arxiv_version": 1,
        "url": "http://arxiv.org/pdf/2308.03825v1.pdf",
        "keywords": ["cs.cr", "cs.lg"],
        "quality_flags": ["authors-incomplete"],  # the file gives the first author only
        "source": "pr.csv:2",
    }
    # multi-line quoted abstracts: each row's source is the physical line where it starts
    assert result.records[1]["title"] == "Jailbreaking ChatGPT via Prompt Engineering: An Empirical Study"
    assert result.records[1]["source"] == "pr.csv:24"
    assert result.records[-1]["source"] == "pr.csv:30269"
    assert result.records[-1]["keywords"] == ["cs.ir", "cs.ai"]
    lines = text.split("\n")
    for record in result.records:
        first_word = record["title"].lstrip('"').split()[0]
        assert first_word in lines[line_of(record) - 1], record["source"]
    assert all(r["arxiv_id"] and r["year"] >= 2000 and r["month"] for r in result.records)


@needs_fixtures
def test_litstudy_scopus_csv_old_layout():
    result = csv_reader.read(fixture_text(LITSTUDY), "scopus.csv")
    assert len(result.records) == 58
    assert problems(result, "error") == []
    # The header lacks a name (Funding Text 2): 56 rows have one field more than it, after Funding Text 1, so
    # their References, Document Type and EID are read one column further on (a note, not 56 warnings).
    [unplaced, realigned] = problems(result, "note")
    assert problems(result, "warning") == []
    # ("Document Type" is the entry type)
    assert unplaced.startswith("scopus.csv:1: 21 columns not read, no field recognised: 'Author(s) ID', 'Art. No.',")
    assert realigned == (
        "scopus.csv:4: 56 rows have 1 field more than the header, which names no 'Funding Text 2' (Scopus writes "
        "one column per funding text): read as 'Funding Text 2', after 'Funding Text 1', which puts each row's "
        "Scopus id under EID")
    assert not any("extra-fields" in r.get("quality_flags", []) for r in result.records)
    assert all(r["external_ids"][-1].startswith("scopus:2-s2.0-") for r in result.records)
    assert sum(r["external_ids"][0].startswith("pmid:") for r in result.records) == 24  # (the PubMed ID column)
    mufins = next(r for r in result.records if r["title"].startswith("MUFINS"))
    assert mufins["entry_type"] == "Article"  # (was the journal's abbreviation, one column early)
    assert mufins["references"][0].startswith("Gillespie, D.T., Exact stochastic simulation")  # (was the funding)
    fields = dict(json.loads(mufins["source_fields"])["fields"])
    assert fields["EID"] == "2-s2.0-85030102047"
    assert fields["Funding Text 2"].startswith("Development of MUFINS was funded by BBSRC")  # (as Funding Text 1)
    first = result.records[0]
    assert first["authors"] == [
        "J.C. Phillips", "R. Braun", "W. Wang", "J. Gumbart", "E. Tajkhorshid", "E. Villa", "C. Chipot",
        "R.D. Skeel", "L. Kalé", "K. Schulten",
    ]  # fmt: skip
    assert first["title"] == "Scalable molecular dynamics with NAMD"
    assert (first["year"], first["venue"], first["doi"]) == (
        2005,
        "Journal of Computational Chemistry",
        "10.1002/jcc.20289",
    )
    assert first["keywords"][:4] == [
        "Biomolecular simulation",
        "Molecular dynamics",
        "Parallel computing",
        "Algorithms",
    ]
    assert first["keywords"].count("Molecular dynamics") == 1  # author and index keywords merged, repeats dropped
    assert first["source"] == "scopus.csv:2"
    assert "quality_flags" not in first
    second = result.records[1]
    assert (second["authors"], second["title"], second["doi"]) == (
        ["T. Murata"],
        "Petri Nets: Properties, Analysis and Applications",
        "10.1109/5.24143",
    )
    last = result.records[-1]
    assert "authors" not in last  # "[No author name available]"
    assert last["title"].startswith("Proceedings - 1999 International Conference on Information Intelligence")
    assert last["source"] == "scopus.csv:62"
    assert sum("doi" in r for r in result.records) == 44
    assert all(r["venue"] != "Scopus" for r in result.records)  # the Source column is not the venue


# --------------------------------------------------------------------------- fixtures: JSON


@needs_fixtures
def test_paperlists_colm_json():
    result = json_records.read(fixture_text(COLM), "colm2024.json")
    assert len(result.records) == 299
    [unplaced] = result.problems
    assert unplaced.severity == "note"  # (no record loses anything: a file's columns that name no field)
    assert str(unplaced).startswith("colm2024.json:2: 39 columns not read, no field recognised: 'track', 'status',")
    first = result.records[0]
    assert first == {
        "title": "InstructAV: Instruction Fine-tuning Large Language Models for Authorship Verification",
        "abstract": first["abstract"],
        "keywords": ["Authorship Verification", "Parameter-Efficient Fine-Tuning (PEFT)", "InstructAV"],
        "authors": ["Yujia Hu", "Zhiqiang Hu", "Chun Wei Seah", "Roy Ka-Wei Lee"],
        "url": "https://openreview.net/forum?id=0UK8c2kg7c",
        "year": 2024,  # from the bibtex field's year = {2024}
        "venue": "First Conference on Language Modeling",  # from its booktitle
        "source": "colm2024.json:2",
    }
    assert first["abstract"].startswith("Large Language Models (LLMs) have demonstrated remarkable proficiency")
    last = result.records[-1]
    assert last["title"] == "A Survey on Deep Learning for Theorem Proving"
    assert last["authors"][0] == "Zhaoyu Li" and len(last["authors"]) == 8
    assert last["keywords"] == ["Deep Learning", "Theorem Proving", "Automated Reasoning"]
    assert last["source"] == "colm2024.json:14280"  # the line of the record's opening brace
    assert {r["year"] for r in result.records} == {2024}


def test_bibtex_year_never_the_file_name():
    """The year comes from a year column, else the bibtex field, never from the file name."""
    text = (
        '[{"title": "A", "bibtex": "@inproceedings{a,\\n year={2024},\\n booktitle={COLM}\\n}"},\n'
        ' {"title": "B", "year": 2023, "bibtex": "@inproceedings{b, year = {2024}}"},\n'
        ' {"title": "C"}]'
    )
    result = json_records.read(text, "colm2024.json")
    assert [(r["title"], r.get("year"), r.get("venue")) for r in result.records] == [
        ("A", 2024, "COLM"),
        ("B", 2023, None),
        ("C", None, None),
    ]


@needs_fixtures
def test_neurips_json_files():
    total = 0
    no_abstract = []
    for year, count in NEURIPS_COUNTS.items():
        name = f"nips{year}.json"
        result = json_records.read(fixture_text(f"{NEURIPS}/{name}"), name)
        assert len(result.records) == count, name
        [unplaced] = result.problems  # pdf, supp, metadata, review, ...: named, not read
        assert unplaced.severity == "note" and " columns not read, no field recognised: " in str(unplaced), name
        assert "'pdf', 'supp'" in str(unplaced) and "'title'" not in str(unplaced), name
        assert {r["year"] for r in result.records} == {year}  # from bibtex, in agreement with the file name
        total += len(result.records)
        no_abstract += [r["source"] for r in result.records if "no-abstract" in r.get("quality_flags", [])]
    assert total == 2308
    assert no_abstract == ["nips2001.json:5110", "nips2002.json:4580"]
    first = json_records.read(fixture_text(f"{NEURIPS}/nips1987.json"), "nips1987.json").records[0]
    assert first == {
        "title": "A 'Neural' Network that Learns to Play Backgammon",
        "url": "https://papers.nips.cc/paper_files/paper/1987/hash/d59a1dc497cf2773637256f50f492723-Abstract.html",
        "authors": ["G. Tesauro", "T. J. Sejnowski"],
        "abstract": "We describe a class of connectionist networks that have learned to play back(cid:173)",
        "year": 1987,
        "venue": "Neural Information Processing Systems",
        "source": "nips1987.json:2",
    }


@needs_fixtures
@pytest.mark.parametrize(
    "name, fmt",
    [(PROMPT_REPORT, "csv"), (LITSTUDY, "csv"), (COLM, "json-records"), (f"{NEURIPS}/nips1990.json", "json-records")],
)
def test_fixtures_are_detected(name, fmt):
    path = FIXTURES / name
    assert detect_format(fixture_text(name), path.suffix) == fmt
    assert detect_format(fixture_text(name)) == fmt


# --------------------------------------------------------------------------- CSV by hand


def test_semicolon_csv_with_commas_inside_fields():
    text = (
        "Title;Abstract;Year\n"
        "Attention, please;We study a, b and c;2019\n"
        '"Quoted; title";"Two\nlines; with, commas";2020.0\n'
    )
    assert csv_reader.sniff(text)
    result = csv_reader.read(text, "s.csv")
    assert result.problems == []
    assert modelled(result.records) == [
        {"title": "Attention, please", "abstract": "We study a, b and c", "year": 2019, "source": "s.csv:2"},
        {"title": "Quoted; title", "abstract": "Two\nlines; with, commas", "year": 2020, "source": "s.csv:3"},
    ]


def test_tab_delimited_web_of_science_columns():
    text = (
        "PT\tAU\tAF\tTI\tSO\tDE\tAB\tPY\tDI\n"
        "J\tKim, S; Lee, J\tKim, Soo; Lee, Jae\tA study\tNATURE\tx; y\tWe show.\t2021\t10.1038/ABC.1\n"
    )
    result = csv_reader.read(text, "savedrecs.txt")
    assert modelled(result.records) == [
        {
            "authors": ["Soo Kim", "Jae Lee"],  # AF (full names) preferred over AU
            "title": "A study",
            "venue": "NATURE",
            "keywords": ["x", "y"],
            "abstract": "We show.",
            "year": 2021,
            "doi": "10.1038/abc.1",
            "source": "savedrecs.txt:2",
        }
    ]


def test_zotero_csv_columns():
    text = (
        '"Key","Item Type","Publication Year","Author","Title","Publication Title","DOI","Url",'
        '"Abstract Note","Date","Manual Tags","Automatic Tags"\n'
        '"K1","journalArticle","2019","Vaswani, Ashish; van der Maaten, Laurens","T","J. Stuff",'
        '"https://doi.org/10.5555/X","https://x.org","Abs","2019-05-02","peft; lora","nlp"\n'
    )
    assert modelled(csv_reader.read(text, "z.csv").records) == [
        {
            "year": 2019,
            "authors": ["Ashish Vaswani", "Laurens van der Maaten"],
            "title": "T",
            "venue": "J. Stuff",
            "doi": "10.5555/x",
            "url": "https://x.org",
            "abstract": "Abs",
            "keywords": ["peft", "lora", "nlp"],
            "month": 5,
            "source": "z.csv:2",
        }
    ]


def test_openalex_and_asreview_csv_columns():
    openalex_csv = (
        "id,doi,title,display_name,publication_year,publication_date,authorships.author.display_name\n"
        "https://openalex.org/W1,https://doi.org/10.48550/arXiv.2106.09685,LoRA,LoRA,2021,2021-06-17,"
        "Edward J. Hu|Yelong Shen\n"
    )
    assert modelled(csv_reader.read(openalex_csv, "oa.csv").records) == [
        {
            "doi": "10.48550/arxiv.2106.09685",
            "title": "LoRA",
            "year": 2021,
            "month": 6,
            "authors": ["Edward J. Hu", "Yelong Shen"],
            "arxiv_id": "2106.09685",  # from the arXiv DOI, as every reader gives it
            "source": "oa.csv:2",
        }
    ]
    asreview = 'record_id,title,abstract,authors,doi,keywords,included,label_included\n1,T,A,"Lee, Ann",,kw,1,0\n'
    assert modelled(csv_reader.read(asreview, "as.csv").records) == [
        {"title": "T", "abstract": "A", "authors": ["Ann Lee"], "keywords": ["kw"], "source": "as.csv:2"}
    ]


def test_scopus_new_layout_prefers_full_names():
    text = (
        "Authors,Author full names,Title,Year,Source title,Link,Source\n"
        '"Smith J.; Doe A.B.","Smith, John (57200000001); Doe, Anne B. (57200000002)",T,2023,Nature,'
        "https://www.scopus.com/x,Scopus\n"
        '"Smith J.; Doe A.B.",,U,2023,,,Scopus\n'
    )
    records = csv_reader.read(text, "scopus.csv").records
    assert records[0]["authors"] == ["John Smith", "Anne B. Doe"]
    assert records[0]["venue"] == "Nature"
    # one column per field, for every row: an empty full-names cell gives no authors,
    # and the Source column ("Scopus") is never the venue
    assert "authors" not in records[1] and "venue" not in records[1]


@pytest.mark.parametrize(
    "cell, expected",
    [
        ("Smith J., Doe A.B., Kalé L.", ["J. Smith", "A.B. Doe", "L. Kalé"]),  # Scopus, comma-separated
        ("Smith J.", ["J. Smith"]),
        ("Smith, J., Doe, A.", ["J. Smith", "A. Doe"]),
        ("Vaswani, Ashish", ["Ashish Vaswani"]),
        ("Ann Lee, Bo Chen, Cy Diaz", ["Ann Lee", "Bo Chen", "Cy Diaz"]),
        ("Smith, Jr., John", ["John Smith Jr."]),
        ("G. Tesauro; T. J. Sejnowski", ["G. Tesauro", "T. J. Sejnowski"]),
        ("Edward J. Hu|Yelong Shen", ["Edward J. Hu", "Yelong Shen"]),
        ("['Lee, Ann', 'Bo Chen']", ["Ann Lee", "Bo Chen"]),
        (["Lee, Ann", {"given": "Bo", "family": "Chen"}, {"name": "Cy Diaz"}], ["Ann Lee", "Bo Chen", "Cy Diaz"]),
        ("[No author name available]", []),
        ("Smith J, Doe AB, van der Berg C.", ["J. Smith", "A.B. Doe", "C. van der Berg"]),  # PubMed (Vancouver)
        ("Wei WU, Li MA, Bo HE", ["Wei WU", "Li MA", "Bo HE"]),  # no PubMed's closing period: names as written
        # PubMed's group authors after a semicolon, capitals outside ASCII, suffixes (were one name, or scrambled
        # as "Madhi SA Voysey M Clemens SAC")
        ("Polack FP, Türeci Ö, Frenck RW Jr, Şahin U; C4591001 Clinical Trial Group.",
         ["F.P. Polack", "Ö. Türeci", "R.W. Frenck Jr", "U. Şahin", "C4591001 Clinical Trial Group"]),
        ("Voysey M, Clemens SAC, Madhi SA; Oxford COVID Vaccine Trial Group; RECOVERY Group.",
         ["M. Voysey", "S.A.C. Clemens", "S.A. Madhi", "Oxford COVID Vaccine Trial Group", "RECOVERY Group"]),
        ("Smith J 3rd, Łukasik Ł.", ["J. Smith 3rd", "Ł. Łukasik"]),
        ("Smith J; Doe A.", ["Smith J", "A. Doe"]),  # (semicolons between people: not PubMed's list)
    ],
)
def test_author_cells(cell, expected):
    assert people(cell) == expected


@pytest.mark.parametrize(
    "cell, expected",
    [
        ("['cs.cl', 'cs.ai']", ["cs.cl", "cs.ai"]),
        ('["a; b", "c"]', ["a; b", "c"]),
        ("peft; lora; peft", ["peft", "lora"]),
        ("a, b", ["a", "b"]),
        ("[not a list]", ["[not a list]"]),
        ("[__import__('sys').exit(3)]", ["[__import__('sys').exit(3)]"]),  # never evaluated (it would exit)
        (["x", 3, None], ["x", "3"]),
    ],
)
def test_keyword_cells(cell, expected):
    assert terms(cell) == expected


def test_category_cells_split_arxiv_codes_on_spaces():
    assert terms("cs.CL cs.AI", categories=True) == ["cs.CL", "cs.AI"]
    assert terms("Computer Science", categories=True) == ["Computer Science"]


def test_column_names_match_without_case_space_or_punctuation():
    assert normalize_name("Source title") == normalize_name("source_title") == normalize_name("SourceTitle")
    cmap = map_columns(["PAPER-TITLE", "Abstract Note", "pub year", "Index Keywords", "Author Keywords"])
    assert cmap.fields == {"title": (0,), "abstract": (1,), "year": (2,), "keywords": (4, 3)}


def test_cells_become_schema_values():
    text = (
        "title,year,date,arxiv_id,doi,url\n"
        "A,2019.0,,arXiv:2303.11366v2,,\n"
        "B,,Aug 2023,,doi:10.1000/XYZ.,\n"
        "C,,7 August 2023,,,https://arxiv.org/abs/hep-th/9901001v3\n"
        "D,2020,2020-11-30T10:00:00Z,,,\n"
        "E,2021,2020-11-30,,,\n"
    )
    records = modelled(csv_reader.read(text, "v.csv").records)
    assert [{k: v for k, v in r.items() if k != "source"} for r in records] == [
        {"title": "A", "year": 2019, "arxiv_id": "2303.11366", "arxiv_version": 2},
        {"title": "B", "year": 2023, "month": 8, "doi": "10.1000/xyz"},
        {
            "title": "C", "year": 2023, "month": 8, "url": "https://arxiv.org/abs/hep-th/9901001v3",
            "arxiv_id": "hep-th/9901001", "arxiv_version": 3,
        },
        {"title": "D", "year": 2020, "month": 11},
        {"title": "E", "year": 2021},  # the date's month belongs to another year: left out
    ]  # fmt: skip


def test_unreadable_cells_are_flagged_and_warned():
    text = "title,year,doi,arxiv_id\nA,in press,not a doi,12345\n"
    result = csv_reader.read(text, "b.csv")
    assert modelled(result.records) == [
        {
            "title": "A",
            "quality_flags": ["unreadable-year", "unreadable-doi", "unreadable-arxiv_id"],
            "source": "b.csv:2",
        }
    ]
    assert problems(result, "warning") == [
        "b.csv:2: year 'in press' is not a year",
        "b.csv:2: DOI 'not a doi' is not a DOI",
        "b.csv:2: arXiv id '12345' is not an arXiv id",
    ]


def test_row_without_title_abstract_or_id_is_an_error_naming_its_line():
    text = "title,abstract,year,doi\nA,,2019,\n,,2020,\n\n,,,\n,,2021,bad\n"
    result = csv_reader.read(text, "r.csv")
    assert [r["title"] for r in result.records] == ["A"]
    assert result.records[0]["quality_flags"] == ["no-abstract"]
    assert problems(result, "error") == [
        "r.csv:3: row has no title, abstract, DOI or arXiv id",
        "r.csv:6: row has no title, abstract, DOI or arXiv id (DOI 'bad' is not a DOI)",
    ]  # the blank line 4 and the empty row 5 are not records


def test_table_without_identity_columns_is_one_error():
    result = csv_reader.read("name,when\nA,2019\nB,2020\n", "t.csv")
    assert result.records == []
    assert problems(result, "error") == [
        "t.csv:1: no column is a title, abstract, DOI or arXiv id (the columns are 'name', 'when'): "
        "pass columns={'<column>': 'title', ...} to name them"
    ]


def test_columns_argument_overrides_and_ignores():
    text = "Paper Name,Summary,Yr,title\nA,S,2019,not this\n"
    result = csv_reader.read(text, "c.csv", columns={"paper name": "title", "Yr": "year", "Summary": None})
    assert modelled(result.records) == [{"title": "A", "year": 2019, "source": "c.csv:2"}]


def test_columns_argument_mistakes_raise():
    with pytest.raises(ValueError) as missing:
        csv_reader.read("title,year\nA,1\n", "c.csv", columns={"Paper": "title"})
    assert str(missing.value) == "columns=: the table has no column 'Paper'; its columns are ['title', 'year']"
    with pytest.raises(ValueError, match=r"^columns=: 'name' \(for column 'title'\) is not a field; choose from title"):
        csv_reader.read("title,year\nA,1\n", "c.csv", columns={"title": "name"})
    with pytest.raises(ValueError, match="no column 'x'"):
        json_records.read('[{"title": "A"}]', "c.json", columns={"x": "title"})


def test_extra_fields_warn_and_are_flagged_empty_ones_do_not():
    text = "title,year\nA,2019\nB, 2020,extra\nC,2021,,\n"
    result = csv_reader.read(text, "x.csv")
    assert [(r["title"], r["year"], r.get("quality_flags")) for r in result.records] == [
        ("A", 2019, None),
        ("B", 2020, ["extra-fields"]),
        ("C", 2021, None),
    ]
    assert problems(result, "warning") == [
        "x.csv:3: row has 3 fields but the header has 2: the fields past the header's are ignored, and if the "
        "extra field is inside the row (a delimiter in an unquoted cell, a column the header does not name), the "
        "fields after it are read from the wrong columns: check this row"
    ]


def test_a_scopus_row_wider_than_its_header_is_realigned_only_when_its_eid_then_lines_up():
    header = "Title,Funding Text 1,References,Document Type,EID\n"
    good = 'A,Funded by X,Also funded,"Smith, J. (2001) Nets",Article,2-s2.0-1\n'
    other = "B,Funded by Y,,Refs,Article,not an id\n"  # (the EID does not line up: read as before, warned)
    result = csv_reader.read(header + good + other, "s.csv")
    a, b = result.records
    assert (a["references"], a["entry_type"], a["external_ids"]) == (["Smith, J. (2001) Nets"], "Article",
                                                                      ["scopus:2-s2.0-1"])
    assert [n for n, _ in json.loads(a["source_fields"])["fields"]] == [
        "Title", "Funding Text 1", "Funding Text 2", "References", "Document Type", "EID"]  # fmt: skip
    assert (b["entry_type"], b["quality_flags"]) == ("Refs", ["extra-fields"])
    unplaced, warned, realigned = result.problems  # (Funding Text 1 names no field)
    assert (unplaced.severity, warned.severity, warned.line, realigned.severity) == ("note", "warning", 3, "note")
    assert str(realigned).startswith("s.csv:2: 1 row has 1 field more than the header, which names no "
                                     "'Funding Text 2'")


def test_unclosed_quote_is_an_error_at_the_row_start():
    result = csv_reader.read('title,year\nA,2019\n"B,2020\nC,2021\n', "u.csv")
    assert [r["title"] for r in result.records] == ["A"]
    assert problems(result, "error") == [
        "u.csv:3: a quoted field opened in this row is never closed (lines 3-4 skipped)"
    ]


def test_excel_separator_line_and_blank_lines_before_the_header():
    text = "\n\nsep=;\nTitle;Year\nA, b;2019\n"
    assert csv_reader.sniff(text)
    assert modelled(csv_reader.read(text, "e.csv").records) == [{"title": "A, b", "year": 2019, "source": "e.csv:5"}]


@pytest.mark.parametrize(
    "text, claimed",
    [
        ("Title,Abstract\n", True),
        ("Title;Abstract;Year\nA;B;2019\n", True),
        ("doi\ttitle\n10.1/x\tA\n", True),
        ("Title\nA paper\n", False),  # one column
        ("name,when\nA,2019\n", False),  # no title, abstract or DOI
        ("In this paper, we study abstract problems, doi, and more of the kind here.\n", False),  # prose
        ('[{"title": "A"}]', False),
        ("@article{a, title={A}}", False),
        ("", False),
    ],
)
def test_csv_sniff(text, claimed):
    assert csv_reader.sniff(text) is claimed


# --------------------------------------------------------------------------- JSON by hand


def test_json_array_records_start_lines_and_record_numbers():
    text = '[\n  {"title": "A",\n   "authors": ["Lee, Ann"]},\n  {"x": 1},\n  3,\n  {"title": "B", "year": "soon"}\n]\n'
    result = json_records.read(text, "a.json")
    assert result.records == [
        {"title": "A", "authors": ["Ann Lee"], "source": "a.json:2"},
        {"title": "B", "quality_flags": ["unreadable-year"], "source": "a.json:6"},
    ]
    assert [str(p) for p in result.problems] == [
        "a.json:2: 1 column not read, no field recognised: 'x'" + UNPLACED_HINT,
        "a.json:4: record 2 has no title, abstract, DOI or arXiv id",
        "a.json:5: record 3 is a number, not an object",
        "a.json:6: record 4: year 'soon' is not a year",
    ]


def test_one_line_json_says_record_numbers():
    result = json_records.read('[{"title": "A"}, {"abstract": "", "year": 2019}, {"title": "C"}]', "one.json")
    assert [r["source"] for r in result.records] == ["one.json:1", "one.json:1"]
    assert problems(result, "error") == ["one.json:1: record 2 has no title, abstract, DOI or arXiv id"]


@pytest.mark.parametrize("key", ["data", "results", "records", "items"])
def test_json_wrapper_object(key):
    text = f'{{"total": 2, "meta": {{"items": 3}},\n "{key}": [\n  {{"title": "A"}},\n  {{"doi": "10.1234/b"}}]}}'
    assert json_records.sniff(text)
    result = json_records.read(text, "w.json")
    assert result.records == [{"title": "A", "source": "w.json:3"}, {"doi": "10.1234/b", "source": "w.json:4"}]
    assert result.problems == []


def test_single_json_object_is_one_record():
    assert json_records.read('{"title": "A", "year": 2019}', "o.json").records == [
        {"title": "A", "year": 2019, "source": "o.json:1"}
    ]


def test_json_lines_malformed_line_costs_only_that_line():
    text = '{"title": "A"}\n{"title": "B"\n\n{"title": "C", "keywords": ["x", "y"]}\n[1]\n'
    assert json_records.sniff(text)
    result = json_records.read(text, "l.jsonl")
    assert result.records == [
        {"title": "A", "source": "l.jsonl:1"},
        {"title": "C", "keywords": ["x", "y"], "source": "l.jsonl:4"},
    ]
    assert [str(p) for p in result.problems] == [
        "l.jsonl:2: invalid JSON at column 14: Expecting ',' delimiter",
        "l.jsonl:5: the line is a list, not an object",
    ]


def test_malformed_json_document_is_one_error_with_line_and_column():
    result = json_records.read('[\n {"title": "A"},\n {"title": "B",}\n]', "b.json")
    assert result.records == [{"title": "A", "source": "b.json:2"}]
    assert problems(result, "error") == [
        "b.json:3: invalid JSON at line 3 column 16: Expecting property name enclosed in double quotes;"
        " the 1 record before it kept"
    ]
    truncated = json_records.read('[{"title": "A"}, {"title": "B"', "t.json")
    assert problems(truncated, "error") == [
        "t.json:1: invalid JSON at line 1 column 31: Expecting ',' delimiter; the 1 record before it kept"
    ]


def test_json_without_identity_keys_is_one_error():
    result = json_records.read('[{"name": "A"}, {"name": "B"}]', "n.json")
    assert problems(result, "error") == [
        "n.json:1: no column is a title, abstract, DOI or arXiv id (the columns are 'name'): "
        "pass columns={'<column>': 'title', ...} to name them"
    ]
    result = json_records.read('[{"name": "A"}]', "n.json", columns={"name": "title"})
    assert result.records == [{"title": "A", "source": "n.json:1"}]


@pytest.mark.parametrize(
    "text, claimed",
    [
        ('[{"title": "A"}]', True),
        ('  \n[\n  {"a": 1}', True),  # cut off at the sniffer's limit
        ('{"results": [{"title": "A"}]}', True),
        ('{"count": 1, "next": null, "data": [\n{"title": "A"}', True),
        ('{"a": 1}\n{"a": 2}\n', True),
        ("[1, 2, 3]", False),
        ("[]", False),
        ('{"title": "A"}', False),  # a single object: read when named, not claimed
        ('{"data": {"title": "A"}}', False),
        ("title,abstract\nA,B\n", False),
        ("not json at all", False),
    ],
)
def test_json_records_sniff(text, claimed):
    assert json_records.sniff(text) is claimed


# --------------------------------------------------------------------------- Excel and Parquet


def xlsx_bytes(tmp_path: Path, frames: dict[str, pd.DataFrame], startrow: int = 0) -> bytes:
    path = tmp_path / "t.xlsx"
    with pd.ExcelWriter(path) as writer:
        for name, frame in frames.items():
            frame.to_excel(writer, sheet_name=name, index=False, startrow=startrow)
    return path.read_bytes()


def test_excel_first_sheet_with_sheet_row_numbers(tmp_path):
    papers = pd.DataFrame(
        {
            "Title": ["A paper", None, "C paper"],
            "Authors": ["Lee, Ann; Chen, Bo", None, None],
            "Year": [2019.0, None, None],
            "Published": [pd.Timestamp("2020-03-04"), None, pd.Timestamp("2021-07-01")],
            "DOI": ["https://doi.org/10.1234/ABC", "x", None],
        }
    )
    other = pd.DataFrame({"title": ["Other sheet"]})
    raw = xlsx_bytes(tmp_path, {"Papers": papers, "More": other}, startrow=2)
    assert excel.sniff(raw)
    result = excel.read(raw, "t.xlsx")
    assert modelled(result.records) == [
        {
            "title": "A paper", "authors": ["Ann Lee", "Bo Chen"], "year": 2019, "doi": "10.1234/abc",
            "source": "t.xlsx:4",
        },
        {"title": "C paper", "year": 2021, "month": 7, "source": "t.xlsx:6"},
    ]  # fmt: skip
    assert [str(p) for p in result.problems] == [
        "t.xlsx:5: row has no title, abstract, DOI or arXiv id (DOI 'x' is not a DOI)"
    ]
    assert modelled(excel.read(raw, "t.xlsx", sheet="More").records) == [{"title": "Other sheet", "source": "t.xlsx:4"}]
    assert modelled(excel.read(raw, "t.xlsx", sheet=1).records) == [{"title": "Other sheet", "source": "t.xlsx:4"}]
    with pytest.raises(
        ValueError, match=r"sheet='Nope': the workbook has no such sheet; its sheets are \['Papers', 'More'\]"
    ):
        excel.read(raw, "t.xlsx", sheet="Nope")


def test_excel_columns_argument_and_no_identity(tmp_path):
    raw = xlsx_bytes(tmp_path, {"S": pd.DataFrame({"Name": ["A"], "When": [2019]})})
    assert problems(excel.read(raw, "t.xlsx"), "error") == [
        "t.xlsx:1: no column is a title, abstract, DOI or arXiv id (the columns are 'Name', 'When'): "
        "pass columns={'<column>': 'title', ...} to name them"
    ]
    assert modelled(excel.read(raw, "t.xlsx", columns={"Name": "title", "When": "year"}).records) == [
        {"title": "A", "year": 2019, "source": "t.xlsx:2"}
    ]


def test_excel_sniff_and_damaged_files():
    docx = io.BytesIO()
    with zipfile.ZipFile(docx, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    assert not excel.sniff(docx.getvalue())
    assert not excel.sniff(b"PAR1....")
    result = excel.read(b"PK\x03\x04xl/ but nothing else", "bad.xlsx")
    assert result.records == []
    assert [str(p) for p in result.problems] == [
        "bad.xlsx: cannot open as an Excel workbook: BadZipFile: File is not a zip file"
    ]


def test_parquet_rows_lists_and_dates(tmp_path):
    frame = pd.DataFrame(
        {
            "title": ["A", None, "C"],
            "authors": [["Ann Lee", "Bo Chen"], [], None],
            "categories": [["cs.CL", "cs.AI"], [], []],
            "year": pd.array([2019, 2020, None], dtype="Int64"),
            "published": [pd.Timestamp("2019-05-01"), None, pd.Timestamp("2022-12-24")],
            "arxiv_id": ["2303.11366v1", None, "nonsense"],
            "score": [0.5, 0.1, 0.9],
        }
    )
    path = tmp_path / "t.parquet"
    frame.to_parquet(path)
    raw = path.read_bytes()
    assert parquet.sniff(raw)
    result = parquet.read(raw, "t.parquet")
    assert result.records == [
        {
            "title": "A", "authors": ["Ann Lee", "Bo Chen"], "categories": ["cs.CL", "cs.AI"], "year": 2019,
            "month": 5, "arxiv_id": "2303.11366", "arxiv_version": 1, "source": "t.parquet:1",
        },
        {
            "title": "C", "year": 2022, "month": 12, "quality_flags": ["unreadable-arxiv_id"],
            "source": "t.parquet:3",
        },
    ]  # fmt: skip
    assert [str(p) for p in result.problems] == [
        "t.parquet: 1 column not read, no field recognised: 'score'" + UNPLACED_HINT,
        "t.parquet:2: row 2 has no title, abstract, DOI or arXiv id",
        "t.parquet:3: row 3: arXiv id 'nonsense' is not an arXiv id",
    ]


def test_parquet_damaged_file():
    result = parquet.read(b"PAR1 not really", "bad.parquet")
    assert result.records == []
    assert len(result.problems) == 1
    assert str(result.problems[0]).startswith("bad.parquet: cannot open as a Parquet file: ")
    assert not parquet.sniff(b"PK\x03\x04")


# --------------------------------------------------------------------------- CSV writer


TRICKY = [
    {
        "title": 'Quotes "inside", commas; semicolons <script>alert(1)</script>',
        "abstract": 'Line one,\nline two; with "quotes"\n\nand a paragraph <b>bold</b>',
        "authors": ["Ann Lee", "Bo Chen", "José Ñúñez"],
        "year": 2021,
        "month": 3,
        "venue": "ICLR; workshop, track",
        "arxiv_id": "2106.09685",
        "arxiv_version": 2,
        "doi": "10.1234/abc;def",
        "url": "https://example.org/a?b=1,2",
        "keywords": ["a; b", "c, d", "e"],
        "categories": ["cs.CL", "cs.AI"],
        "notes": "=SUM(A1)\nsecond line",
    },
    {
        "title": "Second",
        "keywords": ["plain", "words"],
        "authors": ["Cy Diaz"],
        "year": 1999,
        "categories": ["Computer Science"],
    },
    {"abstract": "Only an abstract", "categories": ["[bracketed]"]},
]
ROUND_TRIP_FIELDS = (
    "title", "abstract", "authors", "year", "month", "venue", "arxiv_id", "arxiv_version", "doi", "url",
    "keywords", "categories", "notes",
)  # fmt: skip


def test_csv_writer_round_trip():
    papers = to_frame([{**r, "source": f"x:{i}", "id": f"title:{i}"} for i, r in enumerate(TRICKY)])
    text = csv_writer.write(papers)
    assert (csv_writer.FORMAT, csv_writer.EXTENSION) == ("csv", ".csv")
    assert text.split("\n", 1)[0] == ",".join(csv_writer.WRITTEN_COLUMNS)  # the schema's, source_fields aside
    result = csv_reader.read(text, "out.csv")
    assert result.problems == []
    back = [{k: v for k, v in r.items() if k in ROUND_TRIP_FIELDS} for r in result.records]
    assert back == [{k: v for k, v in r.items() if k in ROUND_TRIP_FIELDS} for r in TRICKY]


def test_csv_writer_cells():
    papers = to_frame([{"title": "T", "year": 2019, "authors": ["Ann Lee", "Bo Chen"], "keywords": ["a;b"]}])
    _, row, end = csv_writer.write(papers).split("\n")
    assert end == ""
    assert dict(zip(csv_writer.WRITTEN_COLUMNS, next(csv.reader([row])))) == {
        **dict.fromkeys(csv_writer.WRITTEN_COLUMNS, ""),
        "title": "T",
        "authors": "Ann Lee; Bo Chen",
        "year": "2019",  # an int, not 2019.0
        "keywords": '["a;b"]',  # an item holding a separator: a JSON list
        "key": "lee2019t",  # a citation key made for the row, as for BibTeX
    }
    assert csv_writer.write(to_frame([])) == ",".join(csv_writer.WRITTEN_COLUMNS) + "\n"


def test_load_a_csv_with_columns(tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text("Paper,Yr\nA study of things,2019\n", encoding="utf-8")
    # the header names no known column: the .csv ending decides the format
    papers = lr.load(path, columns={"Paper": "title", "Yr": "year"})
    assert papers[["title", "year"]].values.tolist() == [["A study of things", 2019]]
    with pytest.raises(lr.LoadError, match="pass columns="):
        lr.load(path)
    (tmp_path / "mine.txt").write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(lr.LoadError, match="cannot tell the format"):
        lr.load(tmp_path / "mine.txt", columns={"Paper": "title"})
    papers = lr.load(tmp_path / "mine.txt", format="csv", columns={"Paper": "title", "Yr": "year"})
    assert papers["title"].tolist() == ["A study of things"]


# --------------------------------------------------------------------------- never raise


FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TABLE_ALPHABET = st.sampled_from(list("abc ,;|\t\n\"'[]{}:0129.-") + ["title", "abstract", "doi", "Title", "year"])
table_text = st.lists(TABLE_ALPHABET, max_size=80).map("".join)


def check_result(result, file):
    assert all(isinstance(p, Problem) and p.file == file for p in result.problems)
    for record in result.records:
        assert set(record) <= set(COLUMNS)
        assert record["source"].startswith(f"{file}:")


@FUZZ
@given(st.one_of(table_text, st.text(max_size=200)))
def test_text_readers_never_raise(text):
    for module in (csv_reader, json_records):
        module.sniff(text)
        check_result(module.read(text, "f"), "f")


@FUZZ
@given(
    st.one_of(
        st.binary(max_size=300),
        st.binary(max_size=300).map(lambda b: b"PK\x03\x04" + b),
        st.binary(max_size=300).map(lambda b: b"PAR1" + b),
    )
)
def test_binary_readers_never_raise(raw):
    for module in (excel, parquet):
        module.sniff(raw)
        check_result(module.read(raw, "f"), "f")


@FUZZ
@given(
    st.lists(
        st.fixed_dictionaries(
            {
                "title": st.text(max_size=30),
                "authors": st.lists(st.text(max_size=15), max_size=3),
                "year": st.one_of(st.none(), st.integers(1000, 2999)),
                "notes": st.text(max_size=30),
                "keywords": st.lists(st.text(max_size=10), max_size=3),
            }
        ),
        max_size=4,
    )
)
def test_writer_output_always_reads_back(records):
    result = csv_reader.read(csv_writer.write(to_frame(records)), "w.csv")
    assert {p.message for p in result.problems} <= {"row has no title, abstract, DOI or arXiv id"}
    assert [r["title"] for r in result.records] == [" ".join(r["title"].split()) for r in records if r["title"].strip()]


def test_a_damaged_row_group_keeps_the_rows_before_it_and_names_the_row(tmp_path, monkeypatch):
    import io

    import pyarrow as pa
    import pyarrow.parquet as pq

    from litreview.io.columnar import parquet as columnar_parquet

    monkeypatch.setattr(columnar_parquet, "BATCH_ROWS", 4)  # (the batches are decoded on a thread ahead)
    table = pa.table({"title": [f"Paper number {i}" for i in range(12)], "year": list(range(2000, 2012))})
    buffer = io.BytesIO()
    pq.write_table(table, buffer, row_group_size=4, compression="NONE")
    raw = bytearray(buffer.getvalue())
    second = pq.ParquetFile(io.BytesIO(bytes(raw))).metadata.row_group(1).column(0).data_page_offset
    raw[second : second + 20] = b"\xff" * 20
    path = tmp_path / "broken.parquet"
    path.write_bytes(bytes(raw))
    papers = lr.load(path, errors="skip", merge=False, progress=False)
    assert papers["title"].tolist() == [f"Paper number {i}" for i in range(4)]
    [problem] = lr.load_problems(papers).values.tolist()
    assert problem[1:3] == [5, "error"]
    assert problem[3].startswith("row 5: cannot decode the rows from here on: ") and problem[3].isprintable()


PUBMED_CSV = """PMID,Title,Authors,Citation,First Author,Journal/Book,Publication Year,Create Date,PMCID,NIHMS ID,DOI
38012345,Methylphenidate for ADHD in adults: a randomized trial.,"Smith J, Doe AB, Lee C.",J Atten Disord. 2023 Jan;27(\
2):101-110.,Smith J,J Atten Disord,2023,2023/11/27,PMC1234567,NIHMS1654321,10.1177/1087054722112345
37999999,Atomoxetine and sleep.,Brown K.,Sleep Med. 2022;90:1-5.,Brown K,Sleep Med,2022,2023/11/20,,,
https://pubmed.ncbi.nlm.nih.gov/123/,A linked id.,Gray Z.,,Gray Z,Lancet,2021,2021/01/01,,PMC99,
x12,A bad id.,Gray Z.,,Gray Z,Lancet,2021,2021/01/01,,,
"""


@pytest.mark.parametrize("cell, expected", [
    ("PMC7745181", ["pmcid:PMC7745181"]), ("7745181", ["pmcid:PMC7745181"]), ("pmcid:PMC7745181", ["pmcid:PMC7745181"]),
    ("https://pmc.ncbi.nlm.nih.gov/articles/PMC7745181/", ["pmcid:PMC7745181"]),
    ("https://www.ncbi.nlm.nih.gov/pmc/articles/PMC7745181", ["pmcid:PMC7745181"]),
])
def test_a_pmcid_cell_gives_a_pubmed_central_id(cell, expected):
    result = csv_reader.read(f"Title,PMCID\nA paper,{cell}\n", "x.csv")
    assert result.records[0]["external_ids"] == expected


def test_an_unreadable_pmcid_is_named_and_flagged():
    result = csv_reader.read("Title,PMCID\nA paper,NIHMS12\n", "x.csv")
    assert [(p.line, p.message) for p in result.problems] == [
        (2, "PubMed Central id 'NIHMS12' is not a PubMed Central id")]
    assert result.records[0]["quality_flags"] == ["unreadable-pmcid"]


def test_a_pubmed_csv_export_gives_pmids_venues_and_authors(tmp_path):
    # PubMed's CSV export: its PMID column was not read (no field recognised), nor Journal/Book, and its
    # authors came out half reversed ("Smith J", "C. Lee")
    path = tmp_path / "pubmed.csv"
    path.write_text(PUBMED_CSV.replace("\\\n", ""), encoding="utf-8")
    with pytest.warns(lr.LoadWarning) as caught:
        papers = lr.load(path, progress=False)
    # (its Create Date and NIHMS ID columns were named on every load as not read: the NIH manuscript id is read,
    # the day the record entered PubMed kept in the source fields without a note, and never taken for the year)
    assert [str(w.message) for w in caught] == [
        f"{path}:4: NIH manuscript id 'PMC99' is not an NIH manuscript id",
        f"{path}:5: PubMed id 'x12' is not a PubMed id",
    ]
    # (its PMCID column, the free full text, was not read either)
    assert papers["external_ids"].tolist() == [["pmid:38012345", "pmcid:PMC1234567", "nihms:NIHMS1654321"],
                                               ["pmid:37999999"], ["pmid:123"], []]
    assert papers["quality_flags"].tolist() == [[], [], ["unreadable-nihms"], ["unreadable-pmid"]]
    assert [dict(json.loads(f)["fields"])["Create Date"] for f in papers["source_fields"]] == [
        "2023/11/27", "2023/11/20", "2021/01/01", "2021/01/01"]
    assert papers["venue"].tolist() == ["J Atten Disord", "Sleep Med", "Lancet", "Lancet"]
    # the month is in the Citation alone (it was named among the columns not read, and the month lost)
    assert papers["year"].tolist() == [2023, 2022, 2021, 2021] and papers["month"].tolist() == [1, pd.NA, pd.NA, pd.NA]
    assert papers["authors"].tolist() == [["J. Smith", "A.B. Doe", "C. Lee"], ["K. Brown"], ["Z. Gray"], ["Z. Gray"]]
    named = lr.load(path, columns={"PMID": None, "Citation": None, "Create Date": None, "PMCID": None,
                                   "NIHMS ID": None}, progress=False)
    assert named["external_ids"].tolist() == [[]] * 4


def test_pubmeds_create_date_is_never_the_papers_date(tmp_path):
    # (the day the record entered PubMed: a paper published in 1998 may have been added in 2005)
    path = tmp_path / "pubmed.csv"
    path.write_text("PMID,Title,Create Date,NIHMS ID\n1,A paper.,2005/03/01,12\n", encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        papers = lr.load(path, progress=False)
    assert (papers["year"].tolist(), papers["month"].tolist()) == ([pd.NA], [pd.NA])
    assert papers["external_ids"].tolist() == [["pmid:1", "nihms:NIHMS12"]]
    named = lr.load(path, columns={"Create Date": "date"}, progress=False)  # (unless the user says so)
    assert (named["year"].tolist(), named["month"].tolist()) == ([2005], [3])

@needs_fixtures
def test_the_cohen_reviews_pubmed_ids_are_read():
    with pytest.warns(lr.LoadWarning, match="3 columns not read, no field recognised: 'record_id', "
                                            "'label_abstract_screening', 'label_included'"):
        papers = lr.load(FIXTURES / "screening" / "cohen2006_ADHD.csv", progress=False)
    assert papers["external_ids"].map(len).value_counts().to_dict() == {1: 849, 2: 1}  # two records merged
    assert papers["external_ids"].iloc[0] == ["pmid:10051933"]
