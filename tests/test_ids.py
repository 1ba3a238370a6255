"""Identifiers: arXiv ids, their dates, DOIs, normalised titles and slugs."""

import pytest

from litreview.fields.ids import arxiv_year_month, normalize_doi, normalize_title, parse_arxiv_id, title_slug

# --------------------------------------------------------------------------- parse_arxiv_id


@pytest.mark.parametrize(
    "text, expected",
    [
        # new style, 4 or 5 digits after the dot
        ("2303.11366", ("2303.11366", None)),
        ("2303.11366v1", ("2303.11366", 1)),
        ("1904.12848v6", ("1904.12848", 6)),
        ("2009.01325v3", ("2009.01325", 3)),
        ("2105.05720v12", ("2105.05720", 12)),
        ("0704.0001", ("0704.0001", None)),
        ("1412.6980v9", ("1412.6980", 9)),
        # surrounding whitespace is ignored
        ("  2106.09685  ", ("2106.09685", None)),
        ("\t2303.11366v2\n", ("2303.11366", 2)),
        # the arXiv: prefix, in any case, with or without a space
        ("arXiv:2303.11366", ("2303.11366", None)),
        ("arXiv:2303.11366v1", ("2303.11366", 1)),
        ("ARXIV:2106.09685", ("2106.09685", None)),
        ("arxiv: 2106.09685v2", ("2106.09685", 2)),
        # old style: archive/YYMMNNN, with an optional subject class
        ("hep-th/9901001", ("hep-th/9901001", None)),
        ("hep-th/9901001v2", ("hep-th/9901001", 2)),
        ("arXiv:hep-th/9901001", ("hep-th/9901001", None)),
        ("math.GT/0309136", ("math.GT/0309136", None)),
        ("math.GT/0309136v1", ("math.GT/0309136", 1)),
        ("cond-mat/0207270", ("cond-mat/0207270", None)),
        ("astro-ph/9105001", ("astro-ph/9105001", None)),
    ],
)
def test_parse_arxiv_id_accepts_identifiers(text, expected):
    assert parse_arxiv_id(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "arxiv_id",
        "stringlengths",
        "13.8k",
        "431",
        "2303.1136x",  # a letter in the number
        "2303.113",  # too few digits after the dot
        "2303.113660",  # too many digits after the dot
        "23031.1136",  # too many digits before the dot
        "2303.11366v",  # 'v' without a version number
        "2303.11366 v1",  # space before the version
        "hep-th/990100",  # old style needs seven digits
        "hep-th/99010011",
        "10.1000/xyz123",  # a DOI, not an arXiv id
        "2303.11366 Large language models ...",  # id followed by text
        "See arXiv:2303.11366",  # text before the id
        "Large language models (LLMs) have been increasingly used to interact with external environments.",
    ],
)
def test_parse_arxiv_id_rejects_non_identifiers(text):
    assert parse_arxiv_id(text) is None


# --------------------------------------------------------------------------- arxiv_year_month


@pytest.mark.parametrize(
    "ident, expected",
    [
        ("2303.11366", (2023, 3)),
        ("2106.09685", (2021, 6)),
        ("2406.01297", (2024, 6)),
        ("2112.09332", (2021, 12)),
        ("2001.08361", (2020, 1)),
        ("0704.0001", (2007, 4)),
        ("1904.12848", (2019, 4)),
        # old style: the YYMM after the slash; 91-99 are the 1990s
        ("hep-th/9901001", (1999, 1)),
        ("astro-ph/9105001", (1991, 5)),
        ("cond-mat/9912345", (1999, 12)),
        ("math.GT/0309136", (2003, 9)),
        ("cs/0701001", (2007, 1)),
    ],
)
def test_arxiv_year_month(ident, expected):
    assert arxiv_year_month(ident) == expected


@pytest.mark.parametrize(
    "ident",
    [
        "2313.11366",  # month 13
        "2300.11366",  # month 0
        "hep-th/9913001",  # month 13, old style
        "hep-th/9900001",  # month 0, old style
        "not an id",
        "",
        "abcd.12345",
    ],
)
def test_arxiv_year_month_invalid(ident):
    assert arxiv_year_month(ident) is None


def test_arxiv_year_month_agrees_with_parse_for_versioned_new_style():
    ident, version = parse_arxiv_id("arXiv:2303.11366v1")
    assert (ident, version) == ("2303.11366", 1)
    assert arxiv_year_month(ident) == (2023, 3)


