"""Exceptions and warnings raised while reading input."""

from __future__ import annotations


class LoadError(ValueError):
    """Input that cannot be read: names the file, the line and what was wrong."""

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None):
        where = ":".join(str(p) for p in (file, line) if p is not None)
        super().__init__(f"{where}: {message}" if where else message)
        self.file = file
        self.line = line
        self.reason = message


class LoadWarning(UserWarning):
    """A record was kept, but part of it could not be read."""


class ExportWarning(UserWarning):
    """An export could not write some values: the format has no place for them (see ``lr.export_losses``)."""


def user_stacklevel() -> int:
    """The ``stacklevel`` that points a warning raised in the calling function at the first frame
    outside the kit: the user's line, not ``lr.*``'s dispatch or another of the kit's own functions."""
    import contextlib
    import os
    import sys

    package = os.path.dirname(os.path.abspath(__file__)) + os.sep
    wrapper = os.path.abspath(contextlib.__file__)  # a function decorated with a context manager (collector_paused)
    frame, level = sys._getframe(1), 1  # the function that warns is level 1
    while frame is not None and (
        (path := os.path.abspath(frame.f_code.co_filename)).startswith(package) or path == wrapper
    ):
        frame, level = frame.f_back, level + 1
    return level
