"""``lr.load()``: the default corpus, single files, formats, errors and warnings."""

import codecs
import re
import warnings
from pathlib import Path

import pandas as pd
import pytest

import litreview as lr
from litreview.errors import LoadError, LoadWarning
from litreview.schema import COLUMNS

ROOT = Path(__file__).resolve().parent.parent
FILES = {
    "arxiv_abstracts.txt": 39,
    "arxiv_roundup_2023-05-28.txt": 23,
    "iclr_publications.txt": 3,
    "llm_digest.txt": 9,
}
READER_NAMES = sorted(
    ["arxiv-atom", "arxiv-dump", "arxiv-oai", "arxiv-snapshot", "bibtex", "csl-json", "csv", "digest", "excel"]
    + ["json-records", "medline", "openalex", "parquet", "publist", "ris", "roundup", "semantic-scholar", "wos"]
)

DUMP_HEADER = "arxiv_id\nstringlengths\n9\n12\nabstract\nstringlengths\n431\n13.8k\n"
ABS_A = "Large language models have been increasingly used to interact with external environments."
ABS_B = "An important paradigm of natural language processing consists of large-scale pre-training."
ABS_C = "We introduce a new method for something and show that it works on many tasks."
PUB_ABSTRACT = "We study things and find results that matter for many downstream applications."


