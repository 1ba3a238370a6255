"""BibTeX syntax: entries, fields, values and ``@string`` macros, in one pass over the text.

:func:`parse_entries` gives every entry in file order with its field values (``{...}``, ``"..."``, numbers and
macros joined with ``#``, macros expanded; only the fields asked for are kept), and every field as written
(``Entry.raw``: name and value text verbatim, in file order, for lossless export), and reports an entry that
cannot be parsed as one error at its ``@`` line; parsing then carries on at the next line that starts an entry.
What the values mean (LaTeX, names, dates, links) is :mod:`litreview.io.readers.bibtex`'s job.

Braces nest; a brace escaped with a backslash (``\\{``, ``\\}``) is a literal brace, not a delimiter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

from litreview.fields.dates import MONTH_ABBREVIATIONS, MONTH_NAMES
from litreview.io.readers.base import ReadResult, excerpt

_IGNORED_TYPES = frozenset({"comment", "preamble"})
MONTH_MACROS = dict(zip(MONTH_ABBREVIATIONS, MONTH_NAMES))  # jan -> January: BibTeX's predefined macros

# --- the grammar -------------------------------------------------------------------------------
# A line that starts an entry: where a broken entry is taken to end.  "(" must follow the type
# directly, so prose such as "@twitter (see ...)" at the start of a wrapped line does not qualify.
# (A leading "\n" rather than "^": the regex engine then scans for it as fast as str.find.)
_ENTRY_LINE = re.compile(r"\n[ \t]*@[ \t]*[A-Za-z][\w-]*(?:[ \t]*\{|\()")
_ENTRY = re.compile(r"@[ \t]*([A-Za-z][\w-]*)([ \t]*\{|\()")
_SPACE = re.compile(r"\s*")
_SPACE_OR_COMMENTS = re.compile(r"(?:\s+|%[^\n]*)*")  # between fields; "%" lines as biber allows
# OpenReview writes LaTeX into keys (armengol-estap{\'e}2024forklift): a brace group without spaces is allowed.
_KEY = re.compile(r"(?:[^\s,{}()=\"#%]|\{[^\s{}]*\})+")
# Scopus writes names with a no-break space ("funding_text\xa01"); BibTeX would not, but allowing it loses nothing.
_FIELD_NAME = re.compile(r"[A-Za-z_][^\s=,{}()\"#%']*(?:[^\S\n]+[^\s=,{}()\"#%']+)*")
_EQUALS = re.compile(r"\s*=\s*")
_HASH = re.compile(r"\s*#\s*")
_NUMBER_OR_MACRO = re.compile(r"[^\s,#{}()=\"%]+")
_QUOTE_OR_BRACE = re.compile(r'["{}]')
_LEADING_BLANK_LINES = re.compile(r"^(?:[ \t]*\n)+")

# --- parsing ------------------------------------------------------------------------------------


class EntryError(Exception):
    """The entry being parsed is broken; the message says how."""


class Piece(NamedTuple):
    """One piece of a file's :func:`layout`: an entry, or a block of text outside the entries."""

    kind: str  # "entry", "preamble", "comment" or "text"
    line: int  # where it starts (a text block: its first non-blank line)
    contents: str  # an entry's key; a block's text (within the delimiters of @preamble and @comment), stripped
    written: str  # a block as the file has it (@comment{...} whole; text without its blank lines around)


@dataclass
class Entry:
    type: str  # lower case
    key: str | None
    line: int
    fields: dict[str, str] = field(default_factory=dict)
    warnings: list[tuple[str, str | None]] = field(default_factory=list)  # (message, quality flag)
    given_type: str = ""  # the type as written: Article
    # Every field as written, in order: [name, value text], plus the expanded text when the value
    # uses a defined @string macro (so another format can be given the text, not the macro's name).
    raw: list[list[str]] = field(default_factory=list)


