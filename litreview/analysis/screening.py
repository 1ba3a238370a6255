"""Screening for a systematic review: decisions in a sidecar CSV, and the PRISMA flow of counts.

The decisions live beside the corpus in a CSV file that a reviewer fills in a
spreadsheet (start from :func:`screening_template`)::

    id,stage,decision,reason
    arxiv:2106.09685,title-abstract,include,
    arxiv:2302.00482,title-abstract,exclude,not about language models
    arxiv:2106.09685,full-text,include,

``id``
    The paper's id in the papers table (``lr.load()["id"]``).
``decision``
    ``include`` or ``exclude`` (any case).  A row with no decision is a paper
    not screened yet (a template row not filled in) and is left out.
``reason``
    Free text; required for ``exclude`` (the PRISMA flow counts exclusions by
    reason, so write the same reason the same way), optional for ``include``.
``stage`` (optional column)
    ``title-abstract`` (the default, for a blank cell or a file without the
    column) or ``full-text``.  PRISMA reports the two screening stages apart:
    records screened on title and abstract, then full texts assessed for
    eligibility.  A review that screens once needs no ``stage`` column.  A
    ``full-text`` row implies the paper passed title-and-abstract screening;
    a paper excluded on title and abstract cannot also have a full-text row.

Other columns (a title, a year, notes) are kept as text.  The file may be
comma-, semicolon- or tab-separated and in any encoding
:func:`litreview.io.encoding.decode_bytes` recognises, as spreadsheets save them.
A paper has at most one decision per stage: a row repeating an earlier one
word for word is dropped, a conflicting one is an error naming both lines.
Every problem in the file is reported at once, each as ``file:line: what``.

:func:`prisma_flow` turns the papers table and the decisions into the counts
of a PRISMA 2020 flow diagram; :func:`litreview.analysis.prisma_diagram.plot_prisma_flow` draws it.
"""

from __future__ import annotations

import csv
import io
import os
import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from litreview.analysis.screened_ids import report_unknown, resolve_ids, retracted_ids
from litreview.io.account import MissingAccountError, load_problems
from litreview.io.encoding import decode_bytes
from litreview.schema import display_titles
from litreview.validation import check_frame

DECISIONS = ("include", "exclude")
STAGES = ("title-abstract", "full-text")
SCREENING_COLUMNS = ["id", "stage", "decision", "reason"]
TEMPLATE_COLUMNS = ["id", "title", "year", "decision", "reason"]
FLOW_COLUMNS = ["stage", "label", "count", "kind"]
FLOW_KINDS = ("flow", "source", "aside", "reason")
STOPPED = "not screened: stopping rule met"  # the papers left when screening stopped by the rule
RETRACTED = "retracted, removed before screening"  # papers flagged retracted that have no decision

_REQUIRED = ("id", "decision", "reason")
_DELIMITERS = (",", ";", "\t")
_MAX_LISTED = 20  # problems listed in one error message

# -- the sidecar file --------------------------------------------------------------------------------------------------


def load_screening(path: str | os.PathLike) -> pd.DataFrame:
    """Read and check a screening decisions CSV (see the module docstring for the layout).

    Returns one row per paper and stage, sorted by ``id`` and stage
    (``title-abstract`` first): ``id``, ``stage``, ``decision``, ``reason``
    (``None`` when blank), then any other columns of the file, as text.
    Raises ``ValueError`` listing every problem as ``file:line: what``.

    Examples
    --------
    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "decisions.csv")
    >>> lr.save_screening(pd.DataFrame({"id": ["a", "b"], "decision": ["include", "exclude"],
    ...                                 "reason": ["", "off topic"]}), path)
    >>> lr.load_screening(path).values.tolist()
    [['a', 'title-abstract', 'include', None], ['b', 'title-abstract', 'exclude', 'off topic']]
    """
    return _load_screening(path)


