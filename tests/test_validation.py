"""One API contract: a wrong type is a TypeError, a wrong value a ValueError, each naming the parameter and
what it accepts; an empty selection gives an empty table with the right columns; old keywords warn."""

import warnings

import pandas as pd
import pytest

import litreview as lr
from litreview.validation import check_choice, check_fraction, check_frame, check_int, check_topics


@pytest.fixture(scope="module")
def tagged():
    return lr.tag(lr.load())


def test_the_helpers_name_the_parameter_and_the_choices():
    with pytest.raises(TypeError, match=r"^papers must be a pandas DataFrame, got list; load it$"):
        check_frame([], "papers", hint="load it")
    with pytest.raises(ValueError, match=r"^papers lacks column\(s\) \['year'\]; it has \['id'\]$"):
        check_frame(pd.DataFrame({"id": []}), "papers", ("id", "year"))
    with pytest.raises(ValueError, match=r"^by must be one of None, 'topic', got 'year'$"):
        check_choice("year", "by", (None, "topic"))
    with pytest.raises(ValueError, match=r"^by must be one of None, 'topic', got \['topic'\]$"):
        check_choice(["topic"], "by", (None, "topic"))  # unhashable: a value error, not a crash
    with pytest.raises(TypeError, match=r"^n must be a whole number, got str '3'$"):
        check_int("3", "n", 1)
    with pytest.raises(TypeError, match=r"^n must be a whole number, got bool True$"):
        check_int(True, "n", 1)
    with pytest.raises(ValueError, match=r"^n must be 1 or more, got 0$"):
        check_int(0, "n", 1)
    check_int(None, "n", 1, none=True)
    with pytest.raises(TypeError, match=r"^cover must be a number, got str '0.2'$"):
        check_fraction("0.2", "cover")
    with pytest.raises(ValueError, match=r"^cover must be a fraction in \(0, 1\], got 0$"):
        check_fraction(0, "cover")
    assert check_topics("peft") == ["peft"] and check_topics(None) is None
    assert check_topics(pd.Series(["a", "b"])) == ["a", "b"]
    with pytest.raises(TypeError, match=r"^topics must be a list of topic slugs \(or None for every topic\), got int$"):
        check_topics(3)
    with pytest.raises(TypeError, match=r"^topics must hold topic slugs \(strings\); got \[1\]$"):
        check_topics(["peft", 1])
    with pytest.raises(ValueError, match=r"^topics has unknown topic\(s\) \['x'\]; the topics are 'peft'$"):
        check_topics(["x"], known={"peft"})


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda t: lr.topic_counts(t.to_dict()), TypeError, r"^tagged must be a pandas DataFrame, got dict"),
        (lambda t: lr.topic_counts(t, 3), TypeError, r"^topics must be a list of topic slugs"),
        (lambda t: lr.topic_timeline(t, granularity="week"), ValueError,
         r"^granularity must be one of 'year', 'month', got 'week'$"),
        (lambda t: lr.topic_timeline(t.drop(columns="topics")), ValueError, r"^tagged lacks column\(s\) \['topics'\]"),
        (lambda t: lr.rising_topics(lr.topic_timeline(t), window=1.5), TypeError,
         r"^window must be a whole number, got float 1.5$"),
        (lambda t: lr.topic_cooccurrence(t, [1, 2]), TypeError, r"^topics must hold topic slugs"),
        (lambda t: lr.cooccurrence_matrix(t, None), TypeError, r"^topics must be a list of topic slugs"),
        (lambda t: lr.neighbours(t, ["peft"]), TypeError, r"^topic must be a topic slug \(a string\), got list$"),
        (lambda t: lr.term_occurrences(t, n="5"), TypeError, r"^n must be a whole number, got str '5'$"),
        (lambda t: lr.term_occurrences(t, n=0), ValueError, r"^n must be 1 or more, got 0$"),
        (lambda t: lr.distinctive_terms(t, "peft"), TypeError, r"^in_group must be a boolean sequence"),
        (lambda t: lr.distinctive_terms(t, [True]), ValueError, r"^in_group must have one value per paper: 74 papers"),
        (lambda t: lr.similar_pairs(t, n=0), ValueError, r"^n must be 1 or more, got 0$"),
        (lambda t: lr.similar_papers(t, 42), TypeError, r"^query must be text, got int$"),
        (lambda t: lr.top_authors(t, by="year"), ValueError, r"^by must be one of None, 'topic', got 'year'$"),
        (lambda t: lr.top_venues(t, n=2.0), TypeError, r"^n must be a whole number, got float 2.0$"),
        (lambda t: lr.discover_topics(t, "8"), TypeError, r"^n_topics must be a whole number, got str '8'$"),
        (lambda t: lr.has_topic(t, None), TypeError, r"^topic must be a topic slug \(a string\), got NoneType$"),
        (lambda t: lr.within_years(t, "2021"), TypeError, r"^start must be a whole number or None, got str"),
        (lambda t: lr.per_year(t["year"]), TypeError, r"^papers must be a pandas DataFrame, got Series"),
        (lambda t: lr.discovery_summary(pd.DataFrame({"id": ["a"], "topic": [1]}), t, merge_share=True),
         TypeError, r"^merge_share must be a number, got bool True$"),
    ],
)
def test_wrong_types_and_values(tagged, call, error, message):
    with pytest.raises(error, match=message):
        call(tagged)