class _Parser:
    """One pass over the text: entries in file order, macros defined as they come (as BibTeX does)."""

    def __init__(self, text: str, file: str, result: ReadResult, used_fields: frozenset[str], macros=None):
        self.text = text
        self.file = file
        self.result = result
        self.used_fields = used_fields
        self.macros: dict[str, str] = {} if macros is None else macros  # shared across the files of one load
        self.entries: list[Entry] = []
        self.constructs = 0  # every @-construct met: entries, macros, comments, broken ones too
        self._line = 1
        self._line_pos = 0
        self._limit = 0
        self.outside: list[Piece] | None = None  # see layout: kept when a list

    def line_at(self, pos: int) -> int:
        """1-based line of ``pos``; positions only move forward, so counting stays linear."""
        self._line += self.text.count("\n", self._line_pos, pos)
        self._line_pos = pos
        return self._line

    def run(self) -> None:
        text = self.text
        pos = gap = 0  # gap: where the text outside the constructs began
        while True:
            match = _ENTRY.search(text, pos)
            if match is None:
                self._outside("text", gap, len(text))
                return
            start = match.start()
            if _after_percent(text, pos, start):  # "% @article{...}": the rest of the line is a comment
                end_of_line = text.find("\n", start)
                pos = len(text) if end_of_line < 0 else end_of_line
                continue
            self._outside("text", gap, start)
            limit = self._next_entry_line(match.end())
            line = self.line_at(start)
            self.constructs += 1
            kind = match[1].lower()
            closer = "}" if match[2].endswith("{") else ")"
            try:
                if kind in _IGNORED_TYPES:
                    pos = self._skip_block(match.end(), limit, closer)
                    self._outside(kind, match.end(), pos - 1 if pos < limit else limit, line, start, pos)
                elif kind == "string":
                    pos = self._parse_string(match.end(), limit, closer)
                else:
                    entry = Entry(kind, None, line, given_type=match[1])
                    pos = self._parse_entry(entry, match.end(), limit, closer)
                    self.entries.append(entry)
                    if self.outside is not None:  # the layout: where each entry stands among the blocks
                        self.outside.append(Piece("entry", line, entry.key or "", ""))
            except EntryError as err:
                self.result.error(self.file, line, str(err))
                pos = limit
            gap = pos

    def _outside(self, kind: str, start: int, end: int, line: int | None = None, whole_start: int = 0,
                 whole_end: int = 0) -> None:
        """Keep the text of a block outside the entries (when :func:`layout` asks for them): its contents,
        and the block as written (``@comment{...}`` whole, from ``whole_start`` to ``whole_end``)."""
        if self.outside is None:
            return
        block = self.text[start:end]
        if kind == "text":  # BibTeX's comment: any text between constructs; from its first non-blank line
            stripped = block.lstrip()
            if not stripped:
                return
            written = _LEADING_BLANK_LINES.sub("", block).rstrip()  # the first line's indent kept
            start += len(block) - len(stripped)
            block = stripped
        else:
            written = self.text[whole_start:whole_end].rstrip()
        self.outside.append(Piece(kind, line or self.line_at(start), block.strip(), written))

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
                if ch in "{}" and _escaped(self.text, i):
                    continue
                if ch == "{":
                    depth += 1
                elif ch == "}":
                    depth -= 1
                elif ch == ")" and depth <= 0:
                    return i
            return -1
        return braced_end(self.text, pos, limit)

    def _parse_string(self, pos: int, limit: int, closer: str) -> int:
        text = self.text
        pos = _SPACE.match(text, pos, limit).end()
        name = _FIELD_NAME.match(text, pos, limit)
        if name is None:
            raise EntryError(f"@string has no macro name, found {excerpt(text[pos:limit])}")
        equals = _EQUALS.match(text, name.end(), limit)
        if equals is None:
            raise EntryError(f"@string {name[0]!r} has no '='")
        value, pos, _undefined, _ = self._parse_value(equals.end(), limit, f"@string {name[0]!r}", True)
        pos = _SPACE.match(text, pos, limit).end()
        if not text.startswith(closer, pos):
            raise EntryError(f"@string {name[0]!r} has no closing {closer!r}")
        self.macros[name[0].lower()] = value
        return pos + 1

    def _parse_entry(self, entry: Entry, pos: int, limit: int, closer: str) -> int:
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
                raise EntryError(f"entry {entry.key!r}: expected ',' after the key, found {_found(text, pos, limit)}")
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
                raise EntryError(unclosed)
            if text.startswith(closer, pos):
                return pos + 1
            if not first:
                if text.startswith(",", pos):
                    pos = _SPACE_OR_COMMENTS.match(text, pos + 1, limit).end()
                    if pos >= limit:
                        raise EntryError(unclosed)
                    if text.startswith(closer, pos):
                        return pos + 1
                elif _looks_like_field(text, pos, limit):
                    entry.warnings.append((f"missing comma before field {_FIELD_NAME.match(text, pos)[0]!r}", None))
                else:
                    raise EntryError(f"{name_for}: expected ',' or {closer!r}, found {_found(text, pos, limit)}")
            pos = self._parse_field(entry, name_for, pos, limit)
            first = False

    def _parse_field(self, entry: Entry, name_for: str, pos: int, limit: int) -> int:
        text = self.text
        name = _FIELD_NAME.match(text, pos, limit)
        if name is None:
            raise EntryError(f"{name_for}: expected a field name, found {_found(text, pos, limit)}")
        equals = _EQUALS.match(text, name.end(), limit)
        fname = name[0].lower()
        if equals is None:
            raise EntryError(f"{name_for}: field {name[0]!r} has no '='")
        used = fname in self.used_fields
        start = equals.end()
        where = f"{name_for}, field {name[0]!r}"
        value, pos, undefined, expanded = self._parse_value(start, limit, where, used)
        pair = [name[0], text[start:pos]]
        if expanded:
            pair.append(value if used else self._parse_value(start, limit, where, True)[0])
        entry.raw.append(pair)
        if used:
            for macro in undefined:
                entry.warnings.append((f"undefined @string macro {macro!r} in field {fname!r}", "undefined-macro"))
            if fname in entry.fields:
                if entry.fields[fname] != value:
                    entry.warnings.append((f"field {fname!r} given twice; the first is used", "duplicate-field"))
            else:
                entry.fields[fname] = value
        return pos

    def _parse_value(self, pos: int, limit: int, where: str, keep: bool) -> tuple[str, int, list[str], bool]:
        """A value: parts joined by ``#``.  Returns the raw text (when ``keep``), the end, undefined macros
        (when ``keep``) and whether a defined macro was expanded."""
        text = self.text
        parts: list[str] = []
        undefined: list[str] = []
        expanded = False
        while True:
            if pos >= limit:
                raise EntryError(f"{where} has no value")
            ch = text[pos]
            if ch == "{":
                end = braced_end(text, pos + 1, limit)
                if end < 0:
                    raise EntryError(f"{where}: the value has no closing brace")
                if keep:
                    parts.append(text[pos + 1 : end])
                pos = end + 1
            elif ch == '"':
                end = _quoted_end(text, pos + 1, limit)
                if end < 0:
                    raise EntryError(f"{where}: the value has no closing quote")
                if keep:
                    parts.append(text[pos + 1 : end])
                pos = end + 1
            else:
                token = _NUMBER_OR_MACRO.match(text, pos, limit)
                if token is None:
                    raise EntryError(f"{where}: expected a value, found {_found(text, pos, limit)}")
                word = token[0]
                if not word.isdigit():
                    lowered = word.lower()
                    expanded = expanded or lowered in self.macros or lowered in MONTH_MACROS
                if keep:
                    parts.append(self._expand(word, undefined))
                pos = token.end()
            joiner = _HASH.match(text, pos, limit)
            if joiner is None:
                return "".join(parts), pos, undefined, expanded
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


