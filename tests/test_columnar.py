"""The columnar path (litreview.io.columnar) gives exactly the record path's result.

Every column of the schema (generic over ``schema.COLUMNS``), the flags, ``source`` and the load
problems are compared between ``load`` with the columnar path and ``load`` with every file read record
by record; on the shared fixtures, on generated corpora and on a JSON Lines file of awkward rows.
The kernels and the columnar twins in ``litreview.fields`` are checked value by value against the
per-value rules they stand for.
"""

from __future__ import annotations

import json
import random
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest

import litreview as lr
import litreview.io.load as load_module
from litreview.errors import LoadError
from litreview.fields.arxiv import parse_arxiv_id, parse_arxiv_id_arrow
from litreview.fields.doi import normalize_doi, normalize_doi_arrow
from litreview.io.columnar import jsonl
from litreview.io.columnar import kernels as k
from litreview.io.encoding import _SUSPECT_RE2, may_need_repair_arrow, repair_mojibake
from litreview.io.readers import cells
from litreview.schema import COLUMNS

FIXTURES = Path(__file__).resolve().parents[2] / "shared" / "fixtures"
needs_fixtures = pytest.mark.skipif(not FIXTURES.is_dir(), reason="../shared/fixtures is not beside this checkout")

TEXTS = [
    "  LoRA:  Low-Rank\tAdaptation \n", "\u3000wide\u3000", "a\x1cb\x1f", "\x85x\xa0", "", "   ", "plain",
    "Schrödinger  cat", "tab\tin\x0bside", "x\u2028y", "\u200bzero-width\u200b", "\ufeffbom",
]  # fmt: skip
NAMES = [
    "Ana Li", "  Wei   Zhang ", "Vaswani, Ashish", "J. Smith", "Smith J.", "Anonymous", "none", "N/A", "",
    "Phillips, James C. (57202138757)", "Jean-Pierre Müller", "Bo (Bob) Chen", "Li\tNa", "[No author name available]",
    " Anonymous\u3000", "Smith  J. ", "Ana\u00a0Li",
]  # fmt: skip
DOIS = [
    "10.1145/3442188.3445922", "https://doi.org/10.1145/ABC.1", "doi:10.1000/xyz).", "10.1000/x y",
    "https://dx.doi.org/10.48550/arXiv.2106.09685", "not a doi", "10.12/short", "10.1000/a.b,", "10.1000/é",
    "DOI 10.1234/ABC", "10.1000/(a)",
]  # fmt: skip
ARXIV = ["2106.09685", "2106.09685v12", "hep-th/9901001", "arXiv:2106.09685", "2106.0968", "21060.09685", "2106.09685v"]


def test_pyarrow_trims_exactly_pythons_whitespace():
    chars = [chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000]
    trimmed = k.strip(pa.array(["x" + c for c in chars])).to_pylist()
    assert {c for c, t in zip(chars, trimmed) if t == "x"} == {c for c in chars if c.isspace()} == set(k.PY_SPACE)


def test_strip_finds_whitespace_at_either_end_alone():
    for space in k.PY_SPACE:
        for value in (space + "x", "x" + space, space, "x" + space + "y"):
            for column in (pa.array(["plain", value, None]), pa.array(["ab", value], pa.large_string()).slice(1)):
                assert k.strip(column).to_pylist() == [v and v.strip() for v in column.to_pylist()]
    plain = pa.array(["a", "ö", "x’", None, "", "é“"])
    assert k.strip(plain) is plain  # (no value to trim: the column, not a copy)


def test_blank_as_null():
    values = ["x", "", None, "", "yz", None]
    for column in (pa.array(values), pa.array(["", *values], pa.large_string()).slice(1)):
        assert k.blank_as_null(column).to_pylist() == ["x", None, None, None, "yz", None]
    full = pa.array(["x", None, "y"])
    assert k.blank_as_null(full) is full  # (nothing blank: the column, not a copy)


