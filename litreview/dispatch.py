"""``lr.tag``, ``lr.evidence``, ``lr.topic_counts``, ``lr.topic_timeline`` and ``lr.topic_cooccurrence`` for
pandas and Dask frames alike (terms on Dask: :func:`litreview.distributed.term_occurrences`).

The pandas functions (:mod:`litreview.tagging.tagger`, :mod:`litreview.analysis.trends`)
know nothing of Dask; :mod:`litreview.distributed` runs them partition by partition.
This module is the one place that chooses between the two: given a Dask
DataFrame it calls the Dask version, otherwise the pandas function, with the
same arguments.  It sits at the top of the package (it imports both layers and
nothing imports it but :mod:`litreview`), so the layers below stay free of any
import of :mod:`litreview.distributed`.

Each dispatcher carries the pandas function's name, signature and docstring.
"""

from __future__ import annotations

import functools

from litreview import distributed
from litreview.analysis import cooccurrence, trends
from litreview.tagging import tagger


def _dispatch(pandas_function, dask_function):
    @functools.wraps(pandas_function)
    def dispatcher(frame, *args, **kwargs):
        if distributed.is_dask(frame):
            if kwargs.get("cache"):
                raise ValueError(f"cache=True is not supported for a dask DataFrame in {pandas_function.__name__}()")
            kwargs.pop("cache", None)
            return dask_function(frame, *args, **kwargs)
        return pandas_function(frame, *args, **kwargs)

    return dispatcher


tag = _dispatch(tagger.tag, distributed.tag)
evidence = _dispatch(tagger.evidence, distributed.evidence)
topic_counts = _dispatch(trends.topic_counts, distributed.topic_counts)
topic_timeline = _dispatch(trends.topic_timeline, distributed.topic_timeline)
topic_cooccurrence = _dispatch(cooccurrence.topic_cooccurrence, distributed.topic_cooccurrence)
