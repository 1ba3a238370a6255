"""Random and truncated input thrown at every reader: nothing but LoadError escapes.

A reader must turn any input into records and problems; ``lr.load`` then
raises :class:`LoadError` (``errors="raise"``) or lists the problems
(``errors="skip"``).  Hypothesis generates the input: free text, text built
from each format's own punctuation and keywords, and real files cut short.
"""

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import litreview as lr
from litreview.io.readers import READERS, ReadResult, is_binary

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT.parent / "shared" / "fixtures"
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# Fragments of every format's syntax, so generated text reaches past the first check.
FRAGMENTS = [
    "@article{", "@string{", "@comment{", "}", "{", "=", '"', "#", ",", "\\\"u", "\\'", "author = ", " and ",
    "TY  - JOUR\n", "ER  - \n", "AU  - ", "TI  - ", "PY  - 2019//\n", "FN Clarivate\n", "VR 1.0\n", "PT J\n",
    "   ", "ER\n", "<feed xmlns=\"http://www.w3.org/2005/Atom\">", "<entry>", "</entry>", "<id>", "</id>",
    "http://arxiv.org/abs/2106.09685v2", "<OAI-PMH>", "<record>", "<arXiv>", "&#233;", "&amp;", "<",
    '{"id": "0704.0001", ', '"authors_parsed": [[', '"versions": [', '"abstract_inverted_index": {',
    '"paperId": ', '"type": "article", ', '"issued": {"date-parts": [[', "[", "]", "null", "1e999",
    "PMID- 38012345\n", "FAU - ", "DP  - 2023 Jan\n", "AID - 10.1/x [doi]\n", "      ",
    "title,abstract,year\n", "Title;Abstract;Year\n", '"a ""quoted"" cell"', "\t", "\n", "2303.11366v1\n",
    "arxiv_id\nstringlengths\n9\n12\nabstract\n", "\ufeff", "\x00", "é", "ฮฑ", "€", "\r",
]
formatted_text = st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=12), max_size=40).map("".join)
TEXT_READERS = [m for m in READERS.values() if not is_binary(m)]
BINARY_READERS = [m for m in READERS.values() if is_binary(m)]


def check(result) -> None:
    assert isinstance(result, ReadResult)
    for problem in result.problems:
        assert problem.severity in ("error", "warning", "note") and problem.message


@pytest.mark.parametrize("reader", TEXT_READERS, ids=lambda m: m.FORMAT)
@FUZZ
@given(text=st.text(max_size=400) | formatted_text)
def test_text_readers_never_raise(reader, text):
    reader.sniff(text)
    check(reader.read(text, "fuzz.txt"))


@pytest.mark.parametrize("reader", BINARY_READERS, ids=lambda m: m.FORMAT)
@FUZZ
@given(raw=st.binary(max_size=400) | st.sampled_from([b"PAR1", b"PK\x03\x04xl/", b"PAR1" + b"\x00" * 20 + b"PAR1"]))
def test_binary_readers_never_raise(reader, raw):
    reader.sniff(raw)
    check(reader.read(raw, "fuzz.bin"))


def _samples() -> list[Path]:
    seeds = sorted((ROOT / "data" / "raw").glob("*.txt"))
    if not FIXTURES.is_dir():
        return seeds
    small = [p for p in sorted(FIXTURES.rglob("*")) if p.is_file() and p.suffix != ".md" and p.stat().st_size < 400_000]
    return seeds + small


@pytest.mark.filterwarnings("ignore::litreview.errors.LoadWarning")
@pytest.mark.parametrize("path", _samples(), ids=lambda p: p.name)
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cut=st.floats(min_value=0.0, max_value=1.0))
def test_truncated_real_files_load_or_raise_load_error(path, cut, tmp_path_factory):
    raw = path.read_bytes()
    target = tmp_path_factory.mktemp("cut") / path.name
    target.write_bytes(raw[: int(len(raw) * cut)])
    try:
        papers = lr.load(target, errors="skip")
    except lr.LoadError:
        return  # an empty or unrecognisable file: the one exception allowed
    assert all(f.endswith(path.name) for f in lr.load_problems(papers)["file"])
    try:
        lr.load(target)
    except lr.LoadError as err:
        assert err.file is not None and path.name in str(err)
