"""RIS: the reader on real exports and hand-made edge cases, and the writer's round trip."""

from pathlib import Path

import pandas as pd
import pytest
from conftest import modelled
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import litreview as lr
from litreview.fields.arxiv import find_arxiv as arxiv_from_link
from litreview.fields.dates import parse_date
from litreview.io.load import decode_text
from litreview.io.readers import detect_format, ris, wos
from litreview.io.writers import ris as ris_writer
from litreview.schema import COLUMNS, to_frame

FIXTURES = Path(__file__).resolve().parents[2] / "shared" / "fixtures"
needs_fixtures = pytest.mark.skipif(not FIXTURES.is_dir(), reason="../shared/fixtures is not beside this checkout")

# README counts of the five RIS fixtures.
RIS_COUNTS = {
    "asreview__baseline.ris": 100,
    "asreview_baseline_zotero.ris": 100,
    "asreview_ovid_psycinfo.ris": 6,
    "asreview_scopus.ris": 6,
    "litstudy_example.ris": 25,
}


def fixture_text(name: str) -> str:
    """A fixture's text as ``lr.load`` hands it to the reader (BOM gone, ``\\n`` line ends)."""
    return decode_text((FIXTURES / "ris" / name).read_bytes())


def read_fixture(name: str) -> ris.ReadResult:
    return ris.read(fixture_text(name), name)


def record_at(result, source: str) -> dict:
    [record] = [r for r in result.records if r["source"] == source]
    return modelled(record)  # the fields kept for export are tested in tests/test_roundtrip.py


def lines_of(name: str, first: int, last: int) -> list[str]:
    """Lines ``first``..``last`` (1-based, inclusive) of a fixture as the reader numbers them."""
    return fixture_text(name).split("\n")[first - 1 : last]


def read(text: str) -> ris.ReadResult:
    return ris.read(text, "t.ris")


def problems(result) -> list[tuple[str, str]]:
    return [(p.severity, str(p)) for p in result.problems]


# --------------------------------------------------------------------------- fixtures


@needs_fixtures
@pytest.mark.parametrize("name, count", sorted(RIS_COUNTS.items()))
def test_fixture_counts_without_problems(name, count):
    result = read_fixture(name)
    assert len(result.records) == count
    assert result.problems == []
    for record in result.records:
        assert set(record) <= set(COLUMNS)
        assert record["title"]


@needs_fixtures
@pytest.mark.parametrize("name", sorted(RIS_COUNTS))
def test_fixture_is_detected_as_ris_and_not_wos(name):
    text = fixture_text(name)
    assert ris.sniff(text[:65536])
    assert not wos.sniff(text[:65536])
    assert detect_format(text) == "ris"


@needs_fixtures
def test_fixture_sources_are_the_ty_lines():
    for name in RIS_COUNTS:
        lines = fixture_text(name).split("\n")
        for record in read_fixture(name).records:
            file, line = record["source"].rsplit(":", 1)
            assert file == name
            assert lines[int(line) - 1].lstrip("\ufeff").startswith("TY  - ")


@needs_fixtures
def test_baseline_first_record_after_the_bom():
    name = "asreview__baseline.ris"
    record = modelled(read_fixture(name).records[0])
    abstract = lines_of(name, 2, 2)[0].removeprefix("AB  - ")
    assert record == {
        "title": "The Value of Radiologic Interventions and 18 F-DOPA PET in Diagnosing and Localizing Focal "
        "Congenital Hyperinsulinism: Systematic Review and Meta-Analysis",
        "abstract": abstract,
        "authors": ["Björn A. Blomberg", "Mateen Moghbel", "Babak Saboury", "Charles A. Stanley", "Abass Alavi"],
        "year": 2012,
        "month": 7,  # DA  - 2012/07/03
        "venue": "Molecular imaging and biology",  # JF
        "doi": "10.1007/s11307-012-0572-0",
        "url": "https://lens.org/000-463-679-101-319",  # UR before the L1/L2 links
        "keywords": [],
        "quality_flags": [],
        "source": "asreview__baseline.ris:1",
    }
    assert abstract.startswith("This systematic review and meta-analysis aimed") and len(abstract) > 1500