def test_text_kernels_agree_with_cells_text():
    values, marked = k.text(pa.array(TEXTS + [None]))
    assert not marked.any()
    assert values.to_pylist() == [cells.text(t) for t in TEXTS] + [None]
    lines, _ = k.text(pa.array(TEXTS), single_line=True)
    assert lines.to_pylist() == [cells._one_line(t) for t in TEXTS]


def test_people_kernel_agrees_with_cells_people_on_the_rows_it_keeps():
    rows = [[n] for n in NAMES] + [NAMES[:2], [], None, [None], ["Ana Li", "Ana Li"]]
    names, marked = k.people(pa.array(rows, pa.list_(pa.string())))
    for row, got, fallback in zip(rows, names, marked):
        if not fallback:
            assert (got or []) == cells.people(row), row
    # the names the kernel cannot judge are exactly those the per-value rule changes or drops
    assert [bool(m) for m in marked[: len(NAMES)]] == [cells.people([n]) != [" ".join(n.split())] for n in NAMES]


@pytest.mark.parametrize(
    "rule, kernel, values",
    [
        (cells.year, k.year, [2019, 999, 3000, None, 1000]),
        (cells.year, k.year, [2019.0, 2019.5, None]),
        (cells.year, k.year, ["2019", " 2019 ", "2019-05", "in press", "0999", ""]),
        (cells.month, k.month, [1, 12, 0, 13, None]),
        (cells.month, k.month, ["5", "05", "May", "13"]),
    ],
)
def test_number_kernels_agree_with_cells(rule, kernel, values):
    out, marked = kernel(pa.array(values))
    for value, got, fallback in zip(values, out.to_pylist(), marked):
        if fallback:
            continue
        expected = None if cells._blank(value) else rule(value)
        assert got == expected, value
    bad = [v for v, m in zip(values, marked) if not cells._blank(v) and not m]
    for value in bad:
        rule(value)  # every value the kernel kept is one the rule reads without complaint


def test_date_kernel_agrees_with_cells_date():
    values = ["2023-08-07", "2023-08", "2023", "2023-13-01", "0999-01-01", "Aug 2023", "2023-08-07T10:00Z", None]
    years, months, marked = k.date(pa.array(values))
    for value, y, m, fallback in zip(values, years.to_pylist(), months.to_pylist(), marked):
        if not fallback and value is not None:
            assert (y, m) == cells.date(value), value
    assert marked.tolist() == [False, False, False, False, True, True, True, False]


def test_doi_twin_agrees_with_normalize_doi():
    dois, ok = normalize_doi_arrow(pa.array(DOIS))
    for text, doi, kept in zip(DOIS, dois.to_pylist(), ok):
        if kept:
            assert doi == normalize_doi(text), text
    # the common shapes are handled by the twin, everything else by normalize_doi
    assert ok.tolist() == [True, True, False, False, True] + [False] * 6
    # a column of bare DOIs only (one pass tells), and the same with one value to trim (each value found)
    bare = ["10.1145/3442188.3445922", "10.1000/ABC-x_(1)z", None, "10.48550/arXiv.2106.09685", "10.12345/a"]
    for texts in (bare, bare + ["10.1000/x."], bare + ["10.1000/é"], bare + ["10.1000/"]):
        dois, ok = normalize_doi_arrow(pa.array(texts))
        assert ok.tolist() == [True] * len(bare) + [False] * (len(texts) - len(bare)), texts
        assert dois.to_pylist()[: len(bare)] == [t and normalize_doi(t) for t in bare]


def test_arxiv_twin_agrees_with_parse_arxiv_id():
    ids, versions, ok = parse_arxiv_id_arrow(pa.array(ARXIV))
    for text, ident, version, kept in zip(ARXIV, ids.to_pylist(), versions.to_pylist(), ok):
        if kept:
            assert (ident, version) == parse_arxiv_id(text), text
    assert ok.tolist() == [True, True, False, False, True, False, False]
    # a column of ids alone (one pass tells), and the same with an id with a version, and one to leave
    bare = ["2106.09685", None, "0704.0001"]
    for texts, more in ((bare, []), (bare + ["2106.09685v12"], [True]), (bare + ["hep-th/9901001"], [False])):
        ids, versions, ok = parse_arxiv_id_arrow(pa.array(texts))
        assert ok.tolist() == [True] * 3 + more, texts
        expected = [parse_arxiv_id(t) if t and m else (None, None) for t, m in zip(texts, [True] * 3 + more)]
        assert list(zip(ids.to_pylist(), versions.to_pylist())) == expected
        assert versions.type == pa.int64()


