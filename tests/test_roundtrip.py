"""Your library back as you gave it: lossless export to the format a record came from, one crosswalk
across formats, keys that keep every ``\\cite`` resolving.

The fixture round trips are measured by ``bench/roundtrip.py`` (its independent parsers: bibtexparser 2
for BibTeX, a plain tag reader for RIS, the csv module, json), so the figures of the note and these
assertions are one computation.
"""

from __future__ import annotations

import collections
import csv
import functools
import io
import json
import re
import sys
import tempfile
import warnings
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import litreview as lr
from litreview.io.load import grouped_warnings
from litreview.io.readers.base import Problem

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT.parent / "shared" / "fixtures"
needs_fixtures = pytest.mark.skipif(not FIXTURES.is_dir(), reason="../shared/fixtures is not beside this checkout")
sys.path.insert(0, str(ROOT / "bench"))
import roundtrip as measure  # noqa: E402

bibtexparser = pytest.importorskip("bibtexparser", minversion="2.0.0b7", reason="bibtexparser 2 (test extra)")


def _quiet(fn, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn(*args, **kwargs)


def _write(tmp: Path, name: str, text: str) -> Path:
    path = tmp / name
    path.write_text(text, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- the shared fixtures


def _runs():
    if not FIXTURES.is_dir():
        return []
    measure.FIXTURES = FIXTURES
    return [pytest.param(fmt, paths, id=f"{fmt}-{paths[-1].name}") for fmt, paths in measure.runs()]


@functools.cache
def _measured(fmt: str, paths: tuple[Path, ...]):
    return measure.roundtrip(fmt, list(paths))


@needs_fixtures
@pytest.mark.parametrize("fmt, paths", _runs())
def test_fixture_round_trip_keeps_keys_types_fields_and_topics(fmt, paths):
    counts = _measured(fmt, tuple(paths))
    assert counts["records"] > 0
    assert counts["keys kept"] == counts["keys"]  # every key, as the key or an alias (ids) after dedup
    # a record folded into a duplicate is written as the kept record: its own type and fields are not
    assert counts["types unmerged kept"] == counts["types unmerged"]
    assert counts["fields unmerged same"] == counts["fields unmerged"]
    assert counts["topics kept"] == counts["tagged"] > 0
    if len(paths) == 1:  # every block outside the entries (a strings file gives no row, so none of its own)
        assert counts["blocks kept"] == counts["blocks"]


@needs_fixtures
@pytest.mark.parametrize("fmt", ["bibtex", "ris", "csv"])
def test_fixture_round_trip_totals(fmt):
    """Over a format's fixtures: fields >= 99% with the same value, merged duplicates included."""
    total = collections.Counter()
    for param in _runs():
        if param.values[0] == fmt:
            total.update(_measured(fmt, tuple(param.values[1])))
    assert total["fields same"] >= 0.99 * total["fields"]
    assert total["keys kept"] == total["keys"] and total["topics kept"] == total["tagged"]


@needs_fixtures
@pytest.mark.parametrize(
    "names",
    [["rlhf-book_bib.bib"], ["probmlbib_standardstrings.bib", "probmlbib_bibliography.bib"],
     ["probmlbib_dirty.bib"], ["pybibx_scopus.bib"]],
)  # fmt: skip
def test_every_key_the_source_defines_is_defined_in_the_export(names):
    """A document citing the source's keys still builds against the export: merged duplicates' keys are
    biblatex ``ids`` aliases of the kept entry."""
    paths = [FIXTURES / "bibtex" / n for n in names]
    papers = _quiet(lr.load, paths, errors="skip")
    source = bibtexparser.parse_string("\n".join(p.read_text(encoding="utf-8") for p in paths))
    exported = bibtexparser.parse_string(_quiet(lr.export, papers, format="bibtex"))
    defined = set()
    for block in exported.blocks:
        entry = getattr(block, "ignore_error_block", None) or block
        if isinstance(entry, bibtexparser.model.Entry):
            defined.add(entry.key)
            ids = entry.fields_dict.get("ids")
            if ids is not None:
                defined.update(a.strip() for a in str(ids.value).strip("{}").split(","))
    keys = {getattr(b, "ignore_error_block", None) or b for b in source.blocks}
    keys = {e.key for e in keys if isinstance(e, bibtexparser.model.Entry) and e.entry_type.lower() != "proceedings"}
    assert keys and keys <= defined


@needs_fixtures
def test_unchanged_bibtex_entry_is_written_as_given():
    """Byte for byte, but the alignment of the ``=`` signs (the writer's layout)."""
    path = FIXTURES / "bibtex" / "rlhf-book_bib.bib"
    papers = _quiet(lr.load, path)
    text = lr.export(papers[papers["key"] == "anthropic_mcp_2024"], format="bibtex")
    source = path.read_text(encoding="utf-8").split("\n")[2840:2848]  # lines 2841-2848
    assert source[0] == "@Misc{anthropic_mcp_2024," and source[-1] == "}"
    assert text == "\n".join(re.sub(r"^\s+(\S+)\s*=\s*", r"  \1 = ", line) for line in source) + "\n"
    assert '  month = nov # "~25",\n' in text


@needs_fixtures
def test_strings_resolve_across_files_and_the_export_defines_the_macros_it_uses(tmp_path):
    bib = FIXTURES / "bibtex"
    papers = lr.load([bib / "probmlbib_standardstrings.bib", bib / "probmlbib_bibliography.bib"])
    text = lr.export(papers, format="bibtex")
    assert "@string{icml = {Proceedings of the International Conference on Machine Learning}}\n" in text
    assert "  journal = icml,\n" in text  # the macro written back unbraced, not as the text {icml}
    back = lr.load(_write(tmp_path, "out.bib", text))
    assert back["venue"].tolist() == papers["venue"].tolist()
    assert back["key"].tolist() == papers["key"].tolist()


@needs_fixtures
def test_undefined_macro_is_written_back_unbraced(tmp_path):
    papers = _quiet(lr.load, FIXTURES / "bibtex" / "probmlbib_bibliography.bib")
    text = lr.export(papers[papers["key"] == "Allamanis2017"], format="bibtex")
    assert "  journal = icml,\n" in text and "@string" not in text  # the user's strings file defines it


@needs_fixtures
def test_ris_record_written_back_with_every_tag_and_topics_after_its_keywords():
    papers = _quiet(lr.load, FIXTURES / "ris" / "asreview_scopus.ris")
    tagged = lr.tag(papers)
    text = lr.export(tagged, format="ris")
    source = list(measure.parse_ris(measure._decode(FIXTURES / "ris" / "asreview_scopus.ris")).values())
    exported = list(measure.parse_ris(text).values())
    assert len(exported) == len(source) == 6
    for (_, kind, fields), (_, out_kind, out_fields), topics in zip(source, exported, tagged["topics"]):
        added = [("KW", f"topic:{t}") for t in topics]
        assert out_kind == kind and [f for f in out_fields if f not in added] == fields
        last_own = max(i for i, (tag, _) in enumerate(fields) if tag == "KW")
        assert out_fields[last_own + 1 : last_own + 1 + len(added)] == added  # right after the record's own


# --------------------------------------------------------------------------- CSL-JSON and tables

CSL_ITEMS = [
    {"id": "smith2020deep", "type": "article-journal", "title": "Deep nets", "container-title": "J. Stuff",
     "author": [{"family": "Smith", "given": "Ann"}], "issued": {"date-parts": [[2020, 3]]}, "volume": "12",
     "issue": "3", "page": "1-9", "ISSN": "1234-5678", "note": "Zotero extra", "custom-field": {"a": [1, 2]},
     "keyword": "deep learning, nets"},
    {"id": "doe-lora", "type": "paper-conference", "title": "LoRA: low-rank adaptation of language models",
     "event-title": "ICLR", "editor": [{"family": "Roe", "given": "Rita"}], "publisher": "OpenReview",
     "URL": "https://arxiv.org/abs/2106.09685"},
]  # fmt: skip


def test_csl_json_item_is_written_back_with_every_key(tmp_path):
    path = _write(tmp_path, "zotero.json", json.dumps(CSL_ITEMS, indent=2))
    papers = lr.tag(lr.load(path))
    items = json.loads(lr.export(papers, format="csl-json"))
    assert [[k for k in i if k != "keyword"] for i in items] == [[k for k in i if k != "keyword"] for i in CSL_ITEMS]
    for item, source in zip(items, CSL_ITEMS):
        keyword = item.pop("keyword", None)
        assert item == {k: v for k, v in source.items() if k != "keyword"}
    assert items[1]["URL"] == CSL_ITEMS[1]["URL"]
    assert papers["topics"].iloc[1] == ["peft"]
    assert keyword == "topic:peft"  # the second item had no keyword: the kit's topics are its keyword


def test_table_export_keeps_every_column_and_adds_topics_and_decision(tmp_path):
    text = "Key,Title,Abstract,Year,Funder,label_included\nK1,LoRA: low-rank adaptation,Adapters.,2021,NSF,1\n" \
           "K2,Deep nets,,2019,,0\n"
    papers = lr.tag(_quiet(lr.load, _write(tmp_path, "mine.csv", text)))  # (Funder: a column not read)
    papers["decision"] = ["include", "exclude"]
    rows = list(csv.reader(io.StringIO(lr.export(papers, format="csv"))))
    assert rows[0] == ["Key", "Title", "Abstract", "Year", "Funder", "label_included", "topics", "decision"]
    assert rows[1] == ["K1", "LoRA: low-rank adaptation", "Adapters.", "2021", "NSF", "1", "peft", "include"]
    assert rows[2] == ["K2", "Deep nets", "", "2019", "", "0", "", "exclude"]
    assert papers["key"].tolist() == ["K1", "K2"]


# --------------------------------------------------------------------------- the crosswalk, both ways

CROSS_BIB = """@Article{Smith2020,
  author = {Smith, Ann and Lee, Bo},
  title = {Deep nets for things},
  journal = {Journal of Things},
  year = {2020},
  volume = {12},
  number = {3},
  pages = {101--109},
  publisher = {Thing Press},
  issn = {1234-5678},
  editor = {Roe, Rita and Poe, Paul},
  address = {Berlin},
  note = {An invited paper},
  language = {English},
  series = {Thing Series},
  edition = {2},
  doi = {10.1000/things.12},
  url = {https://example.org/things},
  keywords = {deep learning, nets},
  abstract = {We study things.},
  funder = {Thing Foundation},
}
"""
CONCEPTS = ("volume", "number", "pages", "publisher", "issn", "editor", "address", "note", "language", "series",
            "edition", "funder")  # fmt: skip


def _bib_fields(text: str) -> tuple[str, dict[str, str]]:
    [entry] = bibtexparser.parse_string(text).entries
    return entry.entry_type.lower(), {f.key.lower(): str(f.value).strip("{}") for f in entry.fields}


@pytest.mark.parametrize("target, suffix", [("ris", ".ris"), ("csl-json", ".json"), ("csv", ".csv")])
def test_crosswalk_bibtex_to_each_format_and_back(target, suffix, tmp_path):
    papers = lr.load(_write(tmp_path, "src.bib", CROSS_BIB))
    out = lr.export(papers, format=target)
    middle = _quiet(lr.load, _write(tmp_path, f"mid{suffix}", out))
    assert middle["key"].tolist() == ["Smith2020"]
    kind, fields = _bib_fields(lr.export(middle, format="bibtex"))
    _, source = _bib_fields(CROSS_BIB)
    assert kind == "article"
    for concept in CONCEPTS:
        if concept == "editor":
            assert fields["editor"] in ("Rita Roe and Paul Poe", source["editor"])
        else:
            assert fields[concept] == source[concept], concept
    for modelled in ("title", "journal", "year", "doi", "url", "abstract"):
        assert fields[modelled] == source[modelled]


def test_crosswalk_ris_tags():
    text = lr.export(_quiet(_load_text, CROSS_BIB, ".bib"), format="ris")
    lines = text.splitlines()
    for line in ("TY  - JOUR", "ID  - Smith2020", "AU  - Smith, Ann", "AU  - Lee, Bo", "VL  - 12", "IS  - 3",
                 "SP  - 101", "EP  - 109", "PB  - Thing Press", "SN  - 1234-5678", "ED  - Roe, Rita", "CY  - Berlin",
                 "N1  - An invited paper", "LA  - English", "T3  - Thing Series", "ET  - 2",
                 "N1  - funder: Thing Foundation", "JO  - Journal of Things"):  # fmt: skip
        assert line in lines, line


RIS_SOURCE = """TY  - CONF
ID  - doe2019
TI  - Scalable things
AU  - Doe, Jane
PY  - 2019
T2  - Proceedings of the Conference on Things
VL  - 7
SP  - 5
EP  - 9
PB  - ACM
CY  - New York
SN  - 9781234567897
M3  - Conference paper
ER  -
"""


def test_crosswalk_ris_to_bibtex_and_back():
    papers = _quiet(_load_text, RIS_SOURCE, ".ris")
    bib = lr.export(papers, format="bibtex")
    kind, fields = _bib_fields(bib)
    assert kind == "inproceedings"
    assert {k: fields[k] for k in ("booktitle", "volume", "pages", "publisher", "address", "issn", "m3")} == {
        "booktitle": "Proceedings of the Conference on Things", "volume": "7", "pages": "5--9", "publisher": "ACM",
        "address": "New York", "issn": "9781234567897", "m3": "Conference paper",
    }  # fmt: skip
    again = lr.export(_quiet(_load_text, bib, ".bib"), format="ris").splitlines()
    for line in RIS_SOURCE.strip().splitlines():
        if line.startswith("M3"):
            line = "N1  - m3: Conference paper"  # a RIS tag BibTeX has no name for comes back as a note line
        assert line.rstrip() in [x.rstrip() for x in again], line


def _load_text(text: str, suffix: str, **options) -> pd.DataFrame:
    path = Path(tempfile.mkdtemp()) / f"in{suffix}"
    path.write_text(text, encoding="utf-8")
    return lr.load(path, **options)


# --------------------------------------------------------------------------- keys, merges, decisions, losses


def test_made_keys_are_stable_and_never_take_a_source_key():
    papers = lr.load().head(3).copy()
    papers["key"] = [None, "hu2022lora", None]
    from litreview.io.writers.bibtex import base_key, citation_keys

    assert lr.export(papers, format="bibtex") == lr.export(papers, format="bibtex")
    keys = citation_keys(papers)
    assert keys[1] == "hu2022lora" and len(set(keys)) == 3
    assert keys[0] == base_key(papers.iloc[0].to_dict())
    papers["key"] = [None, base_key(papers.iloc[0].to_dict()), None]  # a source key that a made one would take
    assert citation_keys(papers)[0] == keys[0] + "a"


def test_merged_duplicates_keep_the_kept_key_and_list_the_others_as_ids(tmp_path):
    bib = _write(tmp_path, "a.bib", "@article{Hu2021, title = {LoRA: Low-Rank Adaptation}, year = 2021, "
                                   "eprint = {2106.09685}}\n")  # fmt: skip
    ris = _write(tmp_path, "b.ris", "TY  - JOUR\nID  - hu-lora\nTI  - LoRA: Low-Rank Adaptation\nPY  - 2021\n"
                                   "UR  - https://arxiv.org/abs/2106.09685\nER  - \n")  # fmt: skip
    papers = lr.load([bib, ris])
    assert len(papers) == 1 and papers["key"].tolist() == ["Hu2021"]
    assert "  ids = {hu-lora},\n" in lr.export(papers, format="bibtex")
    with pytest.warns(lr.ExportWarning, match=r"^ris has no place for: key aliases of 1 record \(arxiv:2106\.09685\)"):
        lr.export(papers, format="ris")  # RIS has no place for an alias: said, not dropped in silence
    changes = lr.export_changes(papers, [bib, ris])
    assert changes[["change", "field", "value"]].values.tolist()[0] == ["merged", "key", "hu-lora"]


def test_decision_goes_out_as_a_keyword_and_export_changes_says_so(tmp_path):
    bib = _write(tmp_path, "a.bib", "@misc{K1, title = {A study}, keywords = {mine}}\n@misc{K2, title = {Another}}\n")
    papers = lr.load(bib)
    papers["decision"] = ["include", None]
    text = lr.export(papers, format="bibtex")
    assert "  keywords = {mine, screening:include},\n" in text
    changes = lr.export_changes(papers.head(1), bib)
    assert changes[["key", "change", "value"]].values.tolist() == [
        ["K1", "keywords added", "screening:include"],
        ["K2", "left out", None],
    ]


def test_values_a_format_has_no_place_for_are_said_with_the_ids(tmp_path):
    bib = _write(tmp_path, "a.bib", "@misc{K1, title = {A}, eprint = {2106.09685}, primaryClass = {cs.CL cs.LG}}\n")
    papers = lr.load(bib)
    with pytest.warns(lr.ExportWarning, match=r"^ris has no place for: categories of 1 record \(arxiv:2106\.09685\)"):
        lr.export(papers, format="ris")
    assert lr.export_losses(papers, "ris")[["id", "key", "field"]].values.tolist() == [
        ["arxiv:2106.09685", "K1", "categories"]
    ]
    assert lr.export_losses(papers, "bibtex").empty  # written back from its own source


def test_repeated_warnings_of_one_kind_are_one_message():
    problems = [Problem("x.bib", n, f"entry 'k{n}': undefined @string macro 'm{n % 2}' in field 'journal'",
                        "warning", "undefined-macro") for n in (15, 22, 29, 36)]  # fmt: skip
    problems.append(Problem("x.bib", 40, "entry 'k40': field 'title' given twice; the first is used", "warning"))
    assert grouped_warnings(problems) == [
        "x.bib: 4 entries use 2 undefined @string macros (m1, m0): first at x.bib:15, :22, :29; load the file "
        "that defines them (@string) before this one, in the same lr.load call; the full list: "
        "lr.load_problems(papers)",
        "x.bib:40: entry 'k40': field 'title' given twice; the first is used",
    ]
    # A macro defined by a file read later in the same load: that file is named, with the fix.
    assert grouped_warnings(problems[:4], {"m0": "strings.bib"})[0].endswith(
        "first at x.bib:15, :22, :29; strings.bib, read after this file, defines 1 of them: list it first in the "
        "list given to lr.load (a folder is read in name order), as BibTeX reads its files in order; the full "
        "list: lr.load_problems(papers)")


def test_a_problem_each_file_of_a_folder_has_once_is_one_message_naming_the_files():
    # (a folder of 16 NeurIPS files, each with the same 26 unread columns, gave 16 warnings: a newcomer's trial)
    note = "2 columns not read, no field recognised: 'pdf', 'supp'; name one with columns={...}"
    problems = [Problem(f"nips{y}.json", 1, note, "warning") for y in range(1987, 1992)]
    problems.append(Problem("other.json", 1, "1 column not read, no field recognised: 'x'", "warning"))
    assert grouped_warnings(problems) == [
        f"5 files (nips1987.json, nips1988.json, nips1989.json and 2 more): {note}",
        "other.json:1: 1 column not read, no field recognised: 'x'",
    ]
    assert grouped_warnings(problems[:2]) == [f"2 files (nips1987.json, nips1988.json): {note}"]
    assert grouped_warnings(problems[:1]) == [f"nips1987.json:1: {note}"]  # (one file: its line, as before)


def test_a_load_warning_points_at_the_users_line(tmp_path):
    bib = _write(tmp_path, "a.bib", "@article{K1, title = {A}, title = {B}}\n")
    with pytest.warns(lr.LoadWarning) as caught:
        lr.load(bib)
    assert caught[0].filename == __file__


# --------------------------------------------------------------------------- the round-trip property

_WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFG0123456789", min_size=1, max_size=8)
_LATEX = st.sampled_from(["{\\\"o}", "\\'e", "\\textbf{x}", "$x^2$", "{BERT}", "\\&", "50\\%", "--", "\\url{http://a.b}"])
_TEXT = st.lists(st.one_of(_WORD, _LATEX), min_size=1, max_size=6).map(" ".join)
_MACROS = {"conf": "Conference on {Things}", "jrnl": "Journal of Stuff"}


@st.composite
def _value(draw):
    kind = draw(st.sampled_from(["braced", "quoted", "number", "macro", "concat"]))
    text = draw(_TEXT)
    if kind == "quoted":
        return '"' + text.replace('"', "") + '"'
    if kind == "number":
        return str(draw(st.integers(0, 9999)))
    if kind == "macro":
        return draw(st.sampled_from([*_MACROS, "undefinedmacro", "jan"]))
    if kind == "concat":
        return f"{draw(st.sampled_from(list(_MACROS)))} # {{ {text}}}"
    return "{" + text + "}"


@st.composite
def _entry(draw, n):
    kind = draw(st.sampled_from(["article", "Article", "INPROCEEDINGS", "misc", "TechReport", "unpublished"]))
    fields = [("title", "{" + draw(_TEXT) + "}"), ("author", "{" + draw(st.sampled_from(
        ["Hu, Edward J. and Shen, Yelong", "Ann Lee", "{Google DeepMind}", "van der Maaten, L. and others"])) + "}")]
    names = draw(st.lists(st.from_regex(r"[a-z][a-z_]{2,9}", fullmatch=True), max_size=5, unique=True))
    fields += [(name, draw(_value())) for name in names if name not in ("title", "author", "ids", "crossref")]
    if draw(st.booleans()):
        fields.append(("year", str(draw(st.integers(1990, 2024)))))
    body = "".join(f"  {name} = {value},\n" for name, value in fields)
    return f"@{kind}{{key{n}_{draw(_WORD)},\n{body}}}\n"


@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(0, 1000), min_size=1, max_size=5, unique=True).flatmap(
    lambda ns: st.tuples(*[_entry(n) for n in ns])))
