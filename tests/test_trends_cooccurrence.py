"""Monthly timelines, rising topics, topic and term co-occurrence, the network plot and VOSviewer files.

Exact values on small hand-made corpora, worked out by hand in the comments.
"""

import warnings

import pandas as pd
import pytest
from conftest import SHARED_FIXTURES
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PathCollection

import litreview as lr
from litreview.analysis.cooccurrence import (
    plot_cooccurrence_network,
    term_cooccurrence,
    term_occurrences,
    topic_cooccurrence,
)
from litreview.analysis.trends import plot_rising_topics, rising_topics, topic_timeline, undated
from litreview.analysis.vosviewer import write_vosviewer
from litreview.schema import to_frame


def _corpus(rows):
    """rows: (id, year, month, topics, title, abstract)."""
    frame = to_frame(
        {"id": i, "year": y, "month": m, "title": t, "abstract": a, "source": f"x.txt:{n}"}
        for n, (i, y, m, _, t, a) in enumerate(rows, start=1)
    )
    frame["topics"] = [list(r[3]) for r in rows]
    return frame


@pytest.fixture
def monthly():
    return _corpus([
        ("a", 2021, 1, ["peft"], "A", None),
        ("b", 2021, 3, ["peft", "efficiency"], "B", None),
        ("c", 2021, None, ["efficiency"], "C", None),  # a year but no month: only in the yearly table
        ("d", 2021, 4, ["agents"], "D", None),
        ("e", None, None, ["peft"], "E", None),  # no date at all
        ("f", 2021, 3, [], "F", None),  # untagged, but counts in March's papers
    ])


@pytest.fixture
def yearly():
    # shares per year:        2019         2020 (4 papers)     2021          2022 (4 papers)
    #   agents                0            0                   0.5           0.5
    #   alignment             0            0                   0.5           0.5
    #   efficiency            0.5          0.25                0             0.5
    #   peft                  0.5          0.5                 0.5           0
    return _corpus([
        ("p1", 2019, None, ["peft"], "", None),
        ("p2", 2019, None, ["efficiency"], "", None),
        ("p3", 2020, None, ["peft"], "", None),
        ("p4", 2020, None, ["peft", "efficiency"], "", None),
        ("p5", 2020, None, [], "", None),
        ("p6", 2020, None, [], "", None),
        ("p7", 2021, None, ["agents", "alignment"], "", None),
        ("p8", 2021, None, ["peft"], "", None),
        ("p9", 2022, None, ["agents", "alignment"], "", None),
        ("p10", 2022, None, ["agents", "alignment", "efficiency"], "", None),
        ("p11", 2022, None, ["efficiency"], "", None),
        ("p12", 2022, None, [], "", None),
    ])


@pytest.fixture
def pairs_corpus():
    # sizes: peft 3 (a, b, c), efficiency 3 (a, b, e), agents 2 (c, d); N = 6 papers
    return _corpus([
        ("a", 2021, 1, ["peft", "efficiency"], "", None),
        ("b", 2021, 2, ["peft", "efficiency"], "", None),
        ("c", 2021, 3, ["peft", "agents"], "", None),
        ("d", 2022, 1, ["agents"], "", None),
        ("e", 2022, 2, ["efficiency"], "", None),
        ("f", 2022, 3, [], "", None),
    ])


@pytest.fixture
def texts():
    return _corpus([
        ("p1", 2021, 1, [], "Sparse attention", "Sparse attention speeds inference."),
        ("p2", 2021, 2, [], "Sparse attention kernels", "Kernels for inference."),
        ("p3", 2021, 3, [], "Quantized kernels", "Quantized weights speed inference."),
        ("p4", 2021, 4, [], "Essay", "Thoughts on research culture."),
    ])


# --- timelines ---------------------------------------------------------------------------------------------------


