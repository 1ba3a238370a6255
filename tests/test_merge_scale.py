"""Merging at scale: the whole-column key functions agree with the per-value rules, and the merge
they drive is the one the per-value rules give (same papers, same merge log) on the shared fixtures
and on a generated corpus with every kind of duplicate."""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import litreview as lr
from litreview.fields.names import first_author_surnames
from litreview.io import merge_keys as merge_module
from litreview.io.merge import (
    FUZZY_BLOCK_CHARS,
    _blocks,
    _first_author_surname,
    _squashed_title,
    find_duplicates,
)

FIXTURES = Path(__file__).resolve().parents[2] / "shared" / "fixtures"
needs_fixtures = pytest.mark.skipif(not FIXTURES.is_dir(), reason="../shared/fixtures is not beside this checkout")

TITLES = [
    "LIMA: Less Is More for  Alignment", "{B}ERT: pre-training", "Schrödinger's $\\alpha$-cat", "SemEval-2016",
    "a\\_b", "", "   ", None, "Ünïcode – dash", "ALL_CAPS_AND_UNDERSCORES", "x" * 40,
]  # fmt: skip
AUTHORS = [
    ["Ashish Vaswani"], ["Vaswani, Ashish"], [], None, ["John Smith Jr."], ["J. R. R. Tolkien"], ["Jörg Müller"],
    ["O'Neil-Smith, Ann"], ["  Li   Na "], ["jr"], ["Anne de la Cruz III"], ["x\x1fy z"],
]  # fmt: skip


def test_squashed_titles_agree_with_the_per_value_rule():
    odd = [chr(c) * 3 + "Ab" + chr(c) for c in range(128)] + [float("nan"), 3, "$x$ {Y}"]
    assert merge_module.squashed_titles(TITLES + odd) == [_squashed_title(t) for t in TITLES + odd]


def test_first_author_surnames_agree_with_the_per_value_rule():
    assert first_author_surnames(AUTHORS) == [_first_author_surname(a) for a in AUTHORS]
    odd = [[chr(c) + "Ann " + chr(c) + "Lee" + chr(c)] for c in range(128)] + [["Ann Lee IV"], ["IV"], [" "], [""]]
    assert merge_module.first_author_surnames(AUTHORS + odd) == first_author_surnames(AUTHORS + odd)


def test_blocks_are_the_titles_sharing_an_end():
    titles = sorted(["abcdefghijklmnXXXXXXXXXXXXXXX", "abcdefghijklmnYYYY", "zzzzzzzzzzzzzzXXXXXXXXXXXXXXX", "q" * 30])
    expected: dict[str, list[int]] = {}
    for k, t in enumerate(titles):
        expected.setdefault("^" + t[:FUZZY_BLOCK_CHARS], []).append(k)
        expected.setdefault("$" + t[-FUZZY_BLOCK_CHARS:], []).append(k)
    assert sorted(_blocks(titles)) == sorted(m for m in expected.values() if len(m) > 1)


def per_value_keys(monkeypatch) -> None:
    """Make the merge compute its keys value by value, as it did before the columnar twins."""
    monkeypatch.setattr(merge_module, "squashed_titles", lambda titles: [_squashed_title(t) for t in titles])
    monkeypatch.setattr(merge_module, "first_author_surnames", lambda lists: [_first_author_surname(a) for a in lists])


def both_merges(paths, monkeypatch):
    """``(papers, merge log)`` of ``lr.load(paths)``'s merge with the whole-column keys, and of the same
    records merged with the per-value keys (read once: the merge is what differs)."""
    from litreview.io import load as load_module

    merged = {}
    merge_records = load_module.merge_records

    def both(records, formats, **options):
        with monkeypatch.context() as patch:
            per_value_keys(patch)
            merged["slow"] = merge_records(records.copy(), list(formats), **options)
        merged["fast"] = merge_records(records, formats, **options)
        papers, log = merged["fast"]
        return papers.copy(), log  # (lr.load flags shared abstracts on its copy: the merges alone are compared)

    with warnings.catch_warnings(), monkeypatch.context() as patch:
        warnings.simplefilter("ignore")
        patch.setattr(load_module, "merge_records", both)
        loaded = lr.load(paths, errors="skip", progress=False)
    pd.testing.assert_frame_equal(lr.merge_log(loaded), merged["fast"][1])  # (the merge lr.load made)
    return merged["fast"], merged["slow"]


