"""Prioritised screening: ranking, simulation and its figures, the stopping rule, the decisions log, two reviewers."""

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import litreview as lr
from litreview.schema import to_frame

CAT = ["Cats purr loudly", "Feline purring and whiskers", "Whiskers of cats", "Purring felines at night",
       "Cats, whiskers and purring"]
TAX = ["Tax law reform", "Income tax rates", "Property tax appeals", "Tax courts and appeals", "Reform of income law",
       "Corporate tax havens", "Tax havens and law", "Appeals of property law", "Rates of corporate income",
       "Courts of law"]


def _review():
    """A perfectly separable review: the five cat papers are relevant, the ten tax papers are not."""
    titles = CAT + TAX
    papers = pd.DataFrame({"id": [f"p{i:02d}" for i in range(len(titles))], "title": titles,
                           "abstract": [None] * len(titles)})
    labels = pd.Series([1] * len(CAT) + [0] * len(TAX), index=papers.index)
    return papers, labels


def _simulation(labels):
    return pd.DataFrame({"step": range(1, len(labels) + 1), "id": [f"r{i}" for i in range(len(labels))],
                         "label": labels, "prior": [True] * 2 + [False] * (len(labels) - 2)})


# -- ranking and simulation ----------------------------------------------------------------------------------------


def test_a_separable_review_is_screened_relevant_first():
    papers, labels = _review()
    order = lr.simulate_screening(papers, labels, prior=["p02", "p10"], seed=0)
    assert order.columns.tolist() == ["step", "id", "label", "prior"]
    assert order["step"].tolist() == list(range(1, 16))
    assert order["id"].tolist()[:2] == ["p02", "p10"]
    assert order["prior"].tolist() == [True, True] + [False] * 13
    assert order["label"].tolist() == [1, 0, 1, 1, 1, 1] + [0] * 9
    assert sorted(order["id"]) == sorted(papers["id"])


def test_a_simulation_without_prior_records_starts_from_nothing_known():
    # prior defaults to none: this raised "IndexError: arrays used as indices must be of integer (or boolean) type"
    papers, labels = _review()
    order = lr.simulate_screening(papers, labels, seed=0)
    assert order["prior"].tolist() == [False] * 15 and sorted(order["id"]) == sorted(papers["id"])
    assert order.equals(lr.simulate_screening(papers, labels, seed=0))
    assert order["label"].tolist() == [0, 0, 0, 0, 1, 1, 1, 1, 1] + [0] * 6  # (a seeded shuffle until a cat is found)


@pytest.mark.parametrize("model", ["logistic", "svm", "naive_bayes"])
def test_every_model_finds_the_cats_first_and_is_deterministic(model):
    papers, labels = _review()
    first = lr.simulate_screening(papers, labels, prior=["p00", "p05"], seed=3, model=model)
    again = lr.simulate_screening(papers, labels, prior=["p00", "p05"], seed=3, model=model)
    assert first.equals(again)
    assert first["label"].tolist()[2:6] == [1, 1, 1, 1]


def test_rank_for_screening_returns_the_unscreened_with_the_words_that_drove_them():
    papers, _ = _review()
    decisions = pd.DataFrame({"id": ["p00", "p05"], "decision": ["include", "exclude"], "reason": [None, "tax"]})
    ranked = lr.rank_for_screening(papers, decisions, seed=0)
    assert ranked.columns.tolist() == ["id", "title", "score", "terms"]
    assert len(ranked) == 13 and not ranked["id"].isin(["p00", "p05"]).any()
    assert set(ranked["id"][:4]) == {"p01", "p02", "p03", "p04"}
    assert ranked["score"].is_monotonic_decreasing
    assert ranked.set_index("id").loc["p04", "terms"].split(", ")[0] in {"cats", "purring", "whiskers"}
    assert ranked.set_index("id").loc["p14", "terms"] == ""  # "Courts of law" shares nothing with the cats