def test_monthly_timeline_has_every_month_with_zeros(monthly):
    # dated to the month: a (Jan), b and f (Mar), d (Apr); Feb has no paper, so every share there is 0
    timeline = topic_timeline(monthly, granularity="month")
    assert timeline.columns.tolist() == ["topic", "period", "year", "month", "papers", "share", "period_papers"]
    assert timeline["period_papers"].tolist() == [1, 0, 2, 1] * 3  # the same for every topic
    assert timeline.drop(columns="period_papers").values.tolist() == [
        ["agents", "2021-01", 2021, 1, 0, 0.0], ["agents", "2021-02", 2021, 2, 0, 0.0],
        ["agents", "2021-03", 2021, 3, 0, 0.0], ["agents", "2021-04", 2021, 4, 1, 1.0],
        ["efficiency", "2021-01", 2021, 1, 0, 0.0], ["efficiency", "2021-02", 2021, 2, 0, 0.0],
        ["efficiency", "2021-03", 2021, 3, 1, 0.5], ["efficiency", "2021-04", 2021, 4, 0, 0.0],
        ["peft", "2021-01", 2021, 1, 1, 1.0], ["peft", "2021-02", 2021, 2, 0, 0.0],
        ["peft", "2021-03", 2021, 3, 1, 0.5], ["peft", "2021-04", 2021, 4, 0, 0.0],
    ]
    assert timeline["year"].dtype == "int64" and timeline["month"].dtype == "int64"


def test_monthly_timeline_across_a_new_year_and_with_chosen_topics():
    frame = _corpus([("a", 2021, 11, ["peft"], "", None), ("b", 2022, 2, ["peft"], "", None)])
    timeline = topic_timeline(frame, ["peft", "data"], granularity="month")
    assert timeline[["topic", "period", "papers"]].values.tolist() == [
        ["data", "2021-11", 0], ["data", "2021-12", 0], ["data", "2022-01", 0], ["data", "2022-02", 0],
        ["peft", "2021-11", 1], ["peft", "2021-12", 0], ["peft", "2022-01", 0], ["peft", "2022-02", 1],
    ]


def test_monthly_timeline_windows_by_month_or_year(monthly):
    march_on = topic_timeline(monthly, ["peft"], start="2021-03", end=2021, granularity="month")
    assert march_on[["period", "papers", "share"]].values.tolist() == [["2021-03", 1, 0.5], ["2021-04", 0, 0.0]]
    to_march = topic_timeline(monthly, ["peft"], start=2021, end="2021-03", granularity="month")
    assert to_march["period"].tolist() == ["2021-01", "2021-02", "2021-03"]
    empty = topic_timeline(monthly, start=2030, granularity="month")
    assert empty.empty
    assert empty.columns.tolist() == ["topic", "period", "year", "month", "papers", "share", "period_papers"]


def test_yearly_timeline_is_unchanged_and_undated_counts_what_each_leaves_out(monthly):
    yearly = topic_timeline(monthly)
    assert yearly.equals(topic_timeline(monthly, granularity="year"))
    # 2021 holds a, b, c, d, f (5 papers); e has no year
    assert yearly.values.tolist() == [["agents", 2021, 1, 0.2, 5], ["efficiency", 2021, 2, 0.4, 5],
                                      ["peft", 2021, 2, 0.4, 5]]
    assert undated(monthly) == 1 and undated(monthly, "year") == 1
    assert undated(monthly, "month") == 2  # c (no month) and e (no year)


def test_timeline_rejects_bad_granularity_bounds_and_months(monthly):
    with pytest.raises(ValueError, match="^granularity must be one of 'year', 'month', got 'week'$"):
        topic_timeline(monthly, granularity="week")
    with pytest.raises(ValueError, match="^granularity must be one of 'year', 'month', got 'day'$"):
        undated(monthly, "day")
    with pytest.raises(ValueError, match=r"^start must be a year \(2022\) or a month \('2022-05'\), got '2021-13'$"):
        topic_timeline(monthly, start="2021-13", granularity="month")
    with pytest.raises(ValueError, match=r"^start='2021-03' is a month: pass granularity='month', or a year"):
        topic_timeline(monthly, start="2021-03")
    bad = monthly.copy()
    bad["month"] = pd.array([1, 3, None, 13, None, 3], dtype="Int64")
    with pytest.raises(ValueError, match=r"^month must be 1-12; papers \['d'\] have months \[13\]$"):
        topic_timeline(bad, granularity="month")


