"""What a field builds on: citation analyses over :func:`litreview.references`' table.

Every function takes the references table (one row per citing paper and reference, with ``cited_id`` where
the reference resolves to a corpus record) and, where it needs titles or years, the papers table; each
returns a tidy DataFrame, and the ``plot_*`` functions beside them draw on an Axes.

- :func:`local_citations`: per corpus paper, citations from inside the corpus (and the global count where
  the format gives one, in a ``global_citations`` column of the papers table);
- :func:`cocitation`: pairs of works cited together by the same paper, works outside the corpus included
  (a field's foundations), with Salton-normalised strength;
- :func:`bibliographic_coupling`: pairs of corpus papers sharing references;
- :func:`citation_graph` and :func:`plot_historiograph`: the citation graph among corpus papers laid out by year;
- :func:`main_path`: search path count (SPC) over the citation graph and the main path along it;
- :func:`rpys`: reference-publication-year spectroscopy: the years a field's roots come from.

Pairs are counted with sparse matrix products (papers x works), never by comparing every pair of papers.
A paper citing itself stays in the references table (counted there, with its ``cited_id``) and is left
out of every analysis here.
"""

from __future__ import annotations

import re
from collections import defaultdict

import numpy as np
import pandas as pd

from litreview.fields.latex import readable
from litreview.figures import axes_for, finish
from litreview.io.references import PLACEHOLDER_DOI, reference_key
from litreview.schema import display_titles
from litreview.validation import check_int

COCITATION_COLUMNS = ("work_a", "work_b", "papers", "strength")
COUPLING_COLUMNS = ("paper_a", "paper_b", "shared_references", "strength")


def _check_refs(refs: pd.DataFrame) -> None:
    if not isinstance(refs, pd.DataFrame):
        raise TypeError(f"refs must be the references table (lr.references(papers)), not {type(refs).__name__}")
    missing = [c for c in ("citing_id", "cited_id") if c not in refs.columns]
    if missing:
        raise ValueError(f"refs lacks the columns {missing}; build it with lr.references(papers)")


def _citing_pairs(refs: pd.DataFrame) -> pd.DataFrame:
    """(citing, cited) corpus edges, each once; a paper citing itself is left out (counted in the table)."""
    edges = refs.loc[refs["cited_id"].notna(), ["citing_id", "cited_id"]].astype(object).drop_duplicates()
    return edges.loc[edges["citing_id"] != edges["cited_id"]].reset_index(drop=True)


def local_citations(papers: pd.DataFrame, refs: pd.DataFrame) -> pd.DataFrame:
    """Citations each corpus paper receives from other corpus papers, most cited first.

    Returns ``id``, ``title``, ``year``, ``local_citations`` (distinct citing papers) and
    ``global_citations`` (the papers table's count where the format gives one, else missing).

    Examples
    --------
    >>> import litreview as lr
    >>> papers = lr.load()
    >>> int(lr.local_citations(papers, lr.references(papers))["local_citations"].sum())
    0
    """
    _check_refs(refs)
    counts = _citing_pairs(refs).groupby("cited_id")["citing_id"].nunique()
    out = pd.DataFrame(
        {
            "id": papers["id"].to_numpy(),
            "title": papers["title"].to_numpy() if "title" in papers else None,
            "year": pd.array(papers["year"], dtype="Int64") if "year" in papers else None,
            "local_citations": papers["id"].map(counts).fillna(0).astype("int64").to_numpy(),
            "global_citations": pd.array(papers["citation_count"], dtype="Int64")
            if "citation_count" in papers
            else pd.array([None] * len(papers), dtype="Int64"),
        }
    )
    return out.sort_values(["local_citations", "id"], ascending=[False, True], kind="stable").reset_index(drop=True)


def _without_self_citations(refs: pd.DataFrame) -> pd.DataFrame:
    cited, citing = refs["cited_id"].astype(object), refs["citing_id"].astype(object)
    return refs.loc[cited.isna() | (cited != citing)]


