"""Your library back as you gave it, outside the entries too: a BibTeX export writes back the source files'
``@preamble`` and ``@comment`` blocks and the text between entries (see
:mod:`litreview.io.writers.bibtex_blocks`), and :func:`litreview.export_changes` lists what it still leaves out.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pytest

import litreview as lr
from litreview.errors import ExportWarning
from litreview.io.readers.bibtex_syntax import outside_entries
from litreview.schema import to_frame

FIXTURES = Path(__file__).resolve().parents[2] / "shared" / "fixtures"
needs_fixtures = pytest.mark.skipif(not FIXTURES.is_dir(), reason="../shared/fixtures is not beside this checkout")

LIBRARY = r"""% Encoding: UTF-8
@preamble{"\newcommand{\noopsort}[1]{}"}
@string{iclr = "International Conference on Learning Representations"}

@inproceedings{hu2022lora,
  title     = {{LoRA}: Low-Rank Adaptation of Large Language Models},
  booktitle = iclr,
  year      = {2022},
}

@comment{Reprinted below: {keep} 50% of \it this}
@article{li2021prefix,
  title = {Prefix-Tuning},
  year  = 2021,
}

### Chapter 2: prompts ###
%   a note with @misc{not, title = {an entry}} in it

@misc{lester2021power, title = {The Power of Scale}, year = 2021}
@Comment{jabref-meta: databaseType:bibtex;}
"""

EXPORTED = r"""% Encoding: UTF-8

@preamble{"\newcommand{\noopsort}[1]{}"}

@string{iclr = {International Conference on Learning Representations}}

@inproceedings{hu2022lora,
  title = {{LoRA}: Low-Rank Adaptation of Large Language Models},
  booktitle = iclr,
  year = {2022},
}

@comment{Reprinted below: {keep} 50% of \it this}

@article{li2021prefix,
  title = {Prefix-Tuning},
  year = 2021,
}

### Chapter 2: prompts ###
%   a note with @misc{not, title = {an entry}} in it

@misc{lester2021power,
  title = {The Power of Scale},
  year = 2021,
}

@Comment{jabref-meta: databaseType:bibtex;}
"""


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _export(papers) -> str:
    with warnings.catch_warnings():
        warnings.filterwarnings("error", ".*are not written", ExportWarning)  # every file is found again
        return lr.export(papers, format="bibtex")


def test_a_library_comes_back_with_its_preamble_comments_and_text_where_they_were(tmp_path):
    bib = _write(tmp_path, "mine.bib", LIBRARY)
    papers = lr.load(bib)
    text = _export(papers)
    assert text == EXPORTED  # the header before the macros, each block before its entry, JabRef's at the end
    assert lr.export_changes(papers, bib).empty  # nothing left out
    back = _write(tmp_path, "back.bib", text)
    assert [(kind, block) for kind, _, block in outside_entries(text)] == [
        (kind, block) for kind, _, block in outside_entries(LIBRARY)]  # the same blocks, read back
    reread = lr.load(back)
    assert reread[["key", "title", "venue", "year"]].values.tolist() == papers[["key", "title", "venue", "year"]
                                                                               ].values.tolist()


def test_another_format_leaves_the_blocks_out_and_export_changes_lists_them(tmp_path):
    bib = _write(tmp_path, "mine.bib", LIBRARY)
    papers = lr.load(bib)
    changes = lr.export_changes(papers, bib, format="ris")
    assert changes[["source", "change", "field"]].values.tolist() == [
        [f"{bib}:1", "left out", "comment"], [f"{bib}:2", "left out", "@preamble"],
        [f"{bib}:11", "left out", "@comment"], [f"{bib}:17", "left out", "comment"],
        [f"{bib}:21", "left out", "@comment"]]  # fmt: skip
    assert "Encoding" not in lr.export(papers, format="ris")


def test_a_selection_keeps_the_blocks_of_its_entries_the_files_header_and_end(tmp_path):
    bib = _write(tmp_path, "mine.bib", LIBRARY)
    papers = lr.load(bib)
    chosen = papers[papers["key"] == "lester2021power"]
    text = _export(chosen)
    assert text.startswith('% Encoding: UTF-8\n\n@preamble{"\\newcommand{\\noopsort}[1]{}"}\n\n'
                           "### Chapter 2: prompts ###\n")  # the file's header, then lester2021power's block
    assert text.endswith("}\n\n@Comment{jabref-meta: databaseType:bibtex;}\n")
    assert "Reprinted" not in text
    changes = lr.export_changes(chosen, bib)
    assert changes[["source", "change", "field", "value"]].values.tolist() == [
        [f"{bib}:5", "left out", None, None], [f"{bib}:12", "left out", None, None],
        [f"{bib}:11", "left out", "@comment", "Reprinted below: {keep} 50% of \\it this"]]  # fmt: skip


JABREF = """% This file was created with JabRef 5.15.
% Encoding: UTF-8

