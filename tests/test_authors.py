"""Top authors and venues and the co-author network: exact values on a small hand-made corpus."""

import warnings

import pandas as pd
import pytest
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PathCollection

import litreview as lr
from litreview.analysis.authors import coauthor_network, plot_coauthor_network, top_authors, top_venues
from litreview.schema import to_frame


@pytest.fixture
def tagged():
    rows = [
        ("p1", ["Ashish Vaswani", "Noam Shazeer", "Niki Parmar"], "NeurIPS", ["architecture"], []),
        ("p2", ["A. Vaswani", "Noam Shazeer"], "arXiv", ["architecture", "efficiency"], []),
        ("p3", ["Vaswani, Ashish", "Jakob Uszkoreit"], "arXiv.org", ["efficiency"], ["authors-incomplete"]),
        ("p4", ["Noam Shazeer", "N. Shazeer"], "neurips  ", [], []),  # one author, written twice
        ("p5", [], None, ["architecture"], []),
        ("p6", ["Colin Raffel", "Noam Shazeer", "Adam Roberts", "N. Parmar"], "JMLR", ["pretraining"], []),
        ("p7", [], "NeurIPS", ["efficiency"], []),
        ("p8", [], "CoRR", [], []),
    ]
    frame = to_frame(
        {"id": i, "title": i, "authors": a, "venue": v, "quality_flags": f, "source": f"x.bib:{n}"}
        for n, (i, a, v, _, f) in enumerate(rows, start=1)
    )
    frame["topics"] = [r[3] for r in rows]
    return frame


def test_top_authors_group_spellings_and_count_each_paper_once(tagged):
    authors = top_authors(tagged)
    assert authors.columns.tolist() == ["author", "papers"]
    assert authors.values.tolist() == [
        ["Noam Shazeer", 4],
        ["Ashish Vaswani", 3],  # "A. Vaswani" and "Vaswani, Ashish" too; p3's list is incomplete but counts
        ["Niki Parmar", 2],  # one paper each as "Niki Parmar" and "N. Parmar": the longer shows
        ["Adam Roberts", 1],
        ["Colin Raffel", 1],
        ["Jakob Uszkoreit", 1],
    ]
    assert top_authors(tagged, n=2)["author"].tolist() == ["Noam Shazeer", "Ashish Vaswani"]


def test_authors_sharing_surname_and_initial_are_apart_when_their_first_names_differ():
    papers = to_frame({"id": f"p{n}", "title": "t", "authors": a, "source": f"x.bib:{n}"} for n, a in enumerate([
        ["Yixuan Li", "Trevor Darrell"], ["Li, Yixuan"], ["Yu Li", "Trevor Darrell"], ["Yang Li"],
        ["Y. Li", "T. Darrell"], ["Jianfeng Gao"], ["J. Gao"],  # (one Gao written out: J. Gao is him)
    ]))  # fmt: skip
    assert top_authors(papers).values.tolist() == [
        ["Trevor Darrell", 3],  # (one written-out first name under "darrell t": "T. Darrell" is him)
        ["Jianfeng Gao", 2],
        ["Yixuan Li", 2],
        ["Y. Li", 1],  # (any of the three Lis: counted apart)
        ["Yang Li", 1],
        ["Yu Li", 1],
    ]
    pairs = coauthor_network(papers)
    assert pairs.values.tolist() == [["Trevor Darrell", "Y. Li", 1], ["Trevor Darrell", "Yixuan Li", 1],
                                     ["Trevor Darrell", "Yu Li", 1]]  # fmt: skip


