"""Co-occurrence networks as VOSviewer map and network files.

VOSviewer (https://www.vosviewer.com) reads a network as two tab-separated
text files ("Create a map based on network data"), as its documentation
describes them (app.vosviewer.com/docs/file-types/map-and-network-file-type):

- the map file: a header line naming the columns, then one line per item.
  Written here: ``id`` (a positive integer), ``label`` and
  ``weight<Occurrences>`` (the item's papers, a non-negative number);
  VOSviewer lays out and clusters the items itself, so no ``x``, ``y`` or
  ``cluster`` columns are written.
- the network file: no header, one line per link: ``id1``, ``id2`` and the
  link's ``strength`` (shared papers by default; VOSviewer normalises raw
  co-occurrence counts itself, by association strength).

VOSviewer also accepts commas or semicolons as separators, so a label with a
comma or semicolon is enclosed in double quotes, as its documentation asks.
Labels are made single-line first: tabs, line breaks and other runs of
whitespace become one space, and a double quote inside a label becomes a
single quote (the format says nothing about escaping one).  Files are UTF-8
without a byte-order mark, lines end with ``\\n``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from litreview.analysis.cooccurrence import item_columns, papers_per_item

MAP_HEADER = "id\tlabel\tweight<Occurrences>"
_SPACE = re.compile(r"\s+")


def write_vosviewer(
    pairs: pd.DataFrame,
    occurrences: pd.DataFrame | pd.Series | Mapping[str, float],
    map_path: str | Path,
    network_path: str | Path,
    *,
    strength: str = "papers",
) -> tuple[Path, Path]:
    """Write ``pairs`` and ``occurrences`` as a VOSviewer map file and network file.

    ``pairs`` is :func:`litreview.topic_cooccurrence`'s or
    :func:`litreview.term_cooccurrence`'s table; ``occurrences`` the papers per
    item: :func:`litreview.topic_counts`' or :func:`litreview.term_occurrences`'
    table (or a Series or dict by item), and every item of ``pairs`` must be in
    it.  Items are numbered 1, 2, ... by papers, most first, ties by item; a
    link's strength is the ``strength`` column of ``pairs`` and links of
    strength 0 are left out.  An item's label is the item itself, or the
    ``label`` column of ``occurrences`` where it has one: the co-citation map of
    :func:`litreview.cocitation` and :func:`litreview.cited_works` names each
    work as its references write it, not by its key (``doi:10.1145/...``,
    ``ref:macqueen 1967 ...``).  Returns the two paths.

    Examples
    --------
    >>> import os, tempfile
    >>> folder = tempfile.mkdtemp()
    >>> pairs = pd.DataFrame({"topic_a": ["peft"], "topic_b": ["agents"], "papers": [2]})
    >>> paths = lr.write_vosviewer(pairs, {"peft": 5, "agents": 3}, os.path.join(folder, "map.txt"),
    ...                            os.path.join(folder, "network.txt"))
    >>> [path.read_text().splitlines() for path in paths]
    [['id\\tlabel\\tweight<Occurrences>', '1\\tpeft\\t5', '2\\tagents\\t3'], ['1\\t2\\t2']]
    """
    item_a, item_b = item_columns(pairs)
    item = item_a[: -len("_a")]
    if strength not in pairs.columns or strength in (item_a, item_b):
        choices = [c for c in pairs.columns if c not in (item_a, item_b)]
        raise ValueError(f"strength must be a column of pairs: one of {choices}, got {strength!r}")
    weights = papers_per_item(occurrences, item, what="occurrences")
    unknown = sorted((set(pairs[item_a].astype(str)) | set(pairs[item_b].astype(str))) - set(weights.index))
    if unknown:
        raise ValueError(f"occurrences has no papers for {unknown}; pass occurrences covering every {item} in pairs")
    order = sorted(weights.index, key=lambda name: (-weights[name], name))
    ids = {name: number for number, name in enumerate(order, start=1)}

    labels = {}
    if isinstance(occurrences, pd.DataFrame) and "label" in occurrences.columns:
        labels = dict(zip(occurrences[item].astype(str), occurrences["label"]))
    map_lines = [MAP_HEADER] + [
        f"{ids[name]}\t{_label(_text(labels.get(name), name))}\t{_number(weights[name], name)}" for name in order]
    links = []
    for a, b, value in zip(pairs[item_a].astype(str), pairs[item_b].astype(str), pairs[strength]):
        if pd.isna(value) or value < 0:
            raise ValueError(f"link strength must be a number, 0 or more; {a!r}-{b!r} has {value!r}")
        if value > 0:
            first, second = sorted((ids[a], ids[b]))
            links.append((first, second, _number(value, f"{a}-{b}")))
    network_lines = [f"{first}\t{second}\t{value}" for first, second, value in sorted(links)]

    map_path, network_path = Path(map_path), Path(network_path)
    _write(map_path, map_lines)
    _write(network_path, network_lines)
    return map_path, network_path


def _text(label, name: str) -> str:
    """A label given as text, else the item's name."""
    return label if isinstance(label, str) and label.strip() else name


def _label(name: str) -> str:
    """One line, no tabs; quoted when it holds a comma or semicolon (VOSviewer's other separators)."""
    label = _SPACE.sub(" ", name).strip().replace('"', "'")
    if not label:
        raise ValueError(f"item {name!r} has no printable label")
    return f'"{label}"' if "," in label or ";" in label else label


def _number(value, what: str) -> str:
    """``3`` for whole numbers, ``0.25`` otherwise (3 decimals at most)."""
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{what}: {value!r} is not a finite number")
    number = round(number, 3)
    return str(int(number)) if number.is_integer() else repr(number)


def _write(path: Path, lines: list[str]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write("".join(line + "\n" for line in lines))
