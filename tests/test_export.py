"""``lr.export``: every format reads back through ``lr.load`` as the same records."""

from pathlib import Path

import pandas as pd
import pytest

import litreview as lr
from litreview.schema import to_frame

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT.parent / "shared" / "fixtures"
needs_fixtures = pytest.mark.skipif(not FIXTURES.is_dir(), reason="../shared/fixtures is not beside this checkout")

# The fields every export format carries.
FIELDS = ["title", "abstract", "authors", "year", "month", "venue", "arxiv_id", "doi", "keywords"]
NASTY = [
    {"title": "<script>alert(1)</script>", "abstract": "A <b>bold</b> & \"quoted\" claim; 100% sure.",
     "authors": ["José Núñez", "Zoë O'Brien"], "year": 2023, "month": 5, "venue": "arXiv",
     "arxiv_id": "2305.00001", "keywords": ["xss", "html"], "source": "n:1"},
    {"title": "50% of {BERT} & co_2: $x^2$ #1", "abstract": "Back\\slash C:\\path and ~tilde.",
     "authors": ["Ann Lee"], "year": 2019, "venue": "Journal of Odd Characters", "doi": "10.1000/odd.2019",
     "keywords": ["latex"], "source": "n:2"},
    {"title": "Schrödinger's café: ER - not a record end", "abstract": None, "authors": [], "year": 2020,
     "venue": "Proceedings of the Conference on Things", "doi": "10.1000/cafe", "source": "n:3"},
]


def fields(papers: pd.DataFrame) -> list[dict]:
    out = []
    for rec in papers[FIELDS].to_dict("records"):
        out.append({k: (None if not isinstance(v, list) and pd.isna(v) else v) for k, v in rec.items()})
    return out


@pytest.fixture(scope="module")
def nasty() -> pd.DataFrame:
    frame = to_frame(NASTY)
    frame["id"] = ["n1", "n2", "n3"]
    frame["provenance"] = [[s] for s in frame["source"]]
    return frame


@pytest.mark.parametrize("suffix", [".bib", ".ris", ".csv", ".json"])
def test_export_reads_back_the_same_records(nasty, suffix, tmp_path):
    path = tmp_path / f"out{suffix}"
    text = lr.export(nasty, path)
    assert path.read_text(encoding="utf-8") == text
    back = lr.load(path)
    assert fields(back) == fields(nasty)


@pytest.mark.parametrize("suffix", [".bib", ".ris", ".csv", ".json"])
def test_export_of_the_default_corpus_round_trips(suffix, tmp_path):
    papers = lr.load()
    back = lr.load(lr.export(papers, tmp_path / f"corpus{suffix}") and tmp_path / f"corpus{suffix}")
    # one record per paper, in order; arXiv-only papers keep their ids (and so their identity)
    assert list(back["id"]) == list(papers["id"])
    assert fields(back) == fields(papers)


def test_bibtex_keys_are_stable_and_unique(nasty):
    keys = [line.split("{", 1)[1].rstrip(",") for line in lr.export(nasty, format="bibtex").splitlines()
            if line.startswith("@")]
    assert len(set(keys)) == len(keys) == 3
    assert lr.export(nasty, format="bibtex") == lr.export(nasty.copy(), format="bibtex")


def test_export_of_one_topic(tmp_path):
    papers = lr.load()
    tagged = lr.tag(papers)
    peft = tagged[lr.has_topic(tagged, "peft")]
    lr.export(peft, tmp_path / "peft.ris")
    back = lr.load(tmp_path / "peft.ris")
    assert len(back) == len(peft) == 9
    assert set(back["id"]) == set(peft["id"])


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"path": "out.docx"}, ValueError,
         "cannot tell the export format from 'out.docx'; name format= one of ['bibtex', 'ris', 'csv', 'csl-json']"),
        ({"format": "endnote"}, ValueError,
         "unknown export format 'endnote'; choose one of ['bibtex', 'ris', 'csv', 'csl-json']"),
        ({}, ValueError, "name a format= (bibtex, ris, csv, csl-json) or a path to take it from"),
    ],
)
def test_export_arguments_are_validated(nasty, kwargs, error, message):
    with pytest.raises(error) as info:
        lr.export(nasty, **kwargs)
    assert str(info.value) == message


