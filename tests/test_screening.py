"""Screening decisions (the sidecar CSV) and the PRISMA flow, on hand-made corpora and the default one."""

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.axes import Axes

import litreview as lr
from litreview.analysis.prisma_diagram import plot_prisma_flow
from litreview.analysis.screening import load_screening, prisma_flow, save_screening, screening_template
from litreview.io.account import PROBLEM_COLUMNS, make_account
from litreview.schema import to_frame

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "examples" / "screening_example.csv"


def _write(tmp_path, text: str, name: str = "screening.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


# -- load_screening -----------------------------------------------------------------------------------------------


def test_load_screening_reads_a_spreadsheet_as_it_comes(tmp_path):
    path = _write(tmp_path, (
        "\ufeffID,Decision,Reason,Stage,title,\n"
        "b,Exclude,  not about language models ,,Flows,\n"
        "\n"
        "a,include,,,LoRA\n"
        "c,,,,Not read yet\n"
        "a,INCLUDE,,Full text,LoRA\n"
        "b,exclude,not about language models,title/abstract,Flows\n"  # repeats line 2 word for word: dropped
        ",,,,\n"
    ))
    table = load_screening(path)
    assert table.columns.tolist() == ["id", "stage", "decision", "reason", "title"]
    assert table.values.tolist() == [
        ["a", "title-abstract", "include", None, "LoRA"],
        ["a", "full-text", "include", None, "LoRA"],
        ["b", "title-abstract", "exclude", "not about language models", "Flows"],
    ]


def test_load_screening_semicolons_cp1252_and_a_reason_over_two_lines(tmp_path):
    path = _write(tmp_path, 'id;decision;reason\nx;exclude;"résumé of\ntwo lines"\ny;maybe;\n', encoding="cp1252")
    with pytest.raises(ValueError) as caught:
        load_screening(path)
    assert str(caught.value) == f"{path}:4: decision 'maybe' for 'y' is not one of: include, exclude"
    path = _write(tmp_path, 'id;decision;reason\nx;exclude;"résumé of\ntwo lines"\n', encoding="cp1252")
    assert load_screening(path)["reason"].tolist() == ["résumé of\ntwo lines"]


def test_a_row_leaving_out_a_trailing_column_may_hold_a_semicolon(tmp_path):
    table = load_screening(_write(tmp_path, 'id,decision,reason,stage\na,exclude,"off; topic"\n'))
    assert table.values.tolist() == [["a", "title-abstract", "exclude", "off; topic"]]


def test_a_header_without_rows_is_a_screening_not_begun(tmp_path):
    table = load_screening(_write(tmp_path, "id,decision,reason\n"))
    assert table.empty
    assert table.columns.tolist() == ["id", "stage", "decision", "reason"]


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "{f}: the screening file is empty; expected a header line 'id,decision,reason' and one row per "
             "screened paper (lr.screening_template(papers) gives a start)"),
        (" \n\n", "{f}: the screening file is empty; expected a header line 'id,decision,reason' and one row per "
                  "screened paper (lr.screening_template(papers) gives a start)"),
        ("id,decision\na,include\n", "{f}:1: the header lacks column(s) ['reason']; expected 'id,decision,reason' "
                                     "(and optionally 'stage'), found ['id', 'decision']"),
        ("id,decision,reason,Decision\n", "{f}:1: column(s) ['decision'] appear more than once in the header"),
        ("id,decision,reason\na,perhaps,\n", "{f}:2: decision 'perhaps' for 'a' is not one of: include, exclude"),
        ("id,decision,reason\na,exclude,\n", "{f}:2: 'a' is excluded without a reason; say why in the reason column"),
        ("id,decision,reason\n,include,\n", "{f}:2: the row has no id"),
        ("id,decision,reason\na,,unsure\n", "{f}:2: 'a' has a reason but no decision; write include or exclude"),
        ("id,decision,reason,stage\na,include,,abstract\n",
         "{f}:2: stage 'abstract' for 'a' is not one of: title-abstract, full-text"),
        ("id,decision,reason\na,include,,x\n", "{f}:2: the row has 4 fields, the header 3"),
        ("id,decision,reason\nb,exclude,off topic\na;include;\n",
         "{f}:3: the row has 1 field(s), the header 3: it seems written with another delimiter (';'); write it as "
         "the header is"),
        ("id,decision,reason\na,include,\n\na,exclude,off topic\n",
         "{f}:4: 'a' has a second title-abstract decision, exclude ('off topic'), unlike include at {f}:2"),
        ("id,decision,reason\na,exclude,off topic\na,exclude,survey\n",
         "{f}:3: 'a' has a second title-abstract decision, exclude ('survey'), unlike exclude ('off topic') at {f}:2"),
        ("id,decision,reason,stage\na,include,,full-text\na,exclude,off topic,\n",
         "{f}:2: 'a' has a full-text decision but was excluded on title and abstract at {f}:3"),
    ],
)
def test_load_screening_names_file_line_and_problem(tmp_path, text, message):
    path = _write(tmp_path, text)
    with pytest.raises(ValueError) as caught:
        load_screening(path)
    assert str(caught.value) == message.format(f=path)


