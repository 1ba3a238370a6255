"""Merging benchmark: de-duplicate 10^5 and 10^6 records; time and peak memory.

    python bench/merge.py                 # 2,000 (with the pairwise baseline), 100,000 and 1,000,000
    python bench/merge.py --sizes 100000  # just one size

The corpus comes from :mod:`corpus` (10 % duplicates: other arXiv versions,
DOIs behind resolvers, re-cased titles, one-letter typos) and is written to a
Parquet file first, so each measurement runs in a fresh process that only reads
it.  The baseline is what litstudy does: compare the normalised titles of every
pair of records (rapidfuzz ratio, so the baseline is not slowed by a slow
scorer); it runs at the smallest size only, being quadratic.

``peak memory`` is the whole process's rise (reading the Parquet file into a
table included); ``merge memory`` is what merging adds on top of the loaded
table, to compare with ``text`` (the characters of titles and abstracts).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import mb, measure, table  # noqa: E402
from corpus import make_corpus  # noqa: E402


def run_merge(path: str) -> dict:
    import pandas as pd
    from common import current_rss, peak_rss

    from litreview.io.merge import merge_records
    from litreview.schema import conform

    records = conform(pd.read_parquet(path))
    loaded = current_rss()  # the table in memory: what merging adds is measured from here
    start = time.perf_counter()
    papers, log = merge_records(records, ["json-records"] * len(records))
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "papers": len(papers), "merged": len(log), "merge_memory": peak_rss() - loaded}


def run_pairwise(path: str) -> dict:
    """The baseline: every pair of titles compared (what litstudy's dedup does)."""
    import pandas as pd
    from rapidfuzz import fuzz

    from litreview.fields.ids import normalize_title

    titles = [normalize_title(t) for t in pd.read_parquet(path)["title"]]
    start = time.perf_counter()
    parent = list(range(len(titles)))
    for i in range(len(titles)):
        for j in range(i + 1, len(titles)):
            if fuzz.ratio(titles[i], titles[j]) >= 93:
                parent[j] = parent[i]
    return {"seconds": time.perf_counter() - start, "papers": sum(p == k for k, p in enumerate(parent))}


def text_bytes(frame) -> int:
    return int(sum(frame[c].dropna().str.len().sum() for c in ("title", "abstract")))


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2_000, 100_000, 1_000_000])
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            frame = make_corpus(n)
            path = str(Path(tmp) / f"corpus_{n}.parquet")
            frame.to_parquet(path)
            seconds, peak, out = measure(run_merge, path)
            row = {
                "records": f"{n:,}",
                "merge (s)": f"{out['seconds']:.2f}",
                "per record": f"{out['seconds'] / n * 1e6:.1f} µs",
                "peak memory": mb(peak),
                "merge memory": mb(out["merge_memory"]),
                "text": mb(text_bytes(frame)),
                "papers": f"{out['papers']:,}",
                "true papers": f"{frame.attrs['unique']:,}",
            }
            if n <= 5_000:
                base_seconds, _, base = measure(run_pairwise, path)
                row["pairwise baseline (s)"] = f"{base['seconds']:.2f}"
                row["speed-up"] = f"{base['seconds'] / out['seconds']:.0f}x"
            rows.append(row)
            print(table(rows, list(dict.fromkeys(k for r in rows for k in r))), end="\n\n", flush=True)


if __name__ == "__main__":
    main()