def test_top_authors_by_topic(tagged):
    table = top_authors(tagged, n=2, by="topic")
    assert table.columns.tolist() == ["topic", "author", "papers"]
    assert table.values.tolist() == [
        ["architecture", "Ashish Vaswani", 2],
        ["architecture", "Noam Shazeer", 2],
        ["efficiency", "Ashish Vaswani", 2],
        ["efficiency", "Jakob Uszkoreit", 1],
        ["pretraining", "Adam Roberts", 1],
        ["pretraining", "Colin Raffel", 1],
    ]
    with pytest.raises(ValueError, match=r"by='topic' needs a tagged table: pass lr.tag\(papers\)"):
        top_authors(tagged.drop(columns="topics"), by="topic")
    with pytest.raises(ValueError, match=r"^n must be 1 or more, got 0$"):
        top_authors(tagged, n=0)


def test_top_venues_fold_case_and_preprint_servers(tagged):
    venues = top_venues(tagged)
    assert venues.columns.tolist() == ["venue", "papers"]
    # arXiv, arXiv.org and DBLP's CoRR are one venue; "neurips  " is NeurIPS; ties alphabetical ignoring case
    assert venues.values.tolist() == [["arXiv", 3], ["NeurIPS", 3], ["JMLR", 1]]
    assert top_venues(tagged, include_preprints=False).values.tolist() == [["NeurIPS", 3], ["JMLR", 1]]
    assert top_venues(tagged, n=1, by="topic").values.tolist() == [
        ["architecture", "arXiv", 1],
        ["efficiency", "arXiv", 2],
        ["pretraining", "JMLR", 1],
    ]
    assert top_venues(tagged, by="topic", include_preprints=False).values.tolist() == [
        ["architecture", "NeurIPS", 1],
        ["efficiency", "NeurIPS", 1],
        ["pretraining", "JMLR", 1],
    ]
    with pytest.raises(TypeError, match=r"include_preprints must be True or False, got str 'no'"):
        top_venues(tagged, include_preprints="no")


def test_coauthor_network_counts_shared_papers(tagged):
    edges = coauthor_network(tagged)
    assert edges.columns.tolist() == ["author_a", "author_b", "papers"]
    assert edges.values.tolist() == [
        ["Ashish Vaswani", "Noam Shazeer", 2],
        ["Niki Parmar", "Noam Shazeer", 2],
        ["Adam Roberts", "Colin Raffel", 1],
        ["Adam Roberts", "Niki Parmar", 1],
        ["Adam Roberts", "Noam Shazeer", 1],
        ["Ashish Vaswani", "Jakob Uszkoreit", 1],
        ["Ashish Vaswani", "Niki Parmar", 1],
        ["Colin Raffel", "Niki Parmar", 1],
        ["Colin Raffel", "Noam Shazeer", 1],
    ]
    assert edges.attrs["skipped"] == []
    assert coauthor_network(tagged, min_papers=2)["papers"].tolist() == [2, 2]
    with pytest.raises(ValueError, match=r"^min_papers must be 1 or more, got 0$"):
        coauthor_network(tagged, min_papers=0)


