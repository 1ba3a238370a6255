"""Batch reports: run a parameterized notebook with papermill, write HTML.

Any notebook in ``notebooks/`` with a ``parameters`` cell can be a report.  Its
parameters are read from that cell (parsed, never executed) and every value a
user gives is checked against them before any kernel starts: an unknown name,
a value of the wrong type or a bad topic is a one-line error.  A notebook with
a ``topic`` parameter gives one report per topic (every topic unless some are
named); any other notebook gives one report.

Parameters reach the notebook as data (papermill writes them as Python
literals in an injected cell); nothing from the corpus is executed.  A report
whose notebook, parameters, inputs and kit version are unchanged since it was
written is not run again (``force=True`` reruns it).
"""

from __future__ import annotations

import ast
import functools
import hashlib
import html
import json
import os
import re
import sys
from collections.abc import Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from litreview.report.assets import MANIFEST
from litreview.report.assets import read_manifest as _read_manifest
from litreview.report.assets import static_text as _static
from litreview.tagging.taxonomy import Taxonomy, load_taxonomy
from litreview.validation import check_pair

REPORT_NOTEBOOK = "topic_report.ipynb"
# Parameters naming files, resolved to absolute paths from where the command runs (the kernel runs in the
# notebooks folder) and checked to exist; OUTPUT_PATHS may not exist yet (a decisions file is made by the first
# decision), so they are resolved only.
PATH_PARAMETERS = ("corpus", "taxonomy", "screening", "dataset")
OUTPUT_PATHS = ("decisions",)


def notebooks_dir() -> Path:
    """The folder holding the report notebooks (checkout or installed wheel)."""
    package = Path(__file__).resolve().parents[1]  # the litreview package
    for candidate in (package / "notebooks", package.parent / "notebooks"):
        if (candidate / REPORT_NOTEBOOK).is_file():
            return candidate
    raise FileNotFoundError(f"{REPORT_NOTEBOOK} not found next to the litreview package")


def report_notebooks() -> list[str]:
    """Names of the notebooks that can run as reports (those with a parameters cell)."""
    return sorted(p.stem for p in notebooks_dir().glob("*.ipynb") if notebook_parameters(p))


def notebook_parameters(path: Path) -> dict:
    """The defaults in a notebook's ``parameters`` cell, read with :mod:`ast` (never executed).

    Only plain assignments of literals count (``topic = "peft"``, ``corpus = []``).
    """
    cells = json.loads(Path(path).read_text(encoding="utf-8")).get("cells", [])
    for cell in cells:
        if cell.get("cell_type") == "code" and "parameters" in cell.get("metadata", {}).get("tags", []):
            tree = ast.parse("".join(cell["source"]))
            return {
                node.targets[0].id: ast.literal_eval(node.value)
                for node in tree.body
                if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
            }
    return {}


@dataclass(frozen=True)
class ReportJob:
    topic: str | None
    label: str
    parameters: dict
    notebook: str = "topic_report"
    inputs: tuple[str, ...] = field(default=(), compare=False)
    variant: str = ""  # the notebook's own parameters set to other than their defaults (see _variant)

    @property
    def name(self) -> str:
        """The report's file name without ``.html``: the topic for topic reports; a year window is added
        (``safety-from-2016``, ``safety-2016-2020``), and so are the notebook's own parameters set to other
        than their defaults (``compare_topics-agents-interpretability``, ``topic_trends-granularity-month``),
        so a report made with other parameters does not replace another."""
        name = str(self.topic) if self.notebook == "topic_report" else self.notebook + (
            f"-{self.topic}" if self.topic else "")
        name += f"-{self.variant}" if self.variant else ""
        start, end = self.parameters.get("start_year"), self.parameters.get("end_year")
        if start is None and end is None:
            return name
        return name + (f"-from-{start}" if end is None else f"-to-{end}" if start is None else f"-{start}-{end}")