def keyed_references(refs: pd.DataFrame) -> pd.DataFrame:
    """``refs`` with each reference's work key in a ``work`` column (none for a self-citation), so that the
    analyses key them once between them, not each again (:func:`reference_key` costs about 16 µs a reference).
    Key the references analysed, after choosing them: a work's key depends on the references beside it."""
    return refs.assign(work=reference_key(_without_self_citations(refs)).reindex(refs.index))


def _works(refs: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """``refs`` without self-citations, and their work keys (those :func:`keyed_references` gave, else worked out)."""
    refs = _without_self_citations(refs)
    return refs, (refs["work"] if "work" in refs.columns else reference_key(refs))


def _incidence(refs: pd.DataFrame):
    """Sparse papers x works incidence (1 where a paper cites a work), with the row and column labels."""
    from scipy import sparse

    refs, works = _works(refs)
    frame = pd.DataFrame({"paper": refs["citing_id"].to_numpy(), "work": works.to_numpy()}).drop_duplicates()
    paper_codes, paper_labels = pd.factorize(frame["paper"], sort=True)
    work_codes, work_labels = pd.factorize(frame["work"], sort=True)
    matrix = sparse.csr_matrix(
        (np.ones(len(frame), dtype=np.int64), (paper_codes, work_codes)),
        shape=(len(paper_labels), len(work_labels)),
    )
    return matrix, np.asarray(paper_labels, dtype=object), np.asarray(work_labels, dtype=object)


def _pairs(product, labels, totals, min_count: int, names) -> pd.DataFrame:
    from scipy import sparse

    upper = sparse.triu(product, k=1).tocoo()
    keep = upper.data >= min_count
    rows, cols, counts = upper.row[keep], upper.col[keep], upper.data[keep]
    strength = counts / np.sqrt(totals[rows] * totals[cols])
    out = pd.DataFrame(
        {names[0]: labels[rows], names[1]: labels[cols], names[2]: counts.astype("int64"), "strength": strength}
    )
    order = [names[2], names[0], names[1]]
    return out.sort_values(order, ascending=[False, True, True], kind="stable").reset_index(drop=True)


def _empty_pairs(names) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in zip(names, (object, object, "int64", float))})


