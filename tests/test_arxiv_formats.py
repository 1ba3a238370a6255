"""The arXiv readers: API Atom feeds, OAI-PMH pages and the metadata snapshot."""

import json
import re
import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from litreview.io.readers import READERS, detect_format
from litreview.io.readers import arxiv_atom as atom
from litreview.io.readers import arxiv_oai as oai
from litreview.io.readers import arxiv_snapshot as snapshot
from litreview.schema import COLUMNS

FIXTURES = Path(__file__).resolve().parents[2] / "shared" / "fixtures"
needs_fixtures = pytest.mark.skipif(not FIXTURES.is_dir(), reason="../shared/fixtures is not beside this checkout")
ARXIV = FIXTURES / "arxiv"
ATOM_2016 = "arxivpy_search_query_au_del_maestro.xml"
ATOM_NOW = "lumen_arxiv_search.xml"
SNAPSHOT = "arxiv-metadata-oai-snapshot.sample.json"
OAI_PAGES = [f"oai_pmh_cs_2015/{n}.xml" for n in range(84, 89)]


def fixture_text(name: str) -> str:
    return (ARXIV / name).read_text(encoding="utf-8")


def by_id(records: list[dict]) -> dict[str, dict]:
    return {r["arxiv_id"]: r for r in records}


def assert_collapsed(text: str) -> None:
    assert text == " ".join(text.split())


def problems(result) -> list[tuple[str, str]]:
    return [(p.severity, str(p)) for p in result.problems]


# --------------------------------------------------------------------------- sniffing

ATOM_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n'
OAI_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">\n'
SNAPSHOT_LINE = json.dumps(
    {"id": "2101.00001", "title": "T", "abstract": "A", "versions": [], "authors_parsed": [["Doe", "Jane", ""]]}
)


@needs_fixtures
@pytest.mark.parametrize(
    "name, fmt",
    [(ATOM_2016, "arxiv-atom"), (ATOM_NOW, "arxiv-atom"), (SNAPSHOT, "arxiv-snapshot")]
    + [(page, "arxiv-oai") for page in OAI_PAGES],
)
def test_detect_format_on_fixtures(name, fmt):
    text = fixture_text(name)
    assert detect_format(text, Path(name).suffix) == fmt
    assert detect_format(text) == fmt


@needs_fixtures
@pytest.mark.parametrize("module", [atom, oai, snapshot], ids=lambda m: m.FORMAT)
def test_each_sniffer_accepts_only_its_own_fixtures(module):
    owners = {ATOM_2016: atom, ATOM_NOW: atom, SNAPSHOT: snapshot, OAI_PAGES[0]: oai}
    for name, owner in owners.items():
        assert module.sniff(fixture_text(name)[:65_536]) is (owner is module), name


@pytest.mark.parametrize(
    "text",
    [
        "",
        "hello",
        b"<feed>",
        # a blog's Atom feed that links to arXiv once is not an arXiv API response
        ATOM_HEAD + '<entry><link href="https://arxiv.org/abs/2106.09685"/></entry></feed>',
        '<?xml version="1.0"?>\n<rss><channel><link>http://arxiv.org/api/x</link></channel></rss>',
        '<?xml version="1.0"?>\n<html><feed xmlns="http://www.w3.org/2005/Atom">arxiv.org/api</feed></html>',
        OAI_HEAD,
        SNAPSHOT_LINE,
    ],
)
def test_atom_sniff_rejects(text):
    assert atom.sniff(text) is False


def test_atom_sniff_accepts_a_bare_feed_with_a_comment():
    head = '<!-- saved --><feed xmlns="http://www.w3.org/2005/Atom"><id>https://arxiv.org/api/x</id>'
    assert atom.sniff(head)


@pytest.mark.parametrize(
    "text, expected",
    [
        (OAI_HEAD, True),
        ("\n  <OAI-PMH>", True),
        ("<!-- x -->\n<OAI-PMH xmlns='http://www.openarchives.org/OAI/2.0/'>", True),
        ("<html><p>about <OAI-PMH> harvesting</p></html>", False),
        (ATOM_HEAD + "<id>http://arxiv.org/api/x</id>", False),
        (SNAPSHOT_LINE, False),
        (b"<OAI-PMH>", False),
    ],
)
def test_oai_sniff(text, expected):
    assert oai.sniff(text) is expected


