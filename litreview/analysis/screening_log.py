"""The decisions file of a screening session: read in the order screened, appended one decision at a time.

The file is the sidecar CSV of :mod:`litreview.analysis.screening`
(``id,decision,reason``, optionally ``stage``), with an optional ``reviewer``
column when several people screen into one file.  :func:`record_decision`
appends one line per decision and flushes it to disk before returning, so a
crash (of the kernel, of the machine) loses nothing already decided; it never
rewrites the file.

:func:`read_decisions` is the strict reader the screening session uses: on top
of the checks of :func:`litreview.load_screening` it refuses a second decision
on a paper by the same reviewer (even a word-for-word repeat) and, given the
papers, an id not among them; every problem is reported at once, each as
``file:line: what, and how to fix it``.  Rows come back in the order of the
file, which is the order they were screened in (the stopping rule needs it).
"""

from __future__ import annotations

import csv
import os
import warnings
from pathlib import Path

import pandas as pd

from litreview.analysis.screened_ids import (
    OTHER_NAMES,
    IdIndex,
    known_as,
    listed,
    moved_messages,
    other_ids,
    papers_known_as,
)
from litreview.analysis.screening import (
    _MAX_LISTED,
    DECISIONS,
    _checked,
    _csv_rows,
    _normal_stage,
    _other_delimiter,
)
from litreview.io.encoding import decode_bytes

LOG_HEADER = ["id", "decision", "reason"]


def read_decisions(path: str | os.PathLike, papers: pd.DataFrame | None = None, *, reviewer: str | None = None
                   ) -> pd.DataFrame:
    """The decisions in a screening file, in the order of its lines.

    Returns ``id``, ``stage``, ``decision``, ``reason``, the file's other
    columns (``reviewer`` among them when it has one), and ``line`` (the
    line each decision is on).  A missing file is a screening not begun (no
    rows).  ``reviewer`` keeps one reviewer's decisions (the file must have a
    ``reviewer`` column).  Raises ``ValueError`` listing every problem as
    ``file:line: what``.

    Parameters
    ----------
    path : str or path
        The decisions file.
    papers : DataFrame, optional
        The papers screened: an id not among them is a problem, but for an id that names exactly one paper
        another way (a ``title:`` id its title gives, its id when decided before a second export or
        ``lr.enrich`` gave it a DOI or arXiv id; its PMID, PMCID, DOI, arXiv id or another database's id; its
        id written another way, ``PMID: 123``, ``https://doi.org/10.1/X``): that decision is the paper's, with
        a warning naming its line.  An id two papers share is a problem naming both.
    reviewer : str, optional
        Keep this reviewer's decisions only.

    Returns
    -------
    DataFrame
        ``id``, ``stage``, ``decision``, ``reason``, other columns, ``line``; in the order of the file.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "decisions.csv"
    >>> _ = path.write_text("id,decision,reason,reviewer\\na,include,,ann\\na,exclude,off topic,bo\\n")
    >>> lr.read_decisions(path, reviewer="bo").values.tolist()
    [['a', 'title-abstract', 'exclude', 'off topic', 'bo', 3]]
    """
    path = Path(path)
    if not path.exists():
        return pd.DataFrame(columns=["id", "stage", "decision", "reason", "line"], dtype=object)
    name = str(path)
    text, _ = decode_bytes(path.read_bytes())
    if not text.strip():
        return pd.DataFrame(columns=["id", "stage", "decision", "reason", "line"], dtype=object)
    rows = list(_csv_rows(text))
    header_line, header = rows[0]
    keys = [c.strip().lower() for c in header]
    missing = [c for c in LOG_HEADER if c not in keys]
    if missing:
        raise ValueError(f"{name}:{header_line}: the header lacks column(s) {missing}; a decisions file starts "
                         f"with 'id,decision,reason' (and optionally 'stage', 'reviewer'); found {header}")
    if reviewer is not None and "reviewer" not in keys:
        raise ValueError(f"{name}:{header_line}: the file has no 'reviewer' column, so it cannot be read for "
                         f"reviewer {reviewer!r}; leave out reviewer= (the file is one reviewer's)")
    known_ids = set(papers["id"].astype(str)) if papers is not None else None
    moved: list[tuple[str, str, str]] = []  # (decisions by another name of a paper, read as the paper's id now)
    # (the papers by their ids' and other names' normal forms, made when an id is unknown; with their titles,
    # which cost the most to slug, only when that id is a title: one)
    others: dict[bool, IdIndex] = {}
    problems: list[str] = []
    records: list[tuple[str, dict]] = []
    first: dict[tuple, str] = {}
    for line, cells in rows[1:]:
        if not any(c.strip() for c in cells):
            continue
        where = f"{name}:{line}"
        if len(cells) > len(keys):
            problems.append(f"{where}: the row has {len(cells)} fields, the header {len(keys)}; quote a reason "
                            "that holds the delimiter")
            continue
        short = _other_delimiter(cells, len(keys), keys.index("decision"), where)
        if short:
            problems.append(short)
            continue
        row = dict(zip(keys, cells + [""] * (len(keys) - len(cells))))
        row.pop("", None)
        who = row.get("reviewer", "").strip()
        if reviewer is not None and who != reviewer:
            continue
        pid, decision = row.get("id", "").strip(), row.get("decision", "").strip().lower()
        if pid and decision:
            if known_ids is not None and pid not in known_ids:
                titled = pid.lower().startswith("title:")
                if titled not in others:
                    others[titled] = other_ids(papers, titles=titled)
                matched = papers_known_as(others[titled], pid)
                if len(matched) == 1:  # (its id when decided, before it had another, or another of its names)
                    moved.append((f"line {line} {pid!r} as {matched[0]!r}", pid, matched[0]))
                    row["id"] = pid = matched[0]
                else:
                    problems.append(f"{where}: id {pid!r} is not in the papers table" + (
                        _several(pid, matched) if matched else
                        "; correct the id on this line (or load the corpus it was screened in)"))
                    continue
            key = (pid, _normal_stage(row.get("stage", "")) or "title-abstract", who)
            if key in first:
                problems.append(f"{where}: {pid!r} already has a decision{_by(who)} at {first[key]}; delete one of "
                                "the two lines (keep the one you mean)")
                continue
            first[key] = where
        row["line"] = str(line)
        records.append((where, row))
    groups: dict[str, list] = {}
    for where, row in records:
        groups.setdefault(row.get("reviewer", "").strip(), []).append((where, row))
    tables = []
    for group in groups.values():
        found: list[str] = []
        try:
            tables.append(_checked(group, found, name))
        except ValueError:
            problems.extend(found)  # _checked adds its problems to the list it is given
    if problems:  # (the row checks above and the decision checks of each reviewer's rows: in line order)
        _raise(sorted(problems, key=lambda p: _line_of(p, name)), name)
    _warn_moved(name, moved)
    if not tables:
        return pd.DataFrame(columns=["id", "stage", "decision", "reason", "line"], dtype=object)
    table = pd.concat(tables, ignore_index=True)
    table["line"] = table["line"].astype(int)
    return table.sort_values("line", kind="stable").reset_index(drop=True)


