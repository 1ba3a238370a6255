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


def _param(text: str) -> tuple[str, object]:
    """``name=value``: the value read as YAML, so ``3`` is an int, ``[a, b]`` a list, ``true`` a bool."""
    import yaml

    name, sep, value = text.partition("=")
    if not sep or not name.strip().isidentifier():
        raise argparse.ArgumentTypeError(f"expected name=value, got {text!r}")
    try:
        return name.strip(), yaml.safe_load(value)
    except yaml.YAMLError:
        raise argparse.ArgumentTypeError(f"cannot read the value of {name.strip()!r}: {value!r}") from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="litreview", description="A Jupyter-first literature review kit.")
    commands = parser.add_subparsers(dest="command", required=True)
    report = commands.add_parser(
        "report",
        help="run a report notebook through papermill into HTML",
        description="Write <out>/<report>.html for each report and <out>/index.html listing them all. "
        "Reports whose notebook, parameters and inputs are unchanged are not run again.",
    )
    report.add_argument("--notebook", default="topic_report", metavar="NAME",
                        help="the notebook to run (default: topic_report; see notebooks/)")
    report.add_argument("--topic", action="append", metavar="SLUG", help="a topic slug (repeatable; default: all)")
    report.add_argument(
        "--corpus", nargs="+", metavar="PATH", default=[], help="input files (default: the seed corpus)"
    )
    report.add_argument("--taxonomy", metavar="YAML", help="taxonomy file (default: data/taxonomy.yaml)")
    report.add_argument("--start-year", type=_year, metavar="YEAR", help="first year of the window")
    report.add_argument("--end-year", type=_year, metavar="YEAR", help="last year of the window")
    report.add_argument("--param", type=_param, action="append", default=[], metavar="NAME=VALUE",
                        help="any other notebook parameter (repeatable; the value is read as YAML: 8, [a, b], true)")
    report.add_argument("--params", type=Path, metavar="YAML", help="a YAML file of notebook parameters")
    report.add_argument("--force", action="store_true", help="rerun reports even when nothing changed")
    report.add_argument("--out", type=Path, default=Path("reports"), help="output folder (default: reports/)")
    return parser


def _parameters(args, parser) -> dict:
    import yaml

    parameters = {}
    if args.params is not None:
        try:
            loaded = yaml.safe_load(args.params.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            parser.exit(2, f"litreview report: error: cannot read {args.params}: {_last_line(exc)}\n")
        if not isinstance(loaded, dict):
            parser.exit(2, f"litreview report: error: {args.params} must map parameter names to values\n")
        parameters.update(loaded)
    parameters.update(dict(args.param))
    return parameters


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from litreview.report.run import is_current, plan_reports, run_report, write_index
    from litreview.tagging.taxonomy import TaxonomyError

    try:
        jobs = plan_reports(
            args.topic, args.corpus, args.start_year, args.end_year, args.taxonomy,
            notebook=args.notebook, parameters=_parameters(args, parser),
        )
    except (ValueError, TaxonomyError) as exc:
        parser.exit(2, f"litreview report: error: {exc}\n")
    started = time.perf_counter()
    ran = 0
    for n, job in enumerate(jobs, start=1):
        if not args.force and is_current(job, args.out):
            print(f"[{n}/{len(jobs)}] {job.name}: up to date", flush=True)
            continue
        print(f"[{n}/{len(jobs)}] {job.name} ...", flush=True)
        try:
            run_report(job, args.out)
        except Exception as exc:  # a kernel error: report it without a papermill traceback
            parser.exit(1, f"litreview report: the {job.name} report failed: {_last_line(exc)}\n")
        ran += 1
    index = write_index(jobs, args.out)
    print(f"wrote {ran} report(s) ({len(jobs) - ran} up to date) and {index} in {time.perf_counter() - started:.1f} s")
    return 0


def _last_line(exc: Exception) -> str:
    lines = [line for line in str(exc).strip().splitlines() if line.strip()]
    return lines[-1] if lines else type(exc).__name__


if __name__ == "__main__":
    sys.exit(main())