def test_monthly_timeline_on_the_default_corpus():
    tagged = lr.tag(lr.load())
    timeline = topic_timeline(tagged, granularity="month")
    assert (timeline["period"].min(), timeline["period"].max()) == ("2019-04", "2024-06")
    assert timeline["period"].nunique() == 63 and len(timeline) == 16 * 63
    assert undated(tagged, "month") == 12 and undated(tagged) == 11
    may_2023 = timeline[timeline["period"] == "2023-05"].set_index("topic")
    assert may_2023.loc["peft", ["papers", "share"]].tolist() == [3, 0.13]  # 3 of May 2023's 23 papers


# --- rising topics -----------------------------------------------------------------------------------------------


def test_rising_topics_compares_the_last_window_with_the_one_before(yearly):
    # window 2: earlier = 2019-2020 (2 + 4 papers), recent = 2021-2022 (2 + 4); shares pooled over each window's
    # 6 papers: efficiency was 2 of 6 before (the mean of its yearly shares, 0.375, would weigh 2019's 2 papers
    # as much as 2020's 4) and 2 of 6 since
    rising = rising_topics(topic_timeline(yearly), window=2)
    assert rising.columns.tolist() == [
        "topic", "recent_share", "earlier_share", "change", "recent_papers", "earlier_papers",
    ]
    assert rising.values.tolist() == [
        ["agents", 0.5, 0.0, 0.5, 3, 0],  # tie on change: by topic
        ["alignment", 0.5, 0.0, 0.5, 3, 0],
        ["efficiency", 0.333, 0.333, 0.0, 2, 2],
        ["peft", 0.167, 0.5, -0.333, 1, 3],
    ]
    # window 1: 2022 against 2021
    assert rising_topics(topic_timeline(yearly), window=1)[["topic", "change"]].values.tolist() == [
        ["efficiency", 0.5], ["agents", 0.0], ["alignment", 0.0], ["peft", -0.5],
    ]


def test_rising_topics_on_a_monthly_timeline(monthly):
    # earlier = Jan-Feb (a, and no paper in February: 1 of 1), recent = Mar-Apr (b, f, d: 1 of 3 each)
    rising = rising_topics(topic_timeline(monthly, granularity="month"), window=2)
    assert rising.values.tolist() == [
        ["agents", 0.333, 0.0, 0.333, 1, 0], ["efficiency", 0.333, 0.0, 0.333, 1, 0],
        ["peft", 0.333, 1.0, -0.667, 1, 1],
    ]


def test_rising_topics_weigh_each_period_by_its_papers():
    # before: August 1 of 10 papers, September 20 of 100; after: October 10 of 100, November 30 of 100
    rows, n = [], 0
    for month, (size, tagged) in {8: (10, 1), 9: (100, 20), 10: (100, 10), 11: (100, 30)}.items():
        for i in range(size):
            n += 1
            rows.append((f"p{n}", 2015, month, ["multimodal"] if i < tagged else [], "", None))
    timeline = topic_timeline(_corpus(rows), ["multimodal"], granularity="month")
    assert timeline["period_papers"].tolist() == [10, 100, 100, 100]
    # pooled: 21 of 110 before (not (0.1 + 0.2) / 2 = 0.15), 40 of 200 after
    assert rising_topics(timeline, window=2).values.tolist() == [["multimodal", 0.2, 0.191, 0.009, 40, 21]]
    with pytest.raises(ValueError, match=r"^timeline lacks column\(s\) \['period_papers'\]"):
        rising_topics(timeline.drop(columns="period_papers"))


def test_rising_topics_needs_two_windows_of_periods(yearly):
    timeline = topic_timeline(yearly)
    message = (r"^rising_topics with window=3 compares the last 3 years with the 3 before, so it needs at least 6 "
               r"years; the timeline has 4: pass window=2 or less$")
    with pytest.raises(ValueError, match=message):
        rising_topics(timeline)
    with pytest.raises(ValueError, match=r"needs at least 2 years; the timeline has 1$"):
        rising_topics(timeline[timeline["year"] == 2019], window=1)
    empty = rising_topics(timeline.iloc[:0], window=1)  # an empty selection: an empty table, not an error
    assert empty.empty and empty.columns.tolist() == lr.analysis.trends.RISING_COLUMNS
    with pytest.raises(ValueError, match=r"^window must be 1 or more, got 0$"):
        rising_topics(timeline, window=0)
    with pytest.raises(ValueError, match=r"^timeline lacks column\(s\) \['share'\]"):
        rising_topics(timeline.drop(columns="share"))