def braced_end(text: str, pos: int, limit: int) -> int:
    """Index of the ``}`` closing a brace opened just before ``pos`` (braces nest), or -1.

    A brace after an odd number of backslashes (``\\{``) is a literal brace and does not count.
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
            pos = close + 1
            if not _escaped(text, close):
                depth -= 1
                if depth == 0:
                    return close
        else:
            pos = opening + 1
            if not _escaped(text, opening):
                depth += 1


def _escaped(text: str, pos: int) -> bool:
    """Whether the character at ``pos`` follows an odd number of backslashes."""
    if pos == 0 or text[pos - 1] != "\\":
        return False  # nearly every brace: one comparison
    start = pos - 1
    while start > 0 and text[start - 1] == "\\":
        start -= 1
    return (pos - start) % 2 == 1


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
        if _escaped(text, match.start()):
            continue
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



def parse_entries(
    text: str, file: str, result: ReadResult, used_fields: frozenset[str], macros: dict[str, str] | None = None
) -> tuple[list[Entry], int]:
    """The entries of ``text`` in file order, keeping the values of ``used_fields`` only (every field as
    written in ``Entry.raw``), and the number of ``@`` constructs met (entries, ``@string``,
    ``@comment``, ``@preamble``, broken ones too).

    ``macros`` (lower-case name: value) are the ``@string`` macros defined before this text (by earlier
    files of one load, as BibTeX reads ``\\bibliography{strings,refs}``); the text's own definitions
    are added to it.  An entry that cannot be parsed is an error in ``result`` at its ``@`` line.
    """
    parser = _Parser(text, file, result, used_fields, macros)
    parser.run()
    return parser.entries, parser.constructs


def outside_entries(text: str) -> list[tuple[str, int, str]]:
    """The text of ``text`` that is in no entry or ``@string``, which BibTeX reads as comments: ``("preamble",
    line, contents)`` and ``("comment", line, contents)`` for ``@preamble`` and ``@comment`` blocks (within their
    delimiters), ``("text", line, text)`` for each run of other text between constructs (``%`` lines, headings),
    at the line of its first non-blank character; in file order."""
    return [(piece.kind, piece.line, piece.contents) for piece in layout(text) if piece.kind != "entry"]


def layout(text: str) -> list[Piece]:
    """The entries of ``text`` (kind ``entry``, with their keys) and the blocks of :func:`outside_entries`
    (with their text as written), in file order: where each block stands among the entries."""
    parser = _Parser(text, "", ReadResult(), frozenset())
    parser.outside = []
    parser.run()
    return parser.outside


def value_text(raw: str) -> str:
    """The text of a field value as written (``{A} # " B"``, ``icml``): parts joined, delimiters removed,
    macros other than the month names left as their names (the value's ``@string`` context is gone)."""
    parser = _Parser(raw, "", ReadResult(), frozenset())
    try:
        return parser._parse_value(0, len(raw), "value", True)[0]
    except EntryError:
        return raw.strip()


def value_parts(raw: str) -> list[tuple[str, str]]:
    """The parts of a field value as written: ``("text", inner)`` for ``{...}``, ``"..."`` and numbers,
    ``("macro", name)`` for a macro; ``[]`` when the value cannot be parsed."""
    parts: list[tuple[str, str]] = []
    pos, limit = _SPACE.match(raw).end(), len(raw)
    while pos < limit:
        ch = raw[pos]
        if ch in '{"':
            end = braced_end(raw, pos + 1, limit) if ch == "{" else _quoted_end(raw, pos + 1, limit)
            if end < 0:
                return []
            parts.append(("text", raw[pos + 1 : end]))
            pos = end + 1
        else:
            token = _NUMBER_OR_MACRO.match(raw, pos, limit)
            if token is None:
                return []
            parts.append(("text" if token[0].isdigit() else "macro", token[0]))
            pos = token.end()
        joiner = _HASH.match(raw, pos, limit)
        if joiner is None:
            break
        pos = joiner.end()
    return parts
