"""How reports show things: sentences, tables, figures, outlier years, too-few sentences, the stop list."""

import warnings
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.figure import Figure

import litreview as lr
from litreview.report import format as rf
from litreview.report import sections as rs


def test_say_escapes_values_and_formats_numbers():
    sentence = rf.say("**{n}** papers in {name}", n=12345, name="my_*lib*<b>.bib")
    assert sentence.markdown == r"**12,345** papers in my\_\*lib\*&lt;b&gt;.bib"
    assert repr(sentence) == "**12,345** papers in my_*lib*<b>.bib"
    assert rf.plural(1, "paper") == "1 paper" and rf.plural(1978, "reference") == "1,978 references"


def test_table_has_no_index_formats_cells_and_links_titles():
    frame = pd.DataFrame({
        "paper": ["A <i>title</i>", "No link"],
        "year": pd.array([2021, None], dtype="Int64"),
        "share": [0.25, None],
        "authors": [["Ann", "Bo"], []],
    }, index=[7, 8])
    urls = pd.Series(["https://arxiv.org/abs/1?a=1&b=2", "javascript:alert(1)"], index=[7, 8])
    shown = rf.table(frame, links={"paper": urls}, formats={"share": "{:.0%}"}, searchable=True, what="papers")
    page = shown._repr_html_()
    assert page.startswith('<table class="lr-table" data-lr-search="papers">')
    assert '<td><a href="https://arxiv.org/abs/1?a=1&amp;b=2">A &lt;i&gt;title&lt;/i&gt;</a></td>' in page
    assert "<td>No link</td>" in page  # a javascript: URL is not a link
    assert '<td class="num" data-sort="2021.0">2021</td><td class="num" data-sort="0.25">25%</td>' in page
    assert '<td class="num">—</td><td class="num">—</td><td>—</td>' in page
    assert "<td>Ann, Bo</td>" in page and ">7<" not in page and ">8<" not in page
    assert "NaN" not in page and "None" not in page and "<NA>" not in repr(shown)


def test_a_tables_sort_keys_do_not_change_with_a_scores_last_bits():
    # (a fit's last digits vary between CPUs: a stored report must not)
    pages = [rf.table(pd.DataFrame({"score": [2.2567765438061556 + d, 1234567.0]}))._repr_html_() for d in (0, 1e-12)]
    assert pages[0] == pages[1]
    assert 'data-sort="2.25678"' in pages[0] and 'data-sort="1234567.0"' in pages[0]


def test_a_share_below_half_a_percent_is_not_shown_as_none():
    # (a timeline row "2002 | 1 | 0%": one paper of the year's 400; a newcomer's trial)
    assert [rf.cell_text(v, "{:.0%}") for v in (0.0, 0.0025, 0.005, 0.0051, 0.25)] == ["0%", "<1%", "<1%", "1%",
                                                                                       "25%"]


def test_a_paper_like_the_topic_held_back_by_the_field_floor_says_so():
    # ("Audio Vision" led multimodal's list of papers outside it that read like it, with no word on why: a trial)
    from litreview.report.similarity_sections import similar_outside_table

    outside = pd.DataFrame({"id": ["a", "b", "c"], "title": ["Audio vision synchrony", "Speech with audio", "Soil"],
                            "abstract": ["audio and visual signals", "audio speech vision", "rain"],
                            "outside_field": [True, False, False]})
    shown = similar_outside_table(outside, "audio visual vision speech", n=3).frame
    assert shown[["paper", "why not in it"]].values.tolist() == [
        ["Speech with audio", ""], ["Audio vision synchrony", "read as outside the field: no fitted topic"]]
    inside = similar_outside_table(outside.assign(outside_field=False), "audio visual vision speech", n=3).frame
    assert inside.columns.tolist() == ["paper", "similarity", "shared terms"]  # (no column when no paper is held back)


def test_an_empty_table_is_a_sentence():
    shown = rf.table(pd.DataFrame(columns=["a"]), empty="No paper names its authors.")
    assert isinstance(shown, rf.Text) and shown.markdown == "No paper names its authors."


def test_paper_url_prefers_arxiv_then_doi_then_http_urls():
    assert rf.paper_url({"arxiv_id": "2106.09685", "doi": "10.1/x"}) == "https://arxiv.org/abs/2106.09685"
    assert rf.paper_url({"arxiv_id": None, "doi": "10.1/x"}) == "https://doi.org/10.1/x"
    assert rf.paper_url({"url": "ftp://x"}) is None and rf.paper_url({"url": "http://x.org"}) == "http://x.org"


def test_figure_needs_alt_text_and_carries_it():
    fig = Figure(figsize=(2, 1))
    fig.subplots().plot([0, 1], [0, 1])
    with pytest.raises(ValueError, match="alt must describe the figure"):
        rf.figure(fig, " ")
    data, metadata = rf.figure(fig, "A rising line.")._repr_mimebundle_()
    assert data["text/plain"] == "Figure: A rising line." and metadata == {"image/png": {"alt": "A rising line."}}
    assert data["image/png"].startswith("iVBOR")


def test_year_window_clips_an_outlier_and_keeps_a_compact_span():
    years = pd.Series([1662] + [2015] * 5 + [2020] * 10 + [2023] * 30 + [2024] * 40)
    assert rs.year_window(years) == (2015, 2024)
    assert rs.year_window(pd.Series([1990, 2000, 2019])) == (1990, 2019)  # 30 years or fewer: all shown
    assert rs.year_window(pd.Series([None, None], dtype="Int64")) is None


