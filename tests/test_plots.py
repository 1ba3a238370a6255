"""Every plot is tested on what it draws: line data, bar lengths, images, node positions, labels and titles.

Also the plotting contract: ``ax=`` is drawn into and returned, no pyplot figure is ever made, and each
old plot name warns (FutureWarning naming the new one) and still returns the Figure it used to.
"""

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.dates import ConciseDateFormatter
from matplotlib.figure import Figure

import litreview as lr
from litreview.schema import to_frame


def _corpus(rows):
    """rows: (id, year, month, topics, title)."""
    frame = to_frame(
        {"id": i, "year": y, "month": m, "title": t, "abstract": None, "source": f"x.txt:{n}"}
        for n, (i, y, m, _, t) in enumerate(rows, start=1)
    )
    frame["topics"] = [list(r[3]) for r in rows]
    return frame


@pytest.fixture
def corpus():
    # peft: a (2021-01), b (2021-03), d (2022-02); efficiency: b, c (2021-03); e has no month
    return _corpus([
        ("a", 2021, 1, ["peft"], "Low rank adapters"),
        ("b", 2021, 3, ["peft", "efficiency"], "Low rank adapters for sparse kernels"),
        ("c", 2021, 3, ["efficiency"], "Sparse kernels"),
        ("d", 2022, 2, ["peft"], "Prompt tuning"),
        ("e", 2022, None, ["efficiency"], "Sparse attention kernels"),
    ])


def _months(*periods):
    return [np.datetime64(f"{p}-01", "ns") for p in periods]


# -- topic timeline: the monthly bug --------------------------------------------------------------------------------


def test_monthly_timeline_is_drawn_against_the_month_not_the_year(corpus):
    # Before the fix every monthly point was drawn at its year: peft's 14 points stood at x = 2021 or 2022.
    ax = lr.plot_topic_timeline(lr.topic_timeline(corpus, ["peft"], granularity="month"))
    (line,) = ax.lines
    assert list(line.get_xdata()) == _months(*[f"2021-{m:02d}" for m in range(1, 13)], "2022-01", "2022-02")
    assert list(line.get_ydata()) == [1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]
    assert line.get_label() == "peft"
    assert ax.get_xlabel() == "month" and ax.get_title() == "Papers per month"
    assert isinstance(ax.xaxis.get_major_formatter(), ConciseDateFormatter)
    FigureCanvasAgg(ax.figure).draw()
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels[0] == "2021" and "Mar" in labels and labels[-1] == "2022"  # months named, years where they start


def test_yearly_timeline_lines_ticks_and_share(corpus):
    timeline = lr.topic_timeline(corpus)
    ax = lr.plot_topic_timeline(timeline, title="Per year")
    assert [line.get_label() for line in ax.lines] == ["efficiency", "peft"]
    assert [list(line.get_xdata()) for line in ax.lines] == [[2021, 2022], [2021, 2022]]
    assert [list(line.get_ydata()) for line in ax.lines] == [[2, 1], [2, 1]]
    assert list(ax.get_xticks()) == [2021, 2022]
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_title()) == ("year", "papers (count)", "Per year")
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["efficiency", "peft"]
    share = lr.plot_topic_timeline(timeline, y="share")
    # 2021: a, b, c dated (efficiency b, c -> 0.667); 2022: d, e (efficiency e -> 0.5)
    assert list(share.lines[0].get_ydata()) == [0.667, 0.5]
    assert share.get_ylabel() == "share of the period's papers" and share.get_title() == "Share of papers per year"
    with pytest.raises(ValueError, match=r"^y must be one of 'papers', 'share', got 'count'$"):
        lr.plot_topic_timeline(timeline, y="count")
    with pytest.raises(ValueError, match=r"^timeline lacks column\(s\) \['share'\]"):
        lr.plot_topic_timeline(timeline.drop(columns="share"))


def test_empty_timeline_gives_empty_axes(corpus):
    ax = lr.plot_topic_timeline(lr.topic_timeline(corpus.iloc[:0]))
    assert len(ax.lines) == 0 and ax.get_legend() is None and ax.get_title() == "Papers per year"


# -- bars -----------------------------------------------------------------------------------------------------------


def test_plot_topic_counts_bars(corpus):
    ax = lr.plot_topic_counts(lr.topic_counts(corpus))  # efficiency 3, peft 3: ties by name
    assert [t.get_text() for t in ax.get_yticklabels()] == ["peft", "efficiency"]  # the largest on top
    assert [bar.get_width() for bar in ax.patches] == [3, 3]
    assert (ax.get_xlabel(), ax.get_title()) == ("papers (count)", "Papers per topic")


