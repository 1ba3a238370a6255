"""Dates and months: one month table and one date parser for every reader and writer.

A month is a number (``5``, ``05``, ``5.0``) or an English name, full or cut after at least three letters
(``May``, ``Sept.``, ``september``, ``jun``).  A date gives a year (1000-2999) and, when it says, a month:

- ISO-ish: ``2023-08-07``, ``2023-08``, ``2023/08/07/``, ``2019//``, ``2012-01-23T21:15:02Z``, ``2023``;
  a month name after the year counts too (``2023 Aug``);
- free text with a four-digit year and a month name: ``Aug 2023``, ``7 August 2023``, ``August 7, 2023``,
  ``24-27 Sept. 2019``, ``Jan.-Feb. 2019`` (the first month named), ``Mon, 2 Apr 2007 19:18:42 GMT``.

Anything else is no date: ``(None, None)``.
"""

from __future__ import annotations

import re

MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
MONTH_ABBREVIATIONS = tuple(name[:3].lower() for name in MONTH_NAMES)  # BibTeX's month macros: jan .. dec
# Every spelling a month is looked up by, lower case: "jan", "janu", ..., "january", and "sept".
MONTH_NUMBERS: dict[str, int] = {
    name.lower()[:length]: number
    for number, name in enumerate(MONTH_NAMES, start=1)
    for length in range(3, len(name) + 1)
}
MONTH_NUMBERS["sept"] = 9

_MONTH_DIGITS = re.compile(r"^\d{1,2}(?:\.0+)?$")
_WORD = re.compile(r"[A-Za-z]{3,}")
_ISO = re.compile(r"^(\d{4})(?!\d)(?:[-/.](\d{1,2})(?!\d))?")
_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")


def month_number(text: str) -> int | None:
    """A month 1-12 from a number or a month name (the whole text); ``None`` when it is not one.

    >>> month_number("Sept."), month_number("05"), month_number("june"), month_number("13")
    (9, 5, 6, None)
    """
    cell = text.strip().rstrip(".").lower()
    if _MONTH_DIGITS.match(cell):
        number = int(float(cell))
        return number if 1 <= number <= 12 else None
    return MONTH_NUMBERS.get(cell)


def find_month(text: str) -> int | None:
    """The first month named in free text (``11--13 Apr``, ``Jan.-Feb.``), or ``None``.

    >>> find_month("11--13 Apr"), find_month("Proceedings")
    (4, None)
    """
    for word in _WORD.findall(text):
        number = MONTH_NUMBERS.get(word.lower())
        if number:
            return number
    return None


def parse_date(text: str) -> tuple[int | None, int | None]:
    """Year and month of a date, each ``None`` when the text does not give it.

    >>> parse_date("2019/05/12/"), parse_date("2019//"), parse_date("1 Jan.-Feb. 2019"), parse_date("n.d.")
    ((2019, 5), (2019, None), (2019, 1), (None, None))
    >>> parse_date("Mon, 2 Apr 2007 19:18:42 GMT"), parse_date("2023 Aug"), parse_date("August 7, 2023")
    ((2007, 4), (2023, 8), (2023, 8))
    """
    text = text.strip()
    iso = _ISO.match(text)
    if iso:
        year = plausible_year(int(iso[1]))
        if year is None:
            return None, None
        month = int(iso[2]) if iso[2] else None
        if month is None and iso.end() < len(text) and text[iso.end()] in " \t,":
            month = find_month(text[iso.end() :])  # "2023 Aug"
        return year, month if month and 1 <= month <= 12 else None
    years = _YEAR.search(text)
    year = plausible_year(int(years[1])) if years else None
    if year is None:
        return None, None
    return year, find_month(text)


def plausible_year(year: int) -> int | None:
    """``year`` when it is one a paper can have (1000-2999), else ``None``."""
    return year if 1000 <= year <= 2999 else None