@pytest.fixture(scope="module")
def corpus() -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the seeds load without any warning
        return lr.load()


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    """A scratch folder as the working folder, so ``source`` labels are relative to it."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def as_python(value):
    if isinstance(value, list):
        return value
    return None if pd.isna(value) else value


def record(papers: pd.DataFrame, i: int) -> dict:
    return {k: as_python(v) for k, v in papers.iloc[i].to_dict().items()}


def all_strings(papers: pd.DataFrame):
    for col in papers.columns:
        for value in papers[col]:
            if isinstance(value, list):
                yield from (str(v) for v in value)
            elif isinstance(value, str):
                yield value


# --------------------------------------------------------------------------- the default corpus


def test_corpus_shape_and_ids(corpus):
    assert len(corpus) == 74
    assert corpus["id"].is_unique
    assert corpus["id"].notna().all()
    assert tuple(corpus.columns) == COLUMNS
    assert list(corpus.index) == list(range(74))
    for col in ("year", "month", "arxiv_version"):
        assert str(corpus[col].dtype) == "Int64"


def test_corpus_sources_are_relative_file_line(corpus):
    pattern = re.compile(r"^data/raw/(?P<file>[\w.\-]+\.txt):(?P<line>\d+)$")
    counts: dict[str, int] = {}
    for source, provenance in zip(corpus["source"], corpus["provenance"], strict=True):
        match = pattern.match(source)
        assert match, source
        counts[match["file"]] = counts.get(match["file"], 0) + 1
        assert provenance == [source]  # nothing in the seeds is a duplicate
    assert counts == FILES


def test_corpus_has_no_absolute_paths(corpus):
    root = str(ROOT)
    strings = list(all_strings(corpus))
    assert strings
    assert not [s for s in strings if root in s or "/work/" in s or "/tmp/" in s]
    assert not [s for s in corpus["source"] if s.startswith("/")]
    for table in (lr.load_problems(corpus), lr.merge_log(corpus)):
        assert not [s for s in all_strings(table) if root in s]


def test_corpus_is_the_same_from_any_working_folder(corpus, workdir):
    again = lr.load()
    assert list(again["source"]) == list(corpus["source"])
    assert list(again["id"]) == list(corpus["id"])


def test_corpus_has_no_problems_or_merges(corpus):
    problems = lr.load_problems(corpus)
    assert list(problems.columns) == ["file", "line", "severity", "message"]
    assert len(problems) == 0
    merges = lr.merge_log(corpus)
    assert list(merges.columns) == ["id", "source", "matched_on"]
    assert len(merges) == 0


def test_corpus_mojibake_record(corpus):
    flagged = corpus[corpus["quality_flags"].map(lambda f: "mojibake" in f or "mojibake-repaired" in f)]
    assert list(flagged["source"]) == ["data/raw/llm_digest.txt:16"]
    rec = record(flagged, 0)
    assert rec["id"] == "title:thoughts-on-the-alignment-implications-of-scaling-language"
    assert rec["quality_flags"] == ["mojibake-repaired", "mojibake"]
    assert "PanGu-α" in rec["abstract"]
    # "ฮฑ" alone is repaired; "็ๅคฮฑ" and "ๆ้" lost bytes and are left as they are
    assert "PanGu-α/็ๅคฮฑ, HyperCLOVA, Wudao/ๆ้ 2.0" in rec["abstract"]
    assert rec["abstract"].count("ฮฑ") == 1


def test_corpus_arxiv_record(corpus):
    rec = record(corpus[corpus["id"] == "arxiv:2303.11366"], 0)
    assert {k: rec[k] for k in ("arxiv_id", "arxiv_version", "year", "month", "venue", "title", "source")} == {
        "arxiv_id": "2303.11366",
        "arxiv_version": 1,
        "year": 2023,
        "month": 3,
        "venue": "arXiv",
        "title": None,
        "source": "data/raw/arxiv_abstracts.txt:19",
    }
    assert rec["url"] == "https://arxiv.org/abs/2303.11366"
    assert rec["provenance"] == ["data/raw/arxiv_abstracts.txt:19"]


def test_corpus_publist_record(corpus):
    rec = record(corpus[corpus["source"] == "data/raw/iclr_publications.txt:17"], 0)
    assert rec["id"] == "title:multitask-prompted-training-enables-zero-shot-task-generalization"
    assert rec["title"] == "Multitask-prompted training enables zero-shot task generalization"
    assert (rec["venue"], rec["year"], rec["month"]) == ("ICLR", 2022, None)
    assert rec["authors"] == ["Victor Sanh", "Albert Webson", "Colin Raffel", "Stephen H. Bach"]
    assert rec["quality_flags"] == ["authors-incomplete"]
    assert not any("Stella Biderman" in a for authors in corpus["authors"] for a in authors)


def test_corpus_roundup_record(corpus):
    rec = record(corpus[corpus["title"] == "LIMA: Less Is More for Alignment"], 0)
    assert rec["id"] == "title:lima-less-is-more-for-alignment"
    assert rec["abstract"] is None
    assert rec["notes"].startswith("They curated an extremely high-quality set of 1000")
    assert rec["keywords"] == ["arXiv roundup 2023-05-28"]
    assert (rec["year"], rec["month"], rec["venue"]) == (2023, 5, "arXiv")
    roundup = corpus[corpus["source"].str.startswith("data/raw/arxiv_roundup")]
    assert roundup["abstract"].isna().all()
    assert roundup["notes"].notna().all()


def test_corpus_digest_records(corpus):
    digest = corpus[corpus["source"].str.startswith("data/raw/llm_digest.txt")]
    assert len(digest) == 9
    assert all(k == ["Large Language Model"] for k in digest["keywords"])
    assert "Large Language Model" not in set(corpus["title"].dropna())
    rec = record(digest[digest["source"] == "data/raw/llm_digest.txt:13"], 0)
    assert rec["authors"] == ["Ulme Wennberg", "Gustav Eje Henter"]


def test_display_title_of_untitled_arxiv_record(corpus):
    rec = corpus[corpus["arxiv_id"] == "2106.09685"].iloc[0].to_dict()
    assert lr.display_title(rec) == "[2106.09685] An important paradigm of natural language processing consists ..."
    assert lr.display_title(rec, words=6) == "[2106.09685] An important paradigm of natural language ..."
    titles = lr.display_titles(corpus)
    assert titles.name == "display_title"
    assert len(titles) == 74
    assert titles[corpus["arxiv_id"] == "2106.09685"].tolist() == [
        "[2106.09685] An important paradigm of natural language processing consists ..."
    ]
    assert titles[corpus["title"] == "LIMA: Less Is More for Alignment"].tolist() == [
        "LIMA: Less Is More for Alignment"
    ]


def test_formats():
    assert sorted(lr.formats()) == READER_NAMES


# --------------------------------------------------------------------------- single files and formats


def test_load_file_with_detected_format(workdir):
    write(workdir / "dump.txt", DUMP_HEADER + f"2303.11366v1\n{ABS_A}\n2106.09685\n{ABS_B}\n")
    papers = lr.load("dump.txt")
    assert list(papers["id"]) == ["arxiv:2303.11366", "arxiv:2106.09685"]
    assert list(papers["source"]) == ["dump.txt:9", "dump.txt:11"]
    assert list(papers["abstract"]) == [ABS_A, ABS_B]
    assert tuple(papers.columns) == COLUMNS
    assert len(lr.load_problems(papers)) == 0


def test_load_accepts_path_objects_and_lists(workdir):
    path = write(workdir / "dump.txt", DUMP_HEADER + f"2303.11366v1\n{ABS_A}\n")
    assert list(lr.load(path)["source"]) == ["dump.txt:9"]
    assert list(lr.load([path])["source"]) == ["dump.txt:9"]


def test_load_folder_reads_visible_files_sorted(workdir):
    folder = workdir / "in"
    folder.mkdir()
    write(folder / "b.txt", "ICLR X ICLR X\nA Listed Paper\n" + PUB_ABSTRACT + "\nRead More\n")
    write(folder / "a.txt", DUMP_HEADER + f"2303.11366v1\n{ABS_A}\n")
    write(folder / ".hidden.txt", "garbage that no reader recognises\n")
    papers = lr.load(folder)
    assert list(papers["source"]) == ["in/a.txt:9", "in/b.txt:2"]


def test_load_with_format_given(workdir):
    # the text sniffs as nothing; format= picks the reader
    path = write(workdir / "pub.txt", "A Listed Paper\n" + PUB_ABSTRACT + "\nRead More\n")
    with pytest.raises(LoadError):
        lr.load(path)
    papers = lr.load(path, format="publist")
    assert list(papers["title"]) == ["A Listed Paper"]
    assert list(papers["source"]) == ["pub.txt:1"]
    mapped = lr.load([path], format={"pub.txt": "publist"})
    assert list(mapped["title"]) == ["A Listed Paper"]


def test_format_overrides_detection(workdir):
    write(workdir / "dump.txt", DUMP_HEADER + f"2303.11366v1\n{ABS_A}\n")
    with pytest.raises(LoadError) as info:
        lr.load("dump.txt", format="roundup")
    assert str(info.value) == "dump.txt:1: first line does not name the roundup's date (YYYY-M-D ... roundup)"


def test_format_mapping_leaves_other_files_detected(workdir):
    write(workdir / "dump.txt", DUMP_HEADER + f"2303.11366v1\n{ABS_A}\n")
    write(workdir / "pub.txt", "A Listed Paper\n" + PUB_ABSTRACT + "\nRead More\n")
    papers = lr.load(["dump.txt", "pub.txt"], format={workdir / "pub.txt": "publist"})
    assert list(papers["source"]) == ["dump.txt:9", "pub.txt:1"]


def test_unknown_format_name_is_a_value_error(workdir):
    write(workdir / "dump.txt", DUMP_HEADER + f"2303.11366v1\n{ABS_A}\n")
    with pytest.raises(ValueError) as info:
        lr.load("dump.txt", format="endnote")
    assert str(info.value) == f"unknown format 'endnote'; choose one of {READER_NAMES}"


def test_undetectable_format_is_a_load_error_naming_the_file(workdir):
    write(workdir / "notes.txt", "hello\nworld\n")
    with pytest.raises(LoadError) as info:
        lr.load("notes.txt")
    assert str(info.value) == f"notes.txt: cannot tell the format of this file; pass format= one of {READER_NAMES}"
    assert (info.value.file, info.value.line) == ("notes.txt", None)


def test_missing_file_is_a_load_error_naming_the_file(workdir):
    with pytest.raises(LoadError) as info:
        lr.load("missing.txt")
    assert str(info.value) == "missing.txt: no such file"
    assert (info.value.file, info.value.line, info.value.reason) == ("missing.txt", None, "no such file")


def test_a_list_of_files_written_as_one_string_says_how_to_pass_it(workdir):
    # (papermill's -p passes text: corpus "[a.bib, b.ris]" arrives as one string, read as data, never evaluated)
    with pytest.raises(LoadError) as info:
        lr.load('["a.bib", "b.ris"]')
    assert str(info.value) == ('["a.bib", "b.ris"]: no such file; this is a list of files written as one string: '
                               "pass a list, or with papermill give it as YAML, -y 'corpus: [a.bib, b.ris]' "
                               "(-p passes text)")


def test_missing_file_is_a_load_error_even_when_skipping(workdir):
    with pytest.raises(LoadError, match=r"^missing\.txt: no such file$"):
        lr.load("missing.txt", errors="skip")


def test_empty_folder_is_a_load_error_naming_it(workdir):
    (workdir / "empty").mkdir()
    with pytest.raises(LoadError, match="^empty: the folder holds no files$"):
        lr.load(workdir / "empty")
    with pytest.raises(LoadError, match="^no input files given$"):
        lr.load([])


def test_a_file_name_pattern_is_not_expanded_and_says_so(workdir):
    (workdir / "a.jsonl").write_text('{"title": "A", "year": 2020}\n')
    with pytest.raises(LoadError, match=r"^\*\.jsonl: no such file; a pattern such as \*\.gz is not expanded: give "
                                        r"the folder, or a list of its files$"):
        lr.load("*.jsonl")


def test_a_file_without_records_is_a_note_naming_it_and_the_others_are_read(workdir):
    (workdir / "empty.bib").write_text("\n  \n")
    (workdir / "header.csv").write_text("title,abstract,year\n")
    (workdir / "strings.bib").write_text("@string{icml = {International Conference on Machine Learning}}\n")
    (workdir / "one.bib").write_text("@article{a, title = {A paper}, journal = icml, year = 2020}\n")
    with pytest.warns(LoadWarning) as caught:
        papers = lr.load(["empty.bib", "header.csv", "strings.bib", "one.bib"])
    assert [str(w.message) for w in caught] == ["2 files (empty.bib, header.csv): the file holds no records"]
    assert papers["venue"].tolist() == ["International Conference on Machine Learning"]
    assert lr.load_problems(papers)[["file", "severity", "message"]].values.tolist() == [
        ["empty.bib", "note", "the file holds no records"], ["header.csv", "note", "the file holds no records"]]


def test_a_long_list_in_a_load_warning_is_cut_and_load_problems_keeps_it_whole(workdir):
    names = [f"extra column {i}" for i in range(30)]
    (workdir / "wide.csv").write_text(",".join(["title", *names]) + "\n" + ",".join(["A paper", *"x" * 30]) + "\n")
    with pytest.warns(LoadWarning) as caught:
        papers = lr.load("wide.csv")
    [warning] = [str(w.message) for w in caught]
    assert warning == ("wide.csv:1: 30 columns not read, no field recognised: " + ", ".join(map(repr, names[:8]))
                       + ", ... (all of them: lr.load_problems(papers)); name one with columns={'<column>': "
                       "'<field>'}, or None to ignore it")
    assert lr.load_problems(papers)["message"].tolist() == [
        "30 columns not read, no field recognised: " + ", ".join(map(repr, names))
        + "; name one with columns={'<column>': '<field>'}, or None to ignore it"]


def test_load_error_is_a_value_error():
    err = LoadError("bad", file="f.txt", line=3)
    assert isinstance(err, ValueError)
    assert str(err) == "f.txt:3: bad"
    assert (err.file, err.line, err.reason) == ("f.txt", 3, "bad")
    assert str(LoadError("bad")) == "bad"
    assert issubclass(LoadWarning, UserWarning)
    assert (lr.LoadError, lr.LoadWarning) == (LoadError, LoadWarning)


def test_cp1252_file_and_crlf_are_decoded(workdir):
    text = "ICLR X ICLR X\r\nIt’s a Café Paper\r\n" + PUB_ABSTRACT + " “Quoted.”\r\nRead More\r\n"
    (workdir / "pub.txt").write_bytes(text.encode("cp1252"))
    papers = lr.load("pub.txt")
    assert list(papers["title"]) == ["It’s a Café Paper"]
    assert list(papers["abstract"]) == [PUB_ABSTRACT + " “Quoted.”"]
    assert list(papers["source"]) == ["pub.txt:2"]
    assert list(papers["quality_flags"]) == [[]]


def test_utf16_file_is_decoded(workdir):
    text = DUMP_HEADER + f"2303.11366v1\n{ABS_A} α\n"
    (workdir / "dump.txt").write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    papers = lr.load("dump.txt")
    assert list(papers["abstract"]) == [f"{ABS_A} α"]


def test_mojibake_in_a_file_is_repaired_and_flagged(workdir):
    text = "ICLR X ICLR X\nA cafÃ© Paper\nWe study PanGu-ฮฑ and itâ€™s fine for everyone here.\nRead More\n"
    write(workdir / "pub.txt", text)
    rec = record(lr.load("pub.txt"), 0)
    assert rec["title"] == "A café Paper"
    assert rec["abstract"] == "We study PanGu-α and it’s fine for everyone here."
    assert rec["quality_flags"] == ["mojibake-repaired"]


def test_undecodable_file_after_bom_names_the_file(workdir):
    (workdir / "dump.txt").write_bytes(codecs.BOM_UTF8 + (DUMP_HEADER + "2303.11366v1\ncaf\xe9\n").encode("cp1252"))
    try:
        papers = lr.load("dump.txt")
    except LoadError as err:
        assert err.file == "dump.txt"
    else:
        assert list(papers["arxiv_id"]) == ["2303.11366"]


# --------------------------------------------------------------------------- errors="raise" / "skip"

BAD_DUMP = DUMP_HEADER + f"2303.11366v1\n{ABS_A}\n2303.1136x\n2106.09685\n{ABS_B}\n"


def test_errors_raise_names_file_and_line(workdir):
    write(workdir / "dump.txt", BAD_DUMP)
    with pytest.raises(LoadError) as info:
        lr.load("dump.txt")
    assert str(info.value) == "dump.txt:11: expected an arXiv id, found '2303.1136x'"
    assert (info.value.file, info.value.line) == ("dump.txt", 11)
    assert info.value.reason == "expected an arXiv id, found '2303.1136x'"


def test_errors_raise_reports_the_first_error_and_counts_the_rest(workdir):
    write(workdir / "a.txt", BAD_DUMP)
    write(workdir / "b.txt", DUMP_HEADER + f"2203.00555\n{ABS_C}\nnonsense-id\n2110.07602\n{ABS_C}\n")
    with pytest.raises(LoadError) as info:
        lr.load(["a.txt", "b.txt"])
    assert str(info.value) == (
        "a.txt:11: expected an arXiv id, found '2303.1136x' "
        "(and 1 more; errors='skip' keeps the readable records)"
    )
    assert (info.value.file, info.value.line) == ("a.txt", 11)


def test_errors_skip_keeps_good_records_and_lists_skipped_ones(workdir):
    write(workdir / "dump.txt", BAD_DUMP)
    papers = lr.load("dump.txt", errors="skip")
    assert list(papers["id"]) == ["arxiv:2303.11366", "arxiv:2106.09685"]
    assert list(papers["source"]) == ["dump.txt:9", "dump.txt:12"]
    problems = lr.load_problems(papers)
    assert problems.to_dict("records") == [
        {"file": "dump.txt", "line": 11, "severity": "error", "message": "expected an arXiv id, found '2303.1136x'"}
    ]


def test_errors_skip_across_formats(workdir):
    write(workdir / "r.txt", "Weekly roundup without a date\nSome Paper Title\nThey did things.\n")
    write(workdir / "pub.txt", "ICLR X ICLR X\nOnly A Title\nRead More\nICLR X ICLR X\nGood Paper\n"
          + PUB_ABSTRACT + "\nRead More\n")
    papers = lr.load(["r.txt", "pub.txt"], format={"r.txt": "roundup"}, errors="skip")
    assert list(papers["title"]) == ["Good Paper"]
    assert lr.load_problems(papers).to_dict("records") == [
        {"file": "r.txt", "line": 1, "severity": "error",
         "message": "first line does not name the roundup's date (YYYY-M-D ... roundup)"},
        {"file": "pub.txt", "line": 1, "severity": "error", "message": "publication block has no title and abstract"},
    ]


def test_errors_skip_with_nothing_readable_gives_an_empty_table(workdir):
    write(workdir / "r.txt", "Weekly roundup without a date\nSome Paper Title\n")
    papers = lr.load("r.txt", format="roundup", errors="skip")
    assert len(papers) == 0
    assert tuple(papers.columns) == COLUMNS
    assert len(lr.load_problems(papers)) == 1


@pytest.mark.parametrize("value", ["ignore", "warn", None, "Raise"])
def test_invalid_errors_value(workdir, value):
    write(workdir / "dump.txt", BAD_DUMP)
    with pytest.raises(ValueError) as info:
        lr.load("dump.txt", errors=value)
    assert str(info.value) == f"errors must be 'raise' or 'skip', not {value!r}"
    assert not isinstance(info.value, LoadError)


# --------------------------------------------------------------------------- warnings


def test_partly_broken_record_warns_and_is_kept(workdir):
    write(workdir / "dump.txt", DUMP_HEADER + f"2303.11366v1\n2106.09685\n{ABS_B}\n")
    with pytest.warns(LoadWarning) as caught:
        papers = lr.load("dump.txt")
    assert [str(w.message) for w in caught] == ["dump.txt:9: arXiv id 2303.11366 has no abstract line"]
    assert list(papers["id"]) == ["arxiv:2303.11366", "arxiv:2106.09685"]
    assert list(papers["quality_flags"]) == [["no-abstract"], []]
    assert pd.isna(papers.at[0, "abstract"])
    assert lr.load_problems(papers).to_dict("records") == [
        {"file": "dump.txt", "line": 9, "severity": "warning", "message": "arXiv id 2303.11366 has no abstract line"}
    ]
    assert lr.display_title(papers.iloc[0].to_dict()) == "[2303.11366]"


def test_warnings_and_errors_together_when_skipping(workdir):
    write(workdir / "g.txt", f"News\nFirst Item\n{'x' * 210}\n{'y' * 210}\nLast Item\n")
    with pytest.warns(LoadWarning, match=r"^g\.txt:5: item has no paragraph: 'Last Item'$"):
        papers = lr.load("g.txt", format="digest", errors="skip")
    assert list(papers["title"]) == ["First Item", "Last Item"]
    assert list(papers["quality_flags"]) == [[], ["no-abstract"]]
    assert [(p["line"], p["severity"]) for p in lr.load_problems(papers).to_dict("records")] == [
        (4, "error"),
        (5, "warning"),
    ]


def test_errors_raise_takes_precedence_over_warnings(workdir):
    write(workdir / "dump.txt", DUMP_HEADER + f"2303.11366v1\n2106.09685\n{ABS_B}\nid-2303\n2203.00555\n")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the two warnings are not emitted before the error
        with pytest.raises(LoadError, match=r"^dump\.txt:12: expected an arXiv id, found 'id-2303'$"):
            lr.load("dump.txt")
    with pytest.warns(LoadWarning) as caught:
        papers = lr.load("dump.txt", errors="skip")
    assert [str(w.message) for w in caught] == [
        "dump.txt:9: arXiv id 2303.11366 has no abstract line",
        "dump.txt:13: arXiv id 2203.00555 has no abstract line",
    ]
    assert list(papers["arxiv_id"]) == ["2303.11366", "2106.09685", "2203.00555"]


# --------------------------------------------------------------------------- merge=False


def test_merge_false_keeps_reader_ids_and_single_provenance(workdir):
    write(workdir / "dump.txt", DUMP_HEADER + f"2303.11366v1\n{ABS_A}\n2303.11366v2\n{ABS_A}\n")
    write(workdir / "pub.txt", "ICLR X ICLR X\nA Listed Paper\n" + PUB_ABSTRACT + "\nRead More\n")
    papers = lr.load(["dump.txt", "pub.txt"], merge=False)
    assert list(papers["id"]) == ["arxiv:2303.11366", "arxiv:2303.11366", "source:pub.txt:2"]
    assert list(papers["provenance"]) == [["dump.txt:9"], ["dump.txt:11"], ["pub.txt:2"]]
    assert len(lr.merge_log(papers)) == 0
    merged = lr.load(["dump.txt", "pub.txt"])
    assert list(merged["id"]) == ["arxiv:2303.11366", "title:a-listed-paper"]


# --------------------------------------------------------------------------- bad input, everywhere (issue 10)


def test_a_binary_file_named_bib_is_an_error_naming_it(workdir):
    (workdir / "refs.bib").write_bytes(bytes(range(256)) * 8)
    with pytest.raises(LoadError) as raised:
        lr.load(workdir / "refs.bib")
    assert str(raised.value) == "refs.bib: no BibTeX entry found in refs.bib; is this a BibTeX file?"
    papers = lr.load(workdir / "refs.bib", errors="skip")
    assert papers.empty
    assert lr.load_problems(papers).to_dict("records") == [
        {"file": "refs.bib", "line": None, "severity": "error",
         "message": "no BibTeX entry found in refs.bib; is this a BibTeX file?"},
    ]  # fmt: skip


def test_a_blank_bib_file_is_an_empty_bibliography(workdir):
    write(workdir / "empty.bib", "\n\n")
    assert lr.load(workdir / "empty.bib").empty


PMLR_VOLUME = """@Proceedings{AISTATS-2021,
  booktitle = {Proceedings of The 24th International Conference on Artificial Intelligence and Statistics},
  editor = {Banerjee, Arindam and Fukumizu, Kenji},
  publisher = {PMLR},
  series = {Proceedings of Machine Learning Research},
  volume = 130
}

