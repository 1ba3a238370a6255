"""BibTeX: the reader on real bibliographies and hand-made edge cases, and the writer's round trip."""

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from conftest import modelled
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from litreview.io.load import decode_text
from litreview.io.readers import bibtex, detect_format
from litreview.io.readers.bibtex import decode_latex, is_arxiv_venue
from litreview.io.writers import bibtex as writer
from litreview.schema import to_frame

FIXTURES = Path(__file__).resolve().parents[2] / "shared" / "fixtures"
needs_fixtures = pytest.mark.skipif(not FIXTURES.is_dir(), reason="../shared/fixtures is not beside this checkout")

BIB_FILES = (
    "probmlbib_bibliography.bib",
    "probmlbib_dirty.bib",
    "probmlbib_standardstrings.bib",
    "pybibx_scopus.bib",
    "rlhf-book_bib.bib",
)
ROUND_TRIP_FIELDS = (
    "title", "abstract", "authors", "year", "month", "venue", "arxiv_id", "arxiv_version", "doi", "url", "keywords",
    "notes",
)  # fmt: skip


def fixture_text(name: str) -> str:
    return decode_text((FIXTURES / "bibtex" / name).read_bytes())


def read_fixture(name: str):
    return bibtex.read(fixture_text(name), name)


def read(text: str):
    return bibtex.read(text, "t.bib")


def record_at(result, source: str) -> dict:
    [record] = [r for r in result.records if r["source"] == source]
    return modelled(record)  # the fields kept for export are tested in tests/test_roundtrip.py


def problems(result) -> list[tuple[str, str]]:
    return [(p.severity, str(p)) for p in result.problems]


def only(text: str) -> dict:
    """The one record of ``text``, read without any problem."""
    result = read(text)
    assert result.problems == []
    [record] = result.records
    return record


# --------------------------------------------------------------------------- fixtures


@needs_fixtures
@pytest.mark.parametrize(
    ("name", "records", "errors", "warnings", "notes"),
    [
        ("rlhf-book_bib.bib", 412, 0, 0, 0),
        ("probmlbib_bibliography.bib", 345, 0, 184, 0),  # bare macros defined in the strings file
        ("probmlbib_standardstrings.bib", 0, 0, 0, 0),  # only @string definitions: nothing to read, nothing wrong
        ("probmlbib_dirty.bib", 144, 0, 40, 23),  # notes: keys used twice (both records read whole)
        ("pybibx_scopus.bib", 263, 0, 0, 1),
    ],
)
def test_fixture_counts(name, records, errors, warnings, notes):
    result = read_fixture(name)
    assert len(result.records) == records
    assert sum(p.severity == "error" for p in result.problems) == errors
    assert sum(p.severity == "warning" for p in result.problems) == warnings
    assert sum(p.severity == "note" for p in result.problems) == notes


@needs_fixtures
@pytest.mark.parametrize("name", BIB_FILES)
def test_fixtures_are_detected_as_bibtex(name):
    text = fixture_text(name)
    assert detect_format(text, ".bib") == "bibtex"
    assert detect_format(text, ".txt") == "bibtex"  # by content alone, too


@needs_fixtures
def test_rlhf_book_arxiv_preprint_journal():
    # @article{nakano2021webgpt, ... journal={arXiv preprint arXiv:2112.09332}, ... and others}
    record = record_at(read_fixture("rlhf-book_bib.bib"), "rlhf-book_bib.bib:29")
    assert record == {
        "source": "rlhf-book_bib.bib:29",
        "title": "Webgpt: Browser-assisted question-answering with human feedback",
        "authors": [
            "Reiichiro Nakano",
            "Jacob Hilton",
            "Suchir Balaji",
            "Jeff Wu",
            "Long Ouyang",
            "Christina Kim",
            "Christopher Hesse",
            "Shantanu Jain",
            "Vineet Kosaraju",
            "William Saunders",
        ],  # fmt: skip
        "year": 2021,
        "venue": "arXiv",
        "arxiv_id": "2112.09332",
        "quality_flags": ["authors-incomplete", "no-abstract"],
    }


@needs_fixtures
def test_rlhf_book_eprint_doi_and_month_range():
    # booktitle, month={11--13 Apr}, eprint + archivePrefix + primaryClass, doi={10.48550/arXiv.1011.0686}
    record = record_at(read_fixture("rlhf-book_bib.bib"), "rlhf-book_bib.bib:2424")
    assert (
        record["venue"]
        == "Proceedings of the Fourteenth International Conference on Artificial Intelligence and Statistics"
    )
    assert record["month"] == 4
    assert record["arxiv_id"] == "1011.0686"
    assert record["categories"] == ["cs.LG"]
    assert record["doi"] == "10.48550/arxiv.1011.0686"
    assert record["url"] == "https://proceedings.mlr.press/v15/ross11a.html"
    assert record["authors"] == ["Stephane Ross", "Geoffrey Gordon", "Drew Bagnell"]


