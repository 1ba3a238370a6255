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
* ``keywords``, ``flags`` and ``provenance`` are unions, ``notes`` are joined.
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
    def __init__(self, n: int):
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        ri, rj = self.find(i), self.find(j)
        if ri != rj:
            self.parent[max(ri, rj)] = min(ri, rj)


def _compatible(a: dict, b: dict) -> bool:
    """Title matches are confirmed by year and first author where both have them."""
    if a["year"] is not None and b["year"] is not None and a["year"] != b["year"]:
        return False
    sa, sb = a["surname"], b["surname"]
    return sa is None or sb is None or sa == sb


def find_duplicates(records: pd.DataFrame) -> pd.DataFrame:
    """Group records of the same paper.

    Returns one row per record that joined another: ``group`` (index of the
    group's first record), ``record`` (its index), ``matched_on`` (the key that
    linked them: ``arxiv_id``, ``doi``, ``abstract`` or ``title``).
    """
    n = len(records)
    uf = _UnionFind(n)
    reasons: dict[int, str] = {}
    info = [
        {
            "year": None if pd.isna(y) else int(y),
            "surname": _first_author_surname(a),
        }
        for y, a in zip(records["year"], records["authors"])
    ]
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
                if uf.find(i) != uf.find(first[key]):
                    reasons.setdefault(i, reason)
                uf.union(first[key], i)
            else:
                first[key] = i
    by_title: dict[str, list[int]] = {}
    for i, title in enumerate(records["title"]):
        if title is None or pd.isna(title):
            continue
        key = normalize_title(title)
        if not key:
            continue
        for j in by_title.setdefault(key, []):
            if _compatible(info[i], info[j]):
                if uf.find(i) != uf.find(j):
                    reasons.setdefault(i, "title")
                uf.union(j, i)
                break
        by_title[key].append(i)
    rows = [{"group": uf.find(i), "record": i, "matched_on": reasons[i]} for i in range(n) if uf.find(i) != i]
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
    merged["quality_flags"] = _union(r["quality_flags"] for r in rows)
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
    ids: list[str] = []
    seen: dict[str, int] = {}
    for rec in papers.to_dict("records"):
        if _present(rec["arxiv_id"]):
            ident = f"arxiv:{rec['arxiv_id']}"
        elif _present(rec["doi"]):
            ident = f"doi:{rec['doi']}"
        elif _present(rec["title"]):
            ident = f"title:{title_slug(rec['title'])}"
        else:
            ident = f"source:{rec['source']}"
        count = seen.get(ident, 0)
        seen[ident] = count + 1
        ids.append(ident if count == 0 else f"{ident}-{count + 1}")
    return ids
