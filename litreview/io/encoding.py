"""Decoding input files and detecting text damaged by a wrong decoding (mojibake).

Mojibake arises when UTF-8 bytes are decoded with a legacy code page: ``α``
(bytes ``CE B1``) read as Thai cp874 becomes ``ฮฑ``, ``é`` read as cp1252
becomes ``Ã©``.  The repair re-encodes a suspicious run with the code page and
decodes it as UTF-8; it is applied only where that round trip is exact, so a
repair never loses or invents a character.  Runs that cannot be repaired (the
wrong decoding already dropped bytes) are left as they are and flagged.
"""

from __future__ import annotations

import codecs
import functools
import re
from dataclasses import dataclass

from litreview.io.abstracts import SOFT_HYPHENS_JOINED, may_need_tidy, may_need_tidy_arrow, tidy_abstract

# Code pages whose misreading of UTF-8 we can undo, most common first.
_CODE_PAGES = ("cp1252", "latin-1", "cp874")

# A run of characters outside ASCII, possibly with the printable ASCII that
# cp1252 mojibake interleaves (``â€™`` contains only non-ASCII, but ``Ã©`` may
# sit next to letters).
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")
_C1 = re.compile(r"[\x80-\x9f]")
_THAI = re.compile(r"[\u0e00-\u0e7f]")
_CP1252_MARKERS = re.compile(r"(?:Ã[\x80-\xbf\u0152-\u2122]|â€|Â[\xa0-\xbf])")


@dataclass(frozen=True)
class Repair:
    """The outcome of :func:`repair_mojibake` on one string."""

    text: str
    repaired: int  # runs replaced by their exact UTF-8 reading
    damaged: int  # suspicious runs left in place because no exact repair exists

    @property
    def flags(self) -> list[str]:
        out = []
        if self.repaired:
            out.append("mojibake-repaired")
        if self.damaged:
            out.append("mojibake")
        return out


def _encode_sloppy(run: str, page: str) -> bytes | None:
    """Encode with a code page, passing C1 controls (U+0080-U+009F) through as
    their byte: cp1252 leaves 0x81, 0x8D, 0x8F, 0x90 and 0x9D undefined, and
    mojibake keeps those bytes as control characters (``”`` -> ``â€\\x9d``)."""
    out = bytearray()
    for ch in run:
        try:
            out += ch.encode(page)
        except UnicodeEncodeError:
            if 0x80 <= ord(ch) <= 0x9F:
                out.append(ord(ch))
            else:
                return None
    return bytes(out)


def _repair_run(run: str) -> str | None:
    """The run's exact UTF-8 reading under some code page, or ``None``.

    Only a run whose every byte decodes is repaired: a partial repair could
    turn genuine text (a Thai word) into something else.
    """
    for page in _CODE_PAGES:
        raw = _encode_sloppy(run, page)
        if raw is None:
            continue
        try:
            fixed = raw.decode("utf-8")
        except UnicodeDecodeError:
            continue
        if fixed != run and len(fixed) < len(run):
            return fixed
    return None


# (a damaged run recurs across a corpus's texts: each is worked out once)
_repair_run_cached = functools.lru_cache(maxsize=4096)(_repair_run)
_ASCII_LETTERS = bytes(range(65, 91)) + bytes(range(97, 123))


def _few_thai_letters(text: str) -> bool:
    """Whether Thai letters are fewer than half the letters of ``text``; the letters (``str.isalpha``) are
    counted one by one only when its ASCII letters alone are too few to tell (a Latin-script text has many)."""
    thai = len(_THAI.findall(text))
    raw = text.encode("utf-8", "surrogatepass")
    if thai < 0.5 * (len(raw) - len(raw.translate(None, _ASCII_LETTERS))):
        return True
    return thai < 0.5 * sum(map(str.isalpha, text))


def repair_mojibake(text: str) -> Repair:
    """Undo UTF-8-read-as-legacy-code-page damage where it can be undone exactly.

    >>> repair_mojibake("PanGu-ฮฑ").text
    'PanGu-α'
    >>> repair_mojibake("Thatâ€™s").text
    'That’s'
    >>> repair_mojibake("Schrödinger").repaired
    0
    """
    if text.isascii():
        return Repair(text, 0, 0)
    has_thai = _THAI.search(text) is not None
    if not (has_thai or _CP1252_MARKERS.search(text) or _C1.search(text)):
        return Repair(text, 0, 0)  # the common case: accents, curly quotes, Greek; nothing to check
    # Thai letters in a mostly Latin-script text are a sign of cp874 mojibake;
    # in a mostly Thai text they are Thai.
    latin_text = has_thai and _few_thai_letters(text)
    repaired = damaged = 0
    parts: list[str] = []
    last = 0
    for match in _NON_ASCII_RUN.finditer(text):
        run = match[0]
        cp1252_like = _CP1252_MARKERS.search(run) or _C1.search(run)
        thai_like = _THAI.search(run) and latin_text
        if not (cp1252_like or thai_like):
            continue
        fixed = _repair_run_cached(run)
        if fixed is not None:
            parts.append(text[last : match.start()])
            parts.append(fixed)
            last = match.end()
            repaired += 1
        else:
            damaged += 1  # flagged for a reader to check, left as it is
    parts.append(text[last:])
    return Repair("".join(parts), repaired, damaged)


def decode_bytes(raw: bytes) -> tuple[str, str]:
    """Decode a file's bytes; return ``(text, encoding)``.

    UTF-8 (with or without BOM) and UTF-16 (with BOM, or without one when most
    of the text is ASCII, which leaves every other byte zero) are recognised;
    anything else is read as cp1252, falling back to Latin-1, which never fails.
    """
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
        try:
            return raw.decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError:
            pass  # a BOM on a file that is not UTF-8 after all: fall through
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    utf16 = _bomless_utf16(raw)
    if utf16:
        try:
            return raw.decode(utf16), utf16
        except UnicodeDecodeError:
            pass
    try:
        return raw.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return raw.decode("latin-1"), "latin-1"