@needs_fixtures
def test_baseline_abstract_wrapped_over_twenty_lines_is_one_field():
    name = "asreview__baseline.ris"
    record = record_at(read_fixture(name), f"{name}:330")
    wrapped = lines_of(name, 331, 350)
    assert wrapped[0].startswith("AB  - Background:") and wrapped[-1] == "into the published systematic reviews."
    assert record["abstract"] == " ".join([wrapped[0].removeprefix("AB  - ")] + wrapped[1:])
    assert record["title"] == (
        "Allergen immunotherapy for allergic rhinoconjunctivitis : A systematic overview of systematic reviews"
    )
    assert len(record["authors"]) == 33
    assert record["authors"][:2] == ["Ulugbek Nurmatov", "Sangeeta Dhami"]
    assert record["authors"][10] == "Roy Gerth van Wijk"
    assert record["authors"][16] == "Désirée Larenas-Linnemann"
    assert record["keywords"] == [
        "Allergen immunotherapy", "Allergic rhinitis", "Allergic rhinoconjuctivitis", "Allergy", "Hay fever",
        "Rhinitis",
    ]  # fmt: skip
    assert (record["year"], record["month"], record["doi"]) == (2017, 8, "10.1186/s13601-017-0159-6")
    assert record["venue"] == "Clinical and translational allergy"


@needs_fixtures
def test_zotero_record_t2_venue_and_date():
    name = "asreview_baseline_zotero.ris"
    result = read_fixture(name)
    first = result.records[0]
    assert (
        first["title"] == "An open source machine learning framework for efficient and transparent systematic reviews"
    )
    assert first["authors"][:3] == ["Rens van de Schoot", "Jonathan de Bruin", "Raoul Schram"]
    assert len(first["authors"]) == 17
    assert first["venue"] == "Nature Machine Intelligence"  # T2
    assert (first["year"], first["month"]) == (2021, 2)  # DA  - 2021/02/01/
    assert first["doi"] == "10.1038/s42256-020-00287-7"
    assert first["url"] == "https://lens.org/106-059-195-106-980"
    assert first["abstract"].startswith("To help researchers conduct a systematic review")
    assert "For many tasks—including" in first["abstract"]  # UTF-8 dashes intact
    # Zotero writes "DA  - 2020///nan" when only the year is known: year, no month.
    assert sum(r.get("month") is None for r in result.records) == 7


@needs_fixtures
def test_ovid_record_with_numbering_and_trailing_nl():
    name = "asreview_ovid_psycinfo.ris"
    result = read_fixture(name)
    assert [r["source"] for r in result.records] == [f"{name}:{n}" for n in (2, 31, 109, 196, 223, 298)]
    record = record_at(result, f"{name}:196")
    abstract = lines_of(name, 204, 204)[0].removeprefix("N2  - ")
    assert record == {
        "title": "Perceptions of ibd within patient and community samples: A systematic review.",  # T1
        "abstract": abstract,  # N2
        "authors": ["Elia-Jade Polak", "Frances O'Callaghan", "Megan Oaten"],  # A1
        "year": 2019,  # Y1  - 2019//
        "venue": "Psychology & Health",
        "doi": "10.1080/08870446.2019.1662014",  # DO  - http://dx.doi.org/10.1080/...
        "url": "http://ovidsp.ovid.com/ovidweb.cgi?T=JS&PAGE=reference&D=psyc16&NEWS=N&AN=2019-57370-001",  # L2
        "keywords": [],
        "quality_flags": [],
        "source": f"{name}:196",
    }
    assert abstract.startswith("Objective: Inflammatory bowel disease (IBD) is a chronic")


@needs_fixtures
def test_scopus_record_keywords_and_references_left_out():
    name = "asreview_scopus.ris"
    record = record_at(read_fixture(name), f"{name}:226")
    assert record["title"] == "Hypothesis: Mechanism of irritable bowel syndrome in inflammatory bowel disease"
    assert record["authors"] == ["Y. Uno"]
    assert record["venue"] == "Medical Hypotheses"  # T2 before the abbreviation J2
    assert (record["year"], record.get("month")) == (2019, None)
    assert record["doi"] == "10.1016/j.mehy.2019.109324"
    assert record["url"].startswith("https://www.scopus.com/inward/record.uri?eid=2-s2.0-85070226738&")
    assert len(record["keywords"]) == 32
    assert record["keywords"][:3] == ["FODMAP", "Inflammatory bowel disease", "Irritable bowel syndrome"]
    assert record["keywords"][-1] == "ulcerative colitis"
    assert record["abstract"].startswith("Functional bowel symptoms can be occurred during remission")
    assert record["abstract"].endswith("relieve and prevent IBD-IBS symptoms. © 2019")
    # the wrapped reference list (N1) stays out of every field read
    assert "Isgar" not in record["abstract"] + " ".join(record["keywords"])