def test_plot_rising_topics_bars(corpus):
    rising = lr.rising_topics(lr.topic_timeline(corpus), window=1)  # 2022 against 2021
    ax = lr.plot_rising_topics(rising, title="Rising")
    # shares 2021 -> 2022: efficiency 0.667 -> 0.5, peft 0.667 -> 0.5
    assert [t.get_text() for t in ax.get_yticklabels()] == ["peft", "efficiency"]
    assert [round(bar.get_width(), 3) for bar in ax.patches] == [-0.167, -0.167]
    assert ax.get_title() == "Rising"
    # (the ticks in percentage points, as the reports' tables give the change: they read -0.10 beside a "+10.4"
    # in the topic-trends table)
    assert ax.get_xlabel() == "change in share of papers, percentage points (recent window minus the one before)"
    ticks = ax.xaxis.get_major_formatter()
    assert [ticks(x, 0) for x in (-0.15, -0.1, 0.0, 1e-17, 0.05, 0.104)] == ["-15", "-10", "0", "0", "+5", "+10"]


def test_plot_distinctive_terms_bars(corpus):
    terms = lr.distinctive_terms(corpus, lr.has_topic(corpus, "efficiency"), n=3, min_df=1)
    ax = lr.plot_distinctive_terms(terms, title="Efficiency")
    assert [t.get_text() for t in ax.get_yticklabels()] == terms["term"].tolist()[::-1]
    assert [bar.get_width() for bar in ax.patches] == terms["z"].tolist()[::-1]
    assert terms["term"].tolist() == ["kernels", "sparse", "sparse kernels"]  # in b, c and e; ties by name
    assert ax.get_title() == "Efficiency"
    assert ax.get_xlabel() == "weighted log-odds (z-score) against the rest of the corpus"


