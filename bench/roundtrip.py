"""Round-trip figures on the shared fixtures: load, tag, export in the same format, and compare the
export with the source, both read by an independent parser (bibtexparser 2 for BibTeX, a plain tag
reader for RIS, the csv module for CSV, json for CSL-JSON).

    python bench/roundtrip.py                  # every BibTeX, RIS and CSV fixture under ../shared/fixtures

Each source record is matched to the exported record of the table row whose ``provenance`` names it
(export writes one record per row, in row order).  Per source record:

- key kept: the exported record has the source's key (BibTeX key, RIS ``ID``, CSL ``id``), or lists it
  as an alias (biblatex ``ids``), or (a key the source repeats) the export defines it; records without a
  key do not count;
- entry type kept: the same entry type (BibTeX: any case; RIS ``TY``, CSL ``type``: exactly);
- fields, same value: each source field (BibTeX field, RIS tag line, CSV column, CSL key) is present in
  the export with the same value (BibTeX: the value as written, braces or quotes removed, a macro
  distinguished from text; whitespace runs as one space; keywords: the source's keywords all present);
- (the same, over the records not merged with a duplicate: a merged record exports the kept record's
  fields, so a folded duplicate's differing values are not its export's);
- topics as keywords: a record the tagger gave topics has every one as a ``topic:<slug>`` keyword
  (CSV: in a ``topics`` or ``keywords`` column);
- fields added (BibTeX and RIS, records not merged with a duplicate): fields the export writes that the
  source record has not, the topic keywords and key aliases aside: what a user finds in the library given
  back that they never wrote (each is also one of ``lr.export_changes``' rows);
- blocks kept (BibTeX): the source files' ``@preamble`` and ``@comment`` blocks and text between entries
  (bibtexparser's ``Preamble``, ``ExplicitComment`` and ``ImplicitComment``) that the export has, of the
  same kind and with the same text (whitespace runs as one space; text between entries may be found within
  a longer run of the export's, as after a ``% from <file>`` line).  A strings file that gives no record
  gets none of its blocks back, by design (:mod:`litreview.io.writers.bibtex_blocks`).

A source record the load skipped counts as lost on every figure.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sys
import warnings
from collections import Counter
from pathlib import Path

FIXTURES = Path(os.environ.get("LITREVIEW_FIXTURES") or Path(__file__).resolve().parents[2] / "shared" / "fixtures")
_WS = re.compile(r"\s+")
_RIS_TAG = re.compile(r"^([A-Z][A-Z0-9]) {1,2}-(?: (.*))?$")


def _norm(text: str) -> str:
    return _WS.sub(" ", text).strip()


# --- independent parsers: {source line: (key, type, [(field, value), ...])} ----------------------


def _bib_value(raw: str) -> tuple[str, str]:
    raw = raw.strip()
    if len(raw) >= 2 and ((raw[0] == "{" and raw[-1] == "}") or (raw[0] == '"' and raw[-1] == '"')):
        inner = raw[1:-1]
        if raw[0] == '"' or _balanced(inner):
            return "text", _norm(inner)
    if raw.isdigit():
        return "text", raw
    return "macro", _norm(raw)


_BRACES = re.compile(r"[{}]")


def _balanced(text: str) -> bool:
    depth = 0
    for ch in _BRACES.findall(text):  # only the braces count (a loop over every character is slow)
        depth += (ch == "{") - (ch == "}")
        if depth < 0:
            return False
    return depth == 0


def parse_bibtex(text: str, offset: int = 0) -> dict[int, tuple]:
    import bibtexparser
    from bibtexparser.model import DuplicateBlockKeyBlock, DuplicateFieldKeyBlock, Entry

    library = bibtexparser.parse_string(text, parse_stack=[])
    out = {}
    for block in library.blocks:
        if isinstance(block, (DuplicateFieldKeyBlock, DuplicateBlockKeyBlock)):  # kept, as BibTeX keeps them
            block = block.ignore_error_block
        if isinstance(block, Entry):
            fields = [(f.key.lower(), _bib_value(f.value)) for f in block.fields]
            out[block.start_line + 1 - offset] = (block.key, block.entry_type.lower(), fields)
    return out


def parse_ris(text: str) -> dict[int, tuple]:
    out, current, line0 = {}, None, 0
    for n, line in enumerate(text.split("\n"), start=1):
        line = line.lstrip("\ufeff\r").rstrip()
        match = _RIS_TAG.match(line)
        if match and match[1] == "TY":
            current, line0 = [(match[1], (match[2] or "").strip())], n
        elif match and match[1] == "ER":
            if current:
                fields = [(t, _norm(v)) for t, v in current[1:] if v.strip()]
                key = next((v for t, v in fields if t == "ID"), None)
                out[line0] = (key, current[0][1], fields)
            current = None
        elif match and current is not None:
            current.append((match[1], match[2] or ""))
        elif current is not None and line.strip() and len(current) > 1:
            tag, value = current[-1]
            current[-1] = (tag, value + " " + line.strip())
    return out


def parse_csv(text: str) -> dict[int, tuple]:
    stream = io.StringIO(text.lstrip("\ufeff"), newline="")
    reader = csv.reader(stream)
    header = None
    out = {}
    end = 0
    for row in reader:
        start, end = end + 1, reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if header is None:
            header = [h.strip() for h in row]
            continue
        if len(row) > len(header):  # (which column the header lacks a name for is not known here: unnamed)
            fields = [(None, _norm(cell)) for cell in row if cell.strip()]
        else:
            fields = [(name, _norm(cell)) for name, cell in zip(header, row) if cell.strip()]
        out[start] = (None, None, fields)
    return out


def parse_csl(text: str) -> dict[int, tuple]:
    items = json.loads(text)
    return {
        n: (item.get("id"), item.get("type"), [(k, json.dumps(v, sort_keys=True)) for k, v in item.items()
                                               if k not in ("id", "type")])
        for n, item in enumerate(items, start=1)
    }


PARSERS = {"bibtex": parse_bibtex, "ris": parse_ris, "csv": parse_csv, "csl-json": parse_csl}


def _keyword_items(fmt: str, fields: list) -> set[str]:
    names = {"bibtex": ("keywords",), "ris": ("KW",), "csv": ("keywords", "topics"), "csl-json": ("keyword",)}[fmt]
    found = set()
    for name, value in fields:
        if name in names:
            text = value[1] if isinstance(value, tuple) else value
            if fmt == "csl-json":
                text = json.loads(text)
            parts = [text] if fmt == "ris" else re.split(r"[,;]", text)
            found.update(p.strip().casefold() for p in parts if p.strip())
    return found


def _same(fmt: str, name: str, value, exported: list) -> bool:
    if fmt == "bibtex" and name == "keywords":
        want = _keyword_items(fmt, [(name, value)])
        return want <= _keyword_items(fmt, exported)
    if name is None:  # a cell of a row wider than its header: its value, under whichever name
        return any(v == value for _, v in exported)
    return (name, value) in exported


def compare(fmt: str, sources: dict[str, dict], papers, exported_text: str) -> Counter:
    """Counts over the source records of ``sources`` ({file label: parsed}) against the export."""
    parsed = PARSERS[fmt](exported_text)
    exported = list(parsed.values())
    row_of = {}
    for i, prov in enumerate(papers["provenance"]):
        for s in prov:
            row_of[s] = i
    topics = papers["topics"].tolist() if "topics" in papers else [[]] * len(papers)
    counts = Counter()
    # A key the source repeats means its first entry (BibTeX keeps only that one): the later records
    # sharing it keep their key when the export defines it, on whichever record.
    repeated = Counter(key for records in sources.values() for key, _, _ in records.values() if key)
    defined = {o[0] for o in exported} | {a.strip() for o in exported for name, value in o[2]
                                           if fmt == "bibtex" and name == "ids" for a in value[1].split(",")}
    for label, records in sources.items():
        for line, (key, etype, fields) in records.items():
            counts["records"] += 1
            row = row_of.get(f"{label}:{line}")
            out = exported[row] if row is not None and row < len(exported) else None
            if key:
                counts["keys"] += 1
                if out is not None:
                    aliases = set()
                    for name, value in out[2]:
                        if fmt == "bibtex" and name == "ids":
                            aliases |= {a.strip() for a in value[1].split(",")}
                    counts["keys kept"] += key == out[0] or key in aliases or (repeated[key] > 1 and key in defined)
            alone = row is not None and len(papers["provenance"].iloc[row]) == 1  # not merged with another record
            if etype:
                counts["types"] += 1
                counts["types unmerged"] += alone
                if out is not None:
                    same = (etype.lower() == (out[1] or "").lower()) if fmt == "bibtex" else (etype == out[1])
                    counts["types kept"] += same
                    counts["types unmerged kept"] += same and alone
            remaining = Counter(out[2]) if out is not None else Counter()
            for name, value in fields:
                counts["fields"] += 1
                counts["fields unmerged"] += alone
                if out is not None and (remaining[(name, value)] > 0 or _same(fmt, name, value, out[2])):
                    remaining[(name, value)] -= 1
                    counts["fields same"] += 1
                    counts["fields unmerged same"] += alone
            if out is not None and alone and fmt in _ADDED_ASIDE:
                written = {name for name, _ in fields}
                added = [name for name, _ in out[2] if name not in written and name not in _ADDED_ASIDE[fmt]]
                counts["fields added"] += len(added)
            if row is not None and topics[row] is not None and len(topics[row]):
                counts["tagged"] += 1
                have = _keyword_items(fmt, out[2]) if out is not None else set()
                if fmt == "csv":
                    have |= {f"topic:{t}" for t in have}
                counts["topics kept"] += all(f"topic:{t}".casefold() in have for t in topics[row])
    return counts


def bibtex_blocks(text: str) -> list[tuple[str, str]]:
    """``(kind, text)`` of each block outside the entries, as bibtexparser 2 reads them."""
    import bibtexparser
    from bibtexparser.model import ExplicitComment, ImplicitComment, Preamble

    kinds = {Preamble: "preamble", ExplicitComment: "comment", ImplicitComment: "text"}
    library = bibtexparser.parse_string(text, parse_stack=[])
    return [(kinds[type(b)], _norm(b.value if isinstance(b, Preamble) else b.comment))
            for b in library.blocks if type(b) in kinds]


def compare_blocks(source_texts: list[str], exported_text: str) -> Counter:
    """Counts of the sources' blocks outside the entries found again in the export (see the docstring)."""
    exported = bibtex_blocks(exported_text)
    counts = Counter()
    for text in source_texts:
        for kind, block in bibtex_blocks(text):
            counts["blocks"] += 1
            found = next((i for i, (k, b) in enumerate(exported)
                          if k == kind and (b == block or (kind == "text" and block in b))), None)
            if found is not None:
                counts["blocks kept"] += 1
                exported.pop(found)  # each block of the export answers for one of the source
    return counts