@needs_fixtures
def test_rlhf_book_misc_entries():
    result = read_fixture("rlhf-book_bib.bib")
    # @Misc with author={{Anthropic}}, howpublished={\url{...}}, month = nov # "~25"
    assert record_at(result, "rlhf-book_bib.bib:2841") == {
        "source": "rlhf-book_bib.bib:2841",
        "title": "Model Context Protocol (MCP)",
        "authors": ["Anthropic"],
        "year": 2024,
        "month": 11,
        "url": "https://modelcontextprotocol.io/",
        "quality_flags": ["no-abstract"],
    }
    olmoe = record_at(result, "rlhf-book_bib.bib:94")  # month = {February}, a braced corporate author
    assert (olmoe["authors"], olmoe["month"], olmoe["title"]) == (
        ["Allen Institute for Artificial Intelligence"],
        2,
        "OLMoE, meet iOS",
    )
    waltz = record_at(result, "rlhf-book_bib.bib:1916")  # @ARTICLE in capitals
    assert (waltz["venue"], waltz["doi"]) == ("IEEE Transactions on Automatic Control", "10.1109/tac.1965.1098193")
    deepseek = record_at(result, "rlhf-book_bib.bib:119")  # indented fields, eprint + url
    assert (deepseek["arxiv_id"], deepseek["categories"], len(deepseek["authors"])) == ("2412.19437", ["cs.CL"], 200)


@needs_fixtures
def test_probmlbib_undefined_macros_are_warnings_and_kept_as_names():
    result = read_fixture("probmlbib_bibliography.bib")
    assert problems(result)[0] == (
        "warning",
        "probmlbib_bibliography.bib:15: entry 'Ajanthan2017': undefined @string macro 'cvpr' in field 'journal'",
    )
    record = record_at(result, "probmlbib_bibliography.bib:29")  # journal = icml
    assert record["venue"] == "icml"
    assert record["quality_flags"] == ["undefined-macro", "no-abstract"]
    assert "undefined @string macro 'icml'" in str(result.problems[2])


@needs_fixtures
def test_strings_file_loaded_after_the_bibliography_is_not_seen():
    """Macros must be defined before their use, as in BibTeX: the bibliography first leaves them undefined.
    The 184 problems are one warning (count, macros, first places); the full list is in the load account."""
    import litreview as lr

    files = [FIXTURES / "bibtex" / "probmlbib_bibliography.bib", FIXTURES / "bibtex" / "probmlbib_standardstrings.bib"]
    with pytest.warns(lr.LoadWarning) as caught:
        papers = lr.load(files, merge=False)
    label = papers["source"][0].rsplit(":", 1)[0]
    strings = label.replace("probmlbib_bibliography", "probmlbib_standardstrings")
    assert [str(w.message) for w in caught] == [
        f"{label}: 184 entries use 17 undefined @string macros (cvpr, iclr, icml, ...): first at {label}:15, :22, "
        f":29; {strings}, read after this file, defines 17 of them: list it first in the list given to lr.load (a "
        "folder is read in name order), as BibTeX reads its files in order; the full list: lr.load_problems(papers)"
    ]
    assert len(papers) == 345
    problems = lr.load_problems(papers)
    assert problems["severity"].tolist() == ["warning"] * 184
    assert problems["message"].iloc[2] == "entry 'Allamanis2017': undefined @string macro 'icml' in field 'journal'"
    assert papers.loc[papers["key"] == "Allamanis2017", "venue"].tolist() == ["icml"]


@needs_fixtures
def test_strings_file_loaded_first_resolves_the_macros_of_the_next_file():
    import warnings

    import litreview as lr

    files = [FIXTURES / "bibtex" / "probmlbib_standardstrings.bib", FIXTURES / "bibtex" / "probmlbib_bibliography.bib"]
    with warnings.catch_warnings():
        warnings.simplefilter("error", lr.LoadWarning)
        papers = lr.load(files, merge=False)
    assert len(papers) == 345 and len(lr.load_problems(papers)) == 0
    row = papers[papers["key"] == "Allamanis2017"].iloc[0]
    assert row["venue"] == "Proceedings of the International Conference on Machine Learning"
    # the source keeps the macro as written, with its expansion beside it
    assert ["journal", "icml", "Proceedings of the International Conference on Machine Learning"] in (
        json.loads(row["source_fields"])["fields"]
    )


@needs_fixtures
def test_probmlbib_latex_accents():
    result = read_fixture("probmlbib_bibliography.bib")
    aczel = record_at(result, "probmlbib_bibliography.bib:8")
    assert aczel["authors"] == ["János Aczél", "Zoltán Daróczy"]  # Acz{\'e}l, J{\'a}nos
    assert aczel["title"] == "Charakterisierung der Entropien positiver Ordnung und der Shannonschen Entropie"
    arpit = record_at(result, "probmlbib_bibliography.bib:43")  # Stanis{\l}aw Jastrz{\k{e}}bski
    assert arpit["authors"][1] == "Stanisław Jastrzębski"
    nesterov = record_at(result, "probmlbib_bibliography.bib:1601")  # $\mathcal{O}(1/k^2)$
    assert nesterov["title"] == "A method of solving a convex programming problem with convergence rate O(1/k^2)"
    abbasnejad = record_at(result, "probmlbib_bibliography.bib:1")  # journal = {arxiv:1611.07800}
    assert (abbasnejad["venue"], abbasnejad["arxiv_id"]) == ("arXiv", "1611.07800")
    assert abbasnejad["authors"][2] == "Anton van den Hengel"


