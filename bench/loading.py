"""Loading benchmark: JSON Lines, Parquet, CSV and Semantic Scholar bulk files at 10^5-10^6 records, BibTeX.

    python bench/loading.py                       # 200,000 and 1,000,000 records; BibTeX at 20,000 entries
    python bench/loading.py --sizes 200000 --bibtex 0 --no-csv --repeat 5

Each load runs in a fresh process on files written from a :mod:`corpus` table by the kit's own
exporters; the modules are imported first, then the load alone is timed, and its peak memory is the
rise of the process's peak over what the imports hold (so importing pandas is no part of either figure).
``lr.load`` is timed without merging (reading into the schema) and with it, next to pyarrow reading the
same file in the same run (``pyarrow.json.read_json``, ``pyarrow.parquet.read_table``,
``pyarrow.csv.read_csv``; CSV and the S2 datasets' layout also through the record path): the ratios are
what to compare across machines, since other work may share this one (the load average is printed with
each row).  The Semantic Scholar file is the corpus written as the S2 datasets' ``papers`` files write
papers (lower-case fields, no abstracts), gzipped as downloaded.

The BibTeX baseline is litstudy's reader, bibtexparser 1.x: it is installed into ``.cache/bench/bibtexparser1``
with pip on first use (it cannot share an environment with a newer bibtexparser) and timed in its own
process on the same file, with the ``common_strings`` option litstudy passes.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import load_average, mb, measure, table  # noqa: E402
from corpus import make_corpus  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BASELINE_DIR = ROOT / ".cache" / "bench" / "bibtexparser1"


def run_load(path: str, merge: bool, columnar: bool = True) -> dict:
    """``lr.load`` of ``path``: its seconds and the peak memory it adds, the imports done beforehand."""
    import warnings

    import rapidfuzz.process  # noqa: F401
    from common import peak_rss

    import litreview as lr
    import litreview.io.columnar.csv_table  # noqa: F401 (the modules the load imports on first use, imported
    import litreview.io.columnar.jsonl  # noqa: F401 before the clock starts)
    import litreview.io.columnar.parquet  # noqa: F401
    import litreview.io.columnar.s2_lines  # noqa: F401
    import litreview.io.load as load_module

    warnings.simplefilter("ignore")
    load_module.COLUMNAR = columnar  # (False: the record-by-record readers)
    before = peak_rss()
    start = time.perf_counter()
    papers = lr.load(path, merge=merge, progress=False)
    return {"seconds": time.perf_counter() - start, "peak": peak_rss() - before, "papers": len(papers)}


def run_load_records(path: str) -> dict:
    """``lr.load`` with the columnar path switched off: the record-by-record readers."""
    return run_load(path, False, columnar=False)


def run_pyarrow(path: str) -> dict:
    """pyarrow's own reader of the file: the floor a columnar loader is measured against."""
    import pyarrow.csv as pv
    import pyarrow.json as pj
    import pyarrow.parquet as pq
    from common import peak_rss

    read = pq.read_table if path.endswith(".parquet") else pv.read_csv if path.endswith(".csv") else pj.read_json
    before = peak_rss()
    start = time.perf_counter()
    rows = read(path).num_rows
    return {"seconds": time.perf_counter() - start, "peak": peak_rss() - before, "papers": rows}


REPEAT = 1  # runs of each step (--repeat): the median time is shown


