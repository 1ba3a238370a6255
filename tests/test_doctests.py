"""The Examples of every public function in litreview/analysis (and the entity plot) run as doctests.

Each module's examples see ``lr`` (the package), ``pd`` and ``tagged`` (the default corpus, tagged), so an
example stays one or two lines and fast.
"""

import doctest
import importlib
import pkgutil

import pandas as pd
import pytest

import litreview as lr
import litreview.analysis

MODULES = sorted(f"litreview.analysis.{m.name}" for m in pkgutil.iter_modules(litreview.analysis.__path__))
MODULES += ["litreview.tagging.entities", "litreview.validation", "litreview.figures"]


@pytest.fixture(scope="module")
def tagged():
    return lr.tag(lr.load())


@pytest.mark.parametrize("name", MODULES)
def test_examples(name, tagged):
    module = importlib.import_module(name)
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    globs = {"lr": lr, "pd": pd, "tagged": tagged}
    for test in finder.find(module, name, globs=dict(module.__dict__, **globs)):
        runner.run(test)
    results = runner.summarize(verbose=False)
    assert results.failed == 0, f"{results.failed} of {results.attempted} examples in {name} failed (see above)"


def test_every_public_analysis_function_has_an_example():
    missing = []
    for name, where in lr._API.items():
        if not where.startswith("analysis.") and name != "plot_entity_counts":
            continue
        function = getattr(lr, name)
        if not callable(function) or isinstance(function, type) or getattr(function, "__wrapped__", None):
            continue  # classes and deprecated aliases
        if ">>> " not in (function.__doc__ or ""):
            missing.append(name)
    assert missing == []