@needs_fixtures
def test_ieee_conference_record_after_a_stray_cr():
    name = "litstudy_example.ris"
    result = read_fixture(name)
    # IEEE separates records with "\n\r": the loader turns the lone CR into a line end, so each
    # TY line follows two blank lines and the reader numbers lines as the loader's text does.
    assert lines_of(name, 520, 522) == ["", "", "TY  - CONF"]
    record = record_at(result, f"{name}:522")
    assert {k: v for k, v in record.items() if k != "abstract"} == {
        "title": "Novel W2W/C2W Hybrid Bonding Technology with High Stacking Yield Using Ultra-Fine Size, "
        "Ultra-High Density Cu Nano-Pillar (CNP) for Exascale 2.5D/3D Integration",
        "authors": [
            "K. W. Lee",
            "C. Nagai",
            "J. C. Bea",
            "T. Fukushima",
            "T. Tanaka",
            "M. Koyanagi",
            "R. Suresh",
            "X. W. Xilinx",
        ],  # fmt: skip
        "year": 2016,
        "month": 5,  # Y1  - 31 May-3 June 2016
        "venue": "2016 IEEE 66th Electronic Components and Technology Conference (ECTC)",
        "doi": "10.1109/ectc.2016.10",
        "keywords": [
            "Electrodes",
            "Bonding",
            "Resistance",
            "Anisotropic conductive films",
            "Surface treatment",
            "Stacking",
            "Field programmable gate arrays",
            "Hybrid bonding",
            "Cu nano-pillar (CNP)",
            "extruded electrode",
            "exascale 2.5D/3D integration",
        ],  # fmt: skip
        "quality_flags": [],
        "source": f"{name}:522",
    }
    assert record["abstract"].startswith("We propose a novel hybrid bonding technology")
    # IEEE repeats an author: kept as given
    assert result.records[0]["authors"] == ["G. Kalbe", "G. Kalbe"]
    assert (result.records[0]["year"], result.records[0]["month"]) == (2019, 1)  # Y1  - 1 Jan.-Feb. 2019
    # one record has an empty "DO  - ": no DOI, nothing else lost
    assert sum("doi" not in r for r in result.records) == 1


@needs_fixtures
def test_load_reads_the_fixtures_through_the_loader():
    papers = lr.load(FIXTURES / "ris" / "asreview__baseline.ris", merge=False)
    assert len(papers) == 100
    assert lr.load_problems(papers).empty
    assert papers["source"].iloc[0].endswith("asreview__baseline.ris:1")
    assert papers["title"].iloc[0].startswith("The Value of Radiologic Interventions")


# --------------------------------------------------------------------------- sniffing


@pytest.mark.parametrize(
    "text",
    [
        "TY  - JOUR\nTI  - x\nER  - \n",
        "\ufeffTY  - JOUR\r\nTI  - x\r\nER  -\r\n",
        "\n\n1.\nTY  - JOUR\nT1  - x\nER  -\n",
        "<1>\nTY  - JOUR\n",
        "\rTY  - CONF\n",
        'Provider: JSTOR http://www.jstor.org\nDatabase: JSTOR\nContent: text/plain; charset="UTF-8"\n\nTY  - JOUR\n',
        "TY  -\nTI  - x\nER  -\n",
    ],
)
def test_sniff_accepts_ris_heads(text):
    assert ris.sniff(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\n\n",
        "TI  - a title first\nTY  - JOUR\n",
        "FN Clarivate Analytics Web of Science\nVR 1.0\nPT J\nTI x\nER\nEF\n",
        "@article{key,\n  title = {TY  - JOUR}\n}\n",
        "Some notes about papers\nTY  - JOUR\n",
        "title,abstract\nTY  - JOUR,x\n",
        "\n".join(f"Note {i}: header" for i in range(12)) + "\nTY  - JOUR\n",
    ],
)
def test_sniff_rejects_other_heads(text):
    assert not ris.sniff(text)


# --------------------------------------------------------------------------- fields


def one(text: str) -> dict:
    result = read(text)
    assert result.problems == []
    [record] = result.records
    return record


@pytest.mark.parametrize("kind", ["JOUR", "CONF", "CPAPER", "BOOK", "CHAP", "THES", "RPRT", "GEN", "ELEC", "UNPB"])
def test_every_reference_type_is_read(kind):
    record = one(f"TY  - {kind}\nTI  - A title\nAU  - Doe, Jane\nPY  - 2020\nER  - \n")
    assert (record["title"], record["authors"], record["year"]) == ("A title", ["Jane Doe"], 2020)


