"""Semantic Scholar JSON Lines by columns (litreview.io.columnar.s2_lines) give exactly the record path's result.

Every schema column, the flags, ``source`` and the load problems are compared (``assert_same`` of
test_columnar) on the shared fixtures' papers written as JSON Lines (the Graph API's layout and the S2
datasets' lower-case one, plain and gzipped) and on generated papers with awkward values, in blocks small
enough that some cannot be parsed by pyarrow.  The record reader's reading of the datasets' layout is
checked value by value.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import numpy as np
import pytest
from test_columnar import assert_same

import litreview as lr
from litreview.io.columnar import s2_lines
from litreview.io.readers import detect_format
from litreview.io.readers import semantic_scholar as s2

FIXTURES = Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "s2"
needs_fixtures = pytest.mark.skipif(not FIXTURES.is_dir(), reason="../shared/fixtures is not beside this checkout")
# the datasets' names of the Graph API's fields (the datasets' papers have no paperId, abstract, references)
DATASET_NAMES = {"externalIds": "externalids", "publicationDate": "publicationdate", "citationCount": "citationcount",
                 "s2FieldsOfStudy": "s2fieldsofstudy", "referenceCount": "referencecount", "corpusId": "corpusid",
                 "isOpenAccess": "isopenaccess", "publicationTypes": "publicationtypes",
                 "influentialCitationCount": "influentialcitationcount"}  # fmt: skip
DATASET_FIELDS = {"corpusid", "externalids", "url", "title", "authors", "venue", "publicationvenueid", "year",
                  "referencecount", "citationcount", "influentialcitationcount", "isopenaccess", "s2fieldsofstudy",
                  "publicationtypes", "publicationdate", "journal"}  # fmt: skip


def as_dataset_paper(paper: dict) -> dict:
    """A Graph API paper as the S2 datasets' ``papers`` files write it."""
    out = {DATASET_NAMES.get(key, key): value for key, value in paper.items()}
    venue = paper.get("publicationVenue")
    out["publicationvenueid"] = venue.get("id") if isinstance(venue, dict) else None
    ids = {"ACL": None, "DBLP": None, "ArXiv": None, "MAG": None, "CorpusId": None, "PubMed": None, "DOI": None,
           "PubMedCentral": None}  # fmt: skip
    ids.update({k: str(v) for k, v in (paper.get("externalIds") or {}).items()})
    out["externalids"] = ids
    return {key: value for key, value in out.items() if key in DATASET_FIELDS}


def fixture_papers() -> list[dict]:
    """The fixtures' papers: a search page's three, Turing's paper, its 1,000 citing and 14 cited papers."""
    search = json.loads((FIXTURES / "lumen_ss_search.json").read_text(encoding="utf-8"))["data"]
    paper = json.loads((FIXTURES / "semanticscholar_Paper.json").read_text(encoding="utf-8"))
    return search + [paper] + paper["citations"] + paper["references"]  # (nested as whole paper objects)


def write_lines(path: Path, rows, packed: bool = False) -> Path:
    text = "".join((json.dumps(r, ensure_ascii=False) if not isinstance(r, str) else r) + "\n" for r in rows)
    path.write_bytes(gzip.compress(text.encode()) if packed else text.encode())
    return path


def spy_on_conversion(monkeypatch) -> list[tuple[int, int]]:
    """(rows, rows left to the reader's rules) of each block converted by columns."""
    seen: list[tuple[int, int]] = []
    original = s2_lines.convert

    def spy(table):
        values, fallback = original(table)
        seen.append((table.num_rows, int(fallback.sum())))
        return values, fallback

    monkeypatch.setattr(s2_lines, "convert", spy)
    return seen


