"""The ``litreview`` command."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path


def _year(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a year such as 2021, got {text!r}") from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="litreview", description="A Jupyter-first literature review kit.")
    commands = parser.add_subparsers(dest="command", required=True)
    report = commands.add_parser(
        "report",
        help="run the topic report notebook through papermill into HTML",
        description="Write <out>/<topic>.html for each topic and <out>/index.html.",
    )
    report.add_argument("--topic", action="append", metavar="SLUG", help="a topic slug (repeatable; default: all)")
    report.add_argument(
        "--corpus", nargs="+", metavar="PATH", default=[], help="input files (default: the seed corpus)"
    )
    report.add_argument("--taxonomy", metavar="YAML", help="taxonomy file (default: data/taxonomy.yaml)")
    report.add_argument("--start-year", type=_year, metavar="YEAR", help="first year of the window")
    report.add_argument("--end-year", type=_year, metavar="YEAR", help="last year of the window")
    report.add_argument("--out", type=Path, default=Path("reports"), help="output folder (default: reports/)")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from .reports import plan_reports, run_report, write_index
    from .taxonomy import TaxonomyError

    try:
        jobs = plan_reports(args.topic, args.corpus, args.start_year, args.end_year, args.taxonomy)
    except (ValueError, TaxonomyError) as exc:
        parser.exit(2, f"litreview report: error: {exc}\n")
    started = time.perf_counter()
    for n, job in enumerate(jobs, start=1):
        print(f"[{n}/{len(jobs)}] {job.topic} ...", flush=True)
        try:
            run_report(job, args.out)
        except Exception as exc:  # a kernel error: report it without a papermill traceback
            parser.exit(1, f"litreview report: the {job.topic} report failed: {_last_line(exc)}\n")
    index = write_index(jobs, args.out)
    print(f"wrote {len(jobs)} report(s) and {index} in {time.perf_counter() - started:.1f} s")
    return 0


def _last_line(exc: Exception) -> str:
    lines = [line for line in str(exc).strip().splitlines() if line.strip()]
    return lines[-1] if lines else type(exc).__name__


if __name__ == "__main__":
    sys.exit(main())
