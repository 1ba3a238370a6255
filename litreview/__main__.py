"""``python -m litreview``: the ``litreview`` command (:func:`litreview.report.cli.main`)."""

import sys

from litreview.report.cli import main

if __name__ == "__main__":
    sys.exit(main())
