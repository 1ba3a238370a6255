"""A timeline's last period may hold only the first days of a month (or year): the Prompt Report's monthly trends
ended with 2023-11, 43 papers from 1-7 November against about 130 a month before, and read as a decline."""

import pandas as pd
import pytest

import litreview as lr
from litreview.analysis import trends as lr_trends
from litreview.report import corpus_sections as cs
from litreview.report import sections as rs
from litreview.report.format import Table, Text


def counts(*papers: int, start: int = 2010) -> pd.DataFrame:
    return pd.DataFrame({"year": range(start, start + len(papers)), "period_papers": papers})


def test_the_last_period_is_incomplete_under_half_the_median_of_the_six_before():
    assert lr.incomplete_last_period(counts(20, 10, 30, 9)) == {"period": 2013, "papers": 9, "typical": 20.0,
                                                                 "periods": 3}
    assert lr.incomplete_last_period(counts(20, 10, 30, 10)) is None  # (half exactly is not under half)
    # only the six periods before count: the 1,000 seven periods back does not raise the median
    assert lr.incomplete_last_period(counts(1000, 10, 10, 10, 12, 12, 12, 5))["typical"] == 11.0
    assert lr.incomplete_last_period(counts(1000, 10, 10, 10, 12, 12, 12, 6)) is None
    assert lr.incomplete_last_period(counts(1000, 10, 10, 10, 12, 12, 12, 5), before=7)["typical"] == 12.0


def test_a_small_or_short_timeline_is_never_flagged():
    assert lr.incomplete_last_period(counts(9, 9, 9, 0)) is None  # (a median under 10: noise, not an ending)
    assert lr.incomplete_last_period(counts(10, 10, 10, 0))["papers"] == 0
    assert lr.incomplete_last_period(counts(9, 9, 9, 0), least=9)["typical"] == 9.0
    assert lr.incomplete_last_period(counts(100, 100, 1)) is None  # (two periods before: too few to judge)
    assert lr.incomplete_last_period(counts()) is None


def test_a_monthly_timeline_names_its_last_month_and_a_topic_timeline_counts_the_corpus():
    monthly = pd.DataFrame({"topic": ["a"] * 4 + ["b"] * 4, "period": ["2023-08", "2023-09", "2023-10", "2023-11"] * 2,
                            "papers": [1, 2, 3, 0] * 2, "period_papers": [122, 139, 239, 43] * 2})
    assert lr.incomplete_last_period(monthly) == {"period": "2023-11", "papers": 43, "typical": 139.0, "periods": 3}
    with pytest.raises(ValueError, match=r"^timeline lacks column\(s\) \['period_papers'\]"):
        lr.incomplete_last_period(monthly.drop(columns="period_papers"))
    with pytest.raises(ValueError, match="^before must be 3 or more, got 2$"):
        lr.incomplete_last_period(monthly, before=2)


def prompt_report_like() -> pd.DataFrame:
    """Six months of the Prompt Report's counts (May to October 2023), then its 43 papers of November."""
    from litreview.schema import to_frame

    months = {5: 240, 6: 120, 7: 90, 8: 122, 9: 139, 10: 239, 11: 43}
    rows = [(f"{m}-{i}", m, ["peft"] if i % 3 else ["alignment"]) for m, n in months.items() for i in range(n)]
    tagged = to_frame({"id": i, "title": f"Paper {i}", "year": 2023, "month": m, "source": "x.csv:1"}
                      for i, m, _ in rows)
    tagged["topics"] = [topics for *_, topics in rows]
    return tagged


def test_the_trends_report_says_its_last_month_may_be_incomplete_and_keeps_it():
    tagged, taxonomy = prompt_report_like(), lr.load_taxonomy()
    timeline = cs.clipped_timeline(tagged, ["peft", "alignment"], "month")
    parts = cs.trends_section(tagged, timeline, ["peft", "alignment"], taxonomy, "month").parts
    assert [p.markdown for p in parts if isinstance(p, Text)] == [
        "The last month, 2023-11, may be incomplete: the corpus has 43 papers in it, under half the median of the 6 "
        "months before (130.5), as when a corpus is gathered early in a month; its drop may be where the corpus "
        "stops, not a decline."]
    shown = next(p for p in parts if isinstance(p, Table)).frame
    assert shown["period"].tolist()[-1] == "2023-11" and shown.iloc[-1, 1:].sum() == 43
    # by year the corpus is one year: nothing to compare it with, nothing said
    yearly = cs.clipped_timeline(tagged, ["peft", "alignment"], "year")
    assert not [p for p in cs.trends_section(tagged, yearly, ["peft", "alignment"], taxonomy).parts
                if isinstance(p, Text)]


