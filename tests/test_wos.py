"""Web of Science plain-text export: a small realistic sample and hand-made edge cases."""

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import litreview as lr
from litreview.io.readers import detect_format, ris, wos
from litreview.schema import COLUMNS

FIXTURES = Path(__file__).resolve().parents[2] / "shared" / "fixtures"
needs_fixtures = pytest.mark.skipif(not FIXTURES.is_dir(), reason="../shared/fixtures is not beside this checkout")

# A savedrecs.txt as Web of Science writes it (shortened: fewer CR lines, shorter abstracts): a header,
# a journal review, a preprint (Preprint Citation Index: an arXiv DOI), and a proceedings paper cut
# short by a truncated download (no ER, no EF).  Line numbers matter: the PT lines are 3, 49 and 74.
SAMPLE = """\
FN Clarivate Analytics Web of Science
VR 1.0
PT J
AU LeCun, Y
   Bengio, Y
   Hinton, G
AF LeCun, Yann
   Bengio, Yoshua
   Hinton, Geoffrey
TI Deep learning
SO NATURE
LA English
DT Review
ID NEURAL-NETWORKS; BACKPROPAGATION; RECOGNITION; REPRESENTATIONS; SPEECH;
   ALGORITHM
AB Deep learning allows computational models that are composed of multiple
   processing layers to learn representations of data with multiple levels
   of abstraction.
C1 [LeCun, Yann] Facebook AI Res, New York, NY 10003 USA.
   [Bengio, Yoshua] Univ Montreal, Dept Comp Sci & Operat Res, Montreal, PQ H3C 3J7, Canada.
   [Hinton, Geoffrey] Univ Toronto, Dept Comp Sci, Toronto, ON M5S 3G4, Canada.
RP LeCun, Y (corresponding author), Facebook AI Res, 770 Broadway, New York, NY 10003 USA.
CR Bengio Y, 2013, IEEE T PATTERN ANAL, V35, P1798, DOI 10.1109/TPAMI.2013.50
   Hochreiter S, 1997, NEURAL COMPUT, V9, P1735, DOI 10.1162/neco.1997.9.8.1735
NR 103
TC 100
Z9 100
PU NATURE PORTFOLIO
SN 0028-0836
EI 1476-4687
J9 NATURE
JI Nature
PD MAY 28
PY 2015
VL 521
IS 7553
BP 436
EP 444
DI 10.1038/nature14539
PG 9
WC Multidisciplinary Sciences
SC Science & Technology - Other Topics
GA CI7ZF
UT WOS:000355286600030
PM 26017442
DA 2024-01-15
ER

PT J
AU Hu, EJ
   Shen, YL
   Chen, WZ
AF Hu, Edward J.
   Shen, Yelong
   Chen, Weizhu
TI LoRA: Low-Rank Adaptation of Large Language Models
SO arXiv
DT Preprint
DE Computation and Language; Artificial Intelligence; Machine Learning;
   Low-rank
   adaptation
AB An important paradigm of natural language processing consists of
   large-scale pre-training on general domain data and adaptation to
   particular tasks or domains.
PD JUN 17
PY 2021
DI 10.48550/arXiv.2106.09685
WC Computer Science, Artificial Intelligence; Computer Science, Theory &
   Methods
SC Computer Science
UT PPRN:10000001
ER

PT C
AU García, M
   Okafor, C
AF García, María
   Okafor, Chidi
TI Screening citations with active learning: a replication with
   transformer embeddings
SO PROCEEDINGS OF THE WORKSHOP ON EVIDENCE SYNTHESIS
CT Workshop on Evidence Synthesis
DE active learning; systematic review
AB We replicate an active-learning screening study with transformer
"""


def read(text: str, file: str = "savedrecs.txt") -> wos.ReadResult:
    return wos.read(text, file)


def problems(result) -> list[tuple[str, str]]:
    return [(p.severity, str(p)) for p in result.problems]


# --------------------------------------------------------------------------- the sample


