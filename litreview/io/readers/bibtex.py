"""BibTeX (``.bib``): every entry with a title, abstract, DOI or arXiv id becomes a record.

What is read:

- entries of any type (``@article``, ``@ARTICLE``, ``@Conference``, ``@misc``, ...), delimited by
  braces or parentheses; field values in braces (nested), in quotes, numbers and ``@string`` macros,
  joined with ``#``; the standard month macros ``jan`` .. ``dec``; ``@comment``, ``@preamble`` and
  text between entries (``%`` lines, ``###`` headings) are ignored;
- ``title``, ``abstract``; ``author`` split on ``and`` (``Last, First`` becomes ``First Last``;
  ``{Google DeepMind}`` stays one name; ``and others`` flags ``authors-incomplete``); ``year``;
  ``month`` (macro, name or number); ``date`` (biblatex) when there is no year;
- ``venue`` from ``journal`` (or biblatex ``journaltitle``), else ``booktitle``, else ``howpublished``
  (unless it is a link), else ``institution``, ``school``, and ``publisher`` if nothing else; a venue
  that only says arXiv (``arXiv preprint arXiv:2106.09685``, ``arxiv:1611.07800``) is ``arXiv``;
- ``arxiv_id`` and ``arxiv_version`` from ``eprint`` (with ``archivePrefix``/``eprinttype`` arXiv,
  or none), from the venue text, from an ``arxiv.org/abs/`` or ``/pdf/`` link, or from a DataCite
  DOI ``10.48550/arXiv.2106.09685``; ``categories`` from ``primaryClass`` of an arXiv entry;
- ``doi``, ``url`` (or a link given as ``howpublished``), ``keywords`` (plus Scopus'
  ``author_keywords``) split on ``,`` and ``;``; ``annote`` (an annotation) as ``notes``;
- ``crossref``: a missing booktitle, journal, year, month, publisher ... is taken from the referenced
  entry (its ``title`` serves as the booktitle); a ``@proceedings`` entry that others refer to is a
  container, not a paper, and gives no record of its own.

LaTeX in values is decoded to Unicode: accents (``{\\"u}``, ``\\'e``, ``\\c{c}``, ``{\\'\\i}``),
letters (``{\\ss}``, ``\\o``, ``\\l``), escapes (``\\&``, ``\\%``, ``\\_``, ``\\$``), ``--``/``---``
dashes, ``~``, TeX quotes (two backquotes, two apostrophes), Greek letters and common math symbols,
``\\textbackslash{}`` and friends; markup commands (``\\emph``, ``\\textbf``, ``\\mathcal``,
``{\\em ...}``) and protective braces (``{BERT}``) are dropped, ``$`` math delimiters too.  Runs of
ASCII whitespace become one space, as in BibTeX (a no-break space is kept).  ``url``, ``doi`` and
``eprint`` are taken verbatim (only ``\\url{}``, braces and escapes removed).

Problems: an entry that cannot be parsed (no closing brace, garbage between fields) is one error at
its ``@`` line, and reading carries on at the next line that starts an entry, so one broken entry
never costs the others.  Warnings (the record is kept): an ``@string`` macro not defined in the file
(kept as its name: macros defined in another file are not seen), a year or month that is not one,
a DOI that is not one, a ``crossref`` to an unknown key, a field given twice, a missing comma
between fields, a duplicate citation key (both records are kept; the merge step decides).

Why hand-written: measured on ``pybibx_scopus.bib`` (263 entries, 2.4 MB), bibtexparser 2.1 fails
36 of the entries (Scopus repeats ``funding_details``) and takes 0.65 ms/entry without LaTeX
decoding, 6 ms/entry with pylatexenc decoding only the fields used here and 31 ms/entry with its own
LatexDecodingMiddleware, against a budget of 0.4 ms/entry (10x faster than litstudy's bibtexparser
1.x reader).  This module parses only the fields it uses, skips the others with one ``str.find`` per
brace, and decodes LaTeX only where the text has any; it reads that file at about 0.17 ms/entry
(24x litstudy's reader, 4x bibtexparser 2.1 without any decoding).

Known limits: ``@string`` macros from another file, or defined after their use, are not seen (the
value stays the macro's name, with a warning); a line that starts with ``@word{`` inside a field
value is taken as the start of a new entry (that is what lets a broken entry end); crossref is
resolved one level deep; unknown LaTeX commands are kept as written (``\\foo{bar}``); TeX's ``\\:``
and friends become spaces.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from litreview.fields.ids import normalize_doi, parse_arxiv_id
from litreview.fields.names import first_last
from litreview.io.readers.base import ReadResult, excerpt

FORMAT = "bibtex"

# Fields this reader uses; every other field is skipped without being decoded.
_USED_FIELDS = frozenset(
    {
        "title", "abstract", "author", "year", "month", "date", "journal", "journaltitle", "booktitle",
        "howpublished", "institution", "school", "publisher", "keywords", "author_keywords", "url", "doi",
        "eprint", "archiveprefix", "eprinttype", "primaryclass", "crossref", "annote",
    }
)  # fmt: skip
# Fields a crossref child takes from its parent when it lacks them.
_INHERITED = ("booktitle", "journal", "journaltitle", "year", "month", "date", "publisher", "institution", "school")
_CONTAINER_TYPES = frozenset({"proceedings", "mvproceedings"})
_IGNORED_TYPES = frozenset({"comment", "preamble"})

MONTH_MACROS = {
    "jan": "January", "feb": "February", "mar": "March", "apr": "April", "may": "May", "jun": "June",
    "jul": "July", "aug": "August", "sep": "September", "oct": "October", "nov": "November", "dec": "December",
}  # fmt: skip

# --- the grammar --------------------------------------------------------------------------------
# A line that starts an entry: where a broken entry is taken to end.  "(" must follow the type
# directly, so prose such as "@twitter (see ...)" at the start of a wrapped line does not qualify.
# (A leading "\n" rather than "^": the regex engine then scans for it as fast as str.find.)
_ENTRY_LINE = re.compile(r"\n[ \t]*@[ \t]*[A-Za-z][\w-]*(?:[ \t]*\{|\()")
_ENTRY = re.compile(r"@[ \t]*([A-Za-z][\w-]*)([ \t]*\{|\()")
_SPACE = re.compile(r"\s*")
_SPACE_OR_COMMENTS = re.compile(r"(?:\s+|%[^\n]*)*")  # between fields; "%" lines as biber allows
_KEY = re.compile(r"[^\s,{}()=\"#%]+")
# Scopus writes names with a no-break space ("funding_text\xa01"); BibTeX would not, but allowing it loses nothing.
_FIELD_NAME = re.compile(r"[A-Za-z_][^\s=,{}()\"#%']*(?:[^\S\n]+[^\s=,{}()\"#%']+)*")
_EQUALS = re.compile(r"\s*=\s*")
_HASH = re.compile(r"\s*#\s*")
_NUMBER_OR_MACRO = re.compile(r"[^\s,#{}()=\"%]+")
_QUOTE_OR_BRACE = re.compile(r'["{}]')

_SNIFF_ENTRY = re.compile(
    r"^[ \t]*@[ \t]*(?:[A-Za-z]+(?:[ \t]*\{|\()[ \t]*[^\s,={}()\"#%']+[ \t]*,"
    r"|string(?:[ \t]*\{|\()\s*[A-Za-z][\w-]*\s*=|(?:preamble|comment)[ \t]*\{)",
    re.MULTILINE | re.IGNORECASE,
)


def sniff(text: str) -> bool:
    """An entry (``@type{key,``), ``@string`` definition or ``@comment{`` at the start of a line, near the top."""
    try:
        match = _SNIFF_ENTRY.search(text)
        # A BibTeX file may open with comment lines, not with pages of other text.
        return match is not None and text.count("\n", 0, match.start()) < 1000
    except Exception:  # noqa: BLE001 - sniffing must never raise
        return False


# --- parsing ------------------------------------------------------------------------------------


class _EntryError(Exception):
    """The entry being parsed is broken; the message says how."""


@dataclass
class _Entry:
    type: str
    key: str | None
    line: int
    fields: dict[str, str] = field(default_factory=dict)
    warnings: list[tuple[str, str | None]] = field(default_factory=list)  # (message, quality flag)


class _Parser:
    """One pass over the text: entries in file order, macros defined as they come (as BibTeX does)."""

    def __init__(self, text: str, file: str, result: ReadResult):
        self.text = text
        self.file = file
        self.result = result
        self.macros: dict[str, str] = {}
        self.entries: list[_Entry] = []
        self._line = 1
        self._line_pos = 0
        self._limit = 0

    def line_at(self, pos: int) -> int:
        """1-based line of ``pos``; positions only move forward, so counting stays linear."""
        self._line += self.text.count("\n", self._line_pos, pos)
        self._line_pos = pos
        return self._line

    def run(self) -> None:
        text = self.text
        pos = 0
        while True:
            match = _ENTRY.search(text, pos)
            if match is None:
                return
            start = match.start()
            if _after_percent(text, pos, start):  # "% @article{...}": the rest of the line is a comment
                end_of_line = text.find("\n", start)
                pos = len(text) if end_of_line < 0 else end_of_line
                continue
            limit = self._next_entry_line(match.end())
            line = self.line_at(start)
            kind = match[1].lower()
            closer = "}" if match[2].endswith("{") else ")"
            try:
                if kind in _IGNORED_TYPES:
                    pos = self._skip_block(match.end(), limit, closer)
                elif kind == "string":
                    pos = self._parse_string(match.end(), limit, closer)
                else:
                    entry = _Entry(kind, None, line)
                    pos = self._parse_entry(entry, match.end(), limit, closer)
                    self.entries.append(entry)
            except _EntryError as err:
                self.result.error(self.file, line, str(err))
                pos = limit

    def _next_entry_line(self, pos: int) -> int:
        """Where the next line that starts an entry begins (or the end of the text).

        The answer is kept while it lies ahead, so a file of many entries on one line is not
        searched to its end once per entry.
        """
        if self._limit - 1 < pos:
            following = _ENTRY_LINE.search(self.text, pos)
            self._limit = following.start() + 1 if following else len(self.text) + 1
        return min(self._limit, len(self.text))

    def _skip_block(self, pos: int, limit: int, closer: str) -> int:
        """``@comment{...}`` and ``@preamble{...}``: skipped, balanced or not."""
        end = self._group_end(pos, limit, closer)
        return limit if end < 0 else end + 1

    def _group_end(self, pos: int, limit: int, closer: str) -> int:
        """Index of the delimiter closing a group opened just before ``pos``, or -1."""
        if closer == ")":
            depth = 0
            for i in range(pos, limit):  # parenthesised entries are rare; a plain scan will do
                ch = self.text[i]
                if ch == "{":
                    depth += 1
                elif ch == "}":
                    depth -= 1
                elif ch == ")" and depth <= 0:
                    return i
            return -1
        return _braced_end(self.text, pos, limit)

    def _parse_string(self, pos: int, limit: int, closer: str) -> int:
        text = self.text
        pos = _SPACE.match(text, pos, limit).end()
        name = _FIELD_NAME.match(text, pos, limit)
        if name is None:
            raise _EntryError(f"@string has no macro name, found {excerpt(text[pos:limit])}")
        equals = _EQUALS.match(text, name.end(), limit)
        if equals is None:
            raise _EntryError(f"@string {name[0]!r} has no '='")
        value, pos, _undefined = self._parse_value(equals.end(), limit, f"@string {name[0]!r}", True)
        pos = _SPACE.match(text, pos, limit).end()
        if not text.startswith(closer, pos):
            raise _EntryError(f"@string {name[0]!r} has no closing {closer!r}")
        self.macros[name[0].lower()] = value
        return pos + 1

    def _parse_entry(self, entry: _Entry, pos: int, limit: int, closer: str) -> int:
        text = self.text
        pos = _SPACE.match(text, pos, limit).end()
        key = _KEY.match(text, pos, limit)
        after_key = _SPACE.match(text, key.end(), limit).end() if key else pos
        if key and not text.startswith("=", after_key):
            entry.key = key[0]
            pos = after_key
            if text.startswith(closer, pos):
                return pos + 1
            if not text.startswith(",", pos):
                raise _EntryError(f"entry {entry.key!r}: expected ',' after the key, found {_found(text, pos, limit)}")
            pos += 1
        else:  # reported when the record is built
            if text.startswith(",", pos):  # @misc{, title = ...}
                pos += 1
        name_for = f"entry {entry.key!r}" if entry.key else "entry"
        unclosed = f"{name_for} has no closing {'brace' if closer == '}' else 'parenthesis'}"
        first = True
        while True:
            pos = _SPACE_OR_COMMENTS.match(text, pos, limit).end()
            if pos >= limit:
                raise _EntryError(unclosed)
            if text.startswith(closer, pos):
                return pos + 1
            if not first:
                if text.startswith(",", pos):
                    pos = _SPACE_OR_COMMENTS.match(text, pos + 1, limit).end()
                    if pos >= limit:
                        raise _EntryError(unclosed)
                    if text.startswith(closer, pos):
                        return pos + 1
                elif _looks_like_field(text, pos, limit):
                    entry.warnings.append((f"missing comma before field {_FIELD_NAME.match(text, pos)[0]!r}", None))
                else:
                    raise _EntryError(f"{name_for}: expected ',' or {closer!r}, found {_found(text, pos, limit)}")
            pos = self._parse_field(entry, name_for, pos, limit)
            first = False

    def _parse_field(self, entry: _Entry, name_for: str, pos: int, limit: int) -> int:
        text = self.text
        name = _FIELD_NAME.match(text, pos, limit)
        if name is None:
            raise _EntryError(f"{name_for}: expected a field name, found {_found(text, pos, limit)}")
        equals = _EQUALS.match(text, name.end(), limit)
        fname = name[0].lower()
        if equals is None:
            raise _EntryError(f"{name_for}: field {name[0]!r} has no '='")
        used = fname in _USED_FIELDS
        value, pos, undefined = self._parse_value(equals.end(), limit, f"{name_for}, field {name[0]!r}", used)
        if used:
            for macro in undefined:
                entry.warnings.append((f"undefined @string macro {macro!r} in field {fname!r}", "undefined-macro"))
            if fname in entry.fields:
                if entry.fields[fname] != value:
                    entry.warnings.append((f"field {fname!r} given twice; the first is used", "duplicate-field"))
            else:
                entry.fields[fname] = value
        return pos

    def _parse_value(self, pos: int, limit: int, where: str, keep: bool) -> tuple[str, int, list[str]]:
        """A value: parts joined by ``#``.  Returns the raw text (when ``keep``), the end, undefined macros."""
        text = self.text
        parts: list[str] = []
        undefined: list[str] = []
        while True:
            if pos >= limit:
                raise _EntryError(f"{where} has no value")
            ch = text[pos]
            if ch == "{":
                end = _braced_end(text, pos + 1, limit)
                if end < 0:
                    raise _EntryError(f"{where}: the value has no closing brace")
                if keep:
                    parts.append(text[pos + 1 : end])
                pos = end + 1
            elif ch == '"':
                end = _quoted_end(text, pos + 1, limit)
                if end < 0:
                    raise _EntryError(f"{where}: the value has no closing quote")
                if keep:
                    parts.append(text[pos + 1 : end])
                pos = end + 1
            else:
                token = _NUMBER_OR_MACRO.match(text, pos, limit)
                if token is None:
                    raise _EntryError(f"{where}: expected a value, found {_found(text, pos, limit)}")
                word = token[0]
                if keep:
                    parts.append(self._expand(word, undefined))
                pos = token.end()
            joiner = _HASH.match(text, pos, limit)
            if joiner is None:
                return "".join(parts), pos, undefined
            pos = joiner.end()

    def _expand(self, word: str, undefined: list[str]) -> str:
        if word.isdigit():
            return word
        lowered = word.lower()
        value = self.macros.get(lowered)
        if value is None:
            value = MONTH_MACROS.get(lowered)
        if value is None:
            undefined.append(word)
            return word
        return value


def _after_percent(text: str, since: int, pos: int) -> bool:
    """Whether a ``%`` comes before ``pos`` on its line, looking back no further than ``since``.

    ``since`` is where the previous entry ended: looking back only over the text between entries
    keeps this linear even when every entry is on one line.
    """
    line_start = text.rfind("\n", since, pos) + 1 or since
    return text.find("%", line_start, pos) >= 0


def _braced_end(text: str, pos: int, limit: int) -> int:
    """Index of the ``}`` closing a brace opened just before ``pos`` (braces nest), or -1.

    ``str.find`` rather than a regex: long values (Scopus' references) are crossed at memchr speed.
    """
    depth = 1
    find = text.find
    while True:
        close = find("}", pos, limit)
        if close < 0:
            return -1
        opening = find("{", pos, close)
        if opening < 0:
            depth -= 1
            if depth == 0:
                return close
            pos = close + 1
        else:
            depth += 1
            pos = opening + 1


def _quoted_end(text: str, pos: int, limit: int) -> int:
    """Index of the ``"`` closing a quoted value: a quote inside braces does not close it."""
    depth = 0
    search = _QUOTE_OR_BRACE.search
    while True:
        match = search(text, pos, limit)
        if match is None:
            return -1
        pos = match.end()
        ch = match[0]
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth < 0:
                return -1
        elif depth == 0:
            return match.start()


def _looks_like_field(text: str, pos: int, limit: int) -> bool:
    name = _FIELD_NAME.match(text, pos, limit)
    return name is not None and _EQUALS.match(text, name.end(), limit) is not None


def _found(text: str, pos: int, limit: int) -> str:
    rest = text[pos:limit].split("\n", 1)[0]
    return excerpt(rest) if rest.strip() else "the end of the entry"


# --- LaTeX to Unicode ---------------------------------------------------------------------------

_ACCENTS = {
    "`": "\u0300", "'": "\u0301", "^": "\u0302", "~": "\u0303", "=": "\u0304", "u": "\u0306", ".": "\u0307",
    '"': "\u0308", "r": "\u030a", "H": "\u030b", "v": "\u030c", "d": "\u0323", "c": "\u0327", "k": "\u0328",
    "b": "\u0331", "t": "\u0361",
}  # fmt: skip
# Commands that stand for a character.  Letters swallow the space after them, as in TeX ({\ss}e, \o rn).
_SYMBOLS = {
    "ss": "ß", "SS": "SS", "o": "ø", "O": "Ø", "l": "ł", "L": "Ł", "i": "ı", "j": "ȷ", "ae": "æ", "AE": "Æ",
    "oe": "œ", "OE": "Œ", "aa": "å", "AA": "Å", "dh": "ð", "DH": "Ð", "th": "þ", "TH": "Þ", "ng": "ŋ", "NG": "Ŋ",
    "dj": "đ", "DJ": "Đ",
    "textendash": "–", "textemdash": "—", "textquoteleft": "‘", "textquoteright": "’", "textquotedblleft": "“",
    "textquotedblright": "”", "textquotesingle": "'", "textquotedbl": '"', "guillemotleft": "«",
    "guillemotright": "»", "textellipsis": "…", "ldots": "…", "dots": "…", "textbullet": "•",
    "textperiodcentered": "·", "textdegree": "°", "textsection": "§", "S": "§", "textparagraph": "¶", "P": "¶",
    "textregistered": "®", "texttrademark": "™", "textcopyright": "©", "copyright": "©", "pounds": "£",
    "textsterling": "£", "texteuro": "€", "euro": "€", "textyen": "¥", "dag": "†", "ddag": "‡", "textdagger": "†",
    "textless": "<", "textgreater": ">", "textbar": "|", "textasciitilde": "~", "textasciicircum": "^",
    "textunderscore": "_", "textbackslash": "\\", "backslash": "\\", "textbraceleft": "{", "textbraceright": "}",
    "textdollar": "$", "textpercent": "%", "textampersand": "&", "textnumero": "№", "textexclamdown": "¡",
    "textquestiondown": "¿", "quad": " ", "qquad": " ", "space": " ", "newline": " ", "par": " ",
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε", "zeta": "ζ",
    "eta": "η", "theta": "θ", "vartheta": "ϑ", "iota": "ι", "kappa": "κ", "lambda": "λ", "mu": "μ", "nu": "ν",
    "xi": "ξ", "pi": "π", "varpi": "ϖ", "rho": "ρ", "varrho": "ϱ", "sigma": "σ", "varsigma": "ς", "tau": "τ",
    "upsilon": "υ", "phi": "φ", "varphi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω", "Gamma": "Γ", "Delta": "Δ",
    "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π", "Sigma": "Σ", "Upsilon": "Υ", "Phi": "Φ", "Psi": "Ψ",
    "Omega": "Ω",
    "times": "×", "cdot": "·", "pm": "±", "mp": "∓", "div": "÷", "leq": "≤", "le": "≤", "geq": "≥", "ge": "≥",
    "neq": "≠", "ne": "≠", "approx": "≈", "sim": "∼", "simeq": "≃", "equiv": "≡", "propto": "∝", "infty": "∞",
    "rightarrow": "→", "to": "→", "leftarrow": "←", "gets": "←", "Rightarrow": "⇒", "Leftarrow": "⇐",
    "leftrightarrow": "↔", "mapsto": "↦", "in": "∈", "notin": "∉", "ell": "ℓ", "partial": "∂", "nabla": "∇",
    "sum": "∑", "prod": "∏", "int": "∫", "sqrt": "√", "emptyset": "∅", "forall": "∀", "exists": "∃",
    "cap": "∩", "cup": "∪", "subset": "⊂", "subseteq": "⊆", "supset": "⊃", "circ": "∘", "star": "⋆", "ast": "∗",
    "prime": "′", "langle": "⟨", "rangle": "⟩",
}  # fmt: skip
# Words: the space after them stays.
_LOGOS = {
    "TeX": "TeX", "LaTeX": "LaTeX", "LaTeXe": "LaTeX2e", "BibTeX": "BibTeX", "XeTeX": "XeTeX",
    "log": "log", "exp": "exp", "max": "max", "min": "min", "sin": "sin", "cos": "cos", "det": "det",
}  # fmt: skip
# Markup: the command goes, its argument (a brace group, whose braces go too) stays.
_MARKUP = (
    "emph textbf textit textsl textsc textrm textsf texttt textup textmd textnormal textsuperscript "
    "textsubscript text mbox hbox makebox fbox ensuremath mathrm mathbf mathit mathsf mathtt mathcal mathbb "
    "mathfrak mathscr mathnormal boldsymbol bm operatorname protect em bf it sl sc rm sf tt up md normalfont "
    "upshape itshape slshape scshape bfseries mdseries rmfamily sffamily ttfamily tiny scriptsize footnotesize "
    "small normalsize large Large LARGE huge Huge noopsort nocase relax left right big Big bigl bigr"
).split()
_CONTROL_SYMBOLS = {"\\": " ", " ": " ", ",": " ", ";": " ", ":": " ", ">": " ", "!": "", "-": "", "/": "", "@": ""}


def _alternation(words) -> str:
    return "|".join(sorted(map(re.escape, words), key=len, reverse=True))


_LATEX = re.compile(
    r"\\url\{(?P<url>[^{}]*)\}"
    r"|\\href\{[^{}]*\}"  # \href{link}{text}: the text stays
    r"|\\(?P<accent>[`'^\"~=.]|[uvHckrdbt](?![A-Za-z]))"
    r"(?:(?<=[uvHckrdbt])[ \t\n]*)?"  # letter accents may be followed by spaces: \c c
    r"(?:\{[ \t\n]*(?P<inner>\\[ij](?![A-Za-z])|[A-Za-z]?)[ \t\n]*\}|(?P<bare>\\[ij](?![A-Za-z])|[A-Za-z]))"
    rf"|\\(?P<logo>{_alternation(_LOGOS)})(?![A-Za-z])(?:\{{\}})?"
    rf"|\\(?P<symbol>{_alternation(_SYMBOLS)})(?![A-Za-z])(?:\{{\}}|[ \t\n]+)?"
    rf"|\\(?:{_alternation(_MARKUP)})(?![A-Za-z])\*?[ \t\n]*"
    r"|\\(?P<unknown>[A-Za-z]+)\*?(?:\{[^{}]*\})?"
    r"|\\(?P<control>.)"
    r"|(?P<brace>[{}$])"
    r"|(?P<dashes>-{2,3})"
    r"|(?P<quotes>``|'')"
    r"|(?P<tilde>~)",
    re.DOTALL,
)
_NEEDS_LATEX = re.compile(r"[\\{}~$]|--|``|''")
_ASCII_SPACE = " \t\n\r\f\v"  # only ASCII whitespace is collapsed: a no-break space is content
_WHITESPACE = re.compile(r"[ \t\n\r\f\v]+")
_WHITESPACE_RUN = re.compile(r"[ \t\n\r\f\v]{2}|[\t\n\r\f\v]")


def _latex_token(match: re.Match) -> str:
    group = match.lastgroup
    if group in ("brace", None):  # braces, math "$", \href{...}, markup commands: gone
        return ""
    if group in ("inner", "bare", "accent"):
        letter = match["inner"] if match["inner"] is not None else match["bare"]
        if not letter:  # \~{} is a tilde, \^{} a caret
            return "" if match["accent"].isalpha() else match["accent"]
        base = letter[1] if letter.startswith("\\") else letter  # \'\i is í
        return unicodedata.normalize("NFC", base + _ACCENTS[match["accent"]])
    if group == "symbol":
        return _SYMBOLS[match["symbol"]]
    if group == "logo":
        return _LOGOS[match["logo"]]
    if group == "url":
        return match["url"]
    if group == "unknown":
        return match[0]
    if group == "control":
        ch = match["control"]
        return _CONTROL_SYMBOLS.get(ch, ch)
    if group == "dashes":
        return "—" if len(match[0]) == 3 else "–"
    if group == "quotes":
        return "“" if match[0] == "``" else "”"
    return " "  # "~", a tie


def decode_latex(raw: str) -> str:
    """BibTeX/LaTeX field text to plain Unicode, whitespace collapsed.

    >>> decode_latex(r"Sch{\\"o}lkopf --- {BERT} \\& co~2")
    'Schölkopf — BERT & co 2'
    """
    if _NEEDS_LATEX.search(raw):
        raw = _LATEX.sub(_latex_token, raw)
    if _WHITESPACE_RUN.search(raw):
        raw = _WHITESPACE.sub(" ", raw)
    return raw.strip(_ASCII_SPACE)


_VERBATIM_ESCAPE = re.compile(r"\\(?:text(asciitilde|underscore)(?![A-Za-z])(?:\{\})?|([_%&#${}~]))|[{}]")
_VERBATIM_WORDS = {"asciitilde": "~", "underscore": "_"}


def _verbatim(raw: str) -> str:
    """``url``/``doi``/``eprint``: no LaTeX decoding, only ``\\url{}``, braces and escapes removed."""
    raw = raw.strip(_ASCII_SPACE)
    if raw.startswith("\\url{") and raw.endswith("}"):
        raw = raw[5:-1]
    if "\\" in raw or "{" in raw or "}" in raw:
        raw = _VERBATIM_ESCAPE.sub(lambda m: _VERBATIM_WORDS[m[1]] if m[1] else m[2] or "", raw)
    return _WHITESPACE.sub(" ", raw).strip(_ASCII_SPACE)


# --- fields to a record -------------------------------------------------------------------------

# ASCII whitespace only, here too: a name or keyword may begin or end with a no-break space.
_AND = re.compile(r"[ \t\n\r\f\v]+and[ \t\n\r\f\v]+", re.IGNORECASE)
_KEYWORD_SEPARATOR = re.compile(r"[ \t\n\r\f\v]*[,;][ \t\n\r\f\v]*")
_YEAR = re.compile(r"^\d{1,4}$")
_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2}))?")
_MONTH_WORD = re.compile(r"[A-Za-z]{3,}")
_MONTH_NAMES = tuple(name.lower() for name in MONTH_MACROS.values())
_LINK = re.compile(r"^(?:https?|ftp)://\S+$", re.IGNORECASE)
_ARXIV_IN_TEXT = re.compile(
    r"arxiv(?:\s+preprint)?(?:\s*[:/]\s*|\s+)(?:abs/)?(?P<id>\d{4}\.\d{4,5}(?:v\d+)?|[a-z][a-z\-]+(?:\.[A-Z]{2})?/\d{7}(?:v\d+)?)",
    re.IGNORECASE,
)
_ARXIV_URL = re.compile(
    r"arxiv\.org/(?:abs|pdf|html)/(?P<id>\d{4}\.\d{4,5}(?:v\d+)?|[a-z][a-z\-]+(?:\.[A-Z]{2})?/\d{7}(?:v\d+)?)",
    re.IGNORECASE,
)
_ARXIV_DOI = re.compile(r"^10\.48550/arxiv\.(?P<id>.+)$", re.IGNORECASE)
# What may surround an arXiv id in a venue that only says arXiv; Zotero adds the categories: "[cs, eess]".
_ARXIV_ONLY_WORDS = re.compile(r"\[[\w\s,.\-]*\]|\b(?:arxiv|preprints?|e-?prints?|abs)\b|[\W_]", re.IGNORECASE)
_CATEGORY_SEPARATOR = re.compile(r"[,;\s]+")