@needs_fixtures
def test_probmlbib_strings_file_alone_is_empty_and_fine():
    result = read_fixture("probmlbib_standardstrings.bib")
    assert (result.records, result.problems) == ([], [])


@needs_fixtures
def test_probmlbib_dirty():
    result = read_fixture("probmlbib_dirty.bib")
    messages = [str(p) for p in result.problems]
    assert sum("duplicate key" in m for m in messages) == 23
    assert (
        "probmlbib_dirty.bib:965: entry 'CONTEXTADAPTIVEENTROPYMODEL': duplicate key (first at line 668); "
        "both records kept"
    ) in messages
    assert (
        "probmlbib_dirty.bib:1387: entry 'chenLearningVideoCompression2018': field 'journal' given twice; "
        "the first is used"
    ) in messages
    # Kr\"ahenb\"uhl unbraced; booktitle=eccv undefined here
    assert record_at(result, "probmlbib_dirty.bib:1")["authors"][2] == "Philipp Krähenbühl"
    # Mendeley's doubly escaped "Machine Learning \\\& Statistics" reads as the plain one, once
    assert record_at(result, "probmlbib_dirty.bib:316")["keywords"] == [
        "Machine Learning & Statistics/Generative/Data Compression"
    ]
    # a link as howpublished, with \textasciitilde{}
    assert record_at(result, "probmlbib_dirty.bib:1538")["url"] == "http://www.cs.toronto.edu/~fritz/absps/cvq.pdf"
    # Zotero: journal = {arXiv:1804.09869 [cs, eess]} is arXiv; primaryClass = {cs, eess}
    chen = record_at(result, "probmlbib_dirty.bib:1387")
    assert (chen["venue"], chen["arxiv_id"], chen["categories"]) == ("arXiv", "1804.09869", ["cs", "eess"])
    assert "a new %large-scale benchmark" in record_at(result, "probmlbib_dirty.bib:361")["abstract"]


@needs_fixtures
def test_scopus_export():
    result = read_fixture("pybibx_scopus.bib")
    assert problems(result) == [
        ("note", "pybibx_scopus.bib:965: entry 'Viana2020857': duplicate key (first at line 940); both records kept")
    ]
    first = record_at(result, "pybibx_scopus.bib:2")
    assert first["title"] == "ELECTRE-SCORE: A first outranking based method for scoring actions"
    assert first["authors"] == ["J.R. Figueira", "S. Greco", "B. Roy"]
    assert (first["year"], first["venue"], first["doi"]) == (
        2022,
        "European Journal of Operational Research",
        "10.1016/j.ejor.2021.05.017",
    )
    assert first["abstract"].startswith("In this paper, we present (to the best of our knowledge) the first")
    assert first["abstract"].endswith("© 2021 The Authors")
    # author_keywords first, then the index keywords, each once
    assert first["keywords"][:6] == [
        "ELECTRE methods",
        "Healthcare system evaluation",
        "Multiple criteria analysis",
        "Non-compensatory composite indicators",
        "Scoring methods",
        "ELECTRE method",
    ]
    assert first["quality_flags"] == []
    conference = record_at(result, "pybibx_scopus.bib:375")  # @CONFERENCE
    assert conference["venue"] == "Journal of Physics: Conference Series"
    assert sum(bool(r.get("abstract")) for r in result.records) == 262


# --------------------------------------------------------------------------- syntax


def test_string_macros_concatenation_and_months():
    record = only(
        '@string{acl = "Proceedings of the {ACL}"}\n'
        "@STRING(yr = {20} # {20})\n"
        "@inproceedings{k,\n"
        '  title = "A {"}quoted{"} title",\n'
        '  booktitle = acl # " " # yr,\n'
        "  year = 2020,\n"
        "  month = jun,\n"
        "}\n"
    )
    assert record["title"] == 'A "quoted" title'
    assert record["venue"] == "Proceedings of the ACL 2020"
    assert (record["year"], record["month"]) == (2020, 6)


@pytest.mark.parametrize(
    ("month", "number"),
    [("jan", 1), ("{6}", 6), ('"June"', 6), ("{Sept.}", 9), ("dec", 12), ("{11--13 Apr}", 4), ("nov # {~25}", 11)],
)
def test_month_forms(month, number):
    assert only(f"@misc{{k, title={{T}}, month = {month}}}")["month"] == number


def test_year_that_is_not_a_number_is_a_warning_and_left_out():
    result = read("@article{k,\n title = {T},\n year = {in press},\n month = {Spring}\n}")
    assert problems(result) == [
        ("warning", "t.bib:1: entry 'k': year 'in press' is not a number; left out"),
        ("warning", "t.bib:1: entry 'k': month 'Spring' is not a month; left out"),
    ]
    [record] = result.records
    assert "year" not in record and "month" not in record
    assert record["quality_flags"] == ["unreadable-year", "unreadable-month", "no-abstract"]


