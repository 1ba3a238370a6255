"""Tag quality on papers from outside the labels' era: NeurIPS 1995-96, read against the same 16 scopes.

    .venv/bin/python bench/out_of_era.py

The labels (``data/labels/out_of_era/neurips_1995_96_team.csv``, 304 papers) were made by the team's AI
reading assistants following ``../shared/labels/GUIDE.md``, not by people, and are never fitted on; the
papers are ``../shared/fixtures/tables/neurips/nips1995.json`` and ``nips1996.json`` (the script stops,
saying so, when ``../shared`` is absent).  Prints micro precision, recall and F1 of the learned decision and
of the rules alone, on every label and on the ``sure`` ones, then the learned decision per topic, then how
many papers read as outside the field and how many of those the labels give a topic.  With
``--as-extracted`` the abstracts are also scored as the proceedings site gives them (runs of spaces and
``(cid:173)`` soft hyphens left in), to show what tidying them on load changes.
"""

import argparse
import json
import sys
import warnings
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
NEURIPS = ROOT.parent / "shared" / "fixtures" / "tables" / "neurips"
LABELS = ROOT / "data" / "labels" / "out_of_era" / "neurips_1995_96_team.csv"
FILES = [NEURIPS / "nips1995.json", NEURIPS / "nips1996.json"]


def micro(pred: pd.Series, gold: pd.Series) -> dict:
    tp = sum(len(set(p) & set(g)) for p, g in zip(pred, gold))
    fp = sum(len(set(p) - set(g)) for p, g in zip(pred, gold))
    fn = sum(len(set(g) - set(p)) for p, g in zip(pred, gold))
    precision, recall = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
    f1 = 2 * precision * recall / max(precision + recall, 1e-12)
    return {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3), "tags": tp + fp}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--as-extracted", action="store_true", help="also score the abstracts as extracted")
    args = parser.parse_args(argv)
    if not all(f.is_file() for f in FILES):
        sys.exit(f"needs the shared fixtures {', '.join(f.name for f in FILES)} in {NEURIPS} (../shared absent)")
    import litreview as lr

    warnings.simplefilter("ignore")
    papers = lr.load(FILES, progress=False)
    labels = lr.load_labels(LABELS, papers=papers).set_index("id")
    variants = {"tidied on load": papers}
    if args.as_extracted:
        raw = {" ".join(r["title"].split()): r["abstract"] for f in FILES for r in json.loads(f.read_text("utf-8"))}
        variants["as extracted"] = papers.assign(abstract=papers["title"].map(lambda t: raw.get(" ".join(t.split()))))
    rows = []
    for name, table in variants.items():
        for tagger in ("learned", "rules"):
            tagged = lr.tag(table, tagger=tagger).set_index("id")
            gold = labels.loc[tagged.index]
            for subset, keep in (("all", slice(None)), ("sure", gold["sure"].to_numpy(bool))):
                rows.append({"abstracts": name, "tagger": tagger, "labels": subset,
                             **micro(tagged["topics"][keep], gold["topics"][keep])})
    print(pd.DataFrame(rows).to_string(index=False), end="\n\n")
    tagged = lr.tag(papers).set_index("id")
    gold = labels.loc[tagged.index]
    per_topic = []
    for slug in lr.load_taxonomy().slugs:
        said, true = (column.map(lambda topics, s=slug: s in topics) for column in (tagged["topics"], gold["topics"]))
        tp, fp, fn = int((said & true).sum()), int((said & ~true).sum()), int((~said & true).sum())
        if tp + fp + fn:
            per_topic.append({"topic": slug, "labelled": tp + fn, "tagged": tp + fp, "right": tp,
                              "f1": round(2 * tp / (2 * tp + fp + fn), 2)})
    print(pd.DataFrame(per_topic).to_string(index=False), end="\n\n")
    outside = tagged["outside_field"]
    print(f"{int(outside.sum())} of {len(tagged)} papers read as outside the field; the labels give "
          f"{int(gold['topics'][outside].map(len).gt(0).sum())} of them a topic")


if __name__ == "__main__":
    main()
