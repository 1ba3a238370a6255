"""``load()``: files in, one deduplicated papers table out.

The table carries its load account (the records skipped or read in part, and the records merged):
:func:`load_problems` and :func:`merge_log` give it back, also after ``pd.concat``, a selection,
``DataFrame.merge`` or :func:`litreview.tag`; :mod:`litreview.io.account` says how it is kept.
"""

from __future__ import annotations

import hashlib
import os
import re
import warnings
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Literal

import pandas as pd

from litreview.collector import collector_paused
from litreview.data import corpus_files, data_dir
from litreview.errors import LoadError, LoadWarning, user_stacklevel
from litreview.io.abstracts import drop_placeholders, flag_shared_abstracts
from litreview.io.account import (  # noqa: F401 (lr.* names, kept here too)
    ATTRS_KEY,
    MERGE_COLUMNS,
    PROBLEM_COLUMNS,
    load_problems,
    make_account,
    merge_log,
    store_account,
)
from litreview.io.cache import cache_key, file_digest, read_cached, write_cached
from litreview.io.encoding import decode_bytes, repair_frame_text
from litreview.io.gunzip import damage_problem, gunzip
from litreview.io.merge import MERGE_KEYS, merge_records
from litreview.io.merge_fuzzy import fuzzy_process_ahead
from litreview.io.readers import READERS, Problem, detect_format, is_binary, takes_columns
from litreview.io.readers.base import ReadResult
from litreview.io.readers.columns import ColumnsError
from litreview.io.selection import Selection, as_selection
from litreview.progress import bar
from litreview.schema import to_frame

PathLike = str | os.PathLike
GZIP_MAGIC = b"\x1f\x8b"
SNAPSHOT_PARTS = "updated_date="  # the folders of an OpenAlex snapshot's entity (works/updated_date=2024-01-01/)


def load(
    paths: PathLike | Iterable[PathLike] | None = None,
    *,
    format: str | Mapping[PathLike, str] | None = None,
    errors: Literal["raise", "skip"] = "raise",
    merge: bool = True,
    merge_on: Iterable[str] = MERGE_KEYS,
    keep_apart: Iterable[Sequence[str]] = (),
    columns: Mapping[str, str] | None = None,
    cache: bool = False,
    progress: bool | None = None,
    select: Selection | Mapping | None = None,
) -> pd.DataFrame:
    """Read papers into one table in the schema of :mod:`litreview.schema`.

    Parameters
    ----------
    paths
        Files or folders to read.  ``None`` reads the default corpus (the four
        seed documents in ``data/raw``).
    format
        A reader name for every file (see :func:`formats`), or a mapping from
        path to reader name.  By default each file's format is detected.
    errors
        ``"raise"``: a record that cannot be read raises :class:`LoadError`
        naming the file and line.  ``"skip"``: such records are left out and
        listed in :func:`load_problems`; every readable record is kept.
    merge
        Merge records of the same paper (see :mod:`litreview.io.merge`).
    merge_on
        The keys that make two records one paper, a subset of
        ``("arxiv_id", "doi", "abstract", "title", "fuzzy_title")``; leave one
        out to stop merges made on it.
    keep_apart
        Pairs of records, by ``source`` (``("a.bib:12", "b.ris:40")``), that
        are different papers whatever their keys say: the way to undo one
        merge that :func:`merge_log` shows to be wrong.
    columns
        For tables (CSV, Excel, JSON records, Parquet) whose column names are
        not recognised: a mapping from the file's column names to schema
        fields, such as ``{"Paper Title": "title", "Summary": "abstract"}``.
    cache
        Keep the result in an on-disk cache (:mod:`litreview.io.cache`) and
        reuse it while the input files and these options are unchanged, so a
        notebook re-run does not parse its corpus again.
    progress
        Show a progress bar while reading: ``None`` shows one for inputs over
        50 MB (see :mod:`litreview.progress`), ``True``/``False`` always/never.
    select
        A :class:`~litreview.Selection` (or a dict of its parameters: ``years``, ``topics``,
        ``categories``, ``fields``): only the papers it keeps, with its fields, are read into the table,
        before merging.  Large JSON Lines and OpenAlex snapshot files (gzipped too) are read block by
        block, so memory holds the selected papers only.

    Returns
    -------
    DataFrame
        One row per paper, with the columns of :data:`litreview.COLUMNS`.

    Notes
    -----
    Records that are read only in part are kept, flagged in ``flags`` and
    reported with a :class:`LoadWarning`.  The returned frame carries its load
    account (problems and merge log; see :func:`load_problems` and
    :func:`merge_log`), also written to the account folder of
    :mod:`litreview.io.account` so that ``pd.concat`` and ``merge`` cannot lose it.

    Examples
    --------
    >>> papers = lr.load()                     # the default corpus
    >>> len(papers), papers.columns[:4].tolist()
    (74, ['id', 'title', 'abstract', 'authors'])
    >>> import pathlib, tempfile
    >>> ris = pathlib.Path(tempfile.mkdtemp()) / "mine.ris"
    >>> _ = ris.write_text("TY  - JOUR\\nTI  - LoRA\\nPY  - 2021\\nER  - \\n")
    >>> lr.load(ris)[["title", "year"]].values.tolist()
    [['LoRA', 2021]]
    """
    if errors not in ("raise", "skip"):
        raise ValueError(f"errors must be 'raise' or 'skip', not {errors!r}")
    select = as_selection(dict(select) if isinstance(select, Mapping) else select)
    files = _expand(corpus_files() if paths is None else paths)
    key = None
    if cache:
        # ("account": tables cached before the load account was kept in attrs are not reused;
        # "source": tables cached before records kept key, entry_type and source_fields are not reused;
        # "shared-abstract": nor those cached before that flag was set)
        options = [errors, merge, list(merge_on), [list(p) for p in keep_apart], dict(columns or {}), "account",
                   "source", "shared-abstract"]
        options += [repr(select)] if select is not None else []
        inputs = [(display_path(p), _format_for(p, format), file_digest(p)) for p in files if p.is_file()]
        key = cache_key("load", [inputs, options])
        cached = read_cached(key)
        if cached is not None:
            account = cached.attrs[ATTRS_KEY]
            store_account(account)  # (the account folder may have been cleared since)
            rows = [row for entry in account["files"] for row in entry["problems"]]
            _warn_partial([Problem(f, line, msg, sev) for f, line, sev, msg in rows])
            return cached
    # (a large load that merges on fuzzy titles forks the process that finds them now, while this one is small)
    fuzzy = merge and "fuzzy_title" in merge_on
    with collector_paused(), fuzzy_process_ahead(_input_bytes(files) if fuzzy else 0) as fuzzy_ahead:
        papers = _load_files(files, format, errors, merge, merge_on, keep_apart, columns, progress, select,
                             fuzzy_ahead=fuzzy_ahead)
    if key is not None:
        write_cached(key, papers)
    return papers