def test_ty_without_a_type_is_still_a_record_start():
    assert one("TY  -\nTI  - untyped\nER  -\n")["title"] == "untyped"


def test_minimal_record_exact():
    text = "TY  - JOUR\nTI  - Attention Is All You Need\nER  - \n"
    assert modelled(read(text).records) == [
        {"title": "Attention Is All You Need", "authors": [], "keywords": [], "quality_flags": ["no-abstract"],
         "source": "t.ris:1"}
    ]  # fmt: skip


def test_title_precedence_and_book_titles():
    assert one("TY  - JOUR\nT1  - from T1\nTI  - from TI\nER  -\n")["title"] == "from TI"
    assert one("TY  - JOUR\nT1  - from T1\nER  -\n")["title"] == "from T1"
    assert one("TY  - UNPB\nCT  - from CT\nER  -\n")["title"] == "from CT"
    book = one("TY  - BOOK\nBT  - The Book\nT2  - A Series\nER  -\n")
    assert (book["title"], book["venue"]) == ("The Book", "A Series")
    chapter = one("TY  - CHAP\nTI  - A Chapter\nBT  - The Book\nER  -\n")
    assert (chapter["title"], chapter["venue"]) == ("A Chapter", "The Book")
    # BT is not a title for a journal article: with nothing else, the record has no title
    result = read("TY  - JOUR\nBT  - Not a title\nDO  - 10.1000/x\nER  -\n")
    assert "title" not in result.records[0] and result.records[0]["quality_flags"] == ["no-abstract", "no-title"]


def test_abstract_precedence_and_wrapping():
    assert one("TY  - JOUR\nTI  - t\nN2  - from N2\nAB  - from AB\nER  -\n")["abstract"] == "from AB"
    record = one("TY  - JOUR\nTI  - t\nN2  - first line\n  second line  \n\nthird line\nKW  - k\nER  -\n")
    assert record["abstract"] == "first line second line third line"
    assert record["keywords"] == ["k"]


def test_venue_precedence():
    tags = {"JF": "Full F", "JO": "Full O", "T2": "Secondary", "C3": "Proceedings", "BT": "Book", "JA": "Abbr A",
            "J1": "Abbr 1", "J2": "Abbr 2"}  # fmt: skip
    order = list(tags)
    for i, tag in enumerate(order):
        lines = "".join(f"{t}  - {tags[t]}\n" for t in reversed(order[i:]))  # written in reverse order
        assert one(f"TY  - JOUR\nTI  - t\n{lines}ER  -\n")["venue"] == tags[tag]


def test_authors_from_au_and_a1_in_file_order_editors_left_out():
    record = one(
        "TY  - JOUR\nTI  - t\nA1  - van der Maaten, Laurens\nA2  - Editor, Ed\nAU  - Hinton, Geoffrey E.\n"
        "AU  - Yann LeCun\nAU  - \nA3  - Series, Sam\nER  -\n"
    )
    assert record["authors"] == ["Laurens van der Maaten", "Geoffrey E. Hinton", "Yann LeCun"]


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2019", (2019, None)),
        ("2019//", (2019, None)),
        ("2019///", (2019, None)),
        ("2019/05/12/", (2019, 5)),
        ("2019/05//", (2019, 5)),
        ("2019/13/01/", (2019, None)),
        ("2019-05-12", (2019, 5)),
        ("2020///nan", (2020, None)),
        ("1 Jan.-Feb. 2019", (2019, 1)),
        ("24-27 Sept. 2019", (2019, 9)),
        ("June 2021", (2021, 6)),
        ("Spring 2018", (2018, None)),
        ("Marketing 2018", (2018, None)),
        ("September 2018", (2018, 9)),
        ("n.d.", (None, None)),
        ("0000//", (None, None)),
        ("", (None, None)),
    ],
)
def test_parse_date(value, expected):
    assert parse_date(value) == expected


def test_year_from_py_month_from_a_date_of_the_same_year():
    assert (lambda r: (r["year"], r["month"]))(one("TY  - JOUR\nTI  - t\nPY  - 2021\nDA  - 2021/02/01/\nER  -\n")) == (
        2021,
        2,
    )
    # DA of another year (an online date) gives no month for PY's year
    record = one("TY  - JOUR\nTI  - t\nPY  - 2021\nDA  - 2020/11/30\nER  -\n")
    assert (record["year"], record.get("month")) == (2021, None)
    record = one("TY  - JOUR\nTI  - t\nY1  - 2018/03/01/\nER  -\n")
    assert (record["year"], record["month"]) == (2018, 3)
    record = one("TY  - JOUR\nTI  - t\nDA  - 2017/09\nER  -\n")
    assert (record["year"], record["month"]) == (2017, 9)


