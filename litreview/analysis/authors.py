"""Who writes the papers and where they appear: top authors and venues, and a co-author network.

Authors are grouped by :func:`litreview.fields.names.author_key` (surname and first
initial, folded), so ``Vaswani, Ashish``, ``Ashish Vaswani`` and ``A. Vaswani``
are one person, shown by the spelling most of their papers use (``Last,
First`` read as ``First Last``; ties: the longest, then the first
alphabetically).  When the corpus writes out different first names under one
such key (``Jianfeng Gao`` and ``Jie Gao``; ``Yixuan Li``, ``Yu Li`` and
``Yang Li``), they are different people, each counted apart, and the key's
names given by initials alone (``J. Gao``) are counted apart from all of them,
since they could be any.  A surname written in two words (``Yann Le Cun``,
``J. Almeida Dias``) is the one-word surname (``LeCun``, ``Almeida-Dias``) where the
corpus also writes it so.  Two people of the same full name are still one.
Each author counts once per paper; papers whose author list
is cut short (flagged ``authors-incomplete``) count the authors they list.

Venues are grouped ignoring case and spacing; a preprint server's many
spellings (``arXiv``, ``arXiv.org``, ``arXiv (Cornell University)``,
``arXiv preprint arXiv:2106.09685``) are one venue under the server's name,
which ``include_preprints=False`` leaves out.  Papers without authors or
without a venue are not counted (most papers of the default corpus list no
authors).

The co-author network is counted with a sparse paper-by-author matrix
``X``: ``X.T @ X`` holds the papers every pair of authors shares, so nothing
loops over pairs.
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd
from matplotlib.collections import LineCollection
from scipy import sparse

from litreview.analysis.cooccurrence import circle_layout
from litreview.deprecation import MISSING, renamed_keyword
from litreview.fields.names import author_key, first_last, given_name
from litreview.figures import axes_for, finish
from litreview.validation import check_bool, check_choice, check_frame, check_int

EDGE_COLUMNS = ["author_a", "author_b", "papers"]
# Preprint servers: a venue starting with one of these (case folded) is that server.
PREPRINT_SERVERS: tuple[str, ...] = (
    "arXiv", "bioRxiv", "medRxiv", "chemRxiv", "TechRxiv", "PsyArXiv", "SocArXiv", "EdArXiv", "engrXiv",
    "SSRN", "Research Square", "Preprints.org", "OSF Preprints",
)  # fmt: skip
# opening words (case folded) -> server; DBLP files arXiv papers under CoRR, arXiv's computer-science repository
_SERVER_OF = {s.casefold(): s for s in PREPRINT_SERVERS} | {"corr": "arXiv"}
_PREPRINT = re.compile(
    r"^(?:" + "|".join(re.escape(p) for p in sorted(_SERVER_OF, key=len, reverse=True)) + r")(?![a-z])"
)


# -- authors ----------------------------------------------------------------------------------------------------------


def _author_rows(papers: pd.DataFrame) -> pd.DataFrame:
    """One row per paper and author: ``row`` (the paper's position), ``key``, ``name`` (as given,
    ``Last, First`` turned to ``First Last``).

    An author listed twice in one paper, under any spelling, is one row.
    """
    _check(papers, "authors")
    lists = [a if isinstance(a, (list, tuple, np.ndarray)) else [] for a in papers["authors"].tolist()]
    lengths = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
    names = pd.Series([str(name) for names in lists for name in names], dtype=object)
    rows = pd.DataFrame({"row": np.repeat(np.arange(len(lists)), lengths), "name": names})
    distinct = names.unique()
    rows["key"] = rows["name"].map(dict(zip(distinct, _person_keys(distinct))))
    rows["name"] = rows["name"].map(dict(zip(distinct, map(first_last, distinct))))
    return rows.dropna(subset=["key"]).drop_duplicates(["row", "key"]).reset_index(drop=True)


def _person_keys(names) -> list[str | None]:
    """Each name's :func:`author_key`, with its first name written out after it where the corpus writes out
    several first names under that key (see the module docstring)."""
    keys = [author_key(n) for n in names]
    keys = _joined_surnames(names, keys)
    given = [given_name(n) for n in names]
    firsts: dict[str, set[str]] = {}
    for key, first in zip(keys, given):
        if key is not None and first is not None:
            firsts.setdefault(key, set()).add(first)
    return [f"{key} {first}" if key is not None and first is not None and len(firsts[key]) > 1 else key
            for key, first in zip(keys, given)]


def _joined_surnames(names, keys: list[str | None]) -> list[str | None]:
    """The keys with a surname written in two words (``Yann Le Cun``, ``J. Almeida Dias``) taken as the one-word
    surname (``LeCun``, ``Almeida-Dias``) where the corpus writes it so: its key is then another name's key.
    The word before the surname must be a word, not an initial (``Abigail C. Ross`` is no ``Cross``)."""
    known = set(keys)
    joined = list(keys)
    for i, name in enumerate(names):
        words = first_last(name).split()
        if len(words) < 3 or not _WORD.fullmatch(words[-2]):
            continue
        key = author_key(" ".join([*words[:-2], words[-2] + words[-1]]))
        if key in known:
            joined[i] = key
    return joined


_WORD = re.compile(r"[^\W\d_]{2,}", re.UNICODE)  # letters only, two or more: no initial ("C.", "C")


def _display_names(rows: pd.DataFrame) -> pd.Series:
    """Per author key, the spelling most papers use; ties the longest, then alphabetical."""
    if rows.empty:
        return pd.Series(dtype=object)
    spellings = rows.groupby(["key", "name"]).size().rename("uses").reset_index()
    spellings["length"] = spellings["name"].str.len()
    spellings = spellings.sort_values(["key", "uses", "length", "name"], ascending=[True, False, False, True])
    return spellings.drop_duplicates("key").set_index("key")["name"]


def top_authors(papers: pd.DataFrame, n: int = 20, by: str | None = None, *, by_topic=MISSING) -> pd.DataFrame:
    """The ``n`` authors of most papers: ``author``, ``papers``.

    Most papers first, ties alphabetical (case ignored).  Authors are grouped
    and named as the module docstring says.

    Parameters
    ----------
    papers : DataFrame
        A papers table (:func:`litreview.load`); ``by="topic"`` needs its ``topics`` column (:func:`litreview.tag`).
    n : int
        How many authors to list (per topic with ``by="topic"``), 1 or more.
    by : {None, "topic"}
        ``"topic"`` lists the ``n`` top authors of each topic: ``topic``,
        ``author``, ``papers``, topics alphabetical.
    by_topic : bool
        Deprecated: ``by_topic=True`` is ``by="topic"``.

    Returns
    -------
    DataFrame
        ``author``, ``papers`` (``topic`` first with ``by="topic"``); an empty
        table with these columns when no paper lists an author.

    Examples
    --------
    >>> papers = pd.DataFrame({"authors": [["Ann Lee", "Bo Chen"], ["Lee, Ann"]], "topics": [["peft"], []]})
    >>> lr.top_authors(papers).values.tolist()
    [['Ann Lee', 2], ['Bo Chen', 1]]
    >>> lr.top_authors(papers, by="topic").values.tolist()
    [['peft', 'Ann Lee', 1], ['peft', 'Bo Chen', 1]]
    """
    by = _grouping("top_authors", by, by_topic)
    by_topic = by == "topic"
    _check_n(n)
    rows = _author_rows(papers)
    names = _display_names(rows)
    if by_topic:
        rows = _with_topics(rows, papers)
        counts = rows.groupby(["topic", "key"]).size().rename("papers").reset_index()
    else:
        counts = rows.groupby("key").size().rename("papers").reset_index()
    counts["author"] = counts["key"].map(names)
    return _top(counts, "author", n, by_topic)


def _with_topics(rows: pd.DataFrame, papers: pd.DataFrame) -> pd.DataFrame:
    """``rows`` (with a ``row`` column) repeated once per topic of their paper, with a ``topic`` column."""
    _check(papers, "topics", "by='topic' needs a tagged table: pass lr.tag(papers)")
    topics = [t if isinstance(t, (list, tuple, np.ndarray)) else [] for t in papers["topics"].tolist()]
    lengths = np.fromiter(map(len, topics), dtype=np.int64, count=len(topics))
    long = pd.DataFrame(
        {"row": np.repeat(np.arange(len(topics)), lengths), "topic": [str(t) for ts in topics for t in ts]}
    )
    return rows.merge(long, on="row")


def _top(counts: pd.DataFrame, column: str, n: int, by_topic: bool) -> pd.DataFrame:
    """Most papers first, then names alphabetical ignoring case; the first ``n`` (of each topic)."""
    counts["papers"] = counts["papers"].astype("int64")
    if not by_topic:
        ordered = _sorted(counts, ["papers", column], [False, True])
        return ordered[[column, "papers"]].head(n).reset_index(drop=True)
    ordered = _sorted(counts, ["topic", "papers", column], [True, False, True])
    return ordered.groupby("topic", sort=False).head(n)[["topic", column, "papers"]].reset_index(drop=True)


def _sorted(table: pd.DataFrame, by: list[str], ascending: list[bool]) -> pd.DataFrame:
    def key(column: pd.Series) -> pd.Series:
        return column if column.name == "papers" else column.str.casefold() + "\0" + column

    if table.empty:
        return table
    return table.sort_values(by, ascending=ascending, key=key, kind="stable")


# -- venues -----------------------------------------------------------------------------------------------------------


# Where a venue given as a whole reference turns from the journal's name to its volume, issue, pages or year:
# "Phys. Rev. B 74, 024520 (2006)", "Phys.Rev.D76:013009,2007", "Journal of Applied Physics, vol 104, 073536".
_REFERENCE_TAIL = re.compile(r",?\s*\(\d{4}\)|,?\s+(?:vol|volume|no|issue|pp|pages?)\b\.?\s*\d|,?\s*\d+\s*[,:(]",
                             re.IGNORECASE)


_AFTER_DOT = re.compile(r"\.\s+")


def journal_name(venue: str) -> str:
    """A venue's name without the volume, pages and year of a whole reference (arXiv's ``journal-ref``);
    a venue with no such tail, or whose name would be under three letters without it, as it is.

    >>> journal_name("Phys. Rev. Lett. 99, 048301 (2007)"), journal_name("Astrophys.J.663:1149-1173,2007")
    ('Phys. Rev. Lett.', 'Astrophys.J.')
    >>> journal_name("ICLR 2024"), journal_name("Proceedings of the 8th Conference on Knowledge Capture (K-CAP 2015)")
    ('ICLR 2024', 'Proceedings of the 8th Conference on Knowledge Capture (K-CAP 2015)')
    """
    text = " ".join(venue.split())
    tail = _REFERENCE_TAIL.search(text)
    name = text[: tail.start()].rstrip(" ,;:-'") if tail else text
    return name if sum(c.isalpha() for c in name) >= 3 else text


def _venue_keys(venues: pd.Series) -> pd.DataFrame:
    """Per distinct venue text: ``name`` (:func:`journal_name`), ``key`` (folded), ``server`` (a preprint
    server's name)."""
    distinct = pd.Series(venues.dropna().astype(str).unique(), dtype=object)
    name = distinct.map(journal_name)
    folded = name.map(lambda n: _AFTER_DOT.sub(".", n).casefold())  # ("Phys.Rev.D" is "Phys. Rev. D")
    server = folded.map(lambda f: _SERVER_OF[m.group()] if (m := _PREPRINT.match(f)) else None)
    table = pd.DataFrame({"venue": distinct, "name": name, "key": folded, "server": server})
    table.loc[table["server"].notna(), "key"] = table["server"].str.casefold()
    table = table[table["key"] != ""]
    return table.set_index("venue")


def top_venues(
    papers: pd.DataFrame,
    n: int = 20,
    by: str | None = None,
    include_preprints: bool = True,
    *,
    by_topic=MISSING,
) -> pd.DataFrame:
    """The ``n`` venues with most papers: ``venue``, ``papers``.

    Most papers first, ties alphabetical (case ignored).  Venues differing only in case or
    spacing are one, shown by the spelling most papers use; a venue given as a whole reference
    (arXiv's journal references: ``Phys. Rev. B 74, 024520 (2006)``) counts under its name
    (:func:`journal_name`: ``Phys. Rev. B``); a preprint
    server's venues (:data:`PREPRINT_SERVERS`, by the venue's opening words;
    DBLP's ``CoRR`` is arXiv) are one, shown by the server's name (``arXiv``).
    Papers without a venue are not counted.

    Parameters
    ----------
    papers : DataFrame
        A papers table (:func:`litreview.load`); ``by="topic"`` needs its ``topics`` column (:func:`litreview.tag`).
    n : int
        How many venues to list (per topic with ``by="topic"``), 1 or more.
    by : {None, "topic"}
        ``"topic"`` lists the ``n`` top venues of each topic: ``topic``, ``venue``, ``papers``.
    include_preprints : bool
        False leaves preprint servers out, to see where papers were published.
    by_topic : bool
        Deprecated: ``by_topic=True`` is ``by="topic"``.

    Returns
    -------
    DataFrame
        ``venue``, ``papers`` (``topic`` first with ``by="topic"``); empty, with these columns, when no
        paper has a venue.

    Examples
    --------
    >>> papers = pd.DataFrame({"venue": ["arXiv.org", "ICLR", "arXiv preprint arXiv:2106.09685", None]})
    >>> lr.top_venues(papers).values.tolist()
    [['arXiv', 2], ['ICLR', 1]]
    >>> lr.top_venues(papers, include_preprints=False).values.tolist()
    [['ICLR', 1]]
    """
    by = _grouping("top_venues", by, by_topic)
    by_topic = by == "topic"
    _check_n(n)
    _check(papers, "venue")
    check_bool(include_preprints, "include_preprints")
    keys = _venue_keys(papers["venue"])
    rows = pd.DataFrame({"row": np.arange(len(papers)), "venue": papers["venue"].to_numpy(dtype=object)})
    rows = rows[rows["venue"].isin(keys.index)]
    rows = rows.assign(key=rows["venue"].map(keys["key"]), server=rows["venue"].map(keys["server"]))
    if not include_preprints:
        rows = rows[rows["server"].isna()]
    spelled = rows["venue"].map(keys["name"])
    spellings = rows.assign(name=rows["server"].fillna(spelled))
    names = _display_names(spellings)
    if by_topic:
        rows = _with_topics(rows, papers)
        counts = rows.groupby(["topic", "key"]).size().rename("papers").reset_index()
    else:
        counts = rows.groupby("key").size().rename("papers").reset_index()
    counts["venue"] = counts["key"].map(names)
    return _top(counts, "venue", n, by_topic)


# -- co-authors -------------------------------------------------------------------------------------------------------


def coauthor_network(papers: pd.DataFrame, min_papers: int = 1, max_authors: int | None = 50) -> pd.DataFrame:
    """Pairs of authors who wrote papers together: ``author_a``, ``author_b``, ``papers``.

    A paper with k authors links every pair of them (k*(k-1)/2 pairs).  A
    pair is unordered (``author_a`` before ``author_b`` alphabetically, case
    ignored) and kept when the
    two share at least ``min_papers`` papers; rows are sorted by ``papers``,
    most first, then by ``author_a`` and ``author_b``.  Authors are grouped and
    named as :func:`top_authors` does.

    Papers with more than ``max_authors`` authors (large collaborations, where
    every pair says little and the pairs grow as k squared) are left out, with
    a warning naming how many and the first ids; their ids are in
    ``edges.attrs["skipped"]``.  ``max_authors=None`` keeps every paper.

    Examples
    --------
    >>> papers = pd.DataFrame({"id": ["p1", "p2"],
    ...                        "authors": [["Ann Lee", "Bo Chen"], ["Lee, Ann", "Bo Chen", "Cy Dee"]]})
    >>> lr.coauthor_network(papers).values.tolist()
    [['Ann Lee', 'Bo Chen', 2], ['Ann Lee', 'Cy Dee', 1], ['Bo Chen', 'Cy Dee', 1]]
    """
    _check_n(min_papers, "min_papers")
    if max_authors is not None:
        _check_n(max_authors, "max_authors")
    rows = _author_rows(papers)
    names = _display_names(rows)
    per_paper = rows.groupby("row").size()
    skipped: list[str] = []
    if max_authors is not None:
        large = per_paper.index[per_paper > max_authors].to_numpy()
        if len(large):
            skipped = [str(i) for i in papers["id"].to_numpy(dtype=object)[large]] if "id" in papers else []
            shown = ", ".join(skipped[:5]) + (", ..." if len(large) > 5 else "")
            warnings.warn(
                f"coauthor_network left out {len(large)} paper(s) with more than {max_authors} authors ({shown}); "
                f"pass max_authors={int(per_paper.max())} (or None) to include them",
                UserWarning,
                stacklevel=2,
            )
            rows = rows[~rows["row"].isin(large)]
    # authors numbered in name order (case ignored), so the upper triangle has author_a < author_b
    order = names.iloc[np.lexsort((names.to_numpy(dtype=str), names.str.casefold().to_numpy(dtype=str)))]
    column = pd.Series(np.arange(len(order)), index=order.index)
    matrix = sparse.csr_matrix(
        (np.ones(len(rows), dtype=np.int64), (rows["row"].to_numpy(), rows["key"].map(column).to_numpy())),
        shape=(len(papers), len(order)),
    )
    shared = sparse.triu(matrix.T @ matrix, k=1).tocoo()
    keep = shared.data >= min_papers
    labels = order.to_numpy(dtype=object)
    edges = pd.DataFrame(
        {
            "author_a": labels[shared.row[keep]],
            "author_b": labels[shared.col[keep]],
            "papers": shared.data[keep].astype(np.int64),
        },
        columns=EDGE_COLUMNS,
    )
    edges = _sorted(edges, ["papers", "author_a", "author_b"], [False, True, True]).reset_index(drop=True)
    edges.attrs["skipped"] = skipped
    return edges


def plot_coauthor_network(edges: pd.DataFrame, n: int = 30, title: str = "Co-authors", *, ax=None):
    """The co-author network of the ``n`` most connected authors, on a circle.

    Authors are ranked by the papers they share with others (the sum of
    ``papers`` over their edges; ties by name) and the top ``n`` drawn with the
    edges among them, line width growing with shared papers and node area with
    the author's rank score.  The layout is fixed, not simulated: authors are
    placed clockwise from the top, group by group (connected groups, the group
    of the top-ranked author first), each group in rank order, so co-authors sit
    together and the same table always gives the same figure.

    Parameters
    ----------
    edges : DataFrame
        The table :func:`coauthor_network` returns (``author_a``, ``author_b``, ``papers``).
    n : int
        How many authors to draw, 1 or more.
    title : str
        The Axes title.
    ax : matplotlib Axes, optional
        Where to draw; a new Figure's Axes when None.

    Returns
    -------
    matplotlib.axes.Axes
        Edges in a LineCollection, authors in a scatter (``ax.collections[-1]``),
        one text per author.

    Examples
    --------
    >>> edges = pd.DataFrame({"author_a": ["Ann", "Ann"], "author_b": ["Bo", "Cy"], "papers": [2, 1]})
    >>> ax = lr.plot_coauthor_network(edges, n=2)
    >>> [t.get_text() for t in ax.texts], [round(float(v), 3) for v in ax.collections[-1].get_offsets()[0]]
    (['Ann', 'Bo'], [0.0, 1.0])
    """
    from scipy.sparse.csgraph import connected_components

    check_frame(edges, "edges", EDGE_COLUMNS, "pass the table lr.coauthor_network(papers) returns")
    check_int(n, "n", 1)
    strength = (
        pd.concat([edges.set_index("author_a")["papers"], edges.set_index("author_b")["papers"]]).groupby(level=0).sum()
    )
    ranked = sorted(strength.index, key=lambda name: (-strength[name], name))[:n]
    chosen = set(ranked)
    shown = edges[edges["author_a"].isin(chosen) & edges["author_b"].isin(chosen)]

    position = {name: i for i, name in enumerate(ranked)}
    a = shown["author_a"].map(position).to_numpy(dtype=np.int64)
    b = shown["author_b"].map(position).to_numpy(dtype=np.int64)
    graph = sparse.csr_matrix((np.ones(len(a)), (a, b)), shape=(len(ranked), len(ranked)))
    _, group = connected_components(graph, directed=False)
    first_member = {}
    for rank, g in enumerate(group.tolist()):
        first_member.setdefault(g, rank)
    order = sorted(range(len(ranked)), key=lambda r: (first_member[group[r]], r))
    xy = np.zeros((len(ranked), 2))
    xy[order] = circle_layout(len(order))

    created = ax is None
    ax = axes_for(ax, (6, 5))
    ax.set_title(title)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_xlim(-1.7, 1.7)
    ax.set_ylim(-1.3, 1.3)
    if not ranked:
        ax.text(0, 0, "no co-authored papers", ha="center", va="center")
        return ax
    weights = shown["papers"].to_numpy(dtype=float)
    spread = weights.max() - weights.min() if len(weights) else 0.0
    widths = 1 + 3 * (weights - weights.min()) / spread if spread else np.full(len(weights), 1.5)
    ax.add_collection(
        LineCollection(np.stack([xy[a], xy[b]], axis=1), linewidths=widths, colors="#8c8c8c", alpha=0.7, zorder=1)
    )
    values = strength[ranked].to_numpy(dtype=float)
    ax.scatter(xy[:, 0], xy[:, 1], s=30 + 300 * values / values.max(), color="#4c72b0", zorder=2)
    for name, (x, y) in zip(ranked, xy):
        ha = "center" if abs(x) < 0.1 else "left" if x > 0 else "right"
        ax.text(1.1 * x, 1.1 * y, name, ha=ha, va="center", fontsize="x-small")
    return finish(ax, created)


# -- checks -----------------------------------------------------------------------------------------------------------


def _check(papers: pd.DataFrame, column: str, hint: str | None = None) -> None:
    check_frame(papers, "papers")
    if column not in papers.columns:
        raise ValueError(hint or f"papers table lacks the {column!r} column; load it with litreview.load()")


def _check_n(value, name: str = "n") -> None:
    check_int(value, name, 1)


def _grouping(function: str, by, by_topic) -> str | None:
    """``by`` checked, with the deprecated ``by_topic`` (keyword, or the old third positional bool) turned into it."""
    if isinstance(by, (bool, np.bool_)):  # an old call: top_authors(papers, 10, True)
        by, by_topic = None, bool(by)
    if by_topic is not MISSING:
        check_bool(by_topic, "by_topic")
        by = renamed_keyword(function, "by_topic", "by", "topic" if by_topic else None, by, None, stacklevel=5)
    check_choice(by, "by", (None, "topic"))
    return by
