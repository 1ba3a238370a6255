"""Which paper a screening decision's id names, when it is not the paper's id in the papers table.

A decision is keyed by the paper's ``id`` when it was made; the id may since have changed (a ``title:`` id
becomes ``doi:`` once a second export of the paper brings its DOI, or ``arxiv:`` once :func:`litreview.enrich`
finds its arXiv id), or the reviewer may have named the paper another way (its PMID, PMCID, DOI, another
database's id, or its id written as a user types it: ``PMID: 123``, ``https://doi.org/10.1/X``).
:func:`id_keys` gives an id's normal forms; :func:`other_ids` indexes the papers by theirs once;
:func:`papers_known_as` and :func:`known_as` look one up; :func:`resolve_ids` reads a table of decisions so.
:func:`retracted_ids`: the papers a source flags retracted, which screening leaves out (the flow counts them as
removed before screening).
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd

from litreview.fields.arxiv import arxiv_anywhere
from litreview.fields.doi import normalize_doi
from litreview.fields.external import KINDS, external_id
from litreview.fields.ids import title_slug

# PubMed's ids as a user writes them: pmid:123, PMID: 123, a PubMed link, the bare number (as PubMed lists it);
# PubMed Central's: PMC123, pmcid:PMC123, pmcid: 123, a PMC link (a bare number is a PMID, never a PMCID)
_PMID = re.compile(r"(?:pmid\s*:\s*|https?://(?:www\.)?(?:pubmed\.ncbi\.nlm\.nih\.gov|ncbi\.nlm\.nih\.gov/pubmed)/)?"
                   r"(\d{1,9})/?", re.IGNORECASE)
_PMCID = re.compile(r"(?:(?:pmcid\s*:\s*|https?://(?:www\.ncbi\.nlm\.nih\.gov/pmc|pmc\.ncbi\.nlm\.nih\.gov)/articles/)"
                    r"(?:PMC)?|PMC)(\d{1,9})/?", re.IGNORECASE)
_NIHMS = re.compile(r"nihms\s*:\s*(?:NIHMS)?(\d{1,9})|NIHMS(\d{1,9})", re.IGNORECASE)
_UNLABELLED = ("", "http", "https")  # (the text before the first colon of an id written without a kind)
_KIND_OF = {"doi": "doi", "arxiv_id": "arxiv", "title": "title"}  # (the kind of id each of these columns gives)

# (what a warning says a decision's id was, when it was not the paper's earlier title: id)
OTHER_NAMES = "its PubMed id, DOI, arXiv id or another database's id, or its id written another way"

IdIndex = dict[str, dict[str, list[str]]]  # {"own" | "other": {normal form: ids of the papers it names}}


def id_keys(ident: str) -> list[str]:
    """The normal forms an id stands for, to look a paper up by: ``pmid:<n>``, ``pmcid:PMC<n>``, ``nihms:NIHMS<n>``
    (whatever the case, spaces, leading zeros or a PubMed link), ``doi:<DOI>`` (:func:`normalize_doi`: lower case,
    no resolver), ``arxiv:<id>`` (no version, from a label or link too), ``title:<slug>`` (of a ``title:`` id in any
    case or spelled out), another database's id as :func:`~litreview.fields.external.external_id` writes it.

    >>> id_keys("PMID: 012345"), id_keys("https://doi.org/10.1000/X"), id_keys("arXiv:2106.09685v2")
    (['pmid:12345'], ['doi:10.1000/x'], ['arxiv:2106.09685'])
    """
    cell = ident.strip()
    kind, colon, rest = cell.partition(":")
    # (a bare DOI may hold a colon, as Wiley's 10.1002/(SICI)...39:24<4599::AID-...>: its text is no kind)
    kind, rest = (kind.strip().lower(), rest.strip()) if colon and not cell.startswith("10.") else ("", cell)
    if kind == "title":
        return [f"title:{slug}"] if (slug := title_slug(rest)) else []
    database = _database_id(cell)
    if database:
        return [database]
    keys = []
    if kind in ("arxiv", "doi", *_UNLABELLED) and (arxiv := arxiv_anywhere(cell)):
        keys.append(f"arxiv:{arxiv[0]}")
    if kind in ("doi", *_UNLABELLED) and (doi := normalize_doi(rest if kind == "doi" else cell)):
        keys.append(f"doi:{doi}")
    if not keys and kind in KINDS and rest:  # (OpenAlex:w1 is openalex:W1, as the readers write it)
        written = external_id(rest) or ""
        keys.append(written if written.startswith(f"{kind}:") else f"{kind}:{rest}")
    return keys or [f"{kind}:{rest}" if colon else cell]  # (any other kind, a citation key's key:, as written)


def _database_id(cell: str) -> str | None:
    """A PubMed, PubMed Central or NIH manuscript id in its normal form, or an id known by its shape."""
    if found := _PMID.fullmatch(cell):
        return f"pmid:{int(found[1])}"
    if found := _PMCID.fullmatch(cell):
        return f"pmcid:PMC{int(found[1])}"
    if found := _NIHMS.fullmatch(cell):
        return f"nihms:NIHMS{int(found[1] or found[2])}"
    # (a kind written as the kit writes it is read by id_keys; WOS:000123 is an accession, its WOS: not a kind)
    return None if cell.partition(":")[0] in KINDS else external_id(cell)


def other_ids(papers: pd.DataFrame, titles: bool = True) -> IdIndex:
    """The papers by the normal forms (:func:`id_keys`) of their ids (``own``) and of their other names
    (``other``: external ids, DOI, arXiv id, title), made once for the unknown ids a reader looks up.
    ``titles=False`` leaves out the titles (slugging every title costs most, and only a ``title:`` id needs it)."""
    index: IdIndex = {"own": {}, "other": {}}
    named = ("external_ids", "doi", "arxiv_id") + (("title",) if titles else ())
    columns = [c for c in named if c in papers.columns]
    for pid, *values in zip(papers["id"].astype(str), *(papers[c] for c in columns)):
        _add(index["own"], id_keys(pid), pid)
        for column, value in zip(columns, values):
            for name in _names(column, value):
                _add(index["other"], id_keys(name), pid)
    return index


def _names(column: str, value) -> list[str]:
    """A paper's other names in one of its columns, as ids (``doi:``, ``arxiv:``, ``title:``)."""
    if column == "external_ids":
        return [str(v) for v in value] if isinstance(value, (list, tuple, np.ndarray)) else []
    if not isinstance(value, str) or not value.strip():
        return []
    return [f"{_KIND_OF[column]}:{value}"]