def test_load_screening_lists_every_problem_at_once(tmp_path):
    path = _write(tmp_path, "id,decision,reason\na,exclude,\nb,yes,\nc,include,\n")
    with pytest.raises(ValueError) as caught:
        load_screening(path)
    assert str(caught.value) == (
        f"{path}: 2 problems in the screening decisions:\n"
        f"  {path}:2: 'a' is excluded without a reason; say why in the reason column\n"
        f"  {path}:3: decision 'yes' for 'b' is not one of: include, exclude"
    )


# -- save_screening and the template ------------------------------------------------------------------------------


def test_save_and_load_round_trip(tmp_path):
    first = _write(tmp_path, (
        "id,stage,decision,reason,notes\n"
        'a,title-abstract,include,"borderline, keep",x\n'
        "a,full-text,exclude,no full text available,\n"
        'b,title-abstract,exclude,"survey, not ""primary"" research",\n'
    ), name="first.csv")
    table = load_screening(first)
    second = tmp_path / "second.csv"
    save_screening(table, second)
    assert second.read_bytes() == (
        "\ufeffid,stage,decision,reason,notes\n"
        'a,title-abstract,include,"borderline, keep",x\n'
        "a,full-text,exclude,no full text available,\n"
        'b,title-abstract,exclude,"survey, not ""primary"" research",\n'
    ).encode("utf-8")
    pd.testing.assert_frame_equal(load_screening(second), table)


def test_save_screening_checks_the_table(tmp_path):
    bad = pd.DataFrame({"id": ["a", "b"], "decision": ["include", "exclude"], "reason": [None, float("nan")]})
    with pytest.raises(ValueError, match=r"^decisions row 1: 'b' is excluded without a reason"):
        save_screening(bad, tmp_path / "x.csv")
    with pytest.raises(ValueError, match=r"^decisions lacks column\(s\) \['reason'\]; it has \['id', 'decision'\]$"):
        save_screening(bad[["id", "decision"]], tmp_path / "x.csv")
    assert not (tmp_path / "x.csv").exists()


@pytest.fixture
def papers() -> pd.DataFrame:
    """Five papers from three files; two were merged from two records each; one record of x.bib was unreadable."""
    rows = [
        ("a", "LoRA", None, 2021, ["x.bib:1", "y.ris:5"]),
        ("b", None, "We study flows of many kinds in this paper.", 2022, ["x.bib:10"]),
        ("c", "Prompt tuning", None, None, ["y.ris:1"]),
        ("d", "A survey", None, 2023, ["y.ris:9", "y.ris:20"]),
        ("e", "Adapters", None, 2020, ["z.csv:2"]),
    ]
    frame = to_frame(
        {"id": i, "title": t, "abstract": a, "arxiv_id": "2201.00001" if i == "b" else None, "year": y,
         "source": p[0], "provenance": p}
        for i, t, a, y, p in rows
    )
    # the load account lr.load would have kept with the table
    frame.attrs["load_account"] = make_account([("x.bib", "1", 2), ("y.ris", "2", 4), ("z.csv", "3", 1)], PROBLEMS, [])
    return frame


PROBLEMS = [("x.bib", 30, "error", "entry has no closing brace"),
            ("y.ris", 40, "warning", "RIS record has no TY line; kept")]