def is_arxiv_venue(venue: str) -> bool:
    """Whether a journal/booktitle only says the paper is on arXiv (``arXiv preprint arXiv:2106.09685``)."""
    if "arxiv" not in venue.lower():
        return False
    rest = _ARXIV_IN_TEXT.sub("", venue)
    return not _ARXIV_ONLY_WORDS.sub("", rest)


def _split_top_level(raw: str, separator: re.Pattern) -> list[str]:
    """Split ``raw`` on ``separator`` outside braces: ``{Smith and Sons} and Doe`` is two names."""
    if "{" not in raw:
        return separator.split(raw)
    parts, start, depth, pos = [], 0, 0, 0
    while True:
        match = separator.search(raw, pos)
        if match is None:
            parts.append(raw[start:])
            return parts
        depth += raw.count("{", pos, match.start()) - raw.count("}", pos, match.start())
        if depth == 0:
            parts.append(raw[start : match.start()])
            start = match.end()
        pos = match.end()


def _authors(raw: str) -> tuple[list[str], bool]:
    """Names as ``First Last`` and whether the list ends with ``and others``."""
    names: list[str] = []
    incomplete = False
    for part in _split_top_level(raw.strip(_ASCII_SPACE), _AND):
        part = part.strip(_ASCII_SPACE)
        if part.lower() == "others":
            incomplete = True
            continue
        if part.startswith("{") and part.endswith("}") and _braced_end(part, 1, len(part)) == len(part) - 1:
            name = decode_latex(part[1:-1])  # {Google DeepMind}: one name, taken as written
        else:
            name = decode_latex(part)
            if "," in name:  # Last, First
                name = first_last(name)
        if name:
            names.append(name)
    return names, incomplete