def test_undefined_macro_is_kept_as_its_name():
    result = read("@inproceedings{k, title={T}, booktitle = icml, year = 2017}")
    assert problems(result) == [("warning", "t.bib:1: entry 'k': undefined @string macro 'icml' in field 'booktitle'")]
    assert result.records[0]["venue"] == "icml"
    assert result.records[0]["quality_flags"] == ["undefined-macro", "no-abstract"]


def test_macro_in_a_field_not_read_is_no_problem():
    assert only("@article{k, title={T}, address = ny, publisher = {P}}")["venue"] == "P"


def test_nested_braces_and_protective_braces():
    record = only("@article{k, title = {{The {{BERT}} Model: {A} {\\em Study}}}, year={2019}}")
    assert record["title"] == "The BERT Model: A Study"


def test_comment_preamble_and_text_between_entries_are_ignored():
    text = (
        "### First appearing in chapter 1 ###\n"
        "This is free text, with an email me@example.org.\n"
        '@preamble{"\\newcommand{\\noopsort}[1]{}"}\n'
        "@comment{ @article{hidden, title = {Not a paper}} }\n"
        "% @article{commented, title = {Commented out}}\n"
        "@Comment jabref-meta: databaseType:bibtex;\n"
        "@article{k, title = {Kept}}\n"
    )
    result = read(text)
    assert result.problems == []
    assert [(r["source"], r["title"]) for r in result.records] == [("t.bib:7", "Kept")]


def test_parenthesised_entry_and_entry_types_in_any_case():
    result = read(
        "@ARTICLE(a, title = {One})\n@CONFERENCE{b, title = {Two}, booktitle = {Conf}}\n@Misc{c, title={Three}}"
    )
    assert result.problems == []
    assert [(r["source"], r["title"]) for r in result.records] == [
        ("t.bib:1", "One"),
        ("t.bib:2", "Two"),
        ("t.bib:3", "Three"),
    ]


def test_at_names_in_text_between_entries_are_not_entries():
    result = read("### follow @twitter (for news)\n@article{k, title = {T}}\nSee @misc (below).\n")
    assert (len(result.records), result.problems) == (1, [])


def test_source_is_the_line_of_the_at_sign():
    result = read("\n\n% a comment\n\n  @article{k,\n title = {T}}\n\n@misc{m, title = {U}}")
    assert [r["source"] for r in result.records] == ["t.bib:5", "t.bib:8"]


def test_scopus_style_field_names_with_a_space():
    record = only("@ARTICLE{k,\ntitle={T},\nfunding_text\u00a01={Thanks},\nfunding_text 2={More}\n}")
    assert record["title"] == "T"


def test_duplicate_keys_keep_both_records():
    result = read("@article{Same, title = {One}}\n@article{same, title = {Two}}")
    assert [r["title"] for r in result.records] == ["One", "Two"]
    assert problems(result) == [
        ("note", "t.bib:2: entry 'same': duplicate key (first at line 1); both records kept")
    ]


def test_duplicate_field_keeps_the_first():
    result = read("@article{k, title = {One}, title = {Two}}")
    assert result.records[0]["title"] == "One"
    assert problems(result) == [("warning", "t.bib:1: entry 'k': field 'title' given twice; the first is used")]
    assert result.records[0]["quality_flags"] == ["duplicate-field", "no-abstract"]


def test_missing_comma_between_fields_is_forgiven_with_a_warning():
    result = read("@article{k,\n title = {T}\n year = {2020}\n}")
    assert result.records[0]["year"] == 2020
    assert problems(result) == [("warning", "t.bib:1: entry 'k': missing comma before field 'year'")]


def test_entry_without_key_is_read():
    result = read("@article{title = {No key}, year = 2001}")
    assert (result.records[0]["title"], result.records[0]["year"]) == ("No key", 2001)
    assert problems(result) == [("note", "t.bib:1: entry has no citation key")]
    result = read("@article{, title = {No key}, month = {Nonsense}}")
    assert problems(result) == [
        ("note", "t.bib:1: entry has no citation key"),
        ("warning", "t.bib:1: entry without a key: month 'Nonsense' is not a month; left out"),
    ]


# --------------------------------------------------------------------------- broken entries


def test_unclosed_entry_costs_only_itself():
    text = (
        "@article{good1, title = {One}}\n"
        "@article{broken,\n"
        "  title = {Two,\n"
        "  year = 2020\n"
        "@article{good2, title = {Three}}\n"
    )
    result = read(text)
    assert [r["title"] for r in result.records] == ["One", "Three"]
    assert problems(result) == [("error", "t.bib:2: entry 'broken', field 'title': the value has no closing brace")]


def test_entry_cut_after_a_comma_before_the_next_entry():
    result = read("@article{cut,\n  title = {One},\n  year = {2023},\n\n@misc{next, title = {Two}}\n")
    assert [r["title"] for r in result.records] == ["Two"]
    assert problems(result) == [("error", "t.bib:1: entry 'cut' has no closing brace")]


def test_entry_without_closing_brace_at_end_of_file():
    result = read("@article{good, title = {One}}\n@article{last,\n  title = {Two},\n  year = 2020\n")
    assert [r["title"] for r in result.records] == ["One"]
    assert problems(result) == [("error", "t.bib:2: entry 'last' has no closing brace")]