def _load_screening(path: str | os.PathLike, in_order: bool = False) -> pd.DataFrame:
    """:func:`load_screening`; ``in_order``: the rows in the order of the file (each paper and stage where its
    first decision is), not sorted by id."""
    path = Path(path)
    name = str(path)
    text, _ = decode_bytes(path.read_bytes())
    if not text.strip():
        raise ValueError(
            f"{name}: the screening file is empty; expected a header line 'id,decision,reason' "
            "and one row per screened paper (lr.screening_template(papers) gives a start)"
        )
    rows = list(_csv_rows(text))
    header_line, header = rows[0]
    columns = [c.strip() for c in header]
    keys = [c.lower() for c in columns]
    missing = [c for c in _REQUIRED if c not in keys]
    if missing:
        raise ValueError(
            f"{name}:{header_line}: the header lacks column(s) {missing}; expected 'id,decision,reason' "
            f"(and optionally 'stage'), found {columns}"
        )
    twice = sorted({k for k in keys if keys.count(k) > 1 and k in (*_REQUIRED, "stage")})
    if twice:
        raise ValueError(f"{name}:{header_line}: column(s) {twice} appear more than once in the header")
    problems: list[str] = []
    records: list[tuple[str, dict]] = []
    for line, cells in rows[1:]:
        if not any(c.strip() for c in cells):
            continue  # a blank line, or a row of empty cells a spreadsheet left behind
        if len(cells) > len(columns):
            problems.append(f"{name}:{line}: the row has {len(cells)} fields, the header {len(columns)}")
            continue
        short = _other_delimiter(cells, len(columns), keys.index("decision"), f"{name}:{line}")
        if short:
            problems.append(short)
            continue
        cells = cells + [""] * (len(columns) - len(cells))
        values = {}
        for key, column, cell in zip(keys, columns, cells):
            if column:  # a column without a name (a trailing delimiter) holds nothing to keep
                values[key if key in (*_REQUIRED, "stage") else column] = cell
        records.append((f"{name}:{line}", values))
    _one_reviewer(records, f"{name}:{header_line}: the file")
    return _checked(records, problems, name, in_order)


def save_screening(decisions: pd.DataFrame, path: str | os.PathLike) -> None:
    """Write a decisions table (from :func:`load_screening`, or a filled-in
    :func:`screening_template`) as a screening CSV that :func:`load_screening` reads back.

    The table is checked as a file would be (problems name its rows).  Columns
    are written as ``id``, ``stage`` (when the table has one), ``decision``,
    ``reason``, then the others, in the table's row order; rows without a
    decision are written too (a template keeps its unscreened papers).  The
    file is UTF-8 with a byte-order mark, so Excel shows accented titles right.

    Examples
    --------
    See :func:`load_screening` for an example that writes a file and reads it back.

    >>> lr.save_screening(pd.DataFrame({"id": ["a"], "decision": ["maybe"], "reason": [""]}), "never-written.csv")
    Traceback (most recent call last):
    ...
    ValueError: decisions row 0: decision 'maybe' for 'a' is not one of: include, exclude
    """
    _check_frame(decisions, "decisions")
    records = [(f"decisions row {i}", row) for i, row in zip(decisions.index, _frame_records(decisions))]
    _checked(records, [], "decisions")  # raises on any problem; the table itself is written as given
    main = [c for c in SCREENING_COLUMNS if c in decisions.columns]
    columns = main + [c for c in decisions.columns if c not in main]
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        for row in decisions[columns].itertuples(index=False):
            writer.writerow([_cell(v) for v in row])


def screening_template(papers: pd.DataFrame) -> pd.DataFrame:
    """The papers to screen, one row each, ready to fill in a spreadsheet and save.

    Columns ``id``, ``title`` (:func:`litreview.schema.display_titles`, so an
    untitled paper shows its arXiv id and opening words), ``year``, and empty
    ``decision`` and ``reason``; rows in the order of ``papers``.  Save it with
    :func:`save_screening`; add a ``stage`` column for a two-stage review.

    Examples
    --------
    >>> lr.screening_template(lr.load()).columns.tolist()
    ['id', 'title', 'year', 'decision', 'reason']
    """
    _check_frame(papers, "papers", ("id",))
    return pd.DataFrame(
        {
            "id": papers["id"].to_numpy(dtype=object),
            "title": display_titles(papers).to_numpy(dtype=object),
            "year": papers["year"].astype("Int64").to_numpy() if "year" in papers else pd.NA,
            "decision": "",
            "reason": "",
        },
        columns=TEMPLATE_COLUMNS,
    ).astype({"year": "Int64"})