ARXIV_2015 = SHARED_FIXTURES / "arxiv" / "oai_pmh_cs_2015"


@pytest.mark.skipif(not ARXIV_2015.is_dir(), reason="../shared/fixtures is absent (arxiv/oai_pmh_cs_2015)")
def test_rising_topics_pool_the_busy_and_quiet_months_of_an_arxiv_harvest():
    with warnings.catch_warnings():  # (a cs harvest: the tagger says it covers little of it)
        warnings.simplefilter("ignore")
        tagged = lr.tag(lr.load(ARXIV_2015))
    timeline = topic_timeline(tagged, granularity="month")
    months = timeline[timeline["topic"] == "multimodal"].set_index("period")
    assert months.loc["2015-08":, ["papers", "period_papers"]].values.tolist() == [
        [7, 138], [136, 1623], [135, 1465], [227, 1765]]
    row = rising_topics(timeline, window=2).set_index("topic").loc["multimodal"]
    # 143 of August and September's 1,761 (8.1%; the mean of 5.1% and 8.4% would be 6.7%),
    # 362 of October and November's 3,230 (11.2%)
    assert row.tolist() == [0.112, 0.081, 0.031, 362, 143]


def test_rising_topics_on_the_default_corpus():
    rising = rising_topics(lr.topic_timeline(lr.tag(lr.load())))  # 2022-2024 (47 papers) against 2019-2021 (16)
    assert len(rising) == 16
    assert rising.iloc[0].tolist() == ["reasoning", 0.128, 0.0, 0.128, 6, 0]  # 6 of 47
    # peft: 5 of the 16 papers of 2019-2021, 3 of the 47 since
    assert rising.iloc[-1].tolist() == ["peft", 0.064, 0.312, -0.249, 3, 5]


def test_plot_rising_draws_one_bar_per_topic(yearly):
    rising = rising_topics(topic_timeline(yearly), window=2)
    ax = plot_rising_topics(rising)
    assert isinstance(ax, Axes)
    assert len(ax.patches) == 4
    assert [t.get_text() for t in ax.get_yticklabels()] == ["peft", "efficiency", "alignment", "agents"]
    assert [round(p.get_width(), 3) for p in ax.patches] == [-0.333, 0.0, 0.5, 0.5]
    assert ax.patches[0].get_facecolor() != ax.patches[-1].get_facecolor()  # falling and rising differ
    with pytest.raises(ValueError, match=r"rising lacks column\(s\) \['change'\]"):
        plot_rising_topics(rising.drop(columns="change"))


# --- topic co-occurrence -----------------------------------------------------------------------------------------


def test_topic_cooccurrence_keeps_its_table_and_adds_lift_on_request(pairs_corpus):
    # efficiency-peft share a, b: jaccard 2/4, lift 2*6/(3*3); agents-peft share c: 1/4, 1*6/(2*3)
    assert topic_cooccurrence(pairs_corpus).values.tolist() == [
        ["efficiency", "peft", 2, 0.5], ["agents", "peft", 1, 0.25],
    ]
    with_lift = topic_cooccurrence(pairs_corpus, lift=True)
    assert with_lift.columns.tolist() == ["topic_a", "topic_b", "papers", "jaccard", "lift"]
    assert with_lift.values.tolist() == [["efficiency", "peft", 2, 0.5, 1.333], ["agents", "peft", 1, 0.25, 1.0]]
    ordered = topic_cooccurrence(pairs_corpus, ["peft", "efficiency", "agents", "data"])
    assert ordered.values.tolist() == [["peft", "efficiency", 2, 0.5], ["peft", "agents", 1, 0.25]]
    repeated = pairs_corpus.copy()
    repeated.at[0, "topics"] = ["peft", "efficiency", "peft"]  # a repeated tag counts once, as a set would
    assert topic_cooccurrence(repeated, lift=True).equals(with_lift)