def test_garbage_between_fields():
    result = read("@article{bad, title = {One} ]]] garbage, year = 2020}\n@article{ok, title = {Two}}")
    assert [r["title"] for r in result.records] == ["Two"]
    assert problems(result) == [
        ("error", "t.bib:1: entry 'bad': expected ',' or '}', found ']]] garbage, year = 2020}'")
    ]


def test_entry_that_is_not_a_paper():
    result = read("@misc{site, howpublished = {\\url{https://example.org}}, year = 2020}")
    assert result.records == []
    assert problems(result) == [("error", "t.bib:1: entry 'site' has no title, abstract, DOI or arXiv id: not a paper")]


def test_one_broken_entry_among_thousands():
    good = [
        "".join(f"@article{{{part}{i}, title = {{Paper {i}}}, year = {{2020}}}}\n" for i in range(2000))
        for part in "ab"
    ]
    result = read(good[0] + "@article{broken, title = {unclosed\n" + good[1])
    assert len(result.records) == 4000
    assert problems(result) == [("error", "t.bib:2001: entry 'broken', field 'title': the value has no closing brace")]


def test_entries_on_one_line_and_commented_entries_on_one_line():
    one_line = "".join(f"@article{{k{i}, title = {{Paper {i}}}}} " for i in range(3000))
    result = read(one_line)
    assert (len(result.records), result.problems) == (3000, [])
    commented = "% @misc{a, title={A}} @misc{b, title={B}}\n@misc{c, title={C}} % @misc{d, title={D}}\n"
    assert [r["title"] for r in read(commented).records] == ["C"]


# --------------------------------------------------------------------------- fields


@pytest.mark.parametrize(
    ("latex", "text"),
    [
        ('{\\"u}ber', "über"),
        ("caf\\'e", "café"),
        ("\\'{e}t\\'{e}", "été"),
        ("Stra{\\ss}e", "Straße"),
        ("1990--2000", "1990–2000"),
        ("yes---no", "yes—no"),
        ("R\\&D", "R&D"),
        ("a~b", "a b"),
        ("{BERT} is {{GREAT}}", "BERT is GREAT"),
        ('na\\"{\\i}ve', "naïve"),
        ("\\c{c}a \\c c", "ça ç"),
        ("\\v{S}koda {\\o}re \\L{}\\'od\\'z", "Škoda øre Łódź"),
        ("50\\% \\$5 \\#1 a\\_b \\{x\\}", "50% $5 #1 a_b {x}"),
        ("$\\tau$-bench", "τ-bench"),
        ("``quoted''", "“quoted”"),
        ("\\textbf{bold} and \\emph{it}", "bold and it"),
        ("C:\\textbackslash{}path", "C:\\path"),
        ("\\url{http://a--b.org/x_y}", "http://a--b.org/x_y"),
        ("\\unknown{arg} stays", "\\unknown{arg} stays"),
        ("  many\n   spaces\t", "many spaces"),
    ],
)
def test_decode_latex(latex, text):
    assert decode_latex(latex) == text


def test_authors():
    record = only(
        '@article{k, title = {T}, author = {Vaswani, Ashish and {van den Oord}, A{\\"a}ron and '
        "{Google DeepMind} and {Barnes and Noble} and Jane Q. Public and others}}"
    )
    assert record["authors"] == [
        "Ashish Vaswani",
        "Aäron van den Oord",
        "Google DeepMind",
        "Barnes and Noble",
        "Jane Q. Public",
    ]
    assert record["quality_flags"] == ["authors-incomplete", "no-abstract"]


def test_keywords_split_on_commas_and_semicolons():
    record = only("@article{k, title={T}, keywords = {deep learning, NLP; {graphs, trees};  transformers}}")
    assert record["keywords"] == ["deep learning", "NLP", "graphs, trees", "transformers"]


@pytest.mark.parametrize(
    ("fields", "arxiv_id", "version", "venue"),
    [
        ("eprint = {2106.09685}, archivePrefix = {arXiv}", "2106.09685", None, None),
        ("eprint = {2106.09685v2}, eprinttype = {arxiv}", "2106.09685", 2, None),
        ("eprint = {arXiv:hep-th/9901001}", "hep-th/9901001", None, None),
        ("journal = {arXiv preprint arXiv:2106.09685}", "2106.09685", None, "arXiv"),
        ("journal = {ArXiv}, volume = {abs/2106.09685}", None, None, "arXiv"),
        ("journal = {CoRR}, eprint = {2106.09685}, eprinttype = {arXiv}", "2106.09685", None, "CoRR"),
        ("url = {https://arxiv.org/abs/2106.09685v3}", "2106.09685", 3, None),
        ("url = {https://arxiv.org/pdf/2106.09685.pdf}", "2106.09685", None, None),
        ("doi = {10.48550/arXiv.2106.09685}", "2106.09685", None, None),
        ("eprint = {hal-01234567}, archivePrefix = {HAL}", None, None, None),
    ],
)
def test_arxiv_ids(fields, arxiv_id, version, venue):
    record = only(f"@misc{{k, title = {{T}}, {fields}}}")
    assert (record.get("arxiv_id"), record.get("arxiv_version"), record.get("venue")) == (arxiv_id, version, venue)


