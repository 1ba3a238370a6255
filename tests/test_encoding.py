"""Decoding input bytes and repairing text damaged by a wrong decoding (mojibake)."""

import codecs

import pytest

from litreview.io.encoding import Repair, decode_bytes, repair_mojibake

# --------------------------------------------------------------------------- repair_mojibake


def test_cp874_mojibake_is_repaired_and_flagged():
    # "α" is UTF-8 CE B1; read as Thai cp874 it becomes "ฮฑ".
    assert "α".encode().decode("cp874") == "ฮฑ"
    result = repair_mojibake("PanGu-ฮฑ")
    assert result == Repair("PanGu-α", repaired=1, damaged=0)
    assert result.flags == ["mojibake-repaired"]


def test_unrepairable_cp874_run_is_left_and_flagged():
    # "ๆ้" is what is left of a CJK character whose other bytes were dropped.
    text = "Wudao/ๆ้ 2.0, among others"
    result = repair_mojibake(text)
    assert result == Repair(text, repaired=0, damaged=1)
    assert result.flags == ["mojibake"]


def test_only_runs_that_decode_completely_are_repaired():
    # From the digest seed: "盘古α" read as cp874 lost three bytes, so "็ๅคฮฑ" has no exact
    # UTF-8 reading and is left whole (and flagged); "ฮฑ" on its own is repaired.
    text = "Switch Transformer, PanGu-ฮฑ/็ๅคฮฑ, HyperCLOVA, Wudao/ๆ้ 2.0, among others"
    result = repair_mojibake(text)
    assert result.text == "Switch Transformer, PanGu-α/็ๅคฮฑ, HyperCLOVA, Wudao/ๆ้ 2.0, among others"
    assert (result.repaired, result.damaged) == (1, 2)
    assert result.flags == ["mojibake-repaired", "mojibake"]


@pytest.mark.parametrize(
    "damaged, repaired",
    [
        ("cafÃ©", "café"),
        ("â€™", "’"),
        ("Itâ€™s", "It’s"),
        ("â€œpromptâ€™", "“prompt’"),
        ("scaling â€” not", "scaling — not"),
        ("naÃ¯ve", "naïve"),
        ("SchrÃ¶dinger", "Schrödinger"),
        ("Â£5", "£5"),
    ],
)
def test_cp1252_mojibake_is_repaired(damaged, repaired):
    assert repaired.encode().decode("cp1252") == damaged  # really UTF-8 read as cp1252
    result = repair_mojibake(damaged)
    assert result.text == repaired
    assert result.damaged == 0
    assert result.repaired >= 1
    assert result.flags == ["mojibake-repaired"]


def test_several_cp1252_runs_are_counted():
    result = repair_mojibake("Itâ€™s a cafÃ© dayâ€”yes")
    assert result == Repair("It’s a café day—yes", repaired=3, damaged=0)


@pytest.mark.parametrize(
    "text",
    [
        "Schrödinger",
        "Erdős–Rényi graphs and naïve café “quotes” — ok",
        "PanGu-α and β-VAE",
        "盘古α",
        "ภาษาไทยเป็นภาษาที่สวยงาม",  # genuine Thai text
        "การประมวลผลภาษาธรรมชาติ (NLP)",  # mostly Thai, with some Latin
        "Ã",  # a lone A-tilde is no marker
        "São Paulo",
    ],
)
def test_genuine_text_is_untouched(text):
    result = repair_mojibake(text)
    assert result == Repair(text, repaired=0, damaged=0)
    assert result.flags == []


@pytest.mark.parametrize("text", ["", "plain ASCII text, 100% safe: {}[]~", "Wudao 2.0"])
def test_ascii_is_untouched(text):
    assert repair_mojibake(text) == Repair(text, 0, 0)


def test_repair_flags_property():
    assert Repair("x", 0, 0).flags == []
    assert Repair("x", 2, 0).flags == ["mojibake-repaired"]
    assert Repair("x", 0, 3).flags == ["mojibake"]
    assert Repair("x", 1, 1).flags == ["mojibake-repaired", "mojibake"]


def test_genuine_thai_word_in_english_text_is_not_altered():
    # "สวัสดี" as cp874 bytes contains one valid UTF-8 pair (CA B4); a partial repair
    # would turn the word into "สวัʴี".  It cannot be told from damage, so it is
    # flagged for review, but never altered.
    text = "We said สวัสดี to everyone"
    assert repair_mojibake(text) == Repair(text, repaired=0, damaged=1)


# --------------------------------------------------------------------------- decode_bytes


def test_decode_utf8():
    assert decode_bytes("café – α".encode()) == ("café – α", "utf-8")


def test_decode_ascii_and_empty_are_utf8():
    assert decode_bytes(b"plain") == ("plain", "utf-8")
    assert decode_bytes(b"") == ("", "utf-8")


def test_decode_utf8_bom_is_stripped():
    raw = codecs.BOM_UTF8 + "arxiv_id\ncafé".encode()
    assert decode_bytes(raw) == ("arxiv_id\ncafé", "utf-8-sig")


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_decode_utf16_with_bom(codec):
    bom = codecs.BOM_UTF16_LE if codec.endswith("le") else codecs.BOM_UTF16_BE
    raw = bom + "Schrödinger α\nline two".encode(codec)
    assert decode_bytes(raw) == ("Schrödinger α\nline two", "utf-16")


def test_decode_cp1252_fallback():
    raw = "It’s a café — “quoted”".encode("cp1252")
    assert raw == b"It\x92s a caf\xe9 \x97 \x93quoted\x94"
    assert decode_bytes(raw) == ("It’s a café — “quoted”", "cp1252")


def test_decode_latin1_last_resort():
    # 0x81 is undefined in cp1252
    assert decode_bytes(b"caf\xe9 \x81") == ("café \x81", "latin-1")


def test_decode_prefers_utf8_over_cp1252():
    # "é" in UTF-8 is also valid cp1252 ("Ã©"); UTF-8 wins
    assert decode_bytes("é".encode()) == ("é", "utf-8")


@pytest.mark.parametrize(
    "damaged, repaired",
    [
        # 0x81, 0x8D, 0x8F, 0x90, 0x9D are undefined in cp1252; mojibake keeps them as C1 controls
        ("â€œpromptâ€\x9d", "“prompt”"),
        ("Ã\x81rbol", "Árbol"),
        ("Ã\x8dndice", "Índice"),
    ],
)
def test_cp1252_mojibake_with_undefined_bytes_is_repaired(damaged, repaired):
    result = repair_mojibake(damaged)
    assert result.text == repaired
    assert result.damaged == 0
    assert result.flags == ["mojibake-repaired"]


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_bomless_utf16_is_recognised(codec):
    text = "TY  - JOUR\nTI  - Schrödinger’s café\nER  - \n"
    assert decode_bytes(text.encode(codec)) == (text, codec)


def test_binary_noise_is_not_taken_for_utf16():
    assert decode_bytes(bytes(range(256)) * 4)[1] in ("cp1252", "latin-1")