def timed(fn, *args) -> tuple[float, int, dict]:
    """``fn(*args)`` in a fresh process (:func:`common.measure`), :data:`REPEAT` times: the median of its own
    seconds and the highest of its peak memory (a 2-core machine's timings of pyarrow's threads vary by
    half from one run to the next; the median of several is what a ratio should compare)."""
    outs = [measure(fn, *args)[2] for _ in range(REPEAT)]
    seconds = sorted(out["seconds"] for out in outs)[len(outs) // 2]
    return seconds, max(out["peak"] for out in outs), outs[0]


def write_s2(frame, path: Path) -> None:
    """The corpus as the S2 datasets' ``papers`` files write papers (gzipped JSON Lines, lower-case fields,
    no abstract), each paper's page named by a made-up paperId."""
    import gzip
    import hashlib

    import pandas as pd

    with gzip.open(path, "wt", encoding="utf-8", compresslevel=1) as fh:
        for i, rec in enumerate(frame[["title", "authors", "year", "month", "venue", "arxiv_id", "doi"]].itertuples()):
            paper_id = hashlib.sha1(str(i).encode()).hexdigest()
            dated = not (pd.isna(rec.year) or pd.isna(rec.month))
            year, month = (int(rec.year), int(rec.month)) if dated else (None, None)
            line = {
                "corpusid": i + 1,
                "externalids": {"ACL": None, "DBLP": None, "ArXiv": rec.arxiv_id, "MAG": None, "CorpusId": str(i + 1),
                                "PubMed": None, "DOI": rec.doi, "PubMedCentral": None},
                "url": f"https://www.semanticscholar.org/paper/{paper_id}", "title": rec.title,
                "authors": [{"authorId": str(k), "name": name} for k, name in enumerate(rec.authors)],
                "venue": rec.venue, "publicationvenueid": None, "year": year, "referencecount": 0,
                "citationcount": i % 50, "influentialcitationcount": 0, "isopenaccess": False,
                "s2fieldsofstudy": [{"category": "Computer Science", "source": "external"}],
                "publicationtypes": ["JournalArticle"],
                "publicationdate": f"{year}-{month:02d}-01" if year else None, "journal": None,
            }  # fmt: skip
            fh.write(json.dumps(line, ensure_ascii=False) + "\n")


def write_jsonl(frame, path: Path) -> None:
    columns = ["title", "abstract", "authors", "year", "month", "venue", "arxiv_id", "doi"]
    with open(path, "w", encoding="utf-8") as fh:
        for rec in frame[columns].to_dict("records"):
            rec = {k: (v if isinstance(v, list) or v is None or v == v else None) for k, v in rec.items()}
            rec = {k: (int(v) if k in ("year", "month") and v is not None else v) for k, v in rec.items()}
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")


def baseline_bibtex_seconds(path: Path) -> float | None:
    """Seconds bibtexparser 1.x takes to parse ``path`` (None if it cannot be installed)."""
    if not (BASELINE_DIR / "bibtexparser").is_dir():
        result = subprocess.run(
            [sys.executable, "-m", "pip", "install", "--quiet", "--target", str(BASELINE_DIR), "bibtexparser<2"],
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            print("bibtexparser 1.x could not be installed; no BibTeX baseline:", result.stderr[-300:])
            return None
    code = (
        "import sys, time, bibtexparser\n"
        "from bibtexparser.bparser import BibTexParser\n"
        "text = open(sys.argv[1], encoding='utf-8').read()\n"
        "start = time.perf_counter()\n"
        "db = bibtexparser.loads(text, parser=BibTexParser(common_strings=True))\n"
        "print(time.perf_counter() - start, len(db.entries))\n"
    )
    env = dict(os.environ, PYTHONPATH=str(BASELINE_DIR))
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, env=env, check=True)
    return float(out.stdout.split()[0])


def main(argv=None) -> None:
    import litreview as lr

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200_000, 1_000_000])
    parser.add_argument("--bibtex", type=int, default=20_000, help="entries in the BibTeX comparison")
    parser.add_argument("--csv", action=argparse.BooleanOptionalAction, default=True,
                        help="CSV too (the kit's export of the corpus), with the record path beside it")
    parser.add_argument("--repeat", type=int, default=1,
                        help="runs of each step, each in a fresh process: the median time is shown (odd: 3, 5)")
    parser.add_argument("--s2", action=argparse.BooleanOptionalAction, default=True,
                        help="the S2 datasets' layout too (gzipped), with the record path beside it")
    args = parser.parse_args(argv)
    global REPEAT
    REPEAT = max(1, args.repeat)
    rows = []

    def show(row):
        rows.append(dict(row, load=load_average()))
        print(table(rows, list(dict.fromkeys(k for r in rows for k in r))), end="\n\n", flush=True)

    print(f"load average at the start: {load_average()}", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        if args.bibtex:
            bib_frame = make_corpus(args.bibtex)
            bib = Path(tmp) / "corpus.bib"
            lr.export(bib_frame, bib)
            seconds, peak, out = timed(run_load, str(bib), False)
            base = baseline_bibtex_seconds(bib)
            row = {"input": f"BibTeX, {args.bibtex:,} entries ({mb(bib.stat().st_size)})", "step": "read",
                   "time (s)": f"{seconds:.2f}", "per record": f"{seconds / args.bibtex * 1e6:.0f} µs",
                   "peak memory": mb(peak)}
            if base is not None:
                row["baseline"] = f"bibtexparser 1.x: {base / args.bibtex * 1e6:.0f} µs/entry"
                row["speed-up"] = f"{base / seconds:.1f}x"
            show(row)
        for n in args.sizes:
            frame = make_corpus(n)
            jsonl, parquet = Path(tmp) / f"c{n}.jsonl", Path(tmp) / f"c{n}.parquet"
            csv_path, s2_path = Path(tmp) / f"c{n}.csv", Path(tmp) / f"s2_{n}.jsonl.gz"
            write_jsonl(frame, jsonl)
            frame.drop(columns=["id", "provenance"]).to_parquet(parquet)
            if args.csv:
                lr.export(frame, csv_path)  # the kit's own CSV (every schema column, source fields)
            if args.s2:
                write_s2(frame, s2_path)
            del frame
            jsonl_read = None
            paths = [jsonl, parquet] + ([csv_path] if args.csv else []) + ([s2_path] if args.s2 else [])
            for path in paths:
                size = path.stat().st_size
                kind = {".jsonl": "JSON Lines", ".parquet": "Parquet", ".csv": "CSV", ".gz": "S2 datasets (gzip)"}[
                    path.suffix
                ]
                label = f"{kind}, {n:,} records ({mb(size)})"
                floor = None
                if path != s2_path:  # (pyarrow reads no gzipped JSON Lines by name)
                    floor, floor_peak, _ = timed(run_pyarrow, str(path))
                    show({"input": label, "step": "pyarrow read (floor)", "time (s)": f"{floor:.2f}",
                          "per record": f"{floor / n * 1e6:.0f} µs", "peak memory": mb(floor_peak),
                          "memory / file": f"{floor_peak / size:.1f}x"})
                for merge in (False, True) if path != s2_path else (False,):
                    seconds, peak, out = timed(run_load, str(path), merge)
                    row = {"input": label, "step": "lr.load + merge" if merge else "lr.load",
                           "time (s)": f"{seconds:.2f}", "per record": f"{seconds / n * 1e6:.0f} µs",
                           "peak memory": mb(peak), "memory / file": f"{peak / size:.1f}x",
                           "papers": f"{out['papers']:,}"}
                    if floor:
                        row["vs pyarrow"] = f"{seconds / floor:.1f}x"
                    if path == jsonl and not merge:
                        jsonl_read = seconds
                    elif path == parquet and not merge and jsonl_read:
                        row["vs JSON Lines"] = f"{seconds / jsonl_read:.2f}x"
                    show(row)
                    if path in (csv_path, s2_path) and not merge:  # the record path on the same file
                        slow, slow_peak, out = timed(run_load_records, str(path))
                        row = {"input": label, "step": "lr.load, record path", "time (s)": f"{slow:.2f}",
                               "per record": f"{slow / n * 1e6:.0f} µs", "peak memory": mb(slow_peak),
                               "memory / file": f"{slow_peak / size:.1f}x", "papers": f"{out['papers']:,}",
                               "vs JSON Lines": f"columnar {slow / seconds:.1f}x faster"}
                        if floor:
                            row["vs pyarrow"] = f"{slow / floor:.1f}x"
                        show(row)
        print(f"load average at the end: {load_average()}")


if __name__ == "__main__":
    main()