def record_decision(
    path: str | os.PathLike,
    paper_id: str,
    decision: str,
    reason: str | None = None,
    *,
    reviewer: str | None = None,
    papers: pd.DataFrame | None = None,
) -> int:
    """Append one decision to the screening file (creating it with a header) and flush it to disk.

    ``decision`` is ``include`` or ``exclude``; an exclusion needs a
    ``reason``.  ``reviewer`` fills the ``reviewer`` column (a new file gets
    one).  Refuses, before writing anything, a decision the file could not be
    read back with: a bad value, an id not in ``papers`` (when given), a paper
    this reviewer has already decided, a file of the kit's own data (its example decisions).  Returns the
    line written.

    Parameters
    ----------
    path : str or path
        The decisions file (created if missing).
    paper_id : str
        The id of the paper decided.
    decision : {"include", "exclude"}
        The decision.
    reason : str, optional
        Why; needed to exclude.
    reviewer : str, optional
        Who decided.
    papers : DataFrame, optional
        The papers screened: an id not among them is refused.

    Returns
    -------
    int
        The number of the line written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "decisions.csv"
    >>> lr.record_decision(path, "a", "include"), lr.record_decision(path, "b", "exclude", "off topic")
    (2, 3)
    >>> path.read_text().splitlines()
    ['id,decision,reason', 'a,include,', 'b,exclude,off topic']
    """
    from litreview.data import is_shipped

    path = Path(path)
    if is_shipped(path):
        raise ValueError(f"{path}: this is one of the kit's own example files, not yours to screen into; record "
                         "into a file of your own (it is created on the first decision)")
    if not isinstance(paper_id, str) or not paper_id.strip():
        raise TypeError(f"paper_id must be a non-empty string, not {paper_id!r}")
    decision_word = decision.strip().lower() if isinstance(decision, str) else decision
    if decision_word not in DECISIONS:
        raise ValueError(f"decision must be one of {', '.join(DECISIONS)}; not {decision!r}")
    reason = (reason or "").strip()
    if decision_word == "exclude" and not reason:
        raise ValueError(f"excluding {paper_id!r} needs a reason (the PRISMA flow counts exclusions by reason)")
    if papers is not None and paper_id not in set(papers["id"].astype(str)):
        known = known_as(other_ids(papers), paper_id)
        raise ValueError(f"{paper_id!r} is not in the papers table; " + (
            f"it is the paper {known!r}: record the decision under that id" if known else
            "record decisions for ids of papers['id']"))
    existing = read_decisions(path, papers)
    header = _header(path)
    if reviewer is not None and header is not None and "reviewer" not in header:
        raise ValueError(f"{path}: the file has no 'reviewer' column; record without reviewer= or start a new file")
    mine = existing if "reviewer" not in existing else existing[existing["reviewer"].fillna("") == (reviewer or "")]
    done = mine[(mine["id"] == paper_id) & (mine["stage"] == "title-abstract")]
    if len(done):
        raise ValueError(f"{path}:{done['line'].iloc[0]}: {paper_id!r} is already decided "
                         f"({done['decision'].iloc[0]}){_by(reviewer or '')}; edit that line to change it")
    if header is None:
        header = LOG_HEADER + (["reviewer"] if reviewer is not None else [])
        _append(path, [header], new=True)
    values = {"id": paper_id, "decision": decision_word, "reason": reason, "reviewer": reviewer or ""}
    line = _lines(path) + 1
    _append(path, [[values.get(column, "") for column in header]])
    return line


