"""The field layer (litreview/fields/): one table of cases for its functions, and the same links, DOIs and
dates fed through every reader that carries them, which must all read them alike."""

import csv
import io
import json
from pathlib import Path

import pytest

import litreview as lr
from litreview.fields.arxiv import (
    arxiv_from_doi,
    arxiv_from_url,
    arxiv_url,
    find_arxiv,
    is_arxiv_doi,
    is_arxiv_venue,
    parse_arxiv_id,
)
from litreview.fields.dates import find_month, month_number, parse_date
from litreview.fields.doi import normalize_doi
from litreview.fields.ids import normalize_title
from litreview.fields.latex import decode_latex, plain_text, verbatim
from litreview.io.readers import READERS

LORA = ("2106.09685", None)

# (function, input, expected): every rule of the field layer, one row each.
CASES = [
    # arXiv ids
    (parse_arxiv_id, "2106.09685v2", ("2106.09685", 2)),
    (parse_arxiv_id, "arXiv:hep-th/9901001", ("hep-th/9901001", None)),
    (parse_arxiv_id, "math.GT/0309136v1", ("math.GT/0309136", 1)),
    (parse_arxiv_id, "10.1000/xyz123", None),
    # arXiv links: abs, pdf (with or without .pdf), html, format, versions, old-style ids, hosts
    (arxiv_from_url, "https://arxiv.org/abs/2106.09685", LORA),
    (arxiv_from_url, "https://arxiv.org/html/2106.09685v2", ("2106.09685", 2)),
    (arxiv_from_url, "http://arxiv.org/pdf/2106.09685v1.pdf", ("2106.09685", 1)),
    (arxiv_from_url, "https://arxiv.org/pdf/2106.09685", LORA),
    (arxiv_from_url, "https://arxiv.org/format/2106.09685v3", ("2106.09685", 3)),
    (arxiv_from_url, "https://export.arxiv.org/abs/hep-th/9901001v2", ("hep-th/9901001", 2)),
    (arxiv_from_url, "https://www.arxiv.org/abs/2106.09685/", LORA),
    (arxiv_from_url, "https://arxiv.org/abs/2106.09685?context=cs", LORA),
    (arxiv_from_url, "https://arxiv.org/abs/not-an-id", None),
    (arxiv_from_url, "https://arxiv.org/list/cs.CL/recent", None),
    (arxiv_from_url, "https://example.org/abs/2106.09685", None),
    # arXiv DOIs, bare or behind a resolver, any case
    (arxiv_from_doi, "10.48550/arXiv.2106.09685", LORA),
    (arxiv_from_doi, "https://doi.org/10.48550/ARXIV.2106.09685", LORA),
    (arxiv_from_doi, "10.1038/nature14539", None),
    (is_arxiv_doi, "10.48550/arxiv.2106.09685", True),
    (is_arxiv_doi, "10.1145/3442188.3445922", False),
    # arXiv ids in free text: links, DOIs and labels
    (find_arxiv, "arXiv preprint arXiv:2106.09685", LORA),
    (find_arxiv, "arxiv:1611.07800", ("1611.07800", None)),
    (find_arxiv, "arXiv:1706.03762 [cs]", ("1706.03762", None)),
    (find_arxiv, "CoRR abs/2106.09685", None),  # no arXiv named
    (find_arxiv, "ArXiv abs/2106.09685", LORA),
    (find_arxiv, "see https://arxiv.org/html/2106.09685v2#S3 for details", ("2106.09685", 2)),
    (find_arxiv, "Proceedings of ICLR 2022", None),
    (is_arxiv_venue, "arXiv preprint arXiv:2106.09685", True),
    (is_arxiv_venue, "arXiv e-prints", True),
    (is_arxiv_venue, "Workshop on arXiv data mining", False),
    (arxiv_url, "2106.09685", "https://arxiv.org/abs/2106.09685"),
    # DOIs: resolvers, labels, case, trailing punctuation
    (normalize_doi, "https://doi.org/10.1145/3442188.3445922", "10.1145/3442188.3445922"),
    (normalize_doi, "http://dx.doi.org/10.1002/JCC.20289", "10.1002/jcc.20289"),
    (normalize_doi, "doi:10.1000/ABC.", "10.1000/abc"),
    (normalize_doi, "(see 10.1000/abc(1)x))", "10.1000/abc(1)x"),
    (normalize_doi, "not a doi", None),
    # months
    (month_number, "may", 5),
    (month_number, "Sept.", 9),
    (month_number, "september", 9),
    (month_number, "05", 5),
    (month_number, "5.0", 5),
    (month_number, "13", None),
    (month_number, "Spring", None),
    (find_month, "11--13 Apr", 4),
    (find_month, "Jan.-Feb.", 1),
    (find_month, "Marketing", None),
    # dates
    (parse_date, "2021-06-17", (2021, 6)),
    (parse_date, "2021-06-17T12:00:00Z", (2021, 6)),
    (parse_date, "2021/06/17/", (2021, 6)),
    (parse_date, "2021//", (2021, None)),
    (parse_date, "2021", (2021, None)),
    (parse_date, "2021 Jun", (2021, 6)),
    (parse_date, "June 2021", (2021, 6)),
    (parse_date, "17 June 2021", (2021, 6)),
    (parse_date, "June 17, 2021", (2021, 6)),
    (parse_date, "Thu, 17 Jun 2021 15:18:21 GMT", (2021, 6)),
    (parse_date, "24-27 Sept. 2019", (2019, 9)),
    (parse_date, "2019/13/01/", (2019, None)),
    (parse_date, "0000//", (None, None)),
    (parse_date, "in press", (None, None)),
    # LaTeX to Unicode
    (decode_latex, r"Sch{\"o}lkopf --- {BERT} \& co~2", "Schölkopf — BERT & co 2"),
    (decode_latex, r"{\'\i}ndice \c{c} \ss{} \o", "índice ç ß ø"),
    (decode_latex, r"$\alpha$-divergence \emph{and} \textbf{more}", "α-divergence and more"),
    (decode_latex, r"a \{literal\} brace", "a {literal} brace"),
    (decode_latex, r"\foo{bar}", r"\foo{bar}"),  # an unknown command is kept as written
    (verbatim, r"\url{https://x.org/a\_b}", "https://x.org/a_b"),
    (verbatim, r"10.1000/a\_b{c}", "10.1000/a_bc"),
    # title keys fold LaTeX the way the readers decode it
    (normalize_title, r"Sch{\"o}lkopf's {BERT}", normalize_title("Schölkopf's BERT")),
    (normalize_title, r"$\alpha$-Divergence", normalize_title("α-Divergence")),
]