def _keywords(*raws: str | None) -> list[str]:
    seen: dict[str, None] = {}
    for raw in raws:
        if raw:
            for part in _split_top_level(raw, _KEYWORD_SEPARATOR):
                word = decode_latex(part)
                if word:
                    seen.setdefault(word, None)
    return list(seen)


def _month(text: str) -> int | None:
    text = text.strip().rstrip(".")
    if text.isdigit():
        number = int(text)
        return number if 1 <= number <= 12 else None
    for word in _MONTH_WORD.findall(text):  # "11--13 Apr", "June 2019", "Sept."
        word = word.lower()
        for number, name in enumerate(_MONTH_NAMES, start=1):
            if name.startswith(word) or (word == "sept" and number == 9):
                return number
    return None


def _arxiv(fields: dict[str, str], venue_texts: list[str], url: str | None, doi: str | None):
    """``(id, version)`` from eprint, venue text, link or DOI, in that order of trust."""
    eprint = fields.get("eprint")
    if eprint:
        archive = (fields.get("archiveprefix") or fields.get("eprinttype") or "").strip().lower()
        if archive in ("", "arxiv"):
            parsed = parse_arxiv_id(_verbatim(eprint))
            if parsed:
                return parsed
    for text in venue_texts:
        match = _ARXIV_IN_TEXT.search(text)
        if match:
            return parse_arxiv_id(match["id"])
    if url:
        match = _ARXIV_URL.search(url)
        if match:
            return parse_arxiv_id(match["id"].removesuffix(".pdf"))
    if doi:
        match = _ARXIV_DOI.match(doi)
        if match:
            return parse_arxiv_id(match["id"])
    return None


