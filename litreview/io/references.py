"""Cited references: parse them as the export gives them, and resolve them to the corpus's records.

A record's ``references`` column holds its reference list as the source wrote it, one string per
reference: a Web of Science ``CR`` line (``AKAIKE H, 1974, IEEE T AUTOMAT CONTR, VAC19, P716, DOI 10.1109/...``),
a Scopus ``References`` item (``Abadi, M., Agarwal, A., (2015) TensorFlow: ..., pp. 1-10``), or an
identifier (a DOI, an arXiv id, an OpenAlex ``W...`` or a Semantic Scholar paper id, each written with its
prefix: ``doi:10.1/x``, ``arxiv:2106.09685``, ``openalex:W2741809807``, ``s2:348f43...``), alone or in
brackets after the work's title and year (``Calculating Instruments and Machines (1951) [doi:10.2307/3610576]``,
as the Semantic Scholar reader writes them).

:func:`references` turns them into one tidy row per (citing paper, reference) with the parsed parts, and
resolves each to the corpus record it names (``cited_id``), recording the key that matched:

1. ``doi``, ``arxiv``, ``openalex``, ``s2``: the identifier equals the record's (``external_ids`` holds a
   record's OpenAlex and Semantic Scholar ids);
2. ``title``: the normalised title and the year agree (Scopus references carry a title); else ``title-near``:
   a title of :data:`NEAR_TITLE_WORDS` words or more, named by one record, is the reference's title and the
   years are at most one apart (online first, then in an issue), or it begins the reference's text and the
   record's year is written after it (``Dynodroid: An Input Generation System for Android Apps Proceedings of
   the 2013 9th Joint Meeting ...``: Scopus gives some references no year in brackets, and the title runs on
   into the source);
3. ``author-year-source``: the first author's surname and the year agree, and the reference's source
   abbreviation fits the record's venue word by word (``IEEE T AUTOMAT CONTR`` fits ``IEEE Transactions on
   Automatic Control``); only a single fitting record in the (surname, year) block is taken.

Each step looks keys up in a table built once from the corpus: no pair of records is ever compared outside
its block.  A reference that cannot be parsed is kept as given (``parsed`` False) and counted, never dropped.
Unique reference strings are parsed once, so a field's shared references cost one parse each.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

import numpy as np
import pandas as pd

from litreview.fields.external import OPENALEX_ID, S2_ID
from litreview.fields.ids import normalize_doi, normalize_title, parse_arxiv_id
from litreview.io.reference_keys import reference_key  # noqa: F401 (where it was, for callers)

REFERENCE_COLUMNS = (
    "citing_id", "position", "reference", "first_author", "year", "source", "volume", "page", "doi",
    "arxiv_id", "openalex_id", "s2_id", "title", "parsed", "origin", "cited_id", "matched_on",
)  # fmt: skip

_PREFIXED = re.compile(r"^(doi|arxiv|openalex|s2|pmid):\s*(\S+)$", re.IGNORECASE)
_LABELLED_ID = re.compile(r"^(.*\S)\s+\[(doi|arxiv|openalex|s2):\s*([^\s\]]+)\]$", re.IGNORECASE)
_TITLE_YEAR = re.compile(r"^(.*\S)\s+\((1[5-9]\d\d|20\d\d)\)$")
_DOI_ANYWHERE = re.compile(r"10\.\d{4,9}/[^\s,;\]\[]+")
_YEAR = re.compile(r"^(1[5-9]\d\d|20\d\d)[a-z]?$")
# DOIs that name no work: the example prefixes 10.1234 and 10.0000 (Web of Science fills in
# "10.1234/12345678" for some old references: 77 of the shared k-means export's, MacQueen 1967 among them)
PLACEHOLDER_DOI = re.compile(r"10\.(?:1234|0000)/")
_WOS_DOI = re.compile(r",\s*DOI\s+(\[[^\]]*\]?|\S+)\s*$")
_WOS_START = re.compile(r"^[^,()]+, (?:1[5-9]|20)\d\d[a-z]?, ")
_PAREN_YEAR = re.compile(r"\((1[5-9]\d\d|20\d\d)\)")
SCOPUS_AUTHOR = re.compile(r"\s*([^,()]{1,80}?),\s+((?:[A-Z][a-zA-Z]{0,2}\.\s?-?\s?)+)(?:,|$)")
_INITIALS = re.compile(r"^(?:[A-Z]{1,4}|(?:[A-Z]\.\s?-?)+)$")
_PAGES = re.compile(r"^(?:pp?\.\s*)?(\d+)(?:\s*-\s*\d+)?$")
_LETTERS = re.compile(r"[^a-z]+")
_VENUE_WORD = re.compile(r"[A-Za-z0-9]+")
_VENUE_SKIP = frozenset("of on the and in for a an de la".split())


def parse_reference(text: str) -> dict:
    """The parts of one reference string (missing parts absent); ``parsed`` says whether any was found.

    >>> parse_reference("AKAIKE H, 1974, IEEE T AUTOMAT CONTR, VAC19, P716, DOI 10.1109/TAC.1974.1100705")["doi"]
    '10.1109/tac.1974.1100705'
    """
    raw = " ".join(str(text).split())
    labelled = _LABELLED_ID.match(raw)
    if labelled:  # ``Title (year) [doi:...]`` (the Semantic Scholar reader's): the identifier, title and year
        parts = _identifier(f"{labelled.group(2)}:{labelled.group(3)}") or {}
        titled = _TITLE_YEAR.match(labelled.group(1))
        parts.update({"title": titled.group(1), "year": int(titled.group(2))} if titled
                     else {"title": labelled.group(1)})
        raw = labelled.group(1)  # (no DOI or arXiv id looked for in the title)
    else:
        parts = _identifier(raw)
    if parts is None:
        scopus = not _WOS_START.match(raw) and (_PAREN_YEAR.search(raw) or SCOPUS_AUTHOR.match(raw))
        parts = _scopus(raw) if scopus else _wos(raw)
    if "doi" not in parts:  # a DOI written anywhere (a link, a note)
        found = _DOI_ANYWHERE.search(raw)
        if found:
            doi = normalize_doi(found.group(0).rstrip("."))
            if doi:
                parts["doi"] = doi
    if "arxiv_id" not in parts and "arxiv" in raw.lower():
        found = re.search(r"arxiv[:\s./a-z]*?(\d{4}\.\d{4,5})", raw, re.IGNORECASE)
        if found:
            parts["arxiv_id"] = found.group(1)
    if PLACEHOLDER_DOI.match(parts.get("doi") or ""):  # (a dummy some databases fill in: no work's id)
        del parts["doi"]
    parts = {key: value for key, value in parts.items() if value not in (None, "")}
    # (an author alone counts only beside another part: a footnote fragment is no author)
    parts["parsed"] = (any(parts.get(k) for k in ("year", "doi", "arxiv_id", "openalex_id", "s2_id"))
                       or bool(parts.get("first_author") and "," in raw))
    return parts


_YEARISH = re.compile(r"\b(?:1[5-9]\d\d|20\d\d)\b|\bpp?\.\s?\d|://")


def split_references(cell: str) -> list[str]:
    """A ``; ``-joined reference list (Scopus' ``References``, a Web of Science ``CR`` cell) as its references.

    A ``; `` inside one reference is kept (``TESTAR; what about ...``, ``[Online; accessed ...]``): a piece
    runs on into the next when it opens a bracket the next one closes, or when it is authors and a title
    fragment with no year, pages or link, and the next piece is no author's but the title's end and the
    year in brackets (``Bauersfeld, S., Vos, T.E.J., User interface level testing with TESTAR; what about
    more sophisticated action specification and selection? (2014) SATToSE, pp. 60-78``).

    >>> split_references("Lee, A., Sorting (1999) J. Alg.; Tse, B., Search; a study (2001) Acta")
    ['Lee, A., Sorting (1999) J. Alg.', 'Tse, B., Search; a study (2001) Acta']
    """
    out: list[str] = []
    for piece in str(cell).split("; "):
        if out and (_bracket_runs_on(out[-1], piece) or _title_runs_on(out[-1], piece)):
            out[-1] = f"{out[-1]}; {piece}"
        else:
            out.append(piece)
    return [ref.strip() for ref in out if ref.strip()]


def _bracket_runs_on(before: str, after: str) -> bool:
    return any(before.count(o) > before.count(c) and after.count(c) > after.count(o) for o, c in ("()", "[]"))


def _title_runs_on(before: str, after: str) -> bool:
    pos = 0
    while (author := SCOPUS_AUTHOR.match(before, pos)) and author.group(1).strip().lower() not in ("et al", "et al."):
        pos = author.end()
    title = before[pos:].strip()
    year = _PAREN_YEAR.search(after)
    if not pos or not title or _YEARISH.search(title) or not year or SCOPUS_AUTHOR.match(after):
        return False
    rest = after[: year.start()].strip()
    return bool(rest) and not _YEARISH.search(rest)


def _identifier(raw: str) -> dict | None:
    prefixed = _PREFIXED.match(raw)
    kind, value = (prefixed.group(1).lower(), prefixed.group(2)) if prefixed else (None, raw)
    if kind in (None, "openalex") and OPENALEX_ID.match(value):
        return {"openalex_id": OPENALEX_ID.match(value).group(1).upper()}
    if kind in (None, "s2") and S2_ID.match(value.lower()):
        return {"s2_id": value.lower()}
    if kind in (None, "doi") and value.lower().startswith(("10.", "https://doi.org/", "http://dx.doi.org/")):
        doi = normalize_doi(value)
        if doi and " " not in raw:
            return {"doi": doi}
    if kind in (None, "arxiv"):
        arxiv = parse_arxiv_id(value)
        if arxiv and (kind or " " not in raw):
            return {"arxiv_id": arxiv[0]}
    if kind == "pmid":
        return {}
    return None


def _wos(raw: str) -> dict:
    """``Author, Year, Source, Vvol, Ppage, DOI doi``: every part but the author optional."""
    parts: dict = {}
    doi_match = _WOS_DOI.search(raw)
    if doi_match:
        found = _DOI_ANYWHERE.search(doi_match.group(1))
        doi = normalize_doi(found.group(0).rstrip(".")) if found else None
        if doi:
            parts["doi"] = doi
        raw = raw[: doi_match.start()]
    fields = [f.strip() for f in raw.split(",")]
    if not fields or not fields[0]:
        return parts
    author = fields[0]
    rest = fields[1:]
    if author and not author.startswith("[") and not _YEAR.match(author) and not re.search(r"[/:@]", author):
        parts["first_author"] = surname(author, style="wos")
    else:
        rest = fields if _YEAR.match(author) else rest
    if rest and _YEAR.match(rest[0]):
        parts["year"] = int(rest[0][:4])
        rest = rest[1:]
    if rest and not re.match(r"^[VP]\d", rest[0]):
        parts["source"] = rest[0]
        rest = rest[1:]
    for field in rest:
        if re.match(r"^V[A-Z]*\d", field) and "volume" not in parts:
            parts["volume"] = field[1:]
        elif re.match(r"^P[A-Z]*\d", field) and "page" not in parts:
            parts["page"] = re.sub(r"^P[A-Z]*", "", field)
    return parts


def _scopus(raw: str) -> dict:
    """``Surname, I., Surname, I., Title (Year) Source, vol (issue), pp. a-b``; or ``..., (Year) Title, ...``."""
    parts: dict = {}
    year = _PAREN_YEAR.search(raw)
    if year:
        before, after = raw[: year.start()].strip(), raw[year.end() :].strip()
        parts["year"] = int(year.group(1))
    else:  # no year: authors, then the rest as the title
        before, after = raw, ""
    pos, first = 0, None
    while True:
        author = SCOPUS_AUTHOR.match(before, pos)
        if not author or author.group(1).strip().lower() in ("et al", "et al."):
            break
        first = first or author.group(1)
        pos = author.end()
    rest = before[pos:].strip(" ,")
    if rest.lower().startswith("et al"):
        rest = rest[5:].strip(" .,")
    if first:
        parts["first_author"] = surname(first, style="scopus")
    pieces = [p.strip().rstrip(".").strip() for p in after.split(",")]
    if rest:
        parts["title"] = rest
        if pieces and pieces[0]:
            parts["source"] = pieces[0]
    elif pieces and pieces[0]:
        parts["title"] = pieces[0]
    for piece in pieces[1:]:
        volume = re.match(r"^(\d+)(?:\s*\(\S+\))?$", piece)
        pages = _PAGES.match(piece) if piece.startswith("p") else None
        if pages:
            parts.setdefault("page", pages.group(1))
        elif volume and "volume" not in parts and "page" not in parts:
            parts["volume"] = volume.group(1)
    return parts


def surname(name: str, style: str = "wos") -> str | None:
    """A first author's surname folded to ASCII lower-case letters: ``AKAIKE H`` -> ``akaike``.

    ``wos`` names are ``Surname Initials`` (``Van der Merwe D``); ``scopus`` names are the surname alone.
    """
    name = name.strip()
    if style == "wos":
        tokens = name.split()
        if len(tokens) > 1 and _INITIALS.match(tokens[-1].replace(".", ".")):
            name = " ".join(tokens[:-1])
        elif len(tokens) > 1:
            name = tokens[0]
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    folded = _LETTERS.sub("", folded)
    return folded or None


def fits_venue(abbreviation: str, venue: str) -> bool:
    """Whether a WoS/ISO source abbreviation fits a venue: each abbreviated word begins a venue word, in order.

    >>> fits_venue("IEEE T AUTOMAT CONTR", "IEEE Transactions on Automatic Control")
    True
    """
    short = [w.lower() for w in _VENUE_WORD.findall(abbreviation)]
    long = [w.lower() for w in _VENUE_WORD.findall(venue) if w.lower() not in _VENUE_SKIP]
    if not short or not long:
        return False
    i = 0
    for word in short:
        while i < len(long) and not long[i].startswith(word):
            i += 1
        if i == len(long):
            return False
        i += 1
    return True


def references(papers: pd.DataFrame) -> pd.DataFrame:
    """One row per (citing paper, reference), parsed and resolved to the corpus's records.

    Parameters
    ----------
    papers : DataFrame
        A papers table (``lr.load``); its ``references`` column (lists of strings) is read, and its
        ``external_ids`` column, where present, lets OpenAlex and Semantic Scholar ids resolve.

    Returns
    -------
    DataFrame
        Columns ``REFERENCE_COLUMNS``: the citing paper's id, the reference's position in its list, the
        reference as given, its parsed parts, the ``origin`` (the citing record's ``source``),
        ``cited_id`` (the corpus record it resolves to, missing when the work is not in the corpus) and
        ``matched_on`` (the key that resolved it).  A table without references gives no rows.  Text
        columns are categoricals (a field's shared references are stored once), missing values NaN.

    Examples
    --------
    >>> import litreview as lr
    >>> lr.references(lr.load()).shape[0]    # the seed corpus has no reference lists
    0
    """
    if not isinstance(papers, pd.DataFrame):
        raise TypeError(f"papers must be a papers table (a DataFrame), not {type(papers).__name__}")
    if "references" not in papers.columns or papers.empty:
        return _empty()
    lists = papers["references"]
    has = [isinstance(v, (list, tuple)) and len(v) > 0 for v in lists]
    if not any(has):
        return _empty()
    chosen = papers.loc[has]
    lengths = [len(v) for v in chosen["references"]]
    flat = [str(r) for refs in chosen["references"] for r in refs]
    frame = pd.DataFrame(
        {
            "citing_id": pd.Categorical(chosen["id"].repeat(lengths).to_numpy()),
            "position": np.concatenate([np.arange(1, n + 1) for n in lengths]),
            "reference": flat,
            "origin": pd.Categorical(chosen["source"].repeat(lengths).to_numpy()) if "source" in chosen else None,
        }
    )
    unique = pd.Index(pd.unique(frame["reference"]))
    parsed = parse_references(unique)
    parsed["cited_id"], parsed["matched_on"] = resolve(parsed, papers)
    # Each part is stored once per distinct value (categoricals): a field's shared references cost their
    # text once, not once per citing paper.
    codes = unique.get_indexer(frame["reference"])
    frame["reference"] = pd.Categorical.from_codes(codes, categories=unique)
    for column in PART_COLUMNS + ("cited_id", "matched_on"):
        if column == "year":
            frame["year"] = pd.array(parsed["year"].to_numpy()[codes], dtype="Int64")
            continue
        values = pd.Categorical(parsed[column].to_numpy())
        frame[column] = pd.Categorical.from_codes(values.codes[codes], categories=values.categories)
    frame["parsed"] = parsed["parsed"].to_numpy(dtype=bool)[codes]
    return frame[list(REFERENCE_COLUMNS)]


PART_COLUMNS = ("first_author", "year", "source", "volume", "page", "doi", "arxiv_id", "openalex_id", "s2_id",
                 "title")
# The common Web of Science shape: each part runs to the next comma (no backtracking), then is checked.
_WOS_FAST = re.compile(
    r"^(?P<author>[A-Za-z][^,\[\]/:@]*), (?P<year>(?:1[5-9]|20)\d\d), (?P<source>(?![VP]\d)[^,\[\]]+)"
    r"(?:, V(?P<volume>[A-Z]*\d[^,]*))?(?:, P[A-Z]*(?P<page>\d[^,]*))?(?:, DOI (?P<doi>10\.\d{4,9}/[^,\s;\[\]]+))?$"
)
_NOT_FAST = re.compile(r"\s\s|\t|arxiv|10\.", re.IGNORECASE)


def parse_references(strings) -> pd.DataFrame:
    """:func:`parse_reference` of many strings, as a table indexed by the strings (one row each).

    The common Web of Science shape is read with one regular expression, surnames and DOIs folded once
    per distinct value; every other string goes through :func:`parse_reference`.  Both paths give the
    same parts (tested on the shared exports).
    """
    strings = pd.Index(strings, dtype=object)
    columns = {c: [None] * len(strings) for c in PART_COLUMNS}
    parsed = [False] * len(strings)
    surnames: dict = {}
    dois: dict = {}
    for i, text in enumerate(strings):
        match = _WOS_FAST.match(text)
        if match is not None and not _NOT_FAST.search(text[: match.start("doi")] if match["doi"] else text):
            author, doi = match["author"], match["doi"]
            if author not in surnames:
                surnames[author] = surname(author, style="wos")
            columns["first_author"][i] = surnames[author]
            columns["year"][i] = int(match["year"])
            columns["source"][i] = match["source"]
            columns["volume"][i] = match["volume"]
            columns["page"][i] = match["page"]
            if doi is not None:
                if doi not in dois:
                    dois[doi] = normalize_doi(doi.rstrip("."))
                columns["doi"][i] = dois[doi]
            parsed[i] = True
            continue
        parts = parse_reference(text)
        for name in PART_COLUMNS:
            columns[name][i] = parts.get(name)
        parsed[i] = parts["parsed"]
    out = pd.DataFrame({**columns, "parsed": parsed}, index=strings, dtype=object)
    out["parsed"] = out["parsed"].astype(bool)
    return out


def _empty() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype="object") for c in REFERENCE_COLUMNS})
    frame["position"] = frame["position"].astype("int64")
    frame["year"] = frame["year"].astype("Int64")
    frame["parsed"] = frame["parsed"].astype(bool)
    return frame


def _index(keys: Iterable, ids: Iterable) -> dict:
    """Key -> id for keys that name exactly one record (an ambiguous key resolves nothing)."""
    found: dict = {}
    for key, ident in zip(keys, ids):
        if key is None or key != key or key == "":
            continue
        found[key] = ident if key not in found or found[key] == ident else None
    return {k: v for k, v in found.items() if v is not None}


def resolve(refs: pd.DataFrame, papers: pd.DataFrame) -> tuple[list, list]:
    """For each reference, the corpus id it names and the key that matched (both None when none does)."""
    ids = papers["id"].tolist()
    by_doi = _index(papers["doi"] if "doi" in papers else [], ids)
    by_arxiv = _index(papers["arxiv_id"] if "arxiv_id" in papers else [], ids)
    external: dict = {}
    if "external_ids" in papers:
        for ident, values in zip(ids, papers["external_ids"]):
            for value in values if isinstance(values, (list, tuple)) else []:
                kind, _, key = str(value).partition(":")
                external.setdefault(kind, {})[key.upper() if kind == "openalex" else key.lower()] = ident
    # (a missing year as None: an Int64 column gives pd.NA, whose truth value is an error)
    years = [None if pd.isna(y) else y for y in papers["year"].tolist()] if "year" in papers else [None] * len(ids)
    titles = papers["title"].tolist() if "title" in papers else [None] * len(ids)
    by_title = _index(
        [f"{normalize_title(t)}|{y}" if isinstance(t, str) and y is not None else None
         for t, y in zip(titles, years)],
        ids,
    )
    near = _near_titles(titles, years, ids)
    block: dict = {}
    firsts = papers["authors"].tolist() if "authors" in papers else [[]] * len(ids)
    venues = papers["venue"].tolist() if "venue" in papers else [None] * len(ids)
    for ident, authors, year, venue in zip(ids, firsts, years, venues):
        if isinstance(authors, (list, tuple)) and authors and year is not None:
            last = surname(str(authors[0]).split()[-1], style="scopus") if str(authors[0]).split() else None
            if last:
                block.setdefault((last, int(year)), []).append((ident, venue if isinstance(venue, str) else ""))

    cited, matched = [], []
    columns = ("doi", "arxiv_id", "openalex_id", "s2_id", "title", "year", "first_author", "source")
    for doi, arxiv, openalex, s2, title, year, author, source in zip(*(refs[c].tolist() for c in columns)):
        hit = None
        if isinstance(doi, str) and doi in by_doi:
            hit = (by_doi[doi], "doi")
        elif isinstance(arxiv, str) and arxiv in by_arxiv:
            hit = (by_arxiv[arxiv], "arxiv")
        elif isinstance(openalex, str) and openalex in external.get("openalex", {}):
            hit = (external["openalex"][openalex], "openalex")
        elif isinstance(s2, str) and s2 in external.get("s2", {}):
            hit = (external["s2"][s2], "s2")
        elif isinstance(title, str):
            normal = normalize_title(title)
            dated = year is not pd.NA and year is not None
            if dated and f"{normal}|{int(year)}" in by_title:
                hit = (by_title[f"{normal}|{int(year)}"], "title")
            else:
                found = _near_title(normal, int(year) if dated else None, near)
                hit = (found, "title-near") if found else None
        if hit is None and isinstance(author, str) and year is not pd.NA and year is not None:
            candidates = block.get((author, int(year)), [])
            if isinstance(source, str) and candidates:
                fitting = {ident for ident, venue in candidates if venue and fits_venue(source, venue)}
                if len(fitting) == 1:
                    hit = (fitting.pop(), "author-year-source")
        cited.append(hit[0] if hit else None)
        matched.append(hit[1] if hit else None)
    return cited, matched


NEAR_TITLE_WORDS = 6  # a title this long names one work (five words, "A survey of GUI testing", may begin another)


def _near_titles(titles: list, years: list, ids: list) -> dict:
    """Normalised title -> (id, year) for titles of NEAR_TITLE_WORDS words or more that name one record."""
    keys = [normalize_title(t) if isinstance(t, str) else None for t in titles]
    keys = [k if k and len(k.split()) >= NEAR_TITLE_WORDS else None for k in keys]
    unique = _index(keys, ids)
    year_of = dict(zip(ids, years))
    return {key: (ident, year_of[ident]) for key, ident in unique.items()}


def _near_title(normal: str, year: int | None, near: dict):
    """The record whose title is ``normal`` with a year at most one apart, or whose title begins ``normal`` with
    the record's year among the words after it (looked up prefix by prefix, longest first; never by pairs)."""
    words = normal.split()
    whole = near.get(normal)
    if whole is not None and (year is None or whole[1] is None or abs(whole[1] - year) <= 1):
        return whole[0]
    if year is not None:
        return None  # (a dated reference whose title runs on is another work's: a longer title)
    for k in range(len(words) - 1, NEAR_TITLE_WORDS - 1, -1):
        found = near.get(" ".join(words[:k]))
        if found is not None:
            return found[0] if found[1] is not None and str(found[1]) in words[k:] else None
    return None


def union_references(lists: list[list[str]]) -> list[str]:
    """The references of several records of one paper, each cited work once, in first-seen order.

    Two strings name the same work when they share a DOI, an arXiv/OpenAlex/S2 id, or the first author's
    surname, year and first page (or surname, year and normalised title): a WoS ``CR`` line and a Scopus
    reference of the same paper count once.
    """
    seen: set = set()
    out: list[str] = []
    for refs in lists:
        for text in refs:
            parts = parse_reference(text)
            keys = [f"{k}:{parts[k]}" for k in ("doi", "arxiv_id", "openalex_id", "s2_id") if parts.get(k)]
            if parts.get("first_author") and parts.get("year"):
                if parts.get("page"):
                    keys.append(f"ayp:{parts['first_author']}|{parts['year']}|{parts['page']}")
                if parts.get("title"):
                    keys.append(f"ayt:{parts['first_author']}|{parts['year']}|{normalize_title(parts['title'])}")
            keys = keys or ["text:" + " ".join(str(text).lower().split())]
            if any(k in seen for k in keys):
                seen.update(keys)
                continue
            seen.update(keys)
            out.append(text)
    return out