def test_sample_records_and_the_one_problem():
    result = read(SAMPLE)
    assert [r["source"] for r in result.records] == ["savedrecs.txt:3", "savedrecs.txt:49", "savedrecs.txt:74"]
    assert problems(result) == [
        (
            "warning",
            "savedrecs.txt:74: Web of Science record has no ER line (the file ends inside it); "
            "kept and flagged 'truncated'",
        )
    ]
    for record in result.records:
        assert set(record) <= set(COLUMNS)


def test_sample_journal_record_exact():
    assert read(SAMPLE).records[0] == {
        "title": "Deep learning",
        "abstract": "Deep learning allows computational models that are composed of multiple processing layers "
        "to learn representations of data with multiple levels of abstraction.",
        "authors": ["Yann LeCun", "Yoshua Bengio", "Geoffrey Hinton"],  # AF, not AU's initials
        "year": 2015,
        "month": 5,  # PD MAY 28
        "venue": "NATURE",
        "doi": "10.1038/nature14539",
        "keywords": ["NEURAL-NETWORKS", "BACKPROPAGATION", "RECOGNITION", "REPRESENTATIONS", "SPEECH", "ALGORITHM"],
        "categories": ["Multidisciplinary Sciences", "Science & Technology - Other Topics"],
        # CR: one reference per line, as written; TC: times cited; UT: the accession number
        "references": [
            "Bengio Y, 2013, IEEE T PATTERN ANAL, V35, P1798, DOI 10.1109/TPAMI.2013.50",
            "Hochreiter S, 1997, NEURAL COMPUT, V9, P1735, DOI 10.1162/neco.1997.9.8.1735",
        ],
        "citation_count": 100,
        "external_ids": ["wos:WOS:000355286600030"],
        "quality_flags": [],
        "source": "savedrecs.txt:3",
    }


def test_sample_preprint_record_exact():
    assert read(SAMPLE).records[1] == {
        "title": "LoRA: Low-Rank Adaptation of Large Language Models",
        "abstract": "An important paradigm of natural language processing consists of large-scale pre-training on "
        "general domain data and adaptation to particular tasks or domains.",
        "authors": ["Edward J. Hu", "Yelong Shen", "Weizhu Chen"],
        "year": 2021,
        "month": 6,
        "venue": "arXiv",
        "arxiv_id": "2106.09685",  # from the arXiv DOI
        "doi": "10.48550/arxiv.2106.09685",
        # a keyword wrapped over two continuation lines is one keyword
        "keywords": ["Computation and Language", "Artificial Intelligence", "Machine Learning", "Low-rank adaptation"],
        # a category wrapped inside its name ("Theory &" / "Methods") is one category; WC before SC
        "categories": [
            "Computer Science, Artificial Intelligence",
            "Computer Science, Theory & Methods",
            "Computer Science",
        ],
        "external_ids": ["wos:PPRN:10000001"],
        "quality_flags": [],
        "source": "savedrecs.txt:49",
    }


def test_sample_truncated_record_exact():
    assert read(SAMPLE).records[2] == {
        "title": "Screening citations with active learning: a replication with transformer embeddings",
        "abstract": "We replicate an active-learning screening study with transformer",
        "authors": ["María García", "Chidi Okafor"],
        "venue": "PROCEEDINGS OF THE WORKSHOP ON EVIDENCE SYNTHESIS",
        "keywords": ["active learning", "systematic review"],
        "categories": [],
        "quality_flags": ["truncated"],
        "source": "savedrecs.txt:74",
    }


def test_sample_with_bom_and_crlf_reads_the_same():
    crlf = "\ufeff" + SAMPLE.replace("\n", "\r\n")
    assert read(crlf).records == read(SAMPLE).records
    assert problems(read(crlf)) == problems(read(SAMPLE))


def test_sample_complete_file_has_no_problems():
    complete = SAMPLE + "   embeddings and report recall at 95%.\nPY 2023\nER\n\nEF\n"
    result = read(complete)
    assert result.problems == []
    last = result.records[2]
    assert last["abstract"] == (
        "We replicate an active-learning screening study with transformer embeddings and report recall at 95%."
    )
    assert (last["year"], last["quality_flags"]) == (2023, [])