def _check_type(name: str, value, default) -> None:
    """A value must have its default's type; ``None`` defaults take ints, strings or ``None``."""
    if value is None:
        return
    if default is None:
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise ValueError(f"{name} must be a number or text, got {value!r}")
        return
    expected = type(default)
    if expected is float and isinstance(value, int) and not isinstance(value, bool):
        return
    if isinstance(value, bool) != isinstance(default, bool) or not isinstance(value, expected):
        raise ValueError(f"{name} must be {expected.__name__} like its default {default!r}, got {value!r}")


# The least value of a notebook's whole-number parameters, checked before any kernel starts
# (one theme would be the whole corpus; citation_report's n rows: 0 shows nothing, -3 all but three)
_AT_LEAST = {"topic_discovery": {"n_topics": 2, "seed": 0}, "citation_report": {"n": 1}}


def plan_reports(
    topics: Sequence[str] | None = None,
    corpus: str | os.PathLike | Sequence[str | os.PathLike] = (),
    start_year: int | None = None,
    end_year: int | None = None,
    taxonomy: str | os.PathLike | None = None,
    *,
    notebook: str = "topic_report",
    parameters: Mapping | None = None,
) -> list[ReportJob]:
    """Validate the parameters and list the reports to write.

    ``parameters`` holds any of the notebook's other parameters (from
    ``--param name=value`` or a YAML file); the named arguments are the common ones.
    """
    available = report_notebooks()
    if notebook not in available:
        raise ValueError(f"unknown notebook {notebook!r}; choose one of {', '.join(available)}")
    defaults = notebook_parameters(notebooks_dir() / f"{notebook}.ipynb")
    given = dict(parameters or {})
    corpus = [corpus] if isinstance(corpus, (str, os.PathLike)) else list(corpus)  # one file, or a list of them
    for name, value in (("corpus", corpus), ("start_year", start_year), ("end_year", end_year),
                        ("taxonomy", taxonomy)):
        if value not in (None, []):
            given[name] = value
    unknown = sorted(set(given) - set(defaults))
    if unknown:
        raise ValueError(f"{notebook} has no parameter {unknown[0]!r}; its parameters: {', '.join(defaults)}")
    for name in ("start_year", "end_year"):
        year = given.get(name)
        if year is not None and (not isinstance(year, int) or isinstance(year, bool)):
            raise ValueError(f"{name} must be an integer year, got {year!r}")
    if given.get("start_year") is not None and given.get("end_year") is not None \
            and given["start_year"] > given["end_year"]:
        raise ValueError(f"start_year {given['start_year']} is after end_year {given['end_year']}")
    for name, value in given.items():
        if name not in PATH_PARAMETERS + OUTPUT_PATHS:
            _check_type(name, value, defaults[name])
    for name, least in _AT_LEAST.get(notebook, {}).items():
        if name in given and given[name] < least:  # (an int by now: its default's type)
            raise ValueError(f"{name} must be {least} or more, got {given[name]!r}")
    if given.get("tagger", "learned") not in ("learned", "rules"):
        raise ValueError(f"tagger must be 'learned' or 'rules', got {given['tagger']!r}")
    inputs = _resolve_paths(given)
    tax: Taxonomy = load_taxonomy(given.get("taxonomy"))
    for name in ("topic_a", "topic_b"):
        if name in given:
            given[name] = resolve_topics(tax, [given[name]])[0]
        elif name in defaults and defaults[name] not in tax.slugs:  # a taxonomy of one's own may lack the default
            raise ValueError(f"{name} is {defaults[name]!r} by default, a topic this taxonomy does not have: pass "
                             f"--param {name}=SLUG. Valid topics: {', '.join(tax.slugs)}")
    if "topic_a" in defaults:
        check_pair(given.get("topic_a", defaults["topic_a"]), given.get("topic_b", defaults["topic_b"]))
    if "topics" in given:
        given["topics"] = resolve_topics(tax, given["topics"])
    if given.get("only_topic") is not None:
        given["only_topic"] = resolve_topics(tax, [given["only_topic"]])[0]
    base = {**defaults, **given}
    variant, shown = _variant(defaults, given)
    if "topic" not in defaults:
        if topics:
            instead = (" (its topic parameter: --param only_topic=SLUG)" if "only_topic" in defaults
                       else " (its two topics: --param topic_a=SLUG --param topic_b=SLUG)" if "topic_a" in defaults
                       else "")
            raise ValueError(f"{notebook} takes no topic; leave out --topic{instead}")
        label = _title(notebook) + (f" ({shown})" if shown else "")
        return [ReportJob(None, label, base, notebook, inputs, variant)]
    chosen = resolve_topics(tax, list(topics) if topics else ([given["topic"]] if "topic" in given else tax.slugs))
    return [ReportJob(slug, tax[slug].label, {**base, "topic": slug}, notebook, inputs, variant) for slug in chosen]