# fields an export adds by design: the topics as keywords, a merged record's other keys
_ADDED_ASIDE = {"bibtex": {"keywords", "ids"}, "ris": {"KW"}}


def _decode(path: Path) -> str:
    from litreview.io.load import decode_text

    return decode_text(path.read_bytes())


def runs() -> list[tuple[str, list[Path]]]:
    bib = FIXTURES / "bibtex"
    out = [("bibtex", [bib / "rlhf-book_bib.bib"]), ("bibtex", [bib / "probmlbib_standardstrings.bib",
                                                                bib / "probmlbib_bibliography.bib"]),
           ("bibtex", [bib / "probmlbib_dirty.bib"]), ("bibtex", [bib / "pybibx_scopus.bib"])]
    out += [("ris", [p]) for p in sorted((FIXTURES / "ris").glob("*.ris"))]
    tables = FIXTURES / "tables"
    csvs = [tables / "litstudy_scopus.csv", tables / "prompt_report_arxiv_papers_with_abstract.csv",
            FIXTURES / "citations" / "scopus_gui_testing.csv", *sorted((FIXTURES / "screening").glob("*.csv"))]
    out += [("csv", [p]) for p in csvs]
    out += [("csl-json", [p]) for p in sorted(FIXTURES.rglob("*.json")) if _is_csl(p)]
    return out