def test_a_topic_timeline_says_the_corpus_s_last_year_may_be_incomplete():
    # (the k-means export's 2016 holds 21 papers, to August, against a median of 48.5 over 2010-2015)
    from litreview.schema import to_frame

    years = {2010: 35, 2011: 52, 2012: 43, 2013: 47, 2014: 50, 2015: 62, 2016: 21}
    rows = [(f"{y}-{i}", y) for y, n in years.items() for i in range(n)]
    tagged = to_frame({"id": i, "title": f"Paper {i}", "year": y, "source": "x.txt:1"} for i, y in rows)
    tagged["topics"] = [["peft"] if i % 2 else [] for i in range(len(tagged))]
    shown = rs.timeline_section(tagged, ["peft"], lr.load_taxonomy(), title="PEFT")
    assert [p.markdown for p in shown.parts if isinstance(p, Text)] == [
        "The last year, 2016, may be incomplete: the corpus has 21 papers in it, under half the median of the 6 "
        "years before (48.5), as when a corpus is gathered early in a year; its drop may be where the corpus stops, "
        "not a decline."]
    # a report cut at an end year (--end-year 2016) of a corpus that goes on after it: its last year is
    # complete, whatever its count, and nothing is said; the corpus ending there, the sentence stays
    kept = lr.within_years(tagged, end=2016)
    later = pd.concat([tagged, tagged.head(1).assign(year=2017)], ignore_index=True)
    for corpus, said in ((later, 0), (tagged, 1)):
        shown = rs.timeline_section(kept, ["peft"], lr.load_taxonomy(), title="PEFT", corpus=corpus)
        assert len([p for p in shown.parts if isinstance(p, Text)]) == said


def test_dated_after_reads_years_and_months():
    papers = pd.DataFrame({"year": pd.array([2023, 2023, None], dtype="Int64"),
                           "month": pd.array([11, None, 12], dtype="Int64")})
    assert not lr_trends.dated_after(papers, 2023) and lr_trends.dated_after(papers, 2022)
    assert not lr_trends.dated_after(papers, "2023-11") and lr_trends.dated_after(papers, "2023-10")
    assert not lr_trends.dated_after(papers.drop(columns="month"), "2023-10")


def test_the_seed_corpus_s_timelines_say_nothing_of_an_incomplete_period():
    # (2024 holds 3 papers against a median of 9 before: too few a year to tell an ending from noise)
    tagged, taxonomy = lr.tag(lr.load()), lr.load_taxonomy()
    for granularity in ("year", "month"):
        assert rs.incomplete_sentence(cs.clipped_timeline(tagged, taxonomy.slugs, granularity), granularity) is None


def test_the_incomplete_period_is_shaded_on_the_timeline_it_is_said_of(monkeypatch):
    from litreview.schema import to_frame

    years = {2010: 35, 2011: 52, 2012: 43, 2013: 47, 2014: 50, 2015: 62, 2016: 21}
    rows = [(f"{y}-{i}", y) for y, n in years.items() for i in range(n)]
    tagged = to_frame({"id": i, "title": f"Paper {i}", "year": y, "source": "x.txt:1"} for i, y in rows)
    tagged["topics"] = [["peft"] if i % 2 else [] for i in range(len(tagged))]
    drawn = []
    monkeypatch.setattr(rs, "figure", lambda fig, alt: drawn.append(fig) or Text(alt))
    rs.timeline_section(tagged, ["peft"], lr.load_taxonomy(), title="PEFT")
    (ax,) = drawn[0].axes
    (shade,) = ax.patches
    xs = _span(shade)
    assert [round(float(xs.min()), 1), round(float(xs.max()), 1)] == [2015.5, 2016.5]
    assert [t.get_text() for t in ax.texts] == ["may be incomplete"] and ax.texts[0].get_position()[0] == 2016.5
    assert [line.get_label() for line in ax.lines] == ["Parameter-efficient fine-tuning"]  # (the lines as they were)
    # the trends report's chart of the largest topics too
    drawn.clear()
    monkeypatch.setattr(cs, "figure", lambda fig, alt: drawn.append(fig) or Text(alt))
    cs.trends_section(tagged, cs.clipped_timeline(tagged, ["peft"]), ["peft"], lr.load_taxonomy())
    assert [t.get_text() for t in drawn[0].axes[0].texts] == ["may be incomplete"]
    # nothing said, nothing shaded: the corpus goes on after 2016
    drawn.clear()
    later = pd.concat([tagged, tagged.head(1).assign(year=2017)], ignore_index=True)
    rs.timeline_section(lr.within_years(tagged, end=2016), ["peft"], lr.load_taxonomy(), title="PEFT", corpus=later)
    assert not drawn[0].axes[0].patches and not drawn[0].axes[0].texts


def test_a_month_is_shaded_from_the_middle_of_the_month_before_to_the_middle_of_its_own():
    import matplotlib.dates as mdates

    from litreview.figures import shade_period

    ax = lr.plot_topic_timeline(pd.DataFrame({"period": ["2023-09", "2023-10", "2023-11"], "topic": "peft",
                                              "papers": [120, 130, 43], "share": [0.5, 0.5, 0.5]}))
    shade_period(ax, "2023-11")
    xs = _span(ax.patches[0])
    assert [mdates.num2date(x).strftime("%Y-%m-%d") for x in (xs.min(), xs.max())] == ["2023-10-17", "2023-11-16"]


def _span(patch):
    """A shaded span's x values in data units (axvspan gives a Polygon before matplotlib 3.9, a Rectangle after)."""
    return patch.get_patch_transform().transform(patch.get_path().vertices)[:, 0]
