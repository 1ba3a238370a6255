"""Run every benchmark and print its table: ``python bench/run.py`` (or ``make bench``).

    python bench/run.py            # the sizes the README quotes (about 20 minutes on 2 cores)
    python bench/run.py --quick    # small sizes, a minute or two: to check the benchmarks still run

Each benchmark is also a script of its own (``bench/merge.py``, ``bench/loading.py``,
``bench/tagging.py``, ``bench/analyses.py``) with a ``--sizes`` option.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

FULL = {
    "tagging": ["--sizes", "10000", "100000"],
    "loading": ["--sizes", "200000", "1000000", "--bibtex", "20000"],
    "merge": ["--sizes", "2000", "100000", "1000000"],
    "openalex_snapshot": ["--works", "1000000", "--parts", "20"],
    "dask_pipeline": ["--records", "40000"],
    "analyses": ["--sizes", "10000", "100000"],
    "citations": ["--sizes", "1000", "100000"],
}
QUICK = {
    "tagging": ["--sizes", "2000"],
    "loading": ["--sizes", "5000", "--bibtex", "1000"],
    "merge": ["--sizes", "2000"],
    "openalex_snapshot": ["--works", "2000", "--parts", "2"],
    "dask_pipeline": ["--records", "2000"],
    "analyses": ["--sizes", "2000"],
    "citations": ["--sizes", "1000"],
}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, to check the benchmarks run")
    parser.add_argument("only", nargs="*", help=f"benchmarks to run, of {list(FULL)} (default: all)")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.only) - set(FULL))
    if unknown:
        parser.error(f"no benchmark named {unknown[0]!r}; choose from {list(FULL)}")
    os.environ.setdefault("LITREVIEW_PROGRESS", "0")
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}\n")
    for name, sizes in (QUICK if args.quick else FULL).items():
        if args.only and name not in args.only:
            continue
        print(f"== {name} ==", flush=True)
        importlib.import_module(name).main(sizes)


if __name__ == "__main__":
    main()