def test_doi_is_normalised_and_a_bad_one_is_a_warning():
    assert only("@article{k, title={T}, doi = {https://doi.org/10.1000/ABC.123}}")["doi"] == "10.1000/abc.123"
    result = read("@article{k, title={T}, doi = {n/a}}")
    assert "doi" not in result.records[0]
    assert problems(result) == [("warning", "t.bib:1: entry 'k': doi 'n/a' is not a DOI; left out")]


@pytest.mark.parametrize(
    ("fields", "venue"),
    [
        ("journal = {J}, booktitle = {B}, publisher = {P}", "J"),
        ("booktitle = {B}, publisher = {P}", "B"),
        ("howpublished = {Blog post}, publisher = {P}", "Blog post"),
        ("howpublished = {\\url{https://x.org}}, publisher = {P}", "P"),
        ("school = {MIT}", "MIT"),
        ("publisher = {P}", "P"),
    ],
)
def test_venue_precedence(fields, venue):
    assert only(f"@misc{{k, title = {{T}}, {fields}}}")["venue"] == venue


def test_howpublished_link_is_the_url():
    assert only("@misc{k, title={T}, howpublished = {\\url{https://x.org/a_b}}}")["url"] == "https://x.org/a_b"


def test_crossref_inherits_from_the_proceedings():
    text = (
        "@inproceedings{paper, title = {A Paper}, author = {Doe, Jane}, crossref = {conf20}}\n"
        "@inproceedings{other, title = {Another}, booktitle = {Own Venue}, crossref = {CONF20}}\n"
        "@proceedings{conf20, title = {Proceedings of Conf 2020}, year = 2020, month = may, publisher = {ACM}}\n"
    )
    result = read(text)
    assert result.problems == []
    assert [(r["title"], r["venue"], r["year"], r["month"]) for r in result.records] == [
        ("A Paper", "Proceedings of Conf 2020", 2020, 5),
        ("Another", "Own Venue", 2020, 5),
    ]  # the proceedings entry is their container, not a paper of its own


def test_crossref_booktitle_of_the_parent_wins_over_its_title():
    record = read(
        "@inproceedings{p, title = {P}, crossref = {c}}\n@proceedings{c, title = {Long}, booktitle = {Short}}"
    ).records[0]
    assert record["venue"] == "Short"


def test_crossref_container_problems_are_still_reported():
    result = read("@inproceedings{p, title = {P}, crossref = {c}}\n@proceedings{c, title = conf, year = 2020}")
    assert [(r["title"], r["venue"]) for r in result.records] == [("P", "conf")]
    assert problems(result) == [("warning", "t.bib:2: entry 'c': undefined @string macro 'conf' in field 'title'")]


def test_crossref_to_an_unknown_key():
    result = read("@inproceedings{p, title = {P}, crossref = {nowhere}}")
    assert problems(result) == [("warning", "t.bib:1: entry 'p': crossref to unknown key 'nowhere'")]
    assert result.records[0]["quality_flags"] == ["missing-crossref", "no-abstract"]


def test_biblatex_date_and_journaltitle():
    record = only("@article{k, title={T}, date = {2021-03-15}, journaltitle = {Nature}}")
    assert (record["year"], record["month"], record["venue"]) == (2021, 3, "Nature")


def test_annote_is_notes():
    assert only("@article{k, title={T}, annote = {Read this \\& that.}}")["notes"] == "Read this & that."


# --------------------------------------------------------------------------- sniffing


@pytest.mark.parametrize(
    "head",
    [
        "@article{vaswani2017, title = {Attention}}",
        "% comments first\n\n@InProceedings{ key:2020 ,\n  title = {x}}",
        '@string{icml = "Proceedings of ICML"}\n',
        "### heading\n@misc(key, title = {x})",
        "@comment{jabref-meta: databaseType:bibtex;}\n",
    ],
)
def test_sniff_accepts_bibtex(head):
    assert bibtex.sniff(head)


@pytest.mark.parametrize(
    "head",
    [
        "",
        "TY  - JOUR\nTI  - A title\nER  - \n",
        '[{"title": "x", "bibtex": "@article{k, title={x}}"}]',
        "title,authors\nAttention,Vaswani\n",
        "@dataclass(frozen=True)\nclass A: pass\n",
        "@twitter (see the thread) says hi\n",
        "Contact me@example.org {for details},\n",
        "@article (not an entry), see below\n",
    ],
)
def test_sniff_rejects_others(head):
    assert not bibtex.sniff(head)