def _record(entry: _Entry, fields: dict[str, str], file: str, result: ReadResult) -> dict[str, Any] | None:
    record: dict[str, Any] = {"source": f"{file}:{entry.line}"}
    flags = _report_warnings(entry, file, result)

    def warn(message: str, flag: str) -> None:
        result.warn(file, entry.line, f"{_label(entry)}: {message}")
        if flag not in flags:
            flags.append(flag)

    for name, column in (("title", "title"), ("abstract", "abstract"), ("annote", "notes")):
        if name in fields:
            record[column] = decode_latex(fields[name]) or None
    if "author" in fields:
        authors, incomplete = _authors(fields["author"])
        record["authors"] = authors
        if incomplete:
            flags.append("authors-incomplete")
    _read_date(fields, record, warn)
    venue_texts, link = _venue_texts_and_link(fields)
    if venue_texts:
        record["venue"] = "arXiv" if is_arxiv_venue(venue_texts[0]) else venue_texts[0]
    record["url"] = link
    doi = None
    if fields.get("doi"):
        doi = normalize_doi(_verbatim(fields["doi"]))
        if doi is None:
            warn(f"doi {excerpt(_verbatim(fields['doi']))} is not a DOI; left out", "unreadable-doi")
        record["doi"] = doi
    arxiv = _arxiv(fields, venue_texts, link, doi)
    if arxiv:
        record["arxiv_id"], record["arxiv_version"] = arxiv
        categories = [c for c in _CATEGORY_SEPARATOR.split(_verbatim(fields.get("primaryclass") or "")) if c]
        if categories:  # Zotero writes "cs, eess"
            record["categories"] = categories
    keywords = _keywords(fields.get("author_keywords"), fields.get("keywords"))
    if keywords:
        record["keywords"] = keywords
    if not (record.get("title") or record.get("abstract") or doi or arxiv):
        result.error(file, entry.line, f"{_label(entry)} has no title, abstract, DOI or arXiv id: not a paper")
        return None
    if not record.get("abstract"):
        flags.append("no-abstract")
    record["quality_flags"] = flags
    return {name: value for name, value in record.items() if value is not None}


