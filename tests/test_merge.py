"""Merging records of the same paper read from several sources."""

import pandas as pd
import pytest

import litreview as lr
from litreview.io.merge import FORMAT_PRIORITY, assign_ids, find_duplicates, merge_records
from litreview.schema import COLUMNS, to_frame


def words(n: int, stem: str = "token") -> str:
    """An abstract of ``n`` distinct words."""
    return " ".join(f"{stem}{i}" for i in range(n))


ABSTRACT = words(30)  # long enough for the abstract key (25 words)


def merge(*pairs: tuple[str, dict]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Merge ``(format, record)`` pairs."""
    return merge_records(to_frame([r for _, r in pairs]), [f for f, _ in pairs])


def as_python(value):
    if isinstance(value, list):
        return value
    return None if pd.isna(value) else value


def record(papers: pd.DataFrame, i: int = 0) -> dict:
    return {k: as_python(v) for k, v in papers.iloc[i].to_dict().items()}


def log_rows(log: pd.DataFrame) -> list[tuple]:
    return [tuple(row) for row in log.itertuples(index=False)]


# --------------------------------------------------------------------------- keys


def test_format_priority():
    # arXiv's own records first, curated databases and reference managers next, hand-made listings last
    assert FORMAT_PRIORITY == (
        "arxiv-dump", "arxiv-snapshot", "arxiv-oai", "arxiv-atom", "openalex", "semantic-scholar", "wos", "medline",
        "bibtex", "ris", "csl-json", "csv", "excel", "json-records", "parquet", "publist", "digest", "roundup",
    )


def test_same_arxiv_id_different_versions_merge():
    papers, log = merge(
        ("arxiv-dump", {"arxiv_id": "2303.11366", "arxiv_version": 1, "abstract": "First text.",
                        "year": 2023, "month": 3, "venue": "arXiv", "source": "a.txt:9"}),
        ("arxiv-dump", {"arxiv_id": "2303.11366", "arxiv_version": 3, "abstract": "Other text.",
                        "year": 2023, "month": 3, "venue": "arXiv", "source": "b.txt:11"}),
    )
    assert len(papers) == 1
    rec = record(papers)
    assert (rec["id"], rec["arxiv_id"], rec["arxiv_version"]) == ("arxiv:2303.11366", "2303.11366", 1)
    assert rec["abstract"] == "First text."
    assert (rec["source"], rec["provenance"]) == ("a.txt:9", ["a.txt:9", "b.txt:11"])
    assert log_rows(log) == [("arxiv:2303.11366", "b.txt:11", "arxiv_id")]


def test_arxiv_fields_come_from_the_higher_ranked_format():
    papers, log = merge(
        ("roundup", {"arxiv_id": "2303.11366", "arxiv_version": 2, "title": "Reflexion", "source": "r.txt:4"}),
        ("arxiv-dump", {"arxiv_id": "2303.11366", "arxiv_version": 1, "source": "a.txt:9",
                        "url": "https://arxiv.org/abs/2303.11366"}),
    )
    rec = record(papers)
    assert rec["arxiv_version"] == 1
    assert rec["title"] == "Reflexion"
    assert rec["url"] == "https://arxiv.org/abs/2303.11366"
    assert (rec["source"], rec["provenance"]) == ("a.txt:9", ["a.txt:9", "r.txt:4"])
    # the log names the later record, by position, whatever its rank
    assert log_rows(log) == [("arxiv:2303.11366", "a.txt:9", "arxiv_id")]


def test_same_doi_merges():
    papers, log = merge(
        ("publist", {"doi": "10.18653/v1/n19-1423", "title": "BERT", "source": "p.txt:2"}),
        ("digest", {"doi": "10.18653/v1/n19-1423", "title": "Bidirectional Encoders", "source": "d.txt:5"}),
    )
    assert len(papers) == 1
    assert record(papers)["id"] == "doi:10.18653/v1/n19-1423"
    assert record(papers)["title"] == "BERT"
    assert log_rows(log) == [("doi:10.18653/v1/n19-1423", "d.txt:5", "doi")]


def test_doi_key_folds_case_and_resolver_prefixes():
    raw = ["https://doi.org/10.1000/XYZ", "doi:10.1000/xyz"]
    papers, log = merge(
        ("publist", {"doi": raw[0], "title": "One", "source": "p.txt:2"}),
        ("digest", {"doi": raw[1], "title": "Two", "source": "d.txt:5"}),
    )
    assert list(papers["id"]) == ["doi:10.1000/xyz"]
    assert record(papers)["doi"] == raw[0]  # the field as the best-ranked source gave it
    assert log_rows(log) == [("doi:10.1000/xyz", "d.txt:5", "doi")]


def test_same_abstract_opening_merges():
    opening = words(25)
    papers, log = merge(
        ("arxiv-dump", {"arxiv_id": "2110.08207", "abstract": opening + " and then the dump goes on.",
                        "source": "a.txt:9"}),
        # same first 25 words up to case and punctuation; a different ending
        ("publist", {"title": "Multitask Prompted Training", "abstract": opening.upper().replace(" ", ", ")
                     + ". The publication page ends differently!", "source": "p.txt:3"}),
    )
    assert len(papers) == 1
    assert record(papers)["title"] == "Multitask Prompted Training"
    assert record(papers)["provenance"] == ["a.txt:9", "p.txt:3"]
    assert log_rows(log) == [("arxiv:2110.08207", "p.txt:3", "abstract")]


def test_abstract_of_exactly_25_words_is_a_key():
    papers, _ = merge(
        ("publist", {"title": "A", "abstract": words(25), "source": "p.txt:1"}),
        ("digest", {"abstract": words(25), "source": "d.txt:1"}),
    )
    assert len(papers) == 1


def test_short_abstracts_are_no_key():
    papers, log = merge(
        ("publist", {"title": "A", "abstract": words(24), "source": "p.txt:1"}),
        ("digest", {"title": "B", "abstract": words(24), "source": "d.txt:1"}),
    )
    assert list(papers["id"]) == ["title:a", "title:b"]
    assert len(log) == 0


def test_abstracts_differing_in_the_opening_do_not_merge():
    papers, _ = merge(
        ("publist", {"title": "A", "abstract": words(30), "source": "p.txt:1"}),
        ("digest", {"title": "B", "abstract": "Different " + words(29), "source": "d.txt:1"}),
    )
    assert len(papers) == 2


def test_same_title_same_year_merges():
    papers, log = merge(
        ("roundup", {"title": "LIMA: Less Is More for Alignment", "year": 2023, "month": 5, "source": "r.txt:6"}),
        ("publist", {"title": "LIMA - less is more for alignment.", "year": 2023, "source": "p.txt:2"}),
    )
    assert len(papers) == 1
    rec = record(papers)
    assert rec["title"] == "LIMA - less is more for alignment."  # publist ranks above roundup
    assert rec["id"] == "title:lima-less-is-more-for-alignment"
    assert log_rows(log) == [("title:lima-less-is-more-for-alignment", "p.txt:2", "title")]


def test_same_title_different_years_do_not_merge():
    papers, log = merge(
        ("publist", {"title": "Scaling Laws", "year": 2020, "source": "p.txt:2"}),
        ("digest", {"title": "Scaling laws", "year": 2022, "source": "d.txt:2"}),
    )
    assert list(papers["id"]) == ["title:scaling-laws", "title:scaling-laws-2"]
    assert len(log) == 0


def test_same_title_different_first_authors_do_not_merge():
    papers, log = merge(
        ("publist", {"title": "Scaling Laws", "year": 2020, "authors": ["Jared Kaplan", "Sam McCandlish"],
                     "source": "p.txt:2"}),
        ("digest", {"title": "Scaling Laws", "year": 2020, "authors": ["Jordan Hoffmann", "Jared Kaplan"],
                    "source": "d.txt:2"}),
    )
    assert len(papers) == 2
    assert len(log) == 0


@pytest.mark.parametrize(
    "first, second",
    [
        (["Chunting Zhou"], ["Chunting Zhou", "Pengfei Liu"]),
        (["Zhou, Chunting"], ["Chunting Zhou"]),  # Last, First and First Last
        (["C. Zhou"], ["Chunting ZHOU"]),
        (["Chunting Zhou"], []),  # one side has no authors
    ],
)
def test_same_title_compatible_first_authors_merge(first, second):
    papers, log = merge(
        ("publist", {"title": "LIMA", "year": 2023, "authors": first, "source": "p.txt:2"}),
        ("digest", {"title": "LIMA", "year": 2023, "authors": second, "source": "d.txt:2"}),
    )
    assert len(papers) == 1
    assert record(papers)["authors"] == (first or second)
    assert log_rows(log) == [("title:lima", "d.txt:2", "title")]


def test_same_title_one_year_missing_merges():
    papers, log = merge(
        ("digest", {"title": "Scaling Laws", "source": "d.txt:2"}),
        ("publist", {"title": "Scaling Laws", "year": 2020, "source": "p.txt:2"}),
    )
    assert len(papers) == 1
    assert record(papers)["year"] == 2020
    assert log_rows(log) == [("title:scaling-laws", "p.txt:2", "title")]


def test_titles_differing_only_by_digits_do_not_merge():
    papers, log = merge(
        ("publist", {"title": "SemEval-2016 Task 4: Sentiment Analysis in Twitter", "year": 2016,
                     "source": "p.txt:2"}),
        ("digest", {"title": "SemEval-2017 Task 4: Sentiment Analysis in Twitter", "source": "d.txt:2"}),
    )
    assert list(papers["id"]) == [
        "title:semeval-2016-task-4-sentiment-analysis-in-twitter",
        "title:semeval-2017-task-4-sentiment-analysis-in-twitter",
    ]
    assert len(log) == 0


def test_first_key_that_links_two_records_is_the_reason():
    papers, log = merge(
        ("arxiv-dump", {"arxiv_id": "2303.11366", "abstract": ABSTRACT, "source": "a.txt:9"}),
        ("publist", {"arxiv_id": "2303.11366", "doi": "10.1/x", "abstract": ABSTRACT, "title": "T",
                     "source": "p.txt:2"}),
        ("digest", {"doi": "10.1/x", "title": "T", "abstract": ABSTRACT, "source": "d.txt:2"}),
    )
    assert len(papers) == 1
    assert log_rows(log) == [("arxiv:2303.11366", "p.txt:2", "arxiv_id"), ("arxiv:2303.11366", "d.txt:2", "doi")]


def test_unrelated_records_stay_apart_in_input_order():
    papers, log = merge(
        ("roundup", {"title": "Paper One", "source": "r.txt:4"}),
        ("arxiv-dump", {"arxiv_id": "2106.09685", "abstract": ABSTRACT, "source": "a.txt:9"}),
        ("publist", {"title": "Paper Two", "source": "p.txt:3"}),
    )
    assert list(papers["id"]) == ["title:paper-one", "arxiv:2106.09685", "title:paper-two"]
    assert list(papers["provenance"]) == [["r.txt:4"], ["a.txt:9"], ["p.txt:3"]]
    assert len(log) == 0


def test_find_duplicates_rows():
    records = to_frame(
        [
            {"title": "Paper One", "source": "r.txt:4"},
            {"arxiv_id": "2106.09685", "source": "a.txt:9"},
            {"title": "paper one!", "source": "p.txt:3"},
            {"arxiv_id": "2106.09685", "source": "b.txt:9"},
        ]
    )
    dups = find_duplicates(records)
    assert list(dups.columns) == ["group", "record", "matched_on"]
    assert dups.to_dict("records") == [
        {"group": 0, "record": 2, "matched_on": "title"},
        {"group": 1, "record": 3, "matched_on": "arxiv_id"},
    ]


def test_merge_of_no_records():
    papers, log = merge_records(to_frame([]), [])
    assert len(papers) == 0
    assert tuple(papers.columns) == COLUMNS
    assert list(log.columns) == ["id", "source", "matched_on"]
    assert len(log) == 0


# --------------------------------------------------------------------------- precedence


def group_of_four() -> tuple[pd.DataFrame, pd.DataFrame]:
    """One paper as four formats give it, listed in an order unlike their rank."""
    return merge(
        ("roundup", {"title": "LIMA: Less Is More for Alignment", "year": 2023, "month": 5, "venue": "arXiv",
                     "keywords": ["arXiv roundup 2023-05-28"], "notes": "They curated 1000 examples.",
                     "source": "r.txt:6"}),
        ("publist", {"title": "LIMA: Less Is More for Alignment.", "abstract": ABSTRACT,
                     "authors": ["Chunting Zhou", "Pengfei Liu"], "year": 2023, "venue": "NeurIPS",
                     "notes": "Listed under: NeurIPS Jane Doe", "quality_flags": ["authors-incomplete"],
                     "source": "p.txt:3"}),
        ("arxiv-dump", {"arxiv_id": "2305.11206", "arxiv_version": 2, "abstract": ABSTRACT + " More words.",
                        "year": 2023, "month": 5, "venue": "arXiv", "url": "https://arxiv.org/abs/2305.11206",
                        "source": "a.txt:9"}),
        ("digest", {"title": "LIMA: less is more for alignment", "abstract": "A digest's paragraph.",
                    "authors": ["Chunting Zhou"], "keywords": ["Large Language Model", "arXiv roundup 2023-05-28"],
                    "quality_flags": ["mojibake-repaired"], "notes": "They curated 1000 examples.",
                    "source": "g.txt:2"}),
    )


def test_precedence_of_merged_fields():
    papers, _ = group_of_four()
    assert len(papers) == 1
    assert record(papers) == {
        "id": "arxiv:2305.11206",
        "title": "LIMA: Less Is More for Alignment.",  # publist: the best-ranked record with a title
        "abstract": ABSTRACT + " More words.",  # arxiv-dump
        "authors": ["Chunting Zhou", "Pengfei Liu"],  # publist
        "year": 2023,
        "month": 5,  # from the best-ranked of the earliest records: arxiv-dump
        "venue": "NeurIPS",  # a publication venue over arXiv
        "arxiv_id": "2305.11206",
        "arxiv_version": 2,
        "doi": None,
        "url": "https://arxiv.org/abs/2305.11206",
        "keywords": ["Large Language Model", "arXiv roundup 2023-05-28"],  # union, rank order
        "categories": [],
        "notes": "Listed under: NeurIPS Jane Doe\n\nThey curated 1000 examples.",  # joined, duplicates once
        "quality_flags": ["authors-incomplete", "mojibake-repaired"],  # union
        "references": [],
        "citation_count": None,
        "external_ids": [],
        "key": None,  # no record of the group came from a reference manager's format
        "entry_type": None,
        "source_fields": None,
        "source": "a.txt:9",  # the best-ranked record's
        "provenance": ["a.txt:9", "p.txt:3", "g.txt:2", "r.txt:6"],  # every source, rank order
    }


def test_merge_log_of_the_group():
    _, log = group_of_four()
    assert list(log.columns) == ["id", "source", "matched_on"]
    assert sorted(log_rows(log), key=lambda r: r[1]) == [
        ("arxiv:2305.11206", "a.txt:9", "abstract"),
        ("arxiv:2305.11206", "g.txt:2", "title"),
        ("arxiv:2305.11206", "p.txt:3", "title"),
    ]


def test_earliest_year_wins_with_its_month():
    papers, _ = merge(
        ("publist", {"title": "T0", "abstract": ABSTRACT, "year": 2022, "venue": "ICLR", "source": "p.txt:17"}),
        ("arxiv-dump", {"arxiv_id": "2110.08207", "abstract": ABSTRACT, "year": 2021, "month": 10,
                        "venue": "arXiv", "source": "a.txt:9"}),
    )
    rec = record(papers)
    assert (rec["year"], rec["month"], rec["venue"]) == (2021, 10, "ICLR")
    papers, _ = merge(
        ("publist", {"title": "T0", "abstract": ABSTRACT, "year": 2019, "venue": "ICLR", "source": "p.txt:17"}),
        ("arxiv-dump", {"arxiv_id": "2110.08207", "abstract": ABSTRACT, "year": 2021, "month": 10,
                        "venue": "arXiv", "source": "a.txt:9"}),
    )
    rec = record(papers)
    assert (rec["year"], rec["month"]) == (2019, None)  # the earliest record has no month


def test_year_missing_everywhere():
    papers, _ = merge(
        ("publist", {"title": "T", "abstract": ABSTRACT, "source": "p.txt:1"}),
        ("digest", {"title": "T", "abstract": ABSTRACT, "source": "d.txt:1"}),
    )
    assert (record(papers)["year"], record(papers)["month"]) == (None, None)


@pytest.mark.parametrize(
    "venues, expected",
    [
        (["arXiv", "arXiv"], "arXiv"),
        (["arXiv", None], "arXiv"),
        ([None, None], None),
        (["arXiv", "ICLR"], "ICLR"),
        (["ARXIV", "EMNLP"], "EMNLP"),
        (["ICML", "NeurIPS"], "ICML"),  # two publication venues: the better-ranked record's
    ],
)
def test_venue_prefers_a_publication_venue(venues, expected):
    papers, _ = merge(
        ("arxiv-dump", {"arxiv_id": "2106.09685", "venue": venues[0], "source": "a.txt:9"}),
        ("digest", {"arxiv_id": "2106.09685", "venue": venues[1], "source": "g.txt:2"}),
    )
    assert record(papers)["venue"] == expected


def test_unknown_format_ranks_last():
    papers, _ = merge(
        ("mystery", {"arxiv_id": "2106.09685", "title": "From the unknown format", "source": "m.txt:1"}),
        ("roundup", {"arxiv_id": "2106.09685", "title": "From the roundup", "source": "r.txt:1"}),
    )
    rec = record(papers)
    assert rec["title"] == "From the roundup"
    assert rec["provenance"] == ["r.txt:1", "m.txt:1"]


# --------------------------------------------------------------------------- ids


def test_assign_ids_prefers_arxiv_then_doi_then_title_then_source():
    papers = to_frame(
        [
            {"arxiv_id": "2106.09685", "doi": "10.1/x", "title": "LoRA", "source": "a:1"},
            {"doi": "10.1/x", "title": "LoRA", "source": "b:1"},
            {"title": "LoRA: Low-Rank Adaptation of Large Language Models", "source": "c:1"},
            {"source": "d.txt:7"},
        ]
    )
    assert assign_ids(papers) == [
        "arxiv:2106.09685",
        "doi:10.1/x",
        "title:lora-low-rank-adaptation-of-large-language-models",
        "source:d.txt:7",
    ]


def test_assign_ids_suffixes_repeats():
    papers = to_frame(
        [
            {"title": "Introduction", "source": "a:1"},
            {"title": "INTRODUCTION!", "source": "b:1"},
            {"title": "Other", "source": "c:1"},
            {"title": "introduction", "source": "d:1"},
        ]
    )
    assert assign_ids(papers) == ["title:introduction", "title:introduction-2", "title:other", "title:introduction-3"]


def test_assign_ids_are_stable():
    papers = to_frame([{"title": "Introduction", "source": "a:1"}, {"title": "Introduction", "source": "b:1"}])
    assert assign_ids(papers) == assign_ids(papers.copy())


def test_assign_ids_suffix_never_collides_with_a_natural_id():
    papers, _ = merge(
        ("publist", {"title": "Llama", "year": 2023, "source": "a:1"}),
        ("publist", {"title": "Llama", "year": 2024, "source": "b:1"}),
        ("publist", {"title": "Llama 2", "year": 2023, "source": "c:1"}),
    )
    assert len(papers) == 3
    assert papers["id"].is_unique


# --------------------------------------------------------------------------- groups joined through several keys


def test_group_joined_by_arxiv_id_then_abstract():
    papers, log = merge(
        ("arxiv-dump", {"arxiv_id": "2303.11366", "source": "a.txt:9"}),  # id without abstract
        ("publist", {"title": "Reflexion", "abstract": ABSTRACT, "source": "p.txt:3"}),
        ("arxiv-dump", {"arxiv_id": "2303.11366", "abstract": ABSTRACT, "source": "b.txt:9"}),
    )
    assert len(papers) == 1
    assert record(papers)["provenance"] == ["a.txt:9", "b.txt:9", "p.txt:3"]
    assert dict((src, on) for _, src, on in log_rows(log)) == {"p.txt:3": "abstract", "b.txt:9": "arxiv_id"}


def test_group_joined_by_abstract_then_title():
    papers, log = merge(
        ("roundup", {"title": "Reflexion", "year": 2023, "source": "r.txt:4"}),
        ("arxiv-dump", {"arxiv_id": "2303.11366", "abstract": ABSTRACT, "year": 2023, "source": "a.txt:9"}),
        ("publist", {"title": "Reflexion", "abstract": ABSTRACT, "year": 2023, "source": "p.txt:3"}),
    )
    assert len(papers) == 1
    assert record(papers)["provenance"] == ["a.txt:9", "p.txt:3", "r.txt:4"]
    rows = log_rows(log)
    assert sorted(src for _, src, _ in rows) == ["a.txt:9", "p.txt:3"]
    assert {ident for ident, _, _ in rows} == {"arxiv:2303.11366"}
    assert {on for _, _, on in rows} <= {"abstract", "title"}


def test_title_match_never_joins_records_whose_years_disagree():
    papers, _ = merge(
        ("publist", {"title": "Scaling Laws", "year": 2020, "authors": ["Jared Kaplan"], "source": "a:1"}),
        ("digest", {"title": "Scaling Laws", "source": "b:1"}),
        ("publist", {"title": "Scaling Laws", "year": 2022, "authors": ["Jared Kaplan"], "source": "c:1"}),
    )
    for provenance in papers["provenance"]:
        assert not {"a:1", "c:1"} <= set(provenance)


# --------------------------------------------------------------------------- end to end

DUMP = (
    "arxiv_id\nstringlengths\n9\n12\nabstract\nstringlengths\n431\n13.8k\n"
    "2110.08207v3\n{abstract}\n"
    "2106.09685\nAn important paradigm of natural language processing consists of large-scale pre-training.\n"
)
T0_ABSTRACT = (
    "Large language models have recently been shown to attain reasonable zero-shot generalization on a diverse "
    "set of tasks (Brown et al., 2020). It has been hypothesized that this is a consequence of implicit "
    "multitask learning in language models' pretraining (Radford et al., 2019)."
)
PUBLIST = (
    "ICLR Stella Biderman ICLR Stella Biderman\n\n"
    "Multitask-prompted training enables zero-shot task generalization\n\n"
    "Victor Sanh*, Albert Webson*, Colin Raffel*, Stephen H. Bach*, and 37 others (incl. Stella Biderman). "
    "\u201cMultitask Prompted Training Enables Zero-Shot Task Generalization.\u201d In the Tenth International "
    "Conference on Learning Representations (ICLR), 2022.\n\n"
    "{abstract}\n\nRead More\n"
)


def test_load_merges_the_same_paper_across_files(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "dump.txt").write_text(DUMP.format(abstract=T0_ABSTRACT), encoding="utf-8")
    # the publication page gives the abstract in another case
    (tmp_path / "pubs.txt").write_text(PUBLIST.format(abstract=T0_ABSTRACT.upper()), encoding="utf-8")
    papers = lr.load(["pubs.txt", "dump.txt"])
    assert list(papers["id"]) == ["arxiv:2110.08207", "arxiv:2106.09685"]
    rec = record(papers)
    assert rec["title"] == "Multitask-prompted training enables zero-shot task generalization"
    assert rec["abstract"] == T0_ABSTRACT  # arxiv-dump ranks first
    assert rec["authors"] == ["Victor Sanh", "Albert Webson", "Colin Raffel", "Stephen H. Bach"]
    assert (rec["year"], rec["month"], rec["venue"]) == (2021, 10, "ICLR")
    assert (rec["arxiv_id"], rec["arxiv_version"]) == ("2110.08207", 3)
    assert rec["quality_flags"] == ["authors-incomplete"]
    assert rec["notes"] == "Listed under: ICLR Stella Biderman; citation lists 37 more authors"
    assert rec["source"] == "dump.txt:9"
    assert rec["provenance"] == ["dump.txt:9", "pubs.txt:3"]
    assert record(papers, 1)["provenance"] == ["dump.txt:11"]
    assert log_rows(lr.merge_log(papers)) == [("arxiv:2110.08207", "dump.txt:9", "abstract")]
    assert len(lr.load_problems(papers)) == 0


def test_load_without_merge_keeps_both(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "dump.txt").write_text(DUMP.format(abstract=T0_ABSTRACT), encoding="utf-8")
    (tmp_path / "pubs.txt").write_text(PUBLIST.format(abstract=T0_ABSTRACT), encoding="utf-8")
    papers = lr.load(["dump.txt", "pubs.txt"], merge=False)
    assert list(papers["source"]) == ["dump.txt:9", "dump.txt:11", "pubs.txt:3"]
    assert len(lr.merge_log(papers)) == 0
    merged = lr.load(["dump.txt", "pubs.txt"])
    assert list(merged["source"]) == ["dump.txt:9", "dump.txt:11"]
    assert log_rows(lr.merge_log(merged)) == [("arxiv:2110.08207", "pubs.txt:3", "abstract")]


# --------------------------------------------------------------------------- identity across id kinds


def test_arxiv_doi_is_the_arxiv_id():
    papers, log = merge(
        ("bibtex", {"doi": "10.48550/arXiv.2106.09685", "title": "LoRA", "source": "b.bib:3"}),
        ("arxiv-dump", {"arxiv_id": "2106.09685", "abstract": ABSTRACT, "source": "a.txt:9"}),
    )
    assert list(papers["id"]) == ["arxiv:2106.09685"]
    assert log_rows(log) == [("arxiv:2106.09685", "a.txt:9", "arxiv_id")]


def test_a_record_with_both_ids_links_records_of_either():
    papers, log = merge(
        ("arxiv-atom", {"arxiv_id": "1810.04805", "title": "BERT (preprint)", "year": 2018, "source": "f.xml:5"}),
        ("ris", {"doi": "10.18653/v1/N19-1423", "title": "BERT (published)", "year": 2019, "source": "z.ris:1"}),
        ("bibtex", {"arxiv_id": "1810.04805", "doi": "10.18653/v1/n19-1423", "source": "b.bib:7"}),
    )
    assert len(papers) == 1
    rec = record(papers)
    assert (rec["id"], rec["year"], rec["title"]) == ("arxiv:1810.04805", 2018, "BERT (preprint)")
    assert rec["provenance"] == ["f.xml:5", "b.bib:7", "z.ris:1"]
    assert log_rows(log) == [("arxiv:1810.04805", "z.ris:1", "doi"), ("arxiv:1810.04805", "b.bib:7", "arxiv_id")]


# --------------------------------------------------------------------------- titles, exact and fuzzy

BERT = "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding"


@pytest.mark.parametrize(
    "other",
    [
        "BERT: Pretraining of deep bidirectional transformers for language understanding.",  # spacing folded
        "{BERT}: Pre-training of Deep Bidirectional Transformers for Language Understanding",  # LaTeX braces
    ],
)
def test_title_key_folds_spacing_hyphens_and_braces(other):
    papers, log = merge(
        ("bibtex", {"title": BERT, "year": 2019, "source": "b.bib:1"}),
        ("ris", {"title": other, "year": 2019, "source": "r.ris:1"}),
    )
    assert len(papers) == 1
    assert log_rows(log) == [("title:bert-pre-training-of-deep-bidirectional-transformers-for", "r.ris:1", "title")]


@pytest.mark.parametrize(
    "typo",
    [
        "BERT: Pre-training of Deep Bidirectional Transfomers for Language Understanding",  # dropped letter
        "BERT: Pre-training of Deep Bidirectonal Transformers for Langauge Understanding",  # two typos
    ],
)
def test_near_identical_titles_merge_as_fuzzy(typo):
    papers, log = merge(
        ("bibtex", {"title": BERT, "year": 2019, "authors": ["Jacob Devlin"], "source": "b.bib:1"}),
        ("ris", {"title": typo, "year": 2019, "authors": ["Devlin, J."], "source": "r.ris:1"}),
    )
    assert len(papers) == 1
    assert record(papers)["title"] == BERT  # bibtex ranks above ris
    assert log_rows(log)[0][1:] == ("r.ris:1", "fuzzy_title")


@pytest.mark.parametrize(
    "a, b",
    [
        ("SemEval-2016 Task 4: Sentiment Analysis in Twitter", "SemEval-2017 Task 4: Sentiment Analysis in Twitter"),
        ("Language Models are Few-Shot Learners, Part II", "Language Models are Few-Shot Learners, Part III"),
        ("Scaling Laws for Neural Language Models of Code", "Scaling Laws for Neural Language Models of Cod"),
    ],
    ids=["digits", "roman-numerals", "years-disagree"],
)
def test_fuzzy_titles_keep_numbers_and_years_apart(a, b):
    years = (2016, 2017) if "Cod" in b else (2020, 2020)
    papers, log = merge(
        ("bibtex", {"title": a, "year": years[0], "source": "b.bib:1"}),
        ("ris", {"title": b, "year": years[1], "source": "r.ris:1"}),
    )
    assert len(papers) == 2
    assert len(log) == 0


def test_short_titles_never_match_fuzzily():
    papers, _ = merge(
        ("bibtex", {"title": "Attention Networks", "year": 2019, "source": "b.bib:1"}),
        ("ris", {"title": "Attention Network", "year": 2019, "source": "r.ris:1"}),
    )
    assert len(papers) == 2


def test_fuzzy_matching_compares_within_blocks_not_all_pairs(monkeypatch):
    import rapidfuzz.process
    from rapidfuzz.distance import Indel

    calls, scored = [], []
    real, real_pair = rapidfuzz.process.cdist, Indel.normalized_similarity
    monkeypatch.setattr(rapidfuzz.process, "cdist", lambda q, c, **kw: calls.append(len(q)) or real(q, c, **kw))
    monkeypatch.setattr(Indel, "normalized_similarity", lambda a, b, **kw: scored.append(1) or real_pair(a, b, **kw))
    titles = [f"Topic {i:03d}: a study of its depth and breadth, number {i:03d}" for i in range(300)]
    pairs = [("bibtex", {"title": t, "source": f"b.bib:{i}"}) for i, t in enumerate(titles)]
    pairs.append(("ris", {"title": titles[7].replace("breadth", "bredth"), "source": "r.ris:1"}))
    papers, log = merge(*pairs)
    assert len(papers) == 300
    assert log_rows(log) == [("title:topic-007-a-study-of-its-depth-and", "r.ris:1", "fuzzy_title")]
    # one block of two (same opening; the typo sits in the ending): one pair scored, not 301 titles (and
    # its differing words, "breadth" and "bredth", compared once)
    assert calls == [] and len(scored) == 2


# --------------------------------------------------------------------------- undoing merges


def test_merge_on_leaves_out_a_key():
    pairs = [
        ("bibtex", {"title": BERT, "year": 2019, "source": "b.bib:1"}),
        ("ris", {"title": BERT.upper(), "year": 2019, "source": "r.ris:1"}),
    ]
    assert len(merge(*pairs)[0]) == 1
    papers, log = merge_records(to_frame([r for _, r in pairs]), ["bibtex", "ris"], merge_on=["arxiv_id", "doi"])
    assert len(papers) == 2 and len(log) == 0


def test_keep_apart_undoes_one_merge_and_keeps_the_rest():
    pairs = [
        ("bibtex", {"doi": "10.1/abc.1", "title": "Survey", "source": "b.bib:1"}),
        ("ris", {"doi": "10.1/ABC.1", "title": "Survey (errata)", "source": "r.ris:1"}),
        ("csv", {"doi": "10.1/abc.1", "title": "Survey", "source": "t.csv:2"}),
    ]
    frame = to_frame([r for _, r in pairs])
    papers, log = merge_records(frame, [f for f, _ in pairs], keep_apart=[("b.bib:1", "r.ris:1")])
    assert [p for p in papers["provenance"]] == [["b.bib:1", "t.csv:2"], ["r.ris:1"]]
    assert log_rows(log) == [("doi:10.1/abc.1", "t.csv:2", "doi")]


def test_keep_apart_holds_across_a_chain_of_keys():
    # r.ris:1 reaches b.bib:1 only through t.csv:2 (doi, then title): still kept apart
    pairs = [
        ("bibtex", {"doi": "10.1/abc.1", "title": "One", "source": "b.bib:1"}),
        ("csv", {"doi": "10.1/abc.1", "title": "Another Title Entirely", "source": "t.csv:2"}),
        ("ris", {"title": "Another title entirely", "source": "r.ris:1"}),
    ]
    papers, _ = merge_records(to_frame([r for _, r in pairs]), [f for f, _ in pairs],
                              keep_apart=[("r.ris:1", "b.bib:1")])
    assert sorted(map(len, papers["provenance"])) == [1, 2]


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"merge_on": ["arxiv_id", "isbn"]},
         "unknown merge key 'isbn'; choose from ['arxiv_id', 'doi', 'abstract', 'title', 'fuzzy_title']"),
        ({"keep_apart": [("b.bib:1", "nowhere.ris:9")]},
         "keep_apart names 'nowhere.ris:9', which is no record's source"),
        ({"keep_apart": ["b.bib:1"]}, "keep_apart takes pairs of sources ('file:line', 'file:line'), not 'b.bib:1'"),
    ],
)
def test_merge_arguments_are_validated(kwargs, message):
    frame = to_frame([{"title": "One", "source": "b.bib:1"}])
    with pytest.raises(ValueError) as info:
        merge_records(frame, ["bibtex"], **kwargs)
    assert str(info.value) == message


def test_load_passes_merge_rules_through(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "dump.txt").write_text(DUMP.format(abstract=T0_ABSTRACT), encoding="utf-8")
    (tmp_path / "pubs.txt").write_text(PUBLIST.format(abstract=T0_ABSTRACT), encoding="utf-8")
    assert len(lr.load(["dump.txt", "pubs.txt"])) == 2
    assert len(lr.load(["dump.txt", "pubs.txt"], keep_apart=[("dump.txt:9", "pubs.txt:3")])) == 3
    assert len(lr.load(["dump.txt", "pubs.txt"], merge_on=["arxiv_id", "doi"])) == 3


def test_title_joins_a_group_holding_the_preprint_and_proceedings_years():
    papers, log = merge(
        ("arxiv-dump", {"arxiv_id": "2106.09685", "abstract": ABSTRACT, "year": 2021, "source": "a.txt:9"}),
        ("bibtex", {"arxiv_id": "2106.09685", "title": "LoRA: Low-Rank Adaptation", "year": 2022,
                    "venue": "ICLR", "source": "b.bib:5"}),
        ("ris", {"title": "LoRA: low-rank adaptation", "year": 2021, "source": "r.ris:12"}),
    )
    assert len(papers) == 1
    assert (record(papers)["year"], record(papers)["venue"]) == (2021, "ICLR")
    assert log_rows(log) == [("arxiv:2106.09685", "b.bib:5", "arxiv_id"), ("arxiv:2106.09685", "r.ris:12", "title")]


# --------------------------------------------------------------------------- what never merges


def test_different_arxiv_ids_never_merge_whatever_else_agrees():
    # arXiv OAI pages hold distinct papers whose abstracts open alike (a series of papers)
    papers, log = merge(
        ("arxiv-oai", {"arxiv_id": "1509.00935", "title": "Part one of a study", "abstract": ABSTRACT,
                       "source": "84.xml:6500"}),
        ("arxiv-oai", {"arxiv_id": "1509.00938", "title": "Part one of a study", "abstract": ABSTRACT,
                       "source": "84.xml:6520"}),
    )
    assert len(papers) == 2 and len(log) == 0


def test_different_dois_never_merge_on_title():
    papers, _ = merge(
        ("bibtex", {"doi": "10.1000/one", "title": "Introduction", "year": 2020, "source": "b.bib:1"}),
        ("ris", {"doi": "10.1000/two", "title": "Introduction", "year": 2020, "source": "r.ris:1"}),
    )
    assert len(papers) == 2


def test_a_shared_abstract_under_different_titles_is_two_papers():
    # NeurIPS listings copy one abstract under two papers' titles
    papers, log = merge(
        ("json-records", {"title": "Learning curves of perceptrons", "abstract": ABSTRACT, "source": "n.json:10"}),
        ("json-records", {"title": "A neural model of olfaction", "abstract": ABSTRACT, "source": "n.json:20"}),
        ("digest", {"title": "Learning curves of perceptrons.", "abstract": ABSTRACT, "source": "d.txt:3"}),
    )
    assert [p for p in papers["provenance"]] == [["n.json:10", "d.txt:3"], ["n.json:20"]]
    assert log_rows(log)[0][1:] == ("d.txt:3", "abstract")


def test_a_shared_abstract_under_alike_titles_by_other_first_authors_is_two_papers():
    # Scopus: a conference paper and its journal version, first authors Rueda and Vos, one abstract copied
    conference = {"title": "TESTAR - From academic protoype towards an industry-ready tool for automated testing at "
                           "the user interface level", "authors": ["U. Rueda", "T.E.J. Vos"], "year": 2015,
                  "abstract": ABSTRACT, "source": "s.csv:335"}
    journal = {"title": "TESTAR: Tool support for test automation at the user interface level",
               "authors": ["T.E.J. Vos", "P.M. Kruse"], "year": 2015, "doi": "10.4018/ijismd.2015070103",
               "abstract": ABSTRACT, "source": "s.csv:359"}
    papers, log = merge(("csv", conference), ("csv", journal))
    assert len(papers) == 2 and log.empty
    # the same first author: one paper (titles alike enough, 0.64); other first authors with near-identical
    # titles (a record writing "Beer Armin", another "A. Beer"): one paper
    assert len(merge(("csv", conference), ("csv", {**journal, "authors": ["U. Rueda"]}))[0]) == 1
    twin = {**conference, "authors": ["Beer Armin"], "title": conference["title"].lower(), "source": "s.csv:9"}
    assert len(merge(("csv", conference), ("csv", twin))[0]) == 1


def test_a_fuzzy_title_match_is_a_typo_never_another_word():
    # WoS: a FASEB meeting abstract and the article after it, by the same authors in the same year
    abstract = {"title": "Automatic Classification of Canine Pontine Neuronal Discharge Patterns using K-means "
                         "Clustering", "authors": ["Edward Zuperku"], "year": 2015, "source": "w.txt:4674"}
    article = {"title": "Automatic classification of canine PRG neuronal discharge patterns using K-means "
                        "clustering", "authors": ["Edward J. Zuperku"], "year": 2015,
               "doi": "10.1016/j.resp.2014.11.016", "source": "w.txt:5662"}
    assert len(merge(("wos", abstract), ("wos", article))[0]) == 2
    typo = {**article, "title": article["title"].replace("classification", "clasification"), "doi": None,
            "source": "b.bib:3"}
    papers, log = merge(("wos", article), ("bibtex", typo))
    assert len(papers) == 1 and log_rows(log)[0][2] == "fuzzy_title"


# --------------------------------------------------------------------------- quality flags of a merged record


def test_flags_describe_the_merged_record_not_the_copy_it_did_not_use():
    # BibTeX ranks over RIS: the authors come from the complete BibTeX list, so the RIS copy's
    # "authors-incomplete" is not the merged paper's; its abstract flag is not either (BibTeX has one).
    papers, _ = merge(
        ("ris", {"title": "Adapters for everyone", "authors": ["Ana Li"], "year": 2021, "doi": "10.1000/ad",
                 "quality_flags": ["authors-incomplete", "no-abstract", "truncated"], "source": "b.ris:1"}),
        ("bibtex", {"title": "Adapters for everyone", "authors": ["Ana Li", "Bo Chen", "Cy Diaz"], "year": 2021,
                    "abstract": "We adapt.", "doi": "10.1000/ad", "quality_flags": ["unreadable-month"],
                    "source": "a.bib:3"}),
    )
    rec = record(papers)
    assert rec["authors"] == ["Ana Li", "Bo Chen", "Cy Diaz"]
    # the month flag is the BibTeX copy's, whose date was taken; "truncated" is about a record read, kept
    assert rec["quality_flags"] == ["unreadable-month", "truncated"]
    bibtex = lr.export(papers, format="bibtex")
    assert "author = {Ana Li and Bo Chen and Cy Diaz}," in bibtex
    assert "others" not in bibtex


def test_a_flag_of_the_copy_a_field_was_taken_from_is_kept():
    papers, _ = merge(
        ("openalex", {"title": "Sparse mixtures", "abstract": "Part of an", "authors": ["Ana Li"], "year": 2022,
                      "doi": "10.1000/sm", "quality_flags": ["abstract-incomplete", "authors-incomplete"],
                      "source": "w.json:1"}),
        ("csl-json", {"title": "Sparse mixtures", "abstract": "Part of an abstract, whole.", "year": 2022,
                      "doi": "10.1000/sm", "source": "z.json:1"}),
    )
    rec = record(papers)
    assert (rec["abstract"], rec["authors"]) == ("Part of an", ["Ana Li"])  # OpenAlex ranks first
    assert rec["quality_flags"] == ["abstract-incomplete", "authors-incomplete"]
    assert "author = {Ana Li and others}," in lr.export(papers, format="bibtex")


def test_a_flag_about_a_field_no_copy_has_is_kept():
    papers, _ = merge(
        ("bibtex", {"title": "No year here", "doi": "10.1000/ny", "quality_flags": ["unreadable-year"],
                    "source": "a.bib:1"}),
        ("ris", {"title": "No year here", "doi": "10.1000/ny", "quality_flags": ["no-abstract"],
                 "source": "b.ris:1"}),
    )
    assert record(papers)["quality_flags"] == ["unreadable-year", "no-abstract"]


def test_true_duplicates_across_databases_still_merge():
    # Greek letters by name, a swapped short word (fuzzy titles); a surname transcribed (an abstract match)
    pairs = [("Role of α-synuclein aggregation in the progression of Parkinson disease models",
              "Role of alpha-synuclein aggregation in the progression of Parkinson disease models"),
             ("Deep learning methods in medical image segmentation: a systematic review",
              "Deep learning methods for medical image segmentation: a systematic review")]
    for one, other in pairs:
        papers, log = merge(("ris", {"title": one, "authors": ["Ana Li"], "year": 2020, "source": "a.ris:1"}),
                            ("wos", {"title": other, "authors": ["Ana Li"], "year": 2020, "source": "w.txt:1"}))
        assert len(papers) == 1 and log_rows(log)[0][2] == "fuzzy_title", one
    preprint = {"title": "Learning sparse representations for speech", "authors": ["Jörg Müller"],
                "abstract": ABSTRACT, "source": "a.txt:1"}
    journal = {"title": "Learning sparse representations of speech signals", "authors": ["Joerg Mueller"],
               "abstract": ABSTRACT, "doi": "10.1/x", "source": "j.ris:1"}
    papers, log = merge(("arxiv-dump", preprint), ("ris", journal))
    assert len(papers) == 1 and log_rows(log)[0][2] == "abstract"