@InProceedings{pmlr-v130-a21a,
  title = {A Paper},
  author = {Doe, Jane},
  booktitle = {Proceedings of The 24th International Conference on Artificial Intelligence and Statistics},
  year = {2021},
  abstract = {An abstract.}
}
"""


def test_a_pmlr_volume_loads_its_papers_and_not_the_volume(workdir):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        papers = lr.load(write(workdir / "v130.bib", PMLR_VOLUME))
    assert papers["title"].tolist() == ["A Paper"]
    assert lr.load_problems(papers).empty


def test_a_book_used_as_a_crossref_target_is_a_container(workdir):
    text = (
        "@incollection{ch, title = {A Chapter}, author = {Doe, Jane}, crossref = {book}}\n"
        "@book{book, title = {The Handbook}, year = 2020, publisher = {MIT Press}}\n"
        "@book{alone, title = {A Book Cited on Its Own}, year = 2019}\n"
    )
    papers = lr.load(write(workdir / "b.bib", text))
    assert papers[["title", "venue", "year"]].values.tolist() == [
        ["A Chapter", "The Handbook", 2020],
        ["A Book Cited on Its Own", None, 2019],
    ]


WOS_BIBTEX = r"""@article{ WOS:000123,
Author = {Doe, Jane},
Title = {A Paper With Odd References},
Journal = {Journal of Things},
Year = {2020},
DOI = {10.1000/things.1},
Cited-References = {Smith J, 2019, J \{ABC\} PHYS, V1, P1.
   Lee A, 2018, P IEEE \} CONF, P2.
   Unbalanced R, 2017, OPEN \{ ONLY, P3.},
Unique-ID = {WOS:000123},
}
@article{ WOS:000124,
Author = {Roe, Rick},
Title = {A Second Paper with {\"u} and a literal \{brace\}},
Year = {2021},
}
"""


def test_escaped_braces_in_web_of_science_bibtex_are_literal(workdir):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        papers = lr.load(write(workdir / "wos.bib", WOS_BIBTEX))
    assert papers[["title", "doi", "year"]].values.tolist() == [
        ["A Paper With Odd References", "10.1000/things.1", 2020],
        ["A Second Paper with ü and a literal {brace}", None, 2021],
    ]


def test_a_reader_that_raises_is_a_load_error_naming_the_file(workdir, monkeypatch):
    from litreview.io.readers import ris

    def broken(text, file):
        raise KeyError("oops")

    monkeypatch.setattr(ris, "read", broken)
    with pytest.raises(LoadError) as raised:
        lr.load(write(workdir / "a.ris", "TY  - JOUR\nTI  - T\nER  - \n"))
    assert str(raised.value) == "a.ris: the ris reader failed on this file (KeyError: 'oops')"
    assert isinstance(raised.value.__cause__, KeyError)


def test_columns_a_table_cannot_place_are_named_once(workdir):
    text = (
        "Title,Writers,Where Published,Digital Object Identifier,Shelf,Colour\n"
        "A Paper,\"Doe, Jane; Roe, Rick\",Journal of Things,https://doi.org/10.1000/X1,3,red\n"
        "B Paper,Ann Lee,Nature,10.1000/x2,4,blue\n"
    )
    with pytest.warns(LoadWarning) as caught:
        papers = lr.load(write(workdir / "t.csv", text))
    assert [str(w.message) for w in caught] == [
        "t.csv:1: 2 columns not read, no field recognised: 'Shelf', 'Colour'; "
        "name one with columns={'<column>': '<field>'}, or None to ignore it"
    ]
    assert papers[["title", "authors", "venue", "doi"]].values.tolist() == [
        ["A Paper", ["Jane Doe", "Rick Roe"], "Journal of Things", "10.1000/x1"],
        ["B Paper", ["Ann Lee"], "Nature", "10.1000/x2"],
    ]
    assert lr.load_problems(papers)[["file", "line", "severity"]].values.tolist() == [["t.csv", 1, "note"]]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # columns=None silences a column on purpose
        lr.load(workdir / "t.csv", columns={"Shelf": None, "Colour": None})


def test_conform_gives_the_schema_and_keeps_the_rest():
    # The schema's columns in order with their types, cells made plain (blank text missing, tuples lists,
    # numbers whole), columns outside the schema after them as they were, the attrs kept, a new index, and
    # nothing shared with the table given.
    from litreview.schema import COLUMNS, conform

    given = pd.DataFrame({"note": ["a", "b", "c"], "title": ["T", "  ", None], "year": [2020.0, None, "2021"],
                          "authors": [("A B", "C D"), None, ["E"]], "score": pd.array([1, None, 3], dtype="Int32")},
                         index=[7, 3, 5])
    given.attrs["account"] = {"skipped": [1]}
    out = conform(given)
    assert list(out.columns) == [*COLUMNS, "note", "score"] and list(out.index) == [0, 1, 2]
    assert out["title"].tolist() == ["T", None, None] and out["title"].dtype == object
    assert out["year"].dtype == "Int64" and out["year"].tolist() == [2020, pd.NA, 2021]
    assert out["authors"].tolist() == [["A B", "C D"], [], ["E"]] and out["keywords"].tolist() == [[], [], []]
    assert out["note"].tolist() == ["a", "b", "c"] and out["score"].dtype == "Int32"
    assert out.attrs == {"account": {"skipped": [1]}} and out.attrs["account"] is not given.attrs["account"]
    out.loc[0, "score"] = 9
    out.attrs["account"]["skipped"].append(2)
    assert given["score"].iloc[0] == 1 and given.attrs["account"] == {"skipped": [1]}
    empty = conform(given.iloc[:0])
    assert list(empty.columns) == list(out.columns) and empty["year"].dtype == "Int64"
