"""What every reader returns: the records it read and the problems it met."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal


@dataclass(frozen=True)
class Problem:
    """Something a reader could not read (``error``: the record was skipped) or
    read only in part (``warning``: the record was kept and flagged)."""

    file: str
    line: int | None
    message: str
    severity: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        return f"{where}: {self.message}"


@dataclass
class ReadResult:
    records: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def error(self, file: str, line: int | None, message: str) -> None:
        self.problems.append(Problem(file, line, message, "error"))

    def warn(self, file: str, line: int | None, message: str) -> None:
        self.problems.append(Problem(file, line, message, "warning"))


def excerpt(text: str, width: int = 60) -> str:
    """A short, quoted excerpt of a line for error messages."""
    text = text.strip()
    return repr(text if len(text) <= width else text[: width - 3] + "...")


def numbered_lines(text: str) -> list[tuple[int, str]]:
    """Non-blank lines with their 1-based line numbers, right-stripped."""
    return [(n, line.rstrip()) for n, line in enumerate(text.splitlines(), start=1) if line.strip()]
