"""What every reader returns: the records it read and the problems it met."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal


@dataclass(frozen=True)
class Problem:
    """Something a reader could not read (``error``: the record was skipped), read only in part
    (``warning``: the record was kept and flagged), or noticed without losing any of a record (``note``:
    a citation key used twice, an entry without a key, a file's columns that name no field)."""

    file: str
    line: int | None
    message: str
    severity: Literal["error", "warning", "note"] = "error"
    kind: str | None = None  # what kind of problem, for grouping repeats (``undefined-macro``)

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        return f"{where}: {self.message}"


@dataclass
class ReadResult:
    records: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # Rows already in the papers schema (a DataFrame), from the columnar path (litreview.io.columnar);
    # they follow ``records`` in the file's order.
    frame: Any = None
    selected: bool = False  # the reader applied load(select=) itself, block by block

    @property
    def count(self) -> int:
        """How many records were read: ``records`` and the rows of ``frame``."""
        return len(self.records) + (0 if self.frame is None else len(self.frame))

    def error(self, file: str, line: int | None, message: str, kind: str | None = None) -> None:
        self.problems.append(Problem(file, line, message, "error", kind))

    def warn(self, file: str, line: int | None, message: str, kind: str | None = None) -> None:
        self.problems.append(Problem(file, line, message, "warning", kind))

    def note(self, file: str, line: int | None, message: str, kind: str | None = None) -> None:
        self.problems.append(Problem(file, line, message, "note", kind))


def excerpt(text: str, width: int = 60) -> str:
    """A short, quoted excerpt of a line for error messages."""
    text = text.strip()
    return repr(text if len(text) <= width else text[: width - 3] + "...")


def numbered_lines(text: str) -> list[tuple[int, str]]:
    """Non-blank lines with their 1-based line numbers, right-stripped."""
    return [(n, line.rstrip()) for n, line in enumerate(text.splitlines(), start=1) if line.strip()]


_FIELD_NAMES = {"title": "title", "abstract": "abstract", "doi": "DOI", "arxiv_id": "arXiv id"}


def keep_tagged_record(
    result: ReadResult,
    record: dict[str, Any],
    *,
    file: str,
    line: int,
    label: str,
    start_tag: str,
    has_start: bool,
    missing_end: str | None,
    identity: tuple[str, ...],
) -> None:
    """Keep, flag or skip one record of a tagged format (RIS, Web of Science).

    A record missing its start tag or its end is kept, flagged ``truncated``,
    when it has a title, and skipped otherwise; a whole record needs one of
    the ``identity`` fields.  Either way the problem names the file and line.
    """
    record["source"] = f"{file}:{line}"
    missing = [m for m in (None if has_start else f"no {start_tag} line", missing_end) if m]
    if missing:
        message = f"{label} record has " + " and ".join(missing)
        if not record.get("title"):
            result.error(file, line, message + "; skipped: it has no title")
            return
        record["quality_flags"].append("truncated")
        result.warn(file, line, message + "; kept and flagged 'truncated'")
    elif not any(record.get(f) for f in identity):
        names = [_FIELD_NAMES[f] for f in identity]
        result.error(file, line, f"{label} record has no {', '.join(names[:-1])} or {names[-1]}; skipped")
        return
    result.records.append(record)