# --------------------------------------------------------------------------- normalize_doi


@pytest.mark.parametrize(
    "text, expected",
    [
        ("10.18653/v1/N19-1423", "10.18653/v1/n19-1423"),
        ("https://doi.org/10.18653/v1/N19-1423", "10.18653/v1/n19-1423"),
        ("http://doi.org/10.18653/v1/N19-1423", "10.18653/v1/n19-1423"),
        ("https://dx.doi.org/10.1145/3442188.3445922", "10.1145/3442188.3445922"),
        ("doi:10.1145/3442188.3445922", "10.1145/3442188.3445922"),
        ("DOI: 10.1145/3442188.3445922", "10.1145/3442188.3445922"),
        ("  10.1000/ABC-Def  ", "10.1000/abc-def"),
        # trailing sentence punctuation is not part of the DOI
        ("10.1000/xyz.", "10.1000/xyz"),
        ("10.1000/xyz,", "10.1000/xyz"),
        ("10.1000/xyz;", "10.1000/xyz"),
        ("See doi:10.1000/XYZ.;,", "10.1000/xyz"),
        # a DOI inside a citation line: the first DOI, up to whitespace
        ("In Proc. ACL. https://doi.org/10.18653/V1/2020.ACL-MAIN.463 (2020)", "10.18653/v1/2020.acl-main.463"),
        # dots inside the DOI are kept
        ("10.1038/nature14539", "10.1038/nature14539"),
        ("10.123456789/abc", "10.123456789/abc"),
    ],
)
def test_normalize_doi(text, expected):
    assert normalize_doi(text) == expected


def test_normalize_doi_makes_resolver_and_case_variants_equal():
    variants = [
        "https://doi.org/10.1000/XYZ",
        "doi:10.1000/xyz",
        "DOI: 10.1000/Xyz.",
        "10.1000/xyz",
    ]
    assert {normalize_doi(v) for v in variants} == {"10.1000/xyz"}


@pytest.mark.parametrize(
    "text",
    ["", "not a doi", "2303.11366", "10.12/abc", "10.1000/", "https://doi.org/", "10.1234567890/abc"],
)
def test_normalize_doi_rejects_non_dois(text):
    assert normalize_doi(text) is None


@pytest.mark.parametrize(
    "text, expected",
    [
        # an unbalanced closing parenthesis belongs to the surrounding text ...
        ("(doi:10.18653/v1/2020.acl-main.463)", "10.18653/v1/2020.acl-main.463"),
        ("(see https://doi.org/10.1000/XYZ).", "10.1000/xyz"),
        # ... balanced ones are part of the DOI
        ("https://doi.org/10.1016/S0140-6736(97)11096-0", "10.1016/s0140-6736(97)11096-0"),
        ("(doi:10.1016/S0140-6736(97)11096-0)", "10.1016/s0140-6736(97)11096-0"),
    ],
)
def test_normalize_doi_parentheses(text, expected):
    assert normalize_doi(text) == expected


# --------------------------------------------------------------------------- normalize_title


@pytest.mark.parametrize(
    "title, expected",
    [
        ("LIMA: Less Is More for  Alignment", "lima less is more for alignment"),
        ("LIMA - less is more for alignment!", "lima less is more for alignment"),
        ("  QLoRA: Efficient Finetuning of Quantized LLMs  ", "qlora efficient finetuning of quantized llms"),
        # case and accents
        ("Schrödinger", "schrodinger"),
        ("SCHRÖDINGER", "schrodinger"),
        ("Naïve Bayes à la Carte", "naive bayes a la carte"),
        ("Ångström Étude", "angstrom etude"),
        # punctuation is folded into single spaces
        ("A Pretrainer's Guide to Training Data", "a pretrainer s guide to training data"),
        ("How Predictable Are LLM Capabilities? A Case Study", "how predictable are llm capabilities a case study"),
        ("Multitask-prompted training, enables: zero-shot (task) generalization.",
         "multitask prompted training enables zero shot task generalization"),
        ("“Quoted” — Title…", "quoted title"),
        # LaTeX: braces, commands and math delimiters
        ("{BERT}: Pre-training of Deep Bidirectional Transformers",
         "bert pre training of deep bidirectional transformers"),
        (r"\emph{Attention} Is All You Need", "attention is all you need"),
        (r"\textbf{Big} Bird: Transformers for Longer Sequences", "big bird transformers for longer sequences"),
        (r"Scaling $\mathcal{O}(n)$ Attention", "scaling o n attention"),
        # markup is decoded as the readers decode it: \textsc{X} glued to a word stays glued (as LaTeX prints it)
        (r"Star\* Commands \textsc*{X}", "star commands x"),
        (r"Commands\textsc*{X}", "commandsx"),
        (r"$\alpha$-Divergence", "α divergence"),  # a Greek letter is a letter, as the BibTeX reader gives it
        # digits are kept
        ("SemEval-2016 Task 4", "semeval 2016 task 4"),
        ("GPT-3", "gpt 3"),
        ("Wu Dao 1.0", "wu dao 1 0"),
        ("", ""),
        ("!!! ???", ""),
    ],
)
def test_normalize_title(title, expected):
    assert normalize_title(title) == expected


