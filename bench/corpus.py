"""Large, realistic synthetic corpora for the benchmarks.

Abstracts recombine sentences of the seed corpus's real abstracts; titles
recombine its title words; every record gets an arXiv id or a DOI, authors and
a year.  A share of the records are duplicates of others as another source
would give them: a different arXiv version, a DOI in upper case behind a
resolver prefix, the title re-cased with its punctuation changed, or a one-letter
typo in the title.  The generator is seeded, so a size always gives the same corpus.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

import litreview as lr
from litreview.schema import conform

SURNAMES = """Smith Zhang Wang Li Kumar Garcia Müller Rossi Nguyen Kim Sato Silva Cohen Novak Ivanova Brown
Lee Chen Liu Singh Ahmed Dubois Jensen Kowalski Okafor Haddad Tanaka Lopez Petrov Andersson""".split()
GIVEN = """Ana Wei Jun Priya Carlos Lena Marco Linh Min Yuki Joao Noa Jan Olga Tom Ravi Mei Omar Sara Ken""".split()


def seed_sentences() -> tuple[list[str], list[str]]:
    """Sentences of the seed abstracts and words of the seed titles."""
    papers = lr.load()
    sentences = [
        s.strip()
        for abstract in papers["abstract"].dropna()
        for s in re.split(r"(?<=[.!?])\s+", abstract)
        if len(s.split()) >= 5
    ]
    words = sorted({w for t in papers["title"].dropna() for w in re.findall(r"[A-Za-z][\w-]+", t)})
    return sentences, words


def make_corpus(n: int, duplicate_share: float = 0.1, seed: int = 0) -> pd.DataFrame:
    """``n`` records in the papers schema, ``duplicate_share`` of them duplicates."""
    rng = np.random.default_rng(seed)
    sentences, words = seed_sentences()
    n_unique = int(round(n * (1 - duplicate_share)))
    sent = np.array(sentences, dtype=object)
    word = np.array(words, dtype=object)
    n_sent = rng.integers(3, 8, n_unique)
    title_len = rng.integers(5, 12, n_unique)
    titles = [" ".join(word[rng.integers(0, len(word), k)]).capitalize() for k in title_len]
    # The opening sentence names the paper's own subject, as real abstracts do,
    # so abstracts of different papers do not share their opening words.
    abstracts = [
        f"We study {t.lower()}. " + " ".join(sent[rng.integers(0, len(sent), k)]) for t, k in zip(titles, n_sent)
    ]
    years = rng.integers(2010, 2025, n_unique)
    months = rng.integers(1, 13, n_unique)
    n_auth = rng.integers(1, 6, n_unique)
    authors = [
        [f"{GIVEN[g]} {SURNAMES[s]}" for g, s in zip(rng.integers(0, len(GIVEN), k), rng.integers(0, len(SURNAMES), k))]
        for k in n_auth
    ]
    has_arxiv = rng.random(n_unique) < 0.6
    # Unique ids: the number within a month runs 0-99999, then the next month starts (as on arXiv),
    # so ids never collide however large the corpus; the id's year and month are the paper's.
    block = np.arange(n_unique) // 100_000
    years = np.where(has_arxiv, 2010 + (block // 12) % 15, years)
    months = np.where(has_arxiv, 1 + block % 12, months)
    arxiv_ids = [
        f"{y % 100:02d}{m:02d}.{i % 100000:05d}" if a else None
        for i, (y, m, a) in enumerate(zip(years, months, has_arxiv))
    ]
    dois = [None if a else f"10.{1000 + i % 9000}/bench.{i}" for i, a in enumerate(has_arxiv)]
    frame = pd.DataFrame(
        {
            "title": titles,
            "abstract": abstracts,
            "authors": authors,
            "year": years,
            "month": months,
            "venue": np.where(has_arxiv, "arXiv", "Journal of Benchmarks"),
            "arxiv_id": arxiv_ids,
            "arxiv_version": np.where(has_arxiv, 1, None),
            "doi": dois,
            "source": [f"bench.jsonl:{i + 1}" for i in range(n_unique)],
        }
    )
    dup_of = rng.integers(0, n_unique, n - n_unique)
    dups = frame.iloc[dup_of].copy()
    kind = rng.integers(0, 4, len(dups))
    titles = dups["title"].tolist()
    abstracts = dups["abstract"].tolist()
    for k in range(len(dups)):
        if kind[k] == 2:
            titles[k] = titles[k].upper() + "."
        elif kind[k] == 3 and len(titles[k]) > 10:
            pos = 5 + int(rng.integers(0, len(titles[k]) - 6))
            titles[k] = titles[k][:pos] + "x" + titles[k][pos + 1 :]
        if kind[k] >= 2:
            abstracts[k] = None  # a listing that gives the title only: matched on the title
    dups["title"] = titles
    dups["abstract"] = abstracts
    dups["arxiv_version"] = np.where(dups["arxiv_id"].notna(), 2, None)
    dups["doi"] = ["https://doi.org/" + d.upper() if isinstance(d, str) else None for d in dups["doi"]]
    dups.loc[kind >= 2, ["arxiv_id", "doi"]] = None
    dups["source"] = [f"other.jsonl:{i + 1}" for i in range(len(dups))]
    out = pd.concat([frame, dups], ignore_index=True)
    out = out.iloc[rng.permutation(len(out))].reset_index(drop=True)
    out = conform(out)
    out.attrs["unique"] = n_unique  # how many distinct papers a perfect merge finds
    return out