def test_papers_outside_the_window_are_named():
    papers = pd.DataFrame({"title": ["Old <one>", "New"], "year": pd.array([1662, 2024], dtype="Int64"),
                           "abstract": [None, None], "arxiv_id": [None, None], "id": ["a", "b"]})
    sentence = rs.outside_window(papers, (2000, 2024))
    assert repr(sentence).startswith("1 paper lies outside 2000 to 2024, where 50% of the dated papers are")
    assert sentence.markdown.endswith("Old &lt;one&gt; (1662).")
    assert rs.outside_window(papers, (1600, 2024)) is None


def test_a_topic_timeline_names_only_the_topic_papers_outside_its_window():
    import matplotlib.pyplot as plt

    taxonomy = lr.load_taxonomy()
    years = [1900, 1950] + [2015 + i % 10 for i in range(40)] + [None, None]
    topics = [[], ["peft"]] + [["peft"] if i % 4 == 0 else ["agents"] for i in range(40)] + [[], ["peft"]]
    n = len(years)
    tagged = pd.DataFrame({"id": [f"p{i}" for i in range(n)], "title": [f"Paper {i}" for i in range(n)],
                           "year": pd.array(years, dtype="Int64"), "topics": topics, "abstract": None,
                           "arxiv_id": None})
    section = rs.timeline_section(tagged, ["peft"], taxonomy, title="t")
    plt.close("all")
    text = repr(section)
    assert "1 paper lies outside 2015 to 2024, where 95% of the corpus's dated papers are" in text  # (40 of 42)
    assert "Paper 1 (1950)" in text and "Paper 0 (1900)" not in text  # (the other topics' paper is not named)
    assert "1 paper without a year is not shown." in text  # (the topic's own; the corpus has 2)
    one_year = tagged.assign(year=pd.array([1900, 1950] + [2015] * 40 + [None, None], dtype="Int64"))
    assert "1 paper lies outside 2015, where" in repr(rs.timeline_section(one_year, ["peft"], taxonomy, title="t"))
    plt.close("all")


def test_too_few_papers_is_said_in_a_sentence():
    assert repr(rs.too_few_for_terms(3, 2)) == "Too few papers for distinctive terms: 3 papers, at least 10 needed."
    assert repr(rs.too_few_for_terms(40, 1)).startswith("Too few papers for distinctive terms: 1 in the group")
    assert repr(rs.too_few_for_terms(40, 40)).startswith("No distinctive terms: every paper is in the group")
    assert rs.too_few_for_terms(40, 5) is None
    # two topics compared: the one with too few papers of its own is named (the default peft on a corpus without it)
    assert repr(rs.too_few_apart(40, {"PEFT": 0, "Efficiency": 12})) == (
        "Too few papers for terms that tell them apart: PEFT has 0 papers of its own (not in both), at least 2 needed.")
    assert repr(rs.too_few_apart(40, {"PEFT": 5, "Efficiency": 1})).startswith("Too few papers for terms that tell "
                                                                              "them apart: Efficiency has 1 paper of")
    # (before: "... apart: 8 papers, at least 10 needed." for two topics of 20 and 18 papers, 15 of them in both)
    assert repr(rs.too_few_apart(8, {"RL": 5, "Agents": 3})) == (
        "Too few papers for terms that tell them apart: 8 papers in only one of the two, at least 10 needed.")
    assert repr(rs.too_few_apart(3, {"PEFT": 0, "Efficiency": 3})).endswith(
        ": 3 papers in only one of the two, at least 10 needed.")
    assert rs.too_few_apart(40, {"PEFT": 5, "Efficiency": 12}) is None


def test_parameters_read_as_a_line():
    line = rs.parameters_line({"start_year": 2021, "end_year": None, "corpus": ["/a/b/my.bib"], "taxonomy": None,
                               "topics": [], "window": 2})
    assert repr(line) == ("years: 2021 and later · corpus: my.bib · taxonomy: the default · topics: all · "
                          "window: 2")
    # every file by its name (no machine's folders), an unset text left out
    line = rs.parameters_line({"decisions": "/tmp/t14/decisions.csv", "dataset": "/x/cohen.csv", "reviewer": ""})
    assert repr(line) == "decisions: decisions.csv · dataset: cohen.csv"


def test_prose_verbs_and_urls_are_not_terms():
    from litreview.analysis.terms import distinctive_terms, phrase_analyzer

    analyse = phrase_analyzer((1, 2))
    terms = analyse("We propose LoRA, greatly reducing memory despite having small adapters athttps://github.com/x.")
    assert terms == ["lora", "memory", "small", "adapters", "small adapters"]
    assert "lora" not in phrase_analyzer((1, 1), stop_words=["LoRA"])("LoRA adapters")
    papers = pd.DataFrame({"title": ["LoRA adapters", "LoRA again", "Other", "Other too"],
                           "abstract": [None] * 4})
    table = distinctive_terms(papers, [True, True, False, False], stop_words=["lora"])
    assert "lora" not in set(table["term"])
    with pytest.raises(TypeError, match="stop_words must be a list of words"):
        phrase_analyzer((1, 1), stop_words="lora")


def test_no_terms_left_is_an_empty_table():
    from litreview.analysis.terms import distinctive_terms

    papers = pd.DataFrame({"title": ["The", "A", "An"], "abstract": [None] * 3})
    table = distinctive_terms(papers, [True, False, False])
    assert table.empty and list(table.columns) == ["term", "z", "in_group", "rest"]


