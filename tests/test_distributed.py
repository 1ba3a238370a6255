"""Tagging and topic counts on Dask give exactly the pandas results.

The corpus is the seed corpus twice over (ids made distinct), sorted by
year so that a year filter empties whole partitions, written as four Parquet
partitions.  The tests run on a local ``dask.distributed`` cluster of two
single-threaded workers inside this process (``processes=False``: a cluster of
processes takes seconds to start, and the graph's picklability is tested
separately); without ``distributed`` installed, on dask's threaded scheduler.
"""

import dataclasses
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

pytest.importorskip("dask.dataframe", reason="dask is not installed (it is the optional extra litreview[dask])")

import dask  # noqa: E402
import dask.dataframe as dd  # noqa: E402

import litreview as lr  # noqa: E402
from litreview import distributed  # noqa: E402
from litreview.analysis import trends  # noqa: E402
from litreview.schema import LIST_COLUMNS  # noqa: E402
from litreview.tagging import tagger as tagging
from litreview.tagging.taxonomy import load_taxonomy, parse_taxonomy  # noqa: E402

COPIES = 2
NPARTITIONS = 4


@pytest.fixture(scope="module", autouse=True)
def scheduler():
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        with dask.config.set(scheduler="threads"):
            yield "threads"
        return
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cluster,
        Client(cluster),
    ):
        yield "distributed"


@pytest.fixture(scope="module")
def corpus() -> pd.DataFrame:
    seed = lr.load()
    copies = []
    for k in range(COPIES):
        copy = seed.copy()
        if k:
            copy["id"] = copy["id"] + f"#copy{k}"
        copies.append(copy)
    papers = pd.concat(copies, ignore_index=True)
    papers = papers.sort_values("year", kind="stable", na_position="first").reset_index(drop=True)
    papers.attrs = {}
    assert papers["id"].is_unique
    return papers