@pytest.mark.parametrize(
    "text, expected",
    [
        (SNAPSHOT_LINE + "\n" + SNAPSHOT_LINE, True),
        ("\n\n  " + SNAPSHOT_LINE, True),
        ('{"id": "0704.0001", "abstract": "x", "versions": []}', True),
        ('{"id": "0704.0001", "abstract": "x", "authors_parsed": []}', True),
        ('{"id": "0704.0001", "abstract": "x"}', False),  # neither versions nor authors_parsed
        ('{"id": "0704.0001", "versions": [], "authors_parsed": []}', False),  # no abstract
        ("[" + SNAPSHOT_LINE + "]", False),  # a JSON array is some other JSON format
        ('{"id": "https://openalex.org/W1", "abstract_inverted_index": {}, "versions": []}', False),
        (SNAPSHOT_LINE[:40], False),  # cut short: not JSON
        ("", False),
        ("\n\n", False),
        (b'{"id": "1"}', False),
    ],
)
def test_snapshot_sniff(text, expected):
    assert snapshot.sniff(text) is expected


# --------------------------------------------------------------------------- Atom: the fixtures


@needs_fixtures
def test_atom_2016_feed_counts_and_first_entry():
    result = atom.read(fixture_text(ATOM_2016), ATOM_2016)
    assert len(result.records) == 10
    assert result.problems == []
    first = result.records[0]
    abstract = first.pop("abstract")
    assert first == {
        "source": f"{ATOM_2016}:10",
        "arxiv_id": "1201.4869",
        "arxiv_version": 1,
        "url": "https://arxiv.org/abs/1201.4869",
        "title": "A Luttinger Liquid Core Inside Helium-4 Filled Nanopores",
        "authors": ["Adrian Del Maestro"],
        "year": 2012,
        "month": 1,
        "doi": "10.1142/s021797921244002x",
        "venue": "Int. J. Mod. Phys. B, 26, 1244002 (2012)",
        "categories": ["cond-mat.mes-hall", "cond-mat.other"],
        "quality_flags": [],
    }
    assert abstract.startswith("As helium-4 is cooled below 2.17 K it undergoes a phase transition to a fundamentally")
    assert abstract.endswith("experimental detection of this intriguing low dimensional state of matter.")
    assert_collapsed(abstract)


@needs_fixtures
def test_atom_2016_feed_wrapped_titles_old_ids_and_versions():
    records = atom.read(fixture_text(ATOM_2016), ATOM_2016).records
    assert [r["source"] for r in records] == [
        f"{ATOM_2016}:{n}" for n in (10, 49, 81, 121, 151, 186, 220, 254, 291, 336)
    ]
    ids = by_id(records)
    wrapped = ids["cond-mat/0603029"]  # the title is wrapped over two lines in the file
    assert wrapped["title"] == (
        "From stripe to checkerboard order on the square lattice in the presence of quenched disorder"
    )
    assert wrapped["url"] == "https://arxiv.org/abs/cond-mat/0603029"
    assert wrapped["authors"] == ["Adrian Del Maestro", "Bernd Rosenow", "Subir Sachdev"]
    second_version = ids["1303.6954"]  # v2; <published> is v1's date, <updated> the latest
    assert (second_version["arxiv_version"], second_version["year"], second_version["month"]) == (2, 2013, 3)
    assert ids["cond-mat/0702661"]["venue"] == "Phys. Rev. B 76, 064418 (2007)"
    assert ids["1005.5383"]["categories"] == ["cond-mat.stat-mech"]  # primary and category repeat: once
    for record in records:
        assert_collapsed(record["title"])
        assert_collapsed(record["abstract"])
        assert set(record) <= set(COLUMNS)


@needs_fixtures
def test_atom_current_feed():
    result = atom.read(fixture_text(ATOM_NOW), ATOM_NOW)
    assert len(result.records) == 3
    assert result.problems == []
    first = result.records[0]
    abstract = first.pop("abstract")
    assert first == {
        "source": f"{ATOM_NOW}:10",
        "arxiv_id": "2201.00978",
        "arxiv_version": 1,
        "url": "https://arxiv.org/abs/2201.00978",
        "title": "PyramidTNT: Improved Transformer-in-Transformer Baselines with Pyramid Architecture",
        "authors": ["Kai Han", "Jianyuan Guo", "Yehui Tang", "Yunhe Wang"],
        "year": 2022,
        "month": 1,
        "venue": "arXiv",  # no journal_ref
        "categories": ["cs.CV"],
        "quality_flags": [],
    }
    assert abstract.startswith("Transformer networks have achieved great progress for computer vision tasks.")
    assert [r["source"] for r in result.records] == [f"{ATOM_NOW}:{n}" for n in (10, 34, 67)]
    assert result.records[2]["authors"][-1] == "Xiaojun Chang"


# --------------------------------------------------------------------------- Atom: damage and edge cases