@pytest.mark.parametrize(("function", "given", "expected"), CASES, ids=lambda v: getattr(v, "__name__", None))
def test_field_functions(function, given, expected):
    assert function(given) == expected


# --------------------------------------------------------------------------- every reader alike

TITLE = "LoRA: Low-Rank Adaptation of Large Language Models"


def bibtex_file(link, doi, date):
    fields = [f"title = {{{TITLE}}}"]
    fields += [f"url = {{{link}}}"] if link else []
    fields += [f"doi = {{{doi}}}"] if doi else []
    fields += [f"date = {{{date}}}"] if date else []
    return "@article{k,\n  " + ",\n  ".join(fields) + "\n}\n"


def ris_file(link, doi, date):
    lines = ["TY  - JOUR", f"TI  - {TITLE}"]
    lines += [f"UR  - {link}"] if link else []
    lines += [f"DO  - {doi}"] if doi else []
    lines += [f"DA  - {date}"] if date else []
    return "\n".join(lines + ["ER  - ", ""])


def wos_file(link, doi, date):  # Web of Science has no link field and writes its own dates (see below)
    head = "FN Clarivate Analytics Web of Science\nVR 1.0\nPT J\nTI "
    return head + TITLE + (f"\nDI {doi}" if doi else "") + "\nER\nEF\n"


def csv_file(link, doi, date):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["Title", "URL", "DOI", "Date"])
    writer.writerow([TITLE, link or "", doi or "", date or ""])
    return out.getvalue()


def json_records_file(link, doi, date):
    return json.dumps([{"title": TITLE, "url": link, "doi": doi, "date": date}])


def csl_json_file(link, doi, date):
    item = {"type": "article-journal", "title": TITLE, "URL": link, "DOI": doi}
    if date:
        item["issued"] = {"raw": date}
    return json.dumps([{k: v for k, v in item.items() if v is not None}])


def openalex_file(link, doi, date):
    work = {"id": "https://openalex.org/W1", "title": TITLE, "doi": doi, "publication_date": date}
    if link:
        work["primary_location"] = {"landing_page_url": link}
    return json.dumps({"meta": {}, "results": [work]})


def semantic_scholar_file(link, doi, date):
    paper = {"paperId": "abc", "title": TITLE, "url": link, "externalIds": {"DOI": doi}, "publicationDate": date}
    return json.dumps({"data": [paper]})


