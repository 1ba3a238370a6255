"""Prioritised screening: work saved against ASReview's default model, stopping, and refit speed.

    python bench/screening.py                 # everything (about 15 minutes on 2 shared cores)
    python bench/screening.py --kit-only      # without ASReview
    python bench/screening.py --speed-only    # refit and simulation times only

1. WSS@95 on the labelled reviews of ``../shared/fixtures/screening/`` (ASReview's CSV layout), for seeds
   1, 2, 3: ``../shared/tools/screening_vs_asreview.py`` draws one relevant and one irrelevant prior record
   per seed and replays each review through ASReview (``asreview simulate``, its default model) and the kit
   (``lr.simulate_screening``) in the same run, from the same priors.  ASReview is found at ``/tmp/asr``:
   install it there, apart from the kit (it is never a dependency):
   ``python3 -m venv /tmp/asr && /tmp/asr/bin/pip install asreview``.  Without it the kit runs alone.
2. The stopping rule (``lr.stopping_behaviour``, 95% recall target, 95% confidence) on the kit's
   simulations of the same reviews: where it stops and the recall reached there.
3. Speed: one refit and ranking on 10,000 records (the features computed once, as a session does), and a
   whole simulation of a 2,000-record review, both on corpora from :mod:`corpus` (the seed corpus's
   sentences recombined; the relevant records are those whose text says "fine-tuning").
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
FIXTURES = sorted((SHARED / "fixtures" / "screening").glob("*.csv"))
TOOL = SHARED / "tools" / "screening_vs_asreview.py"
ASREVIEW = Path("/tmp/asr/bin/asreview")
SEEDS = (1, 2, 3)


def compare(kit_only: bool) -> None:
    if not FIXTURES or not TOOL.exists():
        print(f"skipped the ASReview comparison: {SHARED} has no screening fixtures or tool")
        return
    with_asr = ASREVIEW.exists() and not kit_only
    if not with_asr and not kit_only:
        print(f"{ASREVIEW} not found: the kit runs alone (see this script's notes to install ASReview)")
    args = [sys.executable, str(TOOL), sys.executable, str(ASREVIEW), *map(str, FIXTURES),
            "--seeds=" + ",".join(map(str, SEEDS))] + ([] if with_asr else ["--kit-only"])
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    print("WSS@95, same priors, same run:", flush=True)
    subprocess.run(args, env=env, check=False)


def stopping() -> None:
    import pandas as pd

    import litreview as lr

    rows = []
    for path in FIXTURES:
        papers, labels = _asreview_review(path)
        for seed in SEEDS:
            prior = _priors(papers, labels, seed)
            order = lr.simulate_screening(papers, labels, prior=prior, seed=seed)
            row = lr.stopping_behaviour(order).iloc[0].to_dict()
            row.update(review=path.stem, seed=seed, needed_for_95=lr.records_needed(order, 0.95))
            rows.append(row)
    table = pd.DataFrame(rows)[["review", "seed", "records", "relevant", "needed_for_95", "stopped_after",
                                "share_screened", "recall", "target_met"]]
    print("\nStopping rule (95% recall, 95% confidence) on the kit's simulations:")
    print(table.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    print(f"target met in {int(table['target_met'].sum())} of {len(table)}; mean share screened at the stop "
          f"{table['share_screened'].mean():.3f}, mean recall there {table['recall'].mean():.3f}")


def speed() -> None:
    import numpy as np
    from corpus import make_corpus

    import litreview as lr

    papers = make_corpus(10_000, duplicate_share=0.0, seed=1)
    papers["id"] = [f"r{i}" for i in range(len(papers))]  # the corpus leaves ids to the loader
    relevant = papers["abstract"].fillna("").str.contains("fine-tun", case=False)
    start = time.perf_counter()
    features = lr.screening_features(papers)
    built = time.perf_counter() - start
    rng = np.random.default_rng(0)
    for screened in (100, 1000, 5000):
        picked = rng.choice(len(papers), size=screened, replace=False)
        decisions = papers.iloc[picked][["id"]].assign(
            decision=np.where(relevant.iloc[picked], "include", "exclude"), reason="bench")
        start = time.perf_counter()
        lr.rank_for_screening(papers, decisions, features=features, terms=0)
        took = time.perf_counter() - start
        print(f"refit + rank of 10,000 records with {screened} screened: {took:.2f}s "
              f"(features built once: {built:.1f}s)")
    small = papers.iloc[:2000].reset_index(drop=True)
    labels = relevant.iloc[:2000].astype(int).reset_index(drop=True)
    prior = _priors(small, labels, 0)
    start = time.perf_counter()
    order = lr.simulate_screening(small, labels, prior=prior, seed=0)
    took = time.perf_counter() - start
    print(f"simulation of 2,000 records ({int(labels.sum())} relevant): {took:.1f}s, "
          f"WSS@95 {lr.wss(order, 0.95):.3f}")


def _asreview_review(path: Path):
    import pandas as pd

    raw = pd.read_csv(path, dtype={"record_id": int})
    papers = pd.DataFrame({"id": raw["record_id"].astype(str), "title": raw["title"], "abstract": raw["abstract"]})
    return papers, pd.Series(raw["label_included"].fillna(0).astype(int).values, index=papers.index)


def _priors(papers, labels, seed: int) -> list[str]:
    """One relevant and one irrelevant id, drawn as the comparison tool draws them."""
    try:
        keys = papers["id"].astype(int)  # the tool sorts ASReview's record ids as numbers
    except ValueError:
        keys = papers["id"]
    rnd = random.Random(seed)
    return [str(rnd.choice(sorted(keys[labels == 1]))), str(rnd.choice(sorted(keys[labels == 0])))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kit-only", action="store_true", help="leave ASReview out")
    parser.add_argument("--speed-only", action="store_true", help="only the refit and simulation times")
    args = parser.parse_args()
    print(f"{os.cpu_count()} cores")
    if not args.speed_only:
        compare(args.kit_only)
        stopping()
    speed()


if __name__ == "__main__":
    main()
