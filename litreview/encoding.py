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
import re
from dataclasses import dataclass

# Code pages whose misreading of UTF-8 we can undo, most common first.
_CODE_PAGES = ("cp1252", "latin-1", "cp874")

# A run of characters outside ASCII, possibly with the printable ASCII that
# cp1252 mojibake interleaves (``â€™`` contains only non-ASCII, but ``Ã©`` may
# sit next to letters).
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")
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


def _decode_utf8_pieces(raw: bytes) -> list[tuple[bytes, str | None]]:
    """Split ``raw`` into pieces that are valid multi-byte UTF-8 or not."""
    pieces: list[tuple[bytes, str | None]] = []
    i = 0
    while i < len(raw):
        lead = raw[i]
        size = 2 if 0xC2 <= lead <= 0xDF else 3 if 0xE0 <= lead <= 0xEF else 4 if 0xF0 <= lead <= 0xF4 else 0
        chunk = raw[i : i + size] if size else b""
        try:
            text = chunk.decode("utf-8") if size and len(chunk) == size else None
        except UnicodeDecodeError:
            text = None
        if text is None:
            pieces.append((raw[i : i + 1], None))
            i += 1
        else:
            pieces.append((chunk, text))
            i += size
    return pieces


def _repair_run(run: str) -> tuple[str, bool, bool]:
    """Repair one non-ASCII run; return (text, repaired_any, damaged_left)."""
    for page in _CODE_PAGES:
        try:
            raw = run.encode(page)
        except UnicodeEncodeError:
            continue
        pieces = _decode_utf8_pieces(raw)
        if not any(text for _, text in pieces):
            continue
        out, repaired, damaged = [], False, False
        codec = codecs.lookup(page)
        for chunk, text in pieces:
            if text is not None:
                out.append(text)
                repaired = True
            else:
                out.append(codec.decode(chunk)[0])
                damaged = True
        return "".join(out), repaired, damaged
    return run, False, False


def repair_mojibake(text: str) -> Repair:
    """Undo UTF-8-read-as-legacy-code-page damage where it can be undone exactly.

    >>> repair_mojibake("PanGu-ฮฑ").text
    'PanGu-α'
    >>> repair_mojibake("Schrödinger").repaired
    0
    """
    if text.isascii():
        return Repair(text, 0, 0)
    # Thai letters in a mostly Latin-script text are a sign of cp874 mojibake;
    # in a mostly Thai text they are Thai.
    letters = sum(c.isalpha() for c in text)
    latin_text = len(_THAI.findall(text)) < 0.5 * letters
    repaired = damaged = 0
    parts: list[str] = []
    last = 0
    for match in _NON_ASCII_RUN.finditer(text):
        run = match[0]
        suspicious = _CP1252_MARKERS.search(run) or (_THAI.search(run) and latin_text)
        if not suspicious:
            continue
        fixed, did_repair, left = _repair_run(run)
        parts.append(text[last : match.start()])
        parts.append(fixed)
        last = match.end()
        repaired += did_repair
        damaged += left or not did_repair
    if not parts:
        return Repair(text, 0, 0)
    parts.append(text[last:])
    return Repair("".join(parts), repaired, damaged)


def decode_bytes(raw: bytes) -> tuple[str, str]:
    """Decode a file's bytes; return ``(text, encoding)``.

    UTF-8 (with or without BOM) and UTF-16 (with BOM) are recognised; anything
    else is read as cp1252, falling back to Latin-1, which never fails.
    """
    if raw.startswith(codecs.BOM_UTF8):
        return raw[len(codecs.BOM_UTF8) :].decode("utf-8", errors="strict"), "utf-8-sig"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16"), "utf-16"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return raw.decode("latin-1"), "latin-1"