def test_evidence_and_topic_masks_of_an_empty_selection():
    import litreview as lr

    papers = lr.within_years(lr.load(), 2030)
    tagged = lr.tag(papers)
    assert lr.has_topic(tagged, "peft").dtype == bool
    assert lr.topic_papers(tagged, lr.evidence(papers), "peft").empty


def test_the_example_libraries_demonstration_is_for_the_default_corpus_only():
    from litreview.report import corpus_sections as cs

    papers = lr.load()
    assert cs.example_libraries(["mine.bib"], "../data/examples/") is None
    assert cs.problems_table(None) is None and cs.merges_table(None) is None and cs.merged_papers_table(None) is None
    assert "left out for a corpus of your own" in cs.example_libraries_sentence(papers, None).markdown
    examples = str(lr.corpus_files()[0].parents[1] / "examples") + "/"
    combined = cs.example_libraries([], examples)
    assert cs.example_libraries_sentence(papers, combined).markdown == (
        f"{len(papers)} papers in the corpus, {len(combined)} with the two libraries added.")
    assert len(combined) > len(papers)
    own = cs.enrichment_section(papers, examples + "arxiv_snapshot_sample.jsonl", ["mine.bib"])
    assert "is not applied to your corpus" in own.parts[0].markdown
    no_arxiv = cs.enrichment_section(papers.assign(arxiv_id=None), examples + "arxiv_snapshot_sample.jsonl",
                                     ["wos.txt"])
    assert no_arxiv.parts[0].markdown == "No paper of this corpus has an arXiv id, so an arXiv snapshot has nothing " \
                                         "to fill here."


def test_the_prisma_figure_says_one_record_and_one_paper_in_the_singular():
    import matplotlib

    matplotlib.use("Agg")
    from litreview.report.screening_sections import prisma_section

    def alt(identified: int, included: int) -> str:
        flow = pd.DataFrame({"stage": ["identified", "included"], "label": ["records identified", "papers included"],
                             "count": [identified, included], "kind": ["flow", "flow"]})  # fmt: skip
        (figure,) = [part for part in prisma_section(flow).parts if isinstance(part, rf.Figure)]
        return figure.alt

    assert alt(1, 1) == "PRISMA flow diagram from 1 record identified to 1 paper included."
    assert alt(74, 0) == "PRISMA flow diagram from 74 records identified to 0 papers included."


def test_the_overview_says_how_many_papers_have_no_topic_and_how_many_read_as_outside_the_field():
    import warnings

    from litreview.report import corpus_sections as cs
    from litreview.schema import to_frame

    papers = to_frame([
        {"id": "trial", "title": "Safety and efficacy of oral sumatriptan in the acute treatment of migraine",
         "abstract": "In a randomised, double-blind, placebo-controlled trial, 412 adults with migraine took "
                     "sumatriptan 50 mg or placebo. Headache relief at two hours was 54% against 29%; adverse "
                     "events, mostly mild paraesthesia and dizziness, were reported by 11% against 4%."},
        *lr.load().head(2).to_dict("records"),
    ])
    taxonomy = lr.load_taxonomy()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", lr.OutsideFieldWarning)
        tagged = lr.tag(papers)
    sentence = cs.untagged_sentence(tagged, taxonomy).markdown
    assert sentence.startswith("1 of the 3 papers has no topic. 1 of the 3 papers reads as outside the field")
    assert cs.untagged_sentence(tagged, taxonomy, "rules").markdown == "1 of the 3 papers has no topic."
    assert cs.untagged_sentence(tagged.iloc[1:]).markdown == "Every paper has a topic."
    # Most of a corpus outside the field: the taxonomy does not fit it, and the reports say so first.
    most = tagged.iloc[[0, 0, 1]].reset_index(drop=True)
    assert cs.untagged_sentence(most, taxonomy).markdown == (
        "2 of the 3 papers have no topic. **This taxonomy does not fit most of this corpus.** 2 of the 3 papers "
        "read as outside the field the kit's fitted topics were learned on (language-model research: few words of its "
        "vocabulary per 100 characters), so they have none of those topics, and the tags of the other paper may "
        "come from its words used in another sense. Write a taxonomy for the corpus's field (walkthrough 2, build "
        "your own taxonomy); the rules alone (`--param tagger=rules`) would tag the papers by this taxonomy's "
        "words, in whatever sense.")
    assert "and the tags of" not in cs.untagged_sentence(tagged.iloc[[0]], taxonomy).markdown  # (no other paper)
    # A few outside the field and most without a topic: both said, in the reports as in the index.
    few = pd.concat([tagged.iloc[[0]], tagged.iloc[[1, 1]].assign(topics=[[], []])], ignore_index=True)
    sentence = cs.untagged_sentence(few, taxonomy).markdown
    assert sentence.startswith("3 of the 3 papers have no topic. 1 of the 3 papers reads as outside the field")
    assert sentence.endswith("**This taxonomy covers little of this corpus:** 3 of the 3 papers have none of its "
                             "topics, so a tag may come from one of its words used in another sense, or from no "
                             "word of it at all (the learned decision reading a paper's other words as the "
                             "topic's). Read a few tagged papers before trusting a topic, or write a taxonomy for "
                             "the corpus's field (walkthrough 2, build your own taxonomy).")
    assert "covers little" not in cs.untagged_sentence(most, taxonomy).markdown  # (the stronger warning alone)


