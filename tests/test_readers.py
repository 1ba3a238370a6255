"""The four readers, on the seed documents and on small hand-made inputs."""

from pathlib import Path

import pytest

from litreview.io.readers import READERS, Problem, ReadResult, arxiv_dump, detect_format, digest, publist, roundup
from litreview.io.readers.base import excerpt, numbered_lines
from litreview.schema import COLUMNS

RAW = Path(__file__).resolve().parent.parent / "data" / "raw"
ARXIV = "arxiv_abstracts.txt"
ROUNDUP = "arxiv_roundup_2023-05-28.txt"
PUBLIST = "iclr_publications.txt"
DIGEST = "llm_digest.txt"
SEED_FORMATS = {ARXIV: "arxiv-dump", ROUNDUP: "roundup", PUBLIST: "publist", DIGEST: "digest"}


def seed_text(name: str) -> str:
    return (RAW / name).read_text(encoding="utf-8")


def seed_line(name: str, lineno: int) -> str:
    """Line ``lineno`` (1-based) of a seed file, stripped."""
    return seed_text(name).splitlines()[lineno - 1].strip()


def read_seed(name: str) -> ReadResult:
    return READERS[SEED_FORMATS[name]].read(seed_text(name), f"data/raw/{name}")


def line_of(record: dict) -> int:
    return int(record["source"].rsplit(":", 1)[1])


# --------------------------------------------------------------------------- registry and detection


def test_reader_registry_order_and_names():
    assert list(READERS) == [
        "excel", "parquet", "bibtex", "ris", "wos", "medline", "arxiv-atom", "arxiv-oai", "arxiv-snapshot", "openalex",
        "semantic-scholar", "csl-json", "json-records", "arxiv-dump", "roundup", "publist", "csv", "digest",
    ]
    for name, module in READERS.items():
        assert module.FORMAT == name


@pytest.mark.parametrize("name, fmt", sorted(SEED_FORMATS.items()))
def test_detect_format_on_seeds(name, fmt):
    assert detect_format(seed_text(name)) == fmt


@pytest.mark.parametrize("module", [arxiv_dump, roundup, publist], ids=lambda m: m.FORMAT)
def test_specific_sniffers_accept_only_their_own_seed(module):
    accepted = {name for name in SEED_FORMATS if module.sniff(seed_text(name))}
    assert accepted == {name for name, fmt in SEED_FORMATS.items() if fmt == module.FORMAT}


@pytest.mark.parametrize("name", [PUBLIST, DIGEST])
def test_detect_format_ignores_leading_blank_lines(name):
    assert detect_format("\n\n" + seed_text(name)) == SEED_FORMATS[name]


@pytest.mark.parametrize("name", [ARXIV, ROUNDUP])
def test_detect_format_ignores_leading_blank_lines_for_dump_and_roundup(name):
    assert detect_format("\n" + seed_text(name)) == SEED_FORMATS[name]


@pytest.mark.parametrize("text", ["", "\n\n", "hello\nworld\n", "just one line"])
def test_detect_format_unknown(text):
    assert detect_format(text) is None


def test_every_seed_record_stays_inside_the_schema():
    for name in SEED_FORMATS:
        for record in read_seed(name).records:
            assert set(record) <= set(COLUMNS)
            assert record["source"] == f"data/raw/{name}:{line_of(record)}"


# --------------------------------------------------------------------------- base helpers


def test_numbered_lines_skips_blanks_and_keeps_numbers():
    assert numbered_lines("a  \n\n  \n b\nc") == [(1, "a"), (4, " b"), (5, "c")]


def test_excerpt_quotes_and_shortens():
    assert excerpt("  short  ") == "'short'"
    assert excerpt("x" * 60) == repr("x" * 60)
    assert excerpt("x" * 61) == repr("x" * 57 + "...")


def test_problem_str():
    assert str(Problem("f.txt", 3, "bad")) == "f.txt:3: bad"
    assert str(Problem("f.txt", None, "bad")) == "f.txt: bad"
    assert Problem("f.txt", 3, "bad").severity == "error"


# --------------------------------------------------------------------------- arXiv dump: seed

