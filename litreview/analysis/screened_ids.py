"""Which paper a screening decision's id names, when it is not the paper's id in the papers table.

A decision is keyed by the paper's ``id`` when it was made; the id may since have changed (a ``title:`` id
becomes ``doi:`` once a second export of the paper brings its DOI, or ``arxiv:`` once :func:`litreview.enrich`
finds its arXiv id), or the reviewer may have named the paper another way (its PMID, PMCID or DOI).
:func:`other_ids` indexes the papers' other names once; :func:`known_as` looks one up.  :func:`retracted_ids`:
the papers a source flags retracted, which screening leaves out (the flow counts them as removed before screening).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from litreview.fields.doi import normalize_doi
from litreview.fields.ids import title_slug


def title_matches(papers: pd.DataFrame) -> dict[str, list[str]]:
    """``{title:<slug>: ids of the papers whose title has that slug}``: which paper a decision keyed by an earlier
    ``title:`` id is about (one paper), or may be about (several)."""
    index: dict[str, list[str]] = {}
    for pid, title in zip(papers["id"].astype(str), papers["title"]) if "title" in papers else ():
        if isinstance(title, str) and (slug := title_slug(title)):
            index.setdefault(f"title:{slug}", []).append(pid)
    return index


def resolve_titles(decisions: pd.DataFrame, papers: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str]]:
    """``decisions`` with each ``title:`` id not in ``papers`` that names exactly one paper's title replaced by that
    paper's id (a decision made before a second export brought the paper's DOI), and ``{old id: new id}``."""
    unknown = set(decisions["id"].astype(str)) - set(papers["id"].astype(str))
    titled = sorted(i for i in unknown if i.startswith("title:"))
    matches = title_matches(papers) if titled else {}
    moved = {i: matches[i][0] for i in titled if len(matches.get(i, ())) == 1}
    if not moved:
        return decisions, moved
    resolved = decisions.assign(id=decisions["id"].replace(moved))
    # a paper decided by its earlier title: id and by its id now (at one stage) would be counted twice
    twice = resolved.duplicated([c for c in ("id", "stage") if c in resolved.columns], keep=False)
    twice &= decisions["id"].isin(set(moved)).to_numpy()
    if twice.any():
        old = str(decisions.loc[twice, "id"].iloc[0])
        raise ValueError(f"decisions: {old!r} is the paper {moved[old]!r} (its title's id before it had another), "
                         f"which has a decision of its own too: delete one of the two (keep the one you mean)")
    return resolved, moved


def other_ids(papers: pd.DataFrame) -> dict[str, set]:
    """``{external id or doi:<DOI>: ids of the papers it names}``, made once for the ids :func:`known_as` looks up
    (a lookup per unknown id, not a pass over the papers)."""
    index: dict[str, set] = {}
    for pid, ids in zip(papers["id"], papers["external_ids"]) if "external_ids" in papers else ():
        for ident in ids if ids is not None and not isinstance(ids, float) else ():
            index.setdefault(ident, set()).add(pid)
    for pid, doi in zip(papers["id"], papers["doi"]) if "doi" in papers else ():
        if isinstance(doi, str) and (doi := normalize_doi(doi)):
            index.setdefault(f"doi:{doi}", set()).add(pid)
    return index


def known_as(index: dict[str, set], ident: str) -> str | None:
    """The id of the one paper ``ident`` names in another way (``index``: :func:`other_ids` of the papers): a PubMed
    id (``pmid:123`` or the bare number), another external id (``pmcid:PMC1``, ``scopus:...``) or its DOI
    (``10.1/x``, ``doi:10.1/x``); else ``None``."""
    cell = ident.strip()
    doi = normalize_doi(cell[4:] if cell.lower().startswith("doi:") else cell)
    found = set(index.get(f"pmid:{int(cell)}" if cell.isdigit() and len(cell) < 10 else cell, ()))
    found |= index.get(f"doi:{doi}", set()) if doi else set()
    return next(iter(found)) if len(found) == 1 else None


def report_unknown(ids: list[str], mode: str, moved: dict[str, str]) -> None:
    """Warn about (or, ``mode="raise"``, refuse) the decisions' ids not in the papers table, and warn about those
    read as another paper's id (``moved``: :func:`resolve_titles`); ``mode="ignore"`` says nothing."""
    if mode == "ignore":
        return
    if moved:
        shown = ", ".join(f"{old!r} as {new!r}" for old, new in sorted(moved.items())[:5])
        warnings.warn(f"{len(moved)} screened title: id(s) no paper has now are counted as the paper of that title's "
                      f"(a second export or lr.enrich gave it a DOI or arXiv id): {shown}"
                      f"{' and more' if len(moved) > 5 else ''}; change the ids in the decisions file to keep it "
                      "current", UserWarning, stacklevel=3)
    if not ids:
        return
    shown = ", ".join(repr(i) for i in sorted(ids)[:5]) + (f" and {len(ids) - 5} more" if len(ids) > 5 else "")
    message = (
        f"{len(ids)} screened id(s) are not in the papers table and are left out of the flow: {shown}; "
        "a changed id (lr.enrich can turn a title: id into arxiv:) needs its decision moved to the new id"
    )
    if mode == "raise":
        raise ValueError(message)
    warnings.warn(message, UserWarning, stacklevel=3)


def retracted_ids(papers: pd.DataFrame) -> set[str]:
    """The ids of the papers flagged ``retracted`` (a retraction their source lists: PubMed's ``PT``).  Those
    without a decision are not offered for screening (:func:`litreview.rank_for_screening`), are not counted as
    left to screen (:func:`litreview.screening_progress`, the stopping rule) and are counted apart in the flow
    (:func:`litreview.prisma_flow`: removed before screening)."""
    if "quality_flags" not in papers.columns or "id" not in papers.columns:
        return set()
    flagged = papers["quality_flags"].map(lambda flags: isinstance(flags, (list, tuple, np.ndarray))
                                          and "retracted" in flags)
    return set(papers.loc[flagged.astype(bool), "id"].astype(str))
