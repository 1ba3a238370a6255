"""How a report shows things: sentences, tables and figures a reader can read.

Report notebooks end their cells with these objects instead of bare DataFrames,
numbers or strings:

- :func:`say` gives a Markdown sentence; the values put into it are escaped
  (titles and abstracts are untrusted text), numbers get thousands separators.
- :func:`table` gives an HTML table without the pandas index: text left-aligned,
  numbers formatted, missing values shown as "—", titles linked to the paper.
  ``searchable=True`` marks it for the small table script (``static/tables.js``)
  that ``litreview report`` inlines into the HTML: a search box and sortable
  columns, offline.  An empty table is a sentence saying so, never a header alone.
- :func:`figure` gives a matplotlib figure as a PNG with alternative text.

Each object has a plain-text form too (what nbval compares and a terminal shows).
"""

from __future__ import annotations

import base64
import html
import io
import math
import re
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

MISSING = "—"
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]#|~])")


def escape_markdown(value) -> str:
    """``value`` as literal text inside Markdown: HTML escaped, Markdown syntax backslashed, one line."""
    text = " ".join(str(value).split())
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


def number(value) -> str:
    """``1234`` -> ``1,234``; years and other numbers below 10,000 as they are; floats to 2 decimals."""
    if value is None or _is_missing(value):
        return MISSING
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer() and abs(value) < 1e15):
        value = int(value)
        return f"{value:,}" if abs(value) >= 10_000 else str(value)
    try:
        return f"{float(value):,.2f}"
    except (TypeError, ValueError):
        return str(value)


def plural(n: int, word: str, words: str | None = None) -> str:
    """``plural(1, "paper")`` -> ``1 paper``; ``plural(3, "paper")`` -> ``3 papers``; a count takes its thousands
    separator from 1,000 (``1,978 references`` beside ``11,944``: no year is counted here)."""
    count = f"{int(n):,}" if isinstance(n, (int, np.integer)) and not isinstance(n, bool) else number(n)
    return f"{count} {word if n == 1 else (words or word + 's')}"


def _is_missing(value) -> bool:
    if value is None:
        return True
    if isinstance(value, (list, tuple, set, dict)):
        return False
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


class Text:
    """A Markdown paragraph (already escaped) with a plain-text form."""

    def __init__(self, markdown: str):
        self.markdown = markdown

    def _repr_markdown_(self) -> str:
        return self.markdown

    def __repr__(self) -> str:
        return re.sub(r"\\(.)", r"\1", html.unescape(self.markdown))

    def __str__(self) -> str:
        return repr(self)


def say(template: str, /, **values) -> Text:
    """A Markdown sentence: ``template`` is trusted Markdown, ``values`` are escaped into it.

    >>> say("**{n}** papers in {name}", n=1234, name="my_*lib*.bib").markdown
    '**1,234** papers in my\\\\_\\\\*lib\\\\*.bib'
    """
    return Text(template.format(**{k: number(v) if isinstance(v, (int, float)) and not isinstance(v, bool)
                                   else escape_markdown(v) for k, v in values.items()}))


def join(parts: Iterable[Text | str]) -> Text:
    """Several sentences as one paragraph (``str`` parts are escaped)."""
    return Text(" ".join(p.markdown if isinstance(p, Text) else escape_markdown(p) for p in parts if p))


def paper_url(record: Mapping) -> str | None:
    """A link to the paper: its arXiv page, its DOI, or its URL (http and https only)."""
    arxiv = record.get("arxiv_id")
    if isinstance(arxiv, str) and arxiv:
        return f"https://arxiv.org/abs/{arxiv}"
    doi = record.get("doi")
    if isinstance(doi, str) and doi:
        return f"https://doi.org/{doi}"
    url = record.get("url")
    if isinstance(url, str) and url.lower().startswith(("https://", "http://")):
        return url
    return None


def paper_urls(papers: pd.DataFrame) -> pd.Series:
    """:func:`paper_url` for each row of ``papers`` (same index)."""
    columns = [c for c in ("arxiv_id", "doi", "url") if c in papers.columns]
    return pd.Series([paper_url(r) for r in papers[columns].to_dict("records")], index=papers.index, dtype=object)


def cell_text(value, fmt: str | None = None) -> str:
    """A cell as the reader sees it (not yet HTML-escaped)."""
    if isinstance(value, (list, tuple, set)):
        return ", ".join(str(v) for v in value) if value else MISSING
    if _is_missing(value):
        return MISSING
    if fmt is not None and isinstance(value, (int, float)) and not isinstance(value, bool):
        text = fmt.format(value)
        return "<1%" if text == "0%" and value > 0 else text  # (1 paper of 400 is not 0%)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return number(value)
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        return cell_text(value.item(), fmt)
    return str(value)