@pytest.mark.parametrize("read, text, message", [
    (lambda papers, path: lr.rank_for_screening(papers, path),
     "id,decision,reason\np00,include,\np99,exclude,off topic\n",
     "{path}:3: id 'p99' is not in the papers table; correct the id on this line (or load the corpus it was "
     "screened in)"),
    # (a row written with another delimiter: its include would read as "not screened yet", and be lost)
    (lambda papers, path: lr.read_decisions(path, papers), "id,decision,reason\np00,include,\np01;include;\n",
     "{path}:3: the row has 1 field(s), the header 3: it seems written with another delimiter (';'); write it as "
     "the header is"),
])  # fmt: skip
def test_a_bad_decisions_line_is_named_with_its_file_and_line(tmp_path, read, text, message):
    papers, _ = _review()
    path = tmp_path / "decisions.csv"
    path.write_text(text)
    with pytest.raises(ValueError) as caught:
        read(papers, path)
    assert str(caught.value) == message.format(path=path)


def test_before_anything_relevant_is_known_the_order_is_random_but_seeded():
    papers, _ = _review()
    none = pd.DataFrame({"id": ["p05"], "decision": ["exclude"], "reason": ["tax"]})
    a, b = (lr.rank_for_screening(papers, none, seed=1)["id"].tolist() for _ in range(2))
    assert a == b and sorted(a) == sorted(set(papers["id"]) - {"p05"})
    assert lr.rank_for_screening(papers, none, seed=2)["id"].tolist() != a


@pytest.mark.parametrize(
    "labels, message",
    [
        (pd.Series([1, 0]), "labels are not aligned with papers: 2 labels for 15 papers, 13 paper index value(s) "
                            "without a label (e.g. [2, 3, 4]) and 0 label(s) for no paper (e.g. []); pass "
                            "pd.Series(values, index=papers.index)"),
        ([1] * 14, "labels has 14 values for 15 papers; pass one label per paper, in the order of its rows"),
        ([1] * 14 + ["yes"], "label 'yes' for paper 'p14' (row 14) is not 0 or 1; labels say 1 (relevant) or 0 "
                             "(irrelevant) for every paper (1 do not)"),
    ],
)
def test_labels_that_do_not_line_up_are_one_clear_error(labels, message):
    papers, _ = _review()
    with pytest.raises(ValueError) as caught:
        lr.simulate_screening(papers, labels, prior=["p00"])
    assert str(caught.value) == message


def test_bad_priors_and_parameters_are_named():
    papers, labels = _review()
    with pytest.raises(ValueError, match=r"^prior id\(s\) \['nope'\] are not in papers\['id'\]"):
        lr.simulate_screening(papers, labels, prior=["nope"])
    with pytest.raises(TypeError, match="^prior must be a list of paper ids, not str"):
        lr.simulate_screening(papers, labels, prior="p00")
    with pytest.raises(ValueError, match=r"^model must be one of logistic, svm, naive_bayes; not 'forest'"):
        lr.simulate_screening(papers, labels, prior=["p00"], model="forest")


def test_refitting_in_batches_still_screens_every_record_once():
    papers, labels = _review()
    order = lr.simulate_screening(papers, labels, prior=["p00", "p05"], refit_every=4)
    assert sorted(order["id"]) == sorted(papers["id"])
    assert order["label"].tolist()[:6] == [1, 0, 1, 1, 1, 1]


# -- figures -------------------------------------------------------------------------------------------------------


def test_figures_match_a_hand_computation():
    # N = 10, R = 3; the third relevant record is the 6th screened
    simulation = _simulation([1, 0, 1, 0, 0, 1, 0, 0, 0, 0])
    assert lr.records_needed(simulation, 0.95) == 6  # ceil(0.95 * 3) = 3 relevant
    assert lr.records_needed(simulation, 0.5) == 3  # ceil(1.5) = 2
    assert lr.wss(simulation, 0.95) == pytest.approx((10 - 6) / 10 - 0.05)
    assert lr.wss(simulation, 1.0) == pytest.approx(0.4)
    assert lr.recall_after(simulation, 0.10) == pytest.approx(1 / 3)  # the first record
    assert lr.recall_after(simulation, 0.30) == pytest.approx(2 / 3)
    metrics = lr.screening_metrics(simulation)
    assert metrics.columns.tolist() == ["records", "relevant", "wss@95", "wss@100", "recall@10%", "needed_for_95%",
                                        "needed_for_100%"]
    assert metrics.iloc[0].tolist() == pytest.approx([10, 3, 0.35, 0.4, 1 / 3, 6, 6])
    curve = lr.recall_curve(simulation)
    assert curve["found"].tolist() == [1, 1, 2, 2, 2, 3, 3, 3, 3, 3]
    assert curve["recall"].tolist() == pytest.approx([1 / 3, 1 / 3, 2 / 3, 2 / 3, 2 / 3, 1, 1, 1, 1, 1])
    assert curve["random_recall"].tolist() == pytest.approx([i / 10 for i in range(1, 11)])