@needs_fixtures
def test_atom_truncated_feed_keeps_the_complete_entries():
    text = "\n".join(fixture_text(ATOM_2016).split("\n")[:160])  # cut inside the fifth entry (line 151)
    result = atom.read(text, "cut.xml")
    assert [r["arxiv_id"] for r in result.records] == ["1201.4869", "cond-mat/0412498", "cond-mat/0603029", "1005.5383"]
    assert problems(result) == [
        (
            "error",
            "cut.xml:160: malformed XML at line 160, column 76: the text ends inside an element (truncated?); "
            "the entry starting at line 151 is skipped",
        )
    ]


@needs_fixtures
def test_atom_damage_in_the_middle_costs_one_entry():
    text = fixture_text(ATOM_2016).replace("<title>Interacting bosons", "<title>Interacting <b>bosons", 1)
    text = text.replace("<title>Local Superfluidity", "<title>Local &nbsp; Superfluidity", 1)
    result = atom.read(text, "bad.xml")
    assert len(result.records) == 8
    assert "1005.5383" not in by_id(result.records) and "1303.6954" not in by_id(result.records)
    assert by_id(result.records)["1312.6177"]["source"] == "bad.xml:186"  # lines still right after the damage
    assert problems(result) == [
        ("error", "bad.xml:125: malformed XML at line 125, column 80: mismatched tag; "
                  "the entry starting at line 121 is skipped"),
        ("error", "bad.xml:151: entry is not well-formed XML: undefined entity"),
    ]  # fmt: skip


def entry(body: str) -> str:
    return f"  <entry>\n{body}\n  </entry>\n"


def feed(*entries: str) -> str:
    declarations = 'xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom"'
    return f'<?xml version="1.0"?>\n<feed {declarations}>\n' + "".join(entries) + "</feed>\n"


def test_atom_api_error_feed():
    text = feed(
        entry(
            "<id>http://arxiv.org/api/errors#incorrect_id_format_for_1234.12345</id>\n<title>Error</title>\n"
            "<summary>incorrect id format for 1234.12345</summary>"
        )
    )
    result = atom.read(text, "q.xml")
    assert result.records == []
    assert problems(result) == [("error", "q.xml:3: arXiv API error: incorrect id format for 1234.12345")]


def test_atom_entry_edge_cases():
    text = feed(
        entry(
            "<id>https://arxiv.org/abs/2106.09685v2</id><published>2021-06-17T17:37:18Z</published>\n"
            "<title>LoRA:\n   Low-Rank   Adaptation</title><summary>  We\n propose.\n</summary>\n"
            "<author><name>  Edward\n Hu </name></author><author><name>Phillip Wallis, Jr.</name></author>\n"
            "<arxiv:doi>https://doi.org/10.48550/ARXIV.2106.09685</arxiv:doi>\n"
            '<arxiv:primary_category term="cs.CL"/><category term="cs.AI"/><category term="cs.CL"/>'
            '<category term="cs.LG"/>'
        ),
        entry(
            "<id>http://example.org/paper/7</id><title>Not on arXiv</title>"
            '<link rel="alternate" href="http://example.org/paper/7"/>'
        ),
        entry("<id>http://arxiv.org/abs/2101.00001v1</id><summary>Only an abstract.</summary>"),
        entry("<updated>2020-01-01T00:00:00Z</updated>"),
    )
    result = atom.read(text, "e.xml")
    assert result.records == [
        {
            "source": "e.xml:3",
            "arxiv_id": "2106.09685",
            "arxiv_version": 2,
            "url": "https://arxiv.org/abs/2106.09685",
            "title": "LoRA: Low-Rank Adaptation",
            "abstract": "We propose.",
            "authors": ["Edward Hu", "Phillip Wallis, Jr."],
            "year": 2021,
            "month": 6,
            "doi": "10.48550/arxiv.2106.09685",
            "venue": "arXiv",
            "categories": ["cs.CL", "cs.AI", "cs.LG"],
            "quality_flags": [],
        },
        {
            "source": "e.xml:14",
            "url": "http://example.org/paper/7",
            "title": "Not on arXiv",
            "authors": [],
            "venue": "arXiv",
            "categories": [],
            "quality_flags": ["bad-arxiv-id", "no-abstract"],
        },
        {
            "source": "e.xml:17",
            "arxiv_id": "2101.00001",
            "arxiv_version": 1,
            "url": "https://arxiv.org/abs/2101.00001",
            "abstract": "Only an abstract.",
            "authors": [],
            "venue": "arXiv",
            "categories": [],
            "quality_flags": ["no-title"],
        },
    ]
    assert problems(result) == [
        ("warning", "e.xml:14: entry 2: id 'http://example.org/paper/7' is not an arXiv abstract address"),
        ("warning", "e.xml:14: entry 2 has no abstract"),
        ("warning", "e.xml:17: entry 3 (2101.00001) has no title"),
        ("error", "e.xml:20: entry 4 has no title, abstract or arXiv id"),
    ]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("", [("error", "f.xml:1: malformed XML at line 1, column 1: no element found")]),
        ("not xml at all", [("error", "f.xml:1: malformed XML at line 1, column 1: syntax error")]),
        (feed(), [("warning", "f.xml: the feed has no entries")]),
        ("<?xml version='1.0'?>\n<rss/>", [("error", "f.xml:1: the root element is <rss>, not an Atom <feed>")]),
        (
            '<?xml version="1.0"?>\n<!DOCTYPE feed [\n<!ENTITY a "aaaa">\n]>\n<feed>&a;</feed>',
            [("error", "f.xml:3: XML entity declarations are not read")],
        ),
        ("<feed>\ud800</feed>", [("error", "f.xml: text cannot be parsed as XML: 'utf-8' codec can't encode "
                                  "character '\\ud800' in position 6: surrogates not allowed")]),
    ],
)  # fmt: skip
def test_atom_unreadable_documents(text, expected):
    result = atom.read(text, "f.xml")
    assert result.records == []
    assert problems(result) == expected


