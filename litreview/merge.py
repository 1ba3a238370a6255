"""Merging records of the same paper read from several sources.

Two records are the same paper when they share an arXiv id (any version), a
DOI, the opening of their abstract, or a normalised title whose year and first
author (where both records give them) agree.  Candidates are found through
these keys, never by comparing every pair of records.

Merged fields follow a documented precedence: records are ranked by how
authoritative their format is (:data:`FORMAT_PRIORITY`) and each field is
taken from the highest-ranked record that has it, except that

* ``venue`` prefers a publication venue over ``arXiv``;
* ``year`` and ``month`` come from the record with the earliest year (the
  paper's first public appearance);
* ``keywords``, ``categories``, ``quality_flags`` and ``provenance`` are unions, ``notes`` are joined.
"""

from __future__ import annotations

import pandas as pd

from .ids import normalize_title, title_slug
from .schema import conform

FORMAT_PRIORITY: tuple[str, ...] = ("arxiv-dump", "publist", "digest", "roundup")
ABSTRACT_KEY_WORDS = 25


def _first_author_surname(authors: list[str]) -> str | None:
    if not authors:
        return None
    name = authors[0]
    last = name.split(",")[0] if "," in name else name.split()[-1]
    return normalize_title(last) or None


def _abstract_key(abstract: str | None) -> str | None:
    if not abstract:
        return None
    words = normalize_title(abstract).split()
    return " ".join(words[:ABSTRACT_KEY_WORDS]) if len(words) >= ABSTRACT_KEY_WORDS else None


class _UnionFind:
    """Groups of records; each group remembers the years and first-author
    surnames of its members, so a title match is checked against all of them."""

    def __init__(self, info: list[dict]):
        self.parent = list(range(len(info)))
        self.years = [{r["year"]} - {None} for r in info]
        self.surnames = [{r["surname"]} - {None} for r in info]
        self.reason: dict[int, str] = {}

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int, reason: str) -> None:
        ri, rj = self.find(i), self.find(j)
        if ri == rj:
            return
        keep, gone = min(ri, rj), max(ri, rj)
        self.parent[gone] = keep
        self.reason[gone] = reason  # the key that joined this record's group to another
        self.years[keep] |= self.years[gone]
        self.surnames[keep] |= self.surnames[gone]

    def compatible(self, i: int, j: int) -> bool:
        """Whether two groups may be one paper: no year or first author disagrees."""
        ri, rj = self.find(i), self.find(j)
        years, surnames = self.years[ri] | self.years[rj], self.surnames[ri] | self.surnames[rj]
        return len(years) <= 1 and len(surnames) <= 1


def find_duplicates(records: pd.DataFrame) -> pd.DataFrame:
    """Group records of the same paper.

    Returns one row per record that joined another: ``group`` (index of the
    group's first record), ``record`` (its index), ``matched_on`` (the key that
    linked it: ``arxiv_id``, ``doi``, ``abstract`` or ``title``).
    """
    info = [
        {"year": None if pd.isna(y) else int(y), "surname": _first_author_surname(a)}
        for y, a in zip(records["year"], records["authors"])
    ]
    groups = _UnionFind(info)
    keyed: list[tuple[str, list[str | None]]] = [
        ("arxiv_id", list(records["arxiv_id"])),
        ("doi", list(records["doi"])),
        ("abstract", [_abstract_key(a) for a in records["abstract"]]),
    ]
    for reason, keys in keyed:
        first: dict[str, int] = {}
        for i, key in enumerate(keys):
            if key is None or pd.isna(key):
                continue
            if key in first:
                groups.union(first[key], i, reason)
            else:
                first[key] = i
    by_title: dict[str, list[int]] = {}
    for i, title in enumerate(records["title"]):
        if title is None or pd.isna(title) or not normalize_title(title):
            continue
        bucket = by_title.setdefault(normalize_title(title), [])
        for j in bucket:
            if groups.compatible(i, j):
                groups.union(j, i, "title")
                break
        bucket.append(i)
    rows = [
        {"group": groups.find(i), "record": i, "matched_on": groups.reason[i]}
        for i in range(len(info))
        if groups.find(i) != i
    ]
    return pd.DataFrame(rows, columns=["group", "record", "matched_on"])