def test_empty_selections_give_empty_tables_with_their_columns(tagged):
    none = tagged.iloc[:0]
    assert none.empty
    expected = {
        "topic_counts": (lr.topic_counts(none), ["topic", "papers", "share"]),
        "topic_timeline": (lr.topic_timeline(none), ["topic", "year", "papers", "share", "period_papers"]),
        "monthly": (lr.topic_timeline(none, granularity="month"),
                    ["topic", "period", "year", "month", "papers", "share", "period_papers"]),
        "rising_topics": (lr.rising_topics(lr.topic_timeline(none)), lr.analysis.trends.RISING_COLUMNS),
        "topic_cooccurrence": (lr.topic_cooccurrence(none), ["topic_a", "topic_b", "papers", "jaccard"]),
        "neighbours": (lr.neighbours(none, "peft"), ["neighbour", "papers", "jaccard"]),
        "term_occurrences": (lr.term_occurrences(none), ["term", "papers"]),
        "term_cooccurrence": (lr.term_cooccurrence(none), ["term_a", "term_b", "papers", "jaccard"]),
        "distinctive_terms": (lr.distinctive_terms(none, []), ["term", "z", "in_group", "rest"]),
        "top_authors": (lr.top_authors(none, by="topic"), ["topic", "author", "papers"]),
        "top_venues": (lr.top_venues(none), ["venue", "papers"]),
        "coauthor_network": (lr.coauthor_network(none), ["author_a", "author_b", "papers"]),
        "similar_pairs": (lr.similar_pairs(none), ["paper_a", "paper_b", "similarity", "shared", "id_a", "id_b"]),
        "similar_papers": (lr.similar_papers(none, "low rank"), ["id", "title", "similarity", "shared"]),
        "discover_topics": (lr.discover_topics(none, 8)[0], ["topic", "terms", "papers"]),
        "discover_assignments": (lr.discover_topics(none, 8)[1], ["id", "topic", "weight"]),
        "compare_with_taxonomy": (lr.compare_with_taxonomy(lr.discover_topics(none, 8)[1], none),
                                  lr.analysis.discovery_compare.COMPARE_COLUMNS),
        "topic_papers": (lr.topic_papers(none, lr.evidence(tagged), "peft"),
                         ["paper", "year", "venue", "also", "score", "evidence", "id"]),
        "per_source": (lr.per_source(none), ["file", "papers"]),
        "per_year": (lr.per_year(none), ["year", "papers"]),
        "quality_flags": (lr.quality_flags(none), ["id", "source", "flag"]),
        "entity_counts": (lr.entity_counts(none), ["kind", "entity", "papers", "share"]),
        "screening_template": (lr.screening_template(none), ["id", "title", "year", "decision", "reason"]),
    }
    for name, (table, columns) in expected.items():
        assert table.empty, name
        assert table.columns.tolist() == columns, name
    # and a query no paper shares a word with
    assert lr.similar_papers(tagged, "zzzz qqqq").empty


@pytest.mark.parametrize(
    "old_call, new_call, message",
    [
        (lambda t: lr.top_authors(t, 3, by_topic=True), lambda t: lr.top_authors(t, 3, by="topic"),
         r"^top_authors\(by_topic=\.\.\.\) is deprecated .*; use top_authors\(by=\.\.\.\) instead$"),
        (lambda t: lr.top_authors(t, 3, True), lambda t: lr.top_authors(t, 3, by="topic"), r"top_authors\(by=\.\.\.\)"),
        (lambda t: lr.top_venues(t, 3, by_topic=True), lambda t: lr.top_venues(t, 3, by="topic"), r"top_venues\(by="),
        (lambda t: lr.term_occurrences(t, n_terms=5), lambda t: lr.term_occurrences(t, n=5),
         r"^term_occurrences\(n_terms=\.\.\.\) is deprecated .*; use term_occurrences\(n=\.\.\.\) instead$"),
        (lambda t: lr.term_cooccurrence(t, n_terms=5), lambda t: lr.term_cooccurrence(t, n=5),
         r"term_cooccurrence\(n=\.\.\.\)"),
        (lambda t: lr.compare_with_taxonomy(_assignments(t), t, slugs=lr.load_taxonomy().slugs),
         lambda t: lr.compare_with_taxonomy(_assignments(t), t, topics=lr.load_taxonomy().slugs),
         r"compare_with_taxonomy\(topics=\.\.\.\)"),
        (lambda t: lr.discovery_summary(_assignments(t), t, slugs=lr.load_taxonomy().slugs),
         lambda t: lr.discovery_summary(_assignments(t), t, topics=lr.load_taxonomy().slugs),
         r"discovery_summary\(topics=\.\.\.\)"),
    ],
)
def test_old_keywords_warn_and_give_the_same_table(tagged, old_call, new_call, message):
    with pytest.warns(FutureWarning, match=message) as record:
        old = old_call(tagged)
    assert record[0].filename == __file__  # the warning points at the caller's line
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        new = new_call(tagged)
    pd.testing.assert_frame_equal(old, new)


def test_old_and_new_keyword_together_is_an_error(tagged):
    with pytest.raises(TypeError, match=r"^top_authors\(\) got both by_topic= and by=; pass by= only$"):
        lr.top_authors(tagged, by="topic", by_topic=True)
    with pytest.raises(TypeError, match=r"^term_occurrences\(\) got both n_terms= and n=; pass n= only$"):
        lr.term_occurrences(tagged, n=3, n_terms=4)


def _assignments(tagged):
    return pd.DataFrame({"id": tagged["id"], "topic": [1 + i % 3 for i in range(len(tagged))]})
