"""What the report pages and the index share: the shipped static files and the reports' manifest."""

from __future__ import annotations

import json
from pathlib import Path

MANIFEST = ".litreview-reports.json"  # in the output folder: what each report was made from


def static_text(name: str) -> str:
    """A file shipped in ``litreview/report/static`` (the table script, the style), as text."""
    return (Path(__file__).resolve().parent / "static" / name).read_text(encoding="utf-8")


def read_manifest(out: Path) -> dict:
    """The manifest of the reports in ``out`` (empty when there is none or it is unreadable)."""
    try:
        return json.loads((Path(out) / MANIFEST).read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return {}
