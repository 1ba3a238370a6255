"""An on-disk cache of loaded corpora, so re-running a notebook does not re-parse.

A cached table is a Parquet file named by a key made of everything the result
depends on: the bytes of every input file, the load options and the kit's
version.  Changing any input gives a new key, so a stale entry is never read
(old entries are simply not used; delete the folder to reclaim the space).

The folder is ``$LITREVIEW_CACHE``, else ``~/.cache/litreview``.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pandas as pd

from litreview.schema import LIST_COLUMNS, conform


def cache_dir() -> Path:
    return Path(os.environ.get("LITREVIEW_CACHE") or Path.home() / ".cache" / "litreview")


# Raised when what the readers make of the same bytes changes between releases of one version number, so a
# table cached before is not read back (2: abstracts tidied, placeholders left missing; 3: a Scopus header
# lacking a Funding Text column; 4: Semantic Scholar references with their titles and years; 5: withdrawal
# notices left missing, PubMed ids and author lists read, Scopus BibTeX and RIS references read; 6: PubMed's
# group authors, suffixes and accented initials, MEDLINE entry types, retractions and errata flagged,
# MEDLINE records with no blank line between them, PubMed Central ids read, MEDLINE titles without their
# full stop, the month of a PubMed CSV's Citation; 7: NIH manuscript ids read, PubMed's Create Date kept
# without a note).
READ_REVISION = 7


def cache_key(kind: str, parts: list) -> str:
    """A hex digest of ``parts`` (strings, numbers, bytes digests, nested lists)."""
    from litreview import __version__

    stamp = [kind, __version__, READ_REVISION, parts]
    digest = hashlib.sha256(json.dumps(stamp, sort_keys=True, default=str).encode())
    return f"{kind}-{digest.hexdigest()[:32]}"


def file_digest(path: Path) -> str:
    """SHA-256 of a file's bytes, read in blocks (inputs can be large)."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_cached(key: str, folder: Path | None = None, *, schema: bool = True) -> pd.DataFrame | None:
    """The table stored under ``key``, with its ``attrs``, or ``None``; ``schema``:
    a papers table, given the schema's list columns and types back."""
    path = (folder or cache_dir()) / f"{key}.parquet"
    if not path.is_file():
        return None
    try:
        frame = pd.read_parquet(path)
    except Exception:  # a file cut short by a crash: treat as absent, it will be rewritten
        return None
    if not schema:
        return frame
    attrs = dict(frame.attrs)
    for col in LIST_COLUMNS:
        if col in frame:
            frame[col] = [[] if v is None else list(v) for v in frame[col]]
    frame = conform(frame)
    # Parquet keeps attrs as JSON: rows come back as lists; make them tuples again.
    frame.attrs = {k: [tuple(row) for row in v] if isinstance(v, list) else v for k, v in attrs.items()}
    return frame


def write_cached(key: str, frame: pd.DataFrame, folder: Path | None = None) -> Path:
    """Store ``frame`` (and its ``attrs``) under ``key``; written to a temporary
    file first so a reader never sees half a table."""
    folder = folder or cache_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{key}.parquet"
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    frame.to_parquet(tmp, index=False)
    os.replace(tmp, path)
    return path


def frame_digest(frame: pd.DataFrame, columns: list[str]) -> str:
    """SHA-256 of some columns of a table, row order included (vectorised hashing, then one digest)."""
    hashed = pd.util.hash_pandas_object(frame[columns].astype(object), index=False)
    return hashlib.sha256(hashed.to_numpy().tobytes()).hexdigest()