def test_plot_entity_counts_bars_lines_and_heatmap():
    overall = pd.DataFrame({"kind": ["model", "method", "dataset"], "entity": ["GPT-3", "LoRA", "GSM8K"],
                            "papers": [3, 2, 1], "share": [0.3, 0.2, 0.1]})
    ax = lr.plot_entity_counts(overall, n=2)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["LoRA", "GPT-3"]
    assert [bar.get_width() for bar in ax.patches] == [2, 3]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["model", "method"]
    assert ax.get_title() == "Papers mentioning each entity"

    yearly = pd.DataFrame({"kind": ["model"] * 2 + ["method"] * 2, "entity": ["GPT-3"] * 2 + ["LoRA"] * 2,
                           "year": [2021, 2022] * 2, "papers": [1, 3, 2, 0], "share": 0.0})
    ax = lr.plot_entity_counts(yearly)
    assert [line.get_label() for line in ax.lines] == ["GPT-3", "LoRA"]
    assert [list(line.get_xdata()) for line in ax.lines] == [[2021, 2022], [2021, 2022]]
    assert [list(line.get_ydata()) for line in ax.lines] == [[1, 3], [2, 0]]
    assert ax.get_xlabel() == "year"

    by_topic = pd.DataFrame({"topic": ["peft", "peft", "agents"], "kind": ["model", "method", "model"],
                             "entity": ["GPT-3", "LoRA", "GPT-3"], "papers": [1, 2, 4], "share": 0.0})
    ax = lr.plot_entity_counts(by_topic)
    assert ax.images[0].get_array().tolist() == [[4, 1], [0, 2]]  # GPT-3 (5 papers), LoRA; agents, peft
    assert [t.get_text() for t in ax.get_xticklabels()] == ["agents", "peft"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["GPT-3", "LoRA"]


# -- heatmaps -------------------------------------------------------------------------------------------------------


def test_plot_cooccurrence_matrix_heatmap(corpus):
    matrix = lr.cooccurrence_matrix(corpus, ["peft", "efficiency"])
    ax = lr.plot_cooccurrence_matrix(matrix)
    assert ax.images[0].get_array().tolist() == [[3, 1], [1, 3]]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["peft", "efficiency"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["peft", "efficiency"]
    assert [t.get_text() for t in ax.texts] == ["3", "1", "1", "3"]
    assert ax.get_title() == "Papers shared by topics"
    (colorbar,) = [a for a in ax.figure.axes if a is not ax]
    assert colorbar.get_ylabel() == "papers (count)"
    with pytest.raises(ValueError, match="^matrix must be square"):
        lr.plot_cooccurrence_matrix(matrix.iloc[:1])


def test_plot_compare_with_taxonomy_heatmap():
    assignments = pd.DataFrame({"id": ["a", "b", "c"], "topic": [1, 1, 2]})
    tagged = pd.DataFrame({"id": ["a", "b", "c"], "topics": [["peft"], ["peft", "agents"], ["agents"]]})
    ax = lr.plot_compare_with_taxonomy(lr.compare_with_taxonomy(assignments, tagged))
    # rows discovered 1, 2; columns agents, peft; Jaccard 1-agents 1/3, 1-peft 1, 2-agents 1/2
    assert ax.images[0].get_array().tolist() == [[0.333, 1.0], [0.5, 0.0]]
    assert [t.get_text() for t in ax.texts] == ["1", "2", "1"]
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("taxonomy topic", "discovered topic")
    assert ax.get_title() == "Discovered topics against the taxonomy"


# -- networks -------------------------------------------------------------------------------------------------------


def test_plot_cooccurrence_network_nodes_on_the_circle(corpus):
    pairs = lr.topic_cooccurrence(corpus)
    ax = lr.plot_cooccurrence_network(pairs, lr.topic_counts(corpus), title="Topics")
    (nodes,) = [c for c in ax.collections if isinstance(c, PathCollection)]
    (edges,) = [c for c in ax.collections if isinstance(c, LineCollection)]
    # efficiency and peft (3 papers each, by name) at the top and the bottom of the circle, one edge between
    assert np.round(nodes.get_offsets(), 6).tolist() == [[0.0, 1.0], [0.0, -1.0]]
    assert [t.get_text() for t in ax.texts] == ["efficiency", "peft"]
    assert np.round(edges.get_segments()[0], 6).tolist() == [[0.0, 1.0], [0.0, -1.0]]
    assert ax.get_title() == "Topics"


def test_plot_coauthor_network_nodes_and_edges():
    edges = pd.DataFrame({"author_a": ["Ann", "Ann", "Bo"], "author_b": ["Bo", "Cy", "Cy"], "papers": [2, 1, 1]})
    ax = lr.plot_coauthor_network(edges, n=3)
    (nodes,) = [c for c in ax.collections if isinstance(c, PathCollection)]
    (lines,) = [c for c in ax.collections if isinstance(c, LineCollection)]
    assert [t.get_text() for t in ax.texts] == ["Ann", "Bo", "Cy"]  # shared papers 3, 3, 2
    assert np.round(nodes.get_offsets()[0], 6).tolist() == [0.0, 1.0]
    assert len(lines.get_segments()) == 3 and [float(w) for w in lines.get_linewidths()] == [4.0, 1.0, 1.0]
    assert ax.get_title() == "Co-authors"


# -- PRISMA -----------------------------------------------------------------------------------------------------------


def test_plot_prisma_flow_boxes():
    flow = pd.DataFrame({"stage": ["identification", "identification", "included"],
                         "label": ["records identified", "duplicates removed", "papers included"],
                         "count": [3, 1, 2], "kind": ["flow", "aside", "flow"]})
    ax = lr.plot_prisma_flow(flow, title="Review")
    texts = [t.get_text().replace("\u00a0", " ") for t in ax.texts]
    assert texts[:4] == ["Review", "Records identified (n = 3)", "Duplicates removed (n = 1)",
                         "Papers included (n = 2)"]
    assert texts[-2:] == ["Identification", "Included"]


# -- the contract -----------------------------------------------------------------------------------------------------


def _every_plot(corpus):
    """(name, call) for every plot function, each given ax=."""
    timeline = lr.topic_timeline(corpus)
    pairs = lr.topic_cooccurrence(corpus)
    flow = pd.DataFrame({"stage": ["identification"], "label": ["records identified"], "count": [3], "kind": ["flow"]})
    assignments = pd.DataFrame({"id": ["a", "b"], "topic": [1, 2]})
    counts = pd.DataFrame({"kind": ["model"], "entity": ["GPT-3"], "papers": [3]})
    edges = pd.DataFrame({"author_a": ["Ann"], "author_b": ["Bo"], "papers": [2]})
    citing = lr.load(Path(__file__).resolve().parents[1] / "data" / "examples" / "wos_peft_citations.txt")
    citing_refs = lr.references(citing)
    return {
        "plot_topic_counts": lambda ax: lr.plot_topic_counts(lr.topic_counts(corpus), ax=ax),
        "plot_topic_timeline": lambda ax: lr.plot_topic_timeline(timeline, ax=ax),
        "plot_rising_topics": lambda ax: lr.plot_rising_topics(lr.rising_topics(timeline, 1), ax=ax),
        "plot_cooccurrence_matrix": lambda ax: lr.plot_cooccurrence_matrix(
            lr.cooccurrence_matrix(corpus, ["peft"]), ax=ax),
        "plot_cooccurrence_network": lambda ax: lr.plot_cooccurrence_network(pairs, ax=ax),
        "plot_distinctive_terms": lambda ax: lr.plot_distinctive_terms(
            lr.distinctive_terms(corpus, lr.has_topic(corpus, "peft"), min_df=1), ax=ax),
        "plot_entity_counts": lambda ax: lr.plot_entity_counts(counts, ax=ax),
        "plot_coauthor_network": lambda ax: lr.plot_coauthor_network(edges, ax=ax),
        "plot_compare_with_taxonomy": lambda ax: lr.plot_compare_with_taxonomy(
            lr.compare_with_taxonomy(assignments, corpus), ax=ax),
        "plot_prisma_flow": lambda ax: lr.plot_prisma_flow(flow, ax=ax),
        # citation plots: their plotted data is tested in tests/test_citations.py
        "plot_rpys": lambda ax: lr.plot_rpys(lr.rpys(citing_refs), ax=ax),
        "plot_local_citations": lambda ax: lr.plot_local_citations(lr.local_citations(citing, citing_refs), ax=ax),
        "plot_historiograph": lambda ax: lr.plot_historiograph(citing, citing_refs, ax=ax),
        # the recall curve's plotted data is tested in tests/test_screening_priority.py
        "plot_recall_curve": lambda ax: lr.plot_recall_curve(pd.DataFrame(
            {"step": [1, 2, 3], "id": ["a", "b", "c"], "label": [1, 0, 1], "prior": [True, False, False]}), ax=ax),
    }


def test_every_public_plot_is_covered(corpus):
    public = {name for name in lr.__all__ if name.startswith("plot_")}
    deprecated = {"plot_timeline", "plot_rising", "plot_cooccurrence", "plot_discovery_overlap", "plot_prisma"}
    assert public - deprecated == set(_every_plot(corpus))


def test_plots_draw_into_the_given_axes_and_return_it(corpus):
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    for name, draw in _every_plot(corpus).items():
        figure = Figure()
        left, right = figure.subplots(1, 2)
        assert draw(right) is right, name
        assert right.has_data() or right.texts or right.patches, name
        assert not left.has_data() and not left.texts and not left.patches, name
        own = draw(None)
        assert isinstance(own, Axes) and own.figure is not figure, name
    assert plt.get_fignums() == before  # pyplot never holds a figure of ours


def test_ax_must_be_an_axes(corpus):
    for draw in _every_plot(corpus).values():
        with pytest.raises(TypeError, match="^ax must be a matplotlib Axes or None, got Figure$"):
            draw(Figure())


def test_old_plot_names_warn_and_return_the_figure(corpus):
    timeline = lr.topic_timeline(corpus)
    flow = pd.DataFrame({"stage": ["identification"], "label": ["records identified"], "count": [3], "kind": ["flow"]})
    table = lr.compare_with_taxonomy(pd.DataFrame({"id": ["a", "b"], "topic": [1, 2]}), corpus)
    calls = [
        ("plot_timeline", "plot_topic_timeline", lambda: lr.plot_timeline(timeline, "T")),
        ("plot_rising", "plot_rising_topics", lambda: lr.plot_rising(lr.rising_topics(timeline, 1), "T")),
        ("plot_cooccurrence", "plot_cooccurrence_matrix",
         lambda: lr.plot_cooccurrence(lr.cooccurrence_matrix(corpus, ["peft"]), "T")),
        ("plot_discovery_overlap", "plot_compare_with_taxonomy", lambda: lr.plot_discovery_overlap(table, "T")),
        ("plot_prisma", "plot_prisma_flow", lambda: lr.plot_prisma(flow, 8, "T")),
    ]
    for old, new, call in calls:
        with pytest.warns(FutureWarning, match=rf"^lr\.{old} is deprecated .*; use lr\.{new} instead$"):
            figure = call()
        assert isinstance(figure, Figure), old
        assert "T" in [figure.axes[0].get_title()] + [t.get_text() for t in figure.axes[0].texts], old
        assert getattr(lr, old).__wrapped__ is getattr(lr, new)


def test_old_timeline_name_draws_the_same_lines(corpus):
    timeline = lr.topic_timeline(corpus, granularity="month")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        old = lr.plot_timeline(timeline, title="x").axes[0]
    new = lr.plot_topic_timeline(timeline, title="x")
    assert [list(a.get_xdata()) for a in old.lines] == [list(b.get_xdata()) for b in new.lines]