def test_export_needs_a_papers_table():
    with pytest.raises(ValueError, match=r"the table lacks the schema columns \['title', 'abstract'"):
        lr.export(pd.DataFrame({"x": [1]}), format="ris")


@needs_fixtures
@pytest.mark.parametrize("fixture", ["bibtex/rlhf-book_bib.bib", "ris/asreview_scopus.ris",
                                     "tables/paperlists_colm2024.json"])
def test_real_files_survive_export_to_every_format(fixture, tmp_path):
    papers = lr.load(FIXTURES / fixture, errors="skip", merge=False)
    for suffix in (".bib", ".ris", ".csv", ".json"):
        back = lr.load(lr.export(papers, tmp_path / f"x{suffix}") and tmp_path / f"x{suffix}", merge=False)
        assert len(back) == len(papers), suffix
        assert back["title"].tolist() == papers["title"].tolist(), suffix


# -- tags go out as keywords ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tagged_nasty(nasty) -> pd.DataFrame:
    out = nasty.copy()
    # the first paper's own keywords hold one tag already (in another case); the third has no keywords
    out["keywords"] = [["xss", "Topic:PEFT"], ["latex"], []]
    out["topics"] = [["peft", "agents"], [], ["reasoning"]]
    return out


def test_topics_are_exported_as_prefixed_keywords_in_every_format(tagged_nasty):
    ris = lr.export(tagged_nasty, format="ris")
    assert [line for line in ris.splitlines() if line.startswith("KW")] == [
        "KW  - xss", "KW  - Topic:PEFT", "KW  - topic:agents", "KW  - latex", "KW  - topic:reasoning"]
    bibtex = lr.export(tagged_nasty, format="bibtex")
    assert [line.strip() for line in bibtex.splitlines() if "keywords =" in line] == [
        "keywords = {xss, Topic:PEFT, topic:agents},", "keywords = {latex},", "keywords = {topic:reasoning},"]
    import json

    csl = json.loads(lr.export(tagged_nasty, format="csl-json"))
    assert [item.get("keyword") for item in csl] == ["xss, Topic:PEFT, topic:agents", "latex", "topic:reasoning"]
    # the table itself is not changed
    assert tagged_nasty["keywords"].tolist() == [["xss", "Topic:PEFT"], ["latex"], []]


@pytest.mark.parametrize("suffix", [".bib", ".ris", ".csv", ".json"])
def test_exported_tags_read_back_and_a_second_export_adds_nothing(suffix, tmp_path):
    tagged = lr.tag(lr.load())
    peft = tagged[lr.has_topic(tagged, "peft")]
    first = lr.export(peft, tmp_path / f"peft{suffix}")
    back = lr.load(tmp_path / f"peft{suffix}")
    expected = [[*own, *(f"topic:{t}" for t in topics)] for own, topics in zip(peft["keywords"], peft["topics"])]
    assert back["keywords"].tolist() == expected
    assert all("topic:peft" in keywords for keywords in back["keywords"])
    # read back and tagged again (the same topics: notes, which some formats leave out, can change a tag),
    # it exports to the same file: no keyword is doubled
    again = back.assign(topics=peft["topics"].tolist())
    lr.export(again, tmp_path / f"again{suffix}")
    assert lr.load(tmp_path / f"again{suffix}")["keywords"].tolist() == expected
    if suffix != ".csv":  # (a CSV names its rows' sources, which differ)
        assert (tmp_path / f"again{suffix}").read_text(encoding="utf-8") == first


def test_an_untagged_table_exports_its_keywords_only(nasty):
    assert "topic:" not in lr.export(nasty, format="ris")
