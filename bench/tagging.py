"""Tagging benchmark: ``lr.tag`` (rules and learned) on 10^4 and 10^5 papers against the naive loop and the old tagger.

    .venv/bin/python bench/tagging.py                     # 10,000 and 100,000 papers
    .venv/bin/python bench/tagging.py --sizes 100000      # just one size
    .venv/bin/python bench/tagging.py --naive-size 500    # a smaller corpus for the naive loop

The corpus comes from :mod:`corpus` (abstracts recombined from the seed corpus's
sentences, so the real mix of ASCII, curly quotes, Greek and Thai); each paper
gets a unique id, as ``lr.load()`` gives them.  It is written to a Parquet file
first, so each measurement runs in a fresh process (``common.measure``) that
reads it, tags the first 10 papers once (imports, the default taxonomy, the
compiled rules: about 0.1 s, once per process), and then times one call.
Rates are MB of text per second of that call: text is the characters of the
title and abstract (what the tagger reads; the corpus has no notes).

Columns:

``papers``, ``text``
    corpus size: papers, and MB of title + abstract text.
``naive MB/s``
    the notebook user's first attempt: for each variant of each taxonomy phrase
    (as written, space-separated words, joined, plural),
    ``papers.abstract.str.contains(rf"\\b{re.escape(term)}\\b", case=...)``.  It is
    so slow that it runs on a smaller corpus (``--naive-size`` papers, same
    generator) and its rate is per MB of abstract text, the only text it reads.
``old MB/s``
    the tagger before the bulk matcher: the frozen reference copy kept in
    ``tests/test_tagging_speed_equivalence.py``, ``tag(papers)``, one call.  It
    matches word by word in Python and spends most of its time deciding tags, one
    pandas group per (paper, topic).
``rules MB/s``, ``rules (s)``, ``rules CPU (s)``
    ``lr.tag(papers, tagger="rules")`` (its evidence table included): the best of
    ``--repeat`` calls, and the CPU time of that call over all its threads (more
    than the wall clock when the cores are free; about equal when another process
    holds one).
``learned MB/s``, ``learned (s)``, ``learned CPU (s)``
    ``lr.tag(papers, tagger="learned")``: the rules' evidence table, the fitted
    decision and a score per tag, the words counted in the matcher's own pass.
``two-pass MB/s``
    the learned decision as it was first built: the rules' evidence table, then a
    second pass over the text counting its words (``FittedTagger.decide``, which
    explanations still use; ``lr.tag`` given an evidence table now counts the
    words in the matcher's pass instead).
    The three are timed in one process, call after call in turn (``--repeat``
    rounds), so a burst of other work on the machine hits them alike.
``rules/naive``, ``rules/old``, ``learned/rules``, ``learned/two-pass``, ``learned/old``
    ratios of the rates.
``load``
    the machine's 1-, 5- and 15-minute load averages when the three taggers' timing began
    (other work on this 2-core machine slows them all: compare the ratios, not the rates).
``peak memory``
    ``common.measure``'s figure for the process timing the taggers: how far its peak
    resident memory rose over the imports, reading the corpus included.
``tagger memory``
    what ``lr.tag`` (rules) alone takes: in another process, the peak during one call
    over the memory just before it (corpus loaded), its result included (Linux).
``identical``
    ``yes``: the rules' ``lr.evidence`` and ``lr.tag`` tables equal the old tagger's
    (``pandas.testing.assert_frame_equal``), checked up to ``--check-max`` papers;
    above that, where the old tagger runs, whether both gave as many tags in all.

The machine's core count is printed first: the new tagger scans text in one
thread per core (numpy works without the interpreter lock).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import re
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import load_average, mb, measure, table  # noqa: E402
from corpus import make_corpus  # noqa: E402

REFERENCE = HERE.parent / "tests" / "test_tagging_speed_equivalence.py"


def read_corpus(path: str):
    import pandas as pd

    from litreview.schema import conform

    return conform(pd.read_parquet(path))


def reference():
    """The frozen copy of the old tagger (``tests/test_tagging_speed_equivalence.py``)."""
    spec = importlib.util.spec_from_file_location("tagging_reference", REFERENCE)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def memory() -> tuple[int, int]:
    """This process's resident memory now and at its peak, in bytes (Linux; 0, 0 elsewhere)."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return 0, 0
    kb = dict(re.findall(r"^(VmRSS|VmHWM):\s+(\d+) kB", status, re.M))
    return int(kb.get("VmRSS", 0)) * 1024, int(kb.get("VmHWM", 0)) * 1024


