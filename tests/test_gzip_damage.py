"""Gzipped JSON Lines and an OpenAlex snapshot folder with a damaged part: the error names the file and the
first line lost, ``errors="skip"`` keeps every record before the damage (and the other parts' records), and
the streaming readers and the record path give the same."""

from __future__ import annotations

import gzip
import json
import zlib

import pytest

import litreview as lr
from litreview.io import load as load_module


def _work(i: int, year: int = 2021) -> dict:
    return {"id": f"https://openalex.org/W{i}", "title": f"Work number {i} on topic models",
            "publication_year": year, "topics": [{"display_name": "Topic Modeling"}]}  # fmt: skip


def _snapshot(tmp_path, per_part: int = 300):
    """works/ with two parts of ``per_part`` works each; the second is cut off in the middle of its line 201."""
    works = tmp_path / "works"
    texts = []
    for part in range(2):
        folder = works / f"updated_date=2024-0{part + 1}-01"
        folder.mkdir(parents=True)
        text = "".join(json.dumps(_work(part * per_part + i)) + "\n" for i in range(per_part))
        (folder / "part_000.gz").write_bytes(gzip.compress(text.encode()))
        texts.append(text)
    damaged = works / "updated_date=2024-02-01" / "part_000.gz"
    lines = texts[1].splitlines(keepends=True)
    whole = gzip.compress(texts[1].encode())
    # the compressed bytes up to a point inside line 201: what a download cut off there leaves
    cut = next(n for n in range(len(whole)) if len(_prefix(whole[:n])) > len("".join(lines[:200])) + 10)
    damaged.write_bytes(whole[:cut])
    return works


def _prefix(data: bytes) -> bytes:
    return zlib.decompressobj(31).decompress(data)


@pytest.mark.parametrize("columnar", [True, False], ids=["streamed", "record path"])
def test_a_truncated_snapshot_part_names_its_first_lost_line_and_keeps_the_lines_before(tmp_path, monkeypatch,
                                                                                        columnar):
    monkeypatch.setattr(load_module, "COLUMNAR", columnar)
    _snapshot(tmp_path)
    label = "works/updated_date=2024-02-01/part_000.gz"
    monkeypatch.chdir(tmp_path)
    message = (f"{label}:201: the gzip file is damaged from this line on, the rest of the file is lost "
               "(Compressed file ended before the end-of-stream marker was reached); its 200 lines before were read")
    with pytest.raises(lr.LoadError) as raised:
        lr.load("works", merge=False, progress=False)
    assert str(raised.value) == message
    papers = lr.load("works", merge=False, progress=False, errors="skip")
    assert len(papers) == 300 + 200
    assert papers["title"].iloc[-1] == "Work number 499 on topic models"
    assert [str(lr.LoadError(p.message, file=p.file, line=p.line)) for p in lr.load_problems(papers).itertuples()] \
        == [message]  # fmt: skip
    # a selection reads the same lines
    selected = lr.load("works", merge=False, progress=False, errors="skip", select={"years": (2021, 2021)})
    assert selected["id"].tolist() == papers["id"].tolist()


def test_a_damaged_second_gzip_member_keeps_the_first_members_lines(tmp_path):
    good = "".join(json.dumps({"title": f"Paper {i}", "year": 2020}) + "\n" for i in range(50))
    bad = "".join(json.dumps({"title": f"Lost {i}", "year": 2020}) + "\n" for i in range(50))
    member = bytearray(gzip.compress(bad.encode()))
    member[1] ^= 0xFF  # the second member's header is damaged
    path = tmp_path / "papers.jsonl.gz"
    path.write_bytes(gzip.compress(good.encode()) + bytes(member))
    papers = lr.load(path, merge=False, progress=False, errors="skip")
    assert papers["title"].tolist() == [f"Paper {i}" for i in range(50)]
    problem = lr.load_problems(papers).iloc[0]
    assert (problem["line"], problem["message"]) == (
        51, "the gzip file is damaged from this line on, the rest of the file is lost (Not a gzipped file "
            "(b'\\x1ft')); its 50 lines before were read")  # fmt: skip


def test_an_undamaged_multi_member_gzip_is_read_whole(tmp_path):
    text = ["".join(json.dumps({"title": f"Paper {m}.{i}", "year": 2020}) + "\n" for i in range(30)) for m in range(3)]
    path = tmp_path / "papers.jsonl.gz"
    path.write_bytes(b"".join(gzip.compress(t.encode()) for t in text))
    papers = lr.load(path, merge=False, progress=False)
    assert len(papers) == 90 and lr.load_problems(papers).empty
    assert papers["source"].iloc[-1].endswith("papers.jsonl.gz:90")


def test_a_gzip_file_damaged_before_its_first_line_is_an_error_naming_line_1(tmp_path):
    path = tmp_path / "a.jsonl.gz"
    path.write_bytes(gzip.compress(b'{"title": "Paper", "year": 2020}\n' * 10)[:12])
    other = tmp_path / "b.jsonl"
    other.write_text('{"title": "Kept paper", "year": 2021}\n', encoding="utf-8")
    papers = lr.load([path, other], merge=False, progress=False, errors="skip")
    assert papers["title"].tolist() == ["Kept paper"]
    problem = lr.load_problems(papers).iloc[0]
    assert (problem["line"], problem["message"][:56]) == (1, "the gzip file is damaged from this line on, the rest of ")
    assert problem["message"].endswith("; nothing before it could be read")