def test_the_index_warns_when_the_taxonomy_does_not_fit_most_of_the_corpus():
    from litreview.report.index import _corpus_block

    dashboard = {"papers": 261, "files": [("scopus.bib", 261)], "first_year": 1990, "last_year": 2020,
                 "undated": 0, "untagged": 221, "window": (1990, 2020), "skipped": 0}
    page = _corpus_block({**dashboard, "outside": 164})
    assert ("<b>This taxonomy does not fit most of this corpus:</b> 164 of its 261 papers read as outside the "
            "field") in page
    page = _corpus_block({**dashboard, "outside": 40})
    assert "does not fit" not in page
    assert "<p>40 of the papers without a topic read as outside the field the kit&#x27;s fitted topics" in page


def test_the_index_says_how_to_make_the_corpus_overview_it_points_to_when_the_folder_lacks_it():
    # a folder of topic reports alone was told to "see the corpus overview", which it did not hold
    from litreview.report.index import _corpus_block

    dashboard = {"papers": 261, "files": [("scopus.bib", 261)], "first_year": 1990, "last_year": 2020,
                 "undated": 0, "untagged": 221, "window": (1990, 2020), "skipped": 3}
    held = _corpus_block({**dashboard, "outside": 40})
    assert "<p>3 records could not be read and were skipped (see the corpus overview); 40 of the papers" in held
    lacking = _corpus_block({**dashboard, "outside": 40}, overview=False)
    assert ("3 records could not be read and were skipped (see the corpus overview: litreview report --notebook "
            "corpus_overview); 40 of the papers") in lacking
    assert "the corpus overview says more (litreview report --notebook corpus_overview)." in _corpus_block(
        {**dashboard, "outside": 164}, overview=False)
    assert "the corpus overview says more." in _corpus_block({**dashboard, "outside": 164})


def test_the_index_does_not_point_to_a_corpus_overview_that_failed_and_has_no_page(tmp_path):
    # the overview this run tried to make was taken as in the folder though it failed and left no page
    from litreview.report.run import ReportJob, write_index

    dashboard = {"papers": 261, "files": [("scopus.bib", 261)], "first_year": 1990, "last_year": 2020, "undated": 0,
                 "untagged": 0, "outside": 0, "window": (1990, 2020), "skipped": 3, "topics": [],
                 "parameters": {"corpus": ["scopus.bib"]}}
    overview = ReportJob(None, "Corpus overview", {"corpus": ["scopus.bib"]}, "corpus_overview")
    failed = write_index([overview], tmp_path, dashboard, failed={overview.name: "the kernel died"}).read_text()
    assert "skipped (see the corpus overview: litreview report --notebook corpus_overview)" in failed
    (tmp_path / f"{overview.name}.html").write_text("<html></html>")  # (made, or an earlier run's page)
    assert "skipped (see the corpus overview)." in write_index([overview], tmp_path, dashboard).read_text()


def test_a_key_used_twice_is_a_note_on_records_read_whole_not_a_record_read_in_part(tmp_path):
    import warnings

    from litreview.report import corpus_sections as cs

    bib = tmp_path / "refs.bib"
    bib.write_text("@article{same, title = {LoRA}, year = 2021}\n@article{same, title = {QLoRA}, year = 2023}\n"
                   "@article{odd, title = {Odd}, month = {Nonsense}}\n", encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        papers = lr.load(bib, merge=False)
    assert papers["title"].tolist() == ["LoRA", "QLoRA", "Odd"]
    assert lr.load_problems(papers)["severity"].tolist() == ["note", "warning"]
    assert cs.problems_table(papers).parts[0].markdown == "0 records skipped, 1 read in part; 1 note."


def test_the_same_report_run_twice_is_the_same_page(tmp_path):
    import nbformat

    from litreview.report.run import export_html

    pages = []
    for cell_id in ("96481e39", "5d0c1f3a"):  # (papermill gives the cell it injects a random id each run)
        notebook = nbformat.v4.new_notebook(cells=[
            nbformat.v4.new_code_cell("topic = 'peft'", metadata={"tags": ["parameters"]}, id="params"),
            nbformat.v4.new_code_cell('topic = "safety"', metadata={"tags": ["injected-parameters"]}, id=cell_id),
            nbformat.v4.new_markdown_cell("## Safety", id="heading"),
        ])
        path = tmp_path / f"{cell_id}.ipynb"
        nbformat.write(notebook, path)
        pages.append(export_html(path, "safety"))
    assert pages[0] == pages[1] and 'id="cell-id=injected-parameters"' in pages[0]


def test_cells_about_the_default_corpus_are_left_out_of_a_report_on_ones_own(tmp_path):
    import nbformat

    from litreview.report.run import export_html

    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("## Where and by whom"),
        nbformat.v4.new_markdown_cell("In the default corpus most records carry neither.",
                                      metadata={"tags": ["default-corpus"]}),
    ])
    path = tmp_path / "executed.ipynb"
    nbformat.write(notebook, path)
    assert "In the default corpus" in export_html(path, "overview")
    own = export_html(path, "overview", own_corpus=True)
    assert "Where and by whom" in own and "In the default corpus" not in own
    shipped = nbformat.read(Path(__file__).parents[1] / "notebooks" / "corpus_overview.ipynb", 4)
    tagged = [c.source.split("\n")[0][:40] for c in shipped.cells if "default-corpus" in c.metadata.get("tags", [])]
    assert tagged == [  # the seed corpus's prose, and the demonstration that adds the example libraries to it
        "By default this reads the four seed docu", "In the default corpus, the seed arXiv ab",
        "## Adding your own files: what merges, w", 'examples = "../data/examples/"', "cs.problems_table(combined)",
        "`lr.merge_log` gives one row per record ", "cs.merges_table(combined)", "cs.merged_papers_table(combined)",
        "In the default corpus, the arXiv dump gi", "In the default corpus most records carry",
        "`data/labels.csv` holds topics assigned "]


