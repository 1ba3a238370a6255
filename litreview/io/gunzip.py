"""Gzipped input read up to its damage: a download cut off, or a snapshot part truncated or corrupted.

Python's ``gzip`` raises at the damage and gives nothing of what came before it.  :class:`Gunzipped`
gives the file's lines before the damage (whole lines only: a line cut by the damage is lost with the
rest) and keeps what went wrong, which :func:`damage_problem` turns into the load account's error naming
the file and the first line lost.  The streaming readers (:mod:`litreview.io.columnar.route`) and the
record path (:mod:`litreview.io.load`) both read gzip through it, so the two give the same records.
"""

from __future__ import annotations

import gzip
import io
import zlib

from litreview.io.readers.base import Problem

_PIECE = 1 << 20  # bytes asked of gzip at a time when the whole stream is read


class Gunzipped:
    """A binary stream of a gzip file's text, whole lines only, ending cleanly where the file is damaged.

    ``lines`` is the number of lines given so far; ``damage`` is ``None``, or what gzip said of the damage.
    """

    def __init__(self, fileobj) -> None:
        self._gzip = gzip.GzipFile(fileobj=fileobj)
        self._tail = b""  # the bytes after the last line end given, held until the line is whole
        self.lines = 0
        self.damage: str | None = None

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        pieces, got, whole = [self._tail], len(self._tail), b"\n" in self._tail
        ended = False
        while self.damage is None and not (0 <= size <= got and whole):
            try:
                # read1: gzip raises only once nothing before the damage is left to give (read would drop it)
                piece = self._gzip.read1(_PIECE if size < 0 or got >= size else size - got)
            except (OSError, EOFError, zlib.error) as err:
                self.damage = str(err) or type(err).__name__
                break
            if not piece:
                ended = True
                break
            pieces.append(piece)
            got += len(piece)
            whole = whole or b"\n" in piece
        data = b"".join(pieces)
        self._tail = b""
        if not ended:  # a line not yet whole is held back for the next read; at the damage it is lost
            cut = data.rfind(b"\n") + 1
            data, self._tail = data[:cut], (data[cut:] if self.damage is None else b"")
        self.lines += data.count(b"\n") + (1 if ended and data and not data.endswith(b"\n") else 0)
        return data


def gunzip(raw: bytes) -> tuple[bytes, Gunzipped]:
    """A gzip file's bytes decompressed up to any damage, and the stream (its ``damage`` and ``lines``)."""
    stream = Gunzipped(io.BytesIO(raw))
    return stream.read(), stream


def damage_problem(label: str, stream: Gunzipped) -> Problem:
    """The load account's error for a damaged gzip file: where the damage starts, and what was kept."""
    kept = f"its {stream.lines:,} lines before were read" if stream.lines else "nothing before it could be read"
    return Problem(
        label,
        stream.lines + 1,
        f"the gzip file is damaged from this line on, the rest of the file is lost ({stream.damage}); {kept}",
        "error",
        kind="gzip-damaged",
    )