def test_load_reads_a_savedrecs_file(tmp_path):
    path = tmp_path / "savedrecs.txt"
    path.write_bytes(("\ufeff" + SAMPLE).replace("\n", "\r\n").encode("utf-8"))
    with pytest.warns(lr.LoadWarning, match="no ER line"):
        papers = lr.load(path, merge=False)
    assert len(papers) == 3
    assert list(papers["title"])[0] == "Deep learning"
    assert list(lr.load_problems(papers)["severity"]) == ["warning"]


# --------------------------------------------------------------------------- sniffing


def test_sniff_accepts_the_sample_and_variants():
    assert wos.sniff(SAMPLE)
    assert wos.sniff("\ufeffFN Clarivate Analytics Web of Science\r\nVR 1.0\r\nPT J\r\n")
    assert wos.sniff("FN Thomson Reuters Web of Science™\nVR 1.0\n")
    assert wos.sniff("\n\nFN Clarivate Analytics Web of Science\nPT J\nAU Kim, S\n")
    assert wos.sniff("PT J\nAU Kim, S\nAF Kim, S\nTI Supervenience and causation\nSO SYNTHESE\nER\n")  # no header
    assert detect_format(SAMPLE) == "wos"
    assert detect_format(SAMPLE, ".txt") == "wos"
    assert detect_format(SAMPLE, ".ciw") == "wos"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "FN\n",
        "FN some file name\nnot a header\n",
        "PT J\nsome text\nmore text\n",
        "TY  - JOUR\nTI  - x\nER  - \n",
        "A PROOF OF CONCEPT\nPT J\nTI x\nAU y\n",
        "title,abstract\nPT J,x\n",
    ],
)
def test_sniff_rejects_other_heads(text):
    assert not wos.sniff(text)


def test_ris_and_wos_sniffers_do_not_claim_each_other():
    assert not ris.sniff(SAMPLE)
    assert not ris.sniff("PT J\nAU Kim, S\nTI x\nSO y\nER\n")
    assert not wos.sniff("TY  - JOUR\nAU  - Kim, S\nER  -\n")


@needs_fixtures
def test_wos_sniffer_rejects_every_ris_fixture():
    for path in sorted((FIXTURES / "ris").glob("*.ris")):
        assert not wos.sniff(path.read_text(encoding="utf-8-sig")[:65536]), path.name


# --------------------------------------------------------------------------- fields and edge cases


HEADER = "FN Clarivate Analytics Web of Science\nVR 1.0\n"


def one(body: str) -> dict:
    result = read(HEADER + body + "EF\n")
    assert result.problems == []
    [record] = result.records
    return record


def test_au_used_when_there_is_no_af():
    assert one("PT J\nAU Kim, S\n   van der Berg, JA\nTI t\nER\n")["authors"] == ["S Kim", "JA van der Berg"]


def test_semicolon_lists_and_one_value_per_line_lists():
    record = one("PT J\nTI t\nDE alpha; beta;\n   gamma\nID ALPHA; BETA\n   ; GAMMA\nWC A; B\nSC B; A\nER\n")
    assert record["keywords"] == ["alpha", "beta", "gamma", "ALPHA", "BETA", "GAMMA"]
    assert record["categories"] == ["A", "B"]  # repeats dropped, first order kept
    # a converter's one-keyword-per-line list (no ";" anywhere) keeps each line whole
    assert one("PT J\nTI t\nDE deep learning\n   large language models\nER\n")["keywords"] == [
        "deep learning",
        "large language models",
    ]


@pytest.mark.parametrize(
    "dates, year, month",
    [
        ("PD MAR\nPY 2000\n", 2000, 3),
        ("PD JAN-FEB\nPY 2019\n", 2019, 1),
        ("PD SPR\nPY 2019\n", 2019, None),
        ("PD 2019\nPY 2019\n", 2019, None),
        ("PY 2001\n", 2001, None),
        ("EA MAR 2023\nEY 2023\n", 2023, 3),
        ("PY 20\n", None, None),
        ("", None, None),
    ],
)
def test_year_and_month(dates, year, month):
    record = one(f"PT J\nTI t\n{dates}ER\n")
    assert (record.get("year"), record.get("month")) == (year, month)


