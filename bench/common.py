"""Shared by the benchmarks: timing, peak memory in a fresh process, the table."""

from __future__ import annotations

import multiprocessing as mp
import resource
import time
from collections.abc import Callable


def peak_rss() -> int:
    """This process's peak resident memory in bytes.

    Read from ``VmHWM`` in /proc: ``getrusage``'s ``ru_maxrss`` survives exec on
    Linux, so a spawned child would report its (large) parent's peak.
    """
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def current_rss() -> int:
    """This process's resident memory now, in bytes (``VmRSS``)."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def _child(fn: Callable, args: tuple, queue) -> None:
    try:
        before = peak_rss()
        start = time.perf_counter()
        result = fn(*args)
        seconds = time.perf_counter() - start
        queue.put(("ok", (seconds, peak_rss() - before, result)))
    except BaseException as exc:  # reported to the parent, which raises it
        import traceback

        queue.put(("error", f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}"))


def measure(fn: Callable, *args) -> tuple[float, int, object]:
    """Run ``fn(*args)`` in a fresh process: ``(seconds, peak memory growth in bytes, result)``.

    ``fn`` should load its input itself (from a file) and return something small.
    The memory figure is how far the process's peak resident size rose while
    ``fn`` ran, over what the interpreter and imports already held.  An
    exception in ``fn``, or the process dying (out of memory), raises here.
    """
    import queue as queues

    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_child, args=(fn, args, queue))
    proc.start()
    while True:
        try:
            status, payload = queue.get(timeout=5)
            break
        except queues.Empty:
            if not proc.is_alive():
                raise RuntimeError(f"the benchmark process died (exit code {proc.exitcode})") from None
    proc.join()
    if status == "error":
        raise RuntimeError(f"the benchmark failed in its process: {payload}")
    return payload


def table(rows: list[dict], columns: list[str]) -> str:
    """A plain-text table, columns padded to their widest cell."""
    cells = [[str(r.get(c, "")) for c in columns] for r in rows]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(v.ljust(w) for v, w in zip(row, widths)) for row in cells]
    return "\n".join(lines)


def mb(n: float) -> str:
    return f"{n / 1e6:,.0f} MB"


def load_average() -> str:
    """The machine's 1-, 5- and 15-minute load averages (other work shares the machine)."""
    import os

    return ", ".join(f"{v:.1f}" for v in os.getloadavg())