def _load_files(
    files, format, errors, merge, merge_on, keep_apart, columns, progress, select=None, formats_out=None, labels=None,
    fuzzy_ahead=None,
) -> pd.DataFrame:
    records: list[dict] = []
    parts: list[pd.DataFrame] = []  # tables in the schema, in file order (records flushed between them)
    record_formats: list[str] = []
    problems: list[Problem] = []
    read: list[tuple[str, str, int]] = []  # (label, digest, records) of each file, for the load account
    sizes = [p.stat().st_size if p.is_file() else 0 for p in files]
    reading = bar(sum(sizes), "reading", progress=progress, min_total=50e6, unit="B")
    macros: dict[str, str] = {}  # @string macros of the BibTeX files read so far, as BibTeX sees them
    defined_in: dict[str, str] = {}  # macro -> the file that defined it, to say which file to list first
    for path, size in zip(files, sizes):
        label = labels[path] if labels else display_path(path)  # (labels: as the Dask client names the files)
        shown = _Shown(reading)
        known = set(macros)
        result, fmt, digest = _read_file(path, label, _format_for(path, format), columns, shown.update, select,
                                         macros=macros)
        defined_in.update((name, label) for name in macros.keys() - known)
        read.append((label, digest, result.count))
        if select is not None and not result.selected and (result.records or result.frame is not None):
            part = _repair_text(to_frame(result.records)) if result.frame is None else result.frame
            result.records, result.frame = [], select.apply(part)
        records.extend(result.records)
        if result.frame is not None:
            if records:
                parts.append(_repair_text(to_frame(records)))
            parts.append(result.frame)  # repaired by the columnar reader
            records = []
        record_formats.extend([fmt] * result.count)
        problems.extend(result.problems)
        # (a selection may rightly leave none; a BibTeX file of @string macros alone is read for its macros)
        if not result.count and not result.problems and select is None and macros.keys() <= known:
            problems.append(Problem(label, None, "the file holds no records", "note", kind="no-records"))
        reading.update(max(size - shown.total, 0))
    reading.close()
    errors_found = [p for p in problems if p.severity == "error"]
    if errors_found and errors == "raise":
        first = errors_found[0]
        more = f" (and {len(errors_found) - 1} more; errors='skip' keeps the readable records)"
        raise LoadError(first.message + (more if len(errors_found) > 1 else ""), file=first.file, line=first.line)
    _warn_partial(problems, defined_in=defined_in)
    if records or not parts:
        parts.append(_repair_text(to_frame(records)))
    del records
    frame = parts[0] if len(parts) == 1 else pd.concat([p for p in parts if len(p)] or parts[:1], ignore_index=True)
    del parts
    frame = drop_placeholders(frame)
    if formats_out is not None:  # (the Dask loader keeps each record's format for its merge)
        formats_out.extend(record_formats)
    if merge:
        papers, log = merge_records(frame, record_formats, merge_on=merge_on, keep_apart=keep_apart, in_schema=True,
                                    fuzzy_ahead=fuzzy_ahead)
        flag_shared_abstracts(papers)  # (papers, not records: unmerged copies of one paper share their abstract)
    else:
        papers = frame
        papers["id"] = papers["id"].fillna("source:" + papers["source"]).astype(object)
        papers["provenance"] = [[s] for s in papers["source"].to_numpy()]  # (numpy hands out the values faster)
        log = pd.DataFrame(columns=MERGE_COLUMNS)
    account = make_account(
        read, [(p.file, p.line, p.severity, p.message) for p in problems], log.itertuples(index=False)
    )
    papers.attrs[ATTRS_KEY] = account  # plain lists and dicts: pandas compares attrs when combining frames
    store_account(account)
    return papers


