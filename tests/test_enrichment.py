"""Offline enrichment from an arXiv metadata snapshot."""

import json
import warnings
from pathlib import Path

import pandas as pd
import pytest

from litreview.errors import LoadError, LoadWarning
from litreview.io.enrichment import DEFAULT_FIELDS, ENRICHABLE, enrich, enrichment_log
from litreview.io.load import display_path
from litreview.io.readers import arxiv_snapshot
from litreview.schema import to_frame

FIXTURES = Path(__file__).resolve().parents[2] / "shared" / "fixtures"
needs_fixtures = pytest.mark.skipif(not FIXTURES.is_dir(), reason="../shared/fixtures is not beside this checkout")
SNAPSHOT_FIXTURE = FIXTURES / "arxiv" / "arxiv-metadata-oai-snapshot.sample.json"


def line(ident: str, title: str, created: str = "Fri, 1 Jan 2021 10:00:00 GMT", **extra) -> str:
    data = {
        "id": ident,
        "authors": "",
        "title": title,
        "journal-ref": None,
        "doi": None,
        "categories": "cs.CL cs.LG",
        "abstract": f"  Abstract of {title}.\n",
        "versions": [{"version": "v1", "created": created}],
        "update_date": "2021-02-01",
        "authors_parsed": [["Doe", "Jane", ""], ["Roe", "Rich", "Jr."]],
    }
    data.update(extra)
    return json.dumps(data, separators=(",", ":"))


SNAPSHOT_LINES = [
    line("2101.00001", "First paper", doi="10.1000/ABC", **{"journal-ref": "ACL 2021"}),
    line("2101.00002", "Second paper", created="Sat, 31 Oct 2020 10:00:00 GMT"),
    '{"id":"2101.00099", this line is broken but nobody wants it',
    json.dumps({"id": "2101.00003", "title": "Third, spaced layout", "abstract": "x", "versions": []}),
    line("2101.00001", "A later duplicate of the first"),
    line("2101.00004", "Fourth paper"),
]


@pytest.fixture
def snapshot_file(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)  # sources are named relative to the working folder
    path = tmp_path / "snap.jsonl"
    path.write_text("\n".join(SNAPSHOT_LINES) + "\n", encoding="utf-8")
    return path


def papers_table() -> pd.DataFrame:
    records = [
        {  # no title, no authors: filled; its flag goes
            "id": "arxiv:2101.00001",
            "abstract": "Our own abstract.",
            "arxiv_id": "2101.00001",
            "quality_flags": ["no-title"],
            "source": "a.txt:1",
        },
        {  # everything present: untouched
            "id": "arxiv:2101.00002",
            "title": "Kept title",
            "authors": ["Someone Else"],
            "year": 2020,
            "month": 10,
            "venue": "NeurIPS",
            "doi": "10.9/kept",
            "categories": ["cs.AI"],
            "arxiv_id": "2101.00002",
            "source": "a.txt:5",
        },
        {  # a publication year that is not the preprint's: the month is not filled
            "id": "arxiv:2101.00004",
            "title": "Fourth",
            "year": 2022,
            "arxiv_id": "2101.00004v2",
            "source": "a.txt:9",
        },
        {"id": "title:no-id", "title": "No arXiv id", "source": "a.txt:12"},
        {"id": "arxiv:2101.00777", "arxiv_id": "2101.00777", "source": "a.txt:15"},  # not in the snapshot
        {"id": "arxiv:2101.00003", "arxiv_id": "2101.00003", "source": "a.txt:18"},  # another layout
    ]
    frame = to_frame(records)
    frame["provenance"] = [[s] for s in frame["source"]]
    frame.attrs["problems"] = []
    return frame