def _rank(record_format: str) -> int:
    try:
        return FORMAT_PRIORITY.index(record_format)
    except ValueError:
        return len(FORMAT_PRIORITY)


def _merge_group(rows: list[dict]) -> dict:
    rows = sorted(rows, key=lambda r: _rank(r["_format"]))
    merged: dict = {}
    for col in ("title", "abstract", "authors", "arxiv_id", "arxiv_version", "doi", "url"):
        merged[col] = next((r[col] for r in rows if _present(r[col])), None)
    venues = [r["venue"] for r in rows if _present(r["venue"])]
    merged["venue"] = next((v for v in venues if v.lower() != "arxiv"), venues[0] if venues else None)
    dated = [r for r in rows if _present(r["year"])]
    earliest = min(dated, key=lambda r: int(r["year"])) if dated else None
    merged["year"] = earliest["year"] if earliest else None
    merged["month"] = earliest["month"] if earliest else None
    merged["keywords"] = _union(r["keywords"] for r in rows)
    merged["categories"] = _union(r["categories"] for r in rows)
    filled = {"no-abstract": merged["abstract"], "no-title": merged["title"]}
    merged["quality_flags"] = [
        f for f in _union(r["quality_flags"] for r in rows) if not (f in filled and _present(filled[f]))
    ]
    merged["provenance"] = _union([r["source"]] for r in rows)
    merged["source"] = rows[0]["source"]
    notes = [r["notes"] for r in rows if _present(r["notes"])]
    merged["notes"] = "\n\n".join(dict.fromkeys(notes)) or None
    return merged


def _present(value) -> bool:
    if isinstance(value, list):
        return bool(value)
    return value is not None and not pd.isna(value) and value != ""


def _union(lists) -> list:
    return list(dict.fromkeys(item for items in lists for item in items))


def merge_records(records: pd.DataFrame, formats: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Merge duplicate records; return ``(papers, merge_log)``.

    ``formats`` gives each record's input format (for the precedence).  The
    merge log has one row per record folded into another: the kept paper's
    ``id``, the folded record's ``source`` and the key it ``matched_on``.
    """
    records = conform(records)
    duplicates = find_duplicates(records)
    group_of = dict(zip(duplicates["record"], duplicates["group"]))
    rows = records.to_dict("records")
    for row, fmt in zip(rows, formats):
        row["_format"] = fmt
    groups: dict[int, list[dict]] = {}
    for i, row in enumerate(rows):
        groups.setdefault(group_of.get(i, i), []).append(row)
    merged = [_merge_group(members) for _, members in sorted(groups.items())]
    papers = conform(pd.DataFrame(merged))
    papers["id"] = assign_ids(papers)
    first_of_group = {g: k for k, g in enumerate(sorted(groups))}
    log = pd.DataFrame(
        {
            "id": [papers["id"][first_of_group[g]] for g in duplicates["group"]],
            "source": [rows[r]["source"] for r in duplicates["record"]],
            "matched_on": duplicates["matched_on"],
        },
        columns=["id", "source", "matched_on"],
    )
    return papers, log


def assign_ids(papers: pd.DataFrame) -> list[str]:
    """Stable ids: ``arxiv:ID``, ``doi:DOI``, else ``title:slug`` (made unique)."""
    bases: list[str] = []
    for rec in papers.to_dict("records"):
        if _present(rec["arxiv_id"]):
            ident = f"arxiv:{rec['arxiv_id']}"
        elif _present(rec["doi"]):
            ident = f"doi:{rec['doi']}"
        elif _present(rec["title"]):
            ident = f"title:{title_slug(rec['title'])}"
        else:
            ident = f"source:{rec['source']}"
        bases.append(ident)
    # A repeated base gets -2, -3, ...; never one that another paper has as its own.
    taken = set(bases)
    ids: list[str] = []
    used: set[str] = set()
    for base in bases:
        ident, n = base, 1
        while ident in used or (ident != base and ident in taken):
            n += 1
            ident = f"{base}-{n}"
        used.add(ident)
        ids.append(ident)
    return ids