def test_doi_normalised_and_from_a_doi_link():
    assert one("TY  - JOUR\nTI  - t\nDO  - https://doi.org/10.1038/NATURE14539.\nER  -\n")["doi"] == (
        "10.1038/nature14539"
    )
    record = one("TY  - JOUR\nTI  - t\nUR  - https://doi.org/10.18653/v1/N19-1423\nER  -\n")
    assert (record["doi"], record["url"]) == ("10.18653/v1/n19-1423", "https://doi.org/10.18653/v1/N19-1423")


def test_url_skips_attachments_and_takes_the_first_link():
    record = one(
        "TY  - JOUR\nTI  - t\nL1  - file:///C:/papers/x.pdf\nL1  - internal-pdf://0123/x.pdf\n"
        "L2  - https://example.org/full-text\nER  -\n"
    )
    assert record["url"] == "https://example.org/full-text"
    record = one("TY  - JOUR\nTI  - t\nUR  - https://a.org/1 https://b.org/2\nUR  - https://c.org/3\nER  -\n")
    assert record["url"] == "https://a.org/1"


@pytest.mark.parametrize(
    "lines, arxiv_id, version",
    [
        ("UR  - https://arxiv.org/abs/2106.09685v2", "2106.09685", 2),
        ("UR  - http://arxiv.org/pdf/2106.09685.pdf", "2106.09685", None),
        ("L2  - https://arxiv.org/abs/hep-th/9901001v1", "hep-th/9901001", 1),
        ("DO  - 10.48550/arXiv.2303.11366", "2303.11366", None),
        ("UR  - https://doi.org/10.48550/ARXIV.2303.11366", "2303.11366", None),
        ("JO  - arXiv preprint arXiv:2203.02155", "2203.02155", None),
        ("UR  - https://example.org/arxiv", None, None),
    ],
)
def test_arxiv_ids(lines, arxiv_id, version):
    record = one(f"TY  - GEN\nTI  - t\n{lines}\nER  -\n")
    assert (record.get("arxiv_id"), record.get("arxiv_version")) == (arxiv_id, version)


def test_arxiv_from_link_helper():
    assert arxiv_from_link("https://arxiv.org/abs/2106.09685/") == ("2106.09685", None)
    assert arxiv_from_link("https://arxiv.org/abs/not-an-id") is None
    assert arxiv_from_link("10.1038/nature14539") is None


# --------------------------------------------------------------------------- layout quirks


def test_tag_separator_variants_bom_crlf_and_stray_cr():
    text = "\ufeffTY  - JOUR\r\nTI - one space\r\nAU  -\r\nPY  - 2019//\r\nER  -\r\n\n\rTY  - CONF\nTI  - two\nER  -"
    result = read(text)
    assert result.problems == []
    assert [(r["title"], r["year"] if "year" in r else None, r["source"]) for r in result.records] == [
        ("one space", 2019, "t.ris:1"),
        ("two", None, "t.ris:7"),
    ]


def test_text_between_records_is_not_a_record():
    text = (
        "Provider: JSTOR\n\n<1>\nTY  - JOUR\nTI  - first\nER  -\nNL  - J Abbrev\n\n"
        "Link to the Ovid Full Text or citation: https://example.org\n\n2.\nTY  - JOUR\nTI  - second\nER  -\n"
    )
    result = read(text)
    assert result.problems == []
    assert [(r["title"], r["source"]) for r in result.records] == [("first", "t.ris:4"), ("second", "t.ris:12")]


def test_er_inside_a_wrapped_line_is_text_only_at_the_start_of_a_line():
    record = one("TY  - JOUR\nTI  - t\nAB  - the ER  - tag inside\nER  -\n")
    assert record["abstract"] == "the ER  - tag inside"


# --------------------------------------------------------------------------- damaged records


def test_missing_er_at_end_of_file_keeps_a_titled_record():
    result = read("TY  - JOUR\nTI  - complete\nER  -\nTY  - JOUR\nTI  - cut short\nAB  - half an abs")
    assert [r["title"] for r in result.records] == ["complete", "cut short"]
    assert result.records[1]["quality_flags"] == ["truncated"]
    assert problems(result) == [
        ("warning", "t.ris:4: RIS record has no ER line (the file ends inside it); kept and flagged 'truncated'")
    ]


