"""The load account: what :func:`litreview.load` skipped, read in part and merged, kept so that
pandas cannot lose it.

A papers table is one of many tables a notebook makes: it is selected, tagged, concatenated with
another load, merged with screening decisions.  pandas keeps ``DataFrame.attrs`` through some of
these (row selection, ``copy``, :func:`litreview.tag`) and drops them in others (``pd.concat`` of
tables with different attrs, ``DataFrame.merge``), so the account cannot live in attrs only.  It is
kept per input file, in two places:

* with the table, in ``papers.attrs["load_account"]``: the account of every file of the load, used
  whenever pandas kept it;
* on disk, one small JSON file per input file in ``<cache folder>/accounts/`` (the folder of
  :func:`litreview.io.cache.cache_dir`: ``$LITREVIEW_CACHE``, else ``~/.cache/litreview``), named by
  a digest of the file's name (as ``source`` gives it) and of its bytes.  :func:`litreview.load`
  writes them on every load, cached or not.

When the attrs are gone, the account is found again from the rows themselves: every ``file:line``
in ``provenance`` names a file; the file is read again for its digest (so an account never
describes other bytes than those loaded) and its stored account is used.  A file of the load that
gave no paper at all (unreadable, or every record skipped) is named by no row, so each file's
account also names the files of its load that gave none, and their accounts come with it (after
those of the files the rows name, in the order the rows name them).

A file's account holds its problems (:func:`load_problems`: each record skipped or read in part)
and its merges (:func:`merge_log`: each record of the file folded into another paper, with the key
that matched).  For a table, :func:`merge_log` lists the merges of its papers (a folded record
named in some row's ``provenance``, under that row's current ``id``), and :func:`load_problems` the
problems of the load (attrs), or of the files its rows name and their loads' files without papers
(on disk).

When neither is found (a table made by hand, a file moved or changed since it was loaded, a cache
folder that cannot be written) the functions raise :class:`MissingAccountError` (a ``ValueError``)
saying which files have no account: they never report "nothing skipped" for an account they do not
have.  :func:`litreview.prisma_flow` then asks for the problems table explicitly (``problems=``).

Limits: the on-disk account of a file is that of the latest load of those bytes under that name:
after loading the same file with other ``format=``/``columns=`` options, or together with other
files that gave no paper, the stored account is the latest load's.  Accounts are small (a row per
problem and per merged record) and never deleted; delete the folder to reclaim the space.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from litreview.io.cache import cache_dir

PROBLEM_COLUMNS = ["file", "line", "severity", "message"]
MERGE_COLUMNS = ["id", "source", "matched_on"]
ATTRS_KEY = "load_account"


class MissingAccountError(ValueError):
    """The load account of a table cannot be found (see :mod:`litreview.io.account`)."""


# -- making and storing the account -------------------------------------------------------------------------------


def make_account(
    files: list[tuple[str, str, int]], problems: Iterable[tuple], merges: Iterable[tuple]
) -> dict:
    """The account of one load, as JSON-ready lists.

    ``files``: ``(label, digest, records read)`` of each input file, in reading order;
    ``problems``: ``(file, line, severity, message)`` rows; ``merges``: ``(id, source, matched_on)`` rows.
    """
    entries = {label: {"file": label, "digest": digest, "problems": [], "merges": [], "no_paper": []}
               for label, digest, _ in files}
    def entry(label: str) -> dict:  # (a problem names one of the files; this is only a safeguard)
        return entries.setdefault(label, {"file": label, "digest": "", "problems": [], "merges": [], "no_paper": []})

    for file, line, severity, message in problems:
        entry(file)["problems"].append([file, line, severity, message])
    for pid, source, matched_on in merges:
        entry(_file_of(source))["merges"].append([pid, source, matched_on])
    no_paper = [[label, digest] for label, digest, n_records in files if n_records == 0]
    for entry in entries.values():
        entry["no_paper"] = [pair for pair in no_paper if pair[0] != entry["file"]]
    return {"files": list(entries.values())}


def store_account(account: dict, folder: Path | None = None) -> None:
    """Write each file's account to the account folder (best effort: an unwritable folder only
    means the account cannot be found again once pandas drops the table's attrs)."""
    folder = folder or accounts_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for entry in account["files"]:
            path = folder / f"{_key(entry['file'], entry['digest'])}.json"
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps(entry, ensure_ascii=False), encoding="utf-8")
            os.replace(tmp, path)
    except OSError:
        pass


def accounts_dir() -> Path:
    return cache_dir() / "accounts"


def _key(label: str, digest: str) -> str:
    return hashlib.sha256(json.dumps([label, digest]).encode()).hexdigest()[:32]


def _file_of(source: str) -> str:
    return str(source).rsplit(":", 1)[0]


# -- finding it again ---------------------------------------------------------------------------------------------


