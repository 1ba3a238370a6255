"""One key per cited work: the references of a references table (:func:`litreview.references`) that name the
same work, however each export writes it, get the same key (:func:`reference_key`), which the citation
analyses count by (:func:`litreview.cited_works`, :func:`litreview.cocitation`).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from litreview.fields.ids import normalize_title


def reference_key(refs: pd.DataFrame) -> pd.Series:
    """One key per cited work, the same for every citing paper: the corpus id where resolved, else the DOI,
    arXiv, OpenAlex or S2 id, else ``surname year source`` (or the reference text, folded, when unparsed).

    References known by their parts (no identifier) with the same first author's surname, year, first page
    (from page 10: a small number is too often an article's first page or number) and first long word of
    the source are one work, however else the source is abbreviated: Web of Science writes MacQueen's 1967
    paper under ``P 5 BERK S MATH STAT``, ``5TH P BERK S MATH ST`` and ``5 BERK S MATH STAT P``, all at page
    281.  References with the same first author's surname, year and normalised title (of
    :data:`TITLE_WORDS` words or more; Scopus writes titles) are one work too, an identifier or not: Scopus
    writes Adamoli 2011's journal as ``Software Quality Journal``, ``Softw Qual J`` and ``Softw. Qual. J``, and
    gives Chaouiya 2007 a DOI in 4 references of 9.  A work takes an identifier's key where one of its
    references has one, else the key most of its references have (the first to appear among equals).
    """
    def text(column):
        return refs[column].astype(object).where(refs[column].notna(), None)

    key = pd.Series(None, index=refs.index, dtype=object)
    year = refs["year"].astype("Int64").astype(str)
    where = text("source").fillna(text("title")).fillna("").astype(str).str.upper().str.split().str.join(" ")
    by_parts = "ref:" + text("first_author").fillna("") + " " + year + " " + where
    by_parts = by_parts.where(refs["first_author"].notna() & refs["year"].notna())
    folded = "ref:" + refs["reference"].astype(str).str.upper().str.split().str.join(" ")
    for candidate in (text("cited_id"), "doi:" + text("doi"), "arxiv:" + text("arxiv_id"),
                      "openalex:" + text("openalex_id"), "s2:" + text("s2_id"), by_parts, folded):
        key = key.fillna(candidate) if key.isna().any() else key
    return _joined(key, refs).rename("work")


_FIRST_PAGE_FROM = 10
TITLE_WORDS = 4  # a normalised title this long, with the surname and year, names one work
_SOURCE_WORD = re.compile(r"[A-Za-z]{4,}")


def _source_word(source) -> str:
    """The alphabetically first word of four letters or more of a reference's source (``BERK`` of
    ``P 5 BERK S MATH STAT`` and of ``5TH P BERK S MATH ST``); ``""`` when it has none."""
    words = _SOURCE_WORD.findall(source) if isinstance(source, str) else []
    return min(w.upper() for w in words) if words else ""


def _by_page(key: pd.Series, refs: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """The rows joined by surname, year, first page and source word, and their group codes."""
    page = pd.to_numeric(refs["page"].astype(object), errors="coerce")
    # only references known by their parts (an identifier names its work already, and two identifiers are two
    # works); the source's alphabetically first word of four letters or more must agree too, so that a common
    # surname's two papers of a year at one page in two journals stay two
    by_parts = key.astype(str).str.startswith("ref:").to_numpy()
    usable = ((page >= _FIRST_PAGE_FROM) & refs["first_author"].notna() & refs["year"].notna()).to_numpy() & by_parts
    if not usable.any():
        return usable, np.zeros(0, dtype=np.int64)
    source_codes, sources = pd.factorize(refs["source"].astype(object).to_numpy()[usable])  # (a field's few)
    words = np.array([_source_word(s) for s in sources] + [""], dtype=object)[source_codes]  # (code -1: none)
    parts = pd.DataFrame({"author": refs["first_author"].astype(object).to_numpy()[usable],
                          "year": refs["year"].to_numpy()[usable], "page": page.to_numpy()[usable], "word": words})
    return usable, parts.groupby(["author", "year", "page", "word"], sort=False, dropna=False).ngroup().to_numpy()


def _by_title(refs: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """The rows joined by surname, year and normalised title (of TITLE_WORDS words or more), and their codes."""
    if "title" not in refs:
        return np.zeros(len(refs), dtype=bool), np.zeros(0, dtype=np.int64)
    title_codes, titles = pd.factorize(refs["title"].astype(object).to_numpy())  # (each title folded once)
    folded = [normalize_title(t) if isinstance(t, str) else "" for t in titles]
    folded = np.array([t if len(t.split()) >= TITLE_WORDS else "" for t in folded] + [""], dtype=object)
    normal = folded[title_codes]
    usable = (normal != "") & refs["first_author"].notna().to_numpy() & refs["year"].notna().to_numpy()
    if not usable.any():
        return usable, np.zeros(0, dtype=np.int64)
    parts = pd.DataFrame({"author": refs["first_author"].astype(object).to_numpy()[usable],
                          "year": refs["year"].to_numpy()[usable], "title": normal[usable]})
    return usable, parts.groupby(["author", "year", "title"], sort=False).ngroup().to_numpy()


def _joined(key: pd.Series, refs: pd.DataFrame) -> pd.Series:
    """``key`` with the keys of references that share a page or a title made one (see :func:`reference_key`)."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    key_codes, keys = pd.factorize(key.to_numpy(dtype=object))
    n_keys = len(keys)
    rows, columns, n = [], [], n_keys
    for usable, codes in (_by_page(key, refs), _by_title(refs)):
        if usable.any():
            rows.append(key_codes[usable])
            columns.append(n + codes)
            n += int(codes.max()) + 1
    if not rows:
        return key
    rows, columns = np.concatenate(rows), np.concatenate(columns)
    graph = coo_matrix((np.ones(len(rows)), (rows, columns)), shape=(n, n))
    _, component = connected_components(graph, directed=False)
    component = component[:n_keys]
    if len(np.unique(component)) == n_keys:
        return key  # (no two keys share a page or a title)
    # each component's key: an identifier's (a corpus id, a DOI...) before a "ref:" key, then the one most
    # references have, then the first to appear
    counts = np.bincount(key_codes, minlength=n_keys)
    by_parts = np.array([str(k).startswith("ref:") for k in keys])
    order = np.lexsort((np.arange(n_keys), -counts, by_parts, component))
    leader = np.empty(component.max() + 1, dtype=np.int64)
    leader[component[order[::-1]]] = order[::-1]  # (the last write is the first in order)
    return pd.Series(np.asarray(keys, dtype=object)[leader[component[key_codes]]], index=key.index, dtype=object)