def reset_peak() -> bool:
    """Start the peak-memory count again from now (Linux: ``/proc/self/clear_refs``)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def first_design(papers):
    """The learned decision with a second pass counting the words (``FittedTagger.decide``)."""
    import litreview as lr
    from litreview.tagging.decision import default_tagger

    taxonomy = lr.load_taxonomy()
    return default_tagger().decide(papers, lr.evidence(papers, taxonomy, tagger="rules"), taxonomy)


def run_new(path: str, repeat: int) -> dict:
    """The rules, the learned decision and the two-pass learned decision, ``repeat`` rounds of one
    call each: per tagger the best wall clock, and the CPU time of that call (all threads)."""
    import warnings

    import litreview as lr

    papers = read_corpus(path)
    calls = {
        "rules": lambda: lr.tag(papers, tagger="rules"),
        "learned": lambda: lr.tag(papers, tagger="learned"),
        "two-pass": lambda: first_design(papers),
    }
    head = papers.iloc[:10]
    lr.tag(head), lr.tag(head, tagger="learned"), first_design(head)
    best = {name: (float("inf"), 0.0) for name in calls}
    out = {"load": load_average()}  # other work on the machine slows every tagger alike: see the ratios
    with warnings.catch_warnings():
        warnings.simplefilter("error", lr.FallbackWarning)  # no fallback: every topic has fitted weights
        # (a few recombined abstracts, 0.2%, read as outside the field: the warning saying so is part of the call)
        warnings.simplefilter("ignore", lr.OutsideFieldWarning)
        for _ in range(repeat):
            for name, call in calls.items():
                start, cpu = time.perf_counter(), time.process_time()
                tagged = call()
                best[name] = min(best[name], (time.perf_counter() - start, time.process_time() - cpu))
                n = tagged.tagged.sum() if hasattr(tagged, "tagged") else tagged["topics"].map(len).sum()
                out[f"{name} tagged"] = int(n)
    for name, (seconds, cpu) in best.items():
        out[name] = {"seconds": seconds, "cpu": cpu}
    return out


def run_new_memory(path: str) -> dict:
    """How far one ``lr.tag`` call raises the peak memory over the loaded corpus (in a
    process of its own: resetting the peak would spoil ``common.measure``'s figure)."""
    import gc

    import litreview as lr

    papers = read_corpus(path)
    lr.tag(papers.iloc[:10], tagger="rules")
    gc.collect()
    if not reset_peak():
        return {"bytes": None}
    before = memory()[0]
    lr.tag(papers, tagger="rules")
    return {"bytes": memory()[1] - before}


def run_old(path: str) -> dict:
    import litreview as lr

    old = reference()
    papers = read_corpus(path)
    taxonomy = lr.load_taxonomy()
    old.reference_tag(papers.iloc[:10], taxonomy)
    start = time.perf_counter()
    tagged = old.reference_tag(papers, taxonomy)
    return {"seconds": time.perf_counter() - start, "tagged": int(tagged["topics"].map(len).sum())}


def run_identical(path: str) -> dict:
    """Whether the new evidence and tags equal the old ones on this corpus."""
    import pandas as pd

    import litreview as lr

    old = reference()
    papers = read_corpus(path)
    taxonomy = lr.load_taxonomy()
    expected = old.reference_evidence(papers, taxonomy)
    try:
        pd.testing.assert_frame_equal(lr.evidence(papers, taxonomy, tagger="rules"), expected)
        pd.testing.assert_frame_equal(
            lr.tag(papers, taxonomy, tagger="rules"), old.reference_tag(papers, taxonomy, expected)
        )
    except AssertionError as error:
        return {"identical": False, "difference": str(error)}
    return {"identical": True}


def naive_terms() -> list[tuple[str, bool]]:
    """Every variant of every rule phrase, as a notebook user would type it: (term, case-sensitive)."""
    import litreview as lr
    from litreview.tagging.tagger import _variants

    terms = []
    for topic in lr.load_taxonomy().topics:
        for phrases, exact in ((topic.terms, False), (topic.acronyms, True), (topic.supporting, False),
                               (topic.exclude, False)):
            for phrase in phrases:
                terms.append((phrase, exact))
                terms += [(" ".join(words), exact) for words in sorted(_variants(phrase, exact))]
    return list(dict.fromkeys(terms))


def run_naive(path: str) -> dict:
    """The baseline: one ``str.contains`` per phrase variant over the abstracts."""
    papers = read_corpus(path)
    terms = naive_terms()
    start = time.perf_counter()
    for term, exact in terms:
        papers["abstract"].str.contains(rf"\b{re.escape(term)}\b", case=exact, regex=True, na=False)
    return {"seconds": time.perf_counter() - start, "terms": len(terms)}


def write_corpus(n: int, path: str) -> dict:
    """Make a corpus and write it (in a process of its own: the benchmark's stays small)."""
    frame = make_corpus(n)
    frame["id"] = [f"bench:{i}" for i in range(len(frame))]
    frame.to_parquet(path)
    return {"text": text_bytes(frame), "abstract": text_bytes(frame, ("abstract",))}


def corpus_file(n: int, folder: str) -> tuple[dict, str]:
    path = str(Path(folder) / f"corpus_{n}.parquet")
    return measure(write_corpus, n, path)[2], path


def text_bytes(frame, columns=("title", "abstract")) -> int:
    return int(sum(frame[c].dropna().str.len().sum() for c in columns))


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--naive-size", type=int, default=1_000, help="papers for the naive loop (0: skip it)")
    parser.add_argument("--old-max", type=int, default=100_000, help="largest size to run the old tagger at")
    parser.add_argument("--check-max", type=int, default=10_000, help="largest size to check identical output at")
    parser.add_argument("--repeat", type=int, default=3, help="rounds of calls timed (the best of each is shown)")
    args = parser.parse_args(argv)
    print(f"cores: {len(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity') else os.cpu_count()}",
          flush=True)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        naive_rate = None
        if args.naive_size:
            sizes, path = corpus_file(args.naive_size, tmp)
            out = measure(run_naive, path)[2]
            naive_rate = sizes["abstract"] / 1e6 / out["seconds"]
            print(f"naive loop: {out['terms']} terms over {args.naive_size:,} abstracts "
                  f"({sizes['abstract'] / 1e6:.2f} MB) in {out['seconds']:.1f} s: {naive_rate:.3f} MB/s\n", flush=True)
        for n in args.sizes:
            sizes, path = corpus_file(n, tmp)
            size = sizes["text"] / 1e6
            _, peak, new = measure(run_new, path, args.repeat)
            tagger_memory = measure(run_new_memory, path)[2]["bytes"]
            rate = {name: size / new[name]["seconds"] for name in ("rules", "learned", "two-pass")}
            row = {
                "papers": f"{n:,}",
                "text": f"{size:,.1f} MB",
                "naive MB/s": f"{naive_rate:.3f}" if naive_rate else "",
                "old MB/s": "",
                "rules MB/s": f"{rate['rules']:.1f}",
                "learned MB/s": f"{rate['learned']:.1f}",
                "two-pass MB/s": f"{rate['two-pass']:.1f}",
                "rules (s)": f"{new['rules']['seconds']:.2f}",
                "learned (s)": f"{new['learned']['seconds']:.2f}",
                "rules CPU (s)": f"{new['rules']['cpu']:.2f}",
                "learned CPU (s)": f"{new['learned']['cpu']:.2f}",
                "rules/naive": f"{rate['rules'] / naive_rate:,.0f}x" if naive_rate else "",
                "rules/old": "",
                "learned/rules": f"{rate['learned'] / rate['rules']:.2f}x",
                "learned/two-pass": f"{rate['learned'] / rate['two-pass']:.2f}x",
                "learned/old": "",
                "load": new["load"],
                "peak memory": mb(peak),
                "tagger memory": mb(tagger_memory) if tagger_memory is not None else "",
                "identical": "",
            }
            if n <= args.old_max:
                old = measure(run_old, path)[2]
                old_rate = size / old["seconds"]
                row["old MB/s"] = f"{old_rate:.1f}"
                row["rules/old"] = f"{rate['rules'] / old_rate:.1f}x"
                row["learned/old"] = f"{rate['learned'] / old_rate:.1f}x"
                same_count = old["tagged"] == new["rules tagged"]
                row["identical"] = "same tag count" if same_count else "NO (tag counts differ)"
            if n <= args.check_max and not row["identical"].startswith("NO"):
                same = measure(run_identical, path)[2]
                row["identical"] = "yes" if same["identical"] else "NO"
                if not same["identical"]:
                    print(same["difference"], flush=True)
            rows.append(row)
            print(table(rows, list(rows[0])), end="\n\n", flush=True)


if __name__ == "__main__":
    main()