def test_normalize_title_keeps_digits_apart():
    assert normalize_title("SemEval-2016 Task 4: Sentiment Analysis in Twitter") != normalize_title(
        "SemEval-2017 Task 4: Sentiment Analysis in Twitter"
    )
    assert normalize_title("GPT-2") != normalize_title("GPT-3")
    assert normalize_title("Llama 2") != normalize_title("Llama")


def test_normalize_title_folds_variants_of_one_title_together():
    variants = [
        "LIMA: Less Is More for Alignment",
        "lima -- LESS is more for alignment.",
        "{LIMA}: Less Is More for Alignment",
        r"\textit{LIMA}: Less is More for Alignment",
        "LÍMA: Less Is Möre for Alignment",
    ]
    assert {normalize_title(v) for v in variants} == {"lima less is more for alignment"}


def test_normalize_title_brace_protection_inside_a_word():
    # BibTeX protects case with braces inside words: {B}idirectional is Bidirectional
    assert normalize_title("Deep {B}idirectional {T}ransformers") == "deep bidirectional transformers"
    assert normalize_title("{L}o{RA}: Low-Rank Adaptation") == normalize_title("LoRA: Low-Rank Adaptation")


@pytest.mark.parametrize(
    "latex, plain",
    [
        (r"Schr\"{o}dinger Bridges", "Schrödinger Bridges"),
        (r"Schr\"odinger Bridges", "Schrödinger Bridges"),
        (r"Caf\'{e} Attention", "Café Attention"),
        (r"Caf\'e Attention", "Café Attention"),
        (r"\v{C}ech Complexes", "Čech Complexes"),
        (r"Erd\H{o}s Graphs", "Erdős Graphs"),
    ],
)
def test_normalize_title_latex_accents_fold_like_unicode_accents(latex, plain):
    assert normalize_title(latex) == normalize_title(plain)
    assert normalize_title(plain).isascii()


def test_normalize_title_keeps_non_latin_letters():
    # letters outside a-z are letters, not punctuation: titles differing in one stay apart
    assert normalize_title("PanGu-α") == "pangu α"
    assert normalize_title("PanGu-α") != normalize_title("PanGu-Σ")
    assert normalize_title("β-VAE") != normalize_title("VAE")
    assert normalize_title("大规模语言模型") == "大规模语言模型"
    assert normalize_title("snake_case Title") == "snake case title"


# --------------------------------------------------------------------------- title_slug


@pytest.mark.parametrize(
    "title, expected",
    [
        ("LIMA: Less Is More for Alignment", "lima-less-is-more-for-alignment"),
        ("QLoRA: Efficient Finetuning of Quantized LLMs", "qlora-efficient-finetuning-of-quantized-llms"),
        # at most eight words
        (
            "The CoT Collection: Improving Zero-shot and Few-shot Learning of Language Models",
            "the-cot-collection-improving-zero-shot-and-few",
        ),
        ("Schrödinger's {Cat}", "schrodinger-s-cat"),
        ("SemEval-2016 Task 4", "semeval-2016-task-4"),
        ("", ""),
        ("???", ""),
    ],
)
def test_title_slug(title, expected):
    assert title_slug(title) == expected


def test_title_slug_max_words():
    title = "Thoughts on the Alignment Implications of Scaling Language Models"
    assert title_slug(title, max_words=3) == "thoughts-on-the"
    assert title_slug(title, max_words=1) == "thoughts"
    assert title_slug(title, max_words=20) == "thoughts-on-the-alignment-implications-of-scaling-language-models"
    assert title_slug(title) == "thoughts-on-the-alignment-implications-of-scaling-language"