# Parameters that say what a report reads or how it runs, not what it shows: left out of its name
_NOT_NAMING = frozenset({"topic", "corpus", "taxonomy", "start_year", "end_year", "errors", "tagger", "screening",
                         "dataset", "decisions", "record", "paper", "reason", "reviewer"})
_TOPIC_VALUED = ("topic_a", "topic_b", "only_topic", "topics")


def _variant(defaults: dict, given: dict) -> tuple[str, str]:
    """The notebook's own parameters set to other than their defaults: as a file-name part and as text.
    Topics are named by their slugs (both of a pair when either changed); other parameters as name and value."""
    changed = [n for n in defaults if n not in _NOT_NAMING and n in given and given[n] != defaults[n]]
    if {"topic_a", "topic_b"} & set(changed):
        changed = ["topic_a", "topic_b", *(n for n in changed if n not in ("topic_a", "topic_b"))]
    parts = []
    for name in changed:
        value = given.get(name, defaults[name])
        text = " ".join(map(str, value)) if isinstance(value, list) else str(value)
        parts.append(text if name in _TOPIC_VALUED else f"{name} {text}")
    return re.sub(r"[^a-z0-9_]+", "-", " ".join(parts).lower()).strip("-"), ", ".join(parts)


def resolve_topics(taxonomy: Taxonomy, names: Sequence) -> list[str]:
    """Topic slugs for ``names``, matched case-insensitively against slugs and labels.

    An unknown name is a ``ValueError`` suggesting the closest topics and listing the valid ones.
    """
    import difflib

    lookup = {}
    for topic in taxonomy.topics:
        lookup.setdefault(topic.label.casefold(), topic.slug)
    lookup.update({slug.casefold(): slug for slug in taxonomy.slugs})
    resolved, unknown = [], []
    for name in names:
        slug = lookup.get(str(name).strip().casefold())
        (resolved if slug else unknown).append(slug or str(name))
    if unknown:
        guesses = []
        for name in unknown:
            guesses += difflib.get_close_matches(name.casefold(), list(lookup), n=2, cutoff=0.6)
        hint = ", ".join(dict.fromkeys(lookup[g] for g in guesses))
        raise ValueError(
            f"unknown topic(s) {', '.join(unknown)}" + (f"; did you mean {hint}?" if hint else ".")
            + f" Valid topics: {', '.join(taxonomy.slugs)}"
        )
    return resolved


def _title(notebook: str) -> str:
    return notebook.replace("_", " ").capitalize()


def _resolve_paths(given: dict) -> tuple[str, ...]:
    """Make path parameters absolute (the kernel runs in the notebooks folder); check they exist."""
    inputs = []
    for name in PATH_PARAMETERS:
        if given.get(name) in (None, [], ""):
            continue
        paths = given[name] if isinstance(given[name], list) else [given[name]]
        missing = [str(p) for p in paths if not Path(p).exists()]
        if missing:
            raise ValueError(f"{name} file(s) not found: {', '.join(missing)}")
        resolved = [str(Path(p).resolve()) for p in paths]
        given[name] = resolved if isinstance(given[name], list) else resolved[0]
        inputs += resolved
    for name in OUTPUT_PATHS:
        if isinstance(given.get(name), str) and given[name]:
            given[name] = str(Path(given[name]).resolve())
            if Path(given[name]).is_file():
                inputs.append(given[name])
    return tuple(inputs)


