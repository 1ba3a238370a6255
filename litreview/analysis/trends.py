"""Topic sizes, timelines, and the topics rising fastest."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from litreview.deprecation import deprecated_alias
from litreview.figures import axes_for, figure_of, finish
from litreview.tagging.tagger import topic_table
from litreview.validation import check_choice, check_frame, check_int, check_topics, known_topics


def topic_counts(tagged: pd.DataFrame, topics: list[str] | None = None) -> pd.DataFrame:
    """Papers per topic and their share of the corpus, largest first.

    ``tagged`` may be a Dask DataFrame (see :mod:`litreview.distributed`):
    the counts are made per partition and summed, with the same result.

    Examples
    --------
    >>> lr.topic_counts(tagged, ["peft", "agents"]).values.tolist()
    [['peft', 9, 0.122], ['agents', 6, 0.081]]
    >>> lr.topic_counts(tagged[tagged["year"] < 2000], ["peft"]).values.tolist()  # (no paper: a count of 0)
    [['peft', 0, 0.0]]
    >>> lr.topic_counts(tagged, ["PEFT"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: topics has unknown topic(s) ['PEFT'] (did you mean peft?); the topics are 'agents', ...
    """
    check_frame(tagged, "tagged", ("topics",), "pass lr.tag(papers)")
    topics = check_topics(topics, known=known_topics(tagged))
    return counts_table(topic_table(tagged)["topic"].value_counts(), len(tagged), topics)


def counts_table(counts: pd.Series, n_papers: int, topics: list[str] | None = None) -> pd.DataFrame:
    """Papers per topic (a Series indexed by topic) as :func:`topic_counts`' table."""
    if topics is not None:
        counts = counts.reindex(topics, fill_value=0)
    table = counts.rename_axis("topic").reset_index(name="papers")
    table["share"] = (table["papers"] / max(n_papers, 1)).round(3)
    return table.sort_values(["papers", "topic"], ascending=[False, True]).reset_index(drop=True)


GRANULARITIES = ("year", "month")
TIMELINE_COLUMNS = {
    "year": ["topic", "year", "papers", "share", "period_papers"],
    "month": ["topic", "period", "year", "month", "papers", "share", "period_papers"],
}
RISING_COLUMNS = ["topic", "recent_share", "earlier_share", "change", "recent_papers", "earlier_papers"]
_PERIOD = re.compile(r"^(\d{4})-(\d{2})$")


def main_years(papers, coverage: float = 0.95, longest: int = 30) -> tuple[int, int] | None:
    """The years where most of the papers are: all of them, or (when they span more than ``longest`` years)
    the shortest run of years holding ``coverage`` of the dated papers, so one odd year (a classic of
    1901 in a bibliography of 2015) cannot stretch a timeline's axis.  ``None`` when no paper has a year.

    Parameters
    ----------
    papers : DataFrame or Series
        A papers table (its ``year``) or the years themselves.
    coverage : float
        The share of the dated papers the run must hold.
    longest : int
        Years spanning at most this many are kept whole.

    Returns
    -------
    (int, int) or None
        The first and last year, for ``lr.topic_timeline(tagged, topics, *window)``.

    Examples
    --------
    >>> lr.main_years(pd.Series([1901] + [2015, 2016, 2017] * 10))
    (2015, 2017)
    >>> lr.main_years(pd.Series([1990, 2019]))  # (30 years or fewer: all of them)
    (1990, 2019)
    """
    years = papers["year"] if isinstance(papers, pd.DataFrame) else papers
    values = np.sort(pd.to_numeric(pd.Series(years), errors="coerce").dropna().to_numpy(dtype=int))
    if not len(values):
        return None
    if values[-1] - values[0] <= longest:
        return int(values[0]), int(values[-1])
    keep = max(int(np.ceil(coverage * len(values))), 1)
    widths = values[keep - 1:] - values[: len(values) - keep + 1]
    # the narrowest run; among equals the latest (recent years are where a corpus usually is)
    start = int(np.flatnonzero(widths == widths.min())[-1])
    return int(values[start]), int(values[start + keep - 1])


def main_months(papers: pd.DataFrame, gap: int = 12) -> tuple[str, str] | None:
    """The months where most of the papers are, for a monthly timeline: the dated months cut where more than
    ``gap`` months pass without a paper, and the run holding the most papers kept (the latest among equals), so a
    lone paper two years before the rest does not open the timeline with two years of empty months.  ``None``
    when no paper has a year and a month.

    >>> papers = pd.DataFrame({"year": [2017, 2019, 2019, 2020], "month": [9, 2, 3, 1]})
    >>> lr.main_months(papers), lr.main_months(papers, gap=24)
    (('2019-02', '2020-01'), ('2017-09', '2020-01'))
    """
    check_frame(papers, "papers", ("year", "month"))
    check_int(gap, "gap", 0)
    dated = papers[papers["year"].notna() & papers["month"].notna()]
    if dated.empty:
        return None
    key = np.sort(dated["year"].to_numpy(dtype="int64") * 12 + dated["month"].to_numpy(dtype="int64") - 1)
    cuts = np.flatnonzero(np.diff(key) > gap + 1) + 1  # (a step of gap + 1 leaves gap empty months between)
    starts, stops = np.concatenate(([0], cuts)), np.concatenate((cuts, [len(key)]))
    sizes = stops - starts
    run = int(np.flatnonzero(sizes == sizes.max())[-1])
    first, last = int(key[starts[run]]), int(key[stops[run] - 1])
    return f"{first // 12:04d}-{first % 12 + 1:02d}", f"{last // 12:04d}-{last % 12 + 1:02d}"


def topic_timeline(
    tagged: pd.DataFrame,
    topics: list[str] | None = None,
    start: int | str | None = None,
    end: int | str | None = None,
    granularity: str = "year",
) -> pd.DataFrame:
    """Papers per topic per year (or month), with each topic's share of that period's papers.

    Every period from the first to the last dated paper appears for every topic
    (with 0 papers where it had none), so gaps are visible.  ``start``/``end``
    bound the periods, inclusive.

    ``granularity="year"`` gives ``topic``, ``year``, ``papers``, ``share``,
    ``period_papers``; papers without a year are left out.
    ``granularity="month"`` gives ``topic``, ``period`` (``"2023-05"``),
    ``year``, ``month``, ``papers``, ``share``, ``period_papers``; papers
    without a month are left out, and ``start``/``end`` may be a year
    (``2022``: from January, or to December) or a month (``"2022-05"``).
    :func:`undated` counts the papers left out.  ``period_papers`` is the
    number of dated papers of the period, whatever their topics, and ``share``
    the topic's papers over it (0 in a period with none).

    Examples
    --------
    >>> lr.topic_timeline(tagged, ["peft"], start=2022, end=2023).values.tolist()
    [['peft', 2022, 0, 0.0, 11], ['peft', 2023, 3, 0.091, 33]]
    >>> lr.topic_timeline(tagged, ["peft"], granularity="month")["period"].iloc[[0, -1]].tolist()
    ['2019-04', '2024-06']
    """
    _check_granularity(granularity)
    check_frame(tagged, "tagged", ("id", "year", "topics") + (("month",) if granularity == "month" else ()),
                "pass lr.tag(papers)")
    topics = check_topics(topics, known=known_topics(tagged))
    if granularity == "month":
        return _monthly_timeline(tagged, topics, start, end)
    for which, bound in (("start", start), ("end", end)):
        if isinstance(bound, str):
            raise ValueError(f"{which}={bound!r} is a month: pass granularity='month', or a year such as 2022")
    dated = _window(tagged, start, end)
    long = topic_table(dated).merge(dated[["id", "year"]], on="id")
    topics = list(topics) if topics is not None else sorted(long["topic"].unique())
    if dated.empty:
        return pd.DataFrame(columns=TIMELINE_COLUMNS["year"])
    years = range(int(dated["year"].min()), int(dated["year"].max()) + 1)
    grid = pd.MultiIndex.from_product([topics, years], names=["topic", "year"])
    counts = long.groupby(["topic", "year"]).size().reindex(grid, fill_value=0).rename("papers").reset_index()
    per_year = dated.groupby("year").size().reindex(years, fill_value=0)
    counts["period_papers"] = counts["year"].map(per_year).astype(int)
    share = counts["papers"] / counts["period_papers"].replace(0, float("nan"))
    counts["share"] = share.fillna(0.0).round(3)
    counts["year"] = counts["year"].astype(int)
    return counts.sort_values(["topic", "year"])[TIMELINE_COLUMNS["year"]].reset_index(drop=True)


def undated(tagged: pd.DataFrame, granularity: str = "year") -> int:
    """Papers :func:`topic_timeline` leaves out at ``granularity``: no year, or (monthly) no year or month.

    Examples
    --------
    >>> lr.undated(tagged), lr.undated(tagged, "month")
    (11, 12)
    """
    _check_granularity(granularity)
    missing = tagged["year"].isna()
    if granularity == "month":
        missing = missing | tagged["month"].isna()
    return int(missing.sum())


def incomplete_last_period(timeline: pd.DataFrame, before: int = 6, least: int = 10) -> dict | None:
    """The last period of ``timeline`` when it may be incomplete, else ``None``.

    A corpus collected early in a month (or a year) ends with a period holding only its first days, and its
    count drops where the field did not.  Papers carry a year and a month, never a day, so the kit cannot see
    where in the period the corpus stops; it reads it from the counts: the last period has fewer than half the
    papers of a typical period before it (the median of up to ``before`` periods, at least 3 of them, with
    ``least`` papers or more, so a corpus of a few papers a period is not flagged for its noise).

    ``timeline`` is a :func:`topic_timeline` table, yearly or monthly (its ``period_papers``).  Returns
    ``period`` (the year, or ``"2023-11"``), ``papers`` (its papers), ``typical`` (the median before) and
    ``periods`` (how many periods before were counted).

    Examples
    --------
    >>> lr.incomplete_last_period(pd.DataFrame({"year": [2018, 2019, 2020, 2021], "period_papers": [10, 12, 14, 5]}))
    {'period': 2021, 'papers': 5, 'typical': 12.0, 'periods': 3}
    >>> lr.incomplete_last_period(pd.DataFrame({"year": [2019, 2020, 2021], "period_papers": [12, 14, 5]})) is None
    True
    """
    check_frame(timeline, "timeline", ("period_papers",), "pass lr.topic_timeline(tagged)")
    check_int(before, "before", 3)
    check_int(least, "least", 0)
    period = "period" if "period" in timeline.columns else "year"
    per_period = timeline.drop_duplicates(period).sort_values(period).set_index(period)["period_papers"]
    earlier = per_period.iloc[:-1].tail(before)
    if len(earlier) < 3:
        return None
    typical, last = float(earlier.median()), int(per_period.iloc[-1])
    if typical < least or last >= typical / 2:
        return None
    when = per_period.index[-1]
    return {"period": when if isinstance(when, str) else int(when), "papers": last, "typical": typical,
            "periods": len(earlier)}


def dated_after(papers: pd.DataFrame, period) -> bool:
    """Whether any paper is dated after ``period`` (a year, or a month as ``"2023-11"``): a timeline cut
    before the corpus ends (a report's end year) has a complete last period, whatever its count."""
    years = pd.to_numeric(papers["year"], errors="coerce")
    if not isinstance(period, str):
        return bool((years > period).fillna(False).any())
    year, month = map(int, period.split("-"))
    months = pd.to_numeric(papers["month"], errors="coerce") if "month" in papers else pd.Series(np.nan, papers.index)
    return bool(((years > year) | ((years == year) & (months > month))).fillna(False).any())


def _check_granularity(granularity: str) -> None:
    check_choice(granularity, "granularity", GRANULARITIES)


def _window(papers: pd.DataFrame, start: int | None, end: int | None) -> pd.DataFrame:
    dated = papers[papers["year"].notna()]
    if start is not None:
        dated = dated[dated["year"] >= start]
    if end is not None:
        dated = dated[dated["year"] <= end]
    return dated


def _monthly_timeline(tagged: pd.DataFrame, topics, start, end) -> pd.DataFrame:
    columns = TIMELINE_COLUMNS["month"]
    dated = tagged[tagged["year"].notna() & tagged["month"].notna()]
    bad = dated[~dated["month"].between(1, 12)]
    if len(bad):
        ids, months = bad["id"].head(5).tolist(), bad["month"].head(5).tolist()
        raise ValueError(f"month must be 1-12; papers {ids} have months {months}")
    # months counted from year 0, so consecutive months are consecutive integers
    key = dated["year"].to_numpy(dtype="int64") * 12 + dated["month"].to_numpy(dtype="int64") - 1
    keep = np.ones(len(dated), dtype=bool)
    if start is not None:
        keep &= key >= _month_key(start, "start")
    if end is not None:
        keep &= key <= _month_key(end, "end")
    dated = dated[keep].assign(key=key[keep])
    key = dated["key"]
    long = topic_table(dated).merge(dated[["id", "key"]], on="id")
    topics = list(topics) if topics is not None else sorted(long["topic"].unique())
    if dated.empty:
        return pd.DataFrame(columns=columns)
    keys = range(int(key.min()), int(key.max()) + 1)
    grid = pd.MultiIndex.from_product([topics, keys], names=["topic", "key"])
    counts = long.groupby(["topic", "key"]).size().reindex(grid, fill_value=0).rename("papers").reset_index()
    per_month = dated.groupby("key").size().reindex(keys, fill_value=0)
    counts["period_papers"] = counts["key"].map(per_month).astype(int)
    share = counts["papers"] / counts["period_papers"].replace(0, float("nan"))
    counts["share"] = share.fillna(0.0).round(3)
    counts["year"] = (counts["key"] // 12).astype(int)
    counts["month"] = (counts["key"] % 12 + 1).astype(int)
    counts["period"] = [f"{y:04d}-{m:02d}" for y, m in zip(counts["year"], counts["month"])]
    return counts.sort_values(["topic", "key"])[columns].reset_index(drop=True)


def _month_key(bound: int | str, which: str) -> int:
    """``2022`` (January for a start, December for an end) or ``"2022-05"`` as a month number."""
    if isinstance(bound, str) and (match := _PERIOD.match(bound)) and 1 <= int(match.group(2)) <= 12:
        return int(match.group(1)) * 12 + int(match.group(2)) - 1
    if isinstance(bound, (int, np.integer)) and not isinstance(bound, bool):
        return int(bound) * 12 + (0 if which == "start" else 11)
    raise ValueError(f"{which} must be a year (2022) or a month ('2022-05'), got {bound!r}")


def rising_topics(timeline: pd.DataFrame, window: int = 3) -> pd.DataFrame:
    """Which topics gained share fastest: the last ``window`` periods against the ``window`` before.

    ``timeline`` is a :func:`topic_timeline` table, yearly or monthly.  For each
    topic, ``recent_share`` is its share of all the papers of the last
    ``window`` periods, pooled: its papers there over their ``period_papers``,
    and ``earlier_share`` the same over the ``window`` periods before them.  So
    a month of 138 papers weighs less than one of 1,623 (a plain mean of the
    periods' shares would weigh them the same), and every number can still be
    checked against the timeline by hand.  ``change`` is ``recent_share -
    earlier_share`` (share of papers, 0-1; 0.05 is five percentage points);
    ``recent_papers`` and ``earlier_papers`` are the topic's papers in each
    window.  Rows are sorted by ``change``, largest first, ties by topic; every
    topic of the timeline has a row, so falling topics are at the bottom.

    A timeline with fewer than ``2 * window`` periods is a ``ValueError`` that
    says how many periods there are and the largest ``window`` they allow.

    Examples
    --------
    An empty timeline (no dated paper in the selection) gives an empty table.

    >>> timeline = lr.topic_timeline(tagged, ["peft", "agents"], start=2020, end=2023)
    >>> lr.rising_topics(timeline, window=2).values.tolist()
    [['agents', 0.114, 0.091, 0.023, 5, 1], ['peft', 0.068, 0.455, -0.386, 3, 5]]
    """
    check_frame(timeline, "timeline")
    period = "period" if "period" in timeline.columns else "year"
    hint = "pass the table lr.topic_timeline(tagged) returns"
    check_frame(timeline, "timeline", ("topic", period, "papers", "share", "period_papers"), hint)
    check_int(window, "window", 1)
    if timeline.empty:  # no dated paper in the selection: nothing rises
        dtypes = {"topic": object, "recent_papers": "int64", "earlier_papers": "int64"}
        return pd.DataFrame({c: pd.Series(dtype=dtypes.get(c, float)) for c in RISING_COLUMNS})
    periods = sorted(timeline[period].unique())
    if len(periods) < 2 * window:
        unit = "months" if period == "period" else "years"
        raise ValueError(
            f"rising_topics with window={window} compares the last {window} {unit} with the {window} before, "
            f"so it needs at least {2 * window} {unit}; the timeline has {len(periods)}"
            + (f": pass window={len(periods) // 2} or less" if len(periods) >= 2 else "")
        )
    earlier, recent = periods[-2 * window : -window], periods[-window:]
    papers = timeline.pivot_table(index="topic", columns=period, values="papers", aggfunc="sum", fill_value=0)
    papers = papers.reindex(columns=periods, fill_value=0)
    # every topic's row of a period carries the same count of the period's papers
    in_period = timeline.groupby(period)["period_papers"].max().reindex(periods, fill_value=0)
    recent_papers, earlier_papers = papers[recent].sum(axis=1), papers[earlier].sum(axis=1)
    recent_share = recent_papers / max(int(in_period[recent].sum()), 1)
    earlier_share = earlier_papers / max(int(in_period[earlier].sum()), 1)
    table = pd.DataFrame(
        {
            "topic": papers.index.astype(str),
            "recent_share": recent_share.round(3).to_numpy(),
            "earlier_share": earlier_share.round(3).to_numpy(),
            "change": (recent_share - earlier_share).round(3).to_numpy(),
            "recent_papers": recent_papers.astype(int).to_numpy(),
            "earlier_papers": earlier_papers.astype(int).to_numpy(),
        }
    )
    return table.sort_values(["change", "topic"], ascending=[False, True])[RISING_COLUMNS].reset_index(drop=True)


def plot_topic_counts(counts: pd.DataFrame, title: str = "Papers per topic", *, ax=None):
    """Horizontal bars of :func:`topic_counts`, the largest topic on top.

    Parameters
    ----------
    counts : DataFrame
        The table :func:`topic_counts` returns (``topic``, ``papers``).
    title : str
        The Axes title.
    ax : matplotlib Axes, optional
        Where to draw; a new Figure's Axes when None.

    Returns
    -------
    matplotlib.axes.Axes
        One bar per row of ``counts``; in a notebook, show it with ``ax.figure``.

    Examples
    --------
    >>> ax = lr.plot_topic_counts(lr.topic_counts(tagged, ["peft", "agents"]))
    >>> [int(bar.get_width()) for bar in ax.patches]
    [6, 9]
    """
    check_frame(counts, "counts", ("topic", "papers"), "pass the table lr.topic_counts(tagged) returns")
    from matplotlib.ticker import MaxNLocator

    created = ax is None
    ax = axes_for(ax, (6, 0.3 * len(counts) + 1.2))
    ordered = counts.iloc[::-1]
    ax.barh(ordered["topic"].astype(str), ordered["papers"], color="#4c72b0")
    ax.set_xlabel("papers (count)")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(title)
    return finish(ax, created)


def plot_topic_timeline(timeline: pd.DataFrame, title: str | None = None, *, y: str = "papers", ax=None):
    """Lines of :func:`topic_timeline`, one per topic, against the year or, for a monthly timeline, the month.

    A monthly timeline (``granularity="month"``, with a ``period`` column) is
    drawn against dates, the first of each month, with date ticks; a yearly
    one against the year, one tick a year.

    Parameters
    ----------
    timeline : DataFrame
        The table :func:`topic_timeline` returns, yearly or monthly.
    title : str, optional
        The Axes title; by default "Papers per year" (or month, or "Share of
        papers per ...").
    y : {"papers", "share"}
        The column drawn: papers, or the topic's share of the period's papers.
    ax : matplotlib Axes, optional
        Where to draw; a new Figure's Axes when None.

    Returns
    -------
    matplotlib.axes.Axes
        One line per topic, in topic order, labelled with the topic.

    Examples
    --------
    >>> ax = lr.plot_topic_timeline(lr.topic_timeline(tagged, ["peft"], start=2021, end=2023))
    >>> line = ax.lines[0]
    >>> line.get_label(), [int(x) for x in line.get_xdata()], [int(y) for y in line.get_ydata()]
    ('peft', [2021, 2022, 2023], [5, 0, 3])
    """
    check_frame(timeline, "timeline", ("topic", "papers", "share"), "pass the table lr.topic_timeline(tagged) returns")
    check_choice(y, "y", ("papers", "share"))
    monthly = "period" in timeline.columns
    if not monthly and "year" not in timeline.columns:
        raise ValueError("timeline lacks a 'year' or 'period' column; pass the table lr.topic_timeline(tagged) returns")
    unit = "month" if monthly else "year"
    created = ax is None
    ax = axes_for(ax, (6, 3.2))
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
    from matplotlib.ticker import MaxNLocator

    for topic, rows in timeline.groupby("topic", sort=True):
        if monthly:
            x = pd.to_datetime(rows["period"], format="%Y-%m").to_numpy()
        else:
            x = rows["year"].astype(int).to_numpy()
        ax.plot(x, rows[y].to_numpy(), marker="o", markersize=3 if monthly else 6, label=str(topic))
    ax.set_xlabel(unit)
    ax.set_ylabel("papers (count)" if y == "papers" else "share of the period's papers")
    if y == "papers":
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(title if title is not None else ("Papers per " if y == "papers" else "Share of papers per ") + unit)
    if len(timeline):
        if monthly:
            locator = AutoDateLocator()
            ax.xaxis.set_major_locator(locator)
            ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))
        else:
            years = range(int(timeline["year"].min()), int(timeline["year"].max()) + 1)
            if len(years) <= 15:
                ax.set_xticks(list(years))
            else:
                ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.legend(fontsize="small", frameon=False)
    return finish(ax, created)


def plot_rising_topics(rising: pd.DataFrame, title: str = "Change in share of papers", *, ax=None):
    """Horizontal bars of :func:`rising_topics`' ``change``, the fastest riser on top; falls in red.

    Parameters
    ----------
    rising : DataFrame
        The table :func:`rising_topics` returns (``topic``, ``change``).
    title : str
        The Axes title.
    ax : matplotlib Axes, optional
        Where to draw; a new Figure's Axes when None.

    Returns
    -------
    matplotlib.axes.Axes
        One bar per topic.

    Examples
    --------
    >>> rising = lr.rising_topics(lr.topic_timeline(tagged, ["peft", "agents"], start=2020, end=2023), window=2)
    >>> ax = lr.plot_rising_topics(rising)
    >>> [t.get_text() for t in ax.get_yticklabels()], [round(float(b.get_width()), 3) for b in ax.patches]
    (['peft', 'agents'], [-0.386, 0.023])
    """
    from matplotlib.ticker import FuncFormatter

    check_frame(rising, "rising", ("topic", "change"), "pass the table lr.rising_topics(timeline) returns")
    created = ax is None
    ax = axes_for(ax, (6, 0.3 * len(rising) + 1.2))
    ordered = rising.iloc[::-1]
    colors = ["#4c72b0" if change >= 0 else "#c44e52" for change in ordered["change"]]
    ax.barh(ordered["topic"].astype(str), ordered["change"], color=colors)
    ax.axvline(0, color="black", linewidth=0.8)
    # (the bars are the change as a fraction, the ticks in percentage points, as the reports' tables give it)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: f"{x * 100:+.0f}" if round(x * 100) else "0"))
    ax.set_xlabel("change in share of papers, percentage points (recent window minus the one before)")
    ax.set_title(title)
    return finish(ax, created)


plot_timeline = deprecated_alias("plot_timeline", plot_topic_timeline, adapt=figure_of)
plot_rising = deprecated_alias("plot_rising", plot_rising_topics, adapt=figure_of)