def test_export_then_load_gives_the_same_records(entries):
    """``load(export(load(f)))`` equals ``load(f)``: every column but where the records were read."""
    strings = "".join(f"@string{{{name} = {{{value}}}}}\n" for name, value in _MACROS.items())
    first = _quiet(_load_text, strings + "\n".join(entries), ".bib", merge=False)
    text = _quiet(lr.export, first, format="bibtex")
    again = _quiet(_load_text, text, ".bib", merge=False)
    columns = [c for c in lr.COLUMNS if c not in ("id", "source", "provenance")]  # (id: file:line, unmerged)
    pd.testing.assert_frame_equal(again[columns], first[columns])


def test_an_arxiv_id_mentioned_in_a_note_is_not_the_papers_own(tmp_path):
    # A note naming another paper's arXiv id (a cited work, "also available as") must not change the record's
    # id on the way through CSL-JSON; Zotero's own "arXiv: <id>" line in Extra still gives the id.
    bib = _write(tmp_path, "a.bib", "@article{K1, title = {Holistic}, doi = {10.1111/nyas.15007},\n"
                                    "  note = {Also available as arXiv:2211.09110}}\n")
    papers = lr.load(bib)
    back = lr.load(_write(tmp_path, "a.json", lr.export(papers, format="csl-json")), format="csl-json")
    assert back["id"].tolist() == papers["id"].tolist() == ["doi:10.1111/nyas.15007"]
    zotero = _write(tmp_path, "z.json", '[{"id": "v", "type": "article", "title": "Attention",'
                                        ' "note": "tex.ids: x\\narXiv: 1706.03762"}]')
    assert lr.load(zotero, format="csl-json")["arxiv_id"].tolist() == ["1706.03762"]