def _is_csl(path: Path) -> bool:
    from litreview.io.readers import detect_format

    return detect_format(_decode(path), path.suffix) == "csl-json"


def roundtrip(fmt: str, paths: list[Path]) -> Counter:
    import litreview as lr
    from litreview.io.load import display_path

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        papers = lr.load(paths, errors="skip", progress=False)
        # The rules, which tag more of these off-field fixtures (exascale computing, medicine):
        # more topic keywords to carry through the round trip.
        tagged = lr.tag(papers, tagger="rules")
        text = lr.export(tagged, format=fmt)
    sources = {}
    if fmt == "bibtex" and len(paths) > 1:  # the strings file first, as BibTeX reads \bibliography{a,b}
        head = "\n".join(_decode(p) for p in paths[:-1]) + "\n"
        sources[display_path(paths[-1])] = parse_bibtex(head + _decode(paths[-1]), head.count("\n"))
    else:
        for p in paths:
            sources[display_path(p)] = PARSERS[fmt](_decode(p))
    counts = compare(fmt, sources, tagged, text)
    if fmt == "bibtex":
        counts.update(compare_blocks([_decode(p) for p in paths], text))
    return counts


def _pct(a: int, b: int) -> str:
    return f"{100 * a / b:.1f}% ({a}/{b})" if b else "n/a"


def main() -> None:
    if not FIXTURES.is_dir():
        sys.exit(f"{FIXTURES} is absent")
    totals: dict[str, Counter] = {}
    for fmt, paths in runs():
        counts = roundtrip(fmt, paths)
        totals.setdefault(fmt, Counter()).update(counts)
        print(f"{fmt:8} {paths[-1].name:45} {_figures(counts)}")
    unmerged = ", ".join(f"{fmt} {_pct(c['fields unmerged same'], c['fields unmerged'])}" for fmt, c in totals.items())
    print(f"(fields of records not merged with a duplicate: {unmerged})")
    for fmt, counts in totals.items():
        print(f"TOTAL {fmt:8} {_figures(counts)}")


def _figures(counts: Counter) -> str:
    return (
        f"records {counts['records']:5}  keys {_pct(counts['keys kept'], counts['keys'])}"
        f"  types {_pct(counts['types kept'], counts['types'])}  fields {_pct(counts['fields same'], counts['fields'])}"
        f"  topics {_pct(counts['topics kept'], counts['tagged'])}"
        + (f"  fields added {counts['fields added']}" if "fields added" in counts else "")
        + (f"  blocks {_pct(counts['blocks kept'], counts['blocks'])}" if "blocks" in counts else "")
    )

if __name__ == "__main__":
    main()
