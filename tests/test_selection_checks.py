"""``select=`` as README.md shows it (a year window, topics or categories, a column subset), and the errors a
wrong value gives: a reversed window, an unknown key of a dict, a year written as text."""

from __future__ import annotations

import json

import pytest

import litreview as lr


def _works(tmp_path):
    path = tmp_path / "works.jsonl"
    works = [{"id": f"https://openalex.org/W{i}", "title": f"Work {i}", "publication_year": year,
              "topics": [{"display_name": topic}]}
             for i, (year, topic) in enumerate([(2019, "Topic Modeling"), (2021, "Topic Modeling"),
                                                (2022, "Genome Editing")])]  # fmt: skip
    path.write_text("".join(json.dumps(w) + "\n" for w in works), encoding="utf-8")
    return path


def test_a_window_that_ends_before_it_starts_is_an_error_not_an_empty_table(tmp_path):
    with pytest.raises(ValueError, match=r"^years: the window \(2024, 2020\) ends before it starts; give "
                                         r"\(first, last\), such as \(2020, 2024\)$"):
        lr.Selection(years=(2024, 2020))
    with pytest.raises(ValueError, match="ends before it starts"):
        lr.load(_works(tmp_path), merge=False, select={"years": (2024, 2020)})
    assert lr.Selection(years=(2021, 2021)).years == (2021, 2021)  # one year is a window


def test_an_unknown_key_of_a_select_dict_names_the_keys():
    with pytest.raises(TypeError, match=r"^select: unknown key\(s\) 'yeas'; the keys are years, topics, "
                                        r"categories, fields$"):
        lr.load(select={"yeas": (2020, 2024)})


def test_a_year_as_text_is_an_error():
    with pytest.raises(TypeError, match=r"^years must hold whole years or None, not '2020'$"):
        lr.load(select={"years": ("2020", 2024)})


def test_the_readme_selection_keeps_the_window_the_topic_and_the_fields(tmp_path):
    chosen = lr.load(_works(tmp_path), merge=False, progress=False,
                     select=lr.Selection(years=(2020, 2024), topics=["Topic Modeling"],
                                         fields=["title", "abstract", "year"]))  # fmt: skip
    assert chosen["title"].tolist() == ["Work 1"]
    assert chosen["categories"].tolist() == [[]]  # a field outside the selection: left missing