def test_missing_er_without_title_is_an_error():
    result = read("TY  - JOUR\nTI  - complete\nER  -\nTY  - JOUR\nAB  - an abstract and no title\n")
    assert [r["title"] for r in result.records] == ["complete"]
    assert problems(result) == [
        ("error", "t.ris:4: RIS record has no ER line (the file ends inside it); skipped: it has no title")
    ]


def test_missing_er_before_the_next_ty():
    result = read("TY  - JOUR\nTI  - first\nTY  - JOUR\nTI  - second\nER  -\n")
    assert [(r["title"], r["quality_flags"]) for r in result.records] == [
        ("first", ["no-abstract", "truncated"]),
        ("second", ["no-abstract"]),
    ]
    assert problems(result) == [
        ("warning", "t.ris:1: RIS record has no ER line before the TY at line 3; kept and flagged 'truncated'")
    ]


def test_missing_ty_keeps_a_titled_record():
    result = read("TY  - JOUR\nTI  - first\nER  -\n\nTI  - orphan\nAU  - Doe, J.\nER  -\n")
    assert [(r["title"], r["source"]) for r in result.records] == [("first", "t.ris:1"), ("orphan", "t.ris:5")]
    assert result.records[1]["authors"] == ["J. Doe"]
    assert "truncated" in result.records[1]["quality_flags"]
    assert problems(result) == [("warning", "t.ris:5: RIS record has no TY line; kept and flagged 'truncated'")]


def test_missing_ty_and_er_without_title():
    result = read("AB  - just an abstract\n")
    assert result.records == []
    assert problems(result) == [
        (
            "error",
            "t.ris:1: RIS record has no TY line and no ER line (the file ends inside it); skipped: it has no title",
        )
    ]


def test_record_that_is_not_a_paper():
    result = read("TY  - JOUR\nAU  - Doe, Jane\nPY  - 2020\nER  -\nTY  - JOUR\nAB  - only an abstract\nER  -\n")
    assert problems(result) == [("error", "t.ris:1: RIS record has no title, abstract, DOI or arXiv id; skipped")]
    assert modelled(result.records) == [
        {"abstract": "only an abstract", "authors": [], "keywords": [], "quality_flags": ["no-title"],
         "source": "t.ris:5"}
    ]  # fmt: skip


@pytest.mark.parametrize("text", ["", "\n\n", "just some text\n", "NL  - noise only\n"])
def test_no_records_is_reported(text):
    result = read(text)
    assert result.records == []
    assert problems(result) == [("error", "t.ris: no RIS records found (no line starts with 'TY  - ')")]


ris_like_lines = st.lists(
    st.one_of(
        st.sampled_from(["TY  - JOUR", "ER  -", "ER  - ", "TY  -", "", "1.", "<2>", "\r", "\ufeff", "   "]),
        st.builds(
            lambda tag, value: f"{tag}  - {value}",
            st.sampled_from(
                [
                    "TI",
                    "T1",
                    "AU",
                    "A1",
                    "AB",
                    "N2",
                    "PY",
                    "Y1",
                    "DA",
                    "DO",
                    "UR",
                    "L1",
                    "KW",
                    "JO",
                    "T2",
                    "BT",
                    "CT",
                    "XX",
                    "TY",
                ]
            ),  # fmt: skip
            st.text(max_size=30),
        ),
        st.text(max_size=40),
    ),
    max_size=40,
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(), ris_like_lines.map("\n".join)))
def test_read_never_raises(text):
    result = ris.read(text, "f.ris")
    ris.sniff(text)
    for record in result.records:
        assert set(record) <= set(COLUMNS)
        assert record["source"].startswith("f.ris:")
        assert record.get("title") or record.get("abstract") or record.get("doi") or record.get("arxiv_id")
    for problem in result.problems:
        assert problem.file == "f.ris" and problem.message


# --------------------------------------------------------------------------- writer


def test_reference_type_rule():
    assert ris_writer.reference_type("ICLR") == "CONF"
    assert ris_writer.reference_type("ICLR 2024") == "CONF"
    assert ris_writer.reference_type("Proceedings of the 2019 Conference of the NAACL") == "CONF"
    assert ris_writer.reference_type("NeurIPS Workshop on Efficient NLP") == "CONF"
    assert ris_writer.reference_type("Nature Machine Intelligence") == "JOUR"
    assert ris_writer.reference_type("Transactions of the ACL") == "JOUR"
    assert ris_writer.reference_type("Findings of the ACL: EMNLP 2023") == "CONF"
    assert ris_writer.reference_type("Proceedings of the National Academy of Sciences") == "JOUR"
    assert ris_writer.reference_type("IEEE Journal of Solid-State Circuits") == "JOUR"
    assert ris_writer.reference_type("Psychoneuroendocrinology") == "JOUR"
    assert ris_writer.reference_type("arXiv") == "GEN"
    assert ris_writer.reference_type("arXiv preprint arXiv:2106.09685") == "GEN"
    assert ris_writer.reference_type("CoRR") == "GEN"
    assert ris_writer.reference_type(None) == "GEN"
    assert ris_writer.reference_type("") == "GEN"


