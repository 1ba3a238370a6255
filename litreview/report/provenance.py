"""What a reader needs to reproduce a report."""

from __future__ import annotations

import hashlib
import json
import os
from importlib import metadata

import pandas as pd

PACKAGES = ("litreview", "pandas", "numpy", "matplotlib", "scikit-learn", "pyyaml", "papermill")


def corpus_fingerprint(papers: pd.DataFrame) -> str:
    """A short hash of the papers' ids, titles and abstracts, order-independent.

    Parameters
    ----------
    papers : DataFrame
        A table with ``id``, ``title`` and ``abstract``.

    Returns
    -------
    str
        12 hexadecimal digits.

    Examples
    --------
    >>> papers = lr.load()
    >>> fingerprint = lr.corpus_fingerprint(papers)
    >>> len(fingerprint), fingerprint == lr.corpus_fingerprint(papers[::-1])   # the order does not count
    (12, True)
    >>> fingerprint == lr.corpus_fingerprint(papers.head(73))
    False
    """
    rows = sorted(
        json.dumps([i, t, a], ensure_ascii=False) for i, t, a in zip(papers["id"], papers["title"], papers["abstract"])
    )
    return hashlib.sha256("\n".join(rows).encode()).hexdigest()[:12]


def package_versions(packages: tuple[str, ...] = PACKAGES) -> pd.DataFrame:
    """Installed versions of the packages a report depends on.

    Parameters
    ----------
    packages : tuple of str
        Distribution names; by default those of a report.

    Returns
    -------
    DataFrame
        Columns ``package`` and ``version`` (``not installed`` for a package that is not).

    Examples
    --------
    >>> lr.package_versions()["package"].tolist()
    ['litreview', 'pandas', 'numpy', 'matplotlib', 'scikit-learn', 'pyyaml', 'papermill']
    >>> lr.package_versions(("no-such-package",)).values.tolist()
    [['no-such-package', 'not installed']]
    """
    rows = []
    for name in packages:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "not installed"
        rows.append((name, version))
    return pd.DataFrame(rows, columns=["package", "version"])


def provenance(papers: pd.DataFrame, taxonomy, parameters: dict) -> pd.DataFrame:
    """Corpus and taxonomy fingerprints plus the run's parameters, as a table.

    Parameters
    ----------
    papers : DataFrame
        The papers the run read.
    taxonomy : Taxonomy or None
        The taxonomy it tagged with (:func:`litreview.load_taxonomy`); ``None`` for a run that tags nothing
        (screening), whose table then has no taxonomy rows.
    parameters : dict
        The run's parameters, written as a reader would (``—`` for none, lists joined by ``, ``).

    Returns
    -------
    DataFrame
        Columns ``item`` and ``value`` (both text).

    Examples
    --------
    >>> table = lr.provenance(lr.load(), lr.load_taxonomy(), {"topic": "peft", "years": [2021, 2022], "since": None})
    >>> table["item"].tolist()
    ['corpus fingerprint', 'papers', 'taxonomy fingerprint', 'taxonomy topics',
     'parameter: topic', 'parameter: years', 'parameter: since']
    >>> table["value"].tolist()[1:2] + table["value"].tolist()[3:]
    ['74', '16', 'peft', '2021, 2022', '—']
    >>> lr.provenance(lr.load(), lr.load_taxonomy(), {"corpus": ["/home/me/refs/my.bib"]})["value"].iloc[-1]
    'my.bib'
    >>> lr.provenance(lr.load(), None, {})["item"].tolist()
    ['corpus fingerprint', 'papers']
    >>> lr.provenance(pd.concat([lr.load()] * 14), None, {})["value"].iloc[1]  # (as the tables write counts)
    '1,036'
    """
    rows = [("corpus fingerprint", corpus_fingerprint(papers)), ("papers", f"{len(papers):,}")]
    if taxonomy is not None:
        rows += [("taxonomy fingerprint", taxonomy.fingerprint), ("taxonomy topics", str(len(taxonomy)))]
    rows += [(f"parameter: {k}", _readable(v, files=k in FILE_PARAMETERS)) for k, v in parameters.items()]
    return pd.DataFrame(rows, columns=["item", "value"])


# Parameters naming files (litreview.report.run resolves them to absolute paths): shown by file name, as the
# report's heading names them; the fingerprints above say which contents were read, and a stored report
# holds no machine's folders.
FILE_PARAMETERS = ("corpus", "taxonomy", "screening", "dataset", "decisions")


def _readable(value, files: bool = False) -> str:
    """A parameter's value as a reader writes it: ``2021``, ``peft``, ``a.bib, b.ris``; ``—`` for none."""
    if value is None or value == [] or value == "":
        return "—"
    values = list(value) if isinstance(value, (list, tuple)) else [value]
    return ", ".join(os.path.basename(str(v)) if files else str(v) for v in values)
