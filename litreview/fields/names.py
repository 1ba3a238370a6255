"""Author names: one display form for every reader, one key for matching.

Sources write names as ``Vaswani, Ashish``, ``Ashish Vaswani``, ``Vaswani, A.``
or ``A. Vaswani``.  Readers store ``First Last`` (:func:`first_last`), spelling
and accents as given; matching uses :func:`author_key`, which folds the rest.
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_NON_LETTER = re.compile(r"[^a-z]+")


def first_last(name: str) -> str:
    """``"Vaswani, Ashish"`` -> ``"Ashish Vaswani"``; other forms pass through tidied.

    >>> first_last("van der Maaten, Laurens")
    'Laurens van der Maaten'
    >>> first_last("Smith, Jr., John")
    'John Smith Jr.'
    """
    name = _SPACES.sub(" ", name).strip().strip(",")
    parts = [p.strip() for p in name.split(",")]
    if len(parts) == 2 and parts[0] and parts[1]:
        return f"{parts[1]} {parts[0]}"
    if len(parts) == 3 and all(parts):  # "Last, Jr., First" (BibTeX's von Last, Jr, First)
        return f"{parts[2]} {parts[0]} {parts[1]}"
    return name


_PARTICLES = frozenset("van von der den de del della di da du des dos la le ten ter zu af av".split())
_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})


def last_first(name: str) -> str:
    """``"Ashish Vaswani"`` -> ``"Vaswani, Ashish"``, the form RIS and reference managers expect;
    :func:`first_last` turns it back.

    Lower-case particles stay with the surname and a suffix goes after it; a name with a comma, or of
    one word, is left as it is.

    >>> last_first("A. Labanski"), last_first("Laurens van der Maaten"), last_first("John Smith Jr.")
    ('Labanski, A.', 'van der Maaten, Laurens', 'Smith, Jr., John')
    >>> first_last(last_first("Laurens van der Maaten"))
    'Laurens van der Maaten'
    """
    name = _SPACES.sub(" ", name).strip()
    words = name.split(" ")
    if "," in name or len(words) < 2:
        return name
    suffix = None
    if words[-1].lower() in _SUFFIXES and len(words) > 2:
        suffix = words.pop()
    start = len(words) - 1
    while start > 1 and words[start - 1] in _PARTICLES:
        start -= 1
    surname, given = " ".join(words[start:]), " ".join(words[:start])
    return ", ".join(p for p in (surname, suffix, given) if p)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch)).lower()


def author_key(name: str) -> str | None:
    """Surname and first initial, folded: ``"Vaswani, Ashish"`` and
    ``"A. Vaswani"`` are both ``"vaswani a"``.

    >>> author_key("Vaswani, Ashish") == author_key("Ashish Vaswani") == "vaswani a"
    True
    """
    full = first_last(name)
    words = [w for w in (_NON_LETTER.sub("", _fold(w)) for w in full.split()) if w]
    if not words:
        return None
    surname = words[-1]
    if surname in {"jr", "sr", "ii", "iii", "iv"} and len(words) > 1:
        words = words[:-1]
        surname = words[-1]
    initial = words[0][0] if len(words) > 1 else ""
    return f"{surname} {initial}".strip()


_INITIALS = re.compile(r"(?:[A-Z]\.?-?|[A-Z][a-z]\.-?){1,3}|[A-Z]{2,3}")  # J. / J.C. / Yu. / JC / J.-C. (Yu: a name)


def given_name(name: str) -> str | None:
    """The first given name, folded, when it is written out (``None`` for initials, or a name of one word):
    what tells ``Yixuan Li`` from ``Yu Li``, whom :func:`author_key` makes one.

    >>> given_name("Li, Yixuan"), given_name("Yu Li"), given_name("Y. Li"), given_name("J.C. Phillips")
    ('yixuan', 'yu', None, None)
    >>> given_name("Yu. Nesterov"), given_name("JC Phillips")
    (None, None)
    >>> given_name("Émile Borel"), given_name("Borel")
    ('emile', None)
    """
    words = first_last(name).split()
    if len(words) < 2 or _INITIALS.fullmatch(words[0]):
        return None
    folded = _NON_LETTER.sub("", _fold(words[0]))
    return folded if len(folded) > 1 else None


# --------------------------------------------------------------------------- columnar twin (whole columns)

# author_key's ASCII path as one bytes.translate: letters lower-cased, whitespace a space, the rest dropped
_NAME_BYTES = bytes(
    (c | 32 if chr(c).isalpha() else 32 if chr(c).isspace() else c) if c < 128 else c for c in range(256)
)
_NOT_NAME_BYTES = bytes(c for c in range(128) if not chr(c).isalpha() and not chr(c).isspace())
_SUFFIX_BYTES = frozenset(s.encode() for s in ("jr", "sr", "ii", "iii", "iv"))


def first_author_surnames(author_lists) -> list[str | None]:
    """The folded surname of each list's first author (``author_key(first).split(" ")[0]``), ``None`` for an
    empty list.  ASCII names without a comma take a fast path (one translate and one split); others
    take :func:`author_key`.

    >>> first_author_surnames([["Ashish Vaswani"], ["Vaswani, Ashish"], [], ["John Smith Jr."]])
    ['vaswani', 'vaswani', None, 'smith']
    """
    out: list[str | None] = []
    for authors in author_lists:
        if not isinstance(authors, list) or not authors:
            out.append(None)
            continue
        name = authors[0]
        if type(name) is str and name.isascii() and "," not in name:
            words = name.encode().translate(_NAME_BYTES, _NOT_NAME_BYTES).split()
            if len(words) > 1 and words[-1] in _SUFFIX_BYTES:
                words.pop()
            out.append(words[-1].decode() if words else None)
            continue
        key = author_key(name)
        out.append(key.split(" ")[0] if key else None)
    return out


# PubMed's (Vancouver) author form: a surname, one to three capitals of initials, no dots, and a suffix
# (``Frenck RW Jr``, ``Doe J 3rd``).  Capitals outside ASCII count (``Türeci Ö``, ``Łukasz Ł``).
_CAPITAL = "[" + "".join(re.escape(chr(c)) for c in range(0x250) if chr(c).isupper() and chr(c).isalpha()) + "]"
_PUBMED_SUFFIX = "Jr|Sr|2nd|3rd|4th|5th"
PUBMED_NAME = re.compile(rf"(?P<surname>[^\W\d_][^\W\d_'’-]*(?:[ '’-][^\W\d_]+)*?) (?P<initials>{_CAPITAL}{{1,3}})"
                         rf"(?: (?P<suffix>{_PUBMED_SUFFIX}))?")


def pubmed_name(name: str) -> str | None:
    """A name in PubMed's form as ``First Last``: initials dotted (as Scopus's ``Doe A.B.`` reads), the suffix
    last; ``None`` for a name in another form.

    >>> pubmed_name("Doe AB"), pubmed_name("Türeci Ö"), pubmed_name("Frenck RW Jr"), pubmed_name("Ann Lee")
    ('A.B. Doe', 'Ö. Türeci', 'R.W. Frenck Jr', None)
    """
    match = PUBMED_NAME.fullmatch(name.strip())
    if match is None:
        return None
    suffix = f" {match['suffix']}" if match["suffix"] else ""
    return f"{'.'.join(match['initials'])}. {match['surname']}{suffix}"


def pubmed_full_name(name: str) -> str:
    """MEDLINE's ``FAU`` (``Frenck, Robert W Jr``) as ``First Last`` with the suffix last (``Robert W Frenck
    Jr``); another name as :func:`first_last` reads it.

    >>> pubmed_full_name("Frenck, Robert W Jr"), pubmed_full_name("Smith, John 3rd"), pubmed_full_name("Lee, Jr")
    ('Robert W Frenck Jr', 'John Smith 3rd', 'Jr Lee')
    """
    surname, comma, given = name.partition(",")
    words = given.split()
    if comma and len(words) > 1 and re.fullmatch(_PUBMED_SUFFIX, words[-1]):
        return f"{' '.join(words[:-1])} {surname.strip()} {words[-1]}"
    return first_last(name)
