"""Loaded before pytest's other plugins (``-p suite_start`` in pyproject.toml's ``addopts``), to make the
start of every pytest process (the xdist controller and each worker) cheaper; nothing a test checks changes.

- nbval imports nbformat, nbformat imports jsonschema, and jsonschema imports ``rfc3987_syntax`` (when
  installed, as JupyterLab's dependencies install it) only to check the ``iri`` string format; that module
  builds some 40 Lark parsers as it is imported: about 2 s a process.  Nothing here checks an IRI with
  jsonschema (nbformat validates notebooks without format checks), so the test processes go without it:
  jsonschema leaves the ``iri`` format unchecked.  Kernels and ``litreview report`` are other processes.
- pytest rewrites the asserts of every module of a package that ships a pytest plugin, Hypothesis and
  anyio (for jupyter_client) included: about 0.7 s a process, for asserts that are their own internal
  checks.  They are imported here first, as they are outside pytest; the tests' asserts are rewritten as
  before.
"""

import sys

sys.modules.setdefault("rfc3987_syntax", None)  # `import rfc3987_syntax` raises ImportError: jsonschema skips it

_rewriting = [hook for hook in sys.meta_path if type(hook).__name__ == "AssertionRewritingHook"]
for hook in _rewriting:
    sys.meta_path.remove(hook)
try:
    import anyio  # noqa: F401
    import hypothesis  # noqa: F401
finally:
    sys.meta_path[:0] = _rewriting