def _header(path: Path) -> list[str] | None:
    if not path.exists():
        return None
    text, _ = decode_bytes(path.read_bytes())
    rows = _csv_rows(text) if text.strip() else iter(())
    first = next(rows, None)
    return [c.strip().lower() for c in first[1]] if first else None


def _lines(path: Path) -> int:
    text, _ = decode_bytes(path.read_bytes())
    return len(text.splitlines())


def _append(path: Path, rows: list[list[str]], new: bool = False) -> None:
    """Write ``rows`` at the end of the file and make sure they reach the disk."""
    if not new and path.exists() and path.stat().st_size:
        with open(path, "rb") as handle:
            handle.seek(-1, os.SEEK_END)
            if handle.read(1) not in (b"\n", b"\r"):
                rows = [[]] + rows  # finish a last line saved without its newline first
    with open(path, "a", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        for row in rows:
            if row:
                writer.writerow(row)
            else:
                handle.write("\n")
        handle.flush()
        os.fsync(handle.fileno())


def _several(pid: str, matched: list[str]) -> str:
    """Why an id that names several papers is not read as one of them (which one was screened?)."""
    shown = listed([repr(m) for m in matched])
    have = "have that title" if pid.strip().lower().startswith("title:") else "are known by that id"
    return f", and {len(matched)} papers {have} ({shown}): change the id on this line to the one screened"


def _warn_moved(name: str, moved: list[tuple[str, str, str]]) -> None:
    """Warn about the decisions read as a paper's though keyed by another of its names, naming their lines."""
    titled, named = moved_messages(moved)
    if titled:
        warnings.warn(f"{name}: {len(titled)} decision(s) by a title: id the paper no longer has (a second export "
                      f"or lr.enrich gave it a DOI or arXiv id) read as the paper's: {listed(titled, '; ')}; change "
                      "the ids in the file to keep it current", UserWarning, stacklevel=3)
    if named:
        warnings.warn(f"{name}: {len(named)} decision(s) by another name of the paper ({OTHER_NAMES}) read as the "
                      f"paper's: {listed(named, '; ')}; change the ids in the file to keep it current", UserWarning,
                      stacklevel=3)


def _line_of(problem: str, name: str) -> int:
    """The line a problem names (``file:line: what``)."""
    number = problem[len(name) + 1 :].partition(":")[0]
    return int(number) if number.isdigit() else 0


def _raise(problems: list[str], name: str) -> None:
    if len(problems) == 1:
        raise ValueError(problems[0])
    listed = "\n".join(f"  {p}" for p in problems[:_MAX_LISTED])
    more = len(problems) - _MAX_LISTED
    raise ValueError(f"{name}: {len(problems)} problems in the screening decisions:\n{listed}"
                     + (f"\n  ... and {more} more" if more > 0 else ""))


def _by(reviewer: str) -> str:
    return f" by {reviewer!r}" if reviewer else ""