def test_atom_entry_without_closing_tag_in_a_damaged_feed():
    text = feed(
        entry("<id>http://arxiv.org/abs/2101.00001v1</id><title>One</title>"),
        "  <entry><id>http://arxiv.org/abs/2101.00002v1</id><title>Two</title>\n",  # never closed
        entry("<id>http://arxiv.org/abs/2101.00003v1</id><title>Three</title>"),
    )
    result = atom.read(text, "f.xml")
    assert [r["title"] for r in result.records] == ["One", "Three"]
    assert [r["source"] for r in result.records] == ["f.xml:3", "f.xml:7"]
    assert problems(result) == [
        ("error", "f.xml:10: malformed XML at line 10, column 3: mismatched tag"),  # where expat noticed
        ("error", "f.xml:6: entry has no closing </entry>"),
        ("warning", "f.xml:3: entry 1 (2101.00001) has no abstract"),
        ("warning", "f.xml:7: entry 3 (2101.00003) has no abstract"),
    ]


# --------------------------------------------------------------------------- OAI-PMH


@needs_fixtures
def test_oai_pages_counts():
    seen: set[str] = set()
    for page in OAI_PAGES:
        result = oai.read(fixture_text(page), page)
        assert len(result.records) == 1000, page
        assert result.problems == [], page
        seen.update(r["arxiv_id"] for r in result.records)
        for record in result.records:
            assert set(record) <= set(COLUMNS)
            assert record["year"] == 2015
            assert record["url"] == f"https://arxiv.org/abs/{record['arxiv_id']}"
            assert_collapsed(record["title"])
            assert_collapsed(record["abstract"])
    assert len(seen) == 5000


@needs_fixtures
def test_oai_first_record_exactly():
    first = oai.read(fixture_text(OAI_PAGES[0]), "84.xml").records[0]
    abstract = first.pop("abstract")
    assert first == {
        "arxiv_id": "1508.07275",
        "title": "A Comparison Between Decision Trees and Decision Tree Forest Models for Software Development "
        "Effort Estimation",
        "authors": ["Ali Bou Nassif", "Mohammad Azzeh", "Luiz Fernando Capretz", "Danny Ho"],
        "year": 2015,
        "month": 8,
        "venue": "arXiv",
        "doi": "10.1109/iccitechnology.2013.6579553",
        "categories": ["cs.SE", "cs.AI"],
        "url": "https://arxiv.org/abs/1508.07275",
        "quality_flags": [],
        "source": "84.xml:6",
    }
    assert abstract.startswith("Accurate software effort estimation has been a challenge for many software")
    assert abstract.endswith("can be used as an alternative in software effort prediction.")