DUMP_HEADER = "arxiv_id\nstringlengths\n9\n12\nabstract\nstringlengths\n431\n13.8k\n"
ABS_A = "Large language models have been increasingly used to interact with external environments."
ABS_B = "An important paradigm of natural language processing consists of large-scale pre-training."
ABS_C = "We introduce a new method for something and show that it works on many tasks."


def test_arxiv_seed_counts_and_sources():
    result = read_seed(ARXIV)
    assert result.problems == []
    assert len(result.records) == 39
    # the header is 8 lines; then id and abstract alternate
    assert [line_of(r) for r in result.records] == list(range(9, 86, 2))
    assert len({r["arxiv_id"] for r in result.records}) == 39


def test_arxiv_seed_first_record_exact():
    first = read_seed(ARXIV).records[0]
    assert first == {
        "id": "arxiv:2112.09332",
        "abstract": seed_line(ARXIV, 10),
        "arxiv_id": "2112.09332",
        "arxiv_version": None,
        "year": 2021,
        "month": 12,
        "venue": "arXiv",
        "url": "https://arxiv.org/abs/2112.09332",
        "quality_flags": [],
        "source": "data/raw/arxiv_abstracts.txt:9",
    }
    assert first["abstract"].startswith("We fine-tune GPT-3 to answer long-form questions")


def test_arxiv_seed_versioned_record():
    records = {r["arxiv_id"]: r for r in read_seed(ARXIV).records}
    rec = records["2303.11366"]
    assert seed_line(ARXIV, line_of(rec)) == "2303.11366v1"
    assert (rec["id"], rec["arxiv_id"], rec["arxiv_version"]) == ("arxiv:2303.11366", "2303.11366", 1)
    assert (rec["year"], rec["month"]) == (2023, 3)
    assert rec["url"] == "https://arxiv.org/abs/2303.11366"
    assert rec["abstract"].startswith("Large language models (LLMs) have been increasingly used")


def test_arxiv_seed_versions_and_dates():
    records = read_seed(ARXIV).records
    versions = {r["arxiv_id"]: r["arxiv_version"] for r in records if r["arxiv_version"] is not None}
    assert versions == {
        "2303.11366": 1,
        "2303.07295": 1,
        "2009.01325": 3,
        "2303.11156": 1,
        "1904.12848": 6,
        "2105.05720": 5,
    }
    by_id = {r["arxiv_id"]: (r["year"], r["month"]) for r in records}
    assert by_id["1904.10509"] == (2019, 4)
    assert by_id["2406.01297"] == (2024, 6)
    assert by_id["1910.10683"] == (2019, 10)
    assert all(r["venue"] == "arXiv" and r["abstract"] and r["quality_flags"] == [] for r in records)
    assert all("title" not in r and "authors" not in r for r in records)


# --------------------------------------------------------------------------- arXiv dump: edge cases


def test_arxiv_bad_id_line_is_an_error_and_other_records_are_kept():
    text = DUMP_HEADER + f"2303.11366v1\n{ABS_A}\n2303.1136x\n2106.09685\n{ABS_B}\n"
    result = arxiv_dump.read(text, "dump.txt")
    assert result.problems == [Problem("dump.txt", 11, "expected an arXiv id, found '2303.1136x'", "error")]
    assert [(r["arxiv_id"], r["abstract"], r["source"]) for r in result.records] == [
        ("2303.11366", ABS_A, "dump.txt:9"),
        ("2106.09685", ABS_B, "dump.txt:12"),
    ]


def test_arxiv_bad_id_with_its_abstract_is_one_problem():
    # the abstract after a malformed id belongs to that (skipped) record, not a second error
    text = DUMP_HEADER + f"2303.11366v1\n{ABS_A}\n2303.1136x\n{ABS_C}\n2106.09685\n{ABS_B}\n"
    result = arxiv_dump.read(text, "dump.txt")
    assert result.problems == [Problem("dump.txt", 11, "expected an arXiv id, found '2303.1136x'", "error")]
    assert [(r["arxiv_id"], r["abstract"], line_of(r)) for r in result.records] == [
        ("2303.11366", ABS_A, 9),
        ("2106.09685", ABS_B, 13),
    ]