def _csv_rows(text: str) -> Iterable[tuple[int, list[str]]]:
    """``(line where the row starts, cells)`` for every row, the delimiter told from the header."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = ","
    for candidate in _DELIMITERS:
        names = {c.strip().lower() for c in next(csv.reader([first], delimiter=candidate), [])}
        if {"id", "decision"} <= names:
            delimiter = candidate
            break
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    end = 0
    for cells in reader:
        start, end = end + 1, reader.line_num
        if cells:
            yield start, cells


def _other_delimiter(cells: list[str], width: int, decision_at: int, where: str) -> str | None:
    """The problem of a row too short to reach the decision column (``decision_at``) that holds another
    delimiter (``a;include;`` in a comma file): its decision would read as blank, "not screened yet", and be
    lost without a word.  (A row that only leaves out a trailing column may hold any character.)"""
    if len(cells) > decision_at:
        return None
    other = next((d for d in _DELIMITERS if d in "".join(cells)), None)
    if other is None:
        return None
    return (f"{where}: the row has {len(cells)} field(s), the header {width}: it seems written with another "
            f"delimiter ({other!r}); write it as the header is")


def _one_reviewer(records: list[tuple[str, dict]], what: str) -> None:
    """Refuse the decisions of several reviewers (a ``reviewer`` column with two names or more): a flow counts one
    decision per paper, which only their resolution gives (a paper one reviewer decided is not screened yet)."""
    names = sorted({_text(v) for _, row in records for k, v in row.items() if str(k).lower() == "reviewer"} - {""})
    if len(names) < 2:
        return
    shown = ", ".join(repr(n) for n in names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
    raise ValueError(
        f"{what} holds the decisions of {len(names)} reviewers ({shown}), and the flow counts one decision per "
        "paper: resolve them first, reviewers = lr.decisions_by_reviewer(lr.read_decisions(path)); "
        f"lr.save_screening(lr.resolve_screening(reviewers[{names[0]!r}], reviewers[{names[1]!r}]), 'resolved.csv'), "
        "and use the resolved file"
    )


def _normal_stage(value: str) -> str:
    """``Full text``, ``full_text``, ``Title/Abstract`` -> the spelling of :data:`STAGES`."""
    words = value.strip().lower().replace("/", "-").replace("_", "-").split()
    return "-".join(words)


def _checked(records: list[tuple[str, dict]], problems: list[str], name: str, in_order: bool = False
             ) -> pd.DataFrame:
    """The decisions of ``records`` (``(where, row)``) as the tidy table, sorted by id and stage (``in_order``: in
    the order of ``records``); raise on any problem."""
    extras = list(dict.fromkeys(k for _, row in records for k in row if k not in SCREENING_COLUMNS))
    kept: dict[tuple[str, str], tuple[str, dict]] = {}
    for where, row in records:
        pid = _text(row.get("id"))
        decision = _text(row.get("decision")).lower()
        reason = _text(row.get("reason"))
        stage = _normal_stage(_text(row.get("stage"))) or STAGES[0]
        if not pid:
            problems.append(f"{where}: the row has no id")
            continue
        if not decision:
            if reason:
                problems.append(f"{where}: {pid!r} has a reason but no decision; write include or exclude")
            continue  # not screened yet
        if decision not in DECISIONS:
            problems.append(f"{where}: decision {decision!r} for {pid!r} is not one of: {', '.join(DECISIONS)}")
            continue
        if stage not in STAGES:
            problems.append(f"{where}: stage {stage!r} for {pid!r} is not one of: {', '.join(STAGES)}")
            continue
        if decision == "exclude" and not reason:
            problems.append(f"{where}: {pid!r} is excluded without a reason; say why in the reason column")
            continue
        clean = {"id": pid, "stage": stage, "decision": decision, "reason": reason or None}
        clean.update({k: _text(row.get(k)) or None for k in extras})
        earlier = kept.get((pid, stage))
        if earlier is None:
            kept[(pid, stage)] = (where, clean)
        elif (earlier[1]["decision"], earlier[1]["reason"]) != (decision, clean["reason"]):
            before = _said(earlier[1])
            problems.append(
                f"{where}: {pid!r} has a second {stage} decision, {_said(clean)}, unlike {before} at {earlier[0]}"
            )
    for (pid, stage), (where, _row) in kept.items():
        screened = kept.get((pid, STAGES[0]))
        if stage == "full-text" and screened is not None and screened[1]["decision"] == "exclude":
            problems.append(
                f"{where}: {pid!r} has a full-text decision but was excluded on title and abstract at {screened[0]}"
            )
    if problems:
        listed = problems[:_MAX_LISTED]
        more = len(problems) - len(listed)
        if len(problems) == 1:
            raise ValueError(problems[0])
        lines = "\n".join(f"  {p}" for p in listed) + (f"\n  ... and {more} more" if more else "")
        raise ValueError(f"{name}: {len(problems)} problems in the screening decisions:\n{lines}")
    rank = {s: i for i, s in enumerate(STAGES)}
    rows = [row for _, row in (kept.values() if in_order else
                               sorted(kept.values(), key=lambda item: (item[1]["id"], rank[item[1]["stage"]])))]
    return pd.DataFrame(rows, columns=SCREENING_COLUMNS + extras, dtype=object)


def _said(row: dict) -> str:
    return row["decision"] + (f" ({row['reason']!r})" if row["reason"] else "")


def _text(value) -> str:
    return _cell(value).strip()


def _cell(value) -> str:
    """A table cell as text: missing values (None, NaN, <NA>) are empty."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    return str(value)


