"""The columnar path's memory savers give exactly what the plain operations give.

Joining blocks column by column (``frames.join``), sharing the Python objects of repeated values
(``kernels.shared_pylist``) and rewriting only the values whose whitespace changes (``kernels.one_line``)
are there for memory and time; these tests check they change nothing else.
"""

from __future__ import annotations

import random

import numpy as np
import pandas as pd
import pyarrow as pa

from litreview.io.columnar import frames
from litreview.io.columnar import kernels as k
from litreview.schema import to_frame


def block(start: int, n: int) -> pd.DataFrame:
    rows = [
        {"title": f"T{i}", "year": None if i % 3 == 0 else 2000 + i, "authors": [f"A{i}"] * (i % 2),
         "source": f"f.jsonl:{i}"}
        for i in range(start, start + n)
    ]  # fmt: skip
    return to_frame(rows)


def test_join_is_concat_then_take():
    parts = [block(0, 4), frames.unconsolidated(dict(block(4, 3).items())), block(7, 0), block(7, 5)]
    expected = pd.concat(parts, ignore_index=True)
    order = np.array([11, 0, 5, 3, 1, 2, 4, 6, 7, 8, 9, 10])
    expected_taken = expected.take(order).reset_index(drop=True)
    joined = frames.join([p.copy() for p in parts])
    pd.testing.assert_frame_equal(joined, expected)
    pd.testing.assert_frame_equal(frames.join([p.copy() for p in parts], order), expected_taken)
    assert joined["year"].dtype == "Int64" and joined["authors"].tolist()[:2] == [[], ["A1"]]


def as_columns(frame: pd.DataFrame, *, as_lists=(), empty=()) -> frames.Columns:
    """A table as Columns: object columns as arrays (``as_lists``: lists, ``empty``: None), Int64 as arrays."""
    data = {}
    for col, values in frame.items():
        if col in empty:
            data[col] = None
        elif values.dtype == "Int64":
            data[col] = values.array
        else:
            data[col] = values.tolist() if col in as_lists else values.to_numpy()
    return frames.Columns(data, len(frame))


def test_join_of_columns_is_concat_of_their_tables():
    tables = [block(0, 4), block(4, 3), block(7, 0), block(7, 5)]
    empty = ["keywords", "notes", "citation_count", "id"]
    for table in tables:
        assert table["citation_count"].isna().all() and table["keywords"].map(len).sum() == 0  # (the empty columns)
        assert table["notes"].isna().all() and table["id"].isna().all()
    expected = pd.concat(tables, ignore_index=True)
    order = np.array([11, 0, 5, 3, 1, 2, 4, 6, 7, 8, 9, 10])
    for mixed in (False, True):  # Columns only, or with a table among them (the rows read record by record)

        def parts(mixed=mixed):
            made = [as_columns(t, as_lists=("authors", "source"), empty=empty) for t in tables]
            return made[:1] + [tables[1].copy()] + made[2:] if mixed else made

        joined = frames.join(parts())
        pd.testing.assert_frame_equal(joined, expected)
        pd.testing.assert_frame_equal(frames.join(parts(), order), expected.take(order).reset_index(drop=True))
        assert joined["keywords"].tolist() == [[]] * 12 and joined["notes"].tolist() == [None] * 12
        assert len({id(v) for v in joined["keywords"]}) == 12  # every row its own list
    one = as_columns(tables[0], empty=empty)
    pd.testing.assert_frame_equal(one.frame(), tables[0])
    pd.testing.assert_frame_equal(frames.join([one]), tables[0])


def test_join_empties_the_list_it_is_given():
    parts = [block(0, 2), block(2, 2)]
    assert len(frames.join(parts)) == 4 and parts == []


def test_join_of_tables_with_other_columns_falls_back_to_concat():
    parts = [pd.DataFrame({"a": [1], "b": ["x"]}), pd.DataFrame({"b": ["y"], "a": [2]})]
    expected = pd.concat([p.copy() for p in parts], ignore_index=True)
    pd.testing.assert_frame_equal(frames.join(parts), expected)


def test_release_freed_memory_runs_anywhere():
    frames.release_freed_memory()  # (glibc's malloc_trim where there is one; nothing else to check)


def test_shared_pylist_gives_to_pylist_with_one_object_per_value():
    values = pa.array(["arXiv", None, "NeurIPS", "arXiv"] * 50)
    shared = k.shared_pylist(values)
    assert shared == values.to_pylist()
    assert len({id(v) for v in shared if v is not None}) == 2
    unique = pa.array([f"v{i}" for i in range(100)])  # mostly distinct values: converted as they are
    assert k.shared_pylist(unique) == unique.to_pylist()
    assert k.shared_pylist(pa.array([1, 2] * 40)) == [1, 2] * 40


def test_people_share_repeated_names_and_keep_their_lists():
    rows = [["Ana Li", "Wei Zhang"], None, [], ["Ana Li"]] * 30
    names, marked = k.people(pa.array(rows, pa.list_(pa.string())))
    assert not marked.any()
    assert names == rows
    assert names[0][0] is names[3][0]
    assert names[0] is not names[4] and names[2] is not names[6]  # every row its own list


def test_one_line_rewrites_only_what_changes():
    alphabet = list("ab ") + list(k.PY_SPACE)
    rng = random.Random(3)
    values = ["plain title", None, ""] + ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 6)))
                                         for _ in range(3000)]  # fmt: skip
    assert k.one_line(pa.array(values)).to_pylist() == [None if v is None else " ".join(v.split()) for v in values]
    clean = pa.array(["A title", "Another one", None])
    assert k.one_line(clean) is clean  # nothing to rewrite: the same array back