def test_the_recall_curve_plots_the_simulation_beside_random_order():
    simulation = _simulation([1, 0, 1, 0, 0, 1, 0, 0, 0, 0])
    ax = lr.plot_recall_curve(simulation, label="kit")
    kit, random_order = ax.get_lines()[:2]
    assert kit.get_label() == "kit" and random_order.get_label() == "random order"
    assert kit.get_xdata().tolist() == pytest.approx([0] + [i / 10 for i in range(1, 11)])
    assert kit.get_ydata().tolist() == pytest.approx([0, 1 / 3, 1 / 3, 2 / 3, 2 / 3, 2 / 3, 1, 1, 1, 1, 1])
    assert random_order.get_xdata().tolist() == [0, 1] and random_order.get_ydata().tolist() == [0, 1]
    assert list(ax.get_lines()[2].get_xdata()) == [0.6, 0.6]  # 95% recall after 6 of 10
    assert ax.get_xlabel() == "share of records screened" and ax.get_title() == "Recall curve"


def test_read_labelled_review(tmp_path):
    path = tmp_path / "review.csv"
    path.write_text("record_id,title,abstract,label_included\n7,A,x,1\n8,B,,0.0\n")
    papers, labels = lr.read_labelled_review(path)
    assert papers[["id", "title"]].to_dict("list") == {"id": ["7", "8"], "title": ["A", "B"]}
    assert papers["abstract"].iloc[0] == "x" and papers["abstract"].isna().iloc[1]
    assert labels.tolist() == [1, 0] and labels.index.equals(papers.index)
    path.write_text("record_id,title,abstract,label_included\n7,A,x,1\n8,B,,\n")
    with pytest.raises(ValueError) as caught:
        lr.read_labelled_review(path)
    assert str(caught.value) == (f"{path}: record '8' (data row 2) has label_included ''; write 1 (relevant) or 0 "
                                 "(irrelevant) on every row (1 row(s) lack one)")


def test_a_file_that_is_not_a_labelled_review_gets_a_clear_error(tmp_path):
    layout = "a labelled review is a CSV file with columns record_id, title, abstract and label_included"
    ris = tmp_path / "refs.ris"
    ris.write_text("TY  - JOUR\nTI  - A, b\nER  - \n\nTY  - JOUR\nTI  - C, d, e\nER  - \n")
    with pytest.raises(ValueError) as caught:
        lr.read_labelled_review(ris)
    assert str(caught.value) == (f"{ris}: the header lacks column(s) ['record_id', 'label_included']; {layout} "
                                 "(ASReview's layout: a reference file such as RIS or BibTeX holds no labels); found "
                                 "['TY  - JOUR']")
    broken = tmp_path / "broken.csv"
    broken.write_text('record_id,title,abstract,label_included\n1,"never closed,x,1\n')
    with pytest.raises(ValueError) as caught:
        lr.read_labelled_review(broken)
    assert str(caught.value) == (f"{broken}: cannot be read as a CSV file (Error tokenizing data. C error: EOF "
                                 f"inside string starting at row 1); {layout}")


# -- stopping ------------------------------------------------------------------------------------------------------


def test_the_stopping_rule_matches_a_hand_computation():
    labels = [1] * 5 + [0] * 20
    # 975 records unscreened: the last 20 (no relevant one) are the strongest evidence; under "recall < 95%"
    # at least 1 relevant record is among those 20 + 975, so P(none in 20 draws) = 1 - 20/995
    assert lr.stopping_test(labels, 1000)["p_value"].iloc[-1] == pytest.approx(975 / 995)
    assert lr.stopping_point(labels, 1000) is None
    # 30 irrelevant after the fifth relevant, in a review of 35: after k of them, 30 - k are left, and under
    # "recall < 95%" one relevant record hides among the last k + (30 - k); P(none in k draws) = 1 - k/30
    labels = [1] * 5 + [0] * 30
    test = lr.stopping_test(labels, 35)
    assert test.columns.tolist() == ["screened", "found", "p_value", "stop"]
    assert test["p_value"].iloc[32] == pytest.approx(2 / 30)  # k = 28: not yet below 0.05
    assert test["p_value"].iloc[33] == pytest.approx(1 / 30)  # k = 29
    assert test["stop"].tolist() == [False] * 33 + [True, True]
    assert lr.stopping_point(labels, 35) == 34
    assert lr.stopping_test([0, 0], 10)["p_value"].tolist() == [1.0, 1.0]  # nothing found: no recall to test