@needs_fixtures
def test_oai_chosen_records():
    records = {}
    for page in OAI_PAGES[:2]:
        records.update(by_id(oai.read(fixture_text(page), Path(page).name).records))
    toth = records["1508.07289"]  # T&#xf3;th: a numeric character reference
    assert (toth["source"], toth["authors"]) == ("84.xml:56", ["Adrian Dumitrescu", "Csaba D. Tóth"])
    assert records["1509.01653"]["authors"] == ["Talha Ahmed Khan", "Ahmed Alkhateeb", "Robert W. Heath Jr"]  # suffix
    assert records["1509.02612"]["authors"] == ["H. W. Lenstra Jr.", "A. Silverberg"]
    # arXiv split "Dapeng (Oliver) Wu" into two keyname-only authors: kept as given
    assert records["1509.07329"]["authors"][-2:] == ["Dapeng", "Wu"]
    updated = records["1508.07313"]  # created 2015-08-28, updated 2016-02-26: the year is the first version's
    assert (updated["source"], updated["year"], updated["month"]) == ("84.xml:141", 2015, 8)
    assert updated["categories"] == ["cs.SI", "nlin.AO", "physics.soc-ph"]
    journal = records["1508.07678"]
    assert (journal["source"], journal["venue"], journal["doi"]) == (
        "84.xml:1333",
        "ICDM (2015) pp. 369 - 378",
        "10.1109/icdm.2015.32",
    )
    assert "arxiv_version" not in journal  # the format names no version


@needs_fixtures
def test_oai_last_record_of_the_last_page():
    last = oai.read(fixture_text(OAI_PAGES[-1]), "88.xml").records[-1]
    assert (last["source"], last["arxiv_id"], last["month"]) == ("88.xml:26522", "1511.08842", 11)
    assert last["title"] == "Efficient Sum of Outer Products Dictionary Learning (SOUP-DIL) - The $\\ell_0$ Method"
    assert last["authors"] == ["Saiprasad Ravishankar", "Raj Rao Nadakuditi", "Jeffrey A. Fessler"]


@needs_fixtures
def test_oai_truncated_page():
    lines = fixture_text(OAI_PAGES[0]).split("\n")
    result = oai.read("\n".join(lines[:150]), "84.xml")  # inside the record that starts at line 141
    assert [r["source"] for r in result.records] == [f"84.xml:{n}" for n in (6, 29, 56, 71, 109)]
    assert problems(result) == [
        (
            "error",
            "84.xml:150: malformed XML at line 150, column 77: the text ends inside an element (truncated?); "
            "the record starting at line 141 is skipped",
        )
    ]


def oai_page(*records: str, extra: str = "") -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">\n'
        "<responseDate>2024-01-01T00:00:00Z</responseDate>\n"
        + extra
        + "<ListRecords>\n"
        + "".join(records)
        + '<resumptionToken cursor="0" completeListSize="9">123|1001</resumptionToken>\n'
        "</ListRecords>\n</OAI-PMH>\n"
    )


def oai_record(metadata: str, header: str = "<header><identifier>oai:arXiv.org:2101.00001</identifier></header>"):
    return f"<record>\n{header}\n<metadata>\n{metadata}\n</metadata>\n</record>\n"


ARXIV_META = (
    '<arXiv xmlns="http://arxiv.org/OAI/arXiv/">'
    "<id>{id}</id><created>2007-03-31</created><updated>2008-12-13</updated>"
    "<authors><author><keyname>Dumitrescu</keyname><forenames>Adri&#225;n</forenames></author>"
    "<author><keyname>Heath</keyname><forenames>Robert W.</forenames><suffix>Jr.</suffix></author>"
    "<author><keyname>ATLAS Collaboration</keyname></author></authors>"
    "<title>Sparsity-certifying\n  Graph Decompositions</title><categories>math.CO cs.CG</categories>"
    "<journal-ref>Graphs and Combinatorics 24 (2008)</journal-ref>"
    "<doi>10.1007/s00373-008-0834-4 10.1000/other</doi><abstract>  We describe\na new algorithm.\n</abstract></arXiv>"
)


def test_oai_arxiv_format_record():
    result = oai.read(oai_page(oai_record(ARXIV_META.format(id="0704.0002"))), "p.xml")
    assert result.problems == []
    assert result.records == [
        {
            "arxiv_id": "0704.0002",
            "title": "Sparsity-certifying Graph Decompositions",
            "abstract": "We describe a new algorithm.",
            "authors": ["Adrián Dumitrescu", "Robert W. Heath Jr.", "ATLAS Collaboration"],
            "year": 2007,
            "month": 3,
            "venue": "Graphs and Combinatorics 24 (2008)",
            "doi": "10.1007/s00373-008-0834-4",
            "categories": ["math.CO", "cs.CG"],
            "url": "https://arxiv.org/abs/0704.0002",
            "quality_flags": [],
            "source": "p.xml:5",
        }
    ]


