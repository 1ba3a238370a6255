"""Loaded before pytest's other plugins (``-p suite_start`` in pyproject.toml's ``addopts``).

nbval imports nbformat, nbformat imports jsonschema, and jsonschema imports ``rfc3987_syntax`` (when
installed, as JupyterLab's dependencies install it) only to check the ``iri`` string format; that module
builds some 40 Lark parsers as it is imported: about 2 s in every pytest process (the xdist controller
and each worker).  Nothing here checks an IRI with jsonschema (nbformat validates notebooks without
format checks), so the test processes go without it: jsonschema then leaves the ``iri`` format
unchecked.  Kernels and ``litreview report`` are separate processes and not affected.
"""

import sys

sys.modules.setdefault("rfc3987_syntax", None)  # `import rfc3987_syntax` raises ImportError: jsonschema skips it