def _add(index: dict[str, list[str]], keys: list[str], pid: str) -> None:
    for key in keys:
        named = index.setdefault(key, [])
        if pid not in named:
            named.append(pid)


def papers_known_as(index: IdIndex, ident: str) -> list[str]:
    """The ids of the papers ``ident`` names when it is no paper's id (``index``: :func:`other_ids`): the paper
    whose id it is written another way, else those it is another name of (one, or several for an id two papers
    share), in the papers' order."""
    for tier in ("own", "other"):
        found = [pid for key in id_keys(ident) for pid in index[tier].get(key, ())]
        if found:
            return list(dict.fromkeys(found))
    return []


def known_as(index: IdIndex, ident: str) -> str | None:
    """The id of the one paper ``ident`` names in another way (``index``: :func:`other_ids` of the papers): a PubMed
    id (``pmid:123``, ``PMID: 123`` or the bare number), another external id (``pmcid:PMC1``, ``scopus:...``), its
    DOI (``10.1/x``, ``doi:10.1/x``, a doi.org link), its arXiv id, an earlier ``title:`` id; else ``None``."""
    found = papers_known_as(index, ident)
    return found[0] if len(found) == 1 else None


def by_earlier_title(old: str, new: str) -> bool:
    """Whether a decision's id ``old``, read as the paper ``new``, was the paper's ``title:`` id before it had
    another (what the warnings explain apart from the paper's other names)."""
    return old.strip().lower().startswith("title:") and not new.startswith("title:")