def test_doi_normalised_accession_number_kept_and_no_url():
    record = one("PT J\nTI t\nDI 10.1023/A:1005282128866\nUT WOS:000086967200001\nER\n")
    assert record["doi"] == "10.1023/a:1005282128866"
    assert record["external_ids"] == ["wos:WOS:000086967200001"]
    assert "url" not in record


def test_missing_er_before_the_next_pt_and_at_ef():
    result = read(HEADER + "PT J\nTI first\nPT J\nTI second\nAB x\nEF\n")
    assert [(r["title"], r["quality_flags"]) for r in result.records] == [
        ("first", ["no-abstract", "truncated"]),
        ("second", ["truncated"]),
    ]
    assert problems(result) == [
        (
            "warning",
            "savedrecs.txt:3: Web of Science record has no ER line before the next PT at line 5; "
            "kept and flagged 'truncated'",
        ),
        (
            "warning",
            "savedrecs.txt:5: Web of Science record has no ER line before the EF line at line 8; "
            "kept and flagged 'truncated'",
        ),
    ]


def test_concatenated_exports_and_a_record_cut_by_the_next_header():
    text = HEADER + "PT J\nTI first\nER\nPT J\nTI cut\n" + HEADER + "PT J\nTI third\nER\nEF\n"
    result = read(text)
    assert [r["title"] for r in result.records] == ["first", "cut", "third"]
    assert problems(result) == [
        (
            "warning",
            "savedrecs.txt:6: Web of Science record has no ER line before a new FN header at line 8; "
            "kept and flagged 'truncated'",
        )
    ]


def test_record_without_pt_line():
    result = read(HEADER + "PT J\nTI first\nER\n\nTI orphan\nPY 2020\nER\n\nAB no title here\nER\nEF\n")
    assert [(r["title"], r["source"]) for r in result.records] == [
        ("first", "savedrecs.txt:3"),
        ("orphan", "savedrecs.txt:7"),
    ]
    assert problems(result) == [
        ("warning", "savedrecs.txt:7: Web of Science record has no PT line; kept and flagged 'truncated'"),
        ("error", "savedrecs.txt:11: Web of Science record has no PT line; skipped: it has no title"),
    ]


def test_stray_tags_the_reader_does_not_read_are_not_a_record():
    result = read(HEADER + "PT J\nTI first\nER\nGA XYZ\n\nEF\n")
    assert result.problems == []
    assert len(result.records) == 1


def test_record_that_is_not_a_paper():
    result = read(HEADER + "PT J\nAU Kim, S\nPY 2000\nER\nPT J\nDI 10.1000/x\nER\nEF\n")
    assert problems(result) == [
        ("error", "savedrecs.txt:3: Web of Science record has no title, abstract or DOI; skipped"),
    ]
    assert [r["doi"] for r in result.records] == ["10.1000/x"]
    assert result.records[0]["quality_flags"] == ["no-abstract", "no-title"]


@pytest.mark.parametrize("text", ["", HEADER, HEADER + "EF\n", "random words\n"])
def test_no_records_is_reported(text):
    assert problems(read(text)) == [
        ("error", "savedrecs.txt: no Web of Science records found (no line starts with 'PT ')")
    ]


wos_like_lines = st.lists(
    st.one_of(
        st.sampled_from(["FN Clarivate", "VR 1.0", "PT J", "ER", "EF", "", "   ", "\ufeff", "\r"]),
        st.builds(
            lambda tag, value: f"{tag} {value}",
            st.sampled_from(["TI", "AB", "AU", "AF", "PY", "PD", "EY", "EA", "SO", "DI", "DE", "ID", "WC", "SC", "UT"]),
            st.text(max_size=30),
        ),
        st.text(max_size=30).map(lambda s: "   " + s),
        st.text(max_size=30),
    ),
    max_size=40,
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(), wos_like_lines.map("\n".join)))
def test_read_never_raises(text):
    result = wos.read(text, "f.txt")
    wos.sniff(text)
    for record in result.records:
        assert set(record) <= set(COLUMNS)
        assert record["source"].startswith("f.txt:")
        assert record.get("title") or record.get("abstract") or record.get("doi")
        assert isinstance(record.get("year", 0), int)
    for problem in result.problems:
        assert problem.file == "f.txt" and problem.message