def test_byte_scans_find_every_value_the_patterns_match(monkeypatch):
    """one_line's and people's scans of the bytes mark a superset of what their patterns match, so the
    pattern run on the marked values alone gives its own answer (over chunks cut small, in a sliced array)."""
    monkeypatch.setattr(k, "_SCAN_BYTES", 5)
    rng = random.Random(11)
    pieces = ["a", "A", "n", "N", "[", "o", "e", ".", ")", ",", " ", "  ", "/", "é", "\u017f", "\u212a"]
    pieces += list(k.PY_SPACE) + [name for name in k._NO_AUTHOR] + [name.upper() for name in k._NO_AUTHOR]
    values = ["".join(rng.choice(pieces) for _ in range(rng.choice([1, 1, 2, 3]))) for _ in range(6000)]
    column = pa.array(["x", *values, None, ""]).slice(1)
    for pattern, names in ((k._ODD_SPACE, False), (k._ODD_NAME_OR_SPACE, True)):
        expected = np.asarray(pc.fill_null(pc.match_substring_regex(column, pattern), False))
        maybe = k._odd_bytes(column, k._ODD_NAME_BYTES if names else k._ODD_SPACE_BYTES, names=names)
        assert expected.sum() > 1000 and not (expected & ~maybe).any() and (~maybe).sum() > 300
        assert k.matching(column, pattern, maybe.copy).tolist() == expected.tolist()


def test_mojibake_twin_marks_every_value_the_repair_changes():
    texts = ["PanGu-ฮฑ", "Thatâ€™s", "Schrödinger", "plain", "cafÃ©", "\x85x", "Â\xa0y", "ภาษาไทย"]
    marked = may_need_repair_arrow(pa.array(texts))
    for text, m in zip(texts, marked):
        if not m:
            repair = repair_mojibake(text)
            assert repair.text == text and not repair.flags, text
    assert marked.tolist() == [True, True, False, False, True, True, True, True]


def test_high_bytes_across_chunks(monkeypatch):
    monkeypatch.setattr(k, "_SCAN_BYTES", 7)
    data = np.random.default_rng(1).integers(0, 256, 100, dtype=np.uint8)
    for n in (0, 1, 7, 8, 100):
        assert k.high_bytes(data[:n], 0xC2).tolist() == np.flatnonzero(data[:n] >= 0xC2).tolist()


def test_mojibake_twin_marks_what_the_pattern_matches():
    """The byte scan marks every value repair_mojibake's first test (the RE2 pattern) matches, in a sliced
    array too; a value it marks beyond those is one the repair leaves as it is."""
    rng = random.Random(7)
    edges = "aÃâÂ€\x80\x9f\xa0\xbf\u0151\u0152\u2122\u2123\u0dff\u0e00\u0e7f\u0e80 ö’“ฮฑ\x7fŸ"
    texts = ["".join(rng.choice(edges) for _ in range(rng.randint(0, 5))) for _ in range(20_000)] + [None, ""]
    column = pa.array(texts).slice(3)
    marked = may_need_repair_arrow(column)
    matched = np.asarray(pc.fill_null(pc.match_substring_regex(column, _SUSPECT_RE2), False))
    assert matched.sum() > 5000 and not (matched & ~marked).any()
    for i in np.flatnonzero(marked & ~matched).tolist():
        repair = repair_mojibake(texts[i + 3])
        assert repair.text == texts[i + 3] and not repair.flags, texts[i + 3]
    assert may_need_repair_arrow(pa.array([], pa.string())).tolist() == []
    assert may_need_repair_arrow(pa.array([None, "ฮฑ"], pa.large_string())).tolist() == [False, True]


# --------------------------------------------------------------------------- whole loads, both ways


