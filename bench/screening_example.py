"""Build data/examples/screening_labelled.csv: a small labelled review made from the seed corpus.

The question of the made-up review: "parameter-efficient fine-tuning" (papers the kit's tagger tags ``peft``
are relevant).  Each seed paper with an abstract gives a few records recombining its own sentences (in a
seeded order, with one sentence of another paper mixed in as noise); a relevant paper gives 2, another 5.
Seeded: running it again writes the same file.

    PYTHONPATH=$PWD .venv/bin/python bench/screening_example.py
"""

import random
import re
from pathlib import Path

import pandas as pd

import litreview as lr

OUT = Path(__file__).resolve().parents[1] / "data" / "examples" / "screening_labelled.csv"


def sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if len(s.split()) >= 5]


def build(seed: int = 0) -> pd.DataFrame:
    papers = lr.tag(lr.load())
    papers = papers[papers["abstract"].notna()].reset_index(drop=True)
    pool = [sentences(a) for a in papers["abstract"]]
    everything = [s for group in pool for s in group]
    rnd = random.Random(seed)
    rows = []
    for (_, paper), own in zip(papers.iterrows(), pool):
        if not own:
            continue
        relevant = int("peft" in paper["topics"])
        for _ in range(2 if relevant else 5):
            picked = rnd.sample(own, k=min(len(own), rnd.randint(2, 4))) + [rnd.choice(everything)]
            title = paper["title"] if isinstance(paper["title"], str) and rnd.random() < 0.5 else \
                " ".join(own[0].split()[:8])
            rows.append({"title": title, "abstract": " ".join(picked), "label_included": relevant})
    rnd.shuffle(rows)
    table = pd.DataFrame(rows)
    table.insert(0, "record_id", range(1, len(table) + 1))
    return table


if __name__ == "__main__":
    table = build()
    table.to_csv(OUT, index=False)
    print(f"wrote {OUT.name}: {len(table)} records, {int(table['label_included'].sum())} relevant")
