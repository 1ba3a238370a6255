"""Test-wide settings.

Hypothesis explores new examples on every local run, but in CI (``CI`` set, as ``.ci/run`` has it) it
runs derandomized: the same examples every time, so a submission is judged on its own code and not on
the luck of the draw.  ``HYPOTHESIS_PROFILE=ci`` gives the CI behaviour locally.
"""

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
settings.register_profile("dev", print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev"))