@Comment{the lab's reading list}

@Article{old2019,
  title = {Old},
  year  = {2019},
}

@Article{new2022,
  title = {New},
  year  = {2022},
}

@Comment{jabref-meta: databaseType:bibtex;}
"""


def test_a_selection_without_the_first_entry_keeps_the_files_header(tmp_path):
    bib = _write(tmp_path, "jabref.bib", JABREF)
    papers = lr.load(bib)
    chosen = papers[papers.year > 2020]
    text = _export(chosen)
    assert text == ("% This file was created with JabRef 5.15.\n% Encoding: UTF-8\n\n"
                    "@Comment{the lab's reading list}\n\n"
                    "@Article{new2022,\n  title = {New},\n  year = {2022},\n}\n\n"
                    "@Comment{jabref-meta: databaseType:bibtex;}\n")
    assert lr.export_changes(chosen, bib)[["source", "change", "field"]].values.tolist() == [
        [f"{bib}:6", "left out", None]]  # old2019 only: the header is written
    back = _write(tmp_path, "back.bib", text)
    assert _export(lr.load(back)) == text  # read back, the header is the header again


def test_a_heading_before_the_first_entry_is_no_header_it_goes_with_its_entry(tmp_path):
    # (rlhf-book opens with '### First appearing in chapter 1 (Introduction) ###': chapter 1's, not the file's)
    bib = _write(tmp_path, "book.bib", "% Encoding: UTF-8\n\n@comment{my book}\n\n### Chapter 1 ###\n\n"
                                       "@article{a1, title = {Alpha}, year = 2019}\n\n### Chapter 2 ###\n\n"
                                       "@article{b2, title = {Beta}, year = 2022}\n")
    papers = lr.load(bib)
    assert _export(papers[papers.year > 2020]) == ("% Encoding: UTF-8\n\n@comment{my book}\n\n### Chapter 2 ###\n\n"
                                                   "@article{b2,\n  title = {Beta},\n  year = 2022,\n}\n")
    assert lr.export_changes(papers[papers.year > 2020], bib)[["source", "field"]].values.tolist() == [
        [f"{bib}:7", None], [f"{bib}:5", "comment"]]  # a1 and its heading


def test_a_reordered_export_keeps_each_block_with_its_entry(tmp_path):
    bib = _write(tmp_path, "mine.bib", LIBRARY)
    papers = lr.load(bib)
    text = _export(papers.iloc[::-1])
    assert text.startswith("### Chapter 2: prompts ###\n%   a note with")  # with lester2021power, now first
    assert "@comment{Reprinted below: {keep} 50% of \\it this}\n\n@article{li2021prefix," in text
    assert "% Encoding: UTF-8\n\n@preamble{" in text and text.index("% Encoding") > text.index("@article{li2021")
    assert text.endswith("@Comment{jabref-meta: databaseType:bibtex;}\n")


def test_a_merged_duplicates_comment_goes_before_the_paper_it_was_merged_into(tmp_path):
    bib = _write(tmp_path, "mine.bib", "@article{hu2021, title = {LoRA: Low-Rank Adaptation}, year = 2021}\n\n"
                                       "% the arXiv version\n"
                                       "@misc{hu-lora, title = {LoRA: low-rank adaptation}, year = 2021}\n")
    papers = lr.load(bib)
    assert len(papers) == 1
    text = _export(papers)
    assert text.startswith("% the arXiv version\n\n@article{hu2021,\n")
    assert lr.export_changes(papers, bib)["change"].tolist() == ["merged"]


def test_several_files_each_run_of_blocks_is_introduced_by_its_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    a = _write(tmp_path, "a.bib", "% from Zotero\n@article{a1, title = {Alpha}, year = 2021}\n% end of a\n")
    b = _write(tmp_path, "b.bib", "@preamble{\"\\def\\x{}\"}\n@article{b1, title = {Beta}, year = 2022}\n")
    papers = lr.load([a, b])
    text = _export(papers)
    assert text == ("% from a.bib\n\n% from Zotero\n\n@article{a1,\n  title = {Alpha},\n  year = 2021,\n}\n\n"
                    "% from b.bib\n\n@preamble{\"\\def\\x{}\"}\n\n"
                    "@article{b1,\n  title = {Beta},\n  year = 2022,\n}\n\n"
                    "% from a.bib\n\n% end of a\n")
    assert lr.export_changes(papers, [a, b]).empty
    back = _write(tmp_path, "back.bib", text)  # read back and exported again: the same text (a block of its own
    assert _export(lr.load(back)) == text  # before an @preamble or @comment came back after a blank line)


def test_a_block_before_an_entry_that_is_no_paper_goes_with_the_next_paper(tmp_path):
    bib = _write(tmp_path, "mine.bib", "@article{a1, title = {Alpha}, year = 2021}\n"
                                       "% the proceedings and their papers\n"
                                       "@proceedings{icml21, title = {ICML 2021}, year = 2021}\n"
                                       "@inproceedings{b2, title = {Beta}, crossref = {icml21}}\n")
    papers = lr.load(bib)
    assert papers["key"].tolist() == ["a1", "b2"]
    text = _export(papers)
    assert "}\n\n% the proceedings and their papers\n\n@inproceedings{b2," in text
    assert lr.export_changes(papers, bib).empty


@pytest.mark.parametrize("change", ["moved", "edited"])
def test_a_file_not_found_again_or_changed_since_the_load_gives_no_blocks_and_a_warning(tmp_path, change):
    bib = _write(tmp_path, "mine.bib", LIBRARY)
    papers = lr.load(bib)
    if change == "moved":
        bib.rename(tmp_path / "elsewhere.bib")
    else:
        bib.write_text("% a new first line\n" + LIBRARY, encoding="utf-8")  # every entry one line further
    with pytest.warns(ExportWarning, match=r"text between entries of .*mine\.bib \(if any\) are not written"):
        text = lr.export(papers, format="bibtex")
    assert "%" not in text and "@comment" not in text.lower() and "@preamble" not in text


@needs_fixtures
def test_the_rlhf_book_comes_back_with_its_chapter_headings():
    path = FIXTURES / "bibtex" / "rlhf-book_bib.bib"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        papers = lr.load(path)
    text = _export(papers)
    source = path.read_text(encoding="utf-8")
    headings = [line for line in source.splitlines() if line.startswith("###")]
    assert len(headings) == 40
    assert [line for line in text.splitlines() if line.startswith("###")] == headings  # in their order
    blocks = [b for b in outside_entries(text) if b[0] == "text"]
    assert [b[2] for b in blocks] == [b[2] for b in outside_entries(source)] and len(blocks) == 21
    assert lr.export_changes(papers, path).empty


@needs_fixtures
def test_probmlbib_notes_come_back_verbatim():
    path = FIXTURES / "bibtex" / "probmlbib_dirty.bib"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        papers = lr.load(path, errors="skip")
    text = _export(papers)
    notes = [b[2] for b in outside_entries(path.read_text(encoding="utf-8"))]
    assert all(note in text for note in notes) and len(notes) == 19
    assert not re.search(r"\\%", "".join(b[2] for b in outside_entries(text)))  # nothing escaped



def test_a_table_made_by_hand_that_names_a_file_never_read_exports_without_a_warning(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no a.bib here: the row only names one (it has no entry as written)
    papers = to_frame([{"title": "Adapters for everyone", "year": 2021, "source": "a.bib:3"}])
    with warnings.catch_warnings():
        warnings.simplefilter("error", ExportWarning)
        assert lr.export(papers, format="bibtex").startswith("@misc{")


def test_a_note_edited_since_the_load_is_not_written_as_it_is_now(tmp_path):
    bib = _write(tmp_path, "mine.bib", LIBRARY)
    papers = lr.load(bib)
    bib.write_text(LIBRARY.replace("Chapter 2: prompts", "Chapter 9: edited"), encoding="utf-8")  # same lines
    with pytest.warns(ExportWarning, match=r"text between entries of .*mine\.bib \(if any\) are not written"):
        text = lr.export(papers, format="bibtex")
    assert "Chapter" not in text and "@comment" not in text.lower()
    assert lr.export_changes(papers, bib)["field"].tolist() == [  # listed as left out, every one
        "comment", "@preamble", "@comment", "comment", "@comment"]


def test_a_gzipped_library_comes_back_with_its_blocks(tmp_path):
    import gzip

    bib = tmp_path / "mine.bib.gz"
    bib.write_bytes(gzip.compress(LIBRARY.encode("utf-8")))
    papers = lr.load(bib)
    assert _export(papers) == EXPORTED
    assert lr.export_changes(papers, bib).empty
    assert lr.export_changes(papers, bib, format="ris")["field"].tolist() == [
        "comment", "@preamble", "@comment", "comment", "@comment"]


def test_an_export_and_its_changes_parse_the_file_once(tmp_path, monkeypatch):
    from litreview.io.readers import bibtex
    from litreview.io.writers import bibtex_blocks

    bib = _write(tmp_path, "mine.bib", LIBRARY)
    papers = lr.load(bib)
    chosen = papers[papers["key"] == "lester2021power"]  # a selection: the file's records are read again too
    calls = []
    monkeypatch.setattr(bibtex_blocks, "layout", lambda text: calls.append("layout") or outside_layout(text))
    real_read = bibtex.read
    monkeypatch.setattr(bibtex, "read", lambda *a, **k: calls.append("read") or real_read(*a, **k))
    texts = {_export(chosen), _export(chosen), _export(chosen.iloc[:0])}
    assert len(texts) == 2 and calls == ["layout", "read"]
    assert len(lr.export_changes(chosen, bib, format="bibtex")) == 3  # (it loads the source: a read of its own)
    assert calls.count("layout") == 1


def outside_layout(text):
    from litreview.io.readers.bibtex_syntax import layout

    return layout(text)


def test_a_latin1_jabref_library_says_utf8_in_its_header_as_the_export_is(tmp_path):
    source = "% This file was created with JabRef 2.10.\n% Encoding: ISO8859_1\n\n" \
             "@article{cafe, title = {Caf\u00e9 cr\u00e8me}, year = 2020}\n% apr\u00e8s\n"
    bib = tmp_path / "mine.bib"
    bib.write_bytes(source.encode("latin-1"))
    papers = lr.load(bib)
    path = tmp_path / "out.bib"
    with warnings.catch_warnings():
        warnings.filterwarnings("error", ".*are not written", ExportWarning)
        text = lr.export(papers, path)
    assert text.startswith("% This file was created with JabRef 2.10.\n% Encoding: UTF-8\n\n@article{cafe,")
    assert "Caf\u00e9 cr\u00e8me" in path.read_bytes().decode("utf-8") and text.endswith("% apr\u00e8s\n")
    assert lr.load(path)["title"].tolist() == ["Caf\u00e9 cr\u00e8me"]