def duplicates_corpus(tmp_path: Path) -> Path:
    """Papers in two exports: arXiv versions, DOIs behind resolvers, re-cased titles, typos, shared abstracts."""
    rows = []
    for i in range(120):
        title = f"Scaling study number {i} of retrieval augmented generation models"
        abstract = " ".join(f"token{i}_{j}" for j in range(40))
        rows.append(
            {
                "title": title,
                "abstract": abstract,
                "authors": ["Ana Li"],
                "year": 2020 + i % 4,
                "arxiv_id": f"2101.{i:05d}" if i % 2 else None,
                "doi": None if i % 2 else f"10.1234/s.{i}",
            }
        )
        dup = dict(rows[-1])
        kind = i % 4
        if kind == 0:
            dup["doi"] = f"https://doi.org/10.1234/S.{i}"
        elif kind == 1:
            dup["arxiv_id"] = f"2101.{i:05d}v2"
        elif kind == 2:
            dup.update(title=title.upper() + ".", arxiv_id=None, doi=None)
        else:
            dup.update(title=title.replace("retrieval", "retreival"), arxiv_id=None, doi=None, abstract=None)
        rows.append(dup)
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    pd.DataFrame(rows[0::2]).to_json(a, orient="records", lines=True)
    pd.DataFrame(rows[1::2]).to_json(b, orient="records", lines=True)
    return tmp_path


def test_the_merge_is_the_per_value_merge_on_a_corpus_of_duplicates(tmp_path, monkeypatch):
    (fast, fast_log), (slow, slow_log) = both_merges(duplicates_corpus(tmp_path), monkeypatch)
    assert len(fast) == 120
    pd.testing.assert_frame_equal(fast, slow)
    pd.testing.assert_frame_equal(fast_log, slow_log)
    assert set(fast_log["matched_on"]) == {"arxiv_id", "doi", "abstract", "fuzzy_title"}


@needs_fixtures
def test_the_merge_is_the_per_value_merge_on_the_shared_fixtures(monkeypatch):
    files = sorted(p for p in FIXTURES.rglob("*") if p.is_file() and p.name != "README.md")
    (fast, fast_log), (slow, slow_log) = both_merges(files, monkeypatch)
    pd.testing.assert_frame_equal(fast, slow)
    pd.testing.assert_frame_equal(fast_log, slow_log)
    assert len(fast_log) > 100


def reference_abstract_key(abstract):
    """The abstract key as the per-value rule gave it before its ASCII fast path: normalize_title throughout."""
    from litreview.fields.ids import normalize_title

    if not abstract:
        return None
    head = abstract[: merge_module.ABSTRACT_KEY_WORDS * 12]
    words = normalize_title(head).split()
    if len(words) <= merge_module.ABSTRACT_KEY_WORDS and len(head) < len(abstract):
        words = normalize_title(abstract).split()
    elif len(head) < len(abstract):
        words = words[:-1]
    n = merge_module.ABSTRACT_KEY_WORDS
    return " ".join(words[:n]) if len(words) >= n else None


def test_abstract_keys_agree_with_normalize_title():
    import random

    rng = random.Random(5)
    alphabet = list("abcXYZ019 ,.-_{}$\\'\n\t\x1c\x0b") + list("éü–ßİﬁ\u0301²Σ’ǅ٣")
    values = ["", None, " ", "x " * 24 + "x", "x " * 25, "y " * 150, "w " * 149 + "ww", "a_b " * 30, "A{B}C " * 40,
              "é " * 10 + "x " * 200, "Schr\\\"{o}dinger " * 30]  # fmt: skip
    for _ in range(5000):
        n = rng.choice([5, 50, 150, 280, 299, 300, 301, 320, 400])
        share = rng.choice([0.0, 0.02, 0.1, 0.3])
        chars = (rng.choice(alphabet) if rng.random() < share else rng.choice("abcdefgh ") for _ in range(n))
        values.append("".join(chars))
    keys = [merge_module._abstract_key(v) for v in values]
    assert keys == [reference_abstract_key(v) for v in values]
    assert sum(k is not None for k in keys) > 1000