def test_arxiv_bad_first_id_is_reported():
    # a malformed id in the first record is not mistaken for the end of the header
    text = DUMP_HEADER + f"2303.1136x\n{ABS_A}\n2106.09685\n{ABS_B}\n"
    result = arxiv_dump.read(text, "dump.txt")
    assert [(r["arxiv_id"], line_of(r)) for r in result.records] == [("2106.09685", 11)]
    assert result.problems == [Problem("dump.txt", 9, "expected an arXiv id, found '2303.1136x'", "error")]


def test_arxiv_bad_digits_only_first_id_is_reported_at_its_line():
    text = DUMP_HEADER + f"230311366\n{ABS_A}\n2106.09685\n{ABS_B}\n"
    result = arxiv_dump.read(text, "dump.txt")
    assert [(r["arxiv_id"], line_of(r)) for r in result.records] == [("2106.09685", 11)]
    assert result.problems == [Problem("dump.txt", 9, "expected an arXiv id, found '230311366'", "error")]


def test_arxiv_only_record_with_bad_id_is_reported():
    result = arxiv_dump.read(DUMP_HEADER + f"arXiv 2303.11366\n{ABS_A}\n", "dump.txt")
    assert result.records == []
    assert result.problems == [Problem("dump.txt", 9, "expected an arXiv id, found 'arXiv 2303.11366'", "error")]


def test_arxiv_id_without_abstract_is_kept_with_a_warning():
    text = DUMP_HEADER + f"2303.11366v1\n2106.09685\n{ABS_B}\n1904.12848v6\n"
    result = arxiv_dump.read(text, "dump.txt")
    assert result.problems == [
        Problem("dump.txt", 9, "arXiv id 2303.11366 has no abstract line", "warning"),
        Problem("dump.txt", 12, "arXiv id 1904.12848 has no abstract line", "warning"),
    ]
    assert [
        (r["arxiv_id"], r["arxiv_version"], r["abstract"], r["quality_flags"], r["source"])
        for r in result.records
    ] == [
        ("2303.11366", 1, None, ["no-abstract"], "dump.txt:9"),
        ("2106.09685", None, ABS_B, [], "dump.txt:10"),
        ("1904.12848", 6, None, ["no-abstract"], "dump.txt:12"),
    ]


def test_arxiv_old_style_ids_and_blank_lines():
    text = DUMP_HEADER + f"\nhep-th/9901001v2\n\n{ABS_A}\n\narXiv:math.GT/0309136\n{ABS_B}\n"
    result = arxiv_dump.read(text, "dump.txt")
    assert result.problems == []
    assert [
        (r["id"], r["arxiv_id"], r["arxiv_version"], r["year"], r["month"], r["url"], r["source"])
        for r in result.records
    ] == [
        ("arxiv:hep-th/9901001", "hep-th/9901001", 2, 1999, 1, "https://arxiv.org/abs/hep-th/9901001",
         "dump.txt:10"),
        ("arxiv:math.GT/0309136", "math.GT/0309136", None, 2003, 9, "https://arxiv.org/abs/math.GT/0309136",
         "dump.txt:14"),
    ]


def test_arxiv_id_with_impossible_month_has_no_date():
    result = arxiv_dump.read(DUMP_HEADER + f"2313.11366\n{ABS_A}\n", "dump.txt")
    assert result.problems == []
    assert (result.records[0]["year"], result.records[0]["month"]) == (None, None)


def test_arxiv_header_only_is_an_error():
    result = arxiv_dump.read(DUMP_HEADER, "dump.txt")
    assert result.records == []
    assert result.problems == [Problem("dump.txt", None, "no arXiv id lines found after the header", "error")]


def test_arxiv_sniff():
    assert arxiv_dump.sniff(DUMP_HEADER + f"2303.11366\n{ABS_A}\n")
    assert arxiv_dump.sniff("id\nstringlengths\n9\n12\n2303.11366\nabstract\n")
    assert not arxiv_dump.sniff(f"2303.11366\n{ABS_A}\n")  # no header
    assert not arxiv_dump.sniff("arxiv_id\nabstract\n2303.11366\n")  # no viewer statistics