def test_report_tables_name_a_users_files_without_the_folder_they_share():
    from litreview.report.corpus_sections import shown_files

    sources = pd.Series(["/home/ana/review/exports/a.bib:12", "/home/ana/review/exports/sub/b.ris:3", None,
                         "/home/ana/review/exports/a.bib", "all files"], dtype=object)
    assert shown_files(sources).tolist() == ["a.bib:12", "sub/b.ris:3", None, "a.bib", "all files"]
    relative = pd.Series(["data/raw/digest.txt:4", "data/raw/arxiv_dump.txt:9"])  # the default corpus: as given
    assert shown_files(relative).equals(relative)
    assert shown_files(pd.Series(["/a.bib:1", "/b.bib:2"])).tolist() == ["/a.bib:1", "/b.bib:2"]  # (the root)


def test_reports_say_when_the_taxonomy_covers_little_of_a_corpus():
    from litreview.report import corpus_sections as cs
    from litreview.report.index import _corpus_block
    from litreview.report.sections import coverage_note
    from litreview.schema import to_frame

    tagged = pd.DataFrame({"id": ["a", "b", "c"], "topics": [["agents"], [], []]})
    assert coverage_note(tagged).markdown == (
        "**This taxonomy covers little of this corpus:** 2 of the 3 papers have none of its topics, so a tag may "
        "come from one of its words used in another sense, or from no word of it at all (the learned decision "
        "reading a paper's other words as the topic's). Read a few tagged papers before trusting a topic, or "
        "write a taxonomy for the corpus's field (walkthrough 2, build your own taxonomy).")
    thousands = pd.DataFrame({"id": [str(i) for i in range(2308)], "topics": [[]] * 1358 + [["agents"]] * 950})
    assert coverage_note(thousands).markdown.split(":** ")[1].startswith("1,358 of the 2,308 papers have none")
    assert coverage_note(tagged.iloc[:2]) is None  # (half: not most)
    assert cs.untagged_sentence(tagged).markdown.startswith("2 of the 3 papers have no topic. **This taxonomy covers")
    dashboard = {"papers": 491, "files": [("wos.txt", 491)], "first_year": 2000, "last_year": 2016, "undated": 0,
                 "untagged": 388, "outside": 78, "window": (2000, 2016), "skipped": 0}
    assert "<b>This taxonomy covers little of this corpus:</b> 388 of its 491 papers" in _corpus_block(dashboard)
    assert "covers little" not in _corpus_block({**dashboard, "untagged": 200})
    # a report's lead says it before anything else (a reader of another field's corpus needs it first)
    papers = to_frame([{"id": k, "title": t} for k, t in [("a", "Agents"), ("b", "Soil"), ("c", "Rain")]])
    lead = rs.load_summary(papers.assign(topics=tagged["topics"], outside_field=False), lr.load_taxonomy())
    assert lead.markdown.startswith("**This taxonomy covers little of this corpus:** 2 of the 3 papers")
    assert lead.markdown.endswith("Every record of the input files was read; none was skipped.")


def test_the_screening_simulation_reads_as_sentences_and_named_columns():
    from litreview.report import simulation_sections as ss

    # Four records screened in this order; the two relevant ones are the first and the third.
    order = pd.DataFrame({"step": [1, 2, 3, 4], "id": ["a", "b", "c", "d"], "label": [1, 0, 1, 0],
                          "prior": [True, True, False, False]})
    labels = pd.Series([1, 0, 1, 0])
    assert ss.simulation_summary(labels, order, ["a", "b"]).markdown == (
        "4 records, 2 relevant; screening started from 2 prior records (their labels known). In the kit's order "
        "every relevant record had turned up after 3 records (75% of the review), 95% of them after 3: "
        f"{lr.screening_metrics(order)['wss@95'].iloc[0]:.0%} of the screening saved against random order at 95% "
        "recall.")
    shown = ss.metrics_table(order).frame
    assert shown.columns.tolist()[2:4] == ["work saved at 95% recall (WSS@95)", "work saved at 100% recall (WSS@100)"]
    stopping = ss.stopping_section(order).parts
    assert stopping[1].frame.columns.tolist() == ["records screened", "relevant found", "p-value", "would stop here"]
    assert set(stopping[1].frame["would stop here"]) <= {"yes", "no"}
    assert ss.parameters_table("mine.csv", 0, ["a", "b"]).frame.values.tolist() == [
        ["dataset", "mine.csv"], ["seed", "0"], ["prior records", "a, b"]]


def test_the_prisma_table_names_a_users_files_without_their_folder():
    from litreview.report.screening_sections import prisma_section

    flow = pd.DataFrame({"stage": ["identification"] * 3, "label": ["records identified", "/home/ana/r/a.csv",
                                                                   "/home/ana/r/b.ris"],
                         "count": [3, 2, 1], "kind": ["flow", "source", "source"]})
    shown = prisma_section(flow).parts[0].frame
    assert shown["label"].tolist() == ["records identified", "a.csv", "b.ris"]


