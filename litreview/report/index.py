"""The reports' index page: a dashboard of the corpus, its topics and every report.

The corpus (papers, source files, years), each topic with its papers and a small
timeline (inline SVG: no image files, no network), and every report in the folder
with its parameters and when it was made.  Text from the corpus and the taxonomy
is escaped.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path

from litreview.report.fit_warnings import (
    COVERS_LITTLE,
    DOES_NOT_FIT,
    LABELLED_FIELD,
    WRITE_YOUR_OWN,
    covers_little,
    does_not_fit,
)

# The parameters that decide which papers a report reads: a report made with others counts other papers.
CORPUS_PARAMETERS = ("corpus", "taxonomy", "start_year", "end_year", "errors", "tagger")
_DEFAULTS = {"errors": "raise", "tagger": "learned"}


def corpus_key(parameters: Mapping) -> dict:
    """The corpus-defining part of a report's parameters (unset ones and the default ``errors`` left out)."""
    return {k: parameters[k] for k in CORPUS_PARAMETERS
            if parameters.get(k) not in (None, [], "", _DEFAULTS.get(k))}


def corpus_dashboard(parameters: Mapping) -> dict:
    """What the index shows about the corpus the reports read (``corpus``, ``taxonomy``,
    ``start_year``/``end_year``, ``errors`` and ``tagger`` of a job's parameters)."""
    import warnings

    import litreview as lr
    from litreview.analysis.overview import per_source
    from litreview.report.sections import problem_counts, year_window

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # problems are listed in the corpus overview
        papers = lr.load(parameters.get("corpus") or None, errors=parameters.get("errors") or "raise")
    taxonomy = lr.load_taxonomy(parameters.get("taxonomy"))
    papers = lr.within_years(papers, parameters.get("start_year"), parameters.get("end_year"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", lr.FallbackWarning)  # each report says which topics fell back
        warnings.simplefilter("ignore", lr.OutsideFieldWarning)  # and which papers read as outside the field
        warnings.simplefilter("ignore", lr.CoverageWarning)  # (the index says it itself)
        tagged = lr.tag(papers, taxonomy, tagger=parameters.get("tagger") or "learned")
    window = year_window(tagged["year"])
    long = tagged[["year", "topics"]].explode("topics").dropna(subset=["topics"])
    topics = []
    for topic in taxonomy.topics:
        years = long.loc[long["topics"] == topic.slug, "year"].dropna().astype(int)
        per_year = years.value_counts().to_dict()
        topics.append({"slug": topic.slug, "label": topic.label,
                       "papers": int((long["topics"] == topic.slug).sum()), "per_year": per_year})
    sources = per_source(papers)
    years = papers["year"].dropna()
    return {
        "papers": len(papers),
        "files": list(zip(sources["file"], sources["papers"].astype(int))),
        "first_year": int(years.min()) if len(years) else None,
        "last_year": int(years.max()) if len(years) else None,
        "undated": int(papers["year"].isna().sum()),
        "untagged": int((tagged["topics"].map(len) == 0).sum()),
        "outside": int(tagged["outside_field"].sum()) if "outside_field" in tagged.columns else 0,
        "window": window,
        "topics": topics,
        "skipped": problem_counts(papers)[0],
        "parameters": corpus_key(parameters),  # which reports these counts are of
    }


def sparkline(per_year: Mapping[int, int], window: tuple[int, int] | None, width: int = 140,
              height: int = 28) -> str:
    """Papers per year as an inline SVG of bars over ``window`` (years outside it are not drawn)."""
    if window is None:
        return ""
    first, last = window
    years = list(range(first, last + 1))
    counts = [int(per_year.get(y, 0)) for y in years]
    top = max(counts) if counts else 0
    bar = width / max(len(years), 1)
    rects = []
    for i, n in enumerate(counts):
        if n:
            h = max(1.5, (height - 2) * n / top)
            rects.append(f'<rect x="{i * bar:.1f}" y="{height - h:.1f}" width="{max(bar - 1, 1):.1f}" '
                         f'height="{h:.1f}"><title>{years[i]}: {n}</title></rect>')
    label = f"papers per year, {first} to {last}; most in one year: {top}"
    return (f'<svg class="spark" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
            f'aria-label="{html.escape(label, quote=True)}"><line x1="0" y1="{height - 0.5}" x2="{width}" '
            f'y2="{height - 0.5}" stroke="#bbb"/>{"".join(rects)}</svg>')


def _parameters_text(parameters: Mapping) -> str:
    from litreview.report.sections import parameters_line

    shown = {k: v for k, v in parameters.items() if k != "topic" and not (k == "errors" and v == "raise")}
    return repr(parameters_line(shown)) if shown else "defaults"


def write_index(jobs: Sequence, out: Path, dashboard: Mapping | None = None,
                failed: Mapping[str, str] | None = None) -> Path:
    """``<out>/index.html``: the corpus dashboard (when given) and every report in the folder.

    Reports written by earlier runs into the same folder stay listed; ``failed`` ({report name: what
    happened}) marks the reports of this run that failed, so they do not read as not made yet.  The
    dashboard's counts go only to the reports made on its corpus (:func:`corpus_key`): one made on another
    corpus, taxonomy or year window shows no count here (its own page has its figures).
    """
    from litreview.report.assets import read_manifest as _read_manifest
    from litreview.report.assets import static_text as _static

    manifest = _read_manifest(out)
    entries = {
        name: {"label": e["label"], "notebook": e["notebook"], "parameters": e["parameters"], "made": e.get("made")}
        for name, e in manifest.items()
        if (out / f"{name}.html").is_file()
    }
    for job in jobs:
        made = manifest.get(job.name, {}).get("made") if (out / f"{job.name}.html").is_file() else None
        entries[job.name] = {"label": job.label, "notebook": job.notebook, "made": made,
                             "parameters": {k: v for k, v in job.parameters.items() if v not in (None, [])}}
    e = html.escape
    topic_rows, other_rows = [], []
    other_corpus = 0  # topic reports made on another corpus, taxonomy or year window than the dashboard's
    counts = {t["slug"]: t for t in (dashboard or {}).get("topics", [])}
    window = (dashboard or {}).get("window")
    of_dashboard = {name for name, entry in entries.items()
                    if dashboard and corpus_key(entry["parameters"]) == dashboard.get("parameters", {})}
    reported = {entry["parameters"].get("topic") for name, entry in entries.items()
                if entry["notebook"] == "topic_report" and name in of_dashboard}
    # The corpus's topics without a report in this folder are listed too, once the folder holds a topic report
    # (a folder of screening reports alone is not a list of 16 topics with "no report yet").
    topic_reports = any(entry["notebook"] == "topic_report" for entry in entries.values())
    for slug, info in counts.items():
        if topic_reports and slug not in reported:
            entries[f"\0{slug}"] = {"label": info["label"], "notebook": "topic_report", "made": None,
                                    "parameters": {"topic": slug}}
    for name, entry in sorted(entries.items(), key=lambda kv: (kv[1]["notebook"], kv[0].lstrip("\0"))):
        has_page = not name.startswith("\0")
        link = f'<a href="{e(name)}.html">{e(entry["label"])}</a>' if has_page else e(entry["label"])
        made = e(entry["made"] or ("not made yet" if has_page else "no report yet"))
        if name in (failed or {}):
            made = f'<span class="warning">{e("failed this run: " + failed[name])}</span>'  # (an older page may stay)
        params = e(_parameters_text(entry["parameters"])) if has_page else ""
        if entry["notebook"] == "topic_report":
            slug = entry["parameters"].get("topic")
            info = counts.get(slug) if name in of_dashboard or not has_page else None
            other_corpus += bool(dashboard and has_page and name not in of_dashboard)
            papers = f'{info["papers"]:,}' if info else "—"
            spark = sparkline(info["per_year"], window) if info else ""
            topic_rows.append(f'<tr><td>{link}</td><td class="num" data-sort="{info["papers"] if info else -1}">'
                              f"{papers}</td><td>{spark}</td><td>{params}</td><td>{made}</td></tr>")
        else:
            other_rows.append(f"<tr><td>{link}</td><td><code>{e(entry['notebook'])}</code></td>"
                              f"<td>{params}</td><td>{made}</td></tr>")
    sections = []
    if dashboard:
        # (the topics' figures and the taxonomy's fit only where a report in the folder reads the tags)
        tagged = any(entry["notebook"] not in _UNTAGGED or entry["parameters"].get("only_topic")
                     for entry in entries.values())
        # (a page in the folder: a corpus overview that failed this run, with no page of an earlier run, is none)
        overview = any(entry["notebook"] == "corpus_overview" and (out / f"{name}.html").is_file()
                       for name, entry in entries.items())
        sections.append(_corpus_block(dashboard, tagged, overview))
    if topic_rows:
        sections.append(
            "<h2>Topics</h2>\n<table class=\"lr-table\" data-lr-search=\"topics\"><thead><tr><th>topic</th>"
            "<th class=\"num\">papers</th><th>papers per year</th><th>parameters</th><th>made</th></tr></thead>"
            "<tbody>\n" + "\n".join(topic_rows) + "\n</tbody></table>")
        if other_corpus:
            sections.append(f"<p>{other_corpus:,} of these reports were made on another corpus, taxonomy or year "
                            "window than the one above (see their parameters): the counts here are not theirs, "
                            "so they show —; each report's page gives its own.</p>")
    if other_rows:
        sections.append(
            "<h2>Other reports</h2>\n<table class=\"lr-table\"><thead><tr><th>report</th><th>notebook</th>"
            "<th>parameters</th><th>made</th></tr></thead><tbody>\n" + "\n".join(other_rows) + "\n</tbody></table>")
    made = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>litreview reports</title>
<style>
body{{font:15px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1100px;padding:0 1em;color:#222}}
h1{{margin-bottom:.2em}} .lede{{color:#555;margin-top:0}} .spark rect{{fill:#4c72b0}}
.cards{{display:flex;flex-wrap:wrap;gap:1em;margin:1em 0}}
.card{{border:1px solid #ddd;border-radius:6px;padding:.6em 1em}}
.card b{{display:block;font-size:1.5em}}
{_static("report.css")}
</style></head>
<body><h1>litreview reports</h1>
<p class="lede">Index written {e(made)}.</p>
{chr(10).join(sections)}
<script>
{_static("tables.js")}</script>
</body></html>
"""
    target = out / "index.html"
    target.write_text(page, encoding="utf-8")
    return target


# Report notebooks that read no topic (the citation report reads one only with only_topic)
_UNTAGGED = frozenset({"screening", "screening_flow", "screening_simulation", "citation_report"})


def _corpus_block(d: Mapping, tagged: bool = True, overview: bool = True) -> str:
    """The corpus's cards and notes; ``overview``: whether the folder holds the corpus overview the notes point to
    (else they say how to make it)."""
    e = html.escape
    see = "see the corpus overview" + ("" if overview else ": litreview report --notebook corpus_overview")
    years = "no years" if d["first_year"] is None else (
        str(d["first_year"]) if d["first_year"] == d["last_year"] else f"{d['first_year']} to {d['last_year']}")
    files_label = "source file" if len(d["files"]) == 1 else "source files"
    cards = [("papers", f"{d['papers']:,}"), (files_label, f"{len(d['files']):,}"), ("years", years)]
    cards += [("without a topic", f"{d['untagged']:,}")] if tagged else []
    html_cards = "".join(f'<div class="card"><b>{e(v)}</b>{e(k)}</div>' for k, v in cards)
    files = ", ".join(f"{e(Path(f).name)} ({n:,})" for f, n in d["files"][:8])
    if len(d["files"]) > 8:
        files += f" and {len(d['files']) - 8} more"
    notes = []
    if d["undated"]:
        notes.append(f"{d['undated']:,} without a year")
    if d["window"] and (d["window"][0] != d["first_year"] or d["window"][1] != d["last_year"]):
        notes.append(f"timelines show {d['window'][0]} to {d['window'][1]}, where most papers are")
    if d["skipped"]:
        notes.append(f"{d['skipped']:,} records could not be read and were skipped ({see})")
    outside = d.get("outside", 0) if tagged else 0
    if outside and not does_not_fit(outside, d["papers"]):
        notes.append(f"{outside:,} of the papers without a topic read as outside the field the kit's fitted topics "
                     f"were learned on ({see})")
    text = "; ".join(notes)
    note = f"<p>{e(text[:1].upper() + text[1:])}.</p>" if notes else ""
    if tagged and covers_little(d["untagged"], outside, d["papers"]):
        note = (f"<p class=\"warning\"><b>{COVERS_LITTLE}:</b> {d['untagged']:,} of its {d['papers']:,} papers have "
                "none of its topics, so a tag may come from one of its words used in another sense. Read a few "
                f"tagged papers before trusting a topic, or {WRITE_YOUR_OWN}.</p>\n") + note
    if does_not_fit(outside, d["papers"]):
        note = (f"<p class=\"warning\"><b>{DOES_NOT_FIT}:</b> {outside:,} of its {d['papers']:,} papers read as "
                f"outside the field the kit's fitted topics were learned on ({LABELLED_FIELD}), so their reports "
                f"say little. {WRITE_YOUR_OWN[:1].upper()}{WRITE_YOUR_OWN[1:]}; the corpus overview says more"
                f"{'' if overview else ' (litreview report --notebook corpus_overview)'}.</p>\n"
                ) + note
    return f"<h2>The corpus</h2>\n<div class=\"cards\">{html_cards}</div>\n<p>From {files}.</p>\n{note}"