def test_screening_template_lists_papers_to_fill_in(papers, tmp_path):
    template = screening_template(papers)
    assert template.columns.tolist() == ["id", "title", "year", "decision", "reason"]
    assert template.values.tolist()[:3] == [
        ["a", "LoRA", 2021, "", ""],
        ["b", "[2201.00001] We study flows of many kinds in this ...", 2022, "", ""],
        ["c", "Prompt tuning", pd.NA, "", ""],
    ]
    template.loc[template["id"] == "b", ["decision", "reason"]] = ["exclude", "not about language models"]
    path = tmp_path / "screening.csv"
    save_screening(template, path)
    assert path.read_text(encoding="utf-8-sig").splitlines()[:3] == [
        "id,decision,reason,title,year", "a,,,LoRA,2021",
        "b,exclude,not about language models,[2201.00001] We study flows of many kinds in this ...,2022",
    ]
    assert load_screening(path).values.tolist() == [
        ["b", "title-abstract", "exclude", "not about language models",
         "[2201.00001] We study flows of many kinds in this ...", "2022"],
    ]


# -- prisma_flow --------------------------------------------------------------------------------------------------

IDENTIFICATION = [
    ["identification", "records identified", 8, "flow"],
    ["identification", "y.ris", 4, "source"],
    ["identification", "x.bib", 3, "source"],
    ["identification", "z.csv", 1, "source"],
    ["identification", "duplicates removed", 2, "aside"],
    ["identification", "unreadable records skipped", 1, "aside"],
    ["screening", "papers after duplicates removed", 5, "flow"],
]


def _decisions(*rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["id", "stage", "decision", "reason"])


def test_prisma_flow_of_a_single_stage_screening(papers):
    decisions = _decisions(("a", None, "include", None), ("b", None, "exclude", "off topic"),
                           ("c", None, "exclude", "off topic"), ("d", None, "exclude", "a survey"))
    flow = prisma_flow(papers, decisions)
    assert flow.columns.tolist() == ["stage", "label", "count", "kind"]
    assert flow.values.tolist() == IDENTIFICATION + [
        ["screening", "not yet screened", 1, "aside"],
        ["screening", "papers screened", 4, "flow"],
        ["screening", "excluded on title and abstract", 3, "aside"],
        ["screening", "off topic", 2, "reason"],
        ["screening", "a survey", 1, "reason"],
        ["included", "papers included", 1, "flow"],
    ]


def test_prisma_flow_of_a_two_stage_screening(papers, tmp_path):
    # a: included twice; b: out on its abstract; c: only a full-text row (so it passed the first stage);
    # d: included on its abstract, full text not read yet; e: not screened
    path = _write(tmp_path, (
        "id,stage,decision,reason\n"
        "a,title-abstract,include,\n"
        "a,full-text,include,\n"
        "b,title-abstract,exclude,off topic\n"
        "c,full-text,exclude,wrong population\n"
        "d,title-abstract,include,\n"
    ))
    flow = prisma_flow(papers, path)
    assert flow.values.tolist() == IDENTIFICATION + [
        ["screening", "not yet screened", 1, "aside"],
        ["screening", "papers screened", 4, "flow"],
        ["screening", "excluded on title and abstract", 1, "aside"],
        ["screening", "off topic", 1, "reason"],
        ["screening", "awaiting full-text assessment", 1, "aside"],
        ["screening", "full texts assessed", 2, "flow"],
        ["screening", "excluded on full text", 1, "aside"],
        ["screening", "wrong population", 1, "reason"],
        ["included", "papers included", 1, "flow"],
    ]
    _adds_up(flow)


def _adds_up(flow: pd.DataFrame) -> None:
    """Every main box is the one above minus what left the flow between them."""
    boxes, left = [], 0
    for _, _, count, kind in flow.values.tolist():
        if kind == "flow":
            assert not boxes or boxes[-1] - left == count
            boxes.append(count)
            left = 0
        elif kind == "aside":
            left += count


