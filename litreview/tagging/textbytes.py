"""A joined text as bytes, one per character, for the matching engine (:mod:`litreview.tagging.matching`).

Every character becomes one byte: 0 for a character that is not a letter or
digit, the code of its lower case when a rule (or counted) word has that letter,
255 for any other letter or digit (``_FastMatcher.byte``).  ASCII text is mapped
by ``bytes.translate``.  Other text is encoded as UTF-8 and mapped the same way,
then each character's first byte is kept; the few characters of more than one
byte are decoded from their bytes with numpy and mapped one distinct character
at a time.  (Text UTF-8 cannot hold, a lone surrogate, goes through UTF-32: four
bytes a character, slower.)  The UTF-8 bytes are kept to cut the matched text
from (:func:`_arrow_slices`), with where the characters of more than one byte are.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class _TextBytes:
    """``joined`` as bytes: ``data`` (a byte per character, then 8 zero bytes); ``utf8``, its UTF-8
    bytes (None when it has a lone surrogate: ``codes`` then holds its characters' codes), and
    ``wide``/``extra``, the characters of more than one byte and how many bytes more each has."""

    joined: str
    data: np.ndarray
    utf8: bytes | None
    wide: np.ndarray
    extra: np.ndarray
    codes: np.ndarray | None = None

    def cased(self) -> np.ndarray:
        """The text as written, a byte per character: ASCII as itself, any other character 255 (so a
        word holding one is no ASCII word), then 8 zero bytes."""
        if self.codes is not None:
            out = np.zeros(len(self.codes) + 8, dtype=np.uint8)
            np.copyto(out[: len(self.codes)], np.minimum(self.codes, 255), casting="unsafe")
            out[: len(self.codes)][self.codes >= 128] = 255
            return out
        raw = np.frombuffer(self.utf8, dtype=np.uint8)
        if not len(self.wide):
            return raw  # (ASCII: the 8 zero bytes are there)
        out = np.zeros(len(self.joined) + 8, dtype=np.uint8)
        out[: len(self.joined)] = raw[: len(raw) - 8][_first_bytes(raw[: len(raw) - 8])]
        out[self.wide] = 255
        return out


def text_bytes(joined: str, ascii_table: bytes, byte) -> _TextBytes:
    """``joined`` as bytes; ``ascii_table`` maps every byte (256: 0 from 128 on), ``byte`` any character."""
    if joined.isascii():
        raw = joined.encode("ascii") + bytes(8)
        data = np.frombuffer(raw.translate(ascii_table), dtype=np.uint8).copy()
        return _TextBytes(joined, data, raw, np.zeros(0, np.int64), np.zeros(0, np.int64))
    try:
        utf8 = joined.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: through UTF-32
        return _utf32(joined, ascii_table, byte)
    raw = np.frombuffer(utf8 + bytes(3), dtype=np.uint8)
    data = np.zeros(len(joined) + 8, dtype=np.uint8)
    first = _first_bytes(raw[: len(utf8)])
    data[: len(joined)] = np.frombuffer(utf8.translate(ascii_table), dtype=np.uint8)[first]
    (lead,) = np.nonzero(raw >= 0xC0)  # the first bytes of characters of more than one byte
    head = raw[lead].astype(np.int64)
    extra = (head >= 0xE0).astype(np.int64) + (head >= 0xF0) + 1
    wide = lead - np.r_[0, np.cumsum(extra)[:-1]]  # their character positions
    follow = [raw[lead + k].astype(np.int64) & 0x3F for k in (1, 2, 3)]
    code = np.where(
        extra == 1,
        (head & 0x1F) << 6 | follow[0],
        np.where(extra == 2, (head & 0x0F) << 12 | follow[0] << 6 | follow[1],
                 (head & 0x07) << 18 | follow[0] << 12 | follow[1] << 6 | follow[2]),
    )
    data[wide] = _map_codes(code, byte)
    return _TextBytes(joined, data, utf8 + bytes(8), wide, extra)


def _first_bytes(raw: np.ndarray) -> np.ndarray:
    """Which UTF-8 bytes start a character (the others are 10xxxxxx)."""
    return (raw & 0xC0) != 0x80


def _map_codes(codes: np.ndarray, byte) -> np.ndarray:
    """``byte(chr(c))`` of each code, once per distinct code."""
    distinct, where = np.unique(codes, return_inverse=True)
    return np.array([byte(chr(c)) for c in distinct.tolist()], dtype=np.uint8)[where]


def _utf32(joined: str, ascii_table: bytes, byte) -> _TextBytes:
    codes = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), "<u4")
    data = np.zeros(len(codes) + 8, dtype=np.uint8)
    np.take(np.frombuffer(ascii_table, dtype=np.uint8), np.minimum(codes, 255), out=data[: len(codes)])
    (others,) = np.nonzero(codes >= 128)
    data[others] = _map_codes(codes[others], byte)
    return _TextBytes(joined, data, None, np.zeros(0, np.int64), np.zeros(0, np.int64), codes)


def _arrow_slices(text: _TextBytes, starts: np.ndarray, ends: np.ndarray):
    """``text.joined[s:e]`` for each span, as a pyarrow string array cut straight from the text's
    UTF-8 bytes (no Python string per row); a list of strings for text UTF-8 cannot hold."""
    import pyarrow as pa

    if text.utf8 is None:  # lone surrogates: pandas cannot store them either
        return [text.joined[s:e] for s, e in zip(starts.tolist(), ends.tolist())]
    if len(text.wide):  # a character's UTF-8 bytes start after those of the characters before it
        extra = np.concatenate([[0], np.cumsum(text.extra)])
        starts = starts + extra[np.searchsorted(text.wide, starts)]
        ends = ends + extra[np.searchsorted(text.wide, ends)]
    lengths = ends - starts
    offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    source = np.repeat(starts - offsets[:-1], lengths) + np.arange(offsets[-1])
    data = np.frombuffer(text.utf8, dtype=np.uint8)[source]
    return pa.LargeStringArray.from_buffers(len(lengths), pa.py_buffer(offsets), pa.py_buffer(data))
