"""The bulk tagger gives the old tagger's tables, frame for frame.

``lr.evidence`` and ``lr.tag`` now match every rule in bulk (numpy over joined
texts, see ``litreview/tagging.py``).  The old word-by-word tagger is kept at the
bottom of this file as a FROZEN REFERENCE COPY (``reference_evidence``,
``reference_tag``: the code of ``litreview/tagging.py`` before the rewrite, only
renamed), used solely to check equivalence and, by ``bench/tagging.py``, to time
the old way.  Do not edit it to make a test pass: a difference is a bug in the new code.

Compared with ``pandas.testing.assert_frame_equal`` (values, dtypes, row order,
index): the seed corpus with the default taxonomy; a ``bench/corpus.make_corpus(3000)``
corpus with its ids missing (as generated; all 3,000), unique (700 papers: the
reference decides tags one pandas group at a time, slowly) and repeated (300);
hand-made tricky texts; seeded random texts built from rule words, separators and
non-ASCII letters; other ``fields``; numeric and missing ids; pandas' object
strings; small chunks in threads; an alphabet too large for the byte map.
"""

from __future__ import annotations

import random
import re
import sys
import unicodedata
import warnings
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

import litreview as lr
from litreview.schema import to_frame
from litreview.tagging import matching
from litreview.tagging import tagger as tagging
from litreview.tagging.taxonomy import Taxonomy, load_taxonomy, parse_taxonomy

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from corpus import make_corpus  # noqa: E402

DEFAULT = load_taxonomy()


_REFERENCE_TABLES: dict = {}


def reference_of(papers: pd.DataFrame, taxonomy: Taxonomy) -> pd.DataFrame:
    """``reference_evidence(papers, taxonomy)``, worked out once per process for the same papers (compared by
    their pickled bytes) and taxonomy object: this file and ``tests/test_tagging_fast_paths.py`` (run in one
    worker, see ``tests/conftest.py``) compare the same inputs, and the frozen reference takes seconds on them."""
    import hashlib
    import pickle

    try:
        digest = hashlib.sha256(pickle.dumps(papers)).hexdigest()
    except (pickle.PicklingError, AttributeError, TypeError):  # e.g. a str subclass defined in a test
        return reference_evidence(papers, taxonomy)
    key = (digest, id(taxonomy), str(pd.Series(["x"]).dtype))  # new strings' dtype: pandas' options in force
    if key not in _REFERENCE_TABLES:
        _REFERENCE_TABLES[key] = (taxonomy, reference_evidence(papers, taxonomy))  # taxonomy kept: id stays its
    return _REFERENCE_TABLES[key][1].copy()


def assert_same(papers: pd.DataFrame, taxonomy: Taxonomy, expected: pd.DataFrame | None = None, **kwargs):
    """New evidence and tags equal the reference's (or raise the same error); returns the evidence."""
    if expected is None:
        expected = reference_evidence(papers, taxonomy, **kwargs) if kwargs else reference_of(papers, taxonomy)
    got = lr.evidence(papers, taxonomy, **kwargs, tagger="rules")  # the rules' decision is the reference's
    if expected.empty:  # (the reference's empty table is untyped; the kit's is typed: a mask of it selects rows)
        assert_frame_equal(got, expected, check_dtype=False)
        assert (str(got["start"].dtype), str(got["end"].dtype), str(got["tagged"].dtype)) == ("int64", "int64", "bool")
    else:
        assert_frame_equal(got, expected)
    if not kwargs:
        assert_same_tags(papers, taxonomy, expected, None)
        assert_same_tags(papers, taxonomy, expected, got)
    return got


def assert_same_tags(papers, taxonomy, expected_evidence, evidence_table):
    try:
        expected = reference_tag(papers, taxonomy, expected_evidence)
    except KeyError:  # the old tagger failed when no paper had any evidence; now every paper has no topic
        assert lr.tag(papers, taxonomy, evidence_table, tagger="rules")["topics"].tolist() == [[]] * len(papers)
        return
    assert_frame_equal(lr.tag(papers, taxonomy, evidence_table, tagger="rules"), expected)


@pytest.fixture(scope="module")
def corpus() -> pd.DataFrame:
    return make_corpus(3000)


