"""An OpenAlex snapshot layout of generated works, and reading a slice of it by year.

    python bench/openalex_snapshot.py                    # 1,000,000 works in 20 gzipped parts
    python bench/openalex_snapshot.py --works 100000 --parts 4

Writes ``works/updated_date=2024-0M-01/part_00N.gz`` (gzipped JSON Lines, one work a line, in OpenAlex's
layout: ``abstract_inverted_index``, ``authorships``, ``primary_location``, ``concepts``, ``topics``,
``referenced_works``, ...) and a ``manifest``, then times, in fresh processes, ``lr.load`` of the folder
with a year window (merge off) against pyarrow reading the same parts, and reports the peak memory (the rise
over what the imports hold; the modules are imported before the clock starts).
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import load_average, mb, measure, table  # noqa: E402

WORDS = """language model alignment retrieval augmented generation reasoning benchmark evaluation transformer
attention fine tuning instruction preference optimisation reinforcement learning human feedback safety
robustness multilingual translation summarisation dialogue agents planning tools code synthesis vision
graph neural networks protein folding genome editing climate forecasting""".split()
CONCEPTS = ["Computer science", "Artificial intelligence", "Machine learning", "Natural language processing",
            "Biology", "Genetics", "Physics", "Mathematics", "Medicine", "Economics"]  # fmt: skip
TOPICS = ["Natural Language Processing Techniques", "Topic Modeling", "Genome Editing", "Climate Modeling",
          "Reinforcement Learning in Robotics", "Protein Structure Prediction"]  # fmt: skip
NAMES = ["Ana Li", "Wei Zhang", "Jörg Müller", "Priya Singh", "Noa Cohen", "Kenji Sato", "Olga Petrova"]


def make_works(n: int, start: int = 0, seed: int = 0) -> list[dict]:
    """``n`` OpenAlex works (ids ``W{start+1}`` on), seeded."""
    rng = np.random.default_rng(seed + start)
    works = []
    for i in range(start, start + n):
        words = [WORDS[j] for j in rng.integers(0, len(WORDS), rng.integers(40, 120))]
        index: dict[str, list[int]] = {}
        for pos, word in enumerate(words):
            index.setdefault(word, []).append(pos)
        year = int(rng.integers(1990, 2025))
        concepts = [{"display_name": CONCEPTS[j], "score": round(float(s), 2)}
                    for j, s in zip(rng.choice(len(CONCEPTS), 3, replace=False), rng.random(3))]  # fmt: skip
        works.append({
            "id": f"https://openalex.org/W{i + 1}",
            "doi": f"https://doi.org/10.{1000 + i % 9000}/gen.{i}" if i % 3 else None,
            "title": " ".join(words[:8]).capitalize(),
            "display_name": " ".join(words[:8]).capitalize(),
            "publication_year": year,
            "publication_date": f"{year}-{int(rng.integers(1, 13)):02d}-01",
            "authorships": [{"author": {"display_name": NAMES[j]}} for j in rng.integers(0, len(NAMES), 3)],
            "primary_location": {"source": {"display_name": "Journal of Generated Works"},
                                 "landing_page_url": f"https://example.org/{i}"},
            "concepts": concepts,
            "topics": [{"display_name": TOPICS[int(rng.integers(0, len(TOPICS)))]}],
            "abstract_inverted_index": index,
            "cited_by_count": int(rng.integers(0, 500)),
            "referenced_works": [f"https://openalex.org/W{int(j)}" for j in rng.integers(1, max(i, 2), 5)],
            "updated_date": "2024-01-01T00:00:00",
        })  # fmt: skip
    return works


def write_snapshot(root: Path, works: int, parts: int, seed: int = 0) -> Path:
    """``root/works`` in the snapshot layout: ``parts`` gzipped parts, a few per ``updated_date=`` folder."""
    folder = root / "works"
    per_part = -(-works // parts)
    entries = []
    for part in range(parts):
        start = part * per_part
        count = min(per_part, works - start)
        if count <= 0:
            break
        day = folder / f"updated_date=2024-{1 + part % 12:02d}-01"
        day.mkdir(parents=True, exist_ok=True)
        path = day / f"part_{part:03d}.gz"
        with gzip.open(path, "wt", encoding="utf-8", compresslevel=1) as fh:
            for begin in range(start, start + count, 10_000):
                batch = make_works(min(10_000, start + count - begin), begin, seed)
                fh.write("".join(json.dumps(w, ensure_ascii=False) + "\n" for w in batch))
        entries.append({"url": str(path), "meta": {"record_count": count}})
    (folder / "manifest").write_text(json.dumps({"entries": entries}))
    return folder


def run_load(folder: str, first: int, last: int) -> dict:
    """``lr.load`` of the folder with a year window: its seconds and the peak memory it adds (imports first)."""
    import warnings

    from common import peak_rss

    import litreview as lr
    import litreview.io.columnar.openalex_lines  # noqa: F401 (imported on first use: before the clock starts)
    import litreview.io.load  # noqa: F401

    warnings.simplefilter("ignore")
    before = peak_rss()
    start = time.perf_counter()
    papers = lr.load(folder, merge=False, progress=False, select=lr.Selection(years=(first, last)))
    return {"seconds": time.perf_counter() - start, "peak": peak_rss() - before, "papers": len(papers)}


def run_pyarrow(folder: str) -> dict:
    import pyarrow.json as pj
    from common import peak_rss

    before = peak_rss()
    start = time.perf_counter()
    rows = 0
    for path in sorted(Path(folder).glob("updated_date=*/part_*.gz")):
        rows += pj.read_json(path).num_rows  # pyarrow decompresses .gz itself
    return {"seconds": time.perf_counter() - start, "peak": peak_rss() - before, "papers": rows}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--works", type=int, default=1_000_000)
    parser.add_argument("--parts", type=int, default=20)
    parser.add_argument("--years", type=int, nargs=2, default=[2020, 2021])
    parser.add_argument("--keep", help="reuse (or make) the snapshot in this folder")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(args.keep or tmp)
        folder = root / "works"
        if not (folder / "manifest").exists():
            start = time.perf_counter()
            write_snapshot(root, args.works, args.parts)
            print(f"wrote {args.works:,} works in {time.perf_counter() - start:.0f} s", flush=True)
        size = sum(p.stat().st_size for p in folder.rglob("part_*.gz"))
        print(f"load average before: {load_average()}", flush=True)
        _, _, base = measure(run_pyarrow, str(folder))
        _, _, out = measure(run_load, str(folder), *args.years)
        base_s, base_peak, seconds, peak = base["seconds"], base["peak"], out["seconds"], out["peak"]
        rows = [
            {"reader": "pyarrow read_json, every part", "time (s)": f"{base_s:.1f}", "peak memory": mb(base_peak),
             "works": f"{base['papers']:,}"},
            {"reader": f"lr.load, years {args.years[0]}-{args.years[1]}", "time (s)": f"{seconds:.1f}",
             "peak memory": mb(peak), "works": f"{out['papers']:,}", "vs pyarrow": f"{seconds / base_s:.1f}x"},
        ]  # fmt: skip
        print(f"{args.works:,} works, {args.parts} parts, {mb(size)} gzipped; load average {load_average()}")
        print(table(rows, list(rows[1])))


if __name__ == "__main__":
    main()