def test_remaining_relevant_estimate():
    left = lr.remaining_relevant([1] * 5 + [0] * 45, 1050)
    assert left["screened"] == 50 and left["found"] == 5
    assert left["estimate"] == 100.0  # 5 relevant in the last 50, times 1000 left
    assert left["estimate"] < left["upper"] < 1000


def test_stopping_behaviour_on_a_simulation():
    simulation = _simulation([1] * 5 + [0] * 30)
    row = lr.stopping_behaviour(simulation).iloc[0]
    assert row.to_dict() == {"records": 35, "relevant": 5, "stopped_after": 34, "share_screened": 34 / 35,
                             "found": 5, "recall": 1.0, "target_met": True}


def test_stopping_parameters_are_checked():
    with pytest.raises(ValueError, match=r"^recall_target must be a number between 0 and 1 \(e.g. 0.95\), not 95"):
        lr.stopping_test([1, 0], 10, recall_target=95)
    with pytest.raises(ValueError, match="^total must be a whole number of records, at least the 2 screened"):
        lr.stopping_test([1, 0], 1)


# -- the decisions log ---------------------------------------------------------------------------------------------


def test_decisions_are_appended_and_read_back_in_order(tmp_path):
    papers, _ = _review()
    path = tmp_path / "decisions.csv"
    assert lr.read_decisions(path).empty  # no file yet: a screening not begun
    assert lr.record_decision(path, "p03", "include", papers=papers) == 2
    assert lr.record_decision(path, "p01", "Exclude", "off topic", papers=papers) == 3
    assert path.read_text() == "id,decision,reason\np03,include,\np01,exclude,off topic\n"
    table = lr.read_decisions(path, papers)
    assert table[["id", "decision", "reason", "line"]].values.tolist() == [
        ["p03", "include", None, 2], ["p01", "exclude", "off topic", 3]]


@pytest.mark.parametrize(
    "call, message",
    [
        (("p03", "include"), "{f}:2: 'p03' is already decided (include); edit that line to change it"),
        (("p04", "maybe"), "decision must be one of include, exclude; not 'maybe'"),
        (("p04", "exclude"), "excluding 'p04' needs a reason (the PRISMA flow counts exclusions by reason)"),
        (("p99", "include"), "'p99' is not in the papers table; record decisions for ids of papers['id']"),
    ],
)
def test_a_refused_decision_leaves_the_file_as_it_was(tmp_path, call, message):
    papers, _ = _review()
    path = tmp_path / "decisions.csv"
    lr.record_decision(path, "p03", "include", papers=papers)
    before = path.read_bytes()
    with pytest.raises(ValueError) as caught:
        lr.record_decision(path, *call, papers=papers)
    assert str(caught.value) == message.format(f=path)
    assert path.read_bytes() == before


def test_a_bad_decisions_file_lists_every_problem_with_its_line_and_fix(tmp_path):
    papers, _ = _review()
    path = tmp_path / "decisions.csv"
    path.write_text("id,decision,reason\np00,include,\np99,include,\np01,perhaps,\np00,include,\n")
    with pytest.raises(ValueError) as caught:
        lr.read_decisions(path, papers)
    assert str(caught.value) == (
        f"{path}: 3 problems in the screening decisions:\n"
        f"  {path}:3: id 'p99' is not in the papers table; correct the id on this line (or load the corpus it was "
        "screened in)\n"
        f"  {path}:4: decision 'perhaps' for 'p01' is not one of: include, exclude\n"
        f"  {path}:5: 'p00' already has a decision at {path}:2; delete one of the two lines (keep the one you mean)"
    )  # (in line order, though the decision checks run after the row checks)


