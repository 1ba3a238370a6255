"""The load account (``lr.load_problems``, ``lr.merge_log``) survives what pandas does to a loaded table."""

import json
import warnings
from pathlib import Path

import pandas as pd
import pytest

import litreview as lr
from litreview.io.account import MissingAccountError

A_BIB = """@article{lora,
  title = {LoRA: Low-Rank Adaptation of Large Language Models},
  author = {Hu, Edward and Shen, Yelong},
  year = {2021},
  doi = {10.1000/lora}
}

@article{broken,
  title = {An entry that never closes,
  year = {2020}

@article{prefix,
  title = {Prefix-Tuning: Optimizing Continuous Prompts for Generation},
  author = {Li, Xiang Lisa and Liang, Percy},
  year = {2021}
}
"""
B_RIS = """TY  - JOUR
TI  - LoRA: Low-Rank Adaptation of Large Language Models
AU  - Hu, Edward
PY  - 2021
DO  - 10.1000/lora
ER  - 

TI  - Adapters without a type line
AU  - Houlsby, Neil
PY  - 2019
ER  - 
"""
C_BIB = "@article{gone,\n  title = {Nothing here ever closes\n"  # no record at all: named by no row
D_RIS = """TY  - JOUR
TI  - Prompt tuning at scale
AU  - Lester, Brian
PY  - 2021
ER  - 

TY  - JOUR
AU  - Nobody, Anne
PY  - 2022
ER  - 
"""

# (file, line, severity) of each problem: the messages are the readers' (tests/test_load.py checks them)
PROBLEMS_A = [("a.bib", 8, "error"), ("b.ris", 8, "warning"), ("c.bib", 1, "error")]
PROBLEMS_B = [("d.ris", 7, "error")]
MERGES_A = [("doi:10.1000/lora", "b.ris:1", "doi")]


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LITREVIEW_CACHE", str(tmp_path / "cache"))
    for name, text in {"a.bib": A_BIB, "b.ris": B_RIS, "c.bib": C_BIB, "d.ris": D_RIS}.items():
        Path(name).write_text(text, encoding="utf-8")
    return tmp_path


@pytest.fixture
def loads(workdir):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", lr.LoadWarning)  # b.ris's record without TY is kept, flagged
        first = lr.load(["a.bib", "b.ris", "c.bib"], errors="skip")
    second = lr.load("d.ris", errors="skip")
    return first, second


def rows(table: pd.DataFrame) -> list[tuple]:
    """A merge log's rows, or a problem table's without the message."""
    return [tuple(row)[:3] for row in table.itertuples(index=False)]


def test_a_load_carries_its_account(loads):
    first, second = loads
    assert first["id"].tolist() == ["doi:10.1000/lora",
                                    "title:prefix-tuning-optimizing-continuous-prompts-for-generation",
                                    "title:adapters-without-a-type-line"]
    assert rows(lr.load_problems(first)) == PROBLEMS_A
    assert rows(lr.merge_log(first)) == MERGES_A
    assert rows(lr.load_problems(second)) == PROBLEMS_B
    assert rows(lr.merge_log(second)) == []


def test_concat_of_two_loads_keeps_both_accounts(loads):
    first, second = loads
    both = pd.concat([first, second], ignore_index=True)
    assert both.attrs == {}  # pandas dropped the attrs: the account is found again from the rows
    # the files the rows name, in that order, then c.bib (which gave no paper, named by a.bib's account)
    assert rows(lr.load_problems(both)) == [PROBLEMS_A[0], PROBLEMS_A[1], PROBLEMS_B[0], PROBLEMS_A[2]]
    expected = pd.concat([lr.load_problems(first), lr.load_problems(second)])
    pd.testing.assert_frame_equal(lr.load_problems(both).sort_values("file", ignore_index=True),
                                  expected.sort_values("file", ignore_index=True))
    assert rows(lr.merge_log(both)) == MERGES_A
    flow = lr.prisma_flow(both, pd.DataFrame(columns=["id", "decision", "reason"])).set_index("label")["count"]
    # records: a.bib 2 read + 1 skipped, b.ris 2, c.bib 1 skipped, d.ris 1 read + 1 skipped
    assert flow[["records identified", "duplicates removed", "unreadable records skipped"]].tolist() == [8, 1, 3]