def _reference_cooccurrence(tagged, topics):
    """The table as the set-based implementation made it before the matrix product."""
    long = lr.topic_table(tagged)
    members = {t: set(long.loc[long["topic"] == t, "id"]) for t in topics}
    rows = []
    for i, a in enumerate(topics):
        for b in topics[i + 1:]:
            shared = len(members[a] & members[b])
            if shared:
                rows.append((a, b, shared, round(shared / len(members[a] | members[b]), 3)))
    table = pd.DataFrame(rows, columns=["topic_a", "topic_b", "papers", "jaccard"])
    return table.sort_values(["papers", "topic_a", "topic_b"], ascending=[False, True, True]).reset_index(drop=True)


def test_topic_cooccurrence_on_the_default_corpus_matches_the_set_based_table():
    tagged = lr.tag(lr.load())
    slugs = list(lr.load_taxonomy().slugs)
    table = topic_cooccurrence(tagged, slugs, lift=True)
    expected = _reference_cooccurrence(tagged, slugs)
    pd.testing.assert_frame_equal(table.drop(columns="lift"), expected)
    assert table.iloc[0].tolist() == ["architecture", "efficiency", 4, 0.25, 2.99]  # 4 * 74 / (9 * 11)


# --- term co-occurrence ------------------------------------------------------------------------------------------


def test_term_occurrences_counts_papers_per_top_term(texts):
    # min_df 2 keeps inference (p1-p3), attention, kernels, sparse and "sparse attention" (two papers each)
    assert term_occurrences(texts).values.tolist() == [
        ["inference", 3], ["attention", 2], ["kernels", 2], ["sparse", 2], ["sparse attention", 2],
    ]
    assert term_occurrences(texts, n=2).values.tolist() == [["inference", 3], ["attention", 2]]
    assert term_occurrences(texts, min_df=3).values.tolist() == [["inference", 3]]


def test_term_cooccurrence_pairs_top_terms_and_skips_nested_phrases(texts):
    pairs = term_cooccurrence(texts)
    assert pairs.columns.tolist() == ["term_a", "term_b", "papers", "jaccard"]
    # "sparse attention" with "sparse" or "attention" is left out: the same words, not a co-occurrence
    assert pairs.values.tolist() == [
        ["attention", "inference", 2, 0.667],
        ["attention", "sparse", 2, 1.0],
        ["inference", "kernels", 2, 0.667],
        ["inference", "sparse", 2, 0.667],
        ["inference", "sparse attention", 2, 0.667],
        ["attention", "kernels", 1, 0.333],
        ["kernels", "sparse", 1, 0.333],
        ["kernels", "sparse attention", 1, 0.333],
    ]
    unigrams = term_cooccurrence(texts, n=3, ngram_range=(1, 1))  # inference, attention, kernels
    assert unigrams.values.tolist() == [
        ["attention", "inference", 2, 0.667], ["inference", "kernels", 2, 0.667], ["attention", "kernels", 1, 0.333],
    ]


def test_term_tables_without_terms_and_bad_arguments(texts):
    stop_only = _corpus([("x", 2021, 1, [], "The", "And of the."), ("y", 2021, 1, [], "Of", None)])
    assert term_cooccurrence(stop_only).columns.tolist() == ["term_a", "term_b", "papers", "jaccard"]
    assert term_cooccurrence(stop_only).empty and term_occurrences(stop_only).empty
    assert term_cooccurrence(texts, min_df=4).empty
    with pytest.raises(ValueError, match=r"^n must be 1 or more, got 0$"):
        term_cooccurrence(texts, n=0)
    with pytest.raises(ValueError, match=r"^ngram_range must be \(low, high\) with 1 <= low <= high"):
        term_occurrences(texts, ngram_range=(2, 1))
    with pytest.raises(ValueError, match=r"^papers lacks column\(s\) \['abstract'\]"):
        term_occurrences(texts.drop(columns="abstract"))