def same_value(a, b) -> bool:
    if isinstance(a, list) or isinstance(b, list):
        return a == b
    if a is None or a is pd.NA or b is None or b is pd.NA:
        return (a is None or a is pd.NA) and (b is None or b is pd.NA)
    return type(a) is type(b) and a == b


def both_ways(paths, **options):
    """``(record path, columnar path)``: frames and load problems."""
    out = []
    for columnar in (False, True):
        load_module.COLUMNAR = columnar
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                papers = lr.load(paths, errors="skip", progress=False, **options)
            out.append((papers, lr.load_problems(papers)))
        finally:
            load_module.COLUMNAR = True
    return out


def assert_same(paths, **options):
    (slow, slow_problems), (fast, fast_problems) = both_ways(paths, **options)
    assert list(fast.columns) == list(slow.columns)
    assert len(fast) == len(slow)
    for col in COLUMNS:
        assert fast[col].dtype == slow[col].dtype, col
        for i, (a, b) in enumerate(zip(slow[col], fast[col])):
            assert same_value(a, b), (col, i, a, b)
    pd.testing.assert_frame_equal(fast_problems, slow_problems)
    return fast, fast_problems


AWKWARD = [
    {
        "title": "  LoRA:  Low-Rank\tAdaptation ",
        "abstract": "We adapt.",
        "authors": ["Edward Hu", "Li, Yuanzhi"],
        "year": 2022,
        "doi": "https://doi.org/10.48550/arXiv.2106.09685",
        "tags": ["a", "b", "a"],
    },
    {"title": "Mojibake cafÃ©", "abstract": "PanGu-ฮฑ is big", "authors": ["Ana Li"], "year": "2021", "shelf": 1},
    None,  # a blank line
    {"title": "", "abstract": "", "authors": []},
    {"title": "Only a year in press", "year": "in press", "month": "May"},
    "[1, 2]",
    "{not json",
    {"title": "URL", "url": "https://arxiv.org/abs/2101.00190v3", "date": "2020-05-01", "arxiv_version": 2},
    {"arxiv_id": "2303.11366v1", "categories": "cs.CL cs.AI", "citation_count": 12.0, "notes": " n "},
    {"title": "Old id", "arxiv_id": "hep-th/9901001", "authors": "Smith J., Doe A.B.", "year": 2999.5},
    {"title": "Dated", "date": "2019-07-02", "year": 2020, "month": 13},
    {"title": "Anonymous author", "authors": ["Anonymous", "  Wei   Zhang "], "doi": "10.1000/X)."},
    {"title": "Nested", "venue": {"display_name": "NeurIPS"}, "references": ["doi:10.1/x"], "external_ids": "W123"},
]


def spy_on_conversion(monkeypatch) -> list[int]:
    """The sizes of the tables the JSON Lines reader converts by columns, as they are converted."""
    converted: list[int] = []
    original = jsonl.convert_batch
    monkeypatch.setattr(
        jsonl, "convert_batch", lambda table, cmap: converted.append(len(table)) or original(table, cmap)
    )
    return converted


def write_lines(path: Path, rows, newline="\n") -> Path:
    lines = [json.dumps(r, ensure_ascii=False) if isinstance(r, dict) else (r or "") for r in rows]
    path.write_text(newline.join(lines) + newline, encoding="utf-8")
    return path


@pytest.mark.parametrize("block", [None, 200])
def test_awkward_json_lines_give_the_record_paths_result(tmp_path, monkeypatch, block):
    if block:
        monkeypatch.setattr(jsonl, "BLOCK_BYTES", block)  # many blocks, some that pyarrow cannot read
    converted = spy_on_conversion(monkeypatch)
    path = write_lines(tmp_path / "awkward.jsonl", AWKWARD)
    fast, problems = assert_same(path, merge=False)
    assert len(fast) == 9
    # the bad JSON first (as the record path gives it), the unread column "shelf", then rows by line
    assert problems["line"].tolist()[:3] == [7, 1, 5]  # (line 4, all blank, is no record: no problem)
    # One block: it holds lines pyarrow cannot read, so the record path reads it.  Small blocks: later keys
    # (url, date) change the mapping of columns, so the whole file is read the record path's way.
    assert converted == []


