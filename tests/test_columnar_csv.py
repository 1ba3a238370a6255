"""CSV/TSV by columns (litreview.io.columnar.csv_table) gives the record path's result, field by field.

Each case is read twice, by the columnar path and with it switched off (``load.COLUMNAR = False``), and
the tables (flags, ``source`` and ``source_fields`` included) and the load problems must be identical.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from test_columnar import FIXTURES, assert_same, generated, needs_fixtures

import litreview as lr
from litreview.errors import LoadError
from litreview.io.columnar import csv_table
from litreview.schema import conform


def spy_on_rows(monkeypatch) -> dict[str, int]:
    """How many rows the columnar CSV reader converted by columns and how many by records."""
    seen = {"rows": 0, "by_records": 0}
    original = csv_table._Blocks.convert

    def convert(self, block, result):
        before = len(self.records.records)
        original(self, block, result)
        seen["rows"] += len(block)
        seen["by_records"] += len(self.records.records) - before

    monkeypatch.setattr(csv_table._Blocks, "convert", convert)
    return seen


@needs_fixtures
@pytest.mark.parametrize("merge", [False, True])
def test_shared_csv_fixtures_read_the_same_both_ways(monkeypatch, merge):
    seen = spy_on_rows(monkeypatch)
    files = sorted(FIXTURES.rglob("*.csv"))
    assert len(files) >= 7
    for path in files:
        assert_same(path, merge=merge)
    assert seen["rows"] > 4000  # the columnar path read them (and the record path only some rows)


def test_generated_csv_and_tsv(tmp_path, monkeypatch):
    seen = spy_on_rows(monkeypatch)
    plain = generated(600)
    papers = conform(plain).assign(id=[f"p{i}" for i in range(600)], source=[f"g:{i}" for i in range(600)])
    csv_path, tsv_path = tmp_path / "c.csv", tmp_path / "c.tsv"
    lr.export(papers, csv_path)  # the kit's own CSV
    plain.assign(authors=plain["authors"].map("; ".join)).to_csv(tsv_path, sep="\t", index=False)
    fast, _ = assert_same(csv_path, merge=False)
    assert_same(tsv_path, merge=False)
    assert_same([csv_path, tsv_path], merge=True)
    assert len(fast) == 600 and fast["authors"].map(len).min() >= 1
    assert seen["rows"] >= 1200 and seen["by_records"] < seen["rows"] // 4


AWKWARD = (
    "Title,Abstract,Authors,Year,DOI,Key,Item Type,Tags\n"
    "A plain paper,An abstract.,Ana Li; Wei Zhang,2021,10.1000/A,k1,journalArticle,x; y\n"
    '"Quoted, with comma","Two\nlines",\"Smith, J.; Doe, A.\",2020,,k2,,\n'
    "Extra fields,abs,Ana Li,2019,,k3,,t,surplus\n"
    "Too few,abs\n"
    "\n"
    ",,,,,,,\n"
    "In press,abs,Ana Li,in press,,,,\n"
    ",,,,,,,t\n"
    "  Leading spaces kept,  abs ,  Bo Chen,2018,,  k5,,\n"
    'Stray "quote" inside,abs,Ana Li,2017,,,,\n'
    "Mojibake cafÃ©,abs,Ana Li,2016,,,,\n"
    "No abstract,,Ana Li,2015,,,,\n"
)


@pytest.mark.parametrize("block", [None, 3])
def test_awkward_rows_give_the_record_paths_result(tmp_path, monkeypatch, block):
    if block:
        monkeypatch.setattr(csv_table, "BLOCK_ROWS", block)
    seen = spy_on_rows(monkeypatch)
    path = tmp_path / "awkward.csv"
    path.write_text(AWKWARD, encoding="utf-8")
    fast, problems = assert_same(path, merge=False)
    assert fast["source"].str.rsplit(":", n=1).str[1].astype(int).tolist() == [2, 3, 5, 6, 9, 11, 12, 13, 14]
    assert seen["rows"] == 11 and 0 < seen["by_records"] < 11
    assert set(problems["severity"]) == {"warning", "error"}


def test_padded_and_semicolon_files(tmp_path):
    padded = tmp_path / "p.csv"
    padded.write_text('Title, Year, Abstract\n"A, b", 2020, "x, y"\nC, 2021, z\n', encoding="utf-8")
    assert_same(padded, merge=False)
    semicolon = tmp_path / "s.csv"
    semicolon.write_text("sep=;\nTitle;Year;Notes\nA, b;2020;n\n", encoding="utf-8")
    assert_same(semicolon, merge=False)


@pytest.mark.parametrize(
    "text",
    [
        'Title,Year\nA,2020\n"never closed,2021\nB,2022\n',  # a quote never closed: the record path's error
        "Title,Title\nA,B\n",  # repeated column names
        "Year,Pages\n2020,3\n",  # no column identifies a paper
        "",
    ],
)
def test_files_the_record_path_reads_whole(tmp_path, text):
    path = tmp_path / "odd.csv"
    path.write_text(text, encoding="utf-8")
    assert_same(path, merge=False, format="csv")


def test_an_error_names_the_file_and_line(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("Title,Year\nA,2020\n,2021\nC,2022\n", encoding="utf-8")
    with pytest.raises(LoadError) as caught, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        lr.load(path, progress=False)
    assert Path(caught.value.file).name == "bad.csv" and caught.value.line == 3


def test_pubmed_author_lists_read_the_same_by_columns(tmp_path):
    path = tmp_path / "pubmed.csv"
    path.write_text("PMID,Title,Authors,Publication Year\n"
                    '1,A trial.,"Polack FP, Türeci Ö, Frenck RW Jr; C4591001 Clinical Trial Group.",2020\n'
                    "2,A letter.,Brown K.,2021\n3,A group's report.,RECOVERY Group,2021\n", encoding="utf-8")
    fast, _ = assert_same(path, merge=False)
    assert fast["authors"].tolist() == [["F.P. Polack", "Ö. Türeci", "R.W. Frenck Jr", "C4591001 Clinical Trial Group"],
                                        ["K. Brown"], ["RECOVERY Group"]]