# --------------------------------------------------------------------------- roundup: seed

ROUNDUP_TITLES = [
    (4, "Dynamic Masking Rate Schedules for MLM Pretraining"),
    (6, "LIMA: Less Is More for Alignment"),
    (18, "The CoT Collection: Improving Zero-shot and Few-shot Learning of Language Models via "
         "Chain-of-Thought Fine-Tuning"),
    (25, "AlpacaFarm: A Simulation Framework for Methods that Learn from Human Feedback"),
    (29, "QLoRA: Efficient Finetuning of Quantized LLMs"),
    (39, "Memory-Efficient Fine-Tuning of Compressed Large Language Models via sub-4-bit Integer "
         "Quantization"),
    (43, "READ: Recurrent Adaptation of Large Transformers"),
    (48, "Small Language Models Improve Giants by Rewriting Their Outputs"),
    (51, "A Survey of Safety and Trustworthiness of Large Language Models through the Lens of "
         "Verification and Validation"),
    (55, "When are ensembles really effective?"),
    (60, "ToolkenGPT: Augmenting Frozen Language Models with Massive Tools via Tool Embeddings"),
    (64, "A Pretrainer's Guide to Training Data: Measuring the Effects of Data Age, Domain Coverage, "
         "Quality, & Toxicity"),
    (71, "To Repeat or Not To Repeat: Insights from Scaling LLM under Token-Crisis"),
    (81, "Scaling Data-Constrained Language Models"),
    (89, "Getting ViT in Shape: Scaling Laws for Compute-Optimal Model Design"),
    (95, "Unified Embedding: Battle-Tested Feature Representations for Web-Scale ML Systems"),
    (99, "Training Diffusion Models with Reinforcement Learning"),
    (104, "Parallel Sampling of Diffusion Models"),
    (107, "Enabling Large Language Models to Generate Text with Citations"),
    (114, "How Predictable Are Large Language Model Capabilities? A Case Study on BIG-bench"),
    (121, "Adversarial Demonstration Attacks on Large Language Models"),
    (123, "Sharpness-Aware Minimization Leads to Low-Rank Features"),
    (128, "SPRING: GPT-4 Out-performs RL Algorithms by Studying Papers and Reasoning"),
]


def test_roundup_seed_titles_exact():
    result = read_seed(ROUNDUP)
    assert result.problems == []
    assert len(result.records) == 23
    assert [(line_of(r), r["title"]) for r in result.records] == ROUNDUP_TITLES


def test_roundup_seed_issue_date_year_month_keyword():
    for rec in read_seed(ROUNDUP).records:
        assert (rec["year"], rec["month"], rec["venue"]) == (2023, 5, "arXiv")
        assert rec["keywords"] == ["arXiv roundup 2023-05-28"]


def test_roundup_seed_commentary_is_notes_not_abstract():
    records = read_seed(ROUNDUP).records
    assert all(rec.get("abstract") is None for rec in records)
    first = records[0]
    assert first == {
        "title": "Dynamic Masking Rate Schedules for MLM Pretraining",
        "year": 2023,
        "month": 5,
        "venue": "arXiv",
        "keywords": ["arXiv roundup 2023-05-28"],
        "source": "data/raw/arxiv_roundup_2023-05-28.txt:4",
        "notes": seed_line(ROUNDUP, 5),
    }
    by_title = {r["title"]: r for r in records}
    lima = by_title["LIMA: Less Is More for Alignment"]
    assert lima["notes"] == "\n".join(seed_line(ROUNDUP, n) for n in range(7, 18))
    assert lima["notes"].startswith("They curated an extremely high-quality set of 1000")
    farm = by_title["AlpacaFarm: A Simulation Framework for Methods that Learn from Human Feedback"]
    assert farm["notes"] == "\n".join(seed_line(ROUNDUP, n) for n in (26, 27, 28))
    ensembles = by_title["When are ensembles really effective?"]
    assert ensembles["notes"].splitlines() == [seed_line(ROUNDUP, n) for n in range(56, 60)]


