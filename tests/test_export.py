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
    assert len(back) == len(peft) == 10
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