def test_rows_are_to_dict_records():
    from litreview.io.merge import _rows
    from litreview.schema import to_frame

    frame = to_frame([{"title": "a", "year": 2020, "authors": ["x"], "citation_count": 3}, {"title": None}])
    frame["extra"] = [1.5, float("nan")]
    expected, got = frame.to_dict("records"), _rows(frame)
    assert [list(r) for r in got] == [list(r) for r in expected]
    for want, have in zip(expected, got):
        for key, value in want.items():
            assert type(have[key]) is type(value) and (have[key] == value or value != value), key


def test_length_windows_find_the_pairs_of_a_whole_block():
    import random

    import numpy as np
    from rapidfuzz.distance import Indel
    from rapidfuzz.process import cdist

    from litreview.io.merge_fuzzy import FUZZY_SIMILARITY, _pairs_by_length

    rng = random.Random(2)
    base = "scalingstudyofretrievalaugmentedgeneration"
    titles = sorted({base[: rng.randint(20, len(base))] + "".join(rng.choice("ab") for _ in range(rng.randint(0, 30)))
                     for _ in range(400)})  # fmt: skip
    members = list(range(len(titles)))
    scores = cdist(titles, titles, scorer=Indel.normalized_similarity, score_cutoff=FUZZY_SIMILARITY)
    whole = sorted((int(a), int(b)) for a, b in zip(*np.nonzero(np.triu(scores, 1))))
    assert sorted(_pairs_by_length(members, titles)) == whole and len(whole) > 50


@given(st.data())
@settings(max_examples=150, deadline=None)
def test_length_windows_give_the_pairs_the_scorer_gives_pair_by_pair(data):
    # each pair scored alone, as the scorer's own cutoff decides it (threshold arithmetic included), against the
    # windows' distances over cut cores: a shared opening and ending (empty cores, a title the prefix of another),
    # letters outside ASCII and outside the Basic Multilingual Plane, more titles than one window
    from itertools import combinations

    from rapidfuzz.distance import Indel

    from litreview.io.merge_fuzzy import FUZZY_SIMILARITY, _pairs_by_length

    letters = st.sampled_from("abé☃𝒳")
    opening, ending = data.draw(st.text(letters, max_size=12)), data.draw(st.text(letters, max_size=12))
    base = data.draw(st.text(letters, min_size=1, max_size=70))
    cores = {base}
    for _ in range(data.draw(st.integers(1, 90))):
        core = data.draw(st.sampled_from(sorted(cores)))
        at = data.draw(st.integers(0, len(core)))
        edit = data.draw(st.sampled_from(["cut", "drop", "add", "swap"]))
        cores.add({"cut": core[:at], "drop": core[:at] + core[at + 1 :], "swap": core[:at] + "b" + core[at + 1 :],
                   "add": core[:at] + "a" + core[at:]}[edit])  # fmt: skip
    titles = sorted({opening + c + ending for c in cores} - {""})
    assume(len(titles) >= 2)
    pairs = [(a, b) for a, b in combinations(range(len(titles)), 2)
             if Indel.normalized_similarity(titles[a], titles[b], score_cutoff=FUZZY_SIMILARITY)]  # fmt: skip
    assert sorted(_pairs_by_length(list(range(len(titles))), titles)) == pairs


def test_length_windows_leave_out_a_pair_exactly_at_the_threshold():
    # a distance of 7% of the lengths is 1 - 0.07 = 0.9299999999999999 in floating point, under the cutoff as the
    # scorer takes it: a similarity compared with any tolerance counted it in
    from rapidfuzz.distance import Indel

    from litreview.io.merge_fuzzy import FUZZY_SIMILARITY, _pairs_by_length

    title = "ab" * 50
    seven = "".join("c" if k in range(0, 98, 14) else x for k, x in enumerate(title))  # (7 changed: distance 14)
    six = seven[:84] + title[84:]  # (6 changed: distance 12 from the title, 2 from seven)
    assert [Indel.distance(title, seven), Indel.distance(title, six)] == [14, 12]
    assert not Indel.normalized_similarity(title, seven, score_cutoff=FUZZY_SIMILARITY)
    titles = [title, six, seven]
    assert sorted(_pairs_by_length([0, 1, 2], titles)) == [(0, 1), (1, 2)]