def test_oai_dublin_core_record():
    dc = (
        '<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/">\n'
        "<dc:title>Sparsity-certifying Graph Decompositions</dc:title>\n"
        "<dc:creator>Streinu, Ileana</dc:creator><dc:creator>van der Maaten, Laurens</dc:creator>\n"
        "<dc:subject>Mathematics - Combinatorics</dc:subject>\n"
        "<dc:description>  We describe a new\nalgorithm.</dc:description>\n"
        "<dc:description>Comment: To appear in Graphs and Combinatorics</dc:description>\n"
        "<dc:date>2008-12-13</dc:date><dc:date>2007-03-31</dc:date>\n"
        "<dc:identifier>http://arxiv.org/abs/0704.0002</dc:identifier>\n"
        "<dc:identifier>doi:10.1007/s00373-008-0834-4</dc:identifier>\n"
        "</oai_dc:dc>"
    )
    result = oai.read(oai_page(oai_record(dc, header="<header/>")), "dc.xml")
    assert result.problems == []
    assert result.records == [
        {
            "arxiv_id": "0704.0002",
            "title": "Sparsity-certifying Graph Decompositions",
            "abstract": "We describe a new algorithm.",
            "authors": ["Ileana Streinu", "Laurens van der Maaten"],
            "year": 2007,
            "month": 3,
            "venue": "arXiv",
            "doi": "10.1007/s00373-008-0834-4",
            "url": "https://arxiv.org/abs/0704.0002",
            "quality_flags": [],
            "source": "dc.xml:5",
        }
    ]


def test_oai_protocol_error():
    page = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">\n'
        "<responseDate>2024-01-01T00:00:00Z</responseDate>\n"
        '<error code="badResumptionToken">The value of the resumptionToken argument is invalid or expired.</error>\n'
        "</OAI-PMH>\n"
    )
    result = oai.read(page, "p.xml")
    assert result.records == []
    assert problems(result) == [
        (
            "error",
            "p.xml:4: OAI-PMH error badResumptionToken: "
            "The value of the resumptionToken argument is invalid or expired.",
        )
    ]


def test_oai_deleted_unknown_format_and_missing_fields():
    deleted = '<header status="deleted"><identifier>oai:arXiv.org:2101.00009</identifier></header>'
    raw = '<arXivRaw xmlns="http://arxiv.org/OAI/arXivRaw/"><id>2101.00002</id></arXivRaw>'
    no_title = '<arXiv xmlns="http://arxiv.org/OAI/arXiv/"><abstract>Just this.</abstract></arXiv>'
    empty = '<arXiv xmlns="http://arxiv.org/OAI/arXiv/"><categories>cs.CL</categories></arXiv>'
    page = oai_page(
        f"<record>{deleted}</record>\n",
        f"<record>{deleted}</record>\n",
        oai_record(raw),
        oai_record(no_title),  # the header's oai:arXiv.org:2101.00001 names the paper
        oai_record(empty, header="<header/>"),
        "<record><header/></record>\n",
    )
    result = oai.read(page, "p.xml")
    assert result.records == [
        {
            "arxiv_id": "2101.00001",
            "abstract": "Just this.",
            "authors": [],
            "venue": "arXiv",
            "categories": [],
            "url": "https://arxiv.org/abs/2101.00001",
            "quality_flags": ["no-title"],
            "source": "p.xml:13",
        }
    ]
    assert problems(result) == [
        ("error", "p.xml:7: record 3 is in metadata format <{http://arxiv.org/OAI/arXivRaw/}arXivRaw>, "
                  "which is not read"),
        ("warning", "p.xml:13: record 4 (2101.00001) has no title"),
        ("error", "p.xml:19: record 5 has no title, abstract or arXiv id"),
        ("error", "p.xml:25: record 6 has no metadata"),
        ("warning", "p.xml:5: 2 deleted record(s) skipped (they have no metadata)"),
    ]  # fmt: skip


def test_oai_root_must_be_oai_pmh():
    result = oai.read('<?xml version="1.0"?>\n<feed/>', "x.xml")
    assert problems(result) == [("error", "x.xml:1: the root element is <feed>, not <OAI-PMH>")]


# --------------------------------------------------------------------------- the snapshot


@needs_fixtures
def test_snapshot_fixture_counts_and_first_record():
    result = snapshot.read(fixture_text(SNAPSHOT), "s.json")
    assert len(result.records) == 200
    assert result.problems == []
    assert [r["source"] for r in result.records] == [f"s.json:{n}" for n in range(1, 201)]
    for record in result.records:
        assert re.fullmatch(r"0704\.0\d{3}", record["arxiv_id"])  # strings, never floats
        assert set(record) <= set(COLUMNS)
    first = result.records[0]
    abstract = first.pop("abstract")
    assert first == {
        "source": "s.json:1",
        "arxiv_id": "0704.0001",
        "url": "https://arxiv.org/abs/0704.0001",
        "title": "Calculation of prompt diphoton production cross sections at Tevatron and LHC energies",
        "arxiv_version": 2,
        "authors": ["C. Balázs", "E. L. Berger", "P. M. Nadolsky", "C. -P. Yuan"],
        "year": 2007,
        "month": 4,
        "categories": ["hep-ph"],
        "venue": "Phys.Rev.D76:013009,2007",
        "doi": "10.1103/physrevd.76.013009",
        "quality_flags": [],
    }
    assert abstract.startswith("A fully differential calculation in perturbative quantum chromodynamics is presented")
    assert abstract.endswith("enhanced sensitivity to the signal can be obtained with judicious selection of events.")
    assert_collapsed(abstract)