def test_enrich_fills_only_missing_fields(snapshot_file):
    papers = papers_table()
    before = papers.copy(deep=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the broken line is never parsed: no warning
        out = enrich(papers, snapshot_file)
    pd.testing.assert_frame_equal(papers, before)  # the input is untouched
    assert papers["quality_flags"][0] == ["no-title"] and papers["provenance"][0] == ["a.txt:1"]

    first = out.iloc[0]
    assert first["title"] == "First paper"
    assert first["abstract"] == "Our own abstract."  # not a default field, and present anyway
    assert first["authors"] == ["Jane Doe", "Rich Roe Jr."]
    assert (first["year"], first["month"]) == (2021, 1)
    assert (first["venue"], first["doi"], first["categories"]) == ("ACL 2021", "10.1000/abc", ["cs.CL", "cs.LG"])
    assert first["quality_flags"] == []
    assert first["provenance"] == ["a.txt:1", "snap.jsonl:1"]  # the first of the two lines of 2101.00001

    pd.testing.assert_series_equal(out.iloc[1], before.iloc[1])
    fourth = out.iloc[2]
    assert fourth["year"] == 2022 and pd.isna(fourth["month"])  # 2021's month does not go with 2022
    assert fourth["authors"] == ["Jane Doe", "Rich Roe Jr."]
    assert fourth["provenance"] == ["a.txt:9", "snap.jsonl:6"]
    pd.testing.assert_series_equal(out.iloc[3], before.iloc[3])
    pd.testing.assert_series_equal(out.iloc[4], before.iloc[4])
    third = out.iloc[5]
    assert (third["title"], third["venue"], third["year"], third["month"]) == ("Third, spaced layout", "arXiv", 2021, 1)

    assert out["year"].dtype == "Int64" and out["month"].dtype == "Int64"
    assert list(out.columns) == list(papers.columns)
    assert enrichment_log(out).values.tolist() == [
        ["arxiv:2101.00001", "title", "snap.jsonl:1"],
        ["arxiv:2101.00001", "authors", "snap.jsonl:1"],
        ["arxiv:2101.00001", "categories", "snap.jsonl:1"],
        ["arxiv:2101.00001", "year", "snap.jsonl:1"],
        ["arxiv:2101.00001", "venue", "snap.jsonl:1"],
        ["arxiv:2101.00001", "doi", "snap.jsonl:1"],
        ["arxiv:2101.00001", "month", "snap.jsonl:1"],
        ["arxiv:2101.00004", "authors", "snap.jsonl:6"],
        ["arxiv:2101.00004", "categories", "snap.jsonl:6"],
        ["arxiv:2101.00004", "venue", "snap.jsonl:6"],
        ["arxiv:2101.00003", "title", "snap.jsonl:4"],
        ["arxiv:2101.00003", "year", "snap.jsonl:4"],
        ["arxiv:2101.00003", "venue", "snap.jsonl:4"],
        ["arxiv:2101.00003", "month", "snap.jsonl:4"],
    ]
    assert out.attrs["problems"] == []  # the other attrs are kept


def test_enrich_again_fills_nothing_and_keeps_the_log(snapshot_file):
    once = enrich(papers_table(), snapshot_file)
    twice = enrich(once, snapshot_file)
    assert enrichment_log(twice).equals(enrichment_log(once))
    pd.testing.assert_frame_equal(twice, once)


def test_enrich_selected_fields_and_month_against_the_paper_year(snapshot_file):
    papers = papers_table()
    papers.loc[0, "year"] = 2021  # the snapshot's year: its month may be filled alone
    out = enrich(papers, snapshot_file, fields=["month", "abstract"])
    assert out["month"].tolist()[:3] == [1, 10, pd.NA]
    assert out["abstract"].tolist() == [
        "Our own abstract.",
        "Abstract of Second paper.",
        "Abstract of Fourth paper.",
        None,
        None,
        "x",
    ]
    assert out["title"][0] is None  # not asked for
    assert out["quality_flags"][0] == ["no-title"]
    assert enrichment_log(out).values.tolist() == [
        ["arxiv:2101.00001", "month", "snap.jsonl:1"],
        ["arxiv:2101.00002", "abstract", "snap.jsonl:2"],
        ["arxiv:2101.00004", "abstract", "snap.jsonl:6"],
        ["arxiv:2101.00003", "abstract", "snap.jsonl:4"],
    ]


def test_enrich_from_a_loaded_table(snapshot_file):
    result = arxiv_snapshot.read(snapshot_file.read_text(encoding="utf-8"), "snap.jsonl")
    table = to_frame(result.records)
    out = enrich(papers_table(), table, fields="title")
    assert out["title"].tolist() == ["First paper", "Kept title", "Fourth", "No arXiv id", None, "Third, spaced layout"]
    assert enrichment_log(out)["source"].tolist() == ["snap.jsonl:1", "snap.jsonl:4"]


def test_enrich_reports_unreadable_wanted_lines(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id":"2101.00001", broken\n{"id": 3}\n' + line("2101.00001", "Later") + "\n", encoding="utf-8")
    with pytest.warns(LoadWarning) as caught:
        out = enrich(papers_table(), path, fields=("title",))
    assert [str(w.message) for w in caught] == [
        "2 problem(s) reading the snapshot; the first: bad.jsonl:1: line is not valid JSON: "
        "Expecting property name enclosed in double quotes at column 21"
    ]
    assert out["title"][0] == "Later"


def test_enrich_stops_once_every_wanted_id_is_found(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "s.jsonl"
    lines = [line(f"2101.0000{n}", f"Paper {n}") for n in (1, 2, 3, 4)] + ["garbage that would warn"] * 3
    path.write_text("\n".join(lines), encoding="utf-8")
    papers = papers_table().iloc[[0, 5]]  # wants 2101.00001 and 2101.00003, found on lines 1 and 3
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the garbage after line 3 is never read
        out = enrich(papers, path, fields=("title",))
    assert enrichment_log(out).values.tolist() == [
        ["arxiv:2101.00001", "title", "s.jsonl:1"],
        ["arxiv:2101.00003", "title", "s.jsonl:3"],
    ]


def test_enrich_errors(snapshot_file):
    with pytest.raises(ValueError) as err:
        enrich(papers_table(), snapshot_file, fields=("title", "topics", "id"))
    assert str(err.value) == (
        "cannot enrich 'topics', 'id'; valid fields: title, abstract, authors, year, month, venue, doi, url, categories"
    )
    with pytest.raises(LoadError, match="no such file"):
        enrich(papers_table(), snapshot_file.parent / "missing.jsonl")
    with pytest.raises(ValueError, match="papers has no arxiv_id column"):
        enrich(pd.DataFrame({"title": [None]}), snapshot_file)
    with pytest.raises(TypeError, match="snapshot must be a path or a papers table, not list"):
        enrich(papers_table(), [snapshot_file])
    assert set(DEFAULT_FIELDS) <= set(ENRICHABLE)


def test_enrich_a_bare_frame_gains_the_columns_it_needs(snapshot_file):
    papers = pd.DataFrame({"arxiv_id": ["2101.00004", None]})
    out = enrich(papers, snapshot_file, fields=("title", "year"))
    assert out.isna().to_dict("list") == {
        "arxiv_id": [False, True],
        "title": [False, True],
        "year": [False, True],
        "provenance": [False, False],
        "quality_flags": [False, False],
    }
    assert out.drop(columns="arxiv_id").head(1).to_dict("list") == {
        "title": ["Fourth paper"],
        "year": [2021],
        "provenance": [["snap.jsonl:6"]],
        "quality_flags": [[]],
    }
    assert out["provenance"][1] == [] and out["quality_flags"][1] == []
    assert enrichment_log(out).values.tolist() == [
        ["arxiv:2101.00004", "title", "snap.jsonl:6"],
        ["arxiv:2101.00004", "year", "snap.jsonl:6"],
    ]
    assert list(papers.columns) == ["arxiv_id"]


def test_enrichment_log_of_a_plain_frame_is_empty():
    log = enrichment_log(pd.DataFrame())
    assert log.empty and list(log.columns) == ["id", "field", "source"]


@needs_fixtures
def test_enrich_from_the_fixture_snapshot():
    papers = to_frame(
        [
            {"id": "arxiv:0704.0009", "arxiv_id": "0704.0009", "abstract": "Kept.", "source": "x:1"},
            {"id": "arxiv:0704.0002", "arxiv_id": "0704.0002", "title": "Kept", "source": "x:2"},
            {"id": "arxiv:0704.0200", "arxiv_id": "0704.0200v1", "year": 2007, "source": "x:3"},
            {"id": "arxiv:9999.99999", "arxiv_id": "9999.99999", "source": "x:4"},
        ]
    )
    out = enrich(papers, SNAPSHOT_FIXTURE)
    where = display_path(SNAPSHOT_FIXTURE)
    ninth, second, last, absent = out.to_dict("records")
    assert ninth["title"] == (
        "The Spitzer c2d Survey of Large, Nearby, Insterstellar Clouds. IX. The Serpens YSO Population As Observed "
        "With IRAC and MIPS"
    )
    assert ninth["authors"][-2:] == ["Neal J. Evans II", "Philip C. Myers"]
    assert (ninth["year"], ninth["month"], ninth["venue"], ninth["doi"]) == (
        2007,
        4,
        "Astrophys.J.663:1149-1173,2007",
        "10.1086/518646",
    )
    assert ninth["abstract"] == "Kept."
    assert ninth["provenance"] == [f"{where}:9"]
    assert (second["title"], second["year"], second["month"], second["venue"]) == ("Kept", 2007, 3, "arXiv")
    assert second["categories"] == ["math.CO", "cs.CG"]
    assert (last["month"], last["doi"], last["provenance"]) == (4, "10.1140/epja/i2006-10235-1", [f"{where}:200"])
    assert absent["title"] is None and absent["provenance"] == []
    log = enrichment_log(out)
    assert log["id"].value_counts().to_dict() == {"arxiv:0704.0009": 7, "arxiv:0704.0002": 5, "arxiv:0704.0200": 6}
