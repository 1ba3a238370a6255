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


def shade_period(ax, period, label: str = "may be incomplete") -> None:
    """Shade one period of a timeline's Axes, a year (``2016``) or a month (``"2023-11"``, drawn against dates),
    behind the lines, with ``label`` at its top right: where a drop is the corpus's end, not the field's."""
    import pandas as pd

    if isinstance(period, str):  # (a month: around its first day, where the lines draw its point)
        start = pd.Timestamp(f"{period}-01")
        left, right = start - pd.Timedelta(days=15), start + pd.Timedelta(days=15)
    else:
        left, right = period - 0.5, period + 0.5
    ax.axvspan(left, right, color="0.92", zorder=0, label="_incomplete")
    # (the label ends at the span's right edge, the axes' last period: it reads leftwards, inside the axes)
    ax.text(right, 0.98, label, transform=ax.get_xaxis_transform(), ha="right", va="top", fontsize=7, color="0.35")