def test_write_exact_output():
    papers = to_frame(
        [
            {
                "title": "LoRA: Low-Rank Adaptation of Large Language Models",
                "authors": ["Edward J. Hu", "Yelong Shen"],
                "year": 2021,
                "month": 6,
                "venue": "arXiv",
                "abstract": "An important paradigm\nof NLP.",
                "arxiv_id": "2106.09685",
                "arxiv_version": 2,
                "keywords": ["peft", "adapters"],
                "notes": "not written",
                "source": "x:1",
            },
            {
                "title": "Deep learning",
                "venue": "Nature",
                "year": 2015,
                "doi": "10.1038/nature14539",
                "url": "https://doi.org/10.1038/nature14539",
            },  # fmt: skip
            {
                "title": "Attention",
                "venue": "NeurIPS",
                "url": "https://arxiv.org/abs/1706.03762",
                "arxiv_id": "1706.03762",
            },
        ]
    )
    assert ris_writer.write(papers) == (
        "TY  - GEN\nID  - hu2021lora\nTI  - LoRA: Low-Rank Adaptation of Large Language Models\nAU  - Hu, Edward J.\n"
        "AU  - Shen, Yelong\nPY  - 2021\nDA  - 2021/06//\nT2  - arXiv\nAB  - An important paradigm of NLP.\n"
        "KW  - peft\nKW  - adapters\nUR  - https://arxiv.org/abs/2106.09685v2\nN1  - not written\nER  - \n\n"
        "TY  - JOUR\nID  - 2015deep\nTI  - Deep learning\nPY  - 2015\nJO  - Nature\nDO  - 10.1038/nature14539\n"
        "UR  - https://doi.org/10.1038/nature14539\nER  - \n\n"
        "TY  - CONF\nID  - arxiv1706.03762attention\nTI  - Attention\nT2  - NeurIPS\n"
        "UR  - https://arxiv.org/abs/1706.03762\nER  - \n"
    )
    assert ris_writer.FORMAT == "ris" and ris_writer.EXTENSION == ".ris"


def test_write_documented_losses():
    papers = to_frame([{"title": "T", "authors": ["John  Smith, Jr.", "Ann Lee"], "month": 5, "arxiv_id": "2106.09685",
                        "arxiv_version": 3, "url": "https://arxiv.org/abs/2106.09685"}])  # fmt: skip
    text = ris_writer.write(papers)
    assert "DA  - " not in text  # a month without a year
    [back] = ris.read(text, "out.ris").records
    assert back["authors"] == ["Jr. John Smith", "Ann Lee"]
    assert (back["arxiv_id"], back.get("arxiv_version"), back.get("month")) == ("2106.09685", None, None)


def test_write_empty_table_and_missing_values():
    assert ris_writer.write(to_frame([])) == ""
    frame = pd.DataFrame({"title": ["T"], "venue": [float("nan")], "year": [pd.NA], "authors": [None]})
    assert ris_writer.write(frame) == "TY  - GEN\nID  - t\nTI  - T\nER  - \n"


ROUND_TRIP_FIELDS = ["title", "abstract", "authors", "year", "month", "venue", "doi", "url", "keywords", "arxiv_id"]

NASTY = [
    {
        "title": "<script>alert(1)</script>",
        "abstract": "First line.\nER  - this is not the end\nTY  - JOUR\n   indented line\r\nlast line",
        "authors": ["Zoë Ångström", "José Ñúñez-Ortiz", "李 雷"],
        "year": 2023,
        "month": 11,
        "venue": "Proceedings of the Äquivalenz Workshop",
        "doi": "10.5555/äöü-1",
        "url": "https://example.org/paper?id=1&x=<b>",
        "keywords": ["ER  - ", "naïve Bayes", "KW  - nested"],
    },
    {
        "title": "Crème brûlée: a  double-spaced\ttitle — with “quotes”",
        "abstract": None,
        "authors": [],
        "year": 1999,
        "month": None,
        "venue": "Journal of Désserts",
        "doi": None,
        "url": None,
        "keywords": [],
        "arxiv_id": "hep-th/9901001",
    },
    {
        "title": None,
        "abstract": "An abstract only, with an arXiv url.",
        "authors": ["Yann LeCun"],
        "year": 2015,
        "month": 5,
        "venue": "arXiv",
        "url": "https://arxiv.org/abs/2106.09685v1",
        "arxiv_id": "2106.09685",
        "keywords": [],
    },
]


