"""Batch reports: run the topic report notebook with papermill, write HTML.

Parameters are validated here, before any kernel starts, so a bad topic is a
one-line error listing the valid ones rather than a traceback from a kernel.
Parameters reach the notebook as data (papermill writes them as Python
literals in an injected cell); nothing from the corpus is executed.
"""

from __future__ import annotations

import html
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .taxonomy import Taxonomy, load_taxonomy

REPORT_NOTEBOOK = "topic_report.ipynb"


def notebooks_dir() -> Path:
    """The folder holding the report notebooks (checkout or installed wheel)."""
    package = Path(__file__).resolve().parent
    for candidate in (package / "notebooks", package.parent / "notebooks"):
        if (candidate / REPORT_NOTEBOOK).is_file():
            return candidate
    raise FileNotFoundError(f"{REPORT_NOTEBOOK} not found next to the litreview package")


@dataclass(frozen=True)
class ReportJob:
    topic: str
    label: str
    parameters: dict


def plan_reports(
    topics: Sequence[str] | None = None,
    corpus: Sequence[str | os.PathLike] = (),
    start_year: int | None = None,
    end_year: int | None = None,
    taxonomy: str | os.PathLike | None = None,
) -> list[ReportJob]:
    """Validate the parameters and list one report per topic (all by default)."""
    tax: Taxonomy = load_taxonomy(taxonomy)
    chosen = list(topics) if topics else tax.slugs
    unknown = [t for t in chosen if t not in tax]
    if unknown:
        raise ValueError(f"unknown topic(s) {', '.join(unknown)}; valid topics: {', '.join(tax.slugs)}")
    for name, year in (("start_year", start_year), ("end_year", end_year)):
        if year is not None and (not isinstance(year, int) or isinstance(year, bool)):
            raise ValueError(f"{name} must be an integer year, got {year!r}")
    if start_year is not None and end_year is not None and start_year > end_year:
        raise ValueError(f"start_year {start_year} is after end_year {end_year}")
    missing = [str(p) for p in corpus if not Path(p).exists()]
    if missing:
        raise ValueError(f"corpus file(s) not found: {', '.join(missing)}")
    # The kernel runs in the notebooks folder, so pass absolute paths.
    corpus_paths = [str(Path(p).resolve()) for p in corpus]
    taxonomy_path = str(Path(taxonomy).resolve()) if taxonomy is not None else None
    return [
        ReportJob(
            slug,
            tax[slug].label,
            {
                "topic": slug,
                "corpus": corpus_paths,
                "start_year": start_year,
                "end_year": end_year,
                "taxonomy": taxonomy_path,
            },
        )
        for slug in chosen
    ]


def run_report(job: ReportJob, out: Path, log_output: bool = False) -> Path:
    """Execute the report notebook for one job; write ``<out>/<topic>.html``."""
    import nbformat
    import papermill
    from nbconvert import HTMLExporter

    out.mkdir(parents=True, exist_ok=True)
    source = notebooks_dir() / REPORT_NOTEBOOK
    executed_path = out / "notebooks" / f"{job.topic}.ipynb"
    executed_path.parent.mkdir(exist_ok=True)
    papermill.execute_notebook(
        str(source),
        str(executed_path),
        parameters=job.parameters,
        cwd=str(source.parent),
        kernel_name="python3",
        progress_bar=False,
        log_output=log_output,
    )
    notebook = nbformat.read(executed_path, as_version=4)
    exporter = HTMLExporter(exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
    body, _ = exporter.from_notebook_node(notebook, resources={"metadata": {"name": f"litreview: {job.label}"}})
    target = out / f"{job.topic}.html"
    target.write_text(body, encoding="utf-8")
    return target


def write_index(jobs: Sequence[ReportJob], out: Path) -> Path:
    """``<out>/index.html``: every report with its parameters."""
    rows = []
    for job in jobs:
        params = ", ".join(f"{k}={v!r}" for k, v in job.parameters.items() if v not in (None, []))
        rows.append(
            f'<tr><td><a href="{html.escape(job.topic)}.html">{html.escape(job.label)}</a></td>'
            f"<td><code>{html.escape(job.topic)}</code></td><td><code>{html.escape(params)}</code></td></tr>"
        )
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>litreview reports</title>
<style>body{{font-family:sans-serif;margin:2em}}td,th{{padding:.3em .8em;text-align:left}}</style></head>
<body><h1>litreview topic reports</h1>
<table><thead><tr><th>topic</th><th>slug</th><th>parameters</th></tr></thead><tbody>
{chr(10).join(rows)}
</tbody></table></body></html>
"""
    target = out / "index.html"
    target.write_text(page, encoding="utf-8")
    return target