def _frame_records(frame: pd.DataFrame) -> list[dict]:
    renamed = {c: c.lower() for c in frame.columns if isinstance(c, str) and c.lower() in (*_REQUIRED, "stage")}
    return frame.rename(columns=renamed).to_dict("records")


def _check_frame(frame, name: str, required: Iterable[str] = _REQUIRED) -> None:
    check_frame(frame, name)
    present = {c.lower() if isinstance(c, str) else c for c in frame.columns}
    missing = [c for c in required if c not in present]
    if missing:
        raise ValueError(f"{name} lacks column(s) {missing}; it has {list(frame.columns)}")


# -- the PRISMA flow ---------------------------------------------------------------------------------------------------


def prisma_flow(
    papers: pd.DataFrame,
    decisions: pd.DataFrame | str | os.PathLike,
    *,
    problems: pd.DataFrame | None = None,
    unknown_ids: Literal["warn", "raise", "ignore"] = "warn",
    stopped: bool = False,
) -> pd.DataFrame:
    """The counts of a PRISMA 2020 flow diagram, from the loading pipeline and the screening decisions.

    ``papers`` is the table :func:`litreview.load` returned (it carries the
    records read, in ``provenance``, and the records skipped, in
    :func:`litreview.load_problems`), or what pandas made of it (a selection,
    ``pd.concat`` of loads, a ``merge``, a tagged table); ``decisions`` a table
    from :func:`load_screening` or the path of a screening CSV.  A selection of
    the table's rows counts the records of the selected papers only (but
    every skipped record, which belongs to no paper).

    ``problems`` is the table of load problems to count the unreadable
    records from, by default ``lr.load_problems(papers)``.  When the table's
    load account cannot be found (see :mod:`litreview.io.account`: a table
    made by hand, or input files moved since), the flow is not guessed: it
    raises a ``ValueError`` asking for ``problems=`` (an empty
    ``lr.load_problems`` table when nothing was skipped).

    Returns ``stage`` (the PRISMA section: ``identification``, ``screening``,
    ``included``), ``label``, ``count`` and ``kind``, in the diagram's order:

    - ``flow``: a box of the main column.  Each equals the one before minus
      the ``aside`` rows between them: records identified, papers after
      duplicates removed, papers screened, (full texts assessed,) papers
      included.
    - ``source``: records identified per input file (``label`` is the file).
      A file's records are those read (each ``file:line`` in ``provenance``)
      plus those skipped as unreadable (each ``error`` load problem counts as
      one record, a file that could not be read at all included).
    - ``aside``: records leaving the flow: duplicates removed (records read
      minus papers), unreadable records skipped, papers flagged ``retracted``
      that have no decision (``retracted, removed before screening``, when
      there are any: PRISMA 2020's records removed before screening for other
      reasons), not yet screened, excluded on title and abstract, and, once
      any paper has a full-text decision, awaiting full-text assessment and
      excluded on full text.  A retracted paper screened all the same counts
      where its decisions put it; one included is warned about.
    - ``reason``: the exclusions of the ``aside`` row above, per reason.

    Without full-text decisions the review is taken to screen once: a paper
    included on title and abstract is included.  Sources and reasons are
    sorted by count (largest first), then by name.

    A decision by an id that names exactly one paper another way (a ``title:``
    id its title gives, from before another export or :func:`litreview.enrich`
    gave it a DOI or arXiv id; its PMID, DOI or other id; ``PMID: 123``) counts
    as that paper's, with a warning.  Others for ids not in ``papers`` are left
    out of the counts, by default with a warning naming them.  ``unknown_ids=
    "raise"`` makes them an error, ``"ignore"`` drops them silently (and says nothing of the others).

    ``stopped=True`` says that screening on title and abstract ended when the
    stopping rule allowed it (:func:`litreview.stopping_test`: 95% recall at
    95% confidence, the papers screened most likely relevant first).  The
    papers left are then reported as ``not screened: stopping rule met``, as
    PRISMA 2020 asks of a review that stops early, not as still to screen.
    The rule is checked on the title-and-abstract decisions in the order
    screened (a decisions file's line order; a table's ``line`` column, as
    :func:`litreview.read_decisions` gives it, else its row order): a
    ``ValueError`` says so when it does not allow stopping.

    Examples
    --------
    >>> decisions = pd.DataFrame({"id": [lr.load()["id"][0]], "decision": ["exclude"], "reason": ["off topic"]})
    >>> flow = lr.prisma_flow(lr.load(), decisions).set_index("label")["count"]
    >>> flow[["records identified", "papers screened", "excluded on title and abstract", "papers included"]].tolist()
    [74, 1, 1, 0]
    """
    _check_frame(papers, "papers", ("id", "provenance"))
    if unknown_ids not in ("warn", "raise", "ignore"):
        raise ValueError(f"unknown_ids must be 'warn', 'raise' or 'ignore', not {unknown_ids!r}")
    if not isinstance(stopped, (bool, np.bool_)):
        raise TypeError(f"stopped must be True or False, not {stopped!r}")
    in_order = None  # (the decisions in the order screened, for the stopping rule)
    if isinstance(decisions, (str, os.PathLike)):
        in_order = _load_screening(decisions, in_order=True) if stopped else None
        decisions = load_screening(decisions)
    else:
        _check_frame(decisions, "decisions")
        records = [(f"decisions row {i}", row) for i, row in zip(decisions.index, _frame_records(decisions))]
        _one_reviewer(records, "decisions")
        if stopped:  # (checked as the flow's decisions are: ids stripped, decisions lower-cased)
            lines = pd.to_numeric(decisions["line"], errors="coerce") if "line" in decisions.columns else None
            ordered = records if lines is None else [records[i] for i in lines.to_numpy().argsort(kind="stable")]
            in_order = _checked(ordered, [], "decisions", in_order=True)
        decisions = _checked(records, [], "decisions")
    no_provenance = int((papers["provenance"].map(len) == 0).sum())
    if no_provenance:
        raise ValueError(
            f"{no_provenance} paper(s) have an empty provenance; prisma_flow counts the records read from it, "
            "so pass the table lr.load returned (or a selection of its rows)"
        )
    decisions, moved = resolve_ids(decisions, papers)  # (a title: id the paper had when decided, its PMID...)
    known = decisions["id"].isin(set(papers["id"]))
    report_unknown(decisions.loc[~known, "id"].drop_duplicates().tolist(), unknown_ids, moved)
    decisions = decisions[known]

    sources = papers["provenance"].explode().astype(str).str.rsplit(":", n=1).str[0]
    skipped = _problems_of(papers) if problems is None else problems
    _check_frame(skipped, "problems", ("file", "severity"))
    skipped = skipped.loc[skipped["severity"] == "error", "file"].astype(str)
    identified = pd.concat([sources, skipped]).value_counts()
    identified = sorted(identified.items(), key=lambda item: (-item[1], item[0]))
    read = len(sources)

    title_abstract = decisions[decisions["stage"] == STAGES[0]]
    full_text = decisions[decisions["stage"] == STAGES[1]]
    screened = decisions["id"].nunique()
    excluded_ta = title_abstract[title_abstract["decision"] == "exclude"]
    rows = [("identification", "records identified", read + len(skipped), "flow")]
    rows += [("identification", file, count, "source") for file, count in identified]
    left = STOPPED if stopped else "not yet screened"
    retracted = retracted_ids(papers)
    removed = len(retracted - set(decisions["id"]))  # (a retracted paper screened all the same counts as screened)
    if stopped:
        in_order = resolve_ids(in_order, papers)[0]
        _check_stopped(in_order[in_order["id"].isin(set(papers["id"]))], len(papers) - removed)
    rows += [
        ("identification", "duplicates removed", read - len(papers), "aside"),
        ("identification", "unreadable records skipped", len(skipped), "aside"),
        ("screening", "papers after duplicates removed", len(papers), "flow"),
    ]
    rows += [("screening", RETRACTED, removed, "aside")] if removed else []
    rows += [
        ("screening", left, len(papers) - removed - screened, "aside"),
        ("screening", "papers screened", screened, "flow"),
        ("screening", "excluded on title and abstract", len(excluded_ta), "aside"),
    ]
    rows += _reasons(excluded_ta)
    if len(full_text):
        awaiting = screened - len(excluded_ta) - len(full_text)
        excluded_ft = full_text[full_text["decision"] == "exclude"]
        rows += [
            ("screening", "awaiting full-text assessment", awaiting, "aside"),
            ("screening", "full texts assessed", len(full_text), "flow"),
            ("screening", "excluded on full text", len(excluded_ft), "aside"),
        ]
        rows += _reasons(excluded_ft)
        included = len(full_text) - len(excluded_ft)
        kept = full_text.loc[full_text["decision"] == "include", "id"]
    else:
        included = screened - len(excluded_ta)
        kept = decisions.loc[~decisions["id"].isin(set(excluded_ta["id"])), "id"]
    _warn_retracted(sorted(retracted & set(kept)))
    rows.append(("included", "papers included", included, "flow"))
    flow = pd.DataFrame(rows, columns=FLOW_COLUMNS)
    flow["count"] = flow["count"].astype(int)
    return flow