@needs_fixtures
@pytest.mark.parametrize("layout", ["graph", "datasets"])
@pytest.mark.parametrize("packed", [False, True])
def test_fixture_papers_by_columns_are_the_record_paths(tmp_path, monkeypatch, layout, packed):
    papers = fixture_papers()
    if layout == "datasets":
        papers = [as_dataset_paper(p) for p in papers]
    path = write_lines(tmp_path / ("papers.jsonl.gz" if packed else "papers.jsonl"), papers, packed)
    seen = spy_on_conversion(monkeypatch)
    fast, problems = assert_same(path, merge=False)
    assert len(fast) == len(papers) == 1018 and problems.empty
    rows, by_rules = map(sum, zip(*seen))
    assert rows == 1018 and by_rules <= 6  # (nested references, arXiv links without an id: the reader's rules)
    turing = fast[fast["title"] == "Computing Machinery and Intelligence"].iloc[0]
    assert turing["external_ids"] == ["s2:2d5673caa9e6af3a7b82a43f19ee920992db07ad"]
    assert (turing["year"], turing["month"], turing["doi"]) == (1950, 10, "10.1093/mind/lix.236.433")
    assert turing["categories"] == ["Computer Science", "Sociology"]
    if layout == "datasets":  # no abstracts in the datasets' papers files; the id from the page's url
        assert fast["abstract"].isna().all() and all("no-abstract" in f for f in fast["quality_flags"])
        assert turing["categories"] == ["Computer Science", "Sociology"]  # (from s2fieldsofstudy alone)
    else:
        assert len(turing["references"]) == 14


def test_the_datasets_layout_read_record_by_record():
    line = {"corpusid": 1, "externalids": {"ArXiv": None, "DOI": "10.1000/ABC", "CorpusId": "1"},
            "url": "https://www.semanticscholar.org/paper/" + "ab" * 20, "title": " A paper ",
            "authors": [{"authorId": "9", "name": "Ana Li"}], "venue": "", "publicationvenueid": None, "year": None,
            "citationcount": 7, "s2fieldsofstudy": [{"category": "Biology", "source": "external"},
            {"category": "Biology", "source": "s2-fos-model"}], "publicationdate": "2021-05-02",
            "journal": {"name": "Mind", "volume": "1"}}  # fmt: skip
    text = json.dumps(line) + "\n" + json.dumps(dict(line, corpusid=2, title="Another")) + "\n"
    assert detect_format(text) == "semantic-scholar"
    record = s2.read(text, "papers.jsonl").records[0]
    assert record == {
        "title": "A paper", "authors": ["Ana Li"], "year": 2021, "month": 5, "venue": "Mind", "doi": "10.1000/abc",
        "url": line["url"], "categories": ["Biology"], "citation_count": 7, "external_ids": ["s2:" + "ab" * 20],
        "quality_flags": ["no-abstract"], "source": "papers.jsonl:1",
    }  # fmt: skip


def generated(n: int, seed: int = 0) -> list:
    """Papers in both layouts with the values the kernels leave to the reader's rules, and lines that are not
    papers (null, an array, a search page, bad JSON)."""
    rng = np.random.default_rng(seed)
    names = ["Ana Li", " Wei Zhang ", "", None, "Jörg Müller", "O. Chen"]
    dates = ["2021-05-02", "2021-05", "2021", "2021-13-01", "May 2021", "", "0999-01-01", None]
    dois = ["10.1000/x.1", "https://doi.org/10.1000/X.2", "10.1000/y).", "10.48550/arXiv.2101.00001", " ", None]
    arxiv = ["2101.00002", "2101.00003v2", "hep-th/9901001", " 2101.00004 ", "", None, None]
    urls = ["https://www.semanticscholar.org/paper/" + "c" * 40, "https://arxiv.org/abs/2101.00005",
            "https://www.semanticscholar.org/paper/Some-Slug/" + "d" * 40, None]  # fmt: skip
    venues = ["ArXiv", "arxiv.org", "NeurIPS", " ", "", None]
    lines: list = []
    for i in range(n):
        pick = lambda values: values[int(rng.integers(0, len(values)))]  # noqa: E731
        paper = {
            "paperId": pick([f"{i:040x}", None, " "]), "title": pick([f"Paper {i}", f" Paper  {i} ", "", None]),
            "abstract": pick([f"We study {i}.", None, ""]),
            "authors": pick([[{"authorId": "1", "name": pick(names)} for _ in range(int(rng.integers(0, 3)))], None]),
            "year": pick([2020, 0, 12000, None]), "publicationDate": pick(dates), "venue": pick(venues),
            "publicationVenue": pick([{"id": "v", "name": "ICLR"}, None]), "journal": pick([{"name": "Mind"}, None]),
            "externalIds": pick([{"DOI": pick(dois), "ArXiv": pick(arxiv), "CorpusId": i}, None]),
            "url": pick(urls), "openAccessPdf": pick([{"url": "https://arxiv.org/pdf/2101.00006"}, {"url": ""}, None]),
            "fieldsOfStudy": pick([["Medicine", " Biology ", "", "Medicine"], None, ["Physics", "Biology"]]),
            "s2FieldsOfStudy": pick([[{"category": "Biology"}, {"category": "Physics"}, None], []]),
            "references": pick([[], [], [{"paperId": "r1"}, {"title": "Cited", "year": 2001}]]),
            "citationCount": pick([3, -1, 2_000_000_000, None]),
        }  # fmt: skip
        if i % 3 == 0:
            paper = as_dataset_paper(paper) | {"title": paper["title"], "abstract": paper["abstract"]}
        lines.append(paper)
    for at, odd in ((5, "null"), (11, "[{\"paperId\": \"p\", \"title\": \"In an array\"}, null]"), (17, "{oops"),
                    (23, json.dumps({"total": 2, "data": [{"paperId": "q", "title": "Paged"}, None]})),
                    (29, json.dumps({"citingPaper": {"paperId": "r", "title": "Citing"}})), (31, ""),
                    (37, json.dumps({"title": "A year as text", "year": "2020"}))):  # fmt: skip
        lines.insert(at, odd)
    return lines