def test_rising_topics_show_a_change_of_share_in_percentage_points():
    from litreview.report import corpus_sections as cs

    taxonomy = lr.load_taxonomy()
    tagged = lr.tag(lr.load())
    section = cs.rising_section(cs.clipped_timeline(tagged, taxonomy.slugs, "year"), 2, "year", taxonomy)
    shown, caption = section.parts[0].frame, section.parts[1]
    assert shown.columns.tolist() == ["topic", "share, recent", "share, before", "change (points)", "papers, recent",
                                      "papers, before"]
    # 2023-2024 (36 papers) against 2021-2022 (20): 5 of 36 against none of 20
    assert shown.iloc[0].tolist()[:1] == ["Evaluation and benchmarks"]
    assert round(shown["change (points)"].iloc[0], 1) == 13.9
    assert "the fastest riser is Evaluation and benchmarks (+13.9 percentage points)" in repr(caption)


def test_topics_with_no_paper_are_named_not_shown_as_columns_of_zeros():
    from litreview.report import corpus_sections as cs

    taxonomy = lr.load_taxonomy()
    tagged = pd.DataFrame({"id": ["a", "b", "c"], "year": pd.array([2020, 2021, 2021], dtype="Int64"),
                           "topics": [["agents"], ["agents", "safety"], []]})
    timeline = cs.clipped_timeline(tagged, taxonomy.slugs, "year")
    parts = cs.trends_section(tagged, timeline, taxonomy.slugs, taxonomy).parts
    sentence = next(p.markdown for p in parts if "left out of the table" in getattr(p, "markdown", ""))
    assert sentence.startswith("14 topics have no paper in these years, so they are left out of the table: "
                               "Parameter-efficient fine-tuning, Alignment,")
    table = next(p for p in parts if hasattr(p, "frame"))
    assert table.frame.columns.tolist() == ["year", "Agents and reinforcement learning", "Safety and risk"]
    assert table.frame.values.tolist() == [[2020, 1, 0], [2021, 1, 1]]


def test_the_screening_notebook_says_where_the_screening_stands_in_sentences():
    from litreview.report import screening_sections as ss

    def progress(**row):
        base = {"papers": 74, "screened": 16, "included": 10, "excluded": 6, "left": 58,
                "estimated_relevant_left": 36.2, "at_most_relevant_left": 49, "stop_p_value": 0.9062}
        return pd.DataFrame([{**base, **row}])

    assert repr(ss.progress_summary(progress())) == (
        "16 of the 74 papers are screened: 10 included, 6 excluded; 58 papers left. About 36 relevant papers are "
        "estimated among those left (at most 49, at 95% confidence). From 16 decisions so far this is rough: it "
        "firms up as you screen more. The stopping rule does not allow stopping yet "
        "(p = 0.91; below 0.05, screening can stop with 95% confidence of having found 95% of the relevant papers).")
    assert "rough" not in repr(ss.progress_summary(progress(screened=20, included=12, excluded=8, left=54)))
    assert "The stopping rule allows stopping now (p = 0.01;" in repr(ss.progress_summary(progress(stop_p_value=0.01)))
    unsure = ss.progress_summary(progress(estimated_relevant_left=float("nan")))
    assert "Too few decisions to estimate how many relevant papers are left." in repr(unsure)
    cold = "the order below is a seeded shuffle, and its scores are random numbers."
    assert repr(ss.progress_summary(progress(screened=0, included=0, excluded=0, left=74))) == (
        "None of the 74 papers is screened yet. Until the decisions hold an include, the model has nothing to "
        "learn from: " + cold)
    assert repr(ss.progress_summary(progress(screened=1, included=0, excluded=1, left=73))).startswith(
        "1 of the 74 papers is screened: 0 included, 1 excluded; 73 papers left. Until the decisions")
    # (an include alone is enough: the unscreened papers stand in for the irrelevant ones)
    assert "shuffle" not in repr(ss.progress_summary(progress(screened=1, included=1, excluded=0, left=73)))
    assert repr(ss.progress_summary(progress(screened=74, left=0))).endswith("none is left.")
    papers = pd.DataFrame({"id": ["a", "b"], "title": ["A <b>title</b> <a>x</a>", None],
                           "abstract": [None, "Opening words."], "arxiv_id": [None, "2101.00001"]})
    ranking = pd.DataFrame({"id": ["b", "a"], "title": ["", "A <b>title</b> <a>x</a>"], "score": [2.256, 1.0],
                            "terms": ["words", "title"]})
    shown = ss.next_papers_table(ranking, papers)
    # (a publisher's bold left out, any other tag shown as text)
    assert shown.frame.values.tolist() == [[1, "[2101.00001] Opening words.", 2.256, "words"],
                                           [2, "A title <a>x</a>", 1.0, "title"]]
    assert "A title &lt;a&gt;x&lt;/a&gt;" in shown.html and ">2.26<" in shown.html
    assert repr(ss.next_papers_table(ranking.iloc[:0], papers)) == "Every paper is screened: none is left to rank."
    none = pd.DataFrame({"id": [], "decision": []}, dtype=object)
    status = ss.status(lr.load(), none)  # (an untagged corpus: no note on its tags)
    assert repr(status).startswith("Every record of the input files was read; none was skipped.\n\nNone of the 74")


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["http", "s", "://", "www.", "WWW.", "w", " ", "\n", "a", ".", "/", "é"]), max_size=30))
def test_urls_are_stripped_as_the_whole_pattern_strips_them(pieces):
    import re

    from litreview.analysis.text import strip_urls

    whole = re.compile(r"\S*(?:https?://|www\.)\S*", re.IGNORECASE)  # (tried at every character: the oracle)
    text = "".join(pieces)
    assert strip_urls(text) == whole.sub(" ", text)