def test_term_cooccurrence_on_the_default_corpus():
    papers = lr.load()
    pairs = term_cooccurrence(papers, n=20)
    occurrences = term_occurrences(papers, n=20)
    assert occurrences.iloc[0].tolist() == ["training", 32]
    assert pairs.iloc[0].tolist() == ["data", "training", 13, 0.342]
    assert len(pairs) == 179  # prose verbs ("propose", "improve") are stop words (data/stopwords.txt)
    assert set(pairs["term_a"]) | set(pairs["term_b"]) <= set(occurrences["term"])


# --- network plot ------------------------------------------------------------------------------------------------


def test_plot_cooccurrence_network_draws_nodes_edges_and_labels(pairs_corpus):
    pairs = topic_cooccurrence(pairs_corpus)
    ax = plot_cooccurrence_network(pairs, lr.topic_counts(pairs_corpus))
    assert isinstance(ax, Axes)
    (nodes,) = [c for c in ax.collections if isinstance(c, PathCollection)]
    (edges,) = [c for c in ax.collections if isinstance(c, LineCollection)]
    assert len(nodes.get_offsets()) == 3 and len(edges.get_segments()) == 2
    assert [float(w) for w in edges.get_linewidths()] == [6.0, 3.25]  # 2 and 1 shared papers
    # largest first, clockwise from the top, ties by name: efficiency (3), peft (3), agents (2)
    assert [t.get_text() for t in ax.texts] == ["efficiency", "peft", "agents"]
    assert [round(v, 3) for v in ax.texts[0].get_position()] == [0.0, 1.12]


def test_plot_cooccurrence_network_thresholds_weights_and_terms(pairs_corpus, texts):
    pairs = topic_cooccurrence(pairs_corpus, lift=True)
    strong = plot_cooccurrence_network(pairs, min_papers=2)
    assert [t.get_text() for t in strong.texts] == ["efficiency", "peft"]  # no sizes: only linked topics
    by_lift = plot_cooccurrence_network(pairs, lr.topic_counts(pairs_corpus), weight="lift")
    (edges,) = [c for c in by_lift.collections if isinstance(c, LineCollection)]
    assert [round(float(w), 3) for w in edges.get_linewidths()] == [6.0, 4.626]  # lift 1.333 and 1.0: 0.5 + 5.5 / 1.333
    empty = plot_cooccurrence_network(pairs, min_papers=5)
    assert [t.get_text() for t in empty.texts] == ["no topics share 5 or more papers"]
    terms = plot_cooccurrence_network(term_cooccurrence(texts), term_occurrences(texts), title="Terms")
    assert len(terms.texts) == 5 and terms.get_title() == "Terms"


def test_strongest_links_keep_each_items_strongest_edges():
    # a hub shares papers with every term; each keeps its strongest link (in the order of pairs)
    pairs = pd.DataFrame({"term_a": ["a", "b", "c", "d", "b"], "term_b": ["hub", "hub", "hub", "hub", "c"],
                          "papers": [9, 8, 7, 3, 3], "jaccard": [0.9, 0.2, 0.3, 0.1, 0.6]})
    assert lr.strongest_links(pairs, 1).values.tolist() == [
        ["a", "hub", 9, 0.9], ["d", "hub", 3, 0.1], ["b", "c", 3, 0.6]]
    assert lr.strongest_links(pairs, 2).index.tolist() == [0, 1, 2, 3, 4]
    assert lr.strongest_links(pairs, 1, weight="papers").index.tolist() == [0, 1, 2, 3]
    with pytest.raises(ValueError, match="^weight must be a column of pairs other than its items, got 'lift'"):
        lr.strongest_links(pairs, weight="lift")
    with pytest.raises(ValueError, match="per_item"):
        lr.strongest_links(pairs, 0)


