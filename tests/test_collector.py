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


@pytest.mark.parametrize("tagger", ["learned", "rules"])
def test_tagging_runs_with_the_collector_paused(monkeypatch, tagger):
    seen = []
    scan = tagger_module._scan

    def watched(*args, **kwargs):
        seen.append(gc.isenabled())
        return scan(*args, **kwargs)

    monkeypatch.setattr(tagger_module, "_scan", watched)
    papers = lr.load()
    tagged = lr.tag(papers, tagger=tagger)
    table = lr.evidence(papers, tagger=tagger)
    assert seen == [False, False] and gc.isenabled()
    assert tagged["topics"].str.len().sum() == (103 if tagger == "learned" else 114)
    assert len(table) > 0


def test_loading_runs_with_the_collector_paused(monkeypatch):
    from litreview.io import load as load_module

    seen = []
    read = load_module._read_file

    def watched(*args, **kwargs):
        seen.append(gc.isenabled())
        return read(*args, **kwargs)

    monkeypatch.setattr(load_module, "_read_file", watched)
    lr.load()
    assert seen and not any(seen) and gc.isenabled()