def test_a_large_block_is_searched_whole_with_its_shared_ends_cut():
    # 3,000 titles sharing an opening and an ending (a stock phrase, a venue's suffix), variants of one
    # another: every pair within FUZZY_SIMILARITY comes back, as scoring the whole block with the uncut titles
    # gives them (a block this large was once cut into runs by length)
    import random

    import numpy as np
    from rapidfuzz.distance import Indel
    from rapidfuzz.process import cdist

    from litreview.io.merge_fuzzy import FUZZY_SIMILARITY, _fuzzy_candidates, _pairs_by_length

    rng = random.Random(7)
    bases = ["".join(rng.choice("abcd") for _ in range(rng.randint(15, 70))) for _ in range(650)]
    variants = (b[:k] + rng.choice(["", "e", "ab"]) + b[k + rng.randint(0, 1) :]
                for b in bases for k in rng.sample(range(len(b)), 4))  # fmt: skip
    titles = sorted({f"asurveyofmethodsfor{v}review" for v in [*bases, *variants]})
    members = list(range(len(titles)))
    scores = cdist(titles, titles, scorer=Indel.normalized_similarity, score_cutoff=FUZZY_SIMILARITY, workers=-1)
    whole = sorted((int(a), int(b)) for a, b in zip(*np.nonzero(np.triu(scores, 1))))
    assert sorted(_pairs_by_length(members, titles)) == whole and len(titles) > 2_500 and len(whole) > 1_000
    assert _fuzzy_candidates(titles) == [(titles[a], titles[b]) for a, b in whole]


def test_title_words_are_the_words_of_normalize_title():
    import random

    from litreview.fields.ids import normalize_title, title_words

    rng = random.Random(11)
    # (the characters where the two parts meet: marks NFKD reorders, the final sigma, NFKD's spaces and letters)
    odd = list("éü–ßİﬁ\u0301\u0327\u0308²Σσ’ǅ٣\xa0\u2009ฮฑ“”—_{}$\\") + ["\ud800", "ΑΣ", "Σ'", "x\u0301Σ"]
    values = ["", " ", "Σ", " Σ", "a Σ", "AΣ b", "a \u0301b", "a\u0301 b", "é", "x é", "x\té", "x_ é", "{é}"]
    for _ in range(20000):
        n = rng.choice([1, 3, 10, 40, 120, 300])
        share = rng.choice([0.02, 0.1, 0.4])
        values.append(
            "".join(rng.choice(odd) if rng.random() < share else rng.choice("abAB09 ,.-'\t") for _ in range(n))
        )
    assert [title_words(v) for v in values] == [normalize_title(v).split() for v in values]


def test_space_like_marks_part_words_as_a_space_does():
    from litreview.fields.ids import normalize_title

    for mark in merge_module.SPACE_LIKE:
        assert not mark.isascii() and not mark.isalnum()
        for left, right in [("a", "b"), ("a ", "b"), ("a", " b"), ("Σ", "x"), ("x", "\u0301y"), ("{", "}"), ("_", "$")]:
            assert normalize_title(left + mark + right).split() == normalize_title(left + " " + right).split()


def test_abstract_keys_with_typographic_marks_agree_with_normalize_title():
    import random

    rng = random.Random(7)
    marks = list(merge_module.SPACE_LIKE) + list("é\u0301Σﬁ\ud800ฮ\\{}$_") + ["\u2019s", "\xa0\xa0"]
    values = []
    for _ in range(20000):
        n = rng.choice([50, 150, 280, 299, 300, 301, 320, 400, 1200])
        share = rng.choice([0.0, 0.01, 0.03, 0.1, 0.3])
        words = "abcdefgh  ,.-'\t"
        values.append("".join(rng.choice(marks) if rng.random() < share else rng.choice(words) for _ in range(n)))
    keys = [merge_module._abstract_key(v) for v in values]
    assert keys == [reference_abstract_key(v) for v in values]
    assert sum(k is not None for k in keys) > 5000


