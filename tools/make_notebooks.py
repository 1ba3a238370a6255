"""Write the notebooks' cells (without outputs).  Run once when the cell
layout changes; outputs are then re-created with `make notebooks`."""

from pathlib import Path

import nbformat as nbf

HERE = Path(__file__).resolve().parent.parent / "notebooks"


def md(text):
    return nbf.v4.new_markdown_cell(text.strip())


def code(text, tags=()):
    cell = nbf.v4.new_code_cell(text.strip())
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


def notebook(cells):
    nb = nbf.v4.new_notebook()
    nb.cells = cells
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    nb.metadata["language_info"] = {"name": "python"}
    return nb


overview = notebook([
    md("""
# Corpus overview

What is in the corpus, where each paper came from, what is missing, and how the
papers spread over the taxonomy's topics.  Every table comes from a function in
`litreview`, so the same numbers are available in your own notebooks.

By default this reads the four seed documents in `data/raw/` (see `data/README.md`).
Set `corpus` to a list of your own files to look at them instead.
"""),
    code("""
# Parameters: papermill fills these (`-p corpus ...`); leave corpus empty for the default corpus.
corpus = []
taxonomy = None
""", tags=["parameters"]),
    code("""
%matplotlib inline
import pandas as pd

import litreview as lr

pd.set_option("display.max_colwidth", 80)
papers = lr.load(corpus or None)
taxonomy_rules = lr.load_taxonomy(taxonomy)
len(papers)
"""),
    md("""
## Where the papers come from

`source` names the file and line of each record; a paper found in several files
lists all of them in `provenance`.
"""),
    code("lr.per_source(papers)"),
    md("## When they were published\n\nPapers whose source gives no year are counted under `<NA>`: unknown is left unknown, not guessed."),
    code("lr.per_year(papers)"),
    md("""
## What is missing

Counts of papers lacking each field, per source file.  The arXiv abstract dump has
no titles (such papers are shown by their arXiv id and the opening words of the
abstract); the newsletter gives titles and commentary but no abstracts.
"""),
    code("lr.missing_fields(papers)"),
    md("## Data-quality flags\n\nFlags raised while reading: text repaired from a wrong encoding (`mojibake-repaired`), text still damaged (`mojibake`), partial author lists, missing abstracts."),
    code("lr.quality_flags(papers)"),
    md("## Records that could not be read, and duplicates merged\n\nNothing is dropped silently: `lr.load_problems` lists every record skipped or read in part, and `lr.merge_log` every record folded into another paper, with the key that matched."),
    code("lr.load_problems(papers)"),
    code("lr.merge_log(papers)"),
    md("## The topic landscape\n\nTags come from the rules in `data/taxonomy.yaml`; each paper can have several topics or none."),
    code("""
tagged = lr.tag(papers, taxonomy_rules)
counts = lr.topic_counts(tagged, taxonomy_rules.slugs)
counts
"""),
    code("lr.plot_topic_counts(counts)"),
    code("f\"{(tagged['topics'].map(len) == 0).sum()} of {len(tagged)} papers have no topic\""),
    md("Topics that share papers: the diagonal is each topic's size, other cells the papers two topics share."),
    code("lr.plot_cooccurrence(lr.cooccurrence_matrix(tagged, taxonomy_rules.slugs))"),
    code("lr.topic_cooccurrence(tagged, taxonomy_rules.slugs).head(10)"),
    md("## Tag quality against hand labels\n\n`data/labels.csv` holds topics assigned by reading each seed paper. Precision: share of the tagger's tags that are right; recall: share of the hand labels the tagger finds."),
    code("""
labels = lr.load_labels()
lr.evaluate(tagged, labels, taxonomy_rules.slugs)
"""),
])

report = notebook([
    md("""
# Topic report

One topic of the taxonomy: its papers and the evidence for each tag, its
timeline, the topics it overlaps with, the terms that set it apart from the rest
of the corpus, and its papers most similar to each other.

Run it for another topic by changing the parameters below, or for every topic at
once with `litreview report`.
"""),
    code("""
# Parameters (papermill fills these; `litreview report` validates them first).
topic = "peft"  # a slug from data/taxonomy.yaml
corpus = []  # input files; empty means the default corpus
start_year = None  # first year to include, or None
end_year = None  # last year to include, or None
taxonomy = None  # path to a taxonomy YAML file, or None for the default
""", tags=["parameters"]),
    code("""
%matplotlib inline
import pandas as pd

import litreview as lr

pd.set_option("display.max_colwidth", 100)
taxonomy_rules = lr.load_taxonomy(taxonomy)
chosen = taxonomy_rules[topic]  # raises KeyError listing the valid topics
all_papers = lr.load(corpus or None)
papers = lr.within_years(all_papers, start_year, end_year)
tagged = lr.tag(papers, taxonomy_rules)
evidence = lr.evidence(papers, taxonomy_rules)
in_topic = lr.has_topic(tagged, topic)
pd.DataFrame(
    {
        "topic": [chosen.label],
        "scope": [chosen.scope],
        "papers": [int(in_topic.sum())],
        "of corpus": [len(tagged)],
        "years": [f"{start_year or 'any'} to {end_year or 'any'}"],
    }
)
"""),
    md("## Papers and the evidence for their tag\n\n`evidence` lists the words that matched the topic's rules, by field (title, abstract, or the newsletter's notes)."),
    code("lr.topic_papers(tagged, evidence, topic).drop(columns='id')"),
    md("## Timeline\n\nPapers per year in this topic, and their share of all the corpus's papers of that year. Papers without a year are not shown."),
    code("""
timeline = lr.topic_timeline(tagged, [topic])
timeline
"""),
    code("lr.plot_timeline(timeline, title=f'{chosen.label}: papers per year')"),
    md("## Neighbouring topics\n\nTopics that share papers with this one (Jaccard index: shared papers over papers in either topic)."),
    code("lr.neighbours(tagged, topic)"),
    md("## Distinctive terms\n\nWords and two-word phrases over-represented in this topic's titles and abstracts compared with the rest of the corpus (weighted log-odds z-score; above about 2 is notable)."),
    code("""
if 0 < in_topic.sum() < len(tagged):
    terms = lr.distinctive_terms(tagged, in_topic, n=15)
else:
    terms = pd.DataFrame(columns=["term", "z", "in_group", "rest"])
terms
"""),
    code("lr.plot_distinctive_terms(terms, title=f'{chosen.label}: distinctive terms')"),
    md("## Most similar papers within the topic\n\nPairs of papers whose titles and abstracts are closest (TF-IDF cosine similarity), with the terms they share."),
    code("lr.similar_pairs(tagged[in_topic].reset_index(drop=True), n=8).drop(columns=['id_a', 'id_b'])"),
    md("## Provenance\n\nWhat produced this report: the corpus and taxonomy fingerprints, the parameters, and the package versions."),
    code("""
lr.provenance(
    papers, taxonomy_rules,
    {"topic": topic, "corpus": corpus, "start_year": start_year, "end_year": end_year, "taxonomy": taxonomy},
)
"""),
    code("lr.package_versions()", tags=["nbval-ignore-output"]),
])

nbf.write(overview, HERE / "corpus_overview.ipynb")
nbf.write(report, HERE / "topic_report.ipynb")