def test_retracted_papers_not_screened_are_counted_as_removed_before_screening(papers):
    # papers PubMed flags retracted were counted as "not yet screened" like any other, the flow not saying
    # that any was retracted; now those without a decision are PRISMA 2020's records removed before screening
    flagged = papers.assign(quality_flags=[["retracted"], [], ["retracted", "no-abstract"], [], ["retracted"]])
    decisions = _decisions(("a", None, "include", None), ("b", None, "exclude", "off topic"))
    with pytest.warns(UserWarning) as caught:
        flow = prisma_flow(flagged, decisions)
    assert flow.values.tolist() == IDENTIFICATION + [
        ["screening", "retracted, removed before screening", 2, "aside"],
        ["screening", "not yet screened", 1, "aside"],
        ["screening", "papers screened", 2, "flow"],
        ["screening", "excluded on title and abstract", 1, "aside"],
        ["screening", "off topic", 1, "reason"],
        ["included", "papers included", 1, "flow"],
    ]
    _adds_up(flow)
    assert [str(w.message) for w in caught] == [
        "1 paper(s) included are flagged retracted: 'a'; exclude them (reason: retracted) unless the review means to "
        "keep them"]
    # a retracted paper screened counts where its decision puts it; none left: no row, and no warning
    decided = _decisions(("a", None, "exclude", "retracted"), ("c", "full-text", "exclude", "retracted"),
                         ("e", None, "include", None), ("e", "full-text", "exclude", "retracted"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        two_stage = prisma_flow(flagged, decided).set_index("label")["count"]
    assert "retracted, removed before screening" not in two_stage.index
    assert two_stage[["not yet screened", "papers screened", "excluded on title and abstract",
                      "excluded on full text", "papers included"]].tolist() == [2, 3, 1, 2, 0]
    # the diagram shows the count beside the papers after duplicates removed
    texts = [t.get_text() for t in plot_prisma_flow(flow).texts]
    assert "Retracted, removed before screening (n\xa0=\xa02)\nNot yet screened (n\xa0=\xa01)" in texts


def test_retracted_papers_the_flow_removes_are_not_offered_nor_counted_as_left(papers):
    # the flow counts a retracted paper without a decision as removed before screening; the ranking still offered
    # it, and the progress and the stopping rule counted it among the papers left to screen
    from litreview.analysis.screening_session import status_line
    from litreview.analysis.stopping import stopping_p_values
    from litreview.report.screening_sections import progress_summary

    flagged = papers.assign(quality_flags=[[], [], ["retracted"], [], ["retracted"]])
    decisions = _decisions(("a", None, "include", None), ("b", None, "exclude", "off topic"))
    assert lr.rank_for_screening(flagged, decisions)["id"].tolist() == ["d"]
    assert sorted(lr.rank_for_screening(papers, decisions)["id"]) == ["c", "d", "e"]
    progress = lr.screening_progress(flagged, decisions)
    row = progress.iloc[0]
    assert {k: int(row[k]) for k in ("papers", "screened", "left", "retracted")} == {
        "papers": 5, "screened": 2, "left": 1, "retracted": 2}
    assert row["stop_p_value"] == round(float(stopping_p_values([1, 0], 3)[-1]), 4)  # 3 papers to screen, not 5
    assert row["stop_p_value"] != round(float(stopping_p_values([1, 0], 5)[-1]), 4)
    assert status_line(progress).startswith("screened 2 of 3 · included 1 · ")
    assert status_line(progress).endswith(" · 2 retracted, not offered")
    summary = str(progress_summary(progress))
    assert summary.startswith("2 of the 3 papers are screened: 1 included, 1 excluded; 1 paper left.")
    assert summary.endswith("2 papers flagged retracted by their source are not offered for screening: the flow "
                            "report counts them as removed before screening.")
    # a progress row without the count (made before it, or joined with such rows: missing) counts none
    older = progress.assign(retracted=float("nan"))
    assert status_line(older).startswith("screened 2 of 5 · ") and "retracted" not in status_line(older)
    assert str(progress_summary(older)).startswith("2 of the 5 papers are screened")
    # the flow report's papers still to screen leave them out too, and say so
    from litreview.report.screening_sections import still_to_screen

    left = still_to_screen(flagged, decisions)
    assert left.parts[0].markdown == ("1 paper without a decision; the first rows of a template to fill in: 2 papers "
                                      "flagged retracted and not decided are left out: the flow counts them as "
                                      "removed before screening.")
    assert left.parts[1].frame["id"].tolist() == ["d"]
    everything = _decisions(("a", None, "include", None), ("b", None, "exclude", "x"), ("d", None, "exclude", "x"))
    assert still_to_screen(flagged, everything).markdown.startswith("Every paper to screen has a decision. 2 papers")
    assert still_to_screen(papers, everything.iloc[:0]).parts[1].frame["id"].tolist() == list("abcde")
    # a decisions table naming a paper by its earlier title: id is read as the flow reads it, in the ranking
    # (which refused it as not in the papers table) and the progress (which counted it, and the paper as set aside)
    earlier = _decisions(("a", None, "include", None), ("title:prompt-tuning", None, "exclude", "retracted"))
    assert lr.rank_for_screening(flagged, earlier)["id"].tolist() == ["b", "d"]
    assert int(lr.screening_progress(flagged, earlier).iloc[0]["retracted"]) == 1
    assert int(lr.screening_progress(flagged, earlier).iloc[0]["left"]) == 2
    # a retracted paper with a decision is screened as any other
    decided = _decisions(("a", None, "include", None), ("c", None, "exclude", "retracted"))
    assert lr.rank_for_screening(flagged, decided)["id"].tolist() == ["b", "d"]
    assert int(lr.screening_progress(flagged, decided).iloc[0]["retracted"]) == 1


def test_a_paper_screened_by_its_earlier_title_id_and_assessed_by_its_id_is_one_paper_in_ranking_and_progress(
        papers):
    # the ranking and the progress resolved the title: id after reading the stages, so the full-text decision by
    # the paper's id now read as a second title-and-abstract decision of it: a ValueError where the flow counts it
    import warnings

    flagged = papers.assign(quality_flags=[[], [], ["retracted"], [], ["retracted"]])
    decisions = _decisions(("a", None, "include", None), ("title:prompt-tuning", None, "include", None),
                           ("c", "full-text", "exclude", "off topic"), ("title:adapters", None, "", None))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (the flow warns of the title: id it reads as c)
        flow = prisma_flow(flagged, decisions).set_index("label")["count"]
    assert flow[["retracted, removed before screening", "not yet screened", "papers screened"]].tolist() == [1, 2, 2]
    assert lr.rank_for_screening(flagged, decisions)["id"].tolist() == ["d", "b"]
    row = lr.screening_progress(flagged, decisions).iloc[0]
    assert {k: int(row[k]) for k in ("screened", "included", "left", "retracted")} == {
        "screened": 2, "included": 2, "left": 2, "retracted": 1}
    # the flow report's papers still to screen read it as the paper's too: not a retracted paper left out
    from litreview.report.screening_sections import still_to_screen

    earlier = _decisions(("a", None, "include", None), ("title:prompt-tuning", None, "exclude", "x"))
    left = still_to_screen(flagged, earlier)
    assert left.parts[0].markdown.startswith("2 papers without a decision; the first rows of a template to fill in: "
                                             "1 paper flagged retracted and not decided is left out")
    assert left.parts[1].frame["id"].tolist() == ["b", "d"]
    # a paper decided by both ids at one stage is still refused, as the flow refuses it
    twice = _decisions(("title:prompt-tuning", None, "include", None), ("c", "title-abstract", "exclude", "x"))
    for read in (lr.rank_for_screening, lr.screening_progress):
        with pytest.raises(ValueError, match="'title:prompt-tuning' is the paper 'c'"):
            read(flagged, twice)


def test_prisma_flow_decisions_for_unknown_ids(papers):
    decisions = _decisions(("a", None, "include", None), ("zz", None, "include", None), ("yy", None, "include", None))
    message = ("2 screened id(s) are not in the papers table and are left out of the flow: 'yy', 'zz'; a changed id "
               "(lr.enrich can turn a title: id into arxiv:) needs its decision moved to the new id")
    with pytest.warns(UserWarning) as caught:
        flow = prisma_flow(papers, decisions)
    assert [str(w.message) for w in caught] == [message]
    assert flow.set_index("label").loc["papers screened", "count"] == 1
    with pytest.raises(ValueError, match=r"^2 screened id\(s\) are not in the papers table"):
        prisma_flow(papers, decisions, unknown_ids="raise")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert prisma_flow(papers, decisions, unknown_ids="ignore").equals(flow)


def _stopped_review(tmp_path, relevant_first: bool):
    """130 papers loaded from a CSV; a decisions file of 20 includes and 100 excludes, includes first or last in
    the file.  The includes' ids sort last, so a file's order and its ids' order disagree."""
    rows = [f"Zeta study {i:03d} of prompts" for i in range(20)] + [f"Alpha note {i:03d} on graphs" for i in range(110)]
    corpus = tmp_path / "review.csv"
    corpus.write_text("title,year\n" + "".join(f"{t},2020\n" for t in rows))
    papers = lr.load(corpus, progress=False)
    ids = dict(zip(papers["title"], papers["id"]))
    includes = [f"{ids[t]},include," for t in rows[:20]]
    excludes = [f"{ids[t]},exclude,off topic" for t in rows[20:120]]
    lines = includes + excludes if relevant_first else excludes + includes
    decisions = tmp_path / "decisions.csv"
    decisions.write_text("id,decision,reason\n" + "\n".join(lines) + "\n")
    return papers, decisions


def test_a_review_stopped_by_the_stopping_rule_reports_the_papers_left_as_not_screened(tmp_path):
    papers, decisions = _stopped_review(tmp_path, relevant_first=True)
    flow = prisma_flow(papers, decisions, stopped=True).set_index("label")
    assert flow.loc["not screened: stopping rule met"].tolist() == ["screening", 10, "aside"]
    assert "not yet screened" not in flow.index
    assert flow.loc[["papers screened", "papers included"], "count"].tolist() == [120, 20]
    # a table from lr.read_decisions holds the order screened in its line column, whatever its row order
    table = lr.read_decisions(decisions).sort_values("id")
    assert prisma_flow(papers, table, stopped=True).equals(flow.reset_index()[prisma_flow(papers, table).columns])
    unstopped = prisma_flow(papers, decisions).set_index("label")
    assert unstopped.loc["not yet screened", "count"] == 10


def test_stopped_is_refused_when_the_rule_does_not_allow_stopping(tmp_path):
    papers, decisions = _stopped_review(tmp_path, relevant_first=False)  # the includes found last: no stop
    with pytest.raises(ValueError) as info:
        prisma_flow(papers, decisions, stopped=True)
    assert str(info.value) == (
        "stopped=True, but the stopping rule does not allow stopping after these 120 title-and-abstract decisions "
        "of 130 papers (p = 0.53; it must be below 0.05, the decisions taken in the order screened): report the "
        "papers left as not yet screened (stopped=False), or screen on"
    )
    assert prisma_flow(papers, decisions).set_index("label").loc["not yet screened", "count"] == 10
    with pytest.raises(TypeError, match="^stopped must be True or False, not 'yes'$"):
        prisma_flow(papers, decisions, stopped="yes")


def test_stopped_reads_a_table_as_the_flow_does(tmp_path):
    papers, decisions = _stopped_review(tmp_path, relevant_first=True)
    table = pd.read_csv(decisions, dtype=str, keep_default_na=False)
    padded = table.assign(id=" " + table["id"], decision=table["decision"].str.upper())  # (as a spreadsheet may)
    # (the rule was checked on the raw ids: none in the corpus, so "after these 0 decisions")
    assert prisma_flow(papers, padded, stopped=np.bool_(True)).equals(prisma_flow(papers, decisions, stopped=True))
    empty = pd.DataFrame({"id": [], "stage": [], "decision": [], "reason": []})  # (float columns: an AttributeError)
    with pytest.raises(ValueError, match=r"after these 0 title-and-abstract decisions of 130 papers \(p = 1.00;"):
        prisma_flow(papers, empty, stopped=True)
    assert lr.screening_progress(papers, empty)["screened"].tolist() == [0]


def test_prisma_flow_validates(papers):
    decisions = _decisions(("a", None, "include", None))
    with pytest.raises(ValueError, match="^unknown_ids must be 'warn', 'raise' or 'ignore', not 'skip'$"):
        prisma_flow(papers, decisions, unknown_ids="skip")
    with pytest.raises(ValueError, match=r"^1 paper\(s\) have an empty provenance; prisma_flow counts"):
        prisma_flow(pd.concat([papers, to_frame([{"id": "f", "title": "Made by hand"}])]), decisions)
    with pytest.raises(ValueError, match="^decisions row 0: decision 'in' for 'a' is not one of: include, exclude$"):
        prisma_flow(papers, _decisions(("a", None, "in", None)))


def test_prisma_flow_refuses_to_guess_without_the_load_account(papers, tmp_path, monkeypatch):
    monkeypatch.setenv("LITREVIEW_CACHE", str(tmp_path))  # an empty account folder
    decisions = _decisions(("a", None, "include", None))
    unaccounted = papers.copy()
    unaccounted.attrs = {}  # as pd.concat or DataFrame.merge leave it
    with pytest.raises(ValueError) as info:
        prisma_flow(unaccounted, decisions)
    assert str(info.value) == (
        "prisma_flow cannot count the unreadable records: no load account for x.bib, y.ris, z.csv: pandas dropped "
        "the table's account (pd.concat and DataFrame.merge do) and it is not on disk for these files as they are "
        "now (moved, changed since loading, or not loaded by lr.load). Pass the table lr.load returned (or a "
        "selection of it), or the load problems explicitly: prisma_flow(papers, decisions, "
        "problems=lr.load_problems(loaded)) (pd.concat the problem tables of several loads; a table with columns "
        "file, line, severity, message and no rows when nothing was skipped)"
    )
    # given explicitly, the same flow as with the account
    explicit = prisma_flow(unaccounted, decisions, problems=pd.DataFrame(PROBLEMS, columns=PROBLEM_COLUMNS))
    assert explicit.equals(prisma_flow(papers, decisions))
    assert explicit.values.tolist()[:7] == IDENTIFICATION
    nothing_skipped = prisma_flow(unaccounted, decisions, problems=pd.DataFrame(columns=PROBLEM_COLUMNS))
    assert nothing_skipped.set_index("label").loc["unreadable records skipped", "count"] == 0
    with pytest.raises(ValueError, match=r"^problems lacks column\(s\) \['file', 'severity'\]"):
        prisma_flow(unaccounted, decisions, problems=pd.DataFrame({"x": [1]}))


def test_prisma_flow_of_the_default_corpus_and_the_example_screening():
    flow = prisma_flow(lr.load(), EXAMPLE, unknown_ids="raise")
    assert flow.values.tolist() == [
        ["identification", "records identified", 74, "flow"],
        ["identification", "data/raw/arxiv_abstracts.txt", 39, "source"],
        ["identification", "data/raw/arxiv_roundup_2023-05-28.txt", 23, "source"],
        ["identification", "data/raw/llm_digest.txt", 9, "source"],
        ["identification", "data/raw/iclr_publications.txt", 3, "source"],
        ["identification", "duplicates removed", 0, "aside"],
        ["identification", "unreadable records skipped", 0, "aside"],
        ["screening", "papers after duplicates removed", 74, "flow"],
        ["screening", "not yet screened", 58, "aside"],
        ["screening", "papers screened", 16, "flow"],
        ["screening", "excluded on title and abstract", 6, "aside"],
        ["screening", "not about language models", 3, "reason"],
        ["screening", "news item, not a research paper", 1, "reason"],
        ["screening", "no parameter-efficient method", 1, "reason"],
        ["screening", "survey, not primary research", 1, "reason"],
        ["screening", "awaiting full-text assessment", 1, "aside"],
        ["screening", "full texts assessed", 9, "flow"],
        ["screening", "excluded on full text", 2, "aside"],
        ["screening", "pre-training method, not adaptation of a pretrained model", 1, "reason"],
        ["screening", "tool use; parameter efficiency not studied", 1, "reason"],
        ["included", "papers included", 7, "flow"],
    ]


def test_prisma_flow_counts_merges_and_skipped_records_of_a_real_load():
    data = EXAMPLE.parent.parent
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", lr.LoadWarning)  # the RIS example's record without TY is kept, flagged
        papers = lr.load([data / "raw", data / "examples" / "my_library.bib", data / "examples" / "my_library.ris"],
                         errors="skip")
    flow = prisma_flow(papers, EXAMPLE).set_index("label")["count"]
    assert flow[["records identified", "data/examples/my_library.bib", "data/examples/my_library.ris"]].tolist() == [
        82, 5, 3]
    assert flow[["duplicates removed", "unreadable records skipped", "papers after duplicates removed"]].tolist() == [
        5, 1, 76]
    assert len(lr.merge_log(papers)) == 5


# -- plot_prisma_flow ------------------------------------------------------------------------------------------------


def test_plot_prisma_draws_boxes_arrows_and_sections():
    flow = prisma_flow(lr.load(), EXAMPLE)
    ax = plot_prisma_flow(flow, title="Example review")
    assert isinstance(ax, Axes)
    # 5 main boxes, 4 side boxes, 4 arrows across, 4 arrows down, 3 section bands
    assert len(ax.patches) == 5 + 4 + 4 + 4 + 3
    texts = [t.get_text().replace("\u00a0", " ") for t in ax.texts]
    assert texts[0] == "Example review"
    assert texts[1].splitlines() == [
        "Records identified (n = 74)",
        "  data/raw/arxiv_abstracts.txt (n = 39)",
        "  data/raw/arxiv_roundup_2023-05-28.txt (n = 23)",
        "  data/raw/llm_digest.txt (n = 9)",
        "  data/raw/iclr_publications.txt (n = 3)",
    ]
    assert texts[2].splitlines() == ["Duplicates removed (n = 0)", "Unreadable records skipped (n = 0)"]
    assert texts[-3:] == ["Identification", "Screening", "Included"]
    assert texts[-4] == "Papers included (n = 7)"


def test_plot_prisma_sums_details_beyond_the_limit_and_checks_its_table():
    flow = pd.DataFrame(
        [("identification", "records identified", 6, "flow")]
        + [("identification", f"file{i}.bib", 1, "source") for i in range(6)]
        + [("included", "papers included", 6, "flow")],
        columns=["stage", "label", "count", "kind"],
    )
    ax = plot_prisma_flow(flow, max_details=4)
    assert len(ax.patches) == 2 + 1 + 2  # two boxes, one arrow down, two section bands
    lines = ax.texts[0].get_text().replace("\u00a0", " ").splitlines()
    assert lines[-2:] == ["  file3.bib (n = 1)", "  2 more (n = 2)"]
    with pytest.raises(ValueError, match="^flow must be a table from prisma_flow"):
        plot_prisma_flow(flow.assign(kind="box"))
    with pytest.raises(ValueError, match=r"^flow lacks column\(s\) \['kind'\]"):
        plot_prisma_flow(flow.drop(columns="kind"))


def test_the_plain_cells_record_for_the_paper_named_never_the_one_ranked_first(tmp_path):
    from litreview.report.screening_sections import record_from_parameters

    papers = lr.load()
    path = tmp_path / "mine.csv"
    assert repr(record_from_parameters(path, "", "", "", papers)).startswith("Nothing recorded: to decide on")
    with pytest.raises(ValueError, match=r"^record='include' needs paper=<id>, the id of the paper you read"):
        record_from_parameters(path, "", "include", "", papers)
    said = record_from_parameters(path, "arxiv:2106.09685", "Include", "", papers)
    assert repr(said) == ("Recorded include for arxiv:2106.09685 on line 2 of mine.csv; the paper shown is the next "
                          "one to decide.")
    assert path.read_text().splitlines() == ["id,decision,reason", "arxiv:2106.09685,include,"]


def test_the_kits_own_example_decisions_are_never_written_into():
    from litreview.data import data_dir

    example = data_dir() / "examples" / "screening_example.csv"
    before = example.read_bytes()
    with pytest.raises(ValueError, match=r"this is one of the kit's own example files, not yours to screen into"):
        lr.record_decision(example, "arxiv:2106.09685", "include", papers=lr.load())
    assert example.read_bytes() == before


def test_the_flow_report_says_why_retracted_papers_left_before_screening(papers):
    from litreview.report import screening_sections as ss

    flagged = papers.assign(quality_flags=[[], [], ["retracted"], [], ["retracted"]])
    text = repr(ss.prisma_section(prisma_flow(flagged, _decisions(("a", None, "include", None)))))
    assert ("2 papers flagged retracted by their source and not screened are reported as removed before screening "
            "(PRISMA 2020's records removed for other reasons)") in text
    assert "retracted" not in repr(ss.prisma_section(prisma_flow(papers, _decisions(("a", None, "include", None)))))
