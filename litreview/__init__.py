"""litreview: a Jupyter-first literature review kit.

>>> import litreview as lr
>>> papers = lr.load()              # the default corpus, one row per paper
>>> tagged = lr.tag(papers)         # adds a ``topics`` column
>>> why = lr.evidence(papers)       # which words, in which field, for each tag

Submodules are imported on first use, so ``import litreview`` stays fast.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

# public name -> submodule that defines it
_API = {
    "load": "loading",
    "load_problems": "loading",
    "merge_log": "loading",
    "formats": "loading",
    "corpus_files": "data",
    "export": "exporting",
    "export_formats": "exporting",
    "enrich": "enrichment",
    "enrichment_log": "enrichment",
    "LoadError": "errors",
    "LoadWarning": "errors",
    "COLUMNS": "schema",
    "display_title": "schema",
    "display_titles": "schema",
    "load_taxonomy": "taxonomy",
    "Taxonomy": "taxonomy",
    "TaxonomyError": "taxonomy",
    "tag": "tagging",
    "evidence": "tagging",
    "topic_table": "tagging",
    "evaluate": "evaluation",
    "load_labels": "evaluation",
    "tagging_errors": "evaluation",
    "has_topic": "topic",
    "within_years": "topic",
    "evidence_summary": "topic",
    "topic_papers": "topic",
    "topic_counts": "trends",
    "topic_timeline": "trends",
    "plot_topic_counts": "trends",
    "plot_timeline": "trends",
    "rising_topics": "trends",
    "plot_rising": "trends",
    "undated": "trends",
    "topic_cooccurrence": "cooccurrence",
    "cooccurrence_matrix": "cooccurrence",
    "neighbours": "cooccurrence",
    "plot_cooccurrence": "cooccurrence",
    "plot_cooccurrence_network": "cooccurrence",
    "term_cooccurrence": "cooccurrence",
    "term_occurrences": "cooccurrence",
    "write_vosviewer": "vosviewer",
    "distinctive_terms": "terms",
    "plot_distinctive_terms": "terms",
    "load_entities": "entities",
    "entity_mentions": "entities",
    "entity_counts": "entities",
    "plot_entity_counts": "entities",
    "top_authors": "authors",
    "top_venues": "authors",
    "coauthor_network": "authors",
    "plot_coauthor_network": "authors",
    "similar_pairs": "similarity",
    "similar_papers": "similarity",
    "discover_topics": "discovery",
    "compare_with_taxonomy": "discovery_compare",
    "discovery_summary": "discovery_compare",
    "plot_discovery_overlap": "discovery_compare",
    "load_screening": "screening",
    "save_screening": "screening",
    "screening_template": "screening",
    "prisma_flow": "screening",
    "plot_prisma": "screening",
    "per_source": "overview",
    "per_year": "overview",
    "missing_fields": "overview",
    "quality_flags": "overview",
    "provenance": "reproducibility",
    "corpus_fingerprint": "reproducibility",
    "package_versions": "reproducibility",
}

__all__ = sorted(_API)


def __getattr__(name: str):
    if name in _API:
        module = importlib.import_module(f".{_API[name]}", __name__)
        value = getattr(module, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'litreview' has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + __all__)
