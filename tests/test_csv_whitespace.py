"""CSV cells are read as written, but for the format's own padding after a delimiter.

A file whose header puts a space after its delimiters was padded by hand: the spaces after every
delimiter are the file's (so ``A, "B, C"`` is two cells); a file written without them (what Excel, Zotero
and Scopus export) keeps a cell's leading spaces, in ``source_fields`` as everywhere.
"""

from __future__ import annotations

import json

import litreview as lr
from litreview.io.readers import csv as csv_reader


def cells(record) -> dict[str, str]:
    return dict(json.loads(record["source_fields"])["fields"])


def test_an_unpadded_export_keeps_a_cells_leading_spaces():
    result = csv_reader.read('Title,Notes,Key\nA study,  indented note,  k1\n"  Quoted",x,k2\n', "e.csv")
    first, second = result.records
    assert cells(first) == {"Title": "A study", "Notes": "  indented note", "Key": "  k1"}
    assert first["notes"] == "indented note" and first["key"] == "k1"  # the fields themselves are stripped
    assert cells(second)["Title"] == "  Quoted" and second["title"] == "Quoted"


def test_a_padded_file_drops_the_padding_and_reads_quoted_cells_after_it():
    result = csv_reader.read('Title, Abstract, Year\n"A, with a comma", "An abstract, too", 2021\n', "h.csv")
    (record,) = result.records
    assert (record["title"], record["abstract"], record["year"]) == ("A, with a comma", "An abstract, too", 2021)
    assert cells(record) == {"Title": "A, with a comma", "Abstract": "An abstract, too", "Year": "2021"}
    assert result.problems == []


def test_padding_is_told_outside_quotes_only():
    assert csv_reader._padded('"Title, with comma",Abstract', ",") is False
    assert csv_reader._padded("Title,Abstract; x", ";") is True
    assert csv_reader._padded("Title\t Abstract", "\t") is True
    assert csv_reader._padded("Title,Abstract", ",") is False


def test_a_padded_tsv_and_an_unpadded_one_through_load(tmp_path):
    padded, plain = tmp_path / "padded.tsv", tmp_path / "plain.tsv"
    padded.write_text("Title\t Year\n A paper\t 2020\n", encoding="utf-8")
    plain.write_text("Title\tYear\n A paper\t 2020\n", encoding="utf-8")
    a, b = (lr.load(p, merge=False, progress=False) for p in (padded, plain))
    assert a["title"].tolist() == b["title"].tolist() == ["A paper"] and a["year"].tolist() == [2020]
    assert cells(a.iloc[0])["Title"] == "A paper" and cells(b.iloc[0])["Title"] == " A paper"