def test_coauthor_network_leaves_out_large_author_lists_and_says_so(tagged):
    with pytest.warns(UserWarning, match=r"left out 1 paper\(s\) with more than 3 authors \(p6\); pass max_authors=4"):
        edges = coauthor_network(tagged, max_authors=3)
    assert edges.values.tolist() == [
        ["Ashish Vaswani", "Noam Shazeer", 2],
        ["Ashish Vaswani", "Jakob Uszkoreit", 1],
        ["Ashish Vaswani", "Niki Parmar", 1],
        ["Niki Parmar", "Noam Shazeer", 1],
    ]
    assert edges.attrs["skipped"] == ["p6"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert len(coauthor_network(tagged, max_authors=None)) == 9


def test_no_authors_gives_empty_tables(tagged):
    bare = tagged.assign(authors=[[] for _ in range(len(tagged))])
    assert top_authors(bare).empty and top_authors(bare).columns.tolist() == ["author", "papers"]
    edges = coauthor_network(bare)
    assert edges.empty and edges.columns.tolist() == ["author_a", "author_b", "papers"]
    ax = plot_coauthor_network(edges)
    assert [t.get_text() for t in ax.texts] == ["no co-authored papers"]


def test_plot_coauthor_network_draws_the_most_connected(tagged):
    ax = plot_coauthor_network(coauthor_network(tagged), n=3)
    assert isinstance(ax, Axes)
    # shared papers: Shazeer 6, Parmar 5, Vaswani 4; the three edges among them
    assert [t.get_text() for t in ax.texts] == ["Noam Shazeer", "Niki Parmar", "Ashish Vaswani"]
    (lines,) = [c for c in ax.collections if isinstance(c, LineCollection)]
    (nodes,) = [c for c in ax.collections if isinstance(c, PathCollection)]
    assert len(lines.get_segments()) == 3 and len(nodes.get_offsets()) == 3
    assert len(plot_coauthor_network(coauthor_network(tagged)).texts) == 6
    with pytest.raises(ValueError, match=r"^edges lacks column\(s\) \['author_a', 'author_b'\]"):
        plot_coauthor_network(top_authors(tagged))


def test_default_corpus():
    papers = lr.load()
    assert top_venues(papers).values.tolist() == [["arXiv", 62], ["ICLR", 3]]
    assert top_venues(papers, include_preprints=False).values.tolist() == [["ICLR", 3]]
    authors = top_authors(papers, n=50)
    assert len(authors) == 21 and set(authors["papers"]) == {1}
    assert "Victor Sanh" in set(authors["author"])  # from the paper flagged authors-incomplete
    edges = coauthor_network(papers)
    assert len(edges) == 3 + 6 + 1 + 6 + 28  # papers with 3, 4, 2, 4 and 8 authors


def test_venues_given_as_whole_references_count_under_the_journals_name():
    papers = pd.DataFrame({"venue": [
        "Phys. Rev. B 74, 024520 (2006)", "Physical Review B 82, 060515(R) (2010)", "Phys. Rev. B 91, 184507 (2015)",
        "Phys.Rev.D76:013009,2007", "Phys. Rev. D 76, 044016 (2007)",
        "Journal of Applied Physics, vol 104, 073536 (2008)",
        "RIMS Kokyuroku, No.1551, pp.57-62 (2007)", "ICDM (2015) pp. 369 - 378", "ICLR 2024", "ICLR 2024",
        "Proc. BPMDS'15, LNBIP 214", "2015 IEEE International Memory Workshop(IMW), 17-20 May 2015", "arXiv"]})
    assert lr.top_venues(papers, n=20).values.tolist() == [
        ["ICLR 2024", 2], ["Phys. Rev. B", 2], ["Phys. Rev. D", 2],
        ["2015 IEEE International Memory Workshop(IMW), 17-20 May 2015", 1], ["arXiv", 1], ["ICDM", 1],
        ["Journal of Applied Physics", 1], ["Physical Review B", 1], ["Proc. BPMDS", 1], ["RIMS Kokyuroku", 1]]


def test_a_surname_written_in_two_words_is_the_one_word_surname_the_corpus_also_writes():
    papers = pd.DataFrame({"authors": [
        ["Yann LeCun", "Léon Bottou"], ["Le Cun, Yann"], ["Y. Le Cun"], ["J. Almeida-Dias"], ["J. Almeida Dias"],
        ["Andrew D. J. Cross"], ["Abigail C. Ross"],  # an initial before the surname: two people
        ["Amina Abubakar"], ["Azuraliza Abu Bakar"],  # one key, but their first names are written out: two people
        ["Le Song"], ["Quoc V. Le"], ["Ann van Dyk"]]})  # fmt: skip
    assert lr.top_authors(papers).values.tolist() == [
        ["Yann Le Cun", 3], ["J. Almeida Dias", 2], ["Abigail C. Ross", 1], ["Amina Abubakar", 1],
        ["Andrew D. J. Cross", 1], ["Ann van Dyk", 1], ["Azuraliza Abu Bakar", 1], ["Le Song", 1],
        ["Léon Bottou", 1], ["Quoc V. Le", 1]]