@pytest.fixture(scope="module")
def with_ids(corpus) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The first 700 papers with unique ids, and the reference's evidence for them (the
    reference decides tags one pandas group at a time: all 3,000 would take seconds)."""
    papers = corpus.iloc[:700].assign(id=[f"p{i}" for i in range(700)])
    return papers, reference_of(papers, DEFAULT)


def test_seed_corpus_default_taxonomy():
    papers = lr.load()
    got = assert_same(papers, DEFAULT)
    assert len(got) > 500 and got["tagged"].any()


def test_bench_corpus_ids_missing_as_generated(corpus):
    assert corpus["id"].isna().all()
    got = assert_same(corpus, DEFAULT)
    assert len(got) > 30_000 and not got["tagged"].any()  # no id, no tag: as before


def test_bench_corpus_unique_ids(with_ids):
    papers, expected = with_ids
    got = assert_same(papers, DEFAULT, expected)
    assert len(got) > 7_000 and 0.5 < got["tagged"].mean() < 1


def test_bench_corpus_repeated_ids(corpus):
    papers = corpus.iloc[1000:1300].assign(id=[f"p{i % 100}" for i in range(300)])  # each id on three papers
    assert_same(papers, DEFAULT)


def test_small_chunks_in_threads(with_ids, monkeypatch):
    monkeypatch.setattr(matching, "_CHUNK_CHARS", 20_000)
    monkeypatch.setattr(matching, "_MAX_THREADS", 4)
    papers, expected = with_ids
    assert_same(papers, DEFAULT, expected)


TRICKY = parse_taxonomy(
    {
        "topics": [
            {
                "slug": "retrieval",
                "label": "Retrieval",
                "scope": "Acronyms against words.",
                "terms": ["retrieval-augmented generation", "dense retriever"],
                "acronyms": ["RAG", "Self-RAG", "READ", "GPT4", "x_y", "SuperLongAcronym16"],
                # "gpt4" comes after the acronym "GPT4" but is listed first where both match
                "supporting": ["search", "documents", "gpt4"],
            },
            {
                "slug": "peft",
                "label": "PEFT",
                "scope": "Spelling variants.",
                "terms": [
                    "fine-tuning",
                    "low-rank adaptation",
                    "prefix",
                    "patch",
                    "box",
                    "parameter-efficient fine-tuning",
                ],
                "acronyms": ["LoRA", "mBERT", "p-Tuning"],
                "supporting": ["frozen", "adapter", "adapters", "adapter"],
                "min_supporting": 3,
            },
            {
                "slug": "safety",
                "label": "Safety",
                "scope": "Nested and excluded.",
                "terms": ["ai safety", "safety", "red teaming", "internationalization"],
                "supporting": ["risk", "attack"],
                "exclude": ["safety belt", "attack surface", "red"],
                "min_supporting": 1,
            },
            {
                "slug": "reasoning",
                "label": "Reasoning",
                "scope": "Overlaps.",
                "terms": ["chain of thought", "thought process", "step-by-step", "of thought"],
                "acronyms": ["CoT", "PanGu-α"],
                "supporting": ["reasoning", "reason", "safety"],
            },
            {
                "slug": "languages",
                "label": "Languages",
                "scope": "Not ASCII.",
                "terms": ["modèle de langue", "naïve bayes", "straße", "σύστημα"],
                "acronyms": ["ΣΑΣ", "ÉTÉ"],
                "supporting": ["müller", "İstanbul", "中文", "σας"],
            },
        ]
    },
    source="tricky.yaml",
)

TRICKY_TEXTS = [
    {"title": "RAG for READ", "abstract": "RAG and rag and Rag; READ the docs, read them. Read more. RAGs, RAGS."},
    {"abstract": "Read: READ is an acronym. Self-RAG, self-rag, SelfRAG, Self RAG, Self_RAG, SELF-RAG, Self-RAGs."},
    {
        "abstract": "fine-tuning, fine tuning, finetuning, Fine-Tunings, fine\u2014tuning, fine_tuning, "
        "fine2tuning, finetuning2, fine - tuning, fine-\ntuning, FINE-TUNING."
    },
    {"abstract": "patches boxes boxs prefixes prefixs patchs Boxes PATCHES box's"},
    {
        "abstract": "AI safety and safety; AI-safety; ai safety belt; the safety belt; attack surface attack; "
        "red teaming"
    },
    {"abstract": "chain of thought process: chain-of-thought-process, thought processes; chains of thoughts"},
    {
        "abstract": "LoRA_adapter lora2 2LoRA LoRA-adapters LORA LoRAs mBERT MBERT mbert Mbert p-Tuning P-tuning "
        "p tuning"
    },
    {
        "abstract": "PanGu-α and PanGu-Α and pangu-α; modèle de langue, Modèle De Langue; naïve bayes, naive bayes; "
        "Straße STRASSE straßes"
    },
    {"abstract": "İstanbul i stanbul İSTANBUL müller MÜLLER Müller MüLLER 中文 中文化 ÉTÉ été Été"},
    {"abstract": "ΣΎΣΤΗΜΑ and σύστημα, ΣΑΣ, σας, ΣΑΣs, συστήματα ΣΥΣΤΗΜΑΣ."},
    {"abstract": "GPT4 gpt4 GPT-4 GPT 4 x_y x-y X_Y x y xy"},
    {"abstract": "RAG\x00RAG \x00 low\x00rank\x00adaptation \ufeffRAG\u200bRAG"},
    {
        "abstract": "parameterefficientfinetuning parameter-efficient-fine-tuning ParameterEfficientFineTunings "
        "internationalizations internationalizationx INTERNATIONALIZATION parameter_efficient_fine tuning "
        # the same first 8 and last 7 letters and length, another middle: not the rule word
        "internatabcdeization SuperLongAcronym16 SuperLonGaCronym16 superlongacronym16"
    },
    {"title": "", "abstract": "   ", "notes": "---"},
    {"title": None, "abstract": None, "notes": None},
    {"title": "Frozen", "abstract": "Nothing else.", "notes": "Uses RAG and ai safety with a frozen adapter."},
    {"title": "A", "abstract": "frozen adapters, an adapter, adapters frozen", "notes": "frozen"},
    {"abstract": "risk"},
    {"abstract": "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 RAG 𝔘 safety 😀 fine-tuning \U0001d518RAG"},
    {"abstract": "Reason. reasoning REASONING Reasoning's reasons reasonings"},
    {"abstract": "a dense retriever, dense retrievers, dense-retriever; documents search searches"},
    {"abstract": "RAG " * 200 + "fine-tuning " * 100},
]


def tricky_papers() -> pd.DataFrame:
    return to_frame({"id": f"t{i}", **row} for i, row in enumerate(TRICKY_TEXTS))


def test_tricky_texts():
    got = assert_same(tricky_papers(), TRICKY)
    # The cases are real: each kind of match is there to compare.
    assert {"RAG", "READ", "Self-RAG", "LoRA", "mBERT", "PanGu-α", "ΣΑΣ", "ÉTÉ", "GPT4"} <= set(got["rule"])
    assert {"fine tuning", "finetuning", "Fine-Tunings", "fine_tuning", "straßes", "ΣΎΣΤΗΜΑ", "ΣΑΣ"} <= set(
        got["matched"]
    )
    assert got.loc[got["rule"] == "SuperLongAcronym16", "matched"].tolist() == ["SuperLongAcronym16"]
    assert "internatabcdeization" not in set(got["matched"])
    assert not got["matched"].isin(["rag", "Rag", "read", "Read", "MBERT", "self-rag"]).any()
    assert assert_same(tricky_papers(), DEFAULT)["tagged"].any()


def test_tricky_texts_other_fields():
    papers = tricky_papers()
    for fields in [("abstract", "title"), ("title", "title"), ("abstract",), ("notes", "abstract", "notes")]:
        assert_same(papers, TRICKY, None, fields=fields)


def test_ids_that_are_not_strings():
    papers = tricky_papers()
    assert_same(papers.assign(id=range(len(papers))), TRICKY)
    assert_same(papers.assign(id=[None if i % 3 == 0 else f"t{i}" for i in range(len(papers))]), TRICKY)
    assert_same(papers.iloc[:0], TRICKY)
    assert_same(papers.assign(abstract=None, title=None, notes=None), TRICKY)


def test_pandas_object_strings():
    papers = tricky_papers()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the option is deprecated in pandas 3, still honoured
        with pd.option_context("future.infer_string", False):
            got = assert_same(papers, TRICKY)
    assert got["topic"].dtype == object


def test_lone_surrogates_as_before():
    papers = to_frame([{"id": "a", "abstract": "RAG \ud800 safety"}, {"id": "b", "abstract": "RAG"}])
    assert_same(papers, TRICKY)
    inside = to_frame([{"id": "a", "abstract": "ai\ud800safety"}])
    with pytest.raises(UnicodeEncodeError):
        reference_evidence(inside, TRICKY)
    with pytest.raises(UnicodeEncodeError):
        lr.evidence(inside, TRICKY)


def random_papers(taxonomy: Taxonomy, n: int, seed: int) -> pd.DataFrame:
    """Texts of rule words in random case, glued by separators of all kinds, with other words."""
    rng = random.Random(seed)
    words = sorted(
        {
            w
            for t in taxonomy.topics
            for p in (*t.terms, *t.acronyms, *t.supporting, *t.exclude)
            for w in re.findall(r"[^\W_]+", p)
        }
    )
    others = ["the", "model", "a", "of", "çà", "Σ", "ς", "İ", "ß", "ﬁ", "中", "𝔘", "x1", "7", "ǅ", "K"]
    separators = [" ", " ", " ", "-", "_", ", ", "\u2014", "\u00a0", "’", ".\n", "/", "", "\x00", "'s "]
    case = [str.lower, str.upper, str.title, lambda w: w, lambda w: w]

    def text() -> str:
        parts = []
        for _ in range(rng.randint(0, 40)):
            word = rng.choice(words) if rng.random() < 0.7 else rng.choice(others)
            word = rng.choice(case)(word)
            if rng.random() < 0.15:
                word += rng.choice(["s", "es", "S"])
            parts += [word, rng.choice(separators)]
        return "".join(parts)

    rows = [
        {"id": f"r{i % (n - 7)}", "title": text()[:80], "abstract": text(), "notes": text() if i % 5 == 0 else None}
        for i in range(n)
    ]
    return to_frame(rows)


@pytest.mark.parametrize("seed", [1, 2])
def test_random_texts(seed):
    assert_same(random_papers(TRICKY, 150, seed), TRICKY)
    assert_same(random_papers(DEFAULT, 150, seed), DEFAULT)


def test_alphabet_too_large_for_bytes_falls_back():
    letters = [chr(0x4E00 + i) for i in range(300)]
    taxonomy = parse_taxonomy(
        {"topics": [{"slug": "han", "label": "Han", "scope": "Many letters.", "terms": letters, "acronyms": ["RAG"]}]}
    )
    assert not tagging._compiled(taxonomy).enabled
    papers = to_frame([{"id": "a", "abstract": "一 丁 RAG rag 万丈"}, {"id": "b", "title": "七"}])
    assert len(assert_same(papers, taxonomy)) == 4


def test_key_table_with_probing():
    rng = np.random.default_rng(5)
    keys = rng.integers(1, 2**63, size=(2, 3000), dtype=np.uint64)
    table = tagging._KeyTable(*keys, max_bits=13)
    assert table.probes > 1
    absent = rng.integers(1, 2**63, size=(2, 500), dtype=np.uint64)
    found = table.find(np.r_[keys[0], absent[0]], np.r_[keys[1], absent[1]])
    assert found.tolist() == list(range(3000)) + [3000] * 500


def test_linear_probing_places_the_first_row_first_and_wraps_around():
    from litreview.tagging.wordkeys import _place

    # Five rows want slot 6 of 8 and row 2 wants slot 7.  Round by round, each row not yet placed tries its
    # next slot and the first row wins a free one: 0 takes 6 and 2 takes 7, then 1 takes 0 (after the end,
    # round again), 3 takes 1, 4 takes 2 and 5 takes 3, having walked 6, 7, 0, 1, 2, 3: six probes.
    probes, table = _place(np.array([6, 6, 7, 6, 6, 6], dtype=np.uint64), 3, 6)
    assert table.tolist() == [1, 3, 4, 5, 6, 6, 0, 2] and probes == 6
    # no collision: one probe, each row at its slot
    probes, table = _place(np.array([3, 0, 5], dtype=np.uint64), 3, 3)
    assert table.tolist() == [1, 3, 3, 0, 3, 2, 3, 3] and probes == 1


def test_lowercase_is_per_character_but_for_sigma_and_dotted_i():
    """The byte map lowers character by character: true of str.lower() except the final
    sigma (context) and U+0130 (two characters), which tagging.py handles apart."""
    longer = [c for c in map(chr, range(0x110000)) if len(c.lower()) != 1]
    assert longer == ["\u0130"]
    assert "ΑΣ".lower() == "ας" and "ΣΑ".lower() == "σα" and "Σ".lower() == "σ"
    assert unicodedata.category("\u0307") == "Mn" and not "\u0307".isalnum()


# ----------------------------------------------------------------------------------------------------------------------
# FROZEN REFERENCE COPY: litreview/tagging.py as it was before the bulk matcher (commit 60b43be), only
# renamed (Matcher -> ReferenceMatcher, evidence -> reference_evidence, tag -> reference_tag, topic_table dropped).
# Used only to check equivalence above and to time the old tagger in bench/tagging.py.  Do not change it.
# ----------------------------------------------------------------------------------------------------------------------

FIELDS: tuple[str, ...] = ("title", "abstract", "notes")
# Commentary is not the paper's own account of itself: it only supports.
SUPPORTING_ONLY_FIELDS = frozenset({"notes"})
EVIDENCE_COLUMNS = ["id", "topic", "field", "rule", "kind", "matched", "start", "end", "tagged"]

_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class _Rule:
    topic: str
    kind: str  # "term", "supporting" or "exclude"
    phrase: str  # the rule as written in the taxonomy

    @property
    def cue(self) -> str:
        """The rule's spelling-independent key: ``pre-training`` and ``pretrainings``
        are one cue, so listing both cannot count as two."""
        return "".join(_WORD.findall(self.phrase.lower())).removesuffix("es").removesuffix("s")


class ReferenceMatcher:
    """Every rule of a taxonomy compiled into one word-sequence lookup table."""

    def __init__(self, taxonomy: Taxonomy):
        self.taxonomy = taxonomy
        # first word -> list of (word tuple, case_sensitive, rule)
        self._table: dict[str, list[tuple[tuple[str, ...], bool, _Rule]]] = defaultdict(list)
        for topic in taxonomy.topics:
            for kind, phrases, exact in (
                ("term", topic.terms, False),
                ("term", topic.acronyms, True),
                ("supporting", topic.supporting, False),
                ("exclude", topic.exclude, False),
            ):
                for phrase in phrases:
                    rule = _Rule(topic.slug, kind, phrase)
                    for variant in _variants(phrase, exact):
                        key = variant[0] if exact else variant[0].lower()
                        self._table[key].append((variant, exact, rule))
        for entries in self._table.values():
            entries.sort(key=lambda e: -len(e[0]))

    def scan(self, text: str) -> list[tuple[_Rule, int, int]]:
        """All rule matches in ``text`` as ``(rule, start, end)`` character spans."""
        words = [(m.group(), m.start(), m.end()) for m in _WORD.finditer(text)]
        lowered = [w.lower() for w, _, _ in words]
        found: list[tuple[_Rule, int, int]] = []
        table = self._table
        for i, (word, _, _) in enumerate(words):
            candidates = table.get(lowered[i])
            if word != lowered[i]:
                exact_candidates = table.get(word)
                if exact_candidates:
                    candidates = (candidates or []) + exact_candidates
            if not candidates:
                continue
            for phrase, exact, rule in candidates:
                n = len(phrase)
                got = [w for w, _, _ in words[i : i + n]] if exact else lowered[i : i + n]
                if len(got) == n and tuple(got) == phrase:
                    found.append((rule, words[i][1], words[i + n - 1][2]))
        return found


def _variants(phrase: str, exact: bool) -> set[tuple[str, ...]]:
    """Word sequences a rule phrase matches: as written, joined, and plural."""
    words = _WORD.findall(phrase if exact else phrase.lower())
    if not words:
        return set()
    forms = {tuple(words)}
    if len(words) > 1:
        forms.add(("".join(words),))  # fine-tuning -> finetuning
    plurals = set()
    for form in forms:
        last = form[-1]
        if last[-1:].isalpha():
            plurals.add(form[:-1] + (last + "s",))
            if last.endswith(("s", "x", "ch", "sh")):
                plurals.add(form[:-1] + (last + "es",))
    return forms | plurals


def reference_evidence(
    papers: pd.DataFrame, taxonomy: Taxonomy | str | None = None, fields: tuple[str, ...] = FIELDS
) -> pd.DataFrame:
    """Every rule match in every paper, as a tidy table.

    Columns: ``id``, ``topic``, ``field``, ``rule`` (the taxonomy phrase),
    ``kind`` (``term`` or ``supporting``), ``matched`` (the text as it appears),
    ``start``/``end`` (character offsets in the field) and ``tagged`` (whether
    the paper got the topic).  Matches inside an ``exclude`` phrase are left out.
    """
    taxonomy = _as_taxonomy(taxonomy)
    _check_papers(papers, fields)
    matcher = ReferenceMatcher(taxonomy)
    rows = []
    for pid, *texts in zip(papers["id"], *(papers[f] for f in fields)):
        for field, text in zip(fields, texts):
            if not isinstance(text, str) or not text:
                continue
            hits = matcher.scan(text)
            excluded = [(r.topic, s, e) for r, s, e in hits if r.kind == "exclude"]
            kept = [h for h in hits if h[0].kind != "exclude"]
            for rule, start, end in kept:
                if any(t == rule.topic and s <= start and end <= e for t, s, e in excluded):
                    continue
                if _inside_longer(rule, start, end, kept):
                    continue
                kind = "supporting" if field in SUPPORTING_ONLY_FIELDS else rule.kind
                rows.append((pid, rule.topic, field, rule.phrase, kind, text[start:end], start, end))
    table = pd.DataFrame(rows, columns=EVIDENCE_COLUMNS[:-1])
    decided = _decide(table, taxonomy)
    table["tagged"] = [(p, t) in decided for p, t in zip(table["id"], table["topic"])]
    ranks = {
        "id": {pid: i for i, pid in enumerate(papers["id"])},
        "topic": {slug: i for i, slug in enumerate(taxonomy.slugs)},
        "field": {f: i for i, f in enumerate(fields)},
    }
    table = table.sort_values(
        ["id", "topic", "field", "start"],
        key=lambda col: col.map(ranks[col.name]) if col.name in ranks else col,
        kind="stable",
    )
    return table.reset_index(drop=True)


def _inside_longer(rule: _Rule, start: int, end: int, hits) -> bool:
    """Whether a longer match of the same topic covers this one (``ai safety``
    covers ``safety``): the text is evidence once, for the longer rule."""
    return any(
        other.topic == rule.topic and s <= start and end <= e and (e - s) > (end - start) for other, s, e in hits
    )


def _decide(table: pd.DataFrame, taxonomy: Taxonomy) -> set[tuple[str, str]]:
    """(paper, topic) pairs whose evidence meets the topic's rule."""
    decided = set()
    for (pid, topic), hits in table.groupby(["id", "topic"], sort=False):
        strong = (hits["kind"] == "term") | (hits["field"] == "title")
        cues = hits["rule"].map(lambda phrase, t=topic: _Rule(t, "", phrase).cue).nunique()
        if strong.any() or cues >= taxonomy[topic].min_supporting:
            decided.add((pid, topic))
    return decided