def resolve_ids(decisions: pd.DataFrame, papers: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str]]:
    """``decisions`` with each id not in ``papers`` that names exactly one paper another way (:func:`known_as`:
    its earlier ``title:`` id, its PMID or DOI, its id written another way) replaced by that paper's id, and
    ``{old id: new id}``.  An id that names several papers is left as it is (not in the papers table).  Raises
    ``ValueError`` for a paper so decided twice at one stage (it would be counted twice: "papers included -1")."""
    ids = decisions["id"].astype(str)  # (a table read with pd.read_csv holds bare PMIDs as numbers)
    unknown = sorted(set(ids) - set(papers["id"].astype(str)))
    titled = any(old.strip().lower().startswith("title:") for old in unknown)
    index = other_ids(papers, titles=titled) if unknown else {}
    moved = {old: new for old in unknown if (new := known_as(index, old))}
    if not moved:
        return decisions, moved
    renamed = ids.isin(set(moved))
    resolved = decisions.assign(id=decisions["id"].mask(renamed, ids.map(moved)))
    # (a paper decided at one stage under two names; one name written twice is the caller's to judge, as an id is)
    keys = [resolved[c].to_numpy() for c in ("id", "stage") if c in resolved.columns]
    names = ids.groupby(keys, dropna=False).transform("nunique").to_numpy()
    twice = (names > 1) & renamed.to_numpy()
    if twice.any():
        _refuse_twice(ids[twice].tolist(), moved)
    return resolved, moved


def _refuse_twice(olds: list[str], moved: dict[str, str]) -> None:
    """Raise for the first paper decided twice at one stage, once by another name (``olds``: the names)."""
    old = olds[0]
    why = "its title's id before it had another" if by_earlier_title(old, moved[old]) else "another id of the paper"
    other = next((o for o in olds[1:] if o != old and moved[o] == moved[old]), None)
    too = f"which {other!r} names too" if other else "which has a decision of its own too"
    raise ValueError(f"decisions: {old!r} is the paper {moved[old]!r} ({why}), {too}: delete one of the two "
                     "(keep the one you mean)")


def moved_messages(moved: list[tuple[str, str, str]]) -> tuple[list[str], list[str]]:
    """The decisions read as a paper's (``(shown, old id, new id)``) in two lists of ``shown``: those by the
    paper's earlier ``title:`` id, and those by another of its names (each told apart in the warnings)."""
    titled = [shown for shown, old, new in moved if by_earlier_title(old, new)]
    return titled, [shown for shown, old, new in moved if not by_earlier_title(old, new)]


def listed(items: list[str], sep: str = ", ") -> str:
    """The first five ``items``, and ``and more`` after them when there are more."""
    return sep.join(items[:5]) + (" and more" if len(items) > 5 else "")


def report_unknown(ids: list[str], mode: str, moved: dict[str, str]) -> None:
    """Warn about (or, ``mode="raise"``, refuse) the decisions' ids not in the papers table, and warn about those
    read as another paper's id (``moved``: :func:`resolve_ids`); ``mode="ignore"`` says nothing."""
    if mode == "ignore":
        return
    titled, named = moved_messages([(f"{old!r} as {new!r}", old, new) for old, new in sorted(moved.items())])
    if titled:
        warnings.warn(f"{len(titled)} screened title: id(s) no paper has now are counted as the paper of that "
                      f"title's (a second export or lr.enrich gave it a DOI or arXiv id): {listed(titled)}; change "
                      "the ids in the decisions file to keep it current", UserWarning, stacklevel=3)
    if named:
        warnings.warn(f"{len(named)} screened id(s) no paper has as its id are counted as the paper known by it "
                      f"({OTHER_NAMES}): {listed(named)}; change the ids in the decisions file to keep it current",
                      UserWarning, stacklevel=3)
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
