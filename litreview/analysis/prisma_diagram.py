"""The PRISMA 2020 flow diagram of :func:`litreview.analysis.screening.prisma_flow`'s counts."""

from __future__ import annotations

import textwrap

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from litreview.analysis.screening import FLOW_COLUMNS, FLOW_KINDS, _check_frame
from litreview.deprecation import deprecated_alias
from litreview.figures import figure_of
from litreview.validation import check_int

# -- the diagram -------------------------------------------------------------------------------------------------------

_WIDTH = 6.4  # inches, the whole figure
_MAIN = (0.45, 3.4)  # left and right edge of the main column's boxes
_SIDE = (3.75, 6.35)  # ... and of the boxes to the side
_CHARS = {"main": 48, "side": 43}  # characters per line that fit in each box
_LINE = 0.155  # height of one line of text at _FONT points
_FONT = 7.5
_PAD = 0.08
_GAP = 0.32  # vertical room between two levels, for the arrow
_SECTION_COLOURS = {"identification": "#dbe6f3", "screening": "#e3efdc", "included": "#f3e6d6"}


def plot_prisma_flow(flow: pd.DataFrame, max_details: int = 8, title: str | None = None, *, ax=None):
    """Draw :func:`prisma_flow` as a PRISMA-style flow diagram.

    Main boxes go down the left with arrows between them; each level's records
    leaving the flow (``aside`` rows, with their reasons) sit in a box to the
    right.  The PRISMA sections are labelled down the left edge.  A box lists
    at most ``max_details`` sources or reasons; the rest are summed in one line.

    Parameters
    ----------
    flow : DataFrame
        The table :func:`prisma_flow` returns.
    max_details : int
        The most sources or reasons a box lists, 1 or more.
    title : str, optional
        A title above the diagram.
    ax : matplotlib Axes, optional
        Where to draw (its axis is turned off and its limits set to the
        diagram's, in inches); without one, a new Figure sized to the diagram,
        which reads best.

    Returns
    -------
    matplotlib.axes.Axes
        One box (a patch) per level and side box, one text per box.

    Examples
    --------
    >>> flow = pd.DataFrame({"stage": ["identification", "included"], "label": ["records identified",
    ...     "papers included"], "count": [3, 2], "kind": ["flow", "flow"]})
    >>> ax = lr.plot_prisma_flow(flow)
    >>> [t.get_text() for t in ax.texts][:2]
    ['Records identified (n\xa0=\xa03)', 'Papers included (n\xa0=\xa02)']
    """
    _check_frame(flow, "flow", FLOW_COLUMNS)
    check_int(max_details, "max_details", 1)
    unknown = sorted(set(flow["kind"]) - set(FLOW_KINDS))
    if unknown or flow.empty or flow["kind"].iloc[0] != "flow":
        raise ValueError("flow must be a table from prisma_flow: it starts with a 'flow' row and its kinds are "
                         f"{', '.join(FLOW_KINDS)}" + (f" (found {unknown})" if unknown else ""))
    levels = _levels(flow, max_details)
    heights = [max(_box_height(main), _box_height(side)) for _, main, side in levels]
    _fit_section_labels([section for section, _, _ in levels], heights)
    top = 0.12 + (0.3 if title else 0.0)
    total = top + sum(heights) + _GAP * (len(levels) - 1) + 0.12
    if ax is None:
        ax = Figure(figsize=(_WIDTH, total)).add_axes((0, 0, 1, 1))
    elif not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes or None, got {type(ax).__name__}")
    ax.set_xlim(0, _WIDTH)
    ax.set_ylim(total, 0)  # y grows downwards, as the diagram reads
    ax.set_axis_off()
    if title:
        ax.text(_WIDTH / 2, 0.2, title, ha="center", va="center", fontsize=9, fontweight="bold", parse_math=False)
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    y = top
    centres, sections = [], []
    for (section, main, side), height in zip(levels, heights):
        centre = y + height / 2
        main_h = _box_height(main)
        ax.add_patch(FancyBboxPatch((_MAIN[0], centre - main_h / 2), _MAIN[1] - _MAIN[0], main_h,
                                    boxstyle="round,pad=0,rounding_size=0.04", facecolor="white",
                                    edgecolor="#333333", linewidth=0.8))
        ax.text(_MAIN[0] + _PAD, centre, "\n".join(main), ha="left", va="center", fontsize=_FONT, linespacing=1.25,
                parse_math=False)  # (file names and reasons are the reviewer's text: "$5 to $10" is no formula)
        if side:
            side_h = _box_height(side)
            ax.add_patch(FancyBboxPatch((_SIDE[0], centre - side_h / 2), _SIDE[1] - _SIDE[0], side_h,
                                        boxstyle="round,pad=0,rounding_size=0.04", facecolor="#f4f4f4",
                                        edgecolor="#333333", linewidth=0.8))
            ax.text(_SIDE[0] + _PAD, centre, "\n".join(side), ha="left", va="center", fontsize=_FONT,
                    linespacing=1.25, parse_math=False)
            ax.add_patch(FancyArrowPatch((_MAIN[1], centre), (_SIDE[0], centre), arrowstyle="-|>",
                                         mutation_scale=9, color="#333333", linewidth=0.8))
        if centres:
            above_c, above_h = centres[-1]
            ax.add_patch(FancyArrowPatch((sum(_MAIN) / 2, above_c + above_h / 2),
                                         (sum(_MAIN) / 2, centre - main_h / 2), arrowstyle="-|>",
                                         mutation_scale=9, color="#333333", linewidth=0.8))
        centres.append((centre, main_h))
        sections.append((section, y, y + height))
        y += height + _GAP
    for section, start, end in _merge_sections(sections):
        ax.add_patch(FancyBboxPatch((0.06, start), 0.26, end - start, boxstyle="round,pad=0,rounding_size=0.04",
                                    facecolor=_SECTION_COLOURS.get(section, "#eeeeee"), edgecolor="none"))
        ax.text(0.19, (start + end) / 2, section.capitalize(), rotation=90, ha="center", va="center",
                fontsize=_FONT, fontweight="bold", parse_math=False)
    return ax


