"""What a reader needs to reproduce a report."""

from __future__ import annotations

import hashlib
import json
from importlib import metadata

import pandas as pd

PACKAGES = ("litreview", "pandas", "numpy", "matplotlib", "scikit-learn", "pyyaml", "papermill")


def corpus_fingerprint(papers: pd.DataFrame) -> str:
    """A short hash of the papers' ids, titles and abstracts, order-independent."""
    rows = sorted(
        json.dumps([i, t, a], ensure_ascii=False) for i, t, a in zip(papers["id"], papers["title"], papers["abstract"])
    )
    return hashlib.sha256("\n".join(rows).encode()).hexdigest()[:12]


def package_versions(packages: tuple[str, ...] = PACKAGES) -> pd.DataFrame:
    """Installed versions of the packages a report depends on."""
    rows = []
    for name in packages:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "not installed"
        rows.append((name, version))
    return pd.DataFrame(rows, columns=["package", "version"])


def provenance(papers: pd.DataFrame, taxonomy, parameters: dict) -> pd.DataFrame:
    """Corpus and taxonomy fingerprints plus the run's parameters, as a table."""
    rows = [
        ("corpus fingerprint", corpus_fingerprint(papers)),
        ("papers", str(len(papers))),
        ("taxonomy fingerprint", taxonomy.fingerprint),
        ("taxonomy topics", str(len(taxonomy))),
    ]
    rows += [(f"parameter: {k}", _readable(v)) for k, v in parameters.items()]
    return pd.DataFrame(rows, columns=["item", "value"])


def _readable(value) -> str:
    """A parameter's value as a reader writes it: ``2021``, ``peft``, ``a.bib, b.ris``; ``—`` for none."""
    if value is None or value == [] or value == "":
        return "—"
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value))
    return str(value)
