"""Where the kit's own data lives: the default corpus, taxonomy and labels.

In a source checkout (or an editable install) that is the top-level ``data/``
folder; a built wheel carries the same files as ``litreview/data``.
``LITREVIEW_DATA`` overrides both.
"""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_dir() -> Path:
    """The folder holding ``raw/``, ``taxonomy.yaml`` and ``labels.csv``."""
    override = os.environ.get("LITREVIEW_DATA")
    if override:
        return Path(override)
    for candidate in (_PACKAGE / "data", _PACKAGE.parent / "data"):
        if (candidate / "raw").is_dir():
            return candidate
    raise FileNotFoundError(
        "litreview's data folder was not found; set LITREVIEW_DATA to the folder "
        "that holds raw/, taxonomy.yaml and labels.csv"
    )


def corpus_files() -> list[Path]:
    """The default corpus: every file in ``data/raw``, sorted by name.

    Returns
    -------
    list of pathlib.Path
        The files :func:`litreview.load` reads when given no ``paths``.

    Examples
    --------
    >>> [path.name for path in lr.corpus_files()]
    ['arxiv_abstracts.txt', 'arxiv_roundup_2023-05-28.txt', 'iclr_publications.txt', 'llm_digest.txt']
    """
    return sorted(p for p in (data_dir() / "raw").iterdir() if p.suffix == ".txt")


def taxonomy_path() -> Path:
    return data_dir() / "taxonomy.yaml"


def labels_path() -> Path:
    return data_dir() / "labels.csv"


def is_shipped(path: str | os.PathLike) -> bool:
    """Whether ``path`` is one of the kit's own data files (the checkout's ``data/`` or the wheel's
    ``litreview/data``, whatever ``LITREVIEW_DATA`` says): a file the kit must never write into."""
    target = Path(path).resolve()
    return any(target.is_relative_to(folder.resolve()) for folder in (_PACKAGE / "data", _PACKAGE.parent / "data")
               if folder.is_dir())
