"""The ``litreview`` command."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path


class _Parser(argparse.ArgumentParser):
    """A bad value is one line on stderr (``litreview report: error: ...``), not a usage dump."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


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


def _beside(path: Path, out: Path) -> str:
    """``path`` as the index in ``out`` links it (``notebooks/peft.ipynb``): the page names no machine's folders."""
    try:
        return Path(path).resolve().relative_to(Path(out).resolve()).as_posix()
    except ValueError:  # (not under out)
        return Path(path).name


def _catalogue() -> str:
    """The notebooks and the default taxonomy's topics, for ``--help``."""
    try:
        from litreview.report.run import notebook_parameters, notebooks_dir, report_notebooks
        from litreview.tagging.taxonomy import load_taxonomy

        lines = ["report notebooks (--notebook NAME) and their parameters (--param NAME=VALUE):"]
        for name in report_notebooks():
            lines.append(f"  {name}: {', '.join(notebook_parameters(notebooks_dir() / f'{name}.ipynb'))}")
        taxonomy = load_taxonomy()
        lines.append("topics of the default taxonomy (--topic SLUG, any case; labels work too):")
        lines.append("  " + ", ".join(taxonomy.slugs))
        return "\n".join(lines)
    except Exception as exc:  # help must still print when the data folder is missing
        return f"(notebooks and topics unavailable: {exc})"


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="litreview", description="A Jupyter-first literature review kit.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    report = commands.add_parser(
        "report",
        help="run a report notebook through papermill into HTML",
        description="Write <out>/<report>.html for each report and <out>/index.html, a dashboard of them all. "
        "Reports whose notebook, parameters and inputs are unchanged are not run again.",
        epilog=_catalogue(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    report.add_argument("--notebook", default="topic_report", metavar="NAME",
                        help="the notebook to run (default: topic_report; listed below)")
    report.add_argument("--topic", action="append", metavar="SLUG", help="a topic slug (repeatable; default: all)")
    report.add_argument(
        "--corpus", nargs="+", metavar="PATH", default=[], help="input files (default: the seed corpus)"
    )
    report.add_argument("--taxonomy", metavar="YAML", help="taxonomy file (default: data/taxonomy.yaml)")
    report.add_argument("--start-year", type=_year, metavar="YEAR", help="first year of the window")
    report.add_argument("--end-year", type=_year, metavar="YEAR", help="last year of the window")
    report.add_argument("--errors", choices=("raise", "skip"), default=None,
                        help="a record that cannot be read stops the run (raise, the default) or is skipped "
                        "and listed in the corpus overview (skip)")
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
    if args.errors is not None:
        parameters["errors"] = args.errors
    return parameters


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from litreview.report.run import ReportFailed, is_current, plan_reports, run_report, write_index
    from litreview.tagging.taxonomy import TaxonomyError

    try:
        jobs = plan_reports(
            args.topic, args.corpus, args.start_year, args.end_year, args.taxonomy,
            notebook=args.notebook, parameters=_parameters(args, parser),
        )
    except (ValueError, TaxonomyError) as exc:
        parser.exit(2, f"litreview report: error: {exc}\n")
    started = time.perf_counter()
    ran, failed = 0, {}
    for n, job in enumerate(jobs, start=1):
        if not args.force and is_current(job, args.out):
            print(f"[{n}/{len(jobs)}] {job.name}: up to date", flush=True)
            continue
        print(f"[{n}/{len(jobs)}] {job.name} ...", flush=True)
        try:
            run_report(job, args.out)
        except ReportFailed as failure:  # say it in one line, go on with the other reports
            print(f"litreview report: {failure}", file=sys.stderr, flush=True)
            failed[job.name] = f"{failure.cause}; see {_beside(failure.notebook, args.out)}"
            continue
        ran += 1
    index = write_index(jobs, args.out, _dashboard(jobs), failed)
    summary = f"wrote {ran} report(s) ({len(jobs) - ran - len(failed)} up to date"
    summary += f", {len(failed)} failed: {', '.join(failed)})" if failed else ")"
    print(f"{summary} and {index} in {time.perf_counter() - started:.1f} s", flush=True)
    return 1 if failed else 0


def _dashboard(jobs):
    """The corpus part of the index, or ``None`` when the corpus cannot be read here."""
    from litreview.report.index import corpus_dashboard

    try:
        return corpus_dashboard(jobs[0].parameters) if jobs else None
    except Exception as exc:  # the index still lists the reports
        print(f"litreview report: the index has no corpus summary: {_last_line(exc)}", file=sys.stderr)
        return None


def _last_line(exc: Exception) -> str:
    lines = [line for line in str(exc).strip().splitlines() if line.strip()]
    return lines[-1] if lines else type(exc).__name__


if __name__ == "__main__":
    sys.exit(main())