def test_a_pubmed_id_or_doi_for_a_paper_names_the_id_to_use(tmp_path):
    # a PubMed reviewer names papers by PMID: "'pmid:34000002' is not in the papers table; record decisions for
    # ids of papers['id']" did not say which id that paper has
    papers = pd.DataFrame({"id": ["doi:10.1056/nejmx210003", "title:a-trial"], "title": ["Erratum.", "A trial."],
                           "doi": ["10.1056/nejmx210003", None],
                           "external_ids": [["pmid:34000002"], ["pmid:31722040", "pmcid:PMC7745181"]]})
    path = tmp_path / "decisions.csv"
    for named, paper in [("pmid:34000002", "doi:10.1056/nejmx210003"), ("31722040", "title:a-trial"),
                         ("pmcid:PMC7745181", "title:a-trial"), ("https://doi.org/10.1056/NEJMx210003",
                                                                 "doi:10.1056/nejmx210003")]:
        with pytest.raises(ValueError) as caught:
            lr.record_decision(path, named, "include", papers=papers)
        assert str(caught.value) == (f"{named!r} is not in the papers table; it is the paper {paper!r}: record the "
                                     "decision under that id")
    assert not path.exists()
    # a file keyed so is read as the paper's (tests/test_decision_ids.py); recording names the id to write
    path.write_text("id,decision,reason\npmid:34000002,exclude,erratum\n")
    with pytest.warns(UserWarning, match=r"line 2 'pmid:34000002' as 'doi:10\.1056/nejmx210003'"):
        assert lr.read_decisions(path, papers)["id"].tolist() == ["doi:10.1056/nejmx210003"]


def test_appending_after_a_last_line_without_newline(tmp_path):
    path = tmp_path / "decisions.csv"
    path.write_text("id,decision,reason\na,include,")
    lr.record_decision(path, "b", "exclude", "survey")
    assert path.read_text() == "id,decision,reason\na,include,\nb,exclude,survey\n"


# -- two reviewers -------------------------------------------------------------------------------------------------


def _two_reviewers(tmp_path):
    path = tmp_path / "both.csv"
    path.write_text("id,decision,reason,reviewer\n"
                    "a,include,,ann\nb,exclude,off topic,ann\nc,include,,ann\nd,exclude,survey,ann\n"
                    "a,include,,bob\nb,include,,bob\nc,include,,bob\nd,exclude,survey,bob\ne,include,,bob\n")
    return lr.decisions_by_reviewer(lr.read_decisions(path))


def test_agreement_kappa_and_conflicts_by_hand(tmp_path):
    reviewers = _two_reviewers(tmp_path)
    assert sorted(reviewers) == ["ann", "bob"]
    row = lr.screening_agreement(reviewers["ann"], reviewers["bob"], names=("ann", "bob")).iloc[0]
    # 4 papers both decided, 3 alike: p_o = 0.75; ann includes 2/4, bob 3/4: p_e = 0.5*0.75 + 0.5*0.25 = 0.5
    assert row.to_dict() == {"first": "ann", "second": "bob", "both_screened": 4, "only_first": 0, "only_second": 1,
                             "agreed": 3, "conflicts": 1, "percent_agreement": 75.0, "kappa": 0.5}
    conflicts = lr.screening_conflicts(reviewers["ann"], reviewers["bob"])
    assert conflicts.values.tolist() == [["b", "exclude", "off topic", "include", None]]
    assert lr.cohen_kappa(["include"] * 3, ["include"] * 3) != lr.cohen_kappa(["include"] * 3, ["include"] * 3)  # NaN


def test_resolved_decisions_feed_the_prisma_flow(tmp_path):
    reviewers = _two_reviewers(tmp_path)
    with pytest.raises(ValueError, match=r"^1 conflict\(s\) between the reviewers are not resolved: 'b'; record"):
        lr.resolve_screening(reviewers["ann"], reviewers["bob"])
    with pytest.warns(UserWarning, match="counted as not yet screened"):
        partial = lr.resolve_screening(reviewers["ann"], reviewers["bob"], unresolved="omit")
    assert partial["id"].tolist() == ["a", "c", "d"]
    resolutions = tmp_path / "resolutions.csv"
    lr.record_decision(resolutions, "b", "exclude", "off topic")
    resolved = lr.resolve_screening(reviewers["ann"], reviewers["bob"], resolutions)
    assert resolved.values.tolist() == [
        ["a", "title-abstract", "include", None, False], ["b", "title-abstract", "exclude", "off topic", True],
        ["c", "title-abstract", "include", None, False], ["d", "title-abstract", "exclude", "survey", False]]
    papers = to_frame({"id": i, "title": i.upper(), "source": "x.bib", "provenance": [f"x.bib:{n}"]}
                      for n, i in enumerate("abcde", 1))
    no_problems = pd.DataFrame(columns=["file", "line", "severity", "message"])  # a hand-made table: nothing skipped
    flow = lr.prisma_flow(papers, resolved, problems=no_problems).set_index("label")["count"]
    assert flow["papers screened"] == 4 and flow["not yet screened"] == 1  # e: only bob has read it
    assert flow["excluded on title and abstract"] == 2 and flow["papers included"] == 2


