"""The whole pipeline on Dask, on a local cluster of worker processes: load a folder of bulk files into
partitions, merge across them, tag, and count topics, timelines, co-occurrence and terms; every result
is the pandas pipeline's on the same files.  The corpus is small (the seed corpus spread over 8 JSON
Lines files, with duplicates across files that the exact and the fuzzy title keys find), and one cluster
serves the module's tests, so they stay fast: the cost is the worker processes' start and first imports."""

from __future__ import annotations

import json
import warnings

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

pytest.importorskip("dask.dataframe", reason="dask is not installed (it is the optional extra litreview[dask])")
distributed_module = pytest.importorskip("dask.distributed", reason="dask.distributed is not installed")

import litreview as lr  # noqa: E402
from litreview import distributed  # noqa: E402

FILES = 8


@pytest.fixture(scope="module")
def cluster():
    with (
        distributed_module.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as local,
        distributed_module.Client(local) as client,
    ):
        yield client


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """The seed corpus over 8 JSON Lines files, a third of its papers again in another file, as another
    source gives them (an upper-case title, a DOI behind a resolver), and a sixth of them again in a third
    file with a one-letter typo in the title and no ids (which only the fuzzy title blocks can join); and two
    papers of one abstract under two titles, in the first file and the last."""
    seed = lr.load()
    root = tmp_path_factory.mktemp("bulk")
    columns = ["title", "abstract", "authors", "year", "month", "venue", "arxiv_id", "doi", "keywords"]
    files: list[list[dict]] = [[] for _ in range(FILES)]
    for i, rec in enumerate(seed[columns].to_dict("records")):
        rec = {k: (None if not isinstance(v, list) and pd.isna(v) else v) for k, v in rec.items()}
        rec = {k: (int(v) if k in ("year", "month") and v is not None else v) for k, v in rec.items()}
        files[i % FILES].append(rec)
        if i % 3 == 0:
            copy = dict(rec, title=(rec["title"] or "").upper() or None, abstract=None)
            if copy["doi"]:
                copy["doi"] = "https://doi.org/" + copy["doi"].upper()
            files[(i + 3) % FILES].append(copy)
        if i % 6 == 1 and len(rec["title"] or "") > 40:
            title = rec["title"]
            typo = dict(rec, title=title[:20] + ("x" if title[20] != "x" else "y") + title[21:], abstract=None,
                        arxiv_id=None, doi=None)
            files[(i + 5) % FILES].append(typo)
    # one abstract under two titles, in two files (a listing's error): both papers flagged shared-abstract
    shared = {"abstract": "We study how a system of experts learns to cooperate.", "year": 1995}
    files[0].append(dict(shared, title="Boosting decision trees", authors=["Ana Li"]))
    files[FILES - 1].append(dict(shared, title="From isolation to cooperation", authors=["Bo Wu"]))
    for n, records in enumerate(files):
        (root / f"part_{n}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return root


def test_the_pipeline_over_8_partitions_is_the_pandas_pipeline(cluster, folder):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        papers = lr.load(folder, progress=False)
    expected_log = lr.merge_log(papers)
    papers.attrs = {}

    ddf = distributed.load(folder)
    assert ddf.npartitions == FILES
    merged, log = distributed.merge(ddf)
    got = merged.compute().sort_index().reset_index(drop=True)
    assert_frame_equal(got, papers)
    assert_frame_equal(log, expected_log)
    flagged = got.loc[got["quality_flags"].map(lambda flags: "shared-abstract" in flags), "title"]
    assert flagged.tolist() == ["Boosting decision trees", "From isolation to cooperation"]
    # the merge joined records of different partitions (files), on the exact and on the fuzzy title keys
    assert {"arxiv_id", "title", "fuzzy_title"} <= set(log["matched_on"])
    first_file = dict(zip(got["id"], got["source"].str.split(":").str[0]))
    assert all(first_file[i] != s.split(":")[0] for i, s in zip(log["id"], log["source"]))
    assert len(got) < len(lr.load(folder, merge=False, progress=False))

    # tagged once on the workers (persisted), then counted, timed, paired as pandas does
    tagged, tagged_dask = lr.tag(papers), lr.tag(merged).persist()
    assert_frame_equal(lr.topic_counts(tagged_dask), lr.topic_counts(tagged))
    assert_frame_equal(lr.topic_timeline(tagged_dask), lr.topic_timeline(tagged))
    assert_frame_equal(lr.topic_cooccurrence(tagged_dask), lr.topic_cooccurrence(tagged))
    assert_frame_equal(distributed.term_occurrences(merged, n=30), lr.term_occurrences(papers, n=30))
    options = {"n": 12, "min_df": 3, "ngram_range": (1, 3), "stop_words": ["model", "models"]}
    assert_frame_equal(distributed.term_occurrences(merged, **options), lr.term_occurrences(papers, **options))
    with pytest.raises(ValueError, match="ngram_range"):
        distributed.term_occurrences(merged, ngram_range=(2, 1))
    assert len(lr.topic_counts(tagged)) > 3


def test_loading_with_a_selection_on_the_workers(cluster, folder):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = lr.load(folder, merge=False, progress=False, select={"years": (2022, 2023)})
        got = distributed.load(folder, select={"years": (2022, 2023)}).compute()
    assert_frame_equal(got.drop(columns=["_format"]).reset_index(drop=True), expected.reset_index(drop=True))
    assert set(got["_format"]) == {"json-records"}


def test_the_readme_dask_example_runs(cluster, tmp_path, monkeypatch):
    """README's Dask block, on a small OpenAlex snapshot, with the test's cluster as its Client."""
    import gzip
    import re
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    block = re.search(r"only the\n`Client` changes:\s*```python\n(.*?)```", readme, re.S).group(1)
    works = tmp_path / "openalex-snapshot" / "data" / "works"
    for n in range(2):
        day = works / f"updated_date=2024-0{n + 1}-01"
        day.mkdir(parents=True)
        lines = [
            json.dumps({"id": f"https://openalex.org/W{n}{i}", "title": f"Instruction tuning of language models {n}{i}",
                        "publication_year": 2019 + i, "abstract_inverted_index": {"Parameter": [0], "efficient": [1],
                        "fine-tuning": [2], "with": [3], "LoRA": [4]}})
            for i in range(4)
        ]  # fmt: skip
        with gzip.open(day / "part_000.gz", "wt", encoding="utf-8") as fh:
            fh.write("\n".join(lines) + "\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(distributed_module, "Client", lambda *args, **kwargs: cluster)
    namespace: dict = {}  # the block imports what it uses, as a fresh notebook needs
    exec(compile(block, "README.md", "exec"), namespace)  # the README's own code
    assert len(namespace["papers"].compute()) == 6  # 2019 is outside the years selected
    # persisted: the tagged partitions are held by the workers (tagged once, not once a table)
    assert type(namespace["tagged"].expr).__name__ == "FromGraph"
    assert list(namespace["counts"].columns)[:2] == ["topic", "papers"]


def test_a_path_that_names_no_file_is_an_error_at_once_on_the_client(cluster, tmp_path, monkeypatch):
    """Not a task that fails on a worker when computed, with a worker's traceback logged in the notebook."""
    monkeypatch.chdir(tmp_path)
    with pytest.raises(lr.LoadError, match=r"^works/\*\.gz: no such file; a pattern such as \*\.gz is not expanded: "
                                           r"give the folder, or a list of its files$"):
        distributed.load("works/*.gz")
    with pytest.raises(lr.LoadError, match=r"^nosuch\.jsonl: no such file$"):
        distributed.load(["nosuch.jsonl"])
    (tmp_path / "works").mkdir()
    with pytest.raises(lr.LoadError, match=r"^works: the folder holds no files$"):
        distributed.load("works")


def test_a_merge_that_joins_nothing_gives_the_pandas_empty_log(cluster, tmp_path):
    for n in range(2):
        (tmp_path / f"part_{n}.jsonl").write_text(json.dumps({"title": f"Paper {n}", "year": 2020}) + "\n",
                                                  encoding="utf-8")
    papers = lr.load(tmp_path, progress=False)
    merged, log = distributed.merge(distributed.load(tmp_path))
    assert log.empty
    assert_frame_equal(log, lr.merge_log(papers))
    assert log["id"].dtype == object


def test_papers_outside_the_field_are_one_warning_for_the_corpus_not_one_a_partition(cluster, tmp_path):
    off = {"title": "Rainfall variability of the Sahel", "abstract": "Monsoon rainfall over the Sahel varies from "
           "decade to decade with the temperature of the Atlantic ocean and the dust carried by the winds.",
           "year": 2020}  # fmt: skip
    on = lr.load()[["title", "abstract"]].head(8).to_dict("records")
    for n in range(4):
        rows = [dict(on[2 * n], year=2020), dict(on[2 * n + 1], year=2020), dict(off, title=f"{off['title']} {n}")]
        (tmp_path / f"part_{n}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    papers, _ = distributed.merge(distributed.load(tmp_path))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        lr.topic_counts(lr.tag(papers))
    outside = [str(w.message) for w in caught if issubclass(w.category, lr.OutsideFieldWarning)]
    assert len(outside) == 1 and outside[0].startswith("4 of 12 paper(s) read as outside the field")


def test_tagging_partitions_in_threads_leaves_the_sessions_warning_filters_as_they_were():
    """Dask's threaded scheduler tags partitions at once: the tagger's OutsideFieldWarning is left out in each
    thread, not by warnings.catch_warnings, which saves and restores the process's filters from every thread,
    so that one thread's "ignore" outlived the call (9 runs in 10) and lr.tag never warned again in the session."""
    from concurrent.futures import ThreadPoolExecutor

    from litreview.tagging.tagger import _as_taxonomy

    papers, taxonomy = lr.load(), _as_taxonomy(None)
    off = papers.head(1).assign(id="off", title="Rainfall variability of the Sahel", abstract="Monsoon rainfall "
                                "over the Sahel varies from decade to decade with the temperature of the Atlantic.")
    parts = [pd.concat([papers.iloc[i::8], off.assign(id=f"off{i}")], ignore_index=True) for i in range(8)]
    before = list(warnings.filters)
    for _ in range(5):
        with ThreadPoolExecutor(4) as pool:
            tagged = list(pool.map(lambda part: distributed._tag_partition(part, taxonomy), parts))
        assert warnings.filters == before
    assert all(part["outside_field"].iloc[-1] for part in tagged)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        distributed._tag_partition(parts[0], taxonomy)  # (each partition's warning: said by topic_counts)
        lr.tag(parts[0])
    assert [str(w.message)[:45] for w in caught if issubclass(w.category, lr.OutsideFieldWarning)] == [
        "1 of 11 paper(s) read as outside the field th"]
