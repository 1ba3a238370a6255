"""Citation benchmark: parse and resolve every cited reference of a field-sized corpus.

    python bench/citations.py                    # 1,000 papers (with the pairwise baseline) and 100,000
    python bench/citations.py --sizes 20000      # one size

The corpus is generated (seeded): each paper cites 30 works in Web of Science ``CR`` style, 40 % of them
other papers of the corpus (half written with their DOI, half only as ``SURNAME I, year, J ABBREV, V, P``,
which resolve by author, year and source), 60 % works outside it drawn from a pool of five external works
per paper, as real fields share their classics.  At 100,000 papers that is 3,000,000 references.

``lr.references`` parses each distinct string once and resolves it through keys looked up in tables built
once from the corpus.  The baseline compares every reference with every paper of the corpus (by DOI,
else author, year and source): it runs at the smallest size only, being quadratic.  ``peak memory`` is
the process's rise while resolving (the papers table already loaded), beside the references' text.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import mb, measure, table  # noqa: E402

JOURNALS = [
    ("Journal of Clustering Research", "J CLUST RES"), ("IEEE Transactions on Pattern Analysis", "IEEE T PATTERN ANAL"),
    ("Pattern Recognition Letters", "PATTERN RECOGN LETT"), ("Neural Computation", "NEURAL COMPUT"),
]  # fmt: skip


def make_corpus(n: int, refs_per_paper: int = 30, seed: int = 0):
    import numpy as np
    import pandas as pd

    from litreview.schema import conform

    rng = np.random.default_rng(seed)
    syllables = "KA LO MI SU TE RA NO VI DE BA GO RU PE".split()
    names = [a + b + c for a in syllables for b in syllables for c in syllables]  # 2,197 surnames
    surname = rng.integers(0, len(names), n)
    initials = [chr(65 + i) for i in rng.integers(0, 26, n)]
    years = rng.integers(1990, 2025, n)
    journal = rng.integers(0, len(JOURNALS), n)
    volume, page = rng.integers(1, 80, n), rng.integers(1, 3000, n)
    has_doi = rng.random(n) < 0.5
    ids = [f"doi:10.5555/p{i}" if d else f"title:paper-{i}" for i, d in enumerate(has_doi)]
    cited_as = [
        f"{names[s]} {a}, {y}, {JOURNALS[j][1]}, V{v}, P{p}" + (f", DOI 10.5555/P{i}" if d else "")
        for i, (s, a, y, j, v, p, d) in enumerate(zip(surname, initials, years, journal, volume, page, has_doi))
    ]
    external = [f"OUTSIDE{k} Q, {1950 + k % 60}, CLASSIC J {k % 97}, V{k % 50 + 1}, P{k}" for k in range(5 * n)]
    internal_share = rng.random((n, refs_per_paper)) < 0.4
    targets = rng.integers(0, n, (n, refs_per_paper))
    outside = (rng.zipf(1.6, (n, refs_per_paper)) - 1) % len(external)
    references = [
        [cited_as[t] if inside else external[o] for inside, t, o in zip(internal_share[i], targets[i], outside[i])]
        for i in range(n)
    ]
    frame = pd.DataFrame(
        {
            "id": ids,
            "title": [f"Paper {i}" for i in range(n)],
            "authors": [[f"{a}. {names[s].title()}"] for s, a in zip(surname, initials)],
            "year": years,
            "venue": [JOURNALS[j][0] for j in journal],
            "doi": [f"10.5555/p{i}" if d else None for i, d in enumerate(has_doi)],
            "references": references,
            "source": [f"bench.txt:{i + 1}" for i in range(n)],
        }
    )
    return conform(frame)


def run_references(path: str) -> dict:
    import pandas as pd
    from common import current_rss, peak_rss

    import litreview as lr
    from litreview.schema import conform

    papers = pd.read_parquet(path)
    for column in ("authors", "references"):  # Parquet gives arrays; the schema holds lists
        papers[column] = [list(v) for v in papers[column]]
    papers = conform(papers)
    loaded = current_rss()
    start = time.perf_counter()
    refs = lr.references(papers)
    seconds = time.perf_counter() - start
    return {
        "seconds": seconds,
        "references": len(refs),
        "resolved": int(refs["cited_id"].notna().sum()),
        "memory": peak_rss() - loaded,
        "text": int(sum(len(r) for refs_ in papers["references"] for r in refs_)),
    }


def run_pairwise(path: str) -> dict:
    """The baseline: every reference against every paper (DOI, else author, year and source)."""
    import pandas as pd

    from litreview.io.references import fits_venue, parse_reference, surname

    papers = pd.read_parquet(path)
    start = time.perf_counter()
    resolved = 0
    rows = list(zip(papers["id"], papers["doi"], papers["authors"], papers["year"], papers["venue"]))
    for refs in papers["references"]:
        for text in refs:
            parts = parse_reference(text)
            for _ident, doi, authors, year, venue in rows:
                if parts.get("doi") and parts["doi"] == doi:
                    resolved += 1
                    break
                if (parts.get("first_author") == surname(authors[0].split()[-1], style="scopus")
                        and parts.get("year") == year and fits_venue(parts.get("source", ""), venue)):
                    resolved += 1
                    break
    return {"seconds": time.perf_counter() - start, "resolved": resolved}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 100_000])
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            path = str(Path(tmp) / f"citations_{n}.parquet")
            make_corpus(n).to_parquet(path)
            _, _, out = measure(run_references, path)
            row = {
                "papers": f"{n:,}",
                "references": f"{out['references']:,}",
                "resolved": f"{out['resolved']:,}",
                "lr.references (s)": f"{out['seconds']:.2f}",
                "per reference": f"{out['seconds'] / out['references'] * 1e6:.1f} µs",
                "peak memory": mb(out["memory"]),
                "reference text": mb(out["text"]),
            }
            if n <= 2_000:
                _, _, base = measure(run_pairwise, path)
                row["pairwise baseline (s)"] = f"{base['seconds']:.2f}"
                row["speed-up"] = f"{base['seconds'] / out['seconds']:.0f}x"
            rows.append(row)
            print(table(rows, list(dict.fromkeys(k for r in rows for k in r))), end="\n\n", flush=True)


if __name__ == "__main__":
    main()