def fingerprint(job: ReportJob) -> str:
    """What a report depends on: notebook, parameters, input files' bytes, the kit's code."""
    digest = hashlib.sha256()
    digest.update((notebooks_dir() / f"{job.notebook}.ipynb").read_bytes())
    digest.update(json.dumps(job.parameters, sort_keys=True, default=str).encode())
    package = Path(__file__).resolve().parents[1]  # the litreview package
    data = []
    for path in [*job.inputs, *sorted(package.rglob("*.py"))]:
        data += _files(Path(path))
    try:
        from litreview.data import data_dir

        data += _files(data_dir())
    except FileNotFoundError:
        pass
    for path in data:
        digest.update(str(path).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:20]


def _files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    return [path] if path.is_file() else []


def is_current(job: ReportJob, out: Path) -> bool:
    """Whether ``<out>/<name>.html`` was made from exactly this job's inputs."""
    manifest = _read_manifest(out)
    entry = manifest.get(job.name)
    return bool(entry) and entry.get("fingerprint") == fingerprint(job) and (out / f"{job.name}.html").is_file()


class ReportFailed(RuntimeError):
    """A report's notebook stopped: which report, the executed notebook it left (or, when the kernel stopped
    before papermill could write one, the kernel's log), and the cause, in one line."""

    def __init__(self, name: str, notebook: Path, cause: str):
        self.name, self.notebook, self.cause = name, notebook, cause
        left = "the executed notebook" if Path(notebook).suffix == ".ipynb" else "the kernel's log"
        super().__init__(f"the {name} report failed ({cause}); {left} is {notebook}")


@contextmanager
def _kernel_output_to(log: Path):
    """Send what the kernel and its client write to stderr (transport warnings, "KeyboardInterrupt caught
    in kernel") to ``log``: the CLI prints only its own lines.  The kernel is a child process that
    inherits file descriptor 2, so the descriptor itself is redirected, then restored."""
    sys.stderr.flush()
    saved = os.dup(2)
    with open(log, "ab") as target:
        os.dup2(target.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)