# -- the notebook helpers ------------------------------------------------------------------------------------------


def test_paper_card_escapes_and_highlights():
    card = lr.paper_card({"id": "x1", "title": "Cats <script>alert(1)</script>", "abstract": "Purring cats & dogs"},
                         {"score": 1.234, "terms": "cats, purring"}, position=1)
    assert "<script>" not in card and "&lt;script&gt;" in card
    assert "<h3><mark>Cats</mark> &lt;script&gt;alert(1)&lt;/script&gt;</h3>" in card
    assert "<p><mark>Purring</mark> <mark>cats</mark> &amp; dogs</p>" in card
    assert "model score 1.23" in card and "rank 1" in card


def test_the_next_paper_card_says_a_pubmed_paper_is_retracted(tmp_path):
    # a retracted trial, its retraction notice and an erratum were shown to the screener like any study
    from litreview.report import screening_sections as ss

    (tmp_path / "pubmed.nbib").write_text(
        "PMID- 1\nTI  - Methylphenidate for adults: a randomised trial.\nAB  - Methylphenidate helped adults.\n"
        "PT  - Journal Article\nPT  - Retracted Publication\n\n"
        "PMID- 2\nTI  - Retraction notice: Methylphenidate for adults.\nPT  - Retraction of Publication\n",
        encoding="utf-8")
    papers = lr.load(tmp_path / "pubmed.nbib", progress=False)
    card = ss.next_paper(papers, pd.DataFrame({"id": [papers["id"][0]], "score": [0.5], "terms": [""]})).data
    assert card.startswith('<div class="litreview-paper"><p style="color:#a00"><strong>Retracted: the source lists a '
                           "retraction of this paper.</strong></p><h3>Methylphenidate for adults")
    notice = lr.paper_card(papers.iloc[1].to_dict())
    assert "<strong>A retraction notice, not a study.</strong></p><h3>" in notice
    assert "color:#a00" not in lr.paper_card({"id": "a", "title": "T", "quality_flags": None})


def test_the_paper_card_names_the_first_authors_the_journal_and_the_year():
    # the card showed the title, id and score only: no journal or year, which a health reviewer screens by
    card = lr.paper_card({"id": "a", "title": "T", "authors": ["F.P. Polack", "S.J. Thomas", "Ö. Türeci", "U. Şahin"],
                          "venue": "N Engl J Med & <i>co</i>", "year": 2020.0})
    byline = "F.P. Polack, S.J. Thomas, Ö. Türeci et al. · N Engl J Med &amp; co · 2020"
    assert f'<h3>T</h3><p style="color:#555">{byline}</p>' in card
    assert "<h3>T</h3><p>" in lr.paper_card({"id": "a", "title": "T", "authors": [], "year": float("nan")}).replace(
        '<p style="color:#555">id a</p>', "")


def test_screening_progress_counts_and_estimates():
    papers, _ = _review()
    decisions = pd.DataFrame({"id": ["p00", "p01", "p05"], "decision": ["include", "include", "exclude"]})
    row = lr.screening_progress(papers, decisions).iloc[0].to_dict()
    assert {k: row[k] for k in ("papers", "screened", "included", "excluded", "left")} == {
        "papers": 15, "screened": 3, "included": 2, "excluded": 1, "left": 12}
    assert row["estimated_relevant_left"] == pytest.approx(round(2 / 3 * 12, 1))
    assert math.isfinite(row["stop_p_value"])