@needs_fixtures
def test_snapshot_fixture_chosen_records():
    records = by_id(snapshot.read(fixture_text(SNAPSHOT), "s.json").records)
    # v1 was created on Sat, 31 Mar 2007 although the id says 0704: the version date wins
    second = records["0704.0002"]
    assert (second["year"], second["month"], second["venue"]) == (2007, 3, "arXiv")
    assert second["categories"] == ["math.CO", "cs.CG"]
    assert "doi" not in second
    assert records["0704.0009"]["authors"][-2:] == ["Neal J. Evans II", "Philip C. Myers"]  # suffix
    assert records["0704.0020"]["authors"] == ["The BABAR Collaboration", "B. Aubert"]  # no first name
    assert records["0704.0025"]["authors"] == ["A. S. Mishchenko", "N. Nagaosa"]  # affiliations dropped
    assert records["0704.0147"]["authors"][0] == "Sudha"
    assert records["0704.0200"]["source"] == "s.json:200"
    assert records["0704.0200"]["doi"] == "10.1140/epja/i2006-10235-1"


def snapshot_line(**fields) -> str:
    base = {
        "id": "2101.00001",
        "title": "A title",
        "abstract": "An abstract.",
        "versions": [{"version": "v1", "created": "Fri, 1 Jan 2021 10:00:00 GMT"}],
        "authors_parsed": [["Doe", "Jane", ""]],
        "categories": "cs.CL",
    }
    base.update(fields)
    return json.dumps({k: v for k, v in base.items() if v is not None})


def test_snapshot_a_bad_line_costs_only_that_line():
    text = "\n".join(
        [
            snapshot_line(),
            '{"id":"2101.00002","title": "cut',
            "",
            "[1, 2]",
            snapshot_line(id="2101.00003", title="Third"),
            "null",
            snapshot_line(id=None, title=None, abstract=None),
        ]
    )
    result = snapshot.read(text + "\n", "s.jsonl")
    assert [(r["arxiv_id"], r["source"]) for r in result.records] == [
        ("2101.00001", "s.jsonl:1"),
        ("2101.00003", "s.jsonl:5"),
    ]
    assert problems(result) == [
        ("error", "s.jsonl:2: line is not valid JSON: Unterminated string starting at at column 29"),
        ("error", "s.jsonl:4: line is a JSON list, not an object"),
        ("error", "s.jsonl:6: line is a JSON NoneType, not an object"),
        ("error", "s.jsonl:7: record has no title, abstract or arXiv id"),
    ]


def test_snapshot_record_fields_and_fallbacks():
    lines = [
        snapshot_line(
            title="  Wrapped\n  title ",
            abstract="  First line\nsecond line.\n",
            versions=[
                {"version": "v1", "created": "Mon, 2 Apr 2007 19:18:42 GMT"},
                {"version": "v3", "created": "Tue, 24 Jul 2007 20:10:27 GMT"},
            ],
            authors_parsed=[["Evans", "Neal J.", "II"], ["van der Tak", "Floris", "", "SRON"], ["ATLAS", "", ""]],
            categories="hep-ph hep-ph astro-ph",
            doi="10.1103/PhysRevD.76.013009 10.1000/second",
            **{"journal-ref": "Phys.Rev.D76:013009,2007"},
        ),
        snapshot_line(id="hep-th/9901001", versions=None, update_date="2008-11-26"),  # year from the id
        snapshot_line(id="not-an-id", versions=[], update_date="2008-11-26"),  # year from update_date
        snapshot_line(id=704.0001),  # a float: the id is lost
        snapshot_line(authors_parsed=None, authors="C. Bal\\'azs, E. L. Berger and C.-P. Yuan", title=""),
    ]
    result = snapshot.read("\n".join(lines), "s.jsonl")
    first, old, no_id, float_id, authors_string = result.records
    assert first == {
        "source": "s.jsonl:1",
        "arxiv_id": "2101.00001",
        "url": "https://arxiv.org/abs/2101.00001",
        "title": "Wrapped title",
        "abstract": "First line second line.",
        "arxiv_version": 3,
        "authors": ["Neal J. Evans II", "Floris van der Tak", "ATLAS"],
        "year": 2007,
        "month": 4,
        "categories": ["hep-ph", "astro-ph"],
        "venue": "Phys.Rev.D76:013009,2007",
        "doi": "10.1103/physrevd.76.013009",
        "quality_flags": [],
    }
    assert (old["arxiv_id"], old["year"], old["month"], "arxiv_version" in old) == ("hep-th/9901001", 1999, 1, False)
    assert (no_id["year"], no_id["month"], no_id["quality_flags"]) == (2008, 11, ["bad-arxiv-id"])
    assert "arxiv_id" not in no_id and "url" not in no_id
    assert "arxiv_id" not in float_id and float_id["quality_flags"] == ["bad-arxiv-id"]
    assert authors_string["authors"] == ["C. Bal\\'azs", "E. L. Berger", "C.-P. Yuan"]
    assert authors_string["quality_flags"] == ["no-title"]
    assert problems(result) == [
        ("warning", "s.jsonl:3: id 'not-an-id' is not an arXiv id string; left out"),
        ("warning", "s.jsonl:4: id 704.0001 is not an arXiv id string; left out"),
        ("warning", "s.jsonl:5: record 2101.00001 has no title"),
    ]


