"""The pipeline on Dask next to pandas: load, merge, tag, topic counts, timeline, co-occurrence, terms.

    python bench/dask_pipeline.py                         # 40,000 records in 8 JSON Lines files
    python bench/dask_pipeline.py --records 200000 --workers 2
    python bench/dask_pipeline.py --scheduler tcp://host:8786   # an existing cluster

The corpus (:mod:`corpus`, a tenth of it duplicates) is written as 8 files, one partition each.  The
pandas pipeline runs in this process; the Dask one on a local cluster of worker processes (or the
scheduler given); the tagged partitions are persisted on the workers, so the three topic tables tag once.
Both wall times are printed, and every result is checked equal.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import load_average, table  # noqa: E402
from corpus import make_corpus  # noqa: E402

COLUMNS = ["title", "abstract", "authors", "year", "month", "venue", "arxiv_id", "doi"]


def write_parts(n: int, parts: int, folder: Path) -> None:
    frame = make_corpus(n)
    for k, rows in enumerate(np.array_split(np.arange(len(frame)), parts)):
        with open(folder / f"part_{k}.jsonl", "w", encoding="utf-8") as fh:
            for rec in frame.iloc[rows][COLUMNS].to_dict("records"):
                rec = {c: (v if isinstance(v, list) or (v is not None and v == v) else None) for c, v in rec.items()}
                rec = {c: (int(v) if c in ("year", "month") and v is not None else v) for c, v in rec.items()}
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")


def pipeline(papers, lr) -> dict:
    from litreview import distributed

    tagged = lr.tag(papers)
    on_dask = distributed.is_dask(papers)
    if on_dask:  # tagged once on the workers, then counted three ways (else each count tags again)
        tagged = tagged.persist()
    terms = distributed.term_occurrences if on_dask else lr.term_occurrences
    return {
        "topic_counts": lr.topic_counts(tagged),
        "timeline": lr.topic_timeline(tagged),
        "cooccurrence": lr.topic_cooccurrence(tagged),
        "terms": terms(papers, n=50),
    }


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=40_000)
    parser.add_argument("--parts", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--scheduler", help="address of a running Dask scheduler (default: a local cluster)")
    args = parser.parse_args(argv)

    from dask.distributed import Client, LocalCluster

    import litreview as lr
    from litreview import distributed

    warnings.simplefilter("ignore")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_parts(args.records, args.parts, folder)

        start = time.perf_counter()
        papers = lr.load(folder, progress=False)
        loaded = time.perf_counter()
        expected_log = lr.merge_log(papers)
        expected = pipeline(papers, lr)
        pandas_s, pandas_load = time.perf_counter() - start, loaded - start

        cluster = None if args.scheduler else LocalCluster(n_workers=args.workers, threads_per_worker=1,
                                                           processes=True, dashboard_address=None)  # fmt: skip
        with Client(args.scheduler or cluster):
            start = time.perf_counter()
            merged, log = distributed.merge(distributed.load(folder))
            merged = merged.persist()
            got_papers = merged.compute().sort_index().reset_index(drop=True)
            loaded = time.perf_counter()
            got = pipeline(merged, lr)
            dask_s, dask_load = time.perf_counter() - start, loaded - start
        if cluster is not None:
            cluster.close()

        papers.attrs = {}
        checks = {"papers": got_papers.equals(papers), "merge log": log.equals(expected_log)}
        for name, frame in expected.items():
            checks[name] = frame.equals(got[name])
        rows = [
            {"engine": "pandas (this process)", "load + merge (s)": f"{pandas_load:.1f}",
             "whole pipeline (s)": f"{pandas_s:.1f}"},
            {"engine": f"Dask, {args.parts} partitions, {args.workers} worker processes",
             "load + merge (s)": f"{dask_load:.1f}", "whole pipeline (s)": f"{dask_s:.1f}"},
        ]  # fmt: skip
        print(f"{args.records:,} records -> {len(papers):,} papers; load average {load_average()}")
        print(table(rows, list(rows[0])))
        print("identical results:", ", ".join(f"{k} {'yes' if v else 'NO'}" for k, v in checks.items()))
        if not all(checks.values()):
            sys.exit(1)


if __name__ == "__main__":
    main()
