"""The plotting contract every ``plot_*`` function follows, as seaborn's axes-level functions do.

A plot function takes ``ax=None``, draws into that Axes, and returns it.  Without
one it draws into a new :class:`matplotlib.figure.Figure` that no global state
holds (pyplot is never used), so nothing leaks between plots; in a notebook,
show it with ``ax.figure``.
"""

from __future__ import annotations

from typing import Any


def axes_for(ax: Any, figsize: tuple[float, float]):
    """``ax`` itself, or the Axes of a new Figure of ``figsize`` inches when ``ax`` is None."""
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    if ax is None:
        return Figure(figsize=figsize).subplots()
    if not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes or None, got {type(ax).__name__}")
    return ax


def finish(ax, created: bool):
    """Tidy the layout of a Figure the plot made itself (never one the caller owns); return ``ax``."""
    if created:
        ax.figure.tight_layout()
    return ax


def figure_of(ax):
    """The Figure an Axes is drawn in: what the deprecated plot names returned."""
    return ax.figure