def _venue_texts_and_link(fields: dict[str, str]) -> tuple[list[str], str | None]:
    """The venue fields' texts, most specific first, and the link (``url``, or ``howpublished`` if a link)."""
    link = _verbatim(fields["url"]).split(" ")[0] if fields.get("url") else None
    texts = []
    for name in ("journal", "journaltitle", "booktitle", "howpublished", "institution", "school", "publisher"):
        if fields.get(name):
            text = decode_latex(fields[name])
            if name == "howpublished" and _LINK.match(text):  # \url{...} is kept verbatim by decode_latex
                link = link or text
            elif text:
                texts.append(text)
    return texts, link or None


def _label(entry: _Entry) -> str:
    return f"entry {entry.key!r}" if entry.key is not None else "entry without a key"


def _report_warnings(entry: _Entry, file: str, result: ReadResult) -> list[str]:
    """Report what parsing noticed about ``entry``; return the quality flags it calls for."""
    flags: list[str] = []
    if entry.key is None:
        result.warn(file, entry.line, "entry has no citation key")
    for message, flag in entry.warnings:
        result.warn(file, entry.line, f"{_label(entry)}: {message}")
        if flag and flag not in flags:
            flags.append(flag)
    return flags


def _read_date(fields: dict[str, str], record: dict[str, Any], warn) -> None:
    if fields.get("year"):
        year = decode_latex(fields["year"])
        if _YEAR.match(year):
            record["year"] = int(year)
        else:
            warn(f"year {excerpt(year)} is not a number; left out", "unreadable-year")
    if fields.get("month"):
        text = decode_latex(fields["month"])
        month = _month(text)
        if month is None:
            warn(f"month {excerpt(text)} is not a month; left out", "unreadable-month")
        record["month"] = month
    if fields.get("date") and "year" not in record:
        date = _DATE.match(decode_latex(fields["date"]))
        if date:
            record["year"] = int(date[1])
            if date[2] and 1 <= int(date[2]) <= 12 and record.get("month") is None:
                record["month"] = int(date[2])