def test_a_key_the_source_repeats_is_written_once_and_the_later_record_gets_a_letter(tmp_path):
    bib = _write(tmp_path, "a.bib", "@book{cover2006, title = {Elements of Information Theory}, year = {2006}}\n"
                                    "@book{cover2006, title = {Elements of Information Theory, Second Edition},"
                                    " year = {2012}}\n")
    with pytest.warns(lr.LoadWarning, match="duplicate key"):
        papers = lr.load(bib, merge=False)
    with pytest.warns(lr.ExportWarning, match=r"^1 record repeats a citation key an earlier record has "
                                              r"\(cover2006 -> cover2006a\), written with a letter added"):
        text = lr.export(papers, format="bibtex")
    assert re.findall(r"@book\{(\w+),", text) == ["cover2006", "cover2006a"]
    changes = lr.export_changes(papers, bib)
    assert changes.loc[changes["change"] == "key changed", ["key", "value"]].values.tolist() == [
        ["cover2006a", "cover2006a"]]


def test_export_changes_describes_the_format_written(tmp_path):
    ris = _write(tmp_path, "z.ris", "TY  - JOUR\nTI  - LoRA: Low-Rank Adaptation of Large Language Models\n"
                                    "AB  - We freeze the weights and train low-rank adapters, LoRA.\nER  - \n")
    papers = lr.tag(lr.load(ris))
    to_bibtex = lr.export_changes(papers, ris)
    assert to_bibtex["change"].tolist() == ["key made", "keywords added"]
    to_ris = lr.export_changes(papers, ris, format="ris")  # an RIS record goes back as it came: no key made
    assert to_ris[["change", "field", "value"]].values.tolist() == [["keywords added", "keywords", "topic:peft"]]
    assert "ID  -" not in lr.export(papers, format="ris")
    table = _write(tmp_path, "t.csv", "Title,Abstract\nLoRA adapters,We train low-rank adapters (LoRA).\n")
    rows = lr.tag(lr.load(table))
    to_csv = lr.export_changes(rows, table, format="csv")  # a table gets a topics column, no key
    assert to_csv[["change", "field", "value"]].values.tolist() == [["topics added", "topics", "peft"]]
    assert lr.export(rows, format="csv").splitlines()[0] == "Title,Abstract,topics"
    with pytest.raises(ValueError, match=r"format: unknown export format 'docx'; choose one of"):
        lr.export_changes(rows, table, format="docx")