@pytest.mark.skipif(sys.platform != "linux", reason="the candidates are found in a forked process on Linux only")
def test_candidates_found_in_a_forked_process_are_the_threads(tmp_path, monkeypatch):
    from litreview.io import merge_fuzzy

    records = lr.load(duplicates_corpus(tmp_path), merge=False, progress=False)
    threaded = find_duplicates(records)
    forks = []
    real_forked = merge_fuzzy._forked

    def forked_spy(squashed):
        forks.append(len(squashed))
        return real_forked(squashed)

    monkeypatch.setattr(merge_fuzzy, "FORKED_FROM", 0)
    monkeypatch.setattr(merge_fuzzy, "_room_to_fork", lambda: True)  # (whatever this machine has free)
    monkeypatch.setattr(merge_fuzzy, "_forked", forked_spy)
    forked = find_duplicates(records)
    assert forks == [len(records)]  # the pairs did come from a forked process
    pd.testing.assert_frame_equal(forked, threaded)
    assert set(forked["matched_on"]) >= {"fuzzy_title"}
    monkeypatch.setattr(merge_fuzzy, "_room_to_fork", lambda: False)  # (too little memory: on a thread)
    pd.testing.assert_frame_equal(find_duplicates(records), threaded)
    assert len(forks) == 1
    monkeypatch.setattr(merge_fuzzy, "_room_to_fork", lambda: True)

    def fails(squashed):
        raise ValueError("no candidates here")

    monkeypatch.setattr(merge_fuzzy, "_fuzzy_candidates", fails)
    with pytest.raises(ValueError, match="no candidates here"):  # raised in the child, raised here in its place
        find_duplicates(records)
    assert len(forks) == 2


def test_merged_rows_written_in_place_are_the_concatenation(tmp_path):
    import numpy as np

    from litreview.io.merge import merge_records

    records = lr.load(duplicates_corpus(tmp_path), merge=False, progress=False).iloc[:-7]  # (7 papers read once)
    formats = ["json-records"] * len(records)
    papers, log = merge_records(records, formats, in_schema=True)
    assert len(papers) == 120 and papers.index.equals(pd.RangeIndex(120))
    assert papers["provenance"].map(len).value_counts().to_dict() == {2: 113, 1: 7}
    # (a column of another type, here ids not yet given, takes the concatenation of the singles and the merged
    # rows sorted by record: the same papers)
    typed = records.assign(id=np.nan)
    assert typed["id"].dtype == "float64"
    concatenated, concatenated_log = merge_records(typed, formats, in_schema=True)
    pd.testing.assert_frame_equal(concatenated, papers)
    pd.testing.assert_frame_equal(concatenated_log, log)


def test_a_containers_memory_limit_counts_before_forking(tmp_path):
    from litreview.io.merge_fuzzy import _container_room_kib

    assert _container_room_kib(str(tmp_path)) == float("inf")  # no cgroup files: no limit known
    (tmp_path / "memory.max").write_text("max\n")
    (tmp_path / "memory.current").write_text("1048576\n")
    assert _container_room_kib(str(tmp_path)) == float("inf")
    (tmp_path / "memory.max").write_text("4194304\n")  # 4 MiB allowed, 1 MiB used
    assert _container_room_kib(str(tmp_path)) == 3072