# --------------------------------------------------------------------------- robustness


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.sampled_from('@{}()"#%=,\\ \n\tabcé~$-0123456789'), max_size=300))
def test_read_never_raises_on_bibtex_like_noise(text):
    result = read(text)
    for record in result.records:
        assert record["source"].startswith("t.bib:")
    assert bibtex.sniff(text) in (True, False)


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=0, max_value=400), st.text(max_size=20))
def test_read_never_raises_on_damaged_entries(cut, junk):
    text = (
        '@string{c = "Conf"}\n@inproceedings{a, title = {A {B} \\"u}, author = {X, Y and others}, booktitle = c # {1},'
        " year = 2020, month = jan, crossref = {p}}\n@proceedings{p, title = {P}, year = 2020}\n"
        "@article{b, title = {Two}, eprint = {2106.09685}, doi = {10.1/x}}\n"
    )
    read(text[:cut] + junk + text[cut:])
    read(text[:cut])


# --------------------------------------------------------------------------- writer


def table(*rows: dict) -> pd.DataFrame:
    return to_frame(rows)


def round_trip(papers: pd.DataFrame) -> pd.DataFrame:
    text = writer.write(papers)
    result = bibtex.read(text, "out.bib")
    assert [p for p in result.problems if p.severity == "error"] == []
    return to_frame(result.records)


def assert_same(before: pd.DataFrame, after: pd.DataFrame) -> None:
    assert len(before) == len(after)
    for column in ROUND_TRIP_FIELDS:
        for i, (a, b) in enumerate(zip(before[column], after[column])):
            a = None if not isinstance(a, list) and pd.isna(a) else a
            b = None if not isinstance(b, list) and pd.isna(b) else b
            assert a == b, f"row {i}, {column}: {a!r} became {b!r}"


NASTY = table(
    {"title": "<script>alert(1)</script>", "authors": ["Ashish Vaswani"], "year": 2017},
    {"title": "50% of {BERT} & co_2", "abstract": "Costs $5 #1 ~ ^ \\ backslash", "venue": "ICLR"},
    {"title": "Schölkopf's naïve café — Ünïcödé", "authors": ["Bernhard Schölkopf", "Zoë Ångström"]},
    {"title": "C:\\path and \\emph{not markup}", "year": 2020, "month": 12},
    {"title": "Unbalanced } brace { here }", "keywords": ["a, b", "c; d", "50%"]},
    {"title": "Dashes -- and --- quotes `` ''", "venue": "Journal of Things & Stuff"},
    {"title": "LoRA: Low-Rank Adaptation", "arxiv_id": "2106.09685", "arxiv_version": 2, "venue": "arXiv"},
    {"title": "No venue", "arxiv_id": "hep-th/9901001", "categories": ["hep-th"]},
    {"title": "DOI and link", "doi": "10.1000/a_b{c}", "url": "https://x.org/p?a=1&b=%20#frag_1"},
    {"title": "Names", "authors": ["Google and DeepMind", "Smith, Jr.", "others", "Jean-Luc Picard"]},
    {"title": "A title @article{x, y} inside", "notes": "A note with \\ and {braces}"},
    {"title": "Nbsp\u00a0kept and tab\tnot", "abstract": "line one\nline two"},
)


def test_nasty_values_round_trip():
    after = round_trip(NASTY)
    expected = NASTY.copy()
    # BibTeX reads runs of ASCII whitespace as one space; a no-break space is content.
    expected.loc[11, "title"] = "Nbsp\u00a0kept and tab not"
    expected.loc[11, "abstract"] = "line one line two"
    assert_same(expected, after)


def flat(text: str) -> str:
    """What BibTeX keeps of a text: runs of ASCII whitespace become one space, ends trimmed."""
    return re.sub(r"[ \t\n\r\f\v]+", " ", text).strip(" ")


def blank(text: str) -> bool:
    """Text the schema holds as missing: empty, or whitespace only (``str.isspace``)."""
    return not text or text.isspace()


@pytest.mark.parametrize("text", ["", "\r", " \t\n", "\x0b\x0c", "\x1c", "\u2028", "\x85", "\u3000"])
def test_blank_text_is_missing(text):
    """Found by Hypothesis: a title of "\\r" was a value in the table but no title in the BibTeX written from it."""
    papers = table({"title": text, "abstract": text, "venue": text, "doi": "10.1000/x"})
    assert papers.loc[0, ["title", "abstract", "venue"]].isna().all()
    [record] = bibtex.read(writer.write(papers), "out.bib").records
    assert record.get("title") is None and record["doi"] == "10.1000/x"


def test_whitespace_title_exports_and_reads_back():
    papers = table({"title": "\r", "abstract": "An abstract.", "year": 2020})
    [record] = bibtex.read(writer.write(papers), "out.bib").records
    assert record.get("title") is None
    assert record["abstract"] == "An abstract." and record["year"] == 2020


texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=texts, abstract=texts, names=st.lists(texts, max_size=4), keywords=st.lists(texts, max_size=4))
def test_any_text_round_trips(title, abstract, names, keywords):
    title = title if not blank(title) else "x"  # a blank title is no title (test_blank_text_is_missing)
    papers = table({"title": title, "abstract": abstract, "authors": names, "keywords": keywords})
    [record] = bibtex.read(writer.write(papers), "out.bib").records
    assert record["title"] == flat(title)
    assert record.get("abstract") == (None if blank(abstract) else flat(abstract))
    assert record.get("authors", []) == [flat(n) for n in names if flat(n)]
    assert record.get("keywords", []) == list(dict.fromkeys(flat(k) for k in keywords if flat(k)))