def test_a_bibtex_preamble_and_comments_are_listed_as_left_out_of_another_format(tmp_path):
    """A BibTeX export writes them back (tests/test_export_blocks.py): only another format leaves them out."""
    bib = tmp_path / "mine.bib"
    bib.write_text('@preamble{"\\newcommand{\\noopsort}[1]{}"}\n'
                   "@comment{jabref-meta: databaseType:bibtex;}\n\n"
                   "@article{hu2021lora, title = {LoRA}, year = 2021}\n")
    papers = lr.load(bib)
    assert lr.export_changes(papers, bib).empty
    changes = lr.export_changes(papers, bib, format="ris")
    left = changes[changes["change"] == "left out"]
    assert left[["source", "field"]].values.tolist() == [[f"{bib}:1", "@preamble"], [f"{bib}:2", "@comment"]]
    assert papers["source"].tolist() == [f"{bib}:4"]  # named as the records are
    assert left["value"].tolist()[0].startswith('"\\newcommand{\\noopsort}')


def test_the_kits_own_csv_export_reads_back_without_warning_about_its_crosswalk_columns(tmp_path):
    bib = tmp_path / "mine.bib"
    bib.write_text("@article{hu2021lora, title = {LoRA}, year = 2021, volume = {3}, pages = {1--9},\n"
                   "  publisher = {ACM}, note = {Oral}}\n")
    lr.export(lr.tag(lr.load(bib)), tmp_path / "out.csv")
    header = (tmp_path / "out.csv").read_text().splitlines()[0]
    assert {"Volume", "Pages", "Publisher", "Extra"} <= set(header.split(","))
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        back = lr.load(tmp_path / "out.csv")
    assert [str(w.message) for w in said] == []
    assert back["title"].tolist() == ["LoRA"]