WRITERS = {
    "bibtex": bibtex_file, "ris": ris_file, "wos": wos_file, "csv": csv_file, "json-records": json_records_file,
    "csl-json": csl_json_file, "openalex": openalex_file, "semantic-scholar": semantic_scholar_file,
}  # fmt: skip
CARRY_LINKS = [f for f in WRITERS if f != "wos"]
CARRY_DATES = [f for f in WRITERS if f != "wos"]


def read_one(fmt, link=None, doi=None, date=None) -> dict:
    result = READERS[fmt].read(WRITERS[fmt](link, doi, date), f"x.{fmt}")
    assert [p for p in result.problems if p.severity == "error"] == []
    [record] = result.records
    return record


LINKS = [
    ("https://arxiv.org/html/2106.09685v2", ("2106.09685", 2)),
    ("https://arxiv.org/abs/2106.09685", LORA),
    ("http://arxiv.org/pdf/2106.09685v1.pdf", ("2106.09685", 1)),
    ("https://arxiv.org/format/2106.09685v3", ("2106.09685", 3)),
    ("https://export.arxiv.org/abs/hep-th/9901001v2", ("hep-th/9901001", 2)),
    ("https://openreview.net/forum?id=nZeVKeeFYf9", (None, None)),
]


@pytest.mark.parametrize("fmt", CARRY_LINKS)
@pytest.mark.parametrize(("link", "arxiv"), LINKS)
def test_every_reader_reads_an_arxiv_link_alike(fmt, link, arxiv):
    record = read_one(fmt, link=link)
    assert (record.get("arxiv_id"), record.get("arxiv_version")) == arxiv


DOIS = [
    ("https://doi.org/10.48550/arXiv.2106.09685", "10.48550/arxiv.2106.09685", "2106.09685"),
    ("10.48550/ARXIV.2106.09685", "10.48550/arxiv.2106.09685", "2106.09685"),
    ("https://dx.doi.org/10.1145/3442188.3445922", "10.1145/3442188.3445922", None),
    ("doi:10.1002/JCC.20289", "10.1002/jcc.20289", None),
]


@pytest.mark.parametrize("fmt", list(WRITERS))
@pytest.mark.parametrize(("doi", "normal", "arxiv_id"), DOIS)
def test_every_reader_reads_a_doi_alike(fmt, doi, normal, arxiv_id):
    record = read_one(fmt, doi=doi)
    assert (record.get("doi"), record.get("arxiv_id")) == (normal, arxiv_id)


DATES = [
    ("2021-06-17", (2021, 6)),
    ("2021-06", (2021, 6)),
    ("2021", (2021, None)),
    ("June 2021", (2021, 6)),
    ("17 Jun 2021", (2021, 6)),
]


@pytest.mark.parametrize("fmt", CARRY_DATES)
@pytest.mark.parametrize(("date", "year_month"), DATES)
def test_every_reader_reads_a_date_alike(fmt, date, year_month):
    if fmt == "openalex" and not date[:4].isdigit() or fmt == "semantic-scholar" and not date[:4].isdigit():
        pytest.skip("the OpenAlex and Semantic Scholar APIs write ISO dates only")
    record = read_one(fmt, date=date)
    assert (record.get("year"), record.get("month")) == year_month


def test_one_paper_from_every_format_gets_one_arxiv_id(tmp_path):
    """The same paper linked as arxiv.org/html/... in every file is one paper with an arxiv: id."""
    formats = {}
    for fmt in CARRY_LINKS:
        path = tmp_path / f"paper.{fmt}"
        path.write_text(WRITERS[fmt]("https://arxiv.org/html/2106.09685v2", None, "2021-06-17"), encoding="utf-8")
        formats[path] = fmt
    papers = lr.load(list(formats), format=formats)
    assert papers["id"].tolist() == ["arxiv:2106.09685"]
    assert sorted(Path(s.rsplit(":", 1)[0]).name for s in papers["provenance"][0]) == sorted(p.name for p in formats)


@pytest.mark.parametrize(
    "text, expected",
    [("openalex:W1", "openalex:W1"), ("https://openalex.org/w2741809807", "openalex:W2741809807"),
     ("2-s2.0-85012345678", "scopus:2-s2.0-85012345678"), ("WOS:000355286600030", "wos:WOS:000355286600030"),
     ("ab" * 20, "s2:" + "ab" * 20), (" pmid:123 ", "pmid:123"), ("not an id", None), ("", None)],
)
def test_external_ids_one_rule_for_readers_and_references(text, expected):
    from litreview.fields.external import external_id

    assert external_id(text) == expected


