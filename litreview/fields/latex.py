"""LaTeX to Unicode: the one decoder of LaTeX markup in field values, for every reader and for title keys.

:func:`decode_latex` turns BibTeX/LaTeX text into plain Unicode: accents (``{\\"u}``, ``\\'e``, ``\\c{c}``,
``{\\'\\i}``), letters (``{\\ss}``, ``\\o``, ``\\l``), escapes (``\\&``, ``\\%``, ``\\_``, ``\\$``, ``\\{``),
``--``/``---`` dashes, ``~``, TeX quotes (two backquotes, two apostrophes), Greek letters and common math
symbols, ``\\textbackslash{}`` and friends; markup commands (``\\emph``, ``\\textbf``, ``\\mathcal``,
``{\\em ...}``) and protective braces (``{BERT}``) are dropped, ``$`` math delimiters too.  Runs of ASCII
whitespace become one space, as in BibTeX (a no-break space is kept).  Unknown commands are kept as
written (``\\foo{bar}``); TeX's ``\\:`` and friends become spaces.

:func:`verbatim` is for values that are not prose (``url``, ``doi``, ``eprint``): only ``\\url{}``,
braces and escapes are removed.
"""

from __future__ import annotations

import html
import re
import unicodedata

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
# Greek letters by name (``α``: ``alpha``), as databases that write no Greek spell them.
GREEK_NAMES = {letter: name.lower() for name, letter in reversed(_SYMBOLS.items())
               if "\u0370" <= letter <= "\u03ff" and not name.startswith("var")}
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
ASCII_SPACE = " \t\n\r\f\v"  # only ASCII whitespace is collapsed: a no-break space is content
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


def readable(text: str) -> str:
    r"""``text`` as a reader sees it: LaTeX markup decoded (:func:`decode_latex`) when it holds a command (a
    backslash), else as it is.  For showing titles some sources write in TeX (arXiv's ``Fr\'echet``,
    ``$\ell_0$``); the loaded value is not changed.

    >>> readable(r"Discrete Fr\'echet Distance"), readable(r"Learning Deep $\ell_0$ Encoders"), readable("$5 prize")
    ('Discrete Fréchet Distance', 'Learning Deep ℓ_0 Encoders', '$5 prize')

    Publishers' inline markup (IEEE's ``CO<sub>2</sub>``, Crossref's ``<jats:italic>``) is left out
    as well; any other ``<`` stays, to be escaped where it is shown.

    >>> readable("CO<sub>2</sub> capture in <jats:italic>vivo</jats:italic>"), readable("a <b and <script>")
    ('CO2 capture in vivo', 'a <b and <script>')
    >>> readable("a<b>c"), readable("x<i>y and p<u>q")  # (no closing tag: maths, as written)
    ('a<b>c', 'x<i>y and p<u>q')
    >>> readable("p &lt; .001 in Ingenier&amp;amp;#237;a"), readable("R&D; AT&T")
    ('p < .001 in Ingeniería', 'R&D; AT&T')
    """
    if "<" in text:
        text = _unmarked(text)
    if "&" in text:  # HTML entities a source left in (Scopus's "p &lt; .001", escaped again and again at times)
        for _ in range(4):
            decoded = _ENTITY.sub(lambda m: html.unescape(m.group(0)), text)
            if decoded == text:
                break
            text = decoded
        if "<" in text:
            text = _unmarked(text)
    return decode_latex(text) if "\\" in text else text


def plain_text(text: str) -> str:
    r"""``text`` for counting its words: :func:`readable`, and the LaTeX commands it keeps as written (unknown to
    the decoder) left out, with the key, environment or colour of a citation, reference, ``\begin``/``\end`` or
    ``\textcolor``.  So no term analysis counts "textit", "sub", "citep" or "itemize" as a word of the paper.

    >>> plain_text(r"\textit{Sparse} CO<sub>2</sub> nets \citep{lee2020} of $\alpha$ \begin{itemize}")
    'Sparse CO2 nets   of α  '
    """
    if "\\" in text and "[" in text:  # (readable drops the braces of a key after a note: \cite[p.~3]{key})
        text = _NOTED_CITATION.sub(" ", text)
    text = readable(text)
    return _LEFT_COMMAND.sub(" ", text) if "\\" in text else text


# a citation or reference with its notes and key, \cite[p.~3]{key}, \citep[see][]{key}: left out before readable
_NOTED_CITATION = re.compile(r"\\(?:[a-z]*cite[a-z]*|[a-z]*ref)\*?(?:\s*\[[^\[\]{}]*\])+\s*\{[^{}]*\}")
_LEFT_COMMAND = re.compile(
    r"\\(?:(?:[a-z]*cite[a-z]*|[a-z]*ref|label|begin|end|(?:text)?color)\*?\{[^{}]*\}|[A-Za-z]+\*?)")


def _unmarked(text: str) -> str:
    """``text`` with paired inline tags left out, nested ones too (``<jats:p>a <jats:sup>2</jats:sup></jats:p>``)."""
    for _ in range(8):
        stripped = _INLINE_MARKUP.sub(r"\2", text)
        if stripped == text:
            break
        text = stripped
    return text


_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-f]{1,6}|[a-z][a-z0-9]{1,31});", re.I)
# formatting tags publishers leave in titles and abstracts (HTML, JATS, MathML), left out when shown: only as an
# opening and closing pair around text ("a<b>c", maths, stays as written); quoted attribute values may hold ">"
_INLINE_MARKUP = re.compile(
    r"""<((?:sup|sub|i|b|em|strong|u|sc|scp|inf|tt|small|span|jats:[a-z-]+|mml:[a-z-]+))"""
    r"""(?:\s(?:[^<>"']|"[^"]*"|'[^']*')*)?>(.*?)</\1\s*>""",
    re.I | re.S)


def decode_latex(raw: str) -> str:
    """BibTeX/LaTeX field text to plain Unicode, whitespace collapsed.

    >>> decode_latex(r"Sch{\\"o}lkopf --- {BERT} \\& co~2")
    'Schölkopf — BERT & co 2'
    """
    if _NEEDS_LATEX.search(raw):
        raw = _LATEX.sub(_latex_token, raw)
    if _WHITESPACE_RUN.search(raw):
        raw = _WHITESPACE.sub(" ", raw)
    return raw.strip(ASCII_SPACE)


_VERBATIM_ESCAPE = re.compile(r"\\(?:text(asciitilde|underscore)(?![A-Za-z])(?:\{\})?|([_%&#${}~]))|[{}]")
_VERBATIM_WORDS = {"asciitilde": "~", "underscore": "_"}


def verbatim(raw: str) -> str:
    """``url``/``doi``/``eprint``: no LaTeX decoding, only ``\\url{}``, braces and escapes removed."""
    raw = raw.strip(ASCII_SPACE)
    if raw.startswith("\\url{") and raw.endswith("}"):
        raw = raw[5:-1]
    if "\\" in raw or "{" in raw or "}" in raw:
        raw = _VERBATIM_ESCAPE.sub(lambda m: _VERBATIM_WORDS[m[1]] if m[1] else m[2] or "", raw)
    return _WHITESPACE.sub(" ", raw).strip(ASCII_SPACE)
