"""``lr.load(..., cache=True)``: the second load reads the cache; any change to an input misses it."""

import warnings
from pathlib import Path

import pandas as pd
import pytest

import litreview as lr
from litreview.errors import LoadWarning
from litreview.io import load as loading

DUMP = (
    "arxiv_id\nstringlengths\n9\n12\nabstract\nstringlengths\n431\n13.8k\n"
    "2303.11366v1\nLarge language models have been increasingly used to interact with external environments.\n"
    "2106.09685\nAn important paradigm of natural language processing consists of large-scale pre-training.\n"
)


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LITREVIEW_CACHE", str(tmp_path / "cache"))
    return tmp_path


@pytest.fixture
def reads(monkeypatch):
    """Counts the files parsed (not served from the cache)."""
    calls = []
    real = loading._read_file
    monkeypatch.setattr(loading, "_read_file", lambda path, *a, **k: calls.append(path.name) or real(path, *a, **k))
    return calls


def test_second_load_comes_from_the_cache_unchanged(workdir, reads):
    Path("dump.txt").write_text(DUMP, encoding="utf-8")
    first = lr.load("dump.txt", cache=True)
    second = lr.load("dump.txt", cache=True)
    assert reads == ["dump.txt"]
    pd.testing.assert_frame_equal(first, second)
    assert second.attrs == first.attrs
    assert second["provenance"].tolist() == [["dump.txt:9"], ["dump.txt:11"]]
    assert len(list((workdir / "cache").glob("load-*.parquet"))) == 1


def test_a_changed_input_or_option_misses_the_cache(workdir, reads):
    Path("dump.txt").write_text(DUMP, encoding="utf-8")
    lr.load("dump.txt", cache=True)
    Path("dump.txt").write_text(DUMP.replace("2106.09685", "2106.09686"), encoding="utf-8")
    changed = lr.load("dump.txt", cache=True)
    assert changed["arxiv_id"].tolist() == ["2303.11366", "2106.09686"]
    lr.load("dump.txt", cache=True, merge=False)
    assert reads == ["dump.txt"] * 3


def test_without_cache_no_table_is_written_only_the_load_account(workdir, reads):
    Path("dump.txt").write_text(DUMP, encoding="utf-8")
    lr.load("dump.txt")
    lr.load("dump.txt")
    assert reads == ["dump.txt", "dump.txt"]
    # the load account of the one file (see litreview.io.account), nothing else
    assert [p.relative_to(workdir / "cache").parent.as_posix() for p in (workdir / "cache").rglob("*.*")] == [
        "accounts"]


def test_cached_load_warns_again_and_keeps_its_problems(workdir):
    Path("g.txt").write_text(
        "Large Language Model\nSome Item\n" + "A paragraph long enough to count as one. " * 6 + "\nLast Item\n",
        encoding="utf-8",
    )
    with pytest.warns(LoadWarning, match=r"g\.txt:4: item has no paragraph"):
        first = lr.load("g.txt", format="digest", cache=True)
    with pytest.warns(LoadWarning, match=r"g\.txt:4: item has no paragraph"):
        second = lr.load("g.txt", format="digest", cache=True)
    pd.testing.assert_frame_equal(lr.load_problems(first), lr.load_problems(second))


def test_the_default_corpus_round_trips_through_the_cache(workdir):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fresh = lr.load(cache=True)
        cached = lr.load(cache=True)
    pd.testing.assert_frame_equal(fresh, cached)


def test_a_damaged_cache_file_is_ignored_and_rewritten(workdir, reads):
    Path("dump.txt").write_text(DUMP, encoding="utf-8")
    lr.load("dump.txt", cache=True)
    (entry,) = (workdir / "cache").glob("load-*.parquet")
    entry.write_bytes(b"PAR1 not really")
    again = lr.load("dump.txt", cache=True)
    assert len(again) == 2 and reads == ["dump.txt", "dump.txt"]


def test_evidence_and_tags_come_from_the_cache_until_the_text_or_taxonomy_changes(workdir, monkeypatch):
    from litreview.tagging import tagger as tagging

    papers = lr.load()
    calls = []
    real = tagging._scan  # where the text is matched, by lr.evidence and lr.tag alike

    def counting_matches(*args, **kwargs):  # a pass counting words alone (matches=False) matches nothing
        if kwargs.get("matches", True):
            calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(tagging, "_scan", counting_matches)
    fresh = lr.evidence(papers, cache=True)
    again = lr.evidence(papers, cache=True)
    pd.testing.assert_frame_equal(fresh, again)
    pd.testing.assert_frame_equal(lr.tag(papers, cache=True), lr.tag(papers))
    assert len(calls) == 2  # the first cached call, and the uncached lr.tag
    changed = papers.copy()
    changed.loc[0, "abstract"] = "Low-rank adaptation (LoRA) of frozen models."
    assert "peft" in lr.tag(changed, cache=True)["topics"][0]
    assert len(calls) == 3
    assert len(list((workdir / "cache").glob("evidence-*.parquet"))) == 2


def test_tagging_a_table_without_any_match_gives_empty_topic_lists():
    papers = lr.load().head(3).assign(title=None, abstract="nothing to see", notes=None)
    papers["id"] = [1, 2, 3]  # not strings: the plain path
    assert lr.tag(papers)["topics"].tolist() == [[], [], []]