def test_escaping_is_exact():
    text = writer.write(table({"title": "50% of {BERT} & co_2", "authors": ["Zoë Ångström"], "year": 2020}))
    assert text == (
        "@misc{angstrom2020bert,\n"
        "  title = {50\\% of \\{BERT\\} \\& co\\_2},\n"
        "  author = {Zoë Ångström},\n"
        "  year = {2020},\n"
        "}\n"
    )


def test_entry_layout():
    papers = table(
        {
            "title": "LoRA: Low-Rank Adaptation of Large Language Models",
            "authors": ["Edward J. Hu", "Yelong Shen"],
            "year": 2021,
            "month": 6,
            "venue": "ICLR",
            "abstract": "An important paradigm.",
            "keywords": ["peft", "adapters"],
            "doi": "10.1000/x",
            "url": "https://arxiv.org/abs/2106.09685",
            "arxiv_id": "2106.09685",
            "arxiv_version": 2,
            "categories": ["cs.CL", "cs.LG"],
            "quality_flags": ["authors-incomplete"],
        }
    )
    assert writer.write(papers) == (
        "@inproceedings{hu2021lora,\n"
        "  title = {{LoRA:} {Low-Rank} Adaptation of Large Language Models},\n"
        "  author = {Edward J. Hu and Yelong Shen and others},\n"
        "  year = {2021},\n"
        "  month = jun,\n"
        "  booktitle = {ICLR},\n"
        "  abstract = {An important paradigm.},\n"
        "  keywords = {peft, adapters},\n"
        "  doi = {10.1000/x},\n"
        "  url = {https://arxiv.org/abs/2106.09685},\n"
        "  eprint = {2106.09685v2},\n"
        "  archivePrefix = {arXiv},\n"
        "  primaryClass = {cs.CL},\n"
        "}\n"
    )
    assert round_trip(papers).at[0, "quality_flags"] == ["authors-incomplete"]


@pytest.mark.parametrize(
    ("venue", "kind"),
    [
        (None, "misc"),
        ("arXiv", "misc"),
        ("bioRxiv", "misc"),
        ("arXiv preprint arXiv:2106.09685", "misc"),
        ("ICLR", "inproceedings"),
        ("Proceedings of the 60th Annual Meeting of the ACL", "inproceedings"),
        ("NeurIPS 2023 Workshop on Instruction Tuning", "inproceedings"),
        ("Proceedings of the National Academy of Sciences", "article"),
        ("IEEE Transactions on Automatic Control", "article"),
        ("Nature", "article"),
    ],
)
def test_entry_type(venue, kind):
    assert writer.entry_type(venue) == kind


def test_citation_keys():
    papers = table(
        {"title": "Attention Is All You Need", "authors": ["Ashish Vaswani", "Noam Shazeer"], "year": 2017},
        {"title": "Attention is all you need", "authors": ["A. Vaswani"], "year": 2017},
        {"title": "Attention, again", "authors": ["Vaswani, Ashish"], "year": 2017},
        {"title": "The Power of Scale", "authors": ["Brian Lester"]},
        {"title": "LoRA", "arxiv_id": "2106.09685", "year": 2021},
        {"title": "On the Opportunities", "year": 2021},
        {"abstract": "Nothing else."},
        {"title": "Straße", "authors": ["Jürgen Groß"], "year": 1999},
        {"title": "中文标题", "authors": ["张三"], "year": 2020},
    )
    keys = writer.citation_keys(papers)
    assert keys == [
        "vaswani2017attention",
        "vaswani2017attentiona",
        "vaswani2017attentionb",
        "lesterpower",
        "arxiv2106.09685lora",
        "2021opportunities",
        "paper",
        "gross1999strasse",
        "2020",
    ]
    assert writer.citation_keys(papers) == keys  # the same table, the same keys


def test_citation_key_suffixes_never_collide():
    papers = table(
        *[{"title": "Model", "authors": ["Kim"], "year": 2020}] * 28,
        {"title": "Modela", "authors": ["Kim"], "year": 2020},
    )
    keys = writer.citation_keys(papers)
    assert keys[:3] == ["kim2020model", "kim2020modela", "kim2020modelb"]
    assert keys[27] == "kim2020modelaa"
    assert keys[28] == "kim2020modelab"  # its own base and the first suffix were taken
    assert len(set(keys)) == len(keys)


def test_writer_takes_missing_values_and_odd_cells():
    papers = table({"title": "T"}).assign(extra=[1])
    papers.loc[0, "year"] = pd.NA
    assert writer.write(papers) == "@misc{t,\n  title = {T},\n}\n"
    assert writer.write(table()) == ""


def test_is_arxiv_venue():
    assert is_arxiv_venue("arXiv preprint arXiv:2106.09685")
    assert is_arxiv_venue("arXiv e-prints")
    assert not is_arxiv_venue("Workshop on arXiv data mining")


@needs_fixtures
@pytest.mark.parametrize("name", BIB_FILES)
def test_fixture_round_trip(name):
    before = to_frame(read_fixture(name).records)
    assert_same(before, round_trip(before))