def _bomless_utf16(raw: bytes) -> str | None:
    """``utf-16-le``/``-be`` when the zero bytes of ASCII text sit at odd/even offsets."""
    head = raw[:4096]
    if len(head) < 4 or len(head) % 2:
        head = head[: len(head) // 2 * 2]
    if len(head) < 4:
        return None
    odd_zeros = head[1::2].count(0) / (len(head) // 2)
    even_zeros = head[0::2].count(0) / (len(head) // 2)
    if odd_zeros > 0.7 and even_zeros < 0.1:
        return "utf-16-le"
    if even_zeros > 0.7 and odd_zeros < 0.1:
        return "utf-16-be"
    return None


# repair_mojibake's first test (Thai letters, C1 controls or a cp1252 marker): the values it does not match
# come back from repair_mojibake unchanged (may_need_repair_arrow finds them in a column)
_SUSPECT_RE2 = r"[\x{e00}-\x{e7f}\x{80}-\x{9f}]|Ã[\x{80}-\x{bf}\x{152}-\x{2122}]|â€|Â[\x{a0}-\x{bf}]"
REPAIRED_FIELDS = ("title", "abstract", "notes")


def may_need_repair_arrow(values, field: str | None = None):
    """A numpy bool array: True where :func:`repair_mojibake` may change a value of a pyarrow string array
    (or, for ``field="abstract"``, :func:`~litreview.io.abstracts.tidy_abstract` may).

    >>> import pyarrow as pa
    >>> may_need_repair_arrow(pa.array(["PanGu-ฮฑ", "Schrödinger", "plain", None])).tolist()
    [True, False, False, False]
    """
    import numpy as np

    from litreview.io.columnar.kernels import high_bytes, value_bytes

    # :data:`_SUSPECT_RE2` in UTF-8 bytes, which numpy finds several times faster than RE2 finds the characters:
    # each of its characters starts with a byte 0xC2 (C1 controls: C2 80-9F), 0xC3 (Ã, â, Â: C3 83, C3 A2,
    # C3 82, each with the next character's first byte) or 0xE0 (Thai: E0 B8, E0 B9).  Every value the pattern
    # matches is marked; a few others may be (a byte pattern across two values), which repair_mojibake leaves
    # as they are.
    data, offsets = value_bytes(values)
    out = np.zeros(len(values), dtype=bool)
    lead = high_bytes(data, 0xC2)
    if len(lead):
        last = len(data) - 1
        first, second, third = data[lead], data[np.minimum(lead + 1, last)], data[np.minimum(lead + 2, last)]
        hit = (first == 0xC2) & (second < 0xA0)
        hit |= (first == 0xE0) & ((second == 0xB8) | (second == 0xB9))
        hit |= (first == 0xC3) & (
            ((second == 0x83) & ((third == 0xC2) | ((third >= 0xC5) & (third <= 0xE2))))
            | ((second == 0xA2) & (third == 0xE2))
            | ((second == 0x82) & (third == 0xC2))
        )
        out[np.searchsorted(offsets, lead[hit], side="right") - 1] = True
        if values.null_count:
            out &= np.asarray(values.is_valid())
    if field == "abstract":
        out |= may_need_tidy_arrow(values)
    return out


def repair_frame_text(frame, candidates=None):
    """Repair mojibake in a papers table's text fields in place, and tidy its abstracts (see
    :mod:`litreview.io.abstracts`); flag what was repaired, damaged or joined.

    ``candidates`` ({field: bool array}) limits the values looked at (from :func:`may_need_repair_arrow`);
    by default every value outside ASCII is.  Returns ``frame``.
    """
    import pandas as pd

    flags = list(frame["quality_flags"])
    texts = {col: frame[col].tolist() for col in REPAIRED_FIELDS}
    touched, changed = repair_text_values(texts, flags, candidates)
    for col in REPAIRED_FIELDS:
        if col in touched:
            frame[col] = pd.Series(texts[col], index=frame.index, dtype=object)
    if changed:
        frame["quality_flags"] = pd.Series(flags, index=frame.index, dtype=object)
    return frame


def repair_text_values(texts: dict, flags: list, candidates=None) -> tuple[set[str], bool]:
    """:func:`repair_frame_text` on a table's columns before the table is made: ``texts`` ({field: its values,
    a list or an object array}) and ``flags`` (each row's list) are changed in place.  Returns the fields whose
    values changed and whether a flag was added."""
    touched: set[str] = set()
    changed = False
    for col, values in texts.items():
        tidy = col == "abstract"
        rows = range(len(values)) if candidates is None else candidates[col].nonzero()[0]
        for i in rows:
            value = values[i]
            if value is None:
                continue
            text, added, ascii = value, [], value.isascii()
            if ascii and not (tidy and may_need_tidy(value)):
                continue  # nearly every value: nothing to repair
            if not ascii:
                repair = repair_mojibake(text)
                text, added = repair.text, repair.flags
            if tidy and (ascii or may_need_tidy(text)):  # (an ASCII value come this far needs tidying)
                text, joined = tidy_abstract(text)
                text = text or None  # (an abstract of nothing but soft hyphens and spaces)
                added += [SOFT_HYPHENS_JOINED] if joined else []
            if text is not value:
                values[i] = text
                touched.add(col)
            if added:
                flags[i] = flags[i] + [f for f in added if f not in flags[i]]
                changed = True
    return touched, changed