def test_snapshot_empty_and_blank_text():
    assert problems(snapshot.read("", "e.json")) == [("error", "e.json: no JSON lines found")]
    assert problems(snapshot.read("\n \n", "e.json")) == [("error", "e.json: no JSON lines found")]


def test_snapshot_line_id_prefilter():
    assert snapshot.line_id('{"id":"0704.0001","submitter":"x"}') == "0704.0001"
    assert snapshot.line_id(b'{"id":"hep-th/9901001","title":"x"}') == b"hep-th/9901001"
    assert snapshot.line_id('{"id": "0704.0001"}') is None  # another layout: parse the line instead
    assert snapshot.line_id('{"title":"x","id":"0704.0001"}') is None
    assert snapshot.line_id('{"id":"hep-th\\/9901001"}') is None  # escaped: only the parser knows
    assert snapshot.line_id(b'{"id":"') is None


def test_snapshot_read_lines_streams_bytes():
    lines = [snapshot_line().encode() + b"\n", b'{"id":"\xff"}\n', snapshot_line(id="2101.00002").encode()]
    result = snapshot.read_lines(iter(lines), "s.jsonl", snapshot.ReadResult(), first_line=10)
    assert [r["source"] for r in result.records] == ["s.jsonl:10", "s.jsonl:12"]
    assert problems(result) == [("error", "s.jsonl:11: line is not valid UTF-8")]


# --------------------------------------------------------------------------- every reader survives anything

FEED_SAMPLE = feed(
    entry(
        "<id>http://arxiv.org/abs/2106.09685v2</id><published>2021-06-17T17:37:18Z</published>"
        "<title>LoRA</title><summary>We propose.</summary><author><name>Edward Hu</name></author>"
    ),
    entry("<id>http://arxiv.org/abs/2101.00001v1</id><title>Two</title>"),
)
OAI_SAMPLE = oai_page(oai_record(ARXIV_META.format(id="0704.0002")), oai_record(ARXIV_META.format(id="0704.0003")))
SNAPSHOT_SAMPLE = "\n".join([snapshot_line(), snapshot_line(id="2101.00002")]) + "\n"
XMLISH = st.text(alphabet=string.printable + "<>/&;#éü\u2028", max_size=300)


@pytest.mark.parametrize("module, sample", [(atom, FEED_SAMPLE), (oai, OAI_SAMPLE), (snapshot, SNAPSHOT_SAMPLE)])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_readers_never_raise(module, sample, data):
    start = data.draw(st.integers(0, len(sample)))
    end = data.draw(st.integers(start, len(sample)))
    noise = data.draw(XMLISH)
    for text in (noise, sample[:start] + noise + sample[end:], sample[:start]):
        result = module.read(text, "fuzz")
        assert isinstance(result.records, list)
        for record in result.records:
            assert set(record) <= set(COLUMNS)
            assert record["source"].startswith("fuzz:")
        assert module.sniff(text) in (True, False)


@settings(max_examples=40, deadline=None)
@given(st.binary(max_size=200))
def test_sniffers_never_raise_on_bytes_or_odd_text(raw):
    text = raw.decode("latin-1")
    for module in (atom, oai, snapshot):
        assert module.sniff(raw) is False
        assert module.sniff(text) in (True, False)


def test_formats_are_registered():
    assert READERS["arxiv-atom"] is atom and READERS["arxiv-oai"] is oai and READERS["arxiv-snapshot"] is snapshot