def test_simulation_of_the_example_review_beats_random_order():
    from pathlib import Path

    example = Path(__file__).resolve().parents[1] / "data" / "examples" / "screening_labelled.csv"
    papers, labels = lr.read_labelled_review(example)
    order = lr.simulate_screening(papers, labels, prior=[papers["id"][labels == 1].iloc[0],
                                                          papers["id"][labels == 0].iloc[0]], seed=0)
    assert np.array_equal(np.sort(order["id"]), np.sort(papers["id"]))
    assert lr.wss(order, 0.95) > 0.2


# -- the notebooks under papermill ---------------------------------------------------------------------------------

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def test_the_screening_notebook_records_a_decision_under_papermill(tmp_path):
    import json

    import papermill

    # A first decision, as an earlier run of the notebook records it: include the paper ranked first.
    papers = lr.load(errors="skip")
    decisions = tmp_path / "mine.csv"
    first = lr.rank_for_screening(papers, lr.read_decisions(decisions, papers), seed=1).iloc[0]["id"]
    lr.record_decision(decisions, first, "include", "not a survey", papers=papers)
    # The notebook (its last run showed the paper now ranked first) records the decision for the paper named,
    # then refits on it: the paper it shows next is another.
    expected = lr.rank_for_screening(papers, lr.read_decisions(decisions, papers), seed=1).iloc[0]["id"]
    out = tmp_path / "run.ipynb"
    papermill.execute_notebook(
        str(NOTEBOOKS / "screening.ipynb"), str(out), cwd=str(NOTEBOOKS),
        parameters={"decisions": str(decisions), "record": "exclude", "reason": "not a survey", "seed": 1,
                    "paper": expected},
        kernel_name="python3", progress_bar=False, request_save_on_cell_execute=False, shutdown_kernel="immediate")
    rows = decisions.read_text().splitlines()
    assert rows == ["id,decision,reason", f"{first},include,not a survey", f"{expected},exclude,not a survey"]
    assert expected != first
    assert lr.read_decisions(decisions)["decision"].tolist() == ["include", "exclude"]
    outputs = [o for c in json.loads(out.read_text())["cells"] for o in c.get("outputs", [])]
    shown = "\n".join("".join(o.get("data", {}).get("text/plain", o.get("text", ""))) for o in outputs)
    shown += "\n".join("".join(o.get("data", {}).get("text/html", "")) for o in outputs)
    assert f"Recorded exclude for {expected} on line 3 of mine.csv" in shown
    assert str(tmp_path) not in shown  # (no machine's folders in what the notebook shows)
    after = lr.rank_for_screening(papers, lr.read_decisions(decisions, papers), seed=1).iloc[0]["id"]
    assert f"id {after} ·" in shown and after != expected  # the card shows the next paper, ranked after it


def test_the_simulation_notebook_runs_under_papermill_with_other_parameters(tmp_path):
    import json

    import papermill

    out = tmp_path / "simulation.ipynb"
    papermill.execute_notebook(str(NOTEBOOKS / "screening_simulation.ipynb"), str(out), cwd=str(NOTEBOOKS),
                               parameters={"seed": 2}, kernel_name="python3", progress_bar=False,
                               request_save_on_cell_execute=False, shutdown_kernel="immediate")
    cells = json.loads(out.read_text())["cells"]
    text = "".join("".join(o.get("text", "")) + "".join(o.get("data", {}).get("text/markdown", ""))
                   for c in cells for o in c.get("outputs", []))
    assert "237 records, 12 relevant; screening started from 2 prior records" in text


def test_the_widget_records_a_click_and_shows_the_next_paper(tmp_path):
    pytest.importorskip("ipywidgets")
    papers, _ = _review()
    path = tmp_path / "decisions.csv"
    lr.record_decision(path, "p00", "include")
    lr.record_decision(path, "p05", "exclude", "tax")
    assert lr.screening_widget(papers, path) is None  # no person at this kernel: the plain cells do it
    widget = lr.screening_widget(papers, path, force=True, seed=0)
    status, _card, (include, exclude, _reason) = widget.children[0], widget.children[1], widget.children[2].children
    assert status.value.startswith("screened 2 of 15 · included 1")
    exclude.click()  # no reason: refused, nothing written
    assert "not recorded" in status.value and len(path.read_text().splitlines()) == 3
    include.click()
    assert len(path.read_text().splitlines()) == 4 and status.value.startswith("screened 3 of 15 · included 2")
    assert lr.read_decisions(path)["id"].iloc[-1] in {"p01", "p02", "p03", "p04"}