def flattened(value):
    """What the writer promises to read back: one line, blanks around line breaks made one space."""
    if value is None:
        return None
    if isinstance(value, list):
        return [flattened(v) for v in value if flattened(v)]
    if isinstance(value, str):
        return " ".join(part for part in (line.strip() for line in value.splitlines()) if part) or None
    return value


def expected_back(row: dict) -> dict:
    out = {field: flattened(row.get(field)) for field in ROUND_TRIP_FIELDS}
    if out["url"] is None and out["arxiv_id"]:
        out["url"] = f"https://arxiv.org/abs/{out['arxiv_id']}"  # documented: the arXiv link becomes the url
    out["authors"] = out["authors"] or []
    out["keywords"] = out["keywords"] or []
    return out


def read_back(papers: pd.DataFrame) -> list[dict]:
    text = ris_writer.write(papers)
    result = ris.read(text, "out.ris")
    assert result.problems == []
    assert len(result.records) == len(papers)
    return [{field: record.get(field, [] if field in ("authors", "keywords") else None) for field in ROUND_TRIP_FIELDS}
            for record in result.records]  # fmt: skip


def test_round_trip_nasty_records():
    papers = to_frame(NASTY)
    back = read_back(papers)
    assert back == [expected_back(row) for row in NASTY]
    assert back[0]["abstract"] == "First line. ER  - this is not the end TY  - JOUR indented line last line"
    assert back[0]["title"] == "<script>alert(1)</script>"
    assert back[1]["title"] == "Crème brûlée: a  double-spaced\ttitle — with “quotes”"
    assert back[1]["url"] == "https://arxiv.org/abs/hep-th/9901001"
    assert back[2]["arxiv_id"] == "2106.09685" and back[2]["url"] == "https://arxiv.org/abs/2106.09685v1"


def test_round_trip_through_the_loader(tmp_path):
    path = tmp_path / "out.ris"
    path.write_text(ris_writer.write(to_frame(NASTY)), encoding="utf-8", newline="\r\n")
    papers = lr.load(path, merge=False)
    assert lr.load_problems(papers).empty
    assert list(papers["title"])[:2] == [
        "<script>alert(1)</script>",
        "Crème brûlée: a  double-spaced\ttitle — with “quotes”",
    ]
    assert list(papers["month"]) == [11, pd.NA, 5]


@needs_fixtures
@pytest.mark.parametrize("name", sorted(RIS_COUNTS))
def test_round_trip_real_fixture(name):
    records = read_fixture(name).records
    back = read_back(to_frame(records))
    assert back == [expected_back(record) for record in records]


names = st.lists(st.from_regex(r"[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ.'-]{0,8}", fullmatch=True), min_size=1, max_size=3).map(" ".join)
paper = st.fixed_dictionaries(
    {
        "title": st.text(min_size=1, max_size=60),
        "abstract": st.one_of(st.none(), st.text(max_size=120)),
        "authors": st.lists(names, max_size=4),
        "year": st.one_of(st.none(), st.integers(1000, 2999)),
        "month": st.one_of(st.none(), st.integers(1, 12)),
        "venue": st.one_of(st.none(), st.from_regex(r"[A-Za-z][A-Za-z ]{0,30}", fullmatch=True)),
        "doi": st.one_of(st.none(), st.from_regex(r"10\.5555/[a-z0-9.]{0,12}[a-z0-9]", fullmatch=True)),
        "url": st.one_of(st.none(), st.from_regex(r"https://example\.org/[a-z0-9]{1,10}", fullmatch=True)),
        "keywords": st.lists(st.text(max_size=20), max_size=4),
        "arxiv_id": st.one_of(st.none(), st.from_regex(r"2[0-4](0[1-9]|1[0-2])\.[0-9]{5}", fullmatch=True)),
    }
)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(paper, min_size=1, max_size=4).filter(lambda rows: all(flattened(r["title"]) for r in rows)))
def test_round_trip_property(rows):
    for row in rows:
        if row["year"] is None:
            row["month"] = None  # a month alone is not written (DA needs a year)
    back = read_back(to_frame(rows))
    assert back == [expected_back(row) for row in rows]