def test_roundup_seed_preamble_is_not_a_paper():
    records = read_seed(ROUNDUP).records
    assert all(line_of(r) >= 4 for r in records)
    for preamble in (seed_line(ROUNDUP, 2), seed_line(ROUNDUP, 3)):
        assert not any(preamble in (r["notes"] or "") for r in records)


@pytest.mark.parametrize(
    "line, expected",
    [
        ("LIMA: Less Is More for Alignment", True),
        ("When are ensembles really effective?", True),
        ("How Predictable Are Large Language Model Capabilities? A Case Study on BIG-bench", True),
        ("Attention Is All You Need", True),
        ("2-bit Quantization Works", True),
        ("They made LoRA take even less RAM. They do this with three changes.", False),
        ("Seems to work pretty well.", False),
        ("ViTs and MLP-Mixers,", False),
        ("Two aspects of their example construction stuck out to me:", False),
        ("LoRA has a lot of traction, but maybe this is better?", False),
        ("What happens when you do multi-epoch pretraining of LLMs, instead of just making a single pass?", False),
        ("but not clearly worse for models with more FLOPs", False),
        ("I think this is great", False),
        ("Definitely worth reading if you care about pretraining", False),
        ("Why Do We Need This Very Long Question Title Here Today?", False),
        ("", False),
        (" ".join(["Word"] * 26), False),
    ],
)
def test_roundup_is_heading(line, expected):
    assert roundup.is_heading(line) is expected


# --------------------------------------------------------------------------- roundup: edge cases


def test_roundup_first_line_without_date_is_an_error():
    text = "Weekly arXiv roundup: lots of papers\nSome Paper Title\nThey did a thing.\n"
    result = roundup.read(text, "r.txt")
    assert result.records == []
    assert result.problems == [
        Problem("r.txt", 1, "first line does not name the roundup's date (YYYY-M-D ... roundup)", "error")
    ]
    assert not roundup.sniff(text)


def test_roundup_small_issue():
    text = (
        "\ufeff2024-1-7 arXiv roundup: three papers\n"
        "This issue is short.\n"
        "First Paper Title\n"
        "Second Paper: With a Subtitle\n"
        "They did a thing. It worked.\n"
        "\n"
        "I liked it.\n"
    )
    assert roundup.sniff(text)
    result = roundup.read(text, "r.txt")
    assert result.problems == []
    assert result.records == [
        {
            "title": "First Paper Title",
            "year": 2024,
            "month": 1,
            "venue": "arXiv",
            "keywords": ["arXiv roundup 2024-01-07"],
            "source": "r.txt:3",
            "notes": None,
        },
        {
            "title": "Second Paper: With a Subtitle",
            "year": 2024,
            "month": 1,
            "venue": "arXiv",
            "keywords": ["arXiv roundup 2024-01-07"],
            "source": "r.txt:4",
            "notes": "They did a thing. It worked.\nI liked it.",
        },
    ]


def test_roundup_without_headings_is_an_error():
    result = roundup.read("2023-5-28 arXiv roundup\nThis is all commentary.\n", "r.txt")
    assert result.records == []
    assert result.problems == [Problem("r.txt", None, "no paper headings found in the roundup", "error")]


@pytest.mark.parametrize("date", ["2023-13-02", "2023-2-30", "2023-0-10"])
def test_roundup_impossible_date_is_an_error(date):
    result = roundup.read(f"\n{date} arXiv roundup\nSome Paper Title\nThey did a thing.\n", "r.txt")
    assert result.records == []
    assert result.problems == [Problem("r.txt", 2, f"the roundup's date {date} is not a valid date", "error")]


# --------------------------------------------------------------------------- publist: seed


