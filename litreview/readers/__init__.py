"""Readers, one module per input format.

Each reader module has ``FORMAT`` (its name), ``sniff(text) -> bool`` and
``read(text, file) -> ReadResult``.  Readers take decoded text, so they are
pure functions that tests can call on a string.
"""

from __future__ import annotations

from types import ModuleType

from . import arxiv_dump, digest, publist, roundup
from .base import Problem, ReadResult

# Sniffed in this order: the most specific layouts first, the loosest last.
READERS: dict[str, ModuleType] = {module.FORMAT: module for module in (arxiv_dump, roundup, publist, digest)}

__all__ = ["READERS", "Problem", "ReadResult", "detect_format"]


def detect_format(text: str) -> str | None:
    """The name of the first reader that recognises ``text``, or ``None``."""
    for name, module in READERS.items():
        if module.sniff(text):
            return name
    return None