def test_scopus_page_start_and_end_become_the_pages_of_other_formats(tmp_path):
    table = tmp_path / "scopus.csv"
    table.write_text("Title,Year,Volume,Page start,Page end\nA study of LoRA,2021,26,1781,1802\n"
                     "One page,2022,3,7,7\nNo end,2023,4,12,\n")
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        papers = lr.load(table)
    assert [str(w.message) for w in said] == []  # the page columns are known, not "not read"
    ris = lr.export(papers, format="ris")
    assert [line for line in ris.splitlines() if line[:2] in ("SP", "EP")] == [
        "SP  - 1781", "EP  - 1802", "SP  - 7", "SP  - 12"]
    bib = lr.export(papers, format="bibtex")
    assert [line.strip() for line in bib.splitlines() if "pages" in line] == [
        "pages = {1781--1802},", "pages = {7},", "pages = {12},"]


@pytest.mark.parametrize(
    "entry, added",
    [("@phdthesis{r17, title = {Automating inference}, institution = {University of Oxford}, year = 2017}",
      "school"),
     ("@techreport{t99, title = {A report}, school = {MIT}, year = 1999}", "institution"),
     ("@book{k84, title = {The art}, howpublished = {Addison-Wesley}, year = 1984}", "publisher")],
)  # fmt: skip
def test_a_thesis_report_or_book_whose_venue_another_field_gives_is_written_without_a_second_one(
    tmp_path, entry, added
):
    """probmlbib's ``@Phdthesis{Rainforth2017`` names its university as ``institution``: the export added
    ``school = {University of Oxford}`` (the field the kit writes a thesis's venue in), a field the user never
    wrote and that ``export_changes`` did not list."""
    bib = _write(tmp_path, "mine.bib", entry + "\n")
    papers = lr.load(bib)
    text = lr.export(papers, format="bibtex")
    assert f"  {added} = " not in text
    assert text.count("\n  ") == 3  # title, the venue as written, year: nothing else
    assert lr.export_changes(papers, bib).empty