def _abstract_variants(rng, base: str) -> list[str]:
    """Ways sources write one abstract: case, punctuation, spacing, braces, typographic marks, a changed tail."""
    marks = list(merge_module.SPACE_LIKE) + ["{", "}", "$", "_", "-", ", ", "  ", "\t", "é", "\u0301", "Σ", "\\'e"]

    def noisy(text: str) -> str:
        return "".join(c + rng.choice(marks) if c == " " and rng.random() < 0.15 else c for c in text)

    opening = " ".join(base.split()[:25])  # (the same key, other words after it)
    return [base, base.upper(), noisy(base), noisy(base), base[: len(base) // 2] + " Other ending.", "é " + base,
            base.replace(" ", "  "), "{" + base + "}", base + " \\cite{x}", opening + " zz qq rr ss tt uu vv ww xx",
            "\\alpha " + base, "α " + base, "$\\alpha$ " + base]  # fmt: skip


def test_shared_abstract_keys_are_the_keys_records_share():
    """Grouping on abstracts reads a key only where another record's proxy is the same: every key two records
    share comes back as the per-value rule gives it, and any other comes back as that key or ``None``."""
    import random

    rng = random.Random(3)
    words = "we study how large models learn new tasks from few examples given in prompt a b x y z".split()
    bases = [" ".join(rng.choice(words) for _ in range(rng.choice([3, 24, 25, 26, 30, 60, 200]))) for _ in range(300)]
    bases += ["a " * 30, "a b " * 20 + "tail", "x" * 100 + " y" * 30, "α " * 40, "Σ" + "ab " * 40,
              "a " * 26 + "longer words follow after the twenty-sixth word " * 3]
    values = [None, "", " ", "\\"] + [v for base in bases for v in _abstract_variants(rng, base)]
    rng.shuffle(values)
    keys = [merge_module._abstract_key(v) for v in values]
    shared = merge_module.shared_abstract_keys(values)
    counts = pd.Series(keys, dtype=object).value_counts()
    proxies: dict[str, set] = {}  # (the rule's ground: equal keys, equal proxies)
    for key, value in zip(keys, values):
        if key is not None:
            proxies.setdefault(key, set()).add(merge_module._abstract_proxy(value)[0])
    assert all(len(found) == 1 for found in proxies.values())
    for key, got in zip(keys, shared):
        if key is not None and counts[key] > 1:
            assert got == key
        else:
            assert got in (None, key)
    assert sum(key is not None and counts[key] > 1 for key in keys) > 500
    assert merge_module.key_lists(pd.DataFrame({"abstract": values, "arxiv_id": None, "doi": None, "title": None,
                                                "year": None, "authors": [[]] * len(values), "source": "s"}),
                                  shared_only=True)["abstract"] == shared  # fmt: skip


@pytest.mark.skipif(sys.platform != "linux", reason="processes fork on Linux only")
def test_a_process_forked_before_reading_finds_the_same_candidates(tmp_path, monkeypatch):
    from litreview.io import merge_fuzzy

    path = duplicates_corpus(tmp_path)
    records = lr.load(path, merge=False, progress=False)
    threaded = find_duplicates(records)
    monkeypatch.setattr(merge_fuzzy, "FORKED_FROM", 0)
    monkeypatch.setattr(merge_fuzzy, "_room_to_fork", lambda: True)
    monkeypatch.setattr(merge_fuzzy, "_forked", None)  # (a fork at merge time would fail)
    with merge_fuzzy.fuzzy_process_ahead(merge_fuzzy.FORK_AHEAD_BYTES) as ahead:
        assert isinstance(ahead, merge_fuzzy.FuzzyProcess)
        pd.testing.assert_frame_equal(find_duplicates(records, fuzzy_ahead=ahead), threaded)
    with merge_fuzzy.fuzzy_process_ahead(merge_fuzzy.FORK_AHEAD_BYTES) as unused:
        pass  # (a load that merges too few titles: the process ends unused)
    assert not unused._child.is_alive()
    with merge_fuzzy.fuzzy_process_ahead(merge_fuzzy.FORK_AHEAD_BYTES - 1) as small:
        assert small is None
    started = []
    real_ahead = merge_fuzzy.fuzzy_process_ahead
    monkeypatch.setattr(merge_fuzzy, "FORK_AHEAD_BYTES", 0)
    monkeypatch.setattr("litreview.io.load.fuzzy_process_ahead", lambda size: started.append(size) or real_ahead(size))
    loaded = lr.load(path, progress=False)
    assert len(started) == 1 and started[0] > 100_000  # (the bytes of the files read)
    expected = lr.load(path, progress=False, merge_on=[k for k in lr.io.merge.MERGE_KEYS if k != "fuzzy_title"])
    assert len(loaded) < len(expected)  # (the fuzzy titles merged, through the process forked ahead)
    monkeypatch.setattr(merge_fuzzy, "_fuzzy_candidates", lambda squashed, workers=-1: 1 / 0)
    with merge_fuzzy.fuzzy_process_ahead(0) as failing, pytest.raises(ZeroDivisionError):
        find_duplicates(records, fuzzy_ahead=failing)  # raised in the child, raised here in its place