plot_prisma = deprecated_alias("plot_prisma", plot_prisma_flow, adapt=figure_of)


def _levels(flow: pd.DataFrame, max_details: int) -> list[tuple[str, list[str], list[str]]]:
    """``(section, main box lines, side box lines)`` per main box of the flow."""
    levels: list[tuple[str, list[str], list[str]]] = []
    details: list[tuple[str, int]] = []
    target: list[str] = []

    width = _CHARS["main"]

    def flush() -> None:
        shown = details[:max_details]
        rest = details[max_details:]
        for label, count in shown:
            target.extend(_wrapped(f"{label} {_n(count)}", width, indent="  "))
        if rest:
            target.extend(_wrapped(f"{len(rest)} more {_n(sum(c for _, c in rest))}", width, indent="  "))
        details.clear()

    for stage, label, count, kind in flow[FLOW_COLUMNS].itertuples(index=False):
        if kind in ("source", "reason"):
            details.append((str(label), int(count)))
            continue
        flush()
        width = _CHARS["main" if kind == "flow" else "side"]
        text = _wrapped(f"{str(label)[:1].upper()}{str(label)[1:]} {_n(count)}", width)
        if kind == "flow":
            levels.append((str(stage), text, []))
            target = levels[-1][1]
        else:
            target = levels[-1][2]
            target.extend(text)
    flush()
    return levels


def _n(count) -> str:
    """``(n = 12)`` with no-break spaces, so a line is never wrapped inside it."""
    return f"(n\u00a0=\u00a0{int(count)})"


def _wrapped(text: str, width: int, indent: str = "") -> list[str]:
    return textwrap.wrap(text, width=width, initial_indent=indent, subsequent_indent=indent + "  ",
                         break_on_hyphens=False) or [indent]


def _fit_section_labels(sections: list[str], heights: list[float]) -> None:
    """Make each PRISMA section tall enough for its rotated label (in place, on its last level)."""
    start = 0
    for end in range(1, len(sections) + 1):
        if end == len(sections) or sections[end] != sections[start]:
            span = sum(heights[start:end]) + _GAP * (end - start - 1)
            needed = 0.075 * len(sections[start]) + 0.15
            heights[end - 1] += max(0.0, needed - span)
            start = end


def _box_height(lines: list[str]) -> float:
    return len(lines) * _LINE + 2 * _PAD if lines else 0.0


def _merge_sections(sections: list[tuple[str, float, float]]) -> list[tuple[str, float, float]]:
    """Consecutive levels of one PRISMA section as one span."""
    spans: list[tuple[str, float, float]] = []
    for section, start, end in sections:
        if spans and spans[-1][0] == section:
            spans[-1] = (section, spans[-1][1], end)
        else:
            spans.append((section, start, end))
    return spans
