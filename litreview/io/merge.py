"""Merging records of the same paper read from several sources.

Two records are the same paper when they share (the keys of :data:`MERGE_KEYS`,
tried in this order):

* ``arxiv_id``: an arXiv id, any version; an arXiv DOI (``10.48550/arXiv.X``)
  counts as the id ``X``;
* ``doi``: a DOI, compared without case or resolver prefix;
* ``abstract``: the opening :data:`ABSTRACT_KEY_WORDS` words of the abstract, when the
  titles are alike (:data:`ABSTRACT_TITLE_SIMILARITY`; near-identical, :data:`SAME_TITLE`,
  when the first authors differ);
* ``title``: the normalised title (case, accents, punctuation, spacing and
  LaTeX folded, digits kept), when year and first author agree;
* ``fuzzy_title``: a title within :data:`FUZZY_SIMILARITY` of another (a typo, a
  dropped letter) with the same numbers in it and its other words alike (not another
  word: a meeting abstract's "Canine Pontine" and its article's "Canine PRG"), when year
  and first author agree.

A record that carries both an arXiv id and a DOI links the records of either.  "Year and first author
agree" is checked against the records already in each group: the groups share a year (or one side has
none) and share a first-author surname (or one side has none).  Candidates are found through hash keys,
and fuzzy candidates through blocks of titles sharing their first or last characters, never by
comparing every pair of records.

The user can undo a merge: ``merge_on`` names the keys to use, and ``keep_apart`` lists pairs of records
(by ``source``) that must stay apart.

Merged fields follow a documented precedence: records are ranked by how authoritative their format is
(:data:`FORMAT_PRIORITY`) and each field is taken from the highest-ranked record that has it, except that

* ``venue`` prefers a publication venue over ``arXiv``;
* ``year`` and ``month`` come from the record with the earliest year (the paper's first public appearance);
* ``keywords``, ``categories``, ``external_ids`` and ``provenance`` are unions, ``notes`` are joined;
* ``quality_flags`` describe the merged record: a flag about one field
  (``authors-incomplete``, ``no-abstract``, ``abstract-incomplete``,
  ``no-title``, ``bad-arxiv-id``, ``unreadable-doi``, the date flags) is kept
  only when the record the field was taken from carries it (or, when no
  record has the field, when any carries it), so a paper whose authors come
  from a complete list is not flagged ``authors-incomplete`` (and is not
  exported with ``and others``) because another copy was cut short; flags
  about a record as a whole (``truncated``, ``mojibake-repaired``, ...) are a
  union;
* ``references`` are the union of the records' lists with each cited work
  once (the same DOI, arXiv id or author, year and source written in
  another style counts once): two exports of the same papers neither lose
  nor double a reference;
* ``citation_count`` is the largest count any source gives;
* ``key``, ``entry_type`` and ``source_fields`` come together from the first record (by the same precedence)
  that keeps its source fields, so the export writes that record back (one with no entry type, a PubMed CSV
  row, takes the next record's that has one); the other records' citation keys are kept as aliases, ``key:<key>``
  in ``external_ids`` (written as biblatex ``ids``, so every ``\\cite`` of a merged record still resolves).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from litreview.fields.doi import normalize_doi
from litreview.fields.ids import normalize_title, title_slug
from litreview.io import merge_keys as key_rules
from litreview.io.merge_fuzzy import (  # noqa: F401 (importable from here as before)
    FUZZY_BLOCK_CHARS,
    FUZZY_MIN_CHARS,
    FUZZY_SIMILARITY,
    FuzzyProcess,
    _blocks,
    _fuzzy_candidates,
    _same_numbers,
    _same_words,
    fuzzy_candidates_aside,
)
from litreview.io.merge_keys import (  # noqa: F401 (the per-value keys, importable from here as before)
    ABSTRACT_KEY_WORDS,
    _abstract_key,
    _arxiv_key,
    _doi_key,
    _first_author_surname,
    _squashed_title,
    record_keys,
)
from litreview.io.references import union_references
from litreview.schema import conform

KEY_ALIAS_PREFIX = "key:"  # a merged record's citation key, kept as an alias of the paper's key

# Bibliographic databases first (curated metadata), then arXiv, then the
# hand-made listings of the seed corpus.  A format not listed ranks last.
FORMAT_PRIORITY: tuple[str, ...] = (
    "arxiv-dump", "arxiv-snapshot", "arxiv-oai", "arxiv-atom", "openalex", "semantic-scholar", "wos", "medline",
    "bibtex", "ris",
    "csl-json", "csv", "excel", "json-records", "parquet", "publist", "digest", "roundup",
)
MERGE_KEYS: tuple[str, ...] = ("arxiv_id", "doi", "abstract", "title", "fuzzy_title")
ABSTRACT_TITLE_SIMILARITY = 0.6  # titles that confirm an abstract match...
# ...when the first authors agree; with different first authors only near-identical titles do (a conference
# paper and its journal version, by other first authors, copy one abstract under two titles: two papers)
SAME_TITLE = 0.9

# Quality flags about one field, and that field.  A merged record takes each field from one member,
# so it keeps such a flag only from that member (see _describes).
_FIELD_FLAGS = {
    "authors-incomplete": "authors",
    "no-abstract": "abstract",
    "abstract-incomplete": "abstract",
    "no-title": "title",
    "bad-arxiv-id": "arxiv_id",
    "unreadable-doi": "doi",
    "date-unreadable": "year",
    "unreadable-year": "year",
    "unreadable-month": "month",
}
_ROMAN = re.compile(r"\b(?:i{1,3}|iv|v|vi{1,3}|ix|x)\b")


class _Groups:
    """Union-find over records.

    Each group remembers what its members say of the paper (``facets``: year,
    first-author surname, arXiv id, DOI, title), so a match on a weaker key is
    checked against all of them; and the records it must never be joined with
    (``keep_apart``).  A singleton's facets are its own values; sets are made
    only for groups of two or more, which keeps a million records light.
    """

    def __init__(self, facets: dict[str, list], apart: dict[int, set[int]]):
        self.parent = list(range(len(next(iter(facets.values())))))
        self.values = facets
        self.merged: dict[str, dict[int, set]] = {name: {} for name in facets}
        self.reason: dict[int, str] = {}
        # only records named in keep_apart carry these sets
        self.members = {i: {i} for i in apart}
        self.apart = {i: set(others) for i, others in apart.items()}

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def facet(self, name: str, root: int) -> set:
        held = self.merged[name].get(root)
        if held is not None:
            return held
        value = self.values[name][root]
        return set() if value is None else {value}

    def union(self, i: int, j: int, reason: str) -> bool:
        ri, rj = self.find(i), self.find(j)
        if ri == rj:
            return True
        if self.apart and (
            self.members.get(ri, set()) & self.apart.get(rj, set())
            or self.members.get(rj, set()) & self.apart.get(ri, set())
        ):
            return False
        keep, gone = min(ri, rj), max(ri, rj)
        self.parent[gone] = keep
        self.reason[gone] = reason  # the key that joined this record's group to another
        for name, held in self.merged.items():  # (the kept group's set is its own: grown in place)
            kept = held.get(keep)
            if kept is None:
                value = self.values[name][keep]
                kept = held[keep] = set() if value is None else {value}
            joined = held.pop(gone, None)
            if joined is not None:
                kept |= joined
            elif (value := self.values[name][gone]) is not None:
                kept.add(value)
        for table in (self.members, self.apart):
            if gone in table:
                table.setdefault(keep, set()).update(table.pop(gone))
        return True

    def agree(self, i: int, j: int, *facets: str) -> bool:
        """Whether two groups agree on each facet: unknown on one side, or a value in common
        (a group joined by an id may hold a preprint's year and its proceedings' year)."""
        ri, rj = self.find(i), self.find(j)
        for name in facets:
            held = self.merged[name]
            a, b = held.get(ri), held.get(rj)
            if a is None and b is None:  # two records not yet in groups: their own values (as sets compare them)
                x, y = self.values[name][ri], self.values[name][rj]
                if x is not None and y is not None and x is not y and x != y:
                    return False
            elif not _agree(self.facet(name, ri) if a is None else a, self.facet(name, rj) if b is None else b):
                return False
        return True

    def ids_agree(self, i: int, j: int) -> bool:
        """Records with different arXiv ids or DOIs are different papers."""
        return self.agree(i, j, "arxiv", "doi")

    def compatible(self, i: int, j: int) -> bool:
        """Whether two groups with the same title may be one paper."""
        return self.agree(i, j, "arxiv", "doi", "year", "surname")

    def surnames_alike(self, i: int, j: int) -> bool:
        """Whether the first authors may be one person: unknown on one side, or surnames alike (muller/mueller)."""
        from rapidfuzz.distance import Indel

        a, b = self.facet("surname", self.find(i)), self.facet("surname", self.find(j))
        return not a or not b or any(Indel.normalized_similarity(x, y) >= 0.8 for x in a for y in b)

    def titles_agree(self, i: int, j: int, similarity: float = ABSTRACT_TITLE_SIMILARITY) -> bool:
        """For abstract matches: no titles on one side, or two titles at least ``similarity`` alike
        (sources copy one abstract under different papers' titles)."""
        from rapidfuzz.distance import Indel

        a, b = self.facet("title", self.find(i)), self.facet("title", self.find(j))
        if not a or not b:
            return True
        return any(Indel.normalized_similarity(x, y) >= similarity for x in a for y in b)


def _agree(a: set, b: set) -> bool:
    return not a or not b or not a.isdisjoint(b)


def _check_merge_on(merge_on: Iterable[str]) -> tuple[str, ...]:
    merge_on = (merge_on,) if isinstance(merge_on, str) else tuple(merge_on)
    unknown = [k for k in merge_on if k not in MERGE_KEYS]
    if unknown:
        raise ValueError(f"unknown merge key {unknown[0]!r}; choose from {list(MERGE_KEYS)}")
    return merge_on


def _apart_pairs(sources: Sequence[str], keep_apart: Iterable[Sequence[str]]) -> dict[int, set[int]]:
    """``keep_apart`` pairs of sources as record indices that must stay apart."""
    keep_apart = list(keep_apart)
    if not keep_apart:
        return {}
    index: dict[str, list[int]] = {}
    for i, source in enumerate(sources):
        index.setdefault(source, []).append(i)
    apart: dict[int, set[int]] = {}
    for pair in keep_apart:
        if isinstance(pair, str) or len(pair) != 2:
            raise ValueError(f"keep_apart takes pairs of sources ('file:line', 'file:line'), not {pair!r}")
        a, b = pair
        for source in (a, b):
            if source not in index:
                raise ValueError(f"keep_apart names {source!r}, which is no record's source")
        for i in index[a]:
            for j in index[b]:
                apart.setdefault(i, set()).add(j)
                apart.setdefault(j, set()).add(i)
    return apart


def _union_on_keys(groups: _Groups, keys: list, reason: str, check=None) -> None:
    """Join records sharing a key; with ``check(i, j)``, only groups it accepts
    (so a key shared by disagreeing groups may leave several groups)."""
    seen: dict[str, list[int]] = {}
    # Only keys that several records share can join anything: a vectorised group-by finds them, and the
    # loop (in record order, as over every record) visits those records only.
    shared = pd.Series(keys, dtype=object)
    shared = (shared.notna() & shared.duplicated(keep=False)).to_numpy()
    for i in np.flatnonzero(shared).tolist():
        key = keys[i]
        firsts = seen.get(key)
        if firsts is None:
            seen[key] = [i]
            continue
        for j in firsts:  # one representative per distinct group with this key
            if (check is None or check(j, i)) and groups.union(j, i, reason):
                break
        else:
            firsts.append(i)


def find_duplicates(
    records: pd.DataFrame,
    *,
    merge_on: Iterable[str] = MERGE_KEYS,
    keep_apart: Iterable[Sequence[str]] = (),
    keys: pd.DataFrame | None = None,
    fuzzy_ahead: FuzzyProcess | None = None,
) -> pd.DataFrame:
    """Group records of the same paper.

    Returns one row per record that joined another: ``group`` (index of the group's first record), ``record``
    (its index), ``matched_on`` (the key that linked it, one of :data:`MERGE_KEYS`).  ``keys`` (from
    :func:`litreview.io.merge_keys.record_keys`) may be given instead of computing them from ``records``: the
    Dask merge computes them where the records are and brings only the keys together.  ``fuzzy_ahead``: the
    process forked to find the fuzzy candidates (:func:`litreview.io.merge_fuzzy.fuzzy_process_ahead`).
    """
    merge_on = _check_merge_on(merge_on)
    squashed = key_rules.squashed_titles(records["title"].tolist()) if keys is None else keys["title"].tolist()
    fuzzy, close = None, lambda: None
    if "fuzzy_title" in merge_on:  # (found beside the other keys' work: the groups they join are the same)
        fuzzy, close = fuzzy_candidates_aside(squashed, fuzzy_ahead)
    try:
        if keys is None:
            keys = key_rules.key_lists(records, merge_on, squashed=squashed, shared_only=True)
        else:
            keys = {name: keys[name].tolist() for name in key_rules.KEY_COLUMNS}
        arxiv_keys, doi_keys = keys["arxiv"], keys["doi"]
        facets = {"year": keys["year"], "surname": keys["surname"], "arxiv": arxiv_keys, "doi": doi_keys,
                  "title": squashed}  # fmt: skip
        groups = _Groups(facets, _apart_pairs(keys["source"], keep_apart))
        if "arxiv_id" in merge_on:
            _union_on_keys(groups, arxiv_keys, "arxiv_id")
        if "doi" in merge_on:
            _union_on_keys(groups, doi_keys, "doi", check=lambda i, j: groups.agree(i, j, "arxiv"))
        if "abstract" in merge_on:
            same_paper = lambda i, j: (groups.ids_agree(i, j) and groups.titles_agree(i, j)  # noqa: E731
                                       and (groups.surnames_alike(i, j) or groups.titles_agree(i, j, SAME_TITLE)))
            _union_on_keys(groups, keys["abstract"], "abstract", check=same_paper)
        if "title" in merge_on:
            _union_on_keys(groups, squashed, "title", check=groups.compatible)
        candidates = fuzzy() if fuzzy is not None else []
    finally:
        close()
    if candidates:
        needed = {title for pair in candidates for title in pair}
        by_title: dict[str, list[int]] = {}
        for i, t in enumerate(squashed):
            if t in needed:
                by_title.setdefault(t, []).append(i)
        title_list = keys["title_text"]
        for a, b in candidates:
            left, right = by_title[a], by_title[b]
            titles = title_list[left[0]], title_list[right[0]]
            if _same_numbers(a, b) and _same_roman_numerals(*titles) and _same_words(*titles):
                _join_fuzzy(groups, left, right)
    # (a record whose parent is itself is a group's root: only the others joined a group)
    moved = np.flatnonzero(np.asarray(groups.parent) != np.arange(len(groups.parent))).tolist()
    rows = [(groups.find(i), i, groups.reason[i]) for i in moved]
    return pd.DataFrame(rows, columns=["group", "record", "matched_on"])


def _same_roman_numerals(a: str, b: str) -> bool:
    return _ROMAN.findall(normalize_title(a)) == _ROMAN.findall(normalize_title(b))


def _join_fuzzy(groups: _Groups, left: list[int], right: list[int]) -> None:
    """Join the records of two near-identical titles that agree on year and first author."""
    for i in left:
        for j in right:
            if groups.compatible(i, j):
                groups.union(min(i, j), max(i, j), "fuzzy_title")


_RANKS = {name: rank for rank, name in enumerate(FORMAT_PRIORITY)}


def _rank(record_format: str) -> int:
    return _RANKS.get(record_format, len(FORMAT_PRIORITY))


def _merge_group(rows: list[dict]) -> dict:
    rows = sorted(rows, key=lambda r: _rank(r["_format"]))
    merged: dict = {}
    taken_from: dict[str, dict | None] = {}  # the member each field was taken from (see _describes)
    for col in ("title", "abstract", "authors", "arxiv_id", "arxiv_version", "doi", "url"):
        merged[col] = taken_from[col] = None
        for r in rows:
            value = r[col]
            if value is not None and (value != "" if type(value) is str else _present(value)):
                merged[col], taken_from[col] = value, r
                break
    venues = [r["venue"] for r in rows if _present(r["venue"])]
    merged["venue"] = next((v for v in venues if v.lower() != "arxiv"), venues[0] if venues else None)
    dated = [r for r in rows if _present(r["year"])]
    earliest = min(dated, key=lambda r: int(r["year"])) if dated else None
    merged["year"] = earliest["year"] if earliest else None
    merged["month"] = earliest["month"] if earliest else None
    for col in ("keywords", "categories", "external_ids"):
        merged[col] = _union([r[col] for r in rows if r[col]])
    lists = [r["references"] for r in rows if r["references"]]
    merged["references"] = lists[0] if len(lists) == 1 else union_references(lists)
    counts = [int(r["citation_count"]) for r in rows if _present(r["citation_count"])]
    merged["citation_count"] = max(counts) if counts else None
    taken_from["year"] = taken_from["month"] = earliest
    flags = _union([r["quality_flags"] for r in rows if r["quality_flags"]])
    merged["quality_flags"] = [f for f in flags if _describes(f, rows, taken_from)] if flags else flags
    merged["provenance"] = list(dict.fromkeys(r["source"] for r in rows))
    merged["source"] = rows[0]["source"]
    notes = [r["notes"] for r in rows if _present(r["notes"])]
    merged["notes"] = "\n\n".join(dict.fromkeys(notes)) or None
    _keep_source(merged, rows)
    return merged


def _keep_source(merged: dict, rows: list[dict]) -> None:
    """The source record exported for the paper: the first (by precedence) that keeps its source fields;
    the other records' citation keys become aliases (``key:<key>`` in ``external_ids``)."""
    kept = next((r for r in rows if _present(r["source_fields"])), None)
    if kept is None:
        kept = next((r for r in rows if _present(r["key"])), rows[0])
    for col in ("key", "source_fields"):
        merged[col] = kept[col] if _present(kept[col]) else None
    merged["entry_type"] = next((r["entry_type"] for r in (kept, *rows) if _present(r["entry_type"])), None)
    aliases = [f"{KEY_ALIAS_PREFIX}{r['key']}" for r in rows if _present(r["key"]) and r["key"] != merged["key"]]
    merged["external_ids"] = _union([merged["external_ids"], aliases])


def _describes(flag: str, rows: list[dict], taken_from: dict[str, dict | None]) -> bool:
    """Whether a member's flag describes the merged record: a flag about a field holds when the
    member the field was taken from has it (or, when no member has the field, when any has it)."""
    field = _FIELD_FLAGS.get(flag)
    if field is None:
        return True  # about the record as a whole: kept from any member
    source = taken_from[field]
    if source is None:
        return any(flag in r["quality_flags"] for r in rows)
    return flag in source["quality_flags"]


def _present(value) -> bool:
    if value is None:
        return False
    if type(value) is str:
        return value != ""
    if isinstance(value, list):
        return bool(value)
    return value is not None and not pd.isna(value) and value != ""


def _union(lists) -> list:
    """The items of ``lists``, each once, in order (a new list)."""
    if isinstance(lists, list) and len(lists) < 2:  # (most groups: one list or none)
        return list(dict.fromkeys(lists[0])) if lists else []
    return list(dict.fromkeys(item for items in lists for item in items))


def merge_records(
    records: pd.DataFrame,
    formats: Sequence[str],
    *,
    merge_on: Iterable[str] = MERGE_KEYS,
    keep_apart: Iterable[Sequence[str]] = (),
    in_schema: bool = False,
    fuzzy_ahead: FuzzyProcess | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Merge duplicate records; return ``(papers, merge_log)``.

    ``formats`` gives each record's input format (for the precedence).  The merge log has one row per record
    folded into another: the kept paper's ``id``, the folded record's ``source`` and the key it ``matched_on``.
    ``merge_on``, ``keep_apart`` and ``fuzzy_ahead`` are as in :func:`find_duplicates`.  ``in_schema``:
    ``records`` already have the schema's columns and types (as :func:`litreview.load` builds them), so they are
    not conformed again.
    """
    records = records.reset_index(drop=True) if in_schema else conform(records)
    duplicates = find_duplicates(records, merge_on=merge_on, keep_apart=keep_apart, fuzzy_ahead=fuzzy_ahead)
    root = np.arange(len(records))
    root[duplicates["record"].to_numpy(dtype=int)] = duplicates["group"].to_numpy(dtype=int)
    is_root_of_group = np.zeros(len(records), bool)  # the groups' roots (a group holds several records)
    is_root_of_group[root[duplicates["record"].to_numpy(dtype=int)]] = True
    in_multi = is_root_of_group[root]
    # Singletons pass through as they are; only real groups are merged field by field.
    members = _rows(records[in_multi])
    grouped: dict[int, list[dict]] = {}
    for row, fmt, r in zip(members, np.asarray(formats, dtype=object)[in_multi], root[in_multi]):
        row["_format"] = fmt
        grouped.setdefault(int(r), []).append(row)
    # (object columns: conform() gives each its type, without pandas inferring one first)
    merged = pd.DataFrame([_merge_group(grouped[g]) for g in sorted(grouped)], index=sorted(grouped), dtype=object)
    if len(merged):  # (the singles are in the schema already: only the merged rows are conformed)
        merged = conform(merged).set_axis(merged.index)
    papers = _papers(records, root, is_root_of_group, merged)
    papers["id"] = pd.Series(assign_ids(papers), index=papers.index, dtype=object)
    paper_of = np.cumsum(root == np.arange(len(root))) - 1  # (each root's row among the papers: a root is its own)
    log = pd.DataFrame(
        {
            "id": papers["id"].to_numpy()[paper_of[duplicates["group"].to_numpy(dtype=int)]].tolist(),
            "source": records["source"].to_numpy()[duplicates["record"].to_numpy(dtype=int)],
            "matched_on": duplicates["matched_on"],
        },
        columns=["id", "source", "matched_on"],
    )
    return papers, log


def _papers(records: pd.DataFrame, root: np.ndarray, is_group: np.ndarray, merged: pd.DataFrame) -> pd.DataFrame:
    """The singles (``provenance`` their source) and the groups' ``merged`` rows (indexed by root) in record order,
    as concatenating and sorting them gives: the roots taken, the merged rows written into their columns (object
    and ``Int64`` columns; other types are concatenated).  One difference: a column of ``records`` the merged rows
    lack (none of the schema's) keeps the group's first record's value, where the concatenation left it missing.
    ``root``: each record's group; ``is_group``: its roots."""
    is_root = root == np.arange(len(root))
    columns = [c for c in merged.columns if c in records.columns]
    if any(records[c].dtype != merged[c].dtype or records[c].dtype not in (object, "Int64") for c in columns):
        singles = records[~is_group[root]].copy()
        singles["provenance"] = [[s] for s in singles["source"]]
        papers = pd.concat([singles, merged[columns]]) if len(merged) else singles
        return papers.sort_index(kind="stable").reset_index(drop=True)
    papers = records[is_root].reset_index(drop=True)
    papers["provenance"] = [[s] for s in papers["source"]]
    if not len(merged):
        return papers
    at = np.flatnonzero(is_group[is_root])  # the groups' rows among the papers
    for col in columns:
        values = papers[col].array.copy()
        values[at] = merged[col].array
        papers[col] = pd.Series(values, index=papers.index, dtype=values.dtype, copy=False)
    papers.attrs = {}  # (as the concatenation of the records' rows and the merged rows, which have none)
    return papers


def _rows(records: pd.DataFrame) -> list[dict]:
    """``records.to_dict("records")``, column by column (a value at a time costs ten times as much)."""
    columns = list(records.columns)
    values = (_python_values(records[c]) for c in columns)
    return [dict(zip(columns, row)) for row in zip(*values)]


def _python_values(column: pd.Series) -> list:
    """A column's values as ``to_dict`` gives them (a missing whole number is ``None``)."""
    if column.dtype == "Int64":
        return column.to_numpy(dtype=object, na_value=None).tolist()
    return column.tolist()


def assign_ids(papers: pd.DataFrame) -> list[str]:
    """Stable ids: ``arxiv:ID``, ``doi:DOI``, else ``title:slug`` (made unique)."""
    bases: list[str] = []
    columns = (papers[c].tolist() for c in ("arxiv_id", "doi", "title", "source"))  # (a Series iterates slower)
    for arxiv_id, doi, title, source in zip(*columns):
        if type(arxiv_id) is str and arxiv_id or type(arxiv_id) is not str and _present(arxiv_id):
            ident = f"arxiv:{arxiv_id}"
        elif type(doi) is str and doi or type(doi) is not str and _present(doi):
            ident = f"doi:{normalize_doi(doi) or doi}"
        elif _present(title) and title_slug(title):
            ident = f"title:{title_slug(title)}"
        else:
            ident = f"source:{source}"
        bases.append(ident)
    # A repeated base gets -2, -3, ...; never one that another paper has as its own.  (Only the repeated
    # bases need the walk: a base no other paper has is its paper's id, and no made-up id is a base.)
    repeated = pd.Series(bases, dtype=object).duplicated(keep=False).to_numpy()
    if not repeated.any():
        return bases
    taken = set(bases)
    ids = list(bases)
    used: set[str] = set()
    for i in np.flatnonzero(repeated).tolist():
        base = bases[i]
        ident, n = base, 1
        while ident in used or (ident != base and ident in taken):
            n += 1
            ident = f"{base}-{n}"
        used.add(ident)
        ids[i] = ident
    return ids