def test_a_selection_keeps_the_account_and_lists_its_own_merges(loads):
    first, _ = loads
    selection = first[first["year"] < 2021]
    assert selection["id"].tolist() == ["title:adapters-without-a-type-line"]
    assert rows(lr.load_problems(selection)) == PROBLEMS_A  # skipped records belong to no paper: all kept
    assert rows(lr.merge_log(selection)) == []  # the merged paper is not selected
    assert rows(lr.merge_log(first.iloc[[0]])) == MERGES_A


def test_a_selection_of_a_concat(loads):
    first, second = loads
    both = pd.concat([first, second])
    part = both[both["id"] == "doi:10.1000/lora"]
    assert rows(lr.load_problems(part)) == PROBLEMS_A[:2] + PROBLEMS_A[2:]  # a.bib, b.ris, then c.bib
    assert rows(lr.merge_log(part)) == MERGES_A


def test_dataframe_merge_keeps_the_account(loads):
    first, _ = loads
    decisions = pd.DataFrame({"id": ["doi:10.1000/lora"], "decision": ["include"]})
    merged = first.merge(decisions, on="id", how="left")
    assert merged.attrs == {}
    assert rows(lr.load_problems(merged)) == PROBLEMS_A
    assert rows(lr.merge_log(merged)) == MERGES_A


def test_tag_keeps_the_account_also_of_a_concat(loads):
    first, second = loads
    assert rows(lr.load_problems(lr.tag(first))) == PROBLEMS_A
    tagged = lr.tag(pd.concat([second, first]))
    assert rows(lr.load_problems(tagged)) == [PROBLEMS_B[0], *PROBLEMS_A]
    assert rows(lr.merge_log(tagged)) == MERGES_A


def test_the_merge_log_names_the_papers_current_ids(loads):
    first, _ = loads
    renamed = pd.concat([first.assign(id=["p1", "p2", "p3"])])
    renamed.attrs = {}
    assert rows(lr.merge_log(renamed)) == [("p1", "b.ris:1", "doi")]


def test_a_table_made_by_hand_has_no_account(workdir):
    made = lr.load("d.ris", errors="skip").assign(provenance=[["elsewhere.bib:3"]])
    made.attrs = {}
    with pytest.raises(MissingAccountError, match=r"^no load account for elsewhere\.bib: pandas dropped"):
        lr.load_problems(made)
    with pytest.raises(ValueError, match="no row names a source file"):
        lr.merge_log(made.assign(provenance=[[]]))
    with pytest.raises(TypeError, match="papers must be a papers DataFrame, not list"):
        lr.load_problems([])


def test_a_file_changed_since_loading_has_no_account(loads, workdir):
    first, second = loads
    both = pd.concat([first, second])
    Path("d.ris").write_text(D_RIS.replace("2021", "2020"), encoding="utf-8")
    with pytest.raises(MissingAccountError, match=r"^no load account for d\.ris: "):
        lr.load_problems(both)
    with pytest.raises(ValueError, match=r"^prisma_flow cannot count the unreadable records: no load account"):
        lr.prisma_flow(both, pd.DataFrame(columns=["id", "decision", "reason"]))
    # pandas kept the first table's attrs: its account does not depend on the files
    Path("a.bib").unlink()
    assert rows(lr.load_problems(first)) == PROBLEMS_A


def test_the_account_on_disk_is_one_file_per_input(loads, workdir):
    stored = sorted(json.loads(p.read_text(encoding="utf-8"))["file"]
                    for p in (workdir / "cache" / "accounts").glob("*.json"))
    assert stored == ["a.bib", "b.ris", "c.bib", "d.ris"]


def test_a_cached_load_writes_its_account_again(workdir):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", lr.LoadWarning)
        lr.load(["a.bib", "b.ris", "c.bib"], errors="skip", cache=True)
        for path in (workdir / "cache" / "accounts").glob("*.json"):
            path.unlink()
        cached = lr.load(["a.bib", "b.ris", "c.bib"], errors="skip", cache=True)
    unkept = pd.concat([cached, cached.iloc[:0].assign(id=[])])
    unkept.attrs = {}
    assert rows(lr.load_problems(unkept)) == PROBLEMS_A
