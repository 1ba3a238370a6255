"""Progress bars for long operations, and only for long ones.

A bar appears when the work is large (at least ``min_total`` units) and
``progress`` allows it: ``None`` (the default) shows it unless
``LITREVIEW_PROGRESS=0`` is set or the process runs under pytest, so tests
stay silent, and the small default corpus never reaches the threshold, so
notebook outputs stay deterministic; ``True`` or ``False`` decide outright.
tqdm (installed with papermill) draws the bar: a widget in JupyterLab where
ipywidgets is installed, text on a terminal.
"""

from __future__ import annotations

import os


class _NoBar:
    def update(self, n: float = 1) -> None:
        pass

    def close(self) -> None:
        pass


def enabled(progress: bool | None) -> bool:
    if progress is not None:
        return progress
    return os.environ.get("LITREVIEW_PROGRESS", "1") != "0" and "PYTEST_CURRENT_TEST" not in os.environ


def bar(total: float, desc: str, *, progress: bool | None = None, min_total: float = 50_000, unit: str = "it"):
    """A tqdm bar of ``total`` units, or an object with the same ``update``/``close`` that draws nothing."""
    if total < min_total or not enabled(progress):
        return _NoBar()
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=desc, unit=unit, unit_scale=True, leave=False)