class _Shown:
    """Bytes of one file reported to the progress bar as it is read (the columnar path reads in blocks)."""

    def __init__(self, reading) -> None:
        self.reading, self.total = reading, 0

    def update(self, n: int) -> None:
        self.total += n
        self.reading.update(n)


def _warn_partial(problems: list[Problem], defined_in: dict[str, str] | None = None) -> None:
    """A LoadWarning per kind of problem per file, pointing at the caller of load(): a problem met once
    is said as it is; one met in many records is one warning with the count and the first places
    (:func:`grouped_warnings`).  The full list stays in :func:`load_problems`."""
    level = user_stacklevel()  # (the user's line, in a notebook cell too: not a frame of the kit or IPython)
    for message in grouped_warnings(problems, defined_in):
        warnings.warn(message, LoadWarning, stacklevel=level)


_QUOTED_OR_NUMBER = re.compile(r"'[^']*'|\"[^\"]*\"|\d+")
_UNDEFINED_MACRO = re.compile(r"undefined @string macro '([^']*)'")
_FIRST_PLACES = 3


def grouped_warnings(problems: list[Problem], defined_in: dict[str, str] | None = None) -> list[str]:
    """The warnings of ``problems`` as messages a person can read: one per file and kind of problem.

    The kind is the reader's (``Problem.kind``), else the message with its quoted parts and numbers
    left out.  A kind met up to three times gives each problem's own message; one met more often gives one message
    with the count and the first :data:`_FIRST_PLACES` places, such as ``x.bib: 184 entries use 17
    undefined @string macros (icml, neurips, iclr, ...): first at x.bib:15, :22, :29; ...``.
    ``defined_in`` maps @string macros to the file of the same load that defined them: a macro used before
    the file that defines it was read is undefined, as in BibTeX, and the message names that file.
    """
    groups: dict[tuple[str, str], list[Problem]] = {}
    for problem in problems:
        if problem.severity != "error":
            kind = problem.kind or _QUOTED_OR_NUMBER.sub("", problem.message)
            groups.setdefault((problem.file, kind), []).append(problem)
    messages: list[str] = []
    # A problem met once in each of several files with the same words (a folder of one source's files, each
    # with the same unread columns) is said once, naming the files.
    alike: dict[str, list[Problem]] = {}
    for group in groups.values():
        if len(group) == 1:
            alike.setdefault(group[0].message, []).append(group[0])
    for (file, _), group in groups.items():
        same = alike.get(group[0].message, []) if len(group) == 1 else []
        if len(same) > 1:
            if same[0] is group[0]:
                messages.append(_files_message(same))
            continue
        # Up to _FIRST_PLACES problems are said one by one: a summary would name them all anyway.
        messages += (list(map(_shortened, map(str, group))) if len(group) <= _FIRST_PLACES
                     else [_group_message(file, group, defined_in or {})])
    return messages