@pytest.fixture(scope="module")
def corpus_dir(corpus, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    distributed.write_parquet_corpus(corpus, folder, npartitions=NPARTITIONS)
    return folder


@pytest.fixture(scope="module")
def ddf(corpus_dir):
    return distributed.read_parquet_corpus(corpus_dir)


@pytest.fixture(scope="module")
def pandas_tagged(corpus) -> pd.DataFrame:
    return tagging.tag(corpus)


@pytest.fixture(scope="module")
def tagged(ddf):
    """The corpus tagged on the cluster once, kept in the workers' memory for the tests that read it."""
    return distributed.tag(ddf).persist()


def test_is_dask():
    pandas_frame = pd.DataFrame({"id": ["a"]})
    assert distributed.is_dask(dd.from_pandas(pandas_frame, npartitions=1))
    assert not distributed.is_dask(pandas_frame)
    assert not distributed.is_dask(dd.from_pandas(pandas_frame, npartitions=1)["id"])  # a Series, not a table
    assert not distributed.is_dask(None)


def test_is_dask_does_not_import_dask():
    code = (
        "import sys, pandas as pd\n"
        "from litreview.distributed import is_dask\n"
        "assert not is_dask(pd.DataFrame())\n"
        "assert not [m for m in sys.modules if m == 'dask' or m.startswith('dask.')], 'dask was imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_parquet_round_trip_gives_the_papers_table_back(corpus, corpus_dir, ddf):
    assert sorted(p.name for p in corpus_dir.iterdir()) == [f"part.{i:05d}.parquet" for i in range(NPARTITIONS)]
    assert ddf.npartitions == NPARTITIONS
    back = ddf.compute()
    assert_frame_equal(back, corpus)
    for col in LIST_COLUMNS:
        assert all(type(v) is list for v in back[col]), col
    assert back.loc[0, "provenance"] == corpus.loc[0, "provenance"]
    assert ddf.dtypes.to_dict() == back.dtypes.to_dict()  # the lazy frame's meta says what compute gives


def test_every_file_has_the_same_arrow_schema(corpus_dir):
    import pyarrow as pa
    import pyarrow.parquet as pq

    schemas = [pq.read_schema(p) for p in sorted(corpus_dir.iterdir())]
    assert all(s.equals(schemas[0]) for s in schemas)
    # doi is missing in every seed paper, authors empty in many: still typed by the schema.
    assert schemas[0].field("doi").type == pa.string()
    assert schemas[0].field("authors").type == pa.list_(pa.string())


def test_tag_equals_pandas(tagged, pandas_tagged):
    result = tagged.compute()
    assert_frame_equal(result, pandas_tagged)
    assert tagged.dtypes.to_dict() == result.dtypes.to_dict()
    assert result["topics"].map(len).sum() == COPIES * 101  # 101 tags on the 74 seed papers


def test_evidence_equals_pandas_in_partition_order(corpus, ddf):
    lazy = distributed.evidence(ddf)
    result = lazy.compute()
    expected = tagging.evidence(corpus)
    assert_frame_equal(result.reset_index(drop=True), expected)
    assert lazy.dtypes.to_dict() == result.dtypes.to_dict()
    # Each partition's rows are numbered from 0, as documented.
    assert list(result.index).count(0) == NPARTITIONS
    # The order follows the papers table, not the ids' sort order.
    first_seen = list(dict.fromkeys(result["id"]))
    assert first_seen == [pid for pid in corpus["id"] if pid in set(first_seen)]
    assert first_seen != sorted(first_seen)


def test_topic_counts_equal_pandas(tagged, pandas_tagged):
    counts = distributed.topic_counts(tagged)
    assert_frame_equal(counts, trends.topic_counts(pandas_tagged))
    assert counts.iloc[0].tolist() == ["efficiency", COPIES * 11, 0.149]
    chosen = ["peft", "no-such-topic", "agents"]
    plain = pandas_tagged.copy()
    plain.attrs.clear()  # (as a Dask partition's table: no taxonomy to check against, a topic nobody has counts 0)
    assert_frame_equal(distributed.topic_counts(tagged, chosen), trends.topic_counts(plain, chosen))
    assert distributed.topic_counts(tagged, chosen)["papers"].tolist() == [COPIES * 9, COPIES * 6, 0]


def test_topic_counts_tag_each_partition_once(ddf, monkeypatch):
    calls = []

    def counting_tag(papers, taxonomy=None, evidence_table=None, **kwargs):
        calls.append(len(papers))
        return original(papers, taxonomy, evidence_table, **kwargs)

    original = tagging.tag
    monkeypatch.setattr(tagging, "tag", counting_tag)
    # A taxonomy equal in rules but not in name: otherwise dask would find the
    # persisted result of the same graph (the `tagged` fixture) and tag nothing.
    taxonomy = dataclasses.replace(load_taxonomy(), source="a copy")
    distributed.topic_counts(distributed.tag(ddf, taxonomy))
    assert calls == [37] * NPARTITIONS


def test_empty_partitions_after_a_filter(corpus, ddf):
    recent = ddf[ddf["year"] >= 2022]
    assert recent.map_partitions(len).compute().tolist()[0] == 0  # the oldest quarter is filtered out
    expected = tagging.tag(corpus[corpus["year"] >= 2022])
    tagged = distributed.tag(recent).persist()
    assert_frame_equal(tagged.compute(), expected)
    assert_frame_equal(distributed.topic_counts(tagged), trends.topic_counts(expected))
    assert_frame_equal(
        distributed.evidence(recent).compute().reset_index(drop=True),
        tagging.evidence(corpus[corpus["year"] >= 2022]),
    )


def test_nothing_left_after_a_filter(ddf, pandas_tagged):
    tagged = distributed.tag(ddf[ddf["year"] > 3000])
    result = tagged.compute()
    assert result.empty and list(result.columns) == list(pandas_tagged.columns)
    counts = distributed.topic_counts(tagged, ["peft"])
    assert_frame_equal(counts, trends.topic_counts(pandas_tagged.iloc[:0], ["peft"]))
    assert counts.to_dict("list") == {"topic": ["peft"], "papers": [0], "share": [0.0]}


def test_a_taxonomy_file_is_read_once_and_used(ddf, corpus, tmp_path, monkeypatch):
    # Most partitions have no LoRA paper: the pandas tagger cannot tag such a table on its own.
    # (distributed._tag_partition answers for it; see test_a_partition_without_any_tag.)
    path = tmp_path / "tiny.yaml"
    path.write_text(
        "topics:\n  - slug: lora\n    label: LoRA\n    scope: Low-rank adapters.\n    acronyms: [LoRA]\n",
        encoding="utf-8",
    )
    reads = []
    original = distributed.load_taxonomy
    monkeypatch.setattr(distributed, "load_taxonomy", lambda p: reads.append(p) or original(p))
    result = distributed.tag(ddf, str(path)).compute()
    assert reads == [str(path)]
    assert_frame_equal(result, tagging.tag(corpus, str(path)))
    assert set(map(tuple, result["topics"])) == {(), ("lora",)}


def test_taxonomy_object_and_fields_pass_through(ddf, corpus):
    taxonomy = parse_taxonomy(
        {"topics": [{"slug": "rl", "label": "RL", "scope": "RL.", "terms": ["reinforcement learning"]}]}
    )
    result = distributed.evidence(ddf, taxonomy, fields=("title",)).compute()
    assert_frame_equal(result.reset_index(drop=True), tagging.evidence(corpus, taxonomy, fields=("title",)))
    assert set(result["field"]) == {"title"}


def test_the_graph_can_be_sent_to_worker_processes(ddf):
    import cloudpickle

    graph = dict(distributed.tag(ddf).__dask_graph__())
    assert len(cloudpickle.loads(cloudpickle.dumps(graph))) == len(graph)


def test_convert_string_frames_warn_but_tag_alike(corpus, pandas_tagged):
    with dask.config.set({"dataframe.convert-string": True}):
        stringified = dd.from_pandas(corpus, npartitions=2)
        with pytest.warns(UserWarning, match=r"list column\(s\) \['authors'.*convert-string"):
            tagged = distributed.tag(stringified)
        assert tagged.compute()["topics"].tolist() == pandas_tagged["topics"].tolist()


def test_tag_takes_no_evidence_table(ddf):
    with pytest.raises(ValueError, match="evidence_table= is not supported for a dask DataFrame"):
        distributed.tag(ddf, evidence_table=distributed.evidence(ddf))


def test_topic_counts_need_tags(ddf):
    with pytest.raises(ValueError, match="no 'topics' column; tag it first"):
        distributed.topic_counts(ddf)


def test_write_refuses_a_used_folder_and_bad_sizes(corpus, corpus_dir, tmp_path):
    with pytest.raises(FileExistsError, match=r"already holds Parquet files \(part.00000.parquet, ...\)"):
        distributed.write_parquet_corpus(corpus, corpus_dir, npartitions=2)
    with pytest.raises(ValueError, match="npartitions must be at least 1, got 0"):
        distributed.write_parquet_corpus(corpus, tmp_path / "new", npartitions=0)


def test_more_partitions_than_papers(corpus, tmp_path):
    few = corpus.iloc[:3]
    distributed.write_parquet_corpus(few, tmp_path, npartitions=5)
    ddf = distributed.read_parquet_corpus(tmp_path)
    assert ddf.npartitions == 5
    assert_frame_equal(distributed.tag(ddf).compute(), tagging.tag(few))


def test_the_learned_tagger_on_partitions_equals_pandas(corpus, tmp_path):
    few = corpus.iloc[:10]
    distributed.write_parquet_corpus(few, tmp_path, npartitions=3)
    result = distributed.tag(distributed.read_parquet_corpus(tmp_path), tagger="learned").compute()
    assert_frame_equal(result, tagging.tag(few, tagger="learned"))
    assert result["topic_scores"].map(len).tolist() == result["topics"].map(len).tolist()


def test_a_partition_without_any_tag(corpus, tmp_path):
    taxonomy = parse_taxonomy({"topics": [{"slug": "none", "label": "N", "scope": "N.", "terms": ["zzyzx"]}]})
    distributed.write_parquet_corpus(corpus.iloc[:10], tmp_path, npartitions=2)
    result = distributed.tag(distributed.read_parquet_corpus(tmp_path), taxonomy).compute()
    assert_frame_equal(result.drop(columns=["topics", "topic_scores", "outside_field"]), corpus.iloc[:10])
    assert result["topics"].tolist() == [[]] * 10 and result["topics"].dtype == object
    assert result["outside_field"].tolist() == [False] * 10  # (a taxonomy of its own: no fitted topic, no floor)
    assert distributed.evidence(distributed.read_parquet_corpus(tmp_path), taxonomy).compute().empty


def test_lr_topic_counts_dispatches_on_a_dask_frame():
    tagged = lr.tag(lr.load())
    with dask.config.set({"dataframe.convert-string": False}):  # keep the topics lists as lists
        ddf = dd.from_pandas(tagged[["id", "topics"]], npartitions=3)
    pd.testing.assert_frame_equal(lr.topic_counts(ddf), lr.topic_counts(tagged))


def test_lr_tag_and_evidence_dispatch_on_a_dask_frame(ddf, pandas_tagged, corpus):
    assert_frame_equal(lr.tag(ddf).compute(), pandas_tagged)
    assert_frame_equal(lr.evidence(ddf).compute().reset_index(drop=True), tagging.evidence(corpus))
    # On a pandas frame the dispatchers are the pandas functions, docstring and signature included.
    assert_frame_equal(lr.tag(corpus), pandas_tagged)
    assert lr.tag.__doc__ == tagging.tag.__doc__ and lr.tag.__wrapped__ is tagging.tag
    with pytest.raises(ValueError, match=r"^cache=True is not supported for a dask DataFrame in tag\(\)"):
        lr.tag(ddf, cache=True)


def test_the_pandas_functions_know_nothing_of_dask(ddf):
    # Dask dispatch is a layer above: the pandas tagger given a dask frame fails as for any non-pandas table.
    with pytest.raises(TypeError):  # (the message is the validation layer's)
        tagging.tag(ddf)