def _with_crossrefs(entries: list[_Entry], file: str, by_key: dict[str, _Entry]):
    """Each entry's fields with what it inherits from its crossref; and the containers others refer to."""
    containers: set[int] = set()
    resolved: list[dict[str, str]] = []
    for entry in entries:
        fields = entry.fields
        target_key = fields.get("crossref")
        if target_key:
            target = by_key.get(_verbatim(target_key).lower())
            if target is None or target is entry:
                entry.warnings.append((f"crossref to unknown key {excerpt(_verbatim(target_key))}", "missing-crossref"))
            else:
                if target.type in _CONTAINER_TYPES:
                    containers.add(id(target))
                fields = dict(fields)
                for name in _INHERITED:
                    if name not in fields and name in target.fields:
                        fields[name] = target.fields[name]
                if "booktitle" not in fields and "journal" not in fields and "title" in target.fields:
                    fields["booktitle"] = target.fields["title"]
        resolved.append(fields)
    return resolved, containers


def read(text: str, file: str) -> ReadResult:
    result = ReadResult()
    try:
        parser = _Parser(text, file, result)
        parser.run()
    except Exception as err:  # noqa: BLE001 - a reader reports, it never raises
        result.error(file, None, f"the BibTeX parser failed: {type(err).__name__}: {err}")
        return result
    by_key: dict[str, _Entry] = {}
    for entry in parser.entries:
        if entry.key is None:
            continue
        first = by_key.setdefault(entry.key.lower(), entry)
        if first is not entry:
            entry.warnings.append((f"duplicate key (first at line {first.line}); both records kept", None))
    resolved, containers = _with_crossrefs(parser.entries, file, by_key)
    for entry, fields in zip(parser.entries, resolved):
        if id(entry) in containers:  # not a paper, but what was wrong in it is still said
            _report_warnings(entry, file, result)
            continue
        try:
            record = _record(entry, fields, file, result)
        except Exception as err:  # noqa: BLE001 - one odd entry must not cost the others
            result.error(file, entry.line, f"entry {entry.key!r} could not be read: {type(err).__name__}: {err}")
            continue
        if record is not None:
            result.records.append(record)
    result.problems.sort(key=lambda p: p.line or 0)
    return result
