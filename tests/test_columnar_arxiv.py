"""The arXiv metadata snapshot by columns (litreview.io.columnar.arxiv_lines) gives the record path's result.

Each case is read twice, by the columnar path and with it switched off (``load.COLUMNAR = False``); the
tables (flags and ``source`` included) and the load problems must be identical.
"""

from __future__ import annotations

import gzip
import json

import pytest
from test_columnar import FIXTURES, assert_same, needs_fixtures

from litreview.io.columnar import arxiv_lines

SAMPLE = FIXTURES / "arxiv" / "arxiv-metadata-oai-snapshot.sample.json"


def spy(monkeypatch) -> list[int]:
    """The sizes of the blocks converted by columns."""
    sizes: list[int] = []
    original = arxiv_lines._convert

    def convert(table):
        sizes.append(table.num_rows)
        return original(table)

    monkeypatch.setattr(arxiv_lines, "_convert", convert)
    return sizes


def work(i: int, **changes) -> dict:
    row = {
        "id": f"2101.{i:05d}", "submitter": "A", "authors": "Ana Li and Wei Zhang", "title": f" Paper\n {i} ",
        "comments": None, "journal-ref": None, "doi": None, "report-no": None, "categories": "cs.CL cs.LG cs.CL",
        "license": None, "abstract": f"  We study {i}.\n", "update_date": "2021-02-03",
        "versions": [{"version": "v1", "created": "Mon, 4 Jan 2021 10:00:00 GMT"},
                     {"version": "v2", "created": "Tue, 5 Jan 2021 10:00:00 GMT"}],
        "authors_parsed": [["Li", "Ana", ""], ["Zhang", "Wei", "Jr"], ["Solo", "", ""]],
    }  # fmt: skip
    row.update(changes)
    return row


AWKWARD = [
    work(0),
    work(1, id="hep-th/9901001", doi="10.1000/X.1", **{"journal-ref": "Phys. Rev.  D 1"}),
    work(2, title=""),
    work(3, abstract=None),
    work(4, versions=[{"version": "v2", "created": "Tue, 5 Jan 2021"}, {"version": "v1", "created": "x"}]),
    work(5, versions=[], update_date="2020-07-01"),
    work(6, authors_parsed=[["Li", "Ana"]]),
    work(7, authors_parsed=[]),
    work(8, authors_parsed=[["  Li ", "Ana\\n", ""]], doi="https://doi.org/10.48550/arXiv.2101.00008"),
    work(9, id=" 2101.00009 "),
    work(10, versions=[{"version": "v1", "created": "Mon, 4 Sept 2021 10:00:00 GMT"}]),
    work(11, title="Mojibake cafÃ©", categories=""),
    None,  # a blank line
    work(12, versions=[{"version": "v1", "created": "Mon,  4  Jan  2019"}, {"version": "vx"}]),
    work(13, id="2101.13"),
    work(14, doi="not a doi"),
]


def write(path, rows, lines=()):
    text = "\n".join("" if r is None else json.dumps(r, ensure_ascii=False) for r in rows)
    path.write_text(text + "\n" + "".join(line + "\n" for line in lines), encoding="utf-8")
    return path


@pytest.mark.parametrize("block", [None, 900])
def test_awkward_works_give_the_record_paths_result(tmp_path, monkeypatch, block):
    if block:
        monkeypatch.setattr(arxiv_lines, "BLOCK_BYTES", block)  # blocks of one or two works
    sizes = spy(monkeypatch)
    fast, problems = assert_same(write(tmp_path / "s.json", AWKWARD), merge=False, format="arxiv-snapshot")
    assert len(fast) == 15 and sum(sizes) == 15  # (the blank line 13 is no work)
    assert fast.loc[0, ["title", "abstract", "year", "month", "arxiv_version", "venue"]].tolist() == [
        "Paper 0", "We study 0.", 2021, 1, 2, "arXiv"]  # fmt: skip
    assert fast.loc[0, "authors"] == ["Ana Li", "Wei Zhang Jr", "Solo"]
    assert fast.loc[0, "categories"] == ["cs.CL", "cs.LG"]
    assert set(problems["severity"]) == {"warning"} and len(problems) >= 3  # bad id, no title, no abstract


def test_lines_pyarrow_cannot_read_cost_their_block_only(tmp_path, monkeypatch):
    monkeypatch.setattr(arxiv_lines, "BLOCK_BYTES", 900)
    sizes = spy(monkeypatch)
    rows = [work(i) for i in range(6)]
    path = write(tmp_path / "s.json", rows, lines=["{not json", '{"id": 5, "title": "number id"}', "[1]"])
    fast, problems = assert_same(path, merge=False, format="arxiv-snapshot")
    assert len(fast) == 7 and sum(sizes) >= 4  # (the blocks with the bad lines: the record path)
    assert problems["line"].tolist()[:1] == [7]


def test_gzipped_snapshot(tmp_path):
    plain = write(tmp_path / "s.json", [work(i) for i in range(30)])
    packed = tmp_path / "s.json.gz"
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    assert_same(packed, merge=False, format="arxiv-snapshot")


@needs_fixtures
@pytest.mark.parametrize("merge", [False, True])
def test_the_shared_sample_reads_the_same_both_ways(monkeypatch, merge):
    sizes = spy(monkeypatch)
    fast, _ = assert_same(SAMPLE, merge=merge)
    assert len(fast) == 200 and sum(sizes) == 200


def test_a_snapshot_not_in_utf8_is_read_as_the_record_path_reads_it(tmp_path):
    path = tmp_path / "latin.json"
    path.write_bytes(json.dumps(work(1, title="Caf\u00e9")).encode("latin-1").replace(b"\\u00e9", b"\xe9") + b"\n")
    fast, _ = assert_same(path, merge=False, format="arxiv-snapshot")
    assert fast["title"].tolist() == ["Café"]
