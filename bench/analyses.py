"""Analyses at field scale: TF-IDF, similar papers and NMF topic discovery.

    python bench/analyses.py                    # 10,000 and 100,000 abstracts
    python bench/analyses.py --sizes 20000

Each analysis runs in a fresh process on a corpus from :mod:`corpus`, written
to Parquet first.  Baselines, measured in the same run on the same corpus:

- TF-IDF: scikit-learn driven by a Python analyzer (the kit's first version), and
  scikit-learn's own ``TfidfVectorizer`` with the kit's token pattern (its second
  version; the kit's own vectorizer gives the same matrix without importing
  scikit-learn);
- similar papers: scoring every pair as one dense paper-by-paper array (what
  a notebook does with ``(X @ X.T).toarray()``), only at sizes where that fits;
- NMF: scikit-learn's NMF fed a dense TF-IDF array (``X.toarray()``), the
  usual first attempt, only where it fits in memory.
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

DENSE_LIMIT = 20_000  # papers beyond which the dense baselines would need tens of GB


def _papers(path: str):
    import pandas as pd

    from litreview.schema import conform

    papers = conform(pd.read_parquet(path))
    papers["id"] = [f"p{i}" for i in range(len(papers))]  # generated records are not merged, so not yet named
    return papers


def run_tfidf(path: str) -> float:
    from litreview.analysis.similarity import tfidf

    papers = _papers(path)
    start = time.perf_counter()
    tfidf(papers)
    return time.perf_counter() - start


def run_tfidf_baseline(path: str) -> float:
    from sklearn.feature_extraction.text import TfidfVectorizer

    from litreview.analysis.terms import phrase_analyzer
    from litreview.analysis.text import paper_text

    papers = _papers(path)
    start = time.perf_counter()
    TfidfVectorizer(analyzer=phrase_analyzer((1, 1)), sublinear_tf=True).fit_transform(paper_text(papers))
    return time.perf_counter() - start


def run_tfidf_sklearn(path: str) -> float:
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    from litreview.analysis.terms import TOKEN_PATTERN
    from litreview.analysis.text import paper_text, stop_words

    papers = _papers(path)
    start = time.perf_counter()
    TfidfVectorizer(token_pattern=TOKEN_PATTERN.pattern, stop_words=stop_words(), sublinear_tf=True,
                    dtype=np.float32).fit_transform(paper_text(papers))
    return time.perf_counter() - start


def run_similar(path: str) -> float:
    from litreview.analysis.similarity import similar_papers

    papers = _papers(path)
    start = time.perf_counter()
    similar_papers(papers, paper=papers["id"].iloc[0], n=10)
    return time.perf_counter() - start


def run_similar_baseline(path: str) -> float:
    import numpy as np

    from litreview.analysis.similarity import tfidf

    papers = _papers(path)
    start = time.perf_counter()
    matrix, _ = tfidf(papers)
    sims = (matrix @ matrix.T).toarray()
    np.argsort(-sims[0])[:10]
    return time.perf_counter() - start


def run_nmf(path: str) -> float:
    from litreview.analysis.discovery import discover_topics

    papers = _papers(path)
    start = time.perf_counter()
    discover_topics(papers, 10, seed=0)
    return time.perf_counter() - start


def run_nmf_baseline(path: str) -> float:
    from sklearn.decomposition import NMF

    from litreview.analysis.similarity import tfidf

    papers = _papers(path)
    start = time.perf_counter()
    matrix, _ = tfidf(papers, min_df=2, max_features=20_000)
    NMF(n_components=10, init="nndsvda", random_state=0, max_iter=400, tol=1e-4).fit_transform(matrix.toarray())
    return time.perf_counter() - start


ANALYSES = [
    ("TF-IDF", run_tfidf, run_tfidf_baseline, None),
    ("TF-IDF against scikit-learn's tokenizer", run_tfidf, run_tfidf_sklearn, None),
    ("similar papers (one paper)", run_similar, run_similar_baseline, DENSE_LIMIT),
    ("NMF, 10 topics", run_nmf, run_nmf_baseline, DENSE_LIMIT),
]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            frame = make_corpus(n, duplicate_share=0.0)
            path = str(Path(tmp) / f"corpus_{n}.parquet")
            frame.to_parquet(path)
            for name, run, baseline, limit in ANALYSES:
                seconds, peak, _ = measure(run, path)
                row = {"papers": f"{n:,}", "analysis": name, "time (s)": f"{seconds:.2f}", "peak memory": mb(peak)}
                if limit is None or n <= limit:
                    base_seconds, base_peak, _ = measure(baseline, path)
                    row["baseline (s)"] = f"{base_seconds:.2f}"
                    row["baseline memory"] = mb(base_peak)
                    row["speed-up"] = f"{base_seconds / seconds:.1f}x"
                rows.append(row)
                print(table(rows, list(dict.fromkeys(k for r in rows for k in r))), end="\n\n", flush=True)


if __name__ == "__main__":
    main()
