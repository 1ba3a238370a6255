"""Hand-label files: read and check them, and the label sets shipped in ``data/`` to fit the default tagger on.

Two layouts are read: the seed corpus's ``data/labels.csv`` (``id``, ``topics``
separated by spaces, ...) and ``data/labels/*.csv`` (``key``, ``topics``
separated by ``;``, ``sure``).  A paper with no topic says ``none``.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pandas as pd

from litreview.tagging.taxonomy import Taxonomy

SOURCES = {
    "seed": ["labels.csv"],
    "colm2024": ["labels/colm2024_dev.csv", "labels/colm2024_rest.csv"],
    "prompt_report": ["labels/prompt_report_dev.csv", "labels/prompt_report_team.csv"],
}
# Labels the team made to fit on, never to measure on (data/labels/README.md says how they were made): every
# quality figure stays on the shared hand labels.  A file listed here may be absent.
FIT_ONLY = {"labels/prompt_report_team.csv"}
LABEL_COLUMNS = ["id", "topics", "sure", "measured", "source", "file", "line"]
_YES, _NO = frozenset({"1", "1.0", "true", "yes"}), frozenset({"0", "0.0", "false", "no"})


class LabelsError(ValueError):
    """A labels file that cannot be used: names the file, the line and the fix."""


def read_labels(path: str | Path, taxonomy: Taxonomy, source: str | None = None) -> pd.DataFrame:
    """One labels file as a table: ``id``, ``topics`` (a list of slugs), ``sure``, ``measured``, ``source``,
    ``file``, ``line``."""
    path = Path(path)
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    except FileNotFoundError:
        raise LabelsError(f"{path}: no such labels file") from None
    keyed = "key" in raw.columns and "id" not in raw.columns
    raw = raw.rename(columns={"key": "id"})
    if not {"id", "topics"} <= set(raw.columns):
        raise LabelsError(f"{path}: needs the columns 'id' (or 'key') and 'topics'; it has {list(raw.columns)}")
    raw["file"] = path.name
    raw["line"] = range(2, len(raw) + 2)  # the header is line 1
    return check_labels(raw, taxonomy, source or path.stem, empty_is_none=keyed)


def check_labels(
    raw: pd.DataFrame, taxonomy: Taxonomy | None, source: str = "labels", *, empty_is_none: bool = False
) -> pd.DataFrame:
    """Validate a labels table (``id``, ``topics`` as text or lists); one :class:`LabelsError` lists all problems.
    With ``taxonomy`` None the slugs are not checked, and kept in the order written.  An empty topics
    cell is an error (``none`` says no topic), but where ``empty_is_none`` (the ``key`` layout, whose
    README defines an empty cell as no topic).  Optional ``sure`` (1: the whole label set is clear) and
    ``measured`` (0: fit on the label only, never score a tagger with it) columns take 1/0, true/false or
    yes/no; any other value is an error."""
    raw = raw.reset_index(drop=True)
    files = raw["file"] if "file" in raw else pd.Series(["<labels table>"] * len(raw))
    lines = raw["line"] if "line" in raw else pd.Series(range(1, len(raw) + 1))
    where = [f"{f}:{n}" if f != "<labels table>" else f"<labels table> row {n}" for f, n in zip(files, lines)]
    problems, topics = [], []
    seen: dict[str, str] = {}
    for pid, cell, at in zip(raw["id"], raw["topics"], where):
        slugs = list(cell) if isinstance(cell, (list, tuple)) else re.split(r"[;\s]+", str(cell).strip())
        slugs = [s for s in slugs if s]
        if not str(pid).strip():
            problems.append(f"{at}: empty id; give the paper's id (or key), or remove the row")
        elif pid in seen:
            problems.append(f"{at}: id {pid!r} labelled again (first at {seen[pid]}); keep one row per paper")
        seen.setdefault(pid, at)
        if not slugs and not isinstance(cell, (list, tuple)) and not empty_is_none:  # a parsed empty list: no topic
            problems.append(f"{at}: empty topics cell for {pid!r}; write 'none' if the paper has no topic")
        if taxonomy is None:
            topics.append(list(dict.fromkeys(s for s in slugs if s != "none")))
            continue
        unknown = [s for s in slugs if s != "none" and s not in taxonomy]
        if unknown:
            problems.append(
                f"{at}: unknown topic(s) {unknown} for {pid!r}; use slugs of the taxonomy: {', '.join(taxonomy.slugs)}"
            )
        topics.append([s for s in taxonomy.slugs if s in slugs])
    sure, measured = sure_flags(raw, where, problems), measured_flags(raw, where, problems)
    if problems:
        more = f"\n... and {len(problems) - 10} more" if len(problems) > 10 else ""
        raise LabelsError("bad labels:\n" + "\n".join(problems[:10]) + more)
    return pd.DataFrame(
        {"id": raw["id"], "topics": topics, "sure": sure, "measured": measured, "source": source, "file": files,
         "line": lines},
        columns=LABEL_COLUMNS,
    )


def measured_flags(raw: pd.DataFrame, where: list[str], problems: list[str]) -> list[bool]:
    """The ``measured`` column as booleans (all True without one); a value neither yes nor no is a problem."""
    return yes_no_flags(raw, "measured", where, problems, "write 1 (score the tagger with this label) or 0 (fit only)")


def sure_flags(raw: pd.DataFrame, where: list[str], problems: list[str]) -> list[bool]:
    """The ``sure`` column as booleans (all True without one); a value neither yes nor no is a problem."""
    return yes_no_flags(raw, "sure", where, problems, "write 1 (a sure label) or 0 (a borderline one)")


def yes_no_flags(raw: pd.DataFrame, column: str, where: list[str], problems: list[str], fix: str) -> list[bool]:
    """``raw[column]`` as booleans (all True without the column): 1/true/yes or 0/false/no in any case; any
    other value (an empty cell too) adds a problem naming its place (``where``) and ``fix``."""
    if column not in raw:
        return [True] * len(raw)
    flags = []
    for value, at in zip(raw[column], where):
        text = str(value).strip().lower()
        if text not in _YES and text not in _NO:
            problems.append(f"{at}: {column} is {value!r}; {fix}")
        flags.append(text in _YES)
    return flags


def known_ids(labels: pd.DataFrame, papers: pd.DataFrame) -> pd.DataFrame:
    """The labels of papers in ``papers``; a warning names the ones that are not there."""
    present = labels["id"].isin(set(papers["id"]))
    if not present.all():
        missing = labels[~present]
        shown = ", ".join(f"{f}:{n} {pid!r}" for f, n, pid in zip(missing["file"], missing["line"], missing["id"]))
        warnings.warn(
            f"{len(missing)} labelled id(s) not in the papers table, left out: {shown[:500]}; "
            "check the ids, or load the papers they label",
            stacklevel=3,
        )
    return labels[present].reset_index(drop=True)


def training_set(taxonomy: Taxonomy | None = None, data: str | Path | None = None):
    """The shipped labels and their texts: ``(papers, labels)``.

    ``papers`` is ``data/labels/texts.csv`` (id, title, abstract, notes); ``labels``
    joins the seed labels and the ``data/labels/*.csv`` files, a paper labelled
    in two files keeping its first label (one COLM 2024 paper is in the Prompt Report too),
    and says in ``measured`` whether a label may measure the tagger (not those of :data:`FIT_ONLY`).
    """
    from litreview.data import data_dir
    from litreview.tagging.taxonomy import load_taxonomy

    folder = Path(data) if data is not None else data_dir()
    taxonomy = taxonomy if taxonomy is not None else load_taxonomy()
    papers = pd.read_csv(folder / "labels" / "texts.csv", dtype=str, keep_default_na=False)
    frames = [
        read_labels(folder / f, taxonomy, source).assign(measured=f not in FIT_ONLY)
        for source, files in SOURCES.items()
        for f in files
        if f not in FIT_ONLY or (folder / f).exists()
    ]
    labels = pd.concat(frames, ignore_index=True).drop_duplicates("id").reset_index(drop=True)
    labels.loc[labels["source"] == "seed", "sure"] = True
    return papers, labels


def fitted_on(papers: pd.DataFrame, data: str | Path | None = None) -> pd.Series:
    """Whether each paper is one the shipped decision was fitted on (``data/labels``), by id or by title:
    figures of the shipped decision on such papers are in-sample, not generalisation figures."""
    from litreview.data import data_dir
    from litreview.fields.ids import normalize_title

    folder = Path(data) if data is not None else data_dir()
    texts = pd.read_csv(folder / "labels" / "texts.csv", dtype=str, keep_default_na=False)
    seed = pd.read_csv(folder / "labels.csv", dtype=str, keep_default_na=False)
    ids = set(texts["id"]) | set(seed["id"])
    titles = {normalize_title(t) for t in texts["title"] if t}
    by_title = papers["title"].map(lambda t: isinstance(t, str) and normalize_title(t) in titles)
    return (papers["id"].isin(ids) | by_title.astype(bool)).rename("fitted_on")

