"""Old public names and keywords kept working for one release, with a ``FutureWarning`` naming the new one.

``FutureWarning``, not ``DeprecationWarning``: Python hides the latter outside
``__main__``, and a user of a notebook must see it.  This module imports
nothing from litreview.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from typing import Any

_MISSING = object()


def warn_renamed(old: str, new: str, *, stacklevel: int = 3) -> None:
    """Say that ``old`` is now ``new`` and goes in a later release."""
    warnings.warn(
        f"{old} is deprecated and will be removed in a future release; use {new} instead",
        FutureWarning,
        stacklevel=stacklevel,
    )


def renamed_keyword(
    function: str, old: str, new: str, old_value: Any, new_value: Any, default: Any, *, stacklevel: int = 4
) -> Any:
    """The value of keyword ``new`` when a caller may still pass it as ``old``.

    ``old_value`` is what the caller passed as ``old`` (:data:`MISSING` when
    not passed); passing both is a ``TypeError``.  ``stacklevel`` 4 points the
    warning at the caller of the function that calls this one.
    """
    if old_value is _MISSING:
        return new_value
    if new_value is not default and new_value is not _MISSING:
        raise TypeError(f"{function}() got both {old}= and {new}=; pass {new}= only")
    warn_renamed(f"{function}({old}=...)", f"{function}({new}=...)", stacklevel=stacklevel)
    return old_value


MISSING = _MISSING


def deprecated_alias(old: str, new: Callable, *, adapt: Callable[[Any], Any] | None = None) -> Callable:
    """A function named ``old`` that warns and calls ``new``; ``adapt`` turns ``new``'s result into the old one."""

    @functools.wraps(new)
    def alias(*args, **kwargs):
        warn_renamed(f"lr.{old}", f"lr.{new.__name__}")
        result = new(*args, **kwargs)
        return adapt(result) if adapt is not None else result

    alias.__name__ = alias.__qualname__ = old
    alias.__doc__ = f"Deprecated: use :func:`{new.__name__}` (this name goes in a future release).\n"
    alias.__wrapped__ = new
    return alias