_LONG_WARNING = 400  # characters: a longer list in a warning is cut, the problem itself (lr.load_problems) is not


def _shortened(message: str) -> str:
    """``message`` with a long list in it cut at a comma (its advice after the last ``; `` kept), so a warning
    stays readable under a notebook cell; lr.load_problems keeps it whole."""
    if len(message) <= _LONG_WARNING:
        return message
    body, semicolon, advice = message.rpartition("; ")
    if not semicolon:
        body, advice = message, ""
    cut = body.rfind(", ", 0, _LONG_WARNING // 2)
    if cut < 0:
        return message
    return body[:cut] + ", ... (all of them: lr.load_problems(papers))" + semicolon + advice


def _files_message(same: list[Problem]) -> str:
    """One message for a problem each of several files has once."""
    files = [p.file for p in same]
    more = len(files) - _FIRST_PLACES
    named = ", ".join(files[:_FIRST_PLACES]) + (f" and {more} more" if more > 0 else "")
    return f"{len(files)} files ({named}): {_shortened(same[0].message)}"


def _group_message(file: str, group: list[Problem], defined_in: dict[str, str]) -> str:
    lines = list(dict.fromkeys(p.line for p in group))
    places = [file]
    if lines[0] is not None:
        places = [f"{file}:{lines[0]}"] + [f":{line}" for line in lines[1:_FIRST_PLACES]]
    first = "first at " + ", ".join(places)
    full = "the full list: lr.load_problems(papers)"
    macros = list(dict.fromkeys(m for p in group for m in _UNDEFINED_MACRO.findall(p.message)))
    if macros:
        shown = ", ".join(macros[:3]) + (", ..." if len(macros) > 3 else "")
        plural = "s" if len(macros) > 1 else ""
        later = list(dict.fromkeys(defined_in[m] for m in macros if m in defined_in))
        fix = ("load the file that defines them (@string) before this one, in the same lr.load call" if not later
               else f"{' and '.join(later)}, read after this file, define{'s' if len(later) == 1 else ''} "
                    f"{sum(m in defined_in for m in macros)} of them: list {'it' if len(later) == 1 else 'them'} "
                    "first in the list given to lr.load (a folder is read in name order), as BibTeX reads its "
                    "files in order")
        return (f"{file}: {len(lines)} entries use {len(macros)} undefined @string macro{plural} ({shown}): "
                f"{first}; {fix}; {full}")
    return f"{file}: {len(group)} warnings like {group[0].message!r}: {first}; {full}"


def formats() -> list[str]:
    """Names of the available readers, for ``load(format=...)``.

    Returns
    -------
    list of str
        The reader names, each a valid ``format=`` of :func:`load`.

    Examples
    --------
    >>> {"bibtex", "ris", "csv", "openalex", "wos"} <= set(lr.formats())
    True
    """
    return list(READERS)


def display_path(path: Path) -> str:
    """How a file is named in ``source``: relative to the project or working folder.

    Keeping machine-specific prefixes out makes outputs the same on every machine.
    """
    resolved = path.resolve()
    bases = [(Path.cwd(), "")]
    try:
        bases.insert(0, (data_dir(), "data"))
    except FileNotFoundError:
        pass  # no bundled data folder: name the user's files relative to the working folder
    for base, prefix in bases:
        try:
            rel = resolved.relative_to(base.resolve())
        except ValueError:
            continue
        return "/".join(filter(None, (prefix, rel.as_posix())))
    return str(path)


def _input_bytes(files: list[Path]) -> int:
    return sum(path.stat().st_size for path in files if path.is_file())


def _expand(paths: PathLike | Iterable[PathLike], must_exist: bool = False) -> list[Path]:
    """The files of ``paths`` (a folder gives its files); ``must_exist``: a missing one is an error now (the Dask
    loader's check on the client, before its workers are asked to read it)."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    out: list[Path] = []
    folders = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(_folder_files(p))
            folders.append(p)
        else:
            out.append(p)
    if not out:
        raise LoadError("the folder holds no files", file=display_path(folders[0])) if folders else LoadError(
            "no input files given")
    missing = [p for p in out if must_exist and not p.exists()]
    if missing:
        label = display_path(missing[0])
        raise LoadError("no such file" + _list_as_text_hint(label), file=label)
    return out


def _folder_files(folder: Path) -> list[Path]:
    """A folder's visible files, sorted; an OpenAlex snapshot folder (``works/``) gives the parts in its
    ``updated_date=*`` folders instead (its ``manifest`` lists them and is not read)."""
    parts = sorted(d for d in folder.iterdir() if d.is_dir() and d.name.startswith(SNAPSHOT_PARTS))
    files = sorted(f for f in folder.iterdir() if f.is_file() and not f.name.startswith("."))
    if parts:
        files = [f for f in files if f.name != "manifest"]
        files += [f for d in parts for f in sorted(d.iterdir()) if f.is_file() and not f.name.startswith(".")]
    return files


def _format_for(path: Path, format: str | Mapping | None) -> str | None:
    if isinstance(format, Mapping):
        lookup = {Path(k).resolve(): v for k, v in format.items()}
        format = lookup.get(path.resolve())
    if format is not None and format not in READERS:
        raise ValueError(f"unknown format {format!r}; choose one of {sorted(READERS)}")
    return format


# Table-shaped files (JSON Lines, CSV/TSV, Parquet, the arXiv snapshot) go the columnar way (litreview.io.columnar),
# which gives the record path's result faster; False reads every file record by record (the equivalence tests'
# reference).
COLUMNAR = True


def _list_as_text_hint(name: str) -> str:
    """What to do when a missing file's name is a list written as one string (papermill's ``-p`` passes text)."""
    name = name.strip()
    if any(c in name for c in "*?") or ("[" in name and not name.startswith("[")):
        return "; a pattern such as *.gz is not expanded: give the folder, or a list of its files"
    if not (name.startswith("[") and name.endswith("]")):
        return ""
    return ("; this is a list of files written as one string: pass a list, or with papermill give it as YAML, "
            "-y 'corpus: [a.bib, b.ris]' (-p passes text)")


def _read_file(
    path: Path, label: str, fmt: str | None, columns: Mapping[str, str] | None, on_bytes=None, select=None,
    macros=None,
):
    """Read one file with the named reader, or the one that recognises it."""
    if COLUMNAR and (columns is None or isinstance(columns, Mapping)):
        from litreview.io.columnar.route import read_file

        try:
            routed = read_file(path, label, fmt, columns, on_bytes, select)
        except ColumnsError:
            raise  # the caller's columns= is wrong, as on the record path
        if routed is not None:
            return routed
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise LoadError("no such file" + _list_as_text_hint(label), file=label) from None
    except IsADirectoryError:
        raise LoadError("is a folder, not a file", file=label) from None
    digest = hashlib.sha256(raw).hexdigest()  # as io.cache.file_digest gives it
    suffix = path.suffix
    damaged = None
    if raw.startswith(GZIP_MAGIC):  # a gzipped file of any format: read what it holds, up to any damage
        raw, gzipped = gunzip(raw)
        damaged = damage_problem(label, gzipped) if gzipped.damage is not None else None
        if damaged is not None and not raw.strip():  # nothing readable before the damage
            return ReadResult(problems=[damaged]), fmt or "gzip", digest
        suffix = path.with_suffix("").suffix
    if fmt is None:
        fmt = detect_format(raw, suffix)
    text = None
    if fmt is None or not is_binary(READERS[fmt]):
        text = decode_text(raw)
        fmt = fmt or detect_format(text, suffix)
    if fmt is None:
        raise LoadError(
            f"cannot tell the format of this file; pass format= one of {sorted(READERS)}",
            file=label,
        )
    reader = READERS[fmt]
    options = {}
    if columns:
        if not takes_columns(reader):
            raise ValueError(f"columns= applies to tables, but {label} is read as {fmt!r}")
        options["columns"] = dict(columns)
    if fmt == "bibtex" and macros is not None:
        options["macros"] = macros
    try:
        result = reader.read(raw if text is None else text, label, **options)
        result.problems += [damaged] if damaged is not None else []
        return result, fmt, digest
    except ColumnsError:
        raise  # the caller's columns= is wrong: a ValueError naming the column, as documented
    except Exception as err:  # noqa: BLE001 - the one safety net: readers report problems, they should not raise
        # A reader that raises has a bug; the user still learns which file set it off.  The fuzz tests call
        # the readers directly, so such a bug fails them rather than hiding here.
        raise LoadError(f"the {fmt} reader failed on this file ({type(err).__name__}: {err})", file=label) from err


def decode_text(raw: bytes) -> str:
    """A file's bytes as text with ``\\n`` line ends, whatever its encoding."""
    text, _encoding = decode_bytes(raw)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _repair_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Repair mojibake in the text fields; flag what was repaired or damaged."""
    return repair_frame_text(frame)
