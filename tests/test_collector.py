"""The cyclic garbage collector is paused while the kit makes many small objects (litreview.collector)."""

from __future__ import annotations

import gc

import pytest

import litreview as lr
from litreview.collector import collector_paused
from litreview.tagging import tagger as tagger_module


def test_the_collector_is_as_it_was_after_the_block_even_after_an_error():
    assert gc.isenabled()
    with pytest.raises(RuntimeError), collector_paused():
        assert not gc.isenabled()
        raise RuntimeError("boom")
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()  # (the caller's choice is kept)
    finally:
        gc.enable()


def collector_states(monkeypatch, module, name: str) -> list[bool]:
    """Whether the collector was on at each call of ``module.name`` (filled as it is called)."""
    seen: list[bool] = []
    function = getattr(module, name)

    def watched(*args, **kwargs):
        seen.append(gc.isenabled())
        return function(*args, **kwargs)

    monkeypatch.setattr(module, name, watched)
    return seen


@pytest.mark.parametrize("tagger", ["learned", "rules"])
def test_tagging_runs_with_the_collector_paused(monkeypatch, tagger):
    papers = lr.load()
    seen = collector_states(monkeypatch, tagger_module, "_scan")
    tagged = lr.tag(papers, tagger=tagger)
    table = lr.evidence(papers, tagger=tagger)
    assert seen == [False, False] and gc.isenabled()
    assert tagged["topics"].str.len().sum() == (101 if tagger == "learned" else 116)
    assert len(table) > 0


def test_loading_runs_with_the_collector_paused(monkeypatch):
    from litreview.io import load as load_module

    seen = collector_states(monkeypatch, load_module, "_read_file")
    lr.load()
    assert seen and not any(seen) and gc.isenabled()
