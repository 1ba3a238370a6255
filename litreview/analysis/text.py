"""The text of a paper that term analyses read."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import pandas as pd

# scikit-learn's English stop words (the Glasgow IR group's list, BSD licence), kept here so that term
# analyses need not import scikit-learn, which takes over a second (it loads scipy.stats).
ENGLISH_STOP_WORDS = frozenset(
    """a about above across after afterwards again against all almost alone along already also although always am
    among amongst amoungst amount an and another any anyhow anyone anything anyway anywhere are around as at
    back be became because become becomes becoming been before beforehand behind being below beside besides
    between beyond bill both bottom but by call can cannot cant co con could couldnt cry de describe detail do
    done down due during each eg eight either eleven else elsewhere empty enough etc even ever every everyone
    everything everywhere except few fifteen fifty fill find fire first five for former formerly forty found
    four from front full further get give go had has hasnt have he hence her here hereafter hereby herein
    hereupon hers herself him himself his how however hundred i ie if in inc indeed interest into is it its
    itself keep last latter latterly least less ltd made many may me meanwhile might mill mine more moreover
    most mostly move much must my myself name namely neither never nevertheless next nine no nobody none noone
    nor not nothing now nowhere of off often on once one only onto or other others otherwise our ours ourselves
    out over own part per perhaps please put rather re same see seem seemed seeming seems serious several she
    should show side since sincere six sixty so some somehow someone something sometime sometimes somewhere
    still such system take ten than that the their them themselves then thence there thereafter thereby
    therefore therein thereupon these they thick thin third this those though three through throughout thru thus
    to together too top toward towards twelve twenty two un under until up upon us very via was we well were
    what whatever when whence whenever where whereafter whereas whereby wherein whereupon wherever whether which
    while whither who whoever whole whom whose why will with within without would yet you your yours yourself
    yourselves""".split()
)

# Abbreviations a literature corpus is full of, on top of English stop words.
DOMAIN_STOP_WORDS = frozenset(
    """paper papers propose proposed approach approaches method methods model models results show shows
    shown task tasks using use used work new based large language llm llms lm lms et al also however
    performance state art achieve achieves achieved significantly significant existing
    https github com code available release released just pretty really seems like lot way don
    doesn isn ve ll""".split()
)


def paper_text(papers: pd.DataFrame, fields: tuple[str, ...] = ("title", "abstract")) -> pd.Series:
    """Title and abstract (by default) joined into one string per paper.

    Papers without an abstract (newsletter items) fall back to their notes, so
    every paper has some text to compare.
    """
    parts = [papers[f].fillna("") for f in fields]
    text = parts[0].str.cat(parts[1:], sep=". ") if len(parts) > 1 else parts[0]
    if "notes" in papers and "abstract" in fields:
        no_abstract = papers["abstract"].isna()
        text = text.where(~no_abstract, text + ". " + papers["notes"].fillna(""))
    return text.str.strip(". ")


def stop_words() -> list[str]:
    """English stop words and the kit's domain words, sorted."""
    return sorted(ENGLISH_STOP_WORDS | DOMAIN_STOP_WORDS)


# A URL, or a word glued to one by a lost space ("athttps://github.com/x"): no term in it is a word.  (Tried
# from the start of each word only: a match tried at every character of a long word took quadratic time.)
URL = re.compile(r"(?<!\S)\S*?(?:https?://|www\.)\S*", re.IGNORECASE)
PROSE_STOP_WORDS_FILE = "stopwords.txt"  # in the data folder: documented, and the user's to extend


def strip_urls(text: str) -> str:
    """``text`` with every URL (and a word glued to one) replaced by a space.

    >>> strip_urls("code athttps://github.com/x and WWW.x.org.")
    'code   and  '
    """
    if "://" not in text and "www." not in text.lower():  # (most texts hold no URL)
        return text
    return URL.sub(" ", text)


# A publisher's notice closing an abstract ("(PsycINFO Database Record (c) 2019 APA, all rights reserved)",
# "© 2020 Elsevier Ltd. All rights reserved."): no term in it says what the paper is about.
NOTICE = re.compile(
    r"\(?psycinfo database record\s*(?:\(c\)|©)\s*\d{4}[^)]{0,60}\)?"
    r"|(?:\(c\)|©|copyright)\s*\d{4}.{0,80}?all rights reserved\.?|all rights reserved\.?", re.IGNORECASE)


def strip_notices(text: str) -> str:
    """``text`` without a publisher's copyright notice.

    >>> strip_notices("Care helps. (PsycINFO Database Record (c) 2019 APA, all rights reserved)")
    'Care helps.  '
    >>> strip_notices("Cells grow. © 2020 Elsevier Ltd. All rights reserved.")
    'Cells grow.  '
    >>> strip_notices("We searched PsycINFO database records (2000-2019) and MEDLINE.")  # (no notice)
    'We searched PsycINFO database records (2000-2019) and MEDLINE.'
    """
    lowered = text.lower()
    if "rights reserved" not in lowered and "psycinfo" not in lowered:  # (most texts hold none)
        return text
    return NOTICE.sub(" ", text)


@lru_cache(maxsize=4)
def _read_stop_words(path: Path) -> frozenset[str]:
    words = []
    for line in path.read_text(encoding="utf-8").splitlines():
        words += line.split("#", 1)[0].lower().split()
    return frozenset(words)


def prose_stop_words() -> frozenset[str]:
    """The verbs and connectives of scientific prose in ``data/stopwords.txt`` ("propose", "despite")."""
    from litreview.data import data_dir

    try:
        return _read_stop_words(data_dir() / PROSE_STOP_WORDS_FILE)
    except FileNotFoundError:
        return frozenset()


def term_stop_words(extra: Iterable[str] = ()) -> frozenset[str]:
    """Every word the term analyses leave out: :func:`stop_words`, :func:`prose_stop_words` and ``extra``."""
    if isinstance(extra, str):
        raise TypeError("stop_words must be a list of words, not one string")
    return frozenset(stop_words()) | prose_stop_words() | {str(w).lower() for w in extra}
