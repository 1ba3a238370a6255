"""The Examples of every public ``lr.*`` function run as doctests.

Each module's examples see ``lr`` (the package), ``pd`` and ``tagged`` (the default corpus, tagged), so an
example stays one or two lines and fast.  The modules are those that define a public name, and those
``lr._API`` points at: ``lr.tag``, ``lr.evidence`` and ``lr.topic_counts`` are wrappers in
:mod:`litreview.dispatch` that carry the pandas function's docstring, so their examples live (and run,
once) in :mod:`litreview.tagging.tagger` and :mod:`litreview.analysis.trends`.
"""

import doctest
import importlib

import pandas as pd
import pytest

import litreview as lr


def _public_functions():
    """(name, function) of every public callable: no classes, exceptions or deprecated aliases."""
    for name in lr._API:
        function = getattr(lr, name)
        if not callable(function) or isinstance(function, type):
            continue  # constants, classes and exceptions
        wrapped = getattr(function, "__wrapped__", None)
        if wrapped is not None and wrapped.__name__ != name:
            continue  # a deprecated alias of another public name (litreview.deprecation)
        yield name, function


def _modules() -> list[str]:
    names = {f"litreview.{where}" for where in lr._API.values()}
    names |= {function.__module__ for _, function in _public_functions()}
    names |= {"litreview.validation", "litreview.figures"}
    return sorted(names)


MODULES = _modules()


@pytest.fixture(scope="module")
def tagged():
    return lr.tag(lr.load())


def test_the_modules_include_every_layer():
    assert {"litreview.io.load", "litreview.tagging.tagger", "litreview.analysis.trends", "litreview.dispatch",
            "litreview.report.provenance", "litreview.schema", "litreview.data"} <= set(MODULES)


@pytest.mark.parametrize("name", MODULES)
def test_examples(name, tagged):
    module = importlib.import_module(name)
    finder = doctest.DocTestFinder(exclude_empty=True)  # finds only what ``name`` defines, not what it imports
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    globs = {"lr": lr, "pd": pd, "tagged": tagged}
    for test in finder.find(module, name, globs=dict(module.__dict__, **globs)):
        runner.run(test)
    results = runner.summarize(verbose=False)
    assert results.failed == 0, f"{results.failed} of {results.attempted} examples in {name} failed (see above)"


def test_every_public_function_has_an_example():
    missing = [name for name, function in _public_functions() if ">>> " not in (function.__doc__ or "")]
    assert missing == []


def test_the_dispatchers_carry_the_pandas_examples():
    # lr.tag is litreview.dispatch.tag, whose docstring is tagger.tag's: the example is found (and run) there
    from litreview.tagging import tagger

    assert lr.tag.__doc__ == tagger.tag.__doc__ and ">>> " in lr.tag.__doc__