def test_publist_seed_records_exact():
    result = read_seed(PUBLIST)
    assert result.problems == []
    assert result.records == [
        {
            "title": "Quality-Diversity through AI Feedback",
            "abstract": seed_line(PUBLIST, 5),
            "authors": [],
            "year": None,
            "venue": "ICLR",
            "notes": "Listed under: ICLR Stella Biderman",
            "quality_flags": [],
            "source": "data/raw/iclr_publications.txt:3",
        },
        {
            "title": "ReLoRA: High-Rank Training Through Low-Rank Updates",
            "abstract": seed_line(PUBLIST, 12),
            "authors": [],
            "year": None,
            "venue": "ICLR",
            "notes": "Listed under: ICLR Stella Biderman",
            "quality_flags": [],
            "source": "data/raw/iclr_publications.txt:10",
        },
        {
            "title": "Multitask-prompted training enables zero-shot task generalization",
            "abstract": seed_line(PUBLIST, 21),
            "authors": ["Victor Sanh", "Albert Webson", "Colin Raffel", "Stephen H. Bach"],
            "year": 2022,
            "venue": "ICLR",
            "notes": "Listed under: ICLR Stella Biderman; citation lists 37 more authors",
            "quality_flags": ["authors-incomplete"],
            "source": "data/raw/iclr_publications.txt:17",
        },
    ]


def test_publist_seed_label_is_not_an_author():
    for rec in read_seed(PUBLIST).records:
        assert "ICLR Stella Biderman" not in rec["authors"]
        assert "Stella Biderman" not in rec["authors"]
        assert not any("ICLR" in a for a in rec["authors"])
        assert rec["abstract"] != seed_line(PUBLIST, 19)  # the citation is not the abstract


def test_publist_parse_citation_seed_line():
    assert publist.parse_citation(seed_line(PUBLIST, 19)) == {
        "authors": ["Victor Sanh", "Albert Webson", "Colin Raffel", "Stephen H. Bach"],
        "more_authors": 37,
        "year": 2022,
        "venue": "ICLR",
        "title": "Multitask Prompted Training Enables Zero-Shot Task Generalization",
    }


def test_publist_parse_citation_without_others():
    line = 'Ada Lovelace and Charles Babbage. "On the Analytical Engine Revisited." In Proc. (NeurIPS), 2021.'
    assert publist.parse_citation(line) == {
        "authors": ["Ada Lovelace", "Charles Babbage"],
        "more_authors": 0,
        "year": 2021,
        "venue": "NeurIPS",
        "title": "On the Analytical Engine Revisited",
    }
    assert publist.parse_citation("No quoted title here, 2021.") == {}


@pytest.mark.parametrize(
    "line, expected",
    [
        ("ICLR Stella Biderman ICLR Stella Biderman", "ICLR Stella Biderman"),
        ("NeurIPS NeurIPS", "NeurIPS"),
        ("ICLR Stella Biderman", None),
        ("Read More", None),
        ("", None),
        ("a b c a b d", None),
    ],
)
def test_publist_repeated_label(line, expected):
    assert publist.repeated_label(line) == expected


# --------------------------------------------------------------------------- publist: edge cases

PUB_ABSTRACT = "We study things and find results that matter for many downstream applications."


def test_publist_block_with_too_few_lines_is_an_error_and_later_blocks_are_kept():
    text = (
        "ICLR Jane Doe ICLR Jane Doe\n"
        "\n"
        "Only A Title\n"
        "Read More\n"
        "NeurIPS Jane Doe NeurIPS Jane Doe\n"
        "A Complete Paper\n"
        f"{PUB_ABSTRACT}\n"
        "Read More\n"
    )
    assert publist.sniff(text)
    result = publist.read(text, "p.txt")
    assert result.problems == [Problem("p.txt", 1, "publication block has no title and abstract", "error")]
    assert result.records == [
        {
            "title": "A Complete Paper",
            "abstract": PUB_ABSTRACT,
            "authors": [],
            "year": None,
            "venue": "NeurIPS",
            "notes": "Listed under: NeurIPS Jane Doe",
            "quality_flags": [],
            "source": "p.txt:6",
        }
    ]