def cited_works(refs: pd.DataFrame, papers: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every cited work once: ``work`` (its key), ``papers`` citing it, ``in_corpus``, and a readable
    ``label`` (the reference text that names it most often, the first seen among equals), most cited first:
    a field's foundations.

    With ``papers`` (the corpus ``refs`` were made from), a work of the corpus that its references name by an
    identifier alone (OpenAlex's ``referenced_works``: ``openalex:W2963403868``) is labelled by its title and
    year, ``Attention is all you need (2017)``, as the citation report names it (:func:`corpus_work_labels`).

    The table is also the occurrences file for :func:`litreview.write_vosviewer` of :func:`cocitation`.

    >>> lr.cited_works(lr.references(lr.load())).columns.tolist()
    ['work', 'papers', 'in_corpus', 'label']
    """
    _check_refs(refs)
    if papers is not None and not isinstance(papers, pd.DataFrame):
        raise TypeError(f"papers must be the papers table of refs (a DataFrame), not {type(papers).__name__}")
    if refs.empty:
        return pd.DataFrame({"work": pd.Series(dtype=object), "papers": pd.Series(dtype="int64"),
                             "in_corpus": pd.Series(dtype=bool), "label": pd.Series(dtype=object)})
    refs, works = _works(refs)
    frame = pd.DataFrame({"work": works.to_numpy(), "citing": refs["citing_id"].to_numpy(),
                          "label": refs["reference"].to_numpy(), "cited_id": refs["cited_id"].to_numpy(),
                          "undated": refs["year"].isna().to_numpy() if "year" in refs else True})
    grouped = frame.groupby("work", sort=True)
    # the way most references write a work (Web of Science writes Lloyd 1982 "LLOYD SP, ..., DOI 10.1109/..."
    # 35 times and "Lloyd S., ..., DOI DOI 10.1109/..." 6 times), a form without a year or with a placeholder DOI
    # last (Scopus writes some without one; a placeholder names no work: MacQueen 1967's); a stable sort keeps
    # the first seen among equals
    forms = frame.groupby(["work", "label", "undated"], sort=False).size().reset_index(name="times")
    forms["placeholder"] = forms["label"].astype(str).str.contains(PLACEHOLDER_DOI)
    forms = forms.sort_values(["placeholder", "undated", "times"], ascending=[True, True, False], kind="stable")
    forms = forms.drop_duplicates("work")
    out = pd.DataFrame({"papers": grouped["citing"].nunique().astype("int64"),
                        "in_corpus": grouped["cited_id"].agg(lambda s: s.notna().any()).astype(bool),
                        "label": forms.set_index("work")["label"]}).reset_index(names="work")
    out = out.sort_values(["papers", "work"], ascending=[False, True], kind="stable").reset_index(drop=True)
    if papers is not None:
        named = corpus_work_labels(refs, out, papers)
        out["label"] = [named.get(work, label) for work, label in zip(out["work"], out["label"])]
    return out


_BARE_ID = re.compile(r"(?:doi|arxiv|openalex|s2):\S+|https?://openalex\.org/W\d+", re.IGNORECASE)


def corpus_records(refs: pd.DataFrame, works: pd.DataFrame) -> pd.Series:
    """The corpus record (``id``) each of ``works`` (rows of :func:`cited_works`) resolves to, by work key; works
    outside the corpus left out."""
    refs, keys = _works(refs)  # (the references and keys cited_works counts)
    cited = pd.Series(refs["cited_id"].astype(object).to_numpy(), index=keys.to_numpy(), dtype=object).dropna()
    return cited[~cited.index.duplicated() & cited.index.isin(works["work"])]


def corpus_work_labels(refs: pd.DataFrame, works: pd.DataFrame, papers: pd.DataFrame) -> dict:
    """Work key -> ``Title (year)`` for those of ``works`` (rows of :func:`cited_works`) that are corpus papers
    named by an identifier alone (``openalex:W2963403868``): the title as the reports show it (LaTeX and
    publishers' markup read, :func:`litreview.fields.latex.readable`; a paper without one by its abstract's
    opening words)."""
    bare = works.loc[works["in_corpus"].to_numpy(dtype=bool) & works["label"].astype(str).str.fullmatch(_BARE_ID)]
    if bare.empty:
        return {}
    cited = corpus_records(refs, bare)
    shown = papers[papers["id"].isin(set(cited))]
    titles = dict(zip(shown["id"], display_titles(shown, words=12).map(readable)))
    years = dict(zip(shown["id"], shown["year"] if "year" in shown else [None] * len(shown)))
    return {work: titles[ident] + (f" ({int(years[ident])})" if pd.notna(years[ident]) else "")
            for work, ident in cited.items() if ident in titles}


def cocitation(refs: pd.DataFrame, *, min_count: int = 2) -> pd.DataFrame:
    """Pairs of works cited together: ``work_a``, ``work_b``, ``papers`` citing both and Salton's ``strength``.

    Examples
    --------
    >>> lr.cocitation(lr.references(lr.load())).columns.tolist()
    ['work_a', 'work_b', 'papers', 'strength']

    A work is the corpus record a reference resolves to, else its DOI or another id, else ``surname year
    source`` (:func:`litreview.io.references.reference_key`), so works outside the corpus pair up too.
    ``strength`` is papers / sqrt(citations of a x citations of b).  Pairs under ``min_count`` papers are
    left out.  ``lr.write_vosviewer(pairs, lr.cited_works(refs), ...)`` writes it as a VOSviewer map; the works'
    labels are :func:`cited_works`' (``lr.cited_works(refs, papers)`` names corpus works cited by an id alone by
    title and year).
    """
    _check_refs(refs)
    if refs.empty:
        return _empty_pairs(COCITATION_COLUMNS)
    matrix, _, works = _incidence(refs)
    product = (matrix.T @ matrix).tocsr()
    totals = np.asarray(matrix.sum(axis=0)).ravel().astype(float)
    return _pairs(product, works, totals, min_count, COCITATION_COLUMNS[:3])


def bibliographic_coupling(refs: pd.DataFrame, *, min_count: int = 1) -> pd.DataFrame:
    """Pairs of citing papers that share references: ``paper_a``, ``paper_b``, ``shared_references`` and
    Salton's ``strength`` (shared / sqrt(references of a x references of b)).  Pairs under ``min_count``
    shared references are left out.

    >>> lr.bibliographic_coupling(lr.references(lr.load())).columns.tolist()
    ['paper_a', 'paper_b', 'shared_references', 'strength']
    """
    _check_refs(refs)
    if refs.empty:
        return _empty_pairs(COUPLING_COLUMNS)
    matrix, papers, _ = _incidence(refs)
    product = (matrix @ matrix.T).tocsr()
    totals = np.asarray(matrix.sum(axis=1)).ravel().astype(float)
    return _pairs(product, papers, totals, min_count, COUPLING_COLUMNS[:3])


def citation_graph(papers: pd.DataFrame, refs: pd.DataFrame) -> pd.DataFrame:
    """Edges among corpus papers: ``citing_id``, ``cited_id``, both years, and ``backward`` (True where a
    paper cites a later one: errata, simultaneous papers, preprint dates) so a caller can see such edges.

    >>> papers = lr.load()
    >>> lr.citation_graph(papers, lr.references(papers)).columns.tolist()
    ['citing_id', 'cited_id', 'citing_year', 'cited_year', 'backward']
    """
    _check_refs(refs)
    edges = _citing_pairs(refs)
    years = papers.set_index("id")["year"] if "year" in papers else pd.Series(dtype="Int64")
    edges["citing_year"] = pd.array(edges["citing_id"].map(years), dtype="Int64")
    edges["cited_year"] = pd.array(edges["cited_id"].map(years), dtype="Int64")
    edges["backward"] = (edges["cited_year"] > edges["citing_year"]).fillna(False).astype(bool)
    return edges


def main_path(papers: pd.DataFrame, refs: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Search path count (SPC) of every citation edge, and the main path through the graph.

    Knowledge flows from the cited paper to the citing one.  SPC of an edge is the number of source-to-sink
    paths through it.  Cycles (which real data has: errata, papers citing each other) are broken first by
    leaving out the edges to a later paper (``backward``), then, where a cycle remains among papers of one
    year, the edges into the smallest id; the dropped edges are reported with ``spc`` 0 and ``in_dag`` False.
    The main path is the source-to-sink path whose edges' SPC add up to the most (the global main path).

    >>> papers = lr.load()
    >>> lr.main_path(papers, lr.references(papers))[1]   # no citations among the seed papers
    []
    """
    graph = citation_graph(papers, refs)
    edges = [(cited, citing) for citing, cited in zip(graph["citing_id"], graph["cited_id"])]
    forward = [edge for edge, backward in zip(edges, graph["backward"]) if not backward]
    order, kept = _acyclic(forward)
    order += sorted({n for edge in edges for n in edge} - set(order))
    children: dict = defaultdict(list)
    parents: dict = defaultdict(list)
    for a, b in kept:
        children[a].append(b)
        parents[b].append(a)
    nodes = order
    from_source = {n: 1 if not parents[n] else 0 for n in nodes}
    for n in nodes:
        for p in parents[n]:
            from_source[n] += from_source[p]
    to_sink = {n: 1 if not children[n] else 0 for n in nodes}
    for n in reversed(nodes):
        for c in children[n]:
            to_sink[n] += to_sink[c]
    kept_set = set(kept)
    spc = [from_source[a] * to_sink[b] if (a, b) in kept_set else 0 for a, b in edges]
    table = graph.assign(spc=pd.array(spc, dtype="int64"), in_dag=[(a, b) in kept_set for a, b in edges])
    table = table.sort_values(["spc", "cited_id", "citing_id"], ascending=[False, True, True], kind="stable")
    weight = {(a, b): from_source[a] * to_sink[b] for a, b in kept}
    # the global main path: the source-to-sink path of largest total SPC (ties: smaller ids), one pass in order
    best: dict = {}
    for n in nodes:
        options = [(best[p][0] + weight[(p, n)], best[p][1] + [n]) for p in parents[n]]
        options.sort(key=lambda o: o[1])  # max() keeps the first of equals: the smallest ids win ties
        best[n] = max(options, key=lambda o: o[0]) if options else (0, [n])
    sinks = [best[n] for n in nodes if not children[n] and parents[n]]
    path: list[str] = min(sinks, key=lambda o: (-o[0], o[1]))[1] if sinks else []
    return table.reset_index(drop=True), path


def _acyclic(edges: list[tuple[str, str]]) -> tuple[list[str], list[tuple[str, str]]]:
    """A topological order of the nodes and the edges kept so that the graph has no cycle (Kahn's algorithm,
    dropping, when stuck, the edges into the smallest remaining node id)."""
    nodes = sorted({n for e in edges for n in e})
    incoming: dict = defaultdict(set)
    outgoing: dict = defaultdict(set)
    for a, b in set(edges):
        if a != b:
            outgoing[a].add(b)
            incoming[b].add(a)
    import heapq

    ready = [n for n in nodes if not incoming[n]]
    heapq.heapify(ready)
    done: set = set()
    order: list[str] = []
    kept: list[tuple[str, str]] = []
    remaining = set(nodes)
    while remaining:
        if not ready:  # a cycle: cut the edges into the smallest remaining node
            stuck = min(remaining)
            for a in list(incoming[stuck]):
                outgoing[a].discard(stuck)
            incoming[stuck].clear()
            heapq.heappush(ready, stuck)
        node = heapq.heappop(ready)
        if node in done:
            continue
        done.add(node)
        remaining.discard(node)
        order.append(node)
        for child in sorted(outgoing[node]):
            kept.append((node, child))
            incoming[child].discard(node)
            if not incoming[child]:
                heapq.heappush(ready, child)
    return order, kept


def rpys(refs: pd.DataFrame, *, start: int | None = None, end: int | None = None) -> pd.DataFrame:
    """Reference-publication-year spectroscopy: references per cited year and the deviation from the
    median of the five-year window around it (peaks are the years a field's roots come from).

    Returns ``year``, ``references``, ``median_5y`` and ``deviation``, one row per year from the first to
    the last cited year (or ``start``..``end``), years without references counted 0.

    >>> lr.rpys(lr.references(lr.load())).columns.tolist()
    ['year', 'references', 'median_5y', 'deviation']
    """
    _check_refs(refs)
    if start is not None and end is not None and start > end:
        raise ValueError(f"start {start} is after end {end}")
    years = refs["year"].dropna().astype(int) if "year" in refs else pd.Series(dtype=int)
    if start is not None:
        years = years[years >= start]
    if end is not None:
        years = years[years <= end]
    if years.empty:
        return pd.DataFrame({c: pd.Series(dtype="int64") for c in ("year", "references")}).assign(
            median_5y=pd.Series(dtype=float), deviation=pd.Series(dtype=float)
        )
    span = range(start if start is not None else years.min(), (end if end is not None else years.max()) + 1)
    counts = years.value_counts().reindex(span, fill_value=0).sort_index()
    median = counts.rolling(5, center=True, min_periods=1).median()
    return pd.DataFrame(
        {"year": counts.index.astype("int64"), "references": counts.to_numpy().astype("int64"),
         "median_5y": median.to_numpy(), "deviation": (counts - median).to_numpy()}
    )


def plot_rpys(table: pd.DataFrame, *, ax=None):
    """Bars of references per cited year and the line of deviation from the five-year median; returns the Axes.

    Examples
    --------
    >>> refs = lr.references(lr.load())   # the seed corpus has no references: an empty spectrum
    >>> lr.plot_rpys(lr.rpys(refs)).get_title()
    'Reference publication years'
    """
    created = ax is None
    ax = axes_for(ax, (8, 4))
    ax.bar(table["year"], table["references"], color="#9ecae1", label="references")
    ax.plot(table["year"], table["deviation"], color="#d62728", label="deviation from 5-year median")
    ax.set_xlabel("cited year")
    ax.set_ylabel("references")
    ax.set_title("Reference publication years")
    if len(table):
        ax.legend(loc="upper left")
    return finish(ax, created)


def plot_local_citations(table: pd.DataFrame, *, n: int = 15, ax=None):
    """Horizontal bars of the ``n`` most locally cited papers (titles shortened); returns the Axes.

    Examples
    --------
    >>> papers = lr.load()
    >>> lr.plot_local_citations(lr.local_citations(papers, lr.references(papers))).get_xlabel()
    'citations from the corpus'
    """
    check_int(n, "n", 1)
    created = ax is None
    ax = axes_for(ax, (8, max(2.5, 0.35 * min(n, len(table)) + 1)))
    top = table.head(n).iloc[::-1]
    labels = [(str(t)[:60] + ("…" if len(str(t)) > 60 else "")) if isinstance(t, str) else i
              for t, i in zip(top["title"], top["id"])]
    ax.barh(labels, top["local_citations"], color="#3182bd")
    ax.set_xlabel("citations from the corpus")
    ax.set_title("Most cited inside the corpus")
    return finish(ax, created)


def plot_historiograph(papers: pd.DataFrame, refs: pd.DataFrame, *, n: int = 20, ax=None):
    """The citation graph among the ``n`` most locally cited papers, laid out by year (x) and drawn with
    arrows from the cited paper to the citing one, each node labelled ``surname year``; returns the Axes.
    Papers take lanes (y) in turn in year order, so the papers of one year, and of neighbouring years, stand apart.

    Examples
    --------
    >>> papers = lr.load()
    >>> lr.plot_historiograph(papers, lr.references(papers)).get_xlabel()
    'year'
    """
    check_int(n, "n", 1)
    from matplotlib.ticker import MaxNLocator

    created = ax is None
    ax = axes_for(ax, (10, 5))
    cited = local_citations(papers, refs)
    chosen = cited.loc[cited["local_citations"] > 0].head(n)
    ids = set(chosen["id"])
    edges = citation_graph(papers, refs)
    edges = edges.loc[edges["citing_id"].isin(ids) & edges["cited_id"].isin(ids)]
    info = papers.set_index("id")
    # papers in year order, each one lane above the last, with lanes enough for any two neighbouring years: a
    # chain of papers of successive years zigzags, so that an arrow does not run through the papers between its
    # ends and the labels of neighbouring years never share a lane (all in one lane, they overlapped)
    ordered = chosen.sort_values(["year", "id"], na_position="last")
    per_year = ordered.groupby("year", dropna=False, sort=True).size().to_numpy()
    lanes = max([4, *(per_year[:-1] + per_year[1:]), *per_year])
    position = {ident: (float(year) if pd.notna(year) else np.nan, float(i % lanes))
                for i, (ident, year) in enumerate(zip(ordered["id"], ordered["year"]))}
    for citing, cited_id in zip(edges["citing_id"], edges["cited_id"]):
        (x0, y0), (x1, y1) = position[cited_id], position[citing]
        ax.annotate("", xy=(x1, y1), xytext=(x0, y0), arrowprops={"arrowstyle": "->", "color": "#999999"})
    for ident, (x, y) in position.items():
        authors = info.at[ident, "authors"] if "authors" in info else []
        first = str(authors[0]).split()[-1] if isinstance(authors, list) and authors else ident
        year = info.at[ident, "year"] if "year" in info else None
        label = f"{first} {int(year)}" if pd.notna(year) else str(first)
        ax.scatter([x], [y], s=60, color="#3182bd", zorder=3)
        ax.annotate(label, (x, y), textcoords="offset points", xytext=(4, 4), fontsize=8)
    ax.set_xlabel("year")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # (years, not 2019.5)
    ax.margins(x=0.08)  # (room for the last year's labels)
    ax.set_yticks([])
    ax.set_title("Historiograph: citations among the most cited papers")
    return finish(ax, created)
