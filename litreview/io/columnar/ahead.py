"""Work done on a thread ahead of its consumer: the columnar readers parse and convert the next block of a
file while the current one's table is built.

pyarrow (parsing JSON, the compute kernels), hashing, reading and decompressing release the GIL, so that
work runs beside the building of Python objects, which holds it: on two cores a block's parsing costs
almost nothing more than building its table.  At most ``depth`` items wait, so memory holds a few blocks
more, not the file.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from typing import TypeVar

T = TypeVar("T")
_DONE = object()


def ahead(items: Iterator[T], depth: int = 1) -> Iterator[T]:
    """The items of ``items`` in order, each made on a thread while the previous ones are consumed.

    An exception raised while making an item is raised here, in its place.  When the consumer stops early
    (an exception, a ``break``), the thread is stopped before this generator returns, so ``items``' source
    (an open file) is no longer used once the caller goes on.
    """
    made: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def run() -> None:
        try:
            for item in items:
                if not _put(made, (True, item), stop):
                    return
            _put(made, (True, _DONE), stop)
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer, which raises it
            _put(made, (False, exc), stop)

    worker = threading.Thread(target=run, name="litreview-ahead", daemon=True)
    worker.start()
    try:
        while True:
            ok, item = made.get()
            if not ok:
                raise item
            if item is _DONE:
                return
            yield item
    finally:
        stop.set()
        worker.join()


def _put(made: queue.Queue, entry: tuple, stop: threading.Event) -> bool:
    """Put ``entry``, waiting for room unless the consumer has stopped; whether it was put."""
    while not stop.is_set():
        try:
            made.put(entry, timeout=0.05)
            return True
        except queue.Full:
            continue
    return False