def test_a_network_of_frequent_terms_draws_each_terms_strongest_links(pairs_corpus, texts):
    pairs = term_cooccurrence(texts)
    every = plot_cooccurrence_network(pairs, term_occurrences(texts))
    backbone = plot_cooccurrence_network(pairs, term_occurrences(texts), weight="jaccard", max_links=1)
    (all_edges,) = [c for c in every.collections if isinstance(c, LineCollection)]
    (edges,) = [c for c in backbone.collections if isinstance(c, LineCollection)]
    kept = lr.strongest_links(pairs, 1)
    assert len(edges.get_segments()) == len(kept) < len(all_edges.get_segments())
    widths = 0.5 + 5.5 * kept["jaccard"].to_numpy() / kept["jaccard"].max()
    assert [round(float(w), 3) for w in edges.get_linewidths()] == [round(float(w), 3) for w in widths]
    assert [t.get_text() for t in backbone.texts] == [t.get_text() for t in every.texts]  # every term still drawn


def test_plot_cooccurrence_network_rejects_what_it_cannot_draw(pairs_corpus):
    pairs = topic_cooccurrence(pairs_corpus)
    with pytest.raises(ValueError, match=r"^weight must be a column of pairs: one of \['papers', 'jaccard'\]"):
        plot_cooccurrence_network(pairs, weight="lift")
    with pytest.raises(ValueError, match=r"^sizes has no papers for \['agents'\]"):
        plot_cooccurrence_network(pairs, {"peft": 3, "efficiency": 3})
    with pytest.raises(ValueError, match="^pairs needs columns topic_a, topic_b, papers"):
        plot_cooccurrence_network(pairs.rename(columns={"topic_a": "a"}))


# --- VOSviewer ---------------------------------------------------------------------------------------------------


def test_write_vosviewer_topic_network(pairs_corpus, tmp_path):
    paths = write_vosviewer(
        topic_cooccurrence(pairs_corpus), lr.topic_counts(pairs_corpus), tmp_path / "map.txt", tmp_path / "net.txt"
    )
    assert paths == (tmp_path / "map.txt", tmp_path / "net.txt")
    # ids by papers, then label: efficiency 1, peft 2, agents 3
    expected_map = b"id\tlabel\tweight<Occurrences>\n1\tefficiency\t3\n2\tpeft\t3\n3\tagents\t2\n"
    assert (tmp_path / "map.txt").read_bytes() == expected_map
    assert (tmp_path / "net.txt").read_bytes() == b"1\t2\t2\n2\t3\t1\n"


def test_write_vosviewer_sanitises_labels_and_writes_utf8(tmp_path):
    occurrences = {"a\tb": 2, "line\nbreak, two": 1, "naïve": 1, 'say "hi"; ok': 1}
    pairs = pd.DataFrame(
        [("a\tb", "naïve", 2), ('say "hi"; ok', "line\nbreak, two", 0.5), ("a\tb", "line\nbreak, two", 0)],
        columns=["term_a", "term_b", "papers"],
    )
    write_vosviewer(pairs, occurrences, tmp_path / "map.txt", tmp_path / "net.txt")
    expected_map = (
        'id\tlabel\tweight<Occurrences>\n1\ta b\t2\n2\t"line break, two"\t1\n3\tnaïve\t1\n4\t"say \'hi\'; ok"\t1\n'
    )
    assert (tmp_path / "map.txt").read_bytes() == expected_map.encode("utf-8")
    assert (tmp_path / "net.txt").read_bytes() == b"1\t3\t2\n2\t4\t0.5\n"  # the 0-strength link is left out


def test_write_vosviewer_rejects_missing_items_and_columns(pairs_corpus, tmp_path):
    pairs = topic_cooccurrence(pairs_corpus)
    with pytest.raises(ValueError, match=r"^occurrences has no papers for \['agents'\]"):
        write_vosviewer(pairs, {"peft": 3, "efficiency": 3}, tmp_path / "m", tmp_path / "n")
    with pytest.raises(ValueError, match=r"^strength must be a column of pairs: one of \['papers', 'jaccard'\]"):
        write_vosviewer(pairs, lr.topic_counts(pairs_corpus), tmp_path / "m", tmp_path / "n", strength="lift")
    with pytest.raises(ValueError, match=r"^occurrences must be numbers of papers, 0 or more"):
        write_vosviewer(pairs, {"peft": 3, "efficiency": -1, "agents": 2}, tmp_path / "m", tmp_path / "n")
    assert not (tmp_path / "m").exists()