def reference_tag(
    papers: pd.DataFrame, taxonomy: Taxonomy | str | None = None, evidence_table: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Return ``papers`` with a ``topics`` column: the slugs, in taxonomy order.

    ``taxonomy`` is a :class:`~litreview.tagging.taxonomy.Taxonomy`, a path to a YAML
    file, or ``None`` for the default taxonomy.  :func:`evidence` shows why
    each paper got each topic; pass its result as ``evidence_table`` (made with
    the same taxonomy) to tag without matching the text a second time.
    """
    taxonomy = _as_taxonomy(taxonomy)
    table = reference_evidence(papers, taxonomy) if evidence_table is None else evidence_table
    tagged = table[table["tagged"]].drop_duplicates(["id", "topic"])
    by_paper = tagged.groupby("id", sort=False)["topic"].agg(list).to_dict()
    out = papers.copy()
    order = {slug: i for i, slug in enumerate(taxonomy.slugs)}
    out["topics"] = [sorted(by_paper.get(pid, []), key=order.__getitem__) for pid in papers["id"]]
    return out


def _as_taxonomy(taxonomy: Taxonomy | str | None) -> Taxonomy:
    if isinstance(taxonomy, Taxonomy):
        return taxonomy
    return load_taxonomy(taxonomy)


def _check_papers(papers: pd.DataFrame, fields) -> None:
    if not isinstance(papers, pd.DataFrame):
        raise TypeError(f"expected a papers DataFrame, got {type(papers).__name__}")
    missing = [c for c in ("id", *fields) if c not in papers.columns]
    if missing:
        raise ValueError(f"papers table lacks column(s) {missing}; load it with litreview.load()")
