"""Progress bars: only for large work, never under pytest unless asked for."""

import io

import pytest

from litreview import progress


def test_small_work_never_draws_a_bar():
    assert isinstance(progress.bar(10, "x", progress=True), progress._NoBar)


def test_silent_under_pytest_and_when_switched_off(monkeypatch):
    assert not progress.enabled(None)  # PYTEST_CURRENT_TEST is set while a test runs
    monkeypatch.delenv("PYTEST_CURRENT_TEST")
    assert progress.enabled(None)
    monkeypatch.setenv("LITREVIEW_PROGRESS", "0")
    assert not progress.enabled(None)
    assert progress.enabled(True)


@pytest.mark.filterwarnings("ignore::tqdm.TqdmExperimentalWarning")
def test_large_work_draws_a_bar_when_asked(monkeypatch):
    import tqdm.auto

    stream = io.StringIO()
    real = tqdm.auto.tqdm
    monkeypatch.setattr(tqdm.auto, "tqdm", lambda **kw: real(file=stream, **kw))
    b = progress.bar(100_000, "reading", progress=True)
    b.update(100_000)
    b.close()
    assert "reading" in stream.getvalue()