def test_a_name_suffix_with_its_full_stop_stays_with_the_surname():
    # A second, shorter _SUFFIXES further down fields/names.py once replaced the first, so "Jr." became the surname.
    from litreview.fields.names import first_author_surnames, last_first

    assert last_first("John Smith Jr.") == "Smith, Jr., John"
    assert last_first("Martin Luther King Sr.") == "King, Sr., Martin Luther"
    assert first_author_surnames([["John Smith Jr."], ["Ann Lee III"]]) == ["smith", "lee"]


def test_a_doi_in_the_normal_form_is_itself_and_every_other_text_takes_the_rule():
    """normalize_doi keeps a DOI already in the normal form as it is: the rule itself gives the same."""
    import random
    import re

    from litreview.fields import doi as doi_module

    def by_the_rule(text):
        match = re.search(r"10\.\d{4,9}/\S+", text.strip(), re.IGNORECASE)
        if not match:
            return None
        doi = match[0].rstrip(".,;")
        while doi.endswith(")") and doi.count(")") > doi.count("("):
            doi = doi[:-1].rstrip(".,;")
        return doi.lower()

    rng = random.Random(5)
    tails = list("aZ0.,;()/-_ x\t") + ["é", "١", ")."]
    texts = [
        rng.choice(["10.", "10.1", "", " ", "doi:10."])
        + "".join(rng.choice("0123456789١") for _ in range(rng.randint(3, 10)))
        + rng.choice(["/", "", "//"]) + "".join(rng.choice(tails) for _ in range(rng.randint(0, 4)))
        for _ in range(20_000)
    ]  # fmt: skip
    normal = [t for t in texts if doi_module._NORMAL_DOI.fullmatch(t)]
    assert len(normal) > 500 and len(texts) - len(normal) > 10_000
    assert [normalize_doi(t) for t in texts] == [by_the_rule(t) for t in texts]
    assert all(normalize_doi(t) is t for t in normal)


def test_titles_are_shown_without_publishers_inline_markup_and_other_angle_brackets_stay():
    import pandas as pd

    from litreview.fields.latex import readable
    from litreview.report.screening_sections import next_papers_table
    from litreview.schema import to_frame

    assert readable("project PROCESS<sup>1</sup> on CO<SUB>2</SUB>") == "project PROCESS1 on CO2"
    assert readable('<jats:title>Deep <jats:italic toggle="yes">nets</jats:italic></jats:title>') == "Deep nets"
    assert readable("x < y, <script>alert(1)</script>") == "x < y, <script>alert(1)</script>"
    # only paired tags: maths written with angle brackets stays; a quoted attribute may hold ">"
    assert (readable("a<b>c"), readable("x<i>y and p<u>q")) == ("a<b>c", "x<i>y and p<u>q")
    assert readable('<span style="a>b">z</span>') == "z"
    papers = to_frame([{"id": "a", "title": "CO<sub>2</sub> <script>x</script>"}])
    page = next_papers_table(pd.DataFrame({"id": ["a"], "score": [0.5], "terms": [""]}), papers)._repr_html_()
    assert "<td>CO2 &lt;script&gt;x&lt;/script&gt;</td>" in page  # the rest escaped


@pytest.mark.parametrize("text, plain", [
    (r"\textit{Sparse} CO<sub>2</sub> nets \citep{lee2020} of $\alpha$ \begin{itemize}", "Sparse CO2 nets   of α  "),
    (r"As in \cite{a,b} and Fig.~\ref{fig:1}, \dataset{} helps", "As in   and Fig.  ,  {} helps"),
    (r"\textcolor{red}{Robust} \footnote{see the appendix}", " Robust  {see the appendix}"),  # (a note's words stay)
    ("p &lt; .001 in <i>vivo</i>", "p < .001 in vivo"),
    ("Plain words, 5$ and a<b", "Plain words, 5$ and a<b"),
    # a citation's note ([p.~3], [see][]) goes with its key: readable drops the key's braces after a note
    (r"As \cite[p.~3]{vaswani2017} and \citep[see][ch.~2]{lee2020} show", "As   and   show"),
])
def test_plain_text_leaves_out_the_markup_a_term_analysis_would_count(text, plain):
    # (the topic discovery's themes were named "sub", "emph", "texttt": words of the markup, not of the paper)
    assert plain_text(text) == plain