def _is_numeric(column: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column)


class Table:
    """An HTML table (``_repr_html_``) with a plain-text form (``repr``)."""

    def __init__(self, frame: pd.DataFrame, html_text: str, plain: str):
        self.frame = frame
        self.html = html_text
        self.plain = plain

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return self.plain

    def __len__(self) -> int:
        return len(self.frame)


def table(
    frame: pd.DataFrame,
    *,
    links: Mapping[str, pd.Series] | None = None,
    formats: Mapping[str, str] | None = None,
    searchable: bool = False,
    empty: str = "Nothing to list.",  # trusted Markdown
    what: str = "rows",
) -> Table | Text:
    """``frame`` as a report table, or the sentence ``empty`` when it has no rows.

    ``links`` maps a column to the URLs of its cells (a Series aligned with
    ``frame``; a missing URL leaves the cell as text).  ``formats`` maps a
    column to a format string for its numbers (``"{:.1%}"``).  ``searchable``
    adds a search box and sortable columns in the HTML report; ``what`` names
    the rows in the search box (``papers``).
    """
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"expected a DataFrame, got {type(frame).__name__}")
    if frame.empty:
        return Text(empty)
    links = dict(links or {})
    formats = dict(formats or {})
    frame = frame.reset_index(drop=True)
    numeric = {c: _is_numeric(frame[c]) for c in frame.columns}
    shown = pd.DataFrame({c: [cell_text(v, formats.get(c)) for v in frame[c]] for c in frame.columns})
    num_class = ' class="num"'
    head = "".join(
        f'<th scope="col"{num_class if numeric[c] else ""}>{html.escape(str(c))}</th>' for c in frame.columns
    )
    body = []
    for i in range(len(frame)):
        cells = []
        for c in frame.columns:
            text = html.escape(shown.at[i, c])
            url = links[c].iloc[i] if c in links else None
            if isinstance(url, str) and url.lower().startswith(("https://", "http://")):
                text = f'<a href="{html.escape(url, quote=True)}">{text}</a>'
            if numeric[c]:
                raw = frame.at[i, c]
                sort = "" if _is_missing(raw) else f' data-sort="{_sort_value(raw)!r}"'
                cells.append(f'<td class="num"{sort}>{text}</td>')
            else:
                cells.append(f"<td>{text}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    attributes = ' data-lr-search="' + html.escape(what, quote=True) + '"' if searchable else ""
    markup = (
        f'<table class="lr-table"{attributes}>\n<thead><tr>{head}</tr></thead>\n<tbody>\n'
        + "\n".join(body)
        + "\n</tbody>\n</table>"
    )
    return Table(frame, markup, shown.to_string(index=False))


def _sort_value(raw) -> float:
    """What a numeric cell sorts by: whole numbers exactly, others to 6 significant digits (enough to order a
    table, and the stored page does not change with the last bits a CPU's arithmetic gives a score)."""
    value = float(raw)
    return value if value.is_integer() or not math.isfinite(value) else float(f"{value:.6g}")


class Figure:
    """A matplotlib figure as a PNG with alternative text."""

    def __init__(self, png: bytes, alt: str):
        self.png = png
        self.alt = alt

    def _repr_mimebundle_(self, include=None, exclude=None):
        data = {"image/png": base64.b64encode(self.png).decode("ascii"), "text/plain": f"Figure: {self.alt}"}
        return data, {"image/png": {"alt": self.alt}}

    def __repr__(self) -> str:
        return f"Figure: {self.alt}"


def figure(fig, alt: str, *, dpi: int = 100) -> Figure:
    """``fig`` (a matplotlib Figure) as a PNG for a screen, described by ``alt``."""
    if not alt or not str(alt).strip():
        raise ValueError("alt must describe the figure for readers who cannot see it")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
    return Figure(buffer.getvalue(), " ".join(str(alt).split()))


class Section:
    """Several outputs shown one after the other (sentences, tables, figures)."""

    def __init__(self, *parts):
        self.parts = [p for p in parts if p is not None]

    def _ipython_display_(self):
        from IPython.display import display

        for part in self.parts:
            display(part)

    def __repr__(self) -> str:
        return "\n\n".join(repr(p) for p in self.parts)

    def __iter__(self):
        return iter(self.parts)


def span(years: Iterable[int]) -> str:
    """``2019 to 2024``, ``2023``, or ``no years``."""
    values = sorted({int(y) for y in years if not _is_missing(y)})
    if not values:
        return "no years"
    return str(values[0]) if values[0] == values[-1] else f"{values[0]} to {values[-1]}"