def account_of(papers: pd.DataFrame) -> dict:
    """The load account of ``papers``: from its attrs, else from the files its rows name.

    Raises :class:`MissingAccountError` when it cannot be found.
    """
    if not isinstance(papers, pd.DataFrame):
        raise TypeError(f"papers must be a papers DataFrame, not {type(papers).__name__}")
    kept = papers.attrs.get(ATTRS_KEY)
    if kept is not None:
        return kept
    if "provenance" not in papers.columns:
        raise MissingAccountError("the table has no load account and no provenance column to find it by; "
                                  "pass a table lr.load returned")
    files = list(dict.fromkeys(_file_of(s) for sources in papers["provenance"] for s in _items(sources)))
    if not files:
        raise MissingAccountError("the table has no load account and no row names a source file in its "
                                  "provenance; pass a table lr.load returned")
    entries: dict[str, dict] = {}
    missing: list[str] = []
    for label in files:
        entry = _stored_for_file(label)
        if entry is None:
            missing.append(label)
        else:
            entries[label] = entry
    # then the files of the same loads that gave no paper (named by no row)
    for other, digest in [pair for entry in list(entries.values()) for pair in entry["no_paper"]]:
        if other not in entries:
            companion = _read_entry(other, digest)
            if companion is None:
                missing.append(other)
            else:
                entries[other] = companion
    if missing:
        shown = ", ".join(missing[:3]) + (f" and {len(missing) - 3} more" if len(missing) > 3 else "")
        raise MissingAccountError(
            f"no load account for {shown}: pandas dropped the table's account (pd.concat and DataFrame.merge "
            "do) and it is not on disk for these files as they are now (moved, changed since loading, or not "
            "loaded by lr.load)"
        )
    return {"files": list(entries.values())}


def _items(value) -> list:
    if isinstance(value, str):
        return [value]
    if value is None or not hasattr(value, "__iter__"):
        return []
    return list(value)


def _stored_for_file(label: str) -> dict | None:
    path = locate_file(label)
    if path is None:
        return None
    from litreview.io.cache import file_digest

    return _read_entry(label, file_digest(path))


def _read_entry(label: str, digest: str) -> dict | None:
    path = accounts_dir() / f"{_key(label, digest)}.json"
    try:
        entry = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return entry if entry.get("file") == label and entry.get("digest") == digest else None


def locate_file(label: str) -> Path | None:
    """The file a ``source`` label names: labels are relative to the bundled ``data`` folder
    (``data/...``), to the working folder, or absolute (see :func:`litreview.io.load.display_path`)."""
    candidates = [Path(label)]
    if label.startswith("data/"):
        from litreview.data import data_dir

        try:
            candidates.insert(0, data_dir() / label[len("data/"):])
        except FileNotFoundError:
            pass
    return next((p for p in candidates if p.is_file()), None)


# -- the tables -----------------------------------------------------------------------------------------------------


def load_problems(papers: pd.DataFrame) -> pd.DataFrame:
    """Every record :func:`litreview.load` skipped (``error``) or kept in part (``warning``).

    Works on the table ``load`` returned and on what pandas makes of it (a selection, ``pd.concat`` of
    loads, ``DataFrame.merge``, ``lr.tag``); see :mod:`litreview.io.account` for how, and for when it
    raises :class:`MissingAccountError`.

    Parameters
    ----------
    papers : DataFrame
        A table :func:`litreview.load` returned, or one pandas made of it.

    Returns
    -------
    DataFrame
        Columns ``file``, ``line``, ``severity`` (``error``: the record was skipped; ``warning``: read in
        part; ``note``: read whole, with something to know, such as a citation key used twice), ``message``;
        no rows when every record was read whole and cleanly.

    Examples
    --------
    >>> lr.load_problems(lr.load()).shape      # the default corpus reads cleanly
    (0, 4)
    >>> import pathlib, tempfile
    >>> bib = pathlib.Path(tempfile.mkdtemp()) / "refs.bib"
    >>> _ = bib.write_text("@article{ok, title = {LoRA}}\\n@article{bad, title = {No closing brace\\n")
    >>> papers = lr.load(bib, errors="skip")   # the readable record is kept
    >>> papers["title"].tolist()
    ['LoRA']
    >>> lr.load_problems(papers)[["line", "severity", "message"]].values.tolist()
    [[2, 'error', "entry 'bad', field 'title': the value has no closing brace"]]
    """
    rows = [row for entry in account_of(papers)["files"] for row in entry["problems"]]
    rows = list(dict.fromkeys(tuple(row) for row in rows))
    return pd.DataFrame(rows, columns=PROBLEM_COLUMNS).astype({"line": "Int64"})


def merge_log(papers: pd.DataFrame) -> pd.DataFrame:
    """Which source records :func:`litreview.load` folded into which paper of ``papers``, and on what key.

    Works on what pandas makes of a loaded table, as :func:`load_problems` does.

    Parameters
    ----------
    papers : DataFrame
        A table :func:`litreview.load` returned, or one pandas made of it.

    Returns
    -------
    DataFrame
        Columns ``id`` (the paper's id in ``papers``), ``source`` (the folded record) and ``matched_on``;
        one row per folded record named in a row's ``provenance``.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.bib").write_text("@article{lora, title = {LoRA}, doi = {10.48550/arXiv.2106.09685}}")
    >>> _ = (folder / "b.ris").write_text("TY  - JOUR\\nTI  - LoRA\\nDO  - 10.48550/arXiv.2106.09685\\nER  - \\n")
    >>> papers = lr.load(folder)               # two records of one paper
    >>> len(papers), lr.merge_log(papers)[["id", "matched_on"]].values.tolist()
    (1, [['arxiv:2106.09685', 'arxiv_id']])
    """
    account = account_of(papers)
    owner: dict[str, str] = {}
    if "provenance" in papers.columns and "id" in papers.columns:
        for pid, sources in zip(papers["id"], papers["provenance"]):
            for source in _items(sources):
                owner.setdefault(source, pid)
    rows = []
    for entry in account["files"]:
        for _, source, matched_on in entry["merges"]:
            if source in owner:
                rows.append((owner[source], source, matched_on))
    return pd.DataFrame(list(dict.fromkeys(rows)), columns=MERGE_COLUMNS)