def test_titles_written_in_tex_are_shown_decoded_and_stay_as_loaded():
    papers = pd.DataFrame({"id": ["a", "b", "c"], "title": [r"Discrete Fr\'echet Distance", r"Deep $\ell_0$ Encoders",
                                                             "A $5 prize & <b>bold</b> <a>x</a>"],
                           "abstract": [None] * 3, "notes": [None] * 3, "arxiv_id": [None] * 3, "year": [2015] * 3,
                           "venue": [None] * 3, "topics": [["efficiency"]] * 3})
    assert rs.titled(papers).tolist() == ["Discrete Fréchet Distance", "Deep ℓ_0 Encoders",
                                          "A $5 prize & bold <a>x</a>"]
    shown = lr.topic_papers(papers, lr.evidence(papers), "efficiency")["paper"].tolist()
    assert shown == ["A $5 prize & bold <a>x</a>", "Deep ℓ_0 Encoders", "Discrete Fréchet Distance"]  # (by title)
    assert papers["title"].iloc[0] == r"Discrete Fr\'echet Distance"  # (the loaded value is not changed)
    assert lr.display_title(papers.iloc[0]) == r"Discrete Fr\'echet Distance"


def test_the_load_summary_counts_what_the_load_account_says(tmp_path):
    bib = tmp_path / "refs.bib"
    bib.write_text("@article{ok, title = {LoRA}, year = {20x1}}\n@article{bad, title = {No closing brace\n")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        papers = lr.load(bib, errors="skip", progress=False)
    assert rs.problem_counts(papers) == (1, 1)  # (the bad entry skipped; the year in doubt: read in part)
    assert repr(rs.load_summary(papers)) == (
        "1 record could not be read and was skipped; the corpus overview lists it. 1 record has a problem noted "
        "(read in part, or with a field in doubt); the corpus overview lists them.")
    assert rs.problem_counts(pd.DataFrame({"id": ["a"]})) == (0, 0)  # (made by hand: no account to read)


def test_papers_outside_the_field_with_a_title_only_are_said_to_have_too_little_text():
    taxonomy = lr.load_taxonomy()
    tagged = pd.DataFrame({"id": list("abcd"), "topics": [[], [], ["agents"], ["agents"]],
                           "outside_field": [True, True, False, False], "abstract": [None, "Text.", "A", "B"],
                           "notes": [None] * 4})
    assert repr(rs.outside_note(tagged, taxonomy)) == (
        "2 of the 4 papers read as outside the field the kit's fitted topics were learned on (language-model "
        "research: few words of its vocabulary per 100 characters), so they have none of those topics. 1 of them "
        "has a title and no abstract: too little text to tell its field; loaded with its abstract, it would be "
        "judged. To tag them, write a taxonomy for their field (walkthrough 2); the rules alone "
        "(`--param tagger=rules`) would tag them by this taxonomy's words, in whatever sense.")
    most = tagged.assign(outside_field=[True, True, True, False], topics=[[], [], [], ["agents"]])
    assert "none of those topics, and the tags of the other paper may come from its words used in another sense. " \
           "1 of them has a title and no abstract" in repr(rs.outside_note(most, taxonomy))
    assert "title and no abstract" not in repr(rs.outside_note(tagged.assign(abstract="Text."), taxonomy))


def test_a_flow_without_full_text_decisions_says_its_included_papers_are_title_and_abstract_ones():
    from litreview.report.screening_sections import prisma_section

    papers = lr.load()
    ids = papers["id"].tolist()
    one = pd.DataFrame({"id": ids[:3], "decision": ["include", "include", "exclude"], "reason": ["", "", "off"]})
    text = repr(prisma_section(lr.prisma_flow(papers, one)))
    assert "No full-text decisions yet: the papers included are those included on title and abstract" in text
    two = pd.concat([one, pd.DataFrame({"id": ids[:1], "decision": ["include"], "reason": [""],
                                        "stage": ["full-text"]})], ignore_index=True)
    plt.close("all")
    assert "No full-text decisions yet" not in repr(prisma_section(lr.prisma_flow(papers, two)))
    plt.close("all")


def test_data_quality_flags_are_counted_before_they_are_listed():
    from litreview.report.corpus_sections import flags_table

    papers = lr.load()
    section = flags_table(papers)
    counts, listing = section.parts[0].frame, section.parts[1].frame
    listed = listing["flags"].str.split(", ").explode()  # (each paper once, with its flags)
    assert counts.columns.tolist() == ["flag", "papers"] and counts["papers"].sum() == len(listed)
    assert counts["papers"].is_monotonic_decreasing
    assert dict(zip(counts["flag"], counts["papers"])) == listed.value_counts().to_dict()
    assert repr(flags_table(papers.iloc[:0])) == "No record raised a data-quality flag."


def test_a_flag_most_papers_raise_is_counted_not_listed_paper_by_paper():
    from litreview.report.corpus_sections import flags_table
    from litreview.schema import to_frame

    titles = [{"id": f"p{i}", "title": f"Paper {i}", "source": f"refs.bib:{i}", "quality_flags": ["no-abstract"]}
              for i in range(30)]
    papers = to_frame(titles + [{"id": "q", "title": "Whole", "source": "refs.bib:99",
                                 "quality_flags": ["partial-authors"]}])
    counts, note, *rest = flags_table(papers).parts
    assert dict(zip(counts.frame["flag"], counts.frame["papers"])) == {"no-abstract": 30, "partial-authors": 1}
    assert repr(note) == "Not listed paper by paper, being most of the corpus: no-abstract (30 of the 31 papers)."
    assert rest[0].frame["flags"].tolist() == ["partial-authors"]