def test_text_between_entries_is_listed_as_left_out_and_a_preamble_shows_its_own_text(tmp_path):
    """BibTeX reads any text outside an entry as a comment, which an export to another format (or, before,
    any export) does not write back: rlhf-book's 21 ``### First appearing in chapter 2 ###`` headings and
    probmlbib_dirty's ``%`` notes were dropped without a word (export_changes listed only ``@preamble`` and
    ``@comment`` blocks, and showed the text after a preamble's closing brace, the next entry's, as its
    value).  A BibTeX export writes them back: it leaves out only the note before an entry it leaves out."""
    bib = _write(tmp_path, "mine.bib", '@preamble{"\\newcommand{\\noopsort}[1]{}"}\n'
                                       "### First appearing in chapter 1 ###\n"
                                       "@article{a1, title = {Alpha}, year = 2021}\n\n"
                                       "% a note on b2 @misc{not, title = {an entry}}\n"
                                       "%   second line\n\n"
                                       "@article{b2, title = {Beta}, year = 2022}\n"
                                       "### End chapter 1 ###\n")  # fmt: skip
    papers = lr.load(bib)
    changes = lr.export_changes(papers, bib, format="csl-json")
    assert changes[["source", "change", "field", "value"]].values.tolist() == [
        [f"{bib}:1", "left out", "@preamble", '"\\newcommand{\\noopsort}[1]{}"'],
        [f"{bib}:2", "left out", "comment", "### First appearing in chapter 1 ###"],
        [f"{bib}:5", "left out", "comment", "% a note on b2 @misc{not, title = {an entry}} % second line"],
        [f"{bib}:9", "left out", "comment", "### End chapter 1 ###"],
    ]
    assert lr.export_changes(papers, bib).empty
    without_b2 = lr.export_changes(papers[papers["key"] == "a1"], bib)
    assert without_b2[["source", "change", "field"]].values.tolist() == [
        [f"{bib}:8", "left out", None], [f"{bib}:5", "left out", "comment"]]