def test_fields_of_study_holding_the_joining_characters(tmp_path):
    rows = [{"paperId": f"{i:040x}", "title": f"P{i}", "fieldsOfStudy": ["A\x1fB", "A"] if i % 2 else ["A", " A "],
             "s2FieldsOfStudy": [{"category": "\x1e"}, {"category": "A"}]} for i in range(6)]  # fmt: skip
    fast, _ = assert_same(write_lines(tmp_path / "odd.jsonl", rows), merge=False)
    assert fast["categories"].tolist() == [["A"], ["A\x1fB", "A"]] * 3  # ("\x1e" is blank to Python: stripped)


@pytest.mark.parametrize("block", [None, 1500])
def test_generated_papers_by_columns_are_the_record_paths(tmp_path, monkeypatch, block):
    if block:
        monkeypatch.setattr(s2_lines, "BLOCK_BYTES", block)  # many blocks; those with odd lines by the rules
    seen = spy_on_conversion(monkeypatch)
    rows = [{"paperId": "0" * 40, "title": "First"}, {"paperId": "1" * 40, "title": "Second"}] + generated(300)
    fast, problems = assert_same(write_lines(tmp_path / "gen.jsonl", rows), merge=False)
    assert len(fast) > 250 and set(problems["severity"]) == {"error", "warning"}
    assert "paper 27 is null (a /paper/batch id that matched no paper)" in problems["message"].tolist()
    if block:  # both ways taken: blocks by columns (some of their rows by the rules), blocks by the rules
        assert len(seen) > 20 and sum(r for r, _ in seen) > 200 and sum(f for _, f in seen) > 20
    else:  # one block, with lines pyarrow cannot read: every line by the rules
        assert seen == []


def test_a_selection_on_the_way_in(tmp_path):
    rows = [{"paperId": f"{i:040x}", "title": f"Paper {i}", "year": 2000 + i % 10,
             "s2FieldsOfStudy": [{"category": "Biology" if i % 2 else "Physics"}]} for i in range(60)]  # fmt: skip
    path = write_lines(tmp_path / "papers.jsonl.gz", rows, packed=True)
    select = {"years": (2003, 2004), "categories": ["Biology"], "fields": ["title", "year"]}
    fast, _ = assert_same(path, merge=False, select=select)
    assert fast["title"].tolist() == [f"Paper {i}" for i in range(60) if i % 10 == 3]
    assert fast["categories"].map(len).eq(0).all()  # (a field outside the selection: empty)


def test_merged_with_another_source(tmp_path):
    rows = [{"paperId": f"{i:040x}", "title": f"Paper number {i} on retrieval", "year": 2020,
             "externalIds": {"DOI": f"10.1000/{i}"}, "authors": [{"name": "Ana Li"}]} for i in range(40)]  # fmt: skip
    path = write_lines(tmp_path / "s2.jsonl", rows)
    other = write_lines(tmp_path / "other.jsonl", [{"title": f"PAPER NUMBER {i} ON RETRIEVAL", "year": 2020,
                                                    "authors": ["Ana Li"]} for i in range(0, 40, 4)])  # fmt: skip
    fast, _ = assert_same([path, other], merge=True)
    assert len(fast) == 40 and set(lr.merge_log(fast)["matched_on"]) == {"title"}