def test_a_paper_with_two_flags_is_listed_once_with_both():
    # (each placeholder abstract was listed twice, as no-abstract and as placeholder-abstract: a newcomer's trial)
    from litreview.report.corpus_sections import flags_table
    from litreview.schema import to_frame

    papers = to_frame([{"id": "a", "title": "A", "source": "x.json:1",
                        "quality_flags": ["no-abstract", "placeholder-abstract"]},
                       {"id": "b", "title": "B", "source": "x.json:2", "quality_flags": ["mojibake"]}])
    counts, listing = (part.frame for part in flags_table(papers).parts)
    assert counts.values.tolist() == [["mojibake", 1], ["no-abstract", 1], ["placeholder-abstract", 1]]
    assert listing.values.tolist() == [["mojibake", "B", "x.json:2"],
                                       ["no-abstract, placeholder-abstract", "A", "x.json:1"]]


def test_the_data_quality_section_says_what_a_shared_abstract_is():
    from litreview.report.corpus_sections import flags_table
    from litreview.schema import to_frame

    papers = to_frame([{"id": i, "title": i.upper(), "source": f"x.json:{n}", "abstract": "One text.",
                        "quality_flags": ["shared-abstract"]} for n, i in enumerate("ab", start=1)])
    counts, note, listing = flags_table(papers).parts
    assert counts.frame.values.tolist() == [["shared-abstract", 2]]
    assert note.markdown == (
        "2 papers carry the same abstract as another paper under a different title (`shared-abstract`): usually the "
        "source gave one paper's abstract to another, sometimes an author reused one abstract. They are kept apart, "
        "and the similar-papers tables leave such pairs out: read both papers before citing either abstract.")
    assert listing.frame["paper"].tolist() == ["A", "B"]
    assert len(flags_table(papers.assign(quality_flags=[["no-abstract"]] * 2)).parts) == 2  # no such sentence


def test_the_closest_pairs_say_how_many_pairs_of_one_abstract_are_left_out():
    from litreview.report.similarity_sections import similar_pairs_table
    from litreview.schema import to_frame

    texts = {"a": ("Sparse attention", "Kernels for sparse attention."),
             "b": ("Boosting trees", "Kernels for sparse attention."),
             "c": ("Sparse attention kernels", "Sparse kernels, fast."),
             "d": ("Prompt tuning", "Prompts for frozen models.")}
    papers = to_frame([{"id": k, "title": t, "abstract": a, "source": f"x:{k}"} for k, (t, a) in texts.items()])
    table_, note = similar_pairs_table(papers).parts
    assert [(a, b) for a, b in zip(table_.frame["paper"], table_.frame["closest to"])][0] == (
        "Sparse attention", "Sparse attention kernels")  # a and b, one abstract, are not the closest pair
    assert ("Sparse attention", "Boosting trees") not in list(zip(table_.frame["paper"], table_.frame["closest to"]))
    assert note.markdown == ("1 pair of papers with the same abstract is left out: their similarity would be the "
                             "abstract's, not the papers' (under different titles they are flagged `shared-abstract`: "
                             "see the corpus overview's data-quality flags).")
    assert len(similar_pairs_table(papers[papers["id"] != "b"]).parts) == 1
    blank = papers.assign(abstract=["  ", "  ", "Sparse kernels, fast.", None])  # a blank abstract is none
    assert len(similar_pairs_table(blank).parts) == 1


def test_the_stopping_table_holds_the_record_where_the_rule_stops():
    from litreview.report import simulation_sections as ss

    labels = [1] * 12 + [0] * 300
    order = pd.DataFrame({"id": [str(i) for i in range(len(labels))], "label": labels,
                          "prior": [False] * len(labels)})
    lead, shown = ss.stopping_section(order).parts
    stopped = lr.stopping_behaviour(order).iloc[0]["stopped_after"]
    assert f"would have stopped after {int(stopped)} records" in lead.markdown
    table = shown.frame
    assert int(stopped) in table["records screened"].tolist() and table["records screened"].iloc[-1] == len(labels)
    first_yes = table.loc[table["would stop here"] == "yes", "records screened"].iloc[0]
    assert first_yes == int(stopped)  # (the table's first "yes" is the stop the sentence names)


def test_publishers_notices_and_entities_are_no_terms_and_are_shown_decoded():
    from litreview.analysis.terms import phrase_analyzer

    analyse = phrase_analyzer()
    text = ("Self-criticism in bowel disease. (PsycINFO Database Record (c) 2019 APA, all rights reserved) "
            "Cells grow. © 2020 Elsevier Ltd. All rights reserved.")
    terms = set(analyse(text))
    assert not {t for t in terms if "psycinfo" in t or "rights" in t or "elsevier" in t or "apa" in t.split()}
    assert "bowel disease" in terms
    # the notice, not the database's name: a search of PsycINFO is a term
    assert "psycinfo" in set(analyse("We searched PsycINFO database records (2000-2019) and MEDLINE."))
    card = lr.paper_card({"id": "a", "title": "T", "abstract": "effect (p &lt; .001) in Ingenier&amp;amp;#237;a"})
    assert "effect (p &lt; .001) in Ingeniería" in card  # decoded, then escaped once