@needs_fixtures
def test_the_rlhf_book_chapter_headings_are_listed_as_left_out_of_another_format():
    path = FIXTURES / "bibtex" / "rlhf-book_bib.bib"
    papers = _quiet(lr.load, path)
    assert lr.export_changes(papers, path).empty  # written back (tests/test_export_blocks.py)
    left = lr.export_changes(papers, path, format="ris")
    assert left["change"].unique().tolist() == ["left out"] and len(left) == 21
    assert left["value"].iloc[1] == "### End chapter 1 ### ### First appearing in chapter 2 (Key Related Works) ###"


def test_a_merged_link_that_only_restates_the_entrys_own_arxiv_id_or_doi_is_not_added(tmp_path):
    """A BibTeX library and a Zotero RIS of the same papers: the RIS gives each arXiv paper its abstract page
    (``UR``), the entry already names the paper by ``eprint`` or its arXiv journal text.  Before, the merged
    entry came back with ``url = {https://arxiv.org/abs/2112.09332}`` added (35 of rlhf-book's 412 entries,
    merged with an RIS of every third one), and export_changes listed it as filled."""
    bib = _write(tmp_path, "mine.bib",
                 "@article{nakano2021webgpt,\n  title = {WebGPT: Browser-assisted question-answering},\n"
                 "  journal = {arXiv preprint arXiv:2112.09332},\n  year = {2021},\n}\n\n"
                 "@article{doi2020,\n  title = {A paper with a DOI},\n  doi = {10.1000/XYZ.1},\n  year = {2020},\n}\n"
                 "\n@misc{other2019,\n  title = {A paper without ids},\n  year = {2019},\n}\n")  # fmt: skip
    ris = _write(tmp_path, "zotero.ris",
                 "TY  - JOUR\nTI  - WebGPT: Browser-assisted question-answering\nPY  - 2021\n"
                 "UR  - http://arxiv.org/abs/2112.09332v3\nER  - \n\n"
                 "TY  - JOUR\nTI  - A paper with a DOI\nPY  - 2020\nDO  - 10.1000/xyz.1\n"
                 "UR  - https://doi.org/10.1000/xyz.1\nER  - \n\n"
                 "TY  - GEN\nTI  - A paper without ids\nPY  - 2019\nUR  - https://example.org/paper\nER  - \n")
    papers = lr.load([bib, ris])
    assert len(papers) == 3 and papers["url"].notna().all()  # the table keeps the links
    text = lr.export(papers, format="bibtex")
    assert text.split("\n\n")[:2] == bib.read_text().split("\n\n")[:2]  # as the user wrote them
    assert "  url = {https://example.org/paper},\n" in text  # a link to somewhere else is the kit's filling
    filled = lr.export_changes(papers, [bib, ris])
    filled = filled[filled["change"] == "filled"]
    assert filled[["key", "field", "value"]].values.tolist() == [["other2019", "url", "https://example.org/paper"]]