def run_report(job: ReportJob, out: Path, log_output: bool = False) -> Path:
    """Execute the job's notebook; write ``<out>/<name>.html`` and record it in the manifest.

    A notebook that stops raises :class:`ReportFailed` naming the report, the executed
    notebook left in ``<out>/notebooks/`` and the error; the kernel's own chatter goes to
    ``<out>/notebooks/<name>.log``.  The executed notebook is written once, when the notebook
    ends or a cell fails, not after every cell (each write validates the whole notebook, its
    figures included); a kernel that dies leaves only the log, and the error names it.  The
    kernel is stopped as soon as the notebook has run.
    """
    import papermill

    out.mkdir(parents=True, exist_ok=True)
    source = notebooks_dir() / f"{job.notebook}.ipynb"
    executed_path = out / "notebooks" / f"{job.name}.ipynb"
    executed_path.parent.mkdir(exist_ok=True)
    log = executed_path.with_suffix(".log")
    log.unlink(missing_ok=True)
    executed_path.unlink(missing_ok=True)  # never name an earlier run's notebook in an error
    try:
        with _kernel_output_to(log):
            papermill.execute_notebook(
                str(source),
                str(executed_path),
                parameters=job.parameters,
                cwd=str(source.parent),
                kernel_name="python3",
                progress_bar=False,
                log_output=log_output,
                request_save_on_cell_execute=False,  # written at the end, or at the failing cell
                shutdown_kernel="immediate",  # a report's kernel has nothing to clean up: a graceful stop waits ~0.35 s
            )
    except Exception as exc:  # papermill's error carries the kernel's traceback: keep its last line
        raise ReportFailed(job.name, executed_path if executed_path.is_file() else log, _cause(exc)) from exc
    target = out / f"{job.name}.html"
    own = bool(job.parameters.get("corpus") or job.parameters.get("dataset"))  # (the user's files, not the kit's)
    target.write_text(export_html(executed_path, job.label, own_corpus=own), encoding="utf-8")
    manifest = _read_manifest(out)
    manifest[job.name] = {
        "label": job.label,
        "notebook": job.notebook,
        "parameters": {k: v for k, v in job.parameters.items() if v not in (None, [])},
        "fingerprint": fingerprint(job),
        "made": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }
    (out / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")
    return target


DEFAULT_CORPUS_TAG = "default-corpus"  # a notebook cell about the default corpus only


def _cause(exc: Exception) -> str:
    """The error's last line, with the cell it happened in when papermill says."""
    lines = [line for line in str(exc).strip().splitlines() if line.strip()]
    ename, evalue = getattr(exc, "ename", None), getattr(exc, "evalue", None)
    text = f"{ename}: {evalue}" if ename else (lines[-1] if lines else type(exc).__name__)
    text = " ".join(text.split())
    cell = getattr(exc, "exec_count", None)
    return f"cell {cell}: {text}" if cell else text


def export_html(executed: Path, label: str, own_corpus: bool = False) -> str:
    """The executed notebook as a report page: no code, figures with their alternative text, the
    table script and style inlined (no network), and a link back to the index.  ``own_corpus``: the
    report read the user's files, so the cells tagged ``default-corpus`` (prose about the seed corpus, or
    a demonstration on it) are left out."""
    import nbformat

    notebook = nbformat.read(executed, as_version=4)
    if own_corpus:
        notebook.cells = [c for c in notebook.cells if DEFAULT_CORPUS_TAG not in c.get("metadata", {}).get("tags", [])]
    for cell in notebook.cells:
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            cell["id"] = "injected-parameters"  # (papermill gives it a random id: the same report, the same page)
        for output in cell.get("outputs", []):
            alt = output.get("metadata", {}).get("image/png", {}).get("alt")
            if alt and "image/png" in output.get("data", {}):
                # nbconvert's template has no alt text for images: give the figure as HTML that has it
                output["data"] = {"text/html": f'<img src="data:image/png;base64,{output["data"]["image/png"]}" '
                                               f'alt="{html.escape(alt, quote=True)}">'}
    body, _ = _html_exporter().from_notebook_node(notebook, resources={"metadata": {"name": f"litreview: {label}"}})
    style = f"<style>\n{_static('report.css')}</style>\n"
    nav = '<nav class="lr-nav"><a href="index.html">&larr; All reports</a></nav>\n'
    script = f"<script>\n{_static('tables.js')}</script>\n"
    # nbconvert's template loads require.js and MathJax from CDNs: a report needs neither, and works offline
    body = re.sub(r'<script[^>]*\ssrc="https?://[^"]*"[^>]*>\s*</script>', "", body)
    body = body.replace("</head>", style + "</head>", 1)
    body = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + "\n" + nav, body, count=1)
    return body.replace("</body>", script + "</body>", 1)


@functools.cache
def _html_exporter():
    """nbconvert's HTML exporter without code, made once: it sets up its templates on first use (0.13 s of
    each report's 0.2 s export when made anew)."""
    import logging

    from nbconvert import HTMLExporter

    exporter = HTMLExporter(exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
    exporter.log.setLevel(logging.ERROR)  # figures without alt text get nbconvert's default; no warning per run
    return exporter


def write_index(jobs: Sequence[ReportJob], out: Path, dashboard=None, failed=None) -> Path:
    """``<out>/index.html``: see :func:`litreview.report.index.write_index`."""
    from litreview.report.index import write_index as write

    return write(jobs, out, dashboard, failed)