def title_abstract_decisions(decisions: pd.DataFrame, papers: pd.DataFrame | None = None) -> pd.DataFrame:
    """The rows of ``decisions`` on title and abstract, in their order, ``decision`` lower-cased; a paper decided
    on its full text alone passed that stage, so it counts there as included (as :func:`prisma_flow` counts it),
    where its full-text decision is.  What the ranking learns from and the stopping rule tests.  With ``papers``,
    a ``title:`` id a paper had when decided, or another of its names (its PMID, DOI), is read as the paper's first
    (:func:`resolve_ids`, as the flow reads it), so its decisions at the two stages by two names are one paper's."""
    said = decisions["decision"].astype(object).map(_text).str.lower()  # (object: an empty column is no float)
    stage = (decisions["stage"].astype(object).map(_text).map(_normal_stage).replace("", STAGES[0])
             if "stage" in decisions.columns else pd.Series(STAGES[0], index=decisions.index, dtype=object))
    if papers is not None:  # (the decided rows, their stages spelled alike: as the flow resolves its checked rows)
        decided = said != ""
        decisions = resolve_ids(decisions[decided].assign(stage=stage[decided]), papers)[0]
        said, stage = said[decided], stage[decided]
    first = (stage == STAGES[0]) & (said != "")
    implied = (stage == STAGES[1]) & (said != "") & ~decisions["id"].isin(set(decisions.loc[first, "id"]))
    implied &= ~decisions["id"].where(implied).duplicated()  # (a paper's first full-text decision)
    kept = first | implied
    return decisions[kept].assign(stage=STAGES[0], decision=said[kept].where(first[kept], "include"))