def test_publist_block_without_label_or_final_read_more():
    text = (
        "ICLR Jane Doe ICLR Jane Doe\nFirst Paper\n" + PUB_ABSTRACT + "\nRead More\n"
        "Second Paper Without Label\n"
        "Jane Doe and John Roe. \u201cSecond Paper Without Label Indeed.\u201d In Findings (EMNLP), 2020.\n"
        + PUB_ABSTRACT + "\n"
    )
    result = publist.read(text, "p.txt")
    assert result.problems == []
    assert [(r["title"], r["authors"], r["year"], r["venue"], r["notes"], r["source"]) for r in result.records] == [
        ("First Paper", [], None, "ICLR", "Listed under: ICLR Jane Doe", "p.txt:2"),
        ("Second Paper Without Label", ["Jane Doe", "John Roe"], 2020, "EMNLP", None, "p.txt:5"),
    ]


def test_publist_single_line_block_without_label_is_an_error():
    result = publist.read("ICLR X ICLR X\nT\n" + PUB_ABSTRACT + "\nRead More\nLonely line\nRead More\n", "p.txt")
    assert [r["title"] for r in result.records] == ["T"]
    assert result.problems == [Problem("p.txt", 5, "publication block has no title and abstract", "error")]


def test_publist_tag_that_is_not_a_venue():
    result = publist.read("Blog Jane Doe Blog Jane Doe\nA Post\n" + PUB_ABSTRACT + "\nRead More\n", "p.txt")
    assert result.records[0]["venue"] is None
    assert result.records[0]["notes"] == "Listed under: Blog Jane Doe"


def test_publist_without_blocks_is_an_error():
    result = publist.read("", "p.txt")
    assert result.records == []
    assert result.problems == [
        Problem("p.txt", None, "no publication blocks (ending in 'Read More') found", "error")
    ]


# --------------------------------------------------------------------------- digest: seed

DIGEST_ITEMS = [
    (2, "Meta-learning for downstream aware and agnostic pretraining",
     ["Hongyin Luo", "Shuyan Dong", "Yung-Sung Chuang", "Shang-Wen Li"], 4),
    (5, "China's GPT-3? BAAI Introduces Superscale Intelligence Model 'Wu Dao 1.0'", [], 6),
    (7, "Layered gradient accumulation and modular pipeline parallelism: fast and efficient training of "
        "large language models", [], 8),
    (9, "Researchers open-source benchmarks measuring quality of AI-generated code", [], 10),
    (11, "Microsoft, GPT-3, and the future of OpenAI", [], 12),
    (13, "The Case for Translation-Invariant Self-Attention in Transformer-Based Language Models",
     ["Ulme Wennberg", "Gustav Eje Henter"], 15),
    (16, "Thoughts on the Alignment Implications of Scaling Language Models", [], 17),
    (18, "multiPRover: Generating Multiple Proofs for Improved Interpretability in Rule Reasoning",
     ["Swarnadeep Saha", "Prateek Yadav", "Mohit Bansal"], 20),
    (21, "Joint Retrieval and Generation Training for Grounded Text Generation",
     ["Yizhe Zhang", "Siqi Sun", "Xiang Gao", "Yuwei Fang", "Chris Brockett", "Michel Galley",
      "Jianfeng Gao", "Bill Dolan"], 23),
]


def test_digest_seed_items_exact():
    result = read_seed(DIGEST)
    assert result.problems == []
    assert len(result.records) == 9
    assert [(line_of(r), r["title"], r["authors"]) for r in result.records] == [
        (line, title, authors) for line, title, authors, _ in DIGEST_ITEMS
    ]
    for rec, (_, _, _, abstract_line) in zip(result.records, DIGEST_ITEMS, strict=True):
        assert rec["abstract"] == seed_line(DIGEST, abstract_line)
        assert rec["quality_flags"] == []


def test_digest_seed_heading_is_keyword_not_record():
    records = read_seed(DIGEST).records
    assert seed_line(DIGEST, 1) == "Large Language Model"
    assert "Large Language Model" not in [r["title"] for r in records]
    assert all(r["keywords"] == ["Large Language Model"] for r in records)


def test_digest_seed_author_line_is_not_a_title_or_abstract():
    records = read_seed(DIGEST).records
    author_line = "Wennberg, Ulme, Henter, Gustav Eje"
    assert seed_line(DIGEST, 14) == author_line
    assert all(author_line not in (r["title"], r["abstract"]) for r in records)