def test_crlf_and_blank_lines(tmp_path):
    rows = [{"title": f"Paper {i}", "year": 2000 + i} for i in range(5)]
    assert_same(write_lines(tmp_path / "a.jsonl", rows[:2] + [None] + rows[2:], newline="\r\n"), merge=False)


def test_a_type_change_between_blocks(tmp_path, monkeypatch):
    monkeypatch.setattr(jsonl, "BLOCK_BYTES", 130)
    converted = spy_on_conversion(monkeypatch)
    rows = [{"title": f"P{i}", "year": 2001 if i < 3 else "2002", "doi": f"10.1000/{i}"} for i in range(6)]
    rows[4]["year"] = 2002  # a block with both types: pyarrow cannot read it, the record path does
    fast, _ = assert_same(write_lines(tmp_path / "a.jsonl", rows), merge=False)
    assert fast["year"].tolist() == [2001] * 3 + [2002] * 3
    assert converted == [2, 1]  # lines 1-2 and 6 by columns; lines 3-5 (int and text years) by records


def test_a_column_that_appears_late_falls_back_to_the_record_path(tmp_path, monkeypatch):
    monkeypatch.setattr(jsonl, "BLOCK_BYTES", 64)
    rows = [{"title": f"P{i}"} for i in range(4)] + [{"title": "Q", "abstract": "A late abstract."}]
    fast, _ = assert_same(write_lines(tmp_path / "a.jsonl", rows), merge=False)
    assert fast["quality_flags"].tolist() == [["no-abstract"]] * 4 + [[]]


@pytest.mark.parametrize("block", [None, 64])
def test_a_null_line_where_a_block_starts(tmp_path, monkeypatch, block):
    # (pyarrow crashes the process on a buffer that opens with null: such a block is read line by line)
    if block:
        monkeypatch.setattr(jsonl, "BLOCK_BYTES", block)
    rows = [{"title": f"Paper number {i}", "year": 2000 + i} for i in range(6)]
    fast, problems = assert_same(write_lines(tmp_path / "a.jsonl", rows[:3] + ["null"] + rows[3:]), merge=False)
    assert len(fast) == 6 and problems["message"].tolist() == ["the line is null, not an object"]


def test_not_utf8_is_read_as_the_record_path_reads_it(tmp_path):
    path = tmp_path / "latin.jsonl"
    path.write_bytes(b'{"title": "Caf\xe9"}\n{"title": "Two"}\n')
    fast, _ = assert_same(path, merge=False)
    assert fast["title"].tolist() == ["Café", "Two"]


def test_an_error_names_the_file_and_line(tmp_path):
    path = write_lines(tmp_path / "bad.jsonl", [{"title": "A"}, {"title": "B"}, "{oops", {"title": "C"}])
    with pytest.raises(LoadError) as caught:
        lr.load(path, progress=False)
    assert caught.value.file.endswith("bad.jsonl") and caught.value.line == 3


def generated(n: int, seed: int = 0) -> pd.DataFrame:
    """A small corpus of the benchmarks' kind: ids, DOIs behind resolvers, re-cased titles, accents."""
    rng = np.random.default_rng(seed)
    names = ["Ana Li", "Wei Zhang", "Jörg Müller", "Priya Singh", "Noa Cohen"]
    rows = []
    for i in range(n):
        has_arxiv = rng.random() < 0.5
        title = f"Paper {i} on {['alignment', 'retrieval', 'Ünïcode'][i % 3]}"
        rows.append({
            "title": title.upper() if i % 7 == 0 else title,
            "abstract": None if i % 5 == 0 else f"We study topic {i}. Café – résumé." if i % 4 else f"We study {i}.",
            "authors": [names[j] for j in rng.integers(0, 5, rng.integers(1, 4))],
            "year": int(rng.integers(2010, 2025)), "month": int(rng.integers(1, 13)),
            "venue": "arXiv" if has_arxiv else "Journal of Tests",
            "arxiv_id": f"2101.{i:05d}" + ("v2" if i % 3 == 0 else "") if has_arxiv else None,
            "doi": None if has_arxiv else ("https://doi.org/10.1234/T." if i % 2 else "10.1234/t.") + str(i),
        })  # fmt: skip
    return pd.DataFrame(rows)


