"""Python's cyclic garbage collector, paused while the kit makes many small objects that form no cycle.

Reading a corpus or tagging one makes hundreds of thousands of strings, lists and dicts that all live until
the table is built.  Each of them counts towards the collector's next pass, and every few passes it scans
every object the process holds (the loaded corpus included) for cycles it cannot find: a tenth to a third of
the time at 10^5-10^6 papers.  Reference counting still frees what is dropped; the collector resumes after.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector inside the block (as it was after it: a collector the caller had
    switched off stays off).

    >>> import gc
    >>> with collector_paused():
    ...     gc.isenabled()
    False
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