@pytest.mark.parametrize(
    "line, expected",
    [
        ("Wennberg, Ulme, Henter, Gustav Eje", ["Ulme Wennberg", "Gustav Eje Henter"]),
        ("Saha, Swarnadeep, Yadav, Prateek, Bansal, Mohit",
         ["Swarnadeep Saha", "Prateek Yadav", "Mohit Bansal"]),
        ("O'Brien, Seán", ["Seán O'Brien"]),
        ("Müller, Jörg, Chuang, Yung-Sung", ["Jörg Müller", "Yung-Sung Chuang"]),
        ("Wennberg, Ulme, Henter", None),  # odd number of parts
        ("Wennberg", None),
        ("Microsoft, GPT-3, and the future of OpenAI", None),
        ("de Vries, Harm, van der Berg, Jan", ["Harm de Vries", "Jan van der Berg"]),
        ("Smith, John 2nd", None),  # digits
        ("the case, for lower case", None),
        ("", None),
    ],
)
def test_digest_parse_author_line(line, expected):
    assert digest.parse_author_line(line) == expected


# --------------------------------------------------------------------------- digest: edge cases

PARA = "A paragraph that is long enough to be an item's body. " * 5  # >= 200 characters
PARA2 = "Another paragraph, also long enough to count as the body of a digest item. " * 4


def test_digest_paragraph_without_title_is_an_error_with_its_line():
    text = f"News\nFirst Item\n{PARA}\n{PARA2}\nSecond Item\n{PARA}\n"
    result = digest.read(text, "g.txt")
    assert result.problems == [
        Problem("g.txt", 4, f"paragraph without a title: {excerpt(PARA2)}", "error")
    ]
    assert excerpt(PARA2) == repr(PARA2.strip()[:57] + "...")
    assert [(r["title"], r["keywords"], r["source"]) for r in result.records] == [
        ("First Item", ["News"], "g.txt:2"),
        ("Second Item", ["News"], "g.txt:5"),
    ]


def test_digest_leading_paragraph_is_an_error_at_line_one():
    result = digest.read(f"{PARA}\nAn Item\n{PARA2}\n", "g.txt")
    assert [(p.line, p.severity) for p in result.problems] == [(1, "error")]
    assert [r["title"] for r in result.records] == ["An Item"]
    assert result.records[0]["keywords"] == []


def test_digest_sections_and_item_without_paragraph():
    text = (
        "Section One\n"
        "Item A\n"
        "Doe, Jane, Roe, John\n"
        f"{PARA}\n"
        "Section Two\n"
        "Item B\n"
        f"{PARA2}\n"
        "Item C\n"
        "Doe, Jane\n"
    )
    result = digest.read(text, "g.txt")
    assert result.problems == [Problem("g.txt", 8, "item has no paragraph: 'Item C'", "warning")]
    assert result.records == [
        {
            "title": "Item A",
            "abstract": PARA.strip(),
            "authors": ["Jane Doe", "John Roe"],
            "keywords": ["Section One"],
            "quality_flags": [],
            "source": "g.txt:2",
        },
        {
            "title": "Item B",
            "abstract": PARA2.strip(),
            "authors": [],
            "keywords": ["Section Two"],
            "quality_flags": [],
            "source": "g.txt:6",
        },
        {
            "title": "Item C",
            "abstract": None,
            "authors": ["Jane Doe"],
            "keywords": ["Section Two"],
            "quality_flags": ["no-abstract"],
            "source": "g.txt:8",
        },
    ]


def test_digest_without_items_is_an_error():
    result = digest.read("", "g.txt")
    assert result.records == []
    assert result.problems == [Problem("g.txt", None, "no digest items found", "error")]


def test_digest_author_line_with_name_particle():
    # "de Vries, Harm" is a Last, First pair; not a title, and its title is not a heading
    text = f"News\nA Paper Title\nde Vries, Harm, Smith, Anna\n{PARA}\n"
    result = digest.read(text, "g.txt")
    assert [(r["title"], r["authors"], r["keywords"]) for r in result.records] == [
        ("A Paper Title", ["Harm de Vries", "Anna Smith"], ["News"])
    ]