@pytest.mark.parametrize("merge", [False, True])
def test_generated_json_lines_and_parquet(tmp_path, merge):
    frame = generated(400)
    jsonl_path = tmp_path / "c.jsonl"
    with open(jsonl_path, "w", encoding="utf-8") as fh:
        for rec in frame.to_dict("records"):
            fh.write(json.dumps({k: v for k, v in rec.items() if v is not None}, ensure_ascii=False) + "\n")
    parquet_path = tmp_path / "c.parquet"
    frame.to_parquet(parquet_path)
    from_jsonl, _ = assert_same(jsonl_path, merge=merge)
    from_parquet, _ = assert_same(parquet_path, merge=merge)
    assert len(from_jsonl) == (400 if not merge else len(from_jsonl))
    assert from_jsonl["title"].tolist() == from_parquet["title"].tolist()


def test_parquet_with_awkward_columns(tmp_path):
    frame = pd.DataFrame({
        "Title": ["A", None, "  C  ", ""],
        "publication_date": pd.to_datetime(["2020-01-05", None, "2021-03-01", "2022-01-01"]),
        "year": pd.array([None, 2019, None, 2020], dtype="Int64"),
        "keywords": [["x", "y"], None, [], ["x"]],
        "label": pd.Categorical(["a", "b", "a", "b"]),
    })  # fmt: skip
    path = tmp_path / "t.parquet"
    frame.to_parquet(path)
    assert_same(path, merge=False)


@needs_fixtures
def test_shared_fixtures_read_the_same_both_ways():
    files = sorted(p for p in FIXTURES.rglob("*") if p.is_file() and p.name != "README.md")
    assert files
    for path in files:
        assert_same(path, merge=False)


@needs_fixtures
def test_shared_fixtures_merged_the_same_both_ways():
    assert_same(FIXTURES / "tables")


# --------------------------------------------------------------------------- gzip, OpenAlex snapshots, selections


def openalex_work(i: int, year: int, topic: str = "Topic Modeling") -> dict:
    return {
        "id": f"https://openalex.org/W{i}",
        "doi": f"https://doi.org/10.1234/W.{i}" if i % 2 else None,
        "title": f"Work {i}",
        "publication_year": year,
        "publication_date": f"{year}-0{1 + i % 9}-01",
        "authorships": [{"author": {"display_name": "Ana Li"}}],
        "abstract_inverted_index": {"We": [0], "study": [1], f"w{i}": [2]} if i % 3 else None,
        "concepts": [{"display_name": "Machine learning", "score": 0.5}],
        "topics": [{"display_name": topic}],
        "cited_by_count": i,
    }


def snapshot(root: Path, works: list, bad_line: bool = False) -> Path:
    """An OpenAlex snapshot folder: two gzipped parts in updated_date= folders, and a manifest."""
    import gzip

    folder = root / "works"
    half = len(works) // 2
    for n, chunk in enumerate((works[:half], works[half:])):
        day = folder / f"updated_date=2024-0{n + 1}-01"
        day.mkdir(parents=True)
        lines = [json.dumps(w) for w in chunk]
        if bad_line and n == 1:
            lines.insert(2, '{"id": "https://openalex.org/W999", oops')
        with gzip.open(day / "part_000.gz", "wt", encoding="utf-8") as fh:
            fh.write("\n".join(lines) + "\n")
    (folder / "manifest").write_text('{"entries": []}')
    return folder


def test_openalex_snapshot_streams_the_record_paths_result(tmp_path):
    works = [openalex_work(i, 2000 + i % 10) for i in range(1, 41)]
    folder = snapshot(tmp_path, works, bad_line=True)
    fast, problems = assert_same(folder, merge=False)
    assert len(fast) == 40
    assert fast["source"].iloc[20].endswith("updated_date=2024-02-01/part_000.gz:1")
    assert problems[problems["severity"] == "error"]["line"].tolist() == [3]  # the bad line, by its line