def _check_stopped(decisions: pd.DataFrame, papers: int) -> None:
    """Raise unless the stopping rule allows stopping after ``decisions`` (in the order screened)."""
    from litreview.analysis.stopping import p_text, stopping_p_values

    first = title_abstract_decisions(decisions).drop_duplicates("id")
    labels = (first["decision"] == "include").astype(int).to_numpy()
    p = float(stopping_p_values(labels, papers)[-1]) if len(labels) else 1.0
    if p >= 0.05:
        raise ValueError(
            f"stopped=True, but the stopping rule does not allow stopping after these {len(labels)} title-and-"
            f"abstract decisions of {papers} papers (p = {p_text(p)}; it must be below 0.05, the decisions "
            "taken in the order screened): report the papers left as not yet screened (stopped=False), or "
            "screen on"
        )


def _problems_of(papers: pd.DataFrame) -> pd.DataFrame:
    try:
        return load_problems(papers)
    except MissingAccountError as missing:
        raise ValueError(
            f"prisma_flow cannot count the unreadable records: {missing}. Pass the table lr.load returned (or "
            "a selection of it), or the load problems explicitly: prisma_flow(papers, decisions, "
            "problems=lr.load_problems(loaded)) (pd.concat the problem tables of several loads; a table with "
            "columns file, line, severity, message and no rows when nothing was skipped)"
        ) from None


def _warn_retracted(ids: list[str]) -> None:
    if ids:
        shown = ", ".join(repr(i) for i in ids[:5]) + (f" and {len(ids) - 5} more" if len(ids) > 5 else "")
        warnings.warn(f"{len(ids)} paper(s) included are flagged retracted: {shown}; exclude them (reason: "
                      "retracted) unless the review means to keep them", UserWarning, stacklevel=3)


def _reasons(excluded: pd.DataFrame) -> list[tuple[str, str, int, str]]:
    counts = sorted(excluded["reason"].value_counts().items(), key=lambda item: (-item[1], item[0]))
    return [("screening", reason, int(n), "reason") for reason, n in counts]