def test_an_openalex_block_opening_with_null_under_a_year_window(tmp_path, monkeypatch):
    from litreview.io.columnar import openalex_lines

    works = [json.dumps(openalex_work(i, 2000 + i)) for i in range(1, 5)]
    monkeypatch.setattr(openalex_lines, "BLOCK_BYTES", len(works[0]) + len(works[1]) + 2)  # the next opens with null
    path = tmp_path / "works.jsonl"
    path.write_text("\n".join(works[:2] + ["null"] + works[2:]) + "\n", encoding="utf-8")
    fast, problems = assert_same(path, merge=False, select={"years": (2002, 2003)})
    assert fast["title"].tolist() == ["Work 2", "Work 3"]
    assert problems["message"].tolist() == ["work 3 is null, not a JSON object"]


def test_a_year_window_and_topics_select_on_the_way_in(tmp_path):
    works = [
        openalex_work(i, 2000 + i % 10, "Genome Editing" if i % 4 == 0 else "Topic Modeling") for i in range(1, 41)
    ]
    wanted = [
        w for w in works if 2004 <= w["publication_year"] <= 2006 and w["topics"][0]["display_name"] == "Genome Editing"
    ]
    folder = snapshot(tmp_path, works)
    selection = lr.Selection(years=(2004, 2006), topics=["genome editing"], fields=["title", "year"])
    chosen = lr.load(folder, merge=False, select=selection, progress=False)
    assert chosen["title"].tolist() == [w["title"] for w in wanted] == ["Work 4", "Work 16", "Work 24", "Work 36"]
    assert chosen["abstract"].isna().all() and chosen["doi"].isna().all()  # fields outside the selection: missing
    everything = lr.load(folder, merge=False, progress=False)
    same = lr.Selection(years=(2004, 2006), topics=["Genome Editing"]).apply(everything)
    assert chosen["id"].tolist() == same["id"].tolist()


def test_gzipped_json_lines_read_as_the_plain_file(tmp_path):
    import gzip

    rows = [{k: v for k, v in rec.items() if v is not None} for rec in generated(60).to_dict("records")]
    plain = write_lines(tmp_path / "c.jsonl", rows)
    packed = tmp_path / "c.jsonl.gz"
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    a = lr.load(plain, merge=False, progress=False)
    b = lr.load(packed, merge=False, progress=False)
    for col in COLUMNS:
        if col not in ("source", "provenance", "id"):
            assert a[col].equals(b[col]), col
    assert b["source"].iloc[5].endswith("c.jsonl.gz:6")


def test_selection_checks_its_parameters():
    with pytest.raises(TypeError, match="years must be a pair"):
        lr.Selection(years=2020)
    with pytest.raises(ValueError, match="not schema fields"):
        lr.Selection(fields=["titel"])
    with pytest.raises(TypeError, match="select must be a Selection"):
        lr.load(select=[2020])
    papers = pd.DataFrame({"year": [2019, None], "categories": [["cs.CL"], []], "keywords": [[], ["NLP"]]})
    assert lr.Selection(categories="cs").mask(papers).tolist() == [True, False]
    assert lr.Selection(topics=["nlp"]).mask(papers).tolist() == [False, True]
    assert lr.Selection(years=(None, 2019)).mask(papers).tolist() == [True, False]


def test_work_ahead_keeps_order_raises_in_place_and_stops_with_the_consumer():
    import threading

    from litreview.io.columnar.ahead import ahead

    def items(fail_at=None):
        for i in range(10):
            if i == fail_at:
                raise ValueError(f"item {i}")
            yield i

    assert list(ahead(items())) == list(range(10))
    got = []
    with pytest.raises(ValueError, match="item 4"):
        for item in ahead(items(fail_at=4)):
            got.append(item)
    assert got == [0, 1, 2, 3]  # the items made before the failure, then the failure
    before = threading.active_count()
    for item in ahead(items(), depth=2):
        if item == 1:
            break
    assert threading.active_count() == before  # the thread is gone when the consumer stops
