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
    "load": "io.load",
    "Selection": "io.selection",
    "load_problems": "io.account",
    "merge_log": "io.account",
    "formats": "io.load",
    "corpus_files": "data",
    "export": "io.export",
    "export_formats": "io.export",
    "export_losses": "io.export",
    "export_changes": "io.changes",
    "ExportWarning": "errors",
    "enrich": "io.enrichment",
    "enrichment_log": "io.enrichment",
    "LoadError": "errors",
    "LoadWarning": "errors",
    "COLUMNS": "schema",
    "display_title": "schema",
    "display_titles": "schema",
    "load_taxonomy": "tagging.taxonomy",
    "Taxonomy": "tagging.taxonomy",
    "TaxonomyError": "tagging.taxonomy",
    "tag": "dispatch",
    "evidence": "dispatch",
    "topic_table": "tagging.tagger",
    "FallbackWarning": "tagging.tagger",
    "OutsideFieldWarning": "tagging.tagger",
    "CoverageWarning": "tagging.coverage",
    "ThemesWarning": "analysis.discovery",
    "fit_tagger": "tagging.fit",
    "load_tagger": "tagging.decision",
    "save_tagger": "tagging.decision",
    "tag_scores": "tagging.explain",
    "explain_tag": "tagging.explain",
    "LabelsError": "tagging.labelsets",
    "evaluate": "tagging.evaluation",
    "load_labels": "tagging.evaluation",
    "tagging_errors": "tagging.evaluation",
    "suggest_rules": "tagging.suggest",
    "suggestions_yaml": "tagging.suggest",
    "labelling_standard": "tagging.labelling",
    "labelling_queue": "tagging.labelling",
    "add_labels": "tagging.labelling",
    "evaluate_taggers": "tagging.labelling",
    "has_topic": "analysis.topic",
    "topic_score": "analysis.topic",
    "within_years": "analysis.topic",
    "evidence_summary": "analysis.topic",
    "match_contexts": "analysis.topic",
    "paper_text": "analysis.topic",
    "topic_papers": "analysis.topic",
    "tag_certainty": "analysis.certainty",
    "borderline_papers": "analysis.certainty",
    "topic_counts": "dispatch",
    "topic_timeline": "dispatch",
    "plot_topic_counts": "analysis.trends",
    "plot_topic_timeline": "analysis.trends",
    "plot_timeline": "analysis.trends",  # deprecated: plot_topic_timeline
    "rising_topics": "analysis.trends",
    "plot_rising_topics": "analysis.trends",
    "plot_rising": "analysis.trends",  # deprecated: plot_rising_topics
    "undated": "analysis.trends",
    "main_years": "analysis.trends",
    "main_months": "analysis.trends",
    "incomplete_last_period": "analysis.trends",
    "topic_cooccurrence": "dispatch",
    "cooccurrence_matrix": "analysis.cooccurrence",
    "neighbours": "analysis.cooccurrence",
    "plot_cooccurrence_matrix": "analysis.cooccurrence",
    "plot_cooccurrence": "analysis.cooccurrence",  # deprecated: plot_cooccurrence_matrix
    "plot_cooccurrence_network": "analysis.cooccurrence",
    "strongest_links": "analysis.cooccurrence",
    "term_cooccurrence": "analysis.cooccurrence",
    "term_occurrences": "analysis.cooccurrence",
    "write_vosviewer": "analysis.vosviewer",
    "distinctive_terms": "analysis.terms",
    "plot_distinctive_terms": "analysis.terms",
    "load_entities": "tagging.entities",
    "entity_mentions": "tagging.entities",
    "entity_counts": "tagging.entities",
    "plot_entity_counts": "tagging.entities",
    "top_authors": "analysis.authors",
    "top_venues": "analysis.authors",
    "coauthor_network": "analysis.authors",
    "plot_coauthor_network": "analysis.authors",
    "similar_pairs": "analysis.similarity",
    "similar_papers": "analysis.similarity",
    "discover_topics": "analysis.discovery",
    "theme_papers": "analysis.discovery",
    "compare_with_taxonomy": "analysis.discovery_compare",
    "discovery_summary": "analysis.discovery_compare",
    "plot_compare_with_taxonomy": "analysis.discovery_compare",
    "plot_discovery_overlap": "analysis.discovery_compare",  # deprecated: plot_compare_with_taxonomy
    "load_screening": "analysis.screening",
    "save_screening": "analysis.screening",
    "screening_template": "analysis.screening",
    "prisma_flow": "analysis.screening",
    "plot_prisma_flow": "analysis.prisma_diagram",
    "plot_prisma": "analysis.prisma_diagram",  # deprecated: plot_prisma_flow
    "references": "io.references",
    "local_citations": "analysis.citations",
    "cited_works": "analysis.citations",
    "cocitation": "analysis.citations",
    "bibliographic_coupling": "analysis.citations",
    "citation_graph": "analysis.citations",
    "main_path": "analysis.citations",
    "rpys": "analysis.citations",
    "plot_rpys": "analysis.citations",
    "plot_local_citations": "analysis.citations",
    "plot_historiograph": "analysis.citations",
    "rank_for_screening": "analysis.ranking",
    "screening_features": "analysis.ranking",
    "simulate_screening": "analysis.simulation",
    "read_labelled_review": "analysis.simulation",
    "recall_curve": "analysis.simulation",
    "records_needed": "analysis.simulation",
    "wss": "analysis.simulation",
    "recall_after": "analysis.simulation",
    "screening_metrics": "analysis.simulation",
    "plot_recall_curve": "analysis.simulation",
    "stopping_test": "analysis.stopping",
    "stopping_point": "analysis.stopping",
    "remaining_relevant": "analysis.stopping",
    "stopping_behaviour": "analysis.stopping",
    "read_decisions": "analysis.screening_log",
    "record_decision": "analysis.screening_log",
    "screening_progress": "analysis.screening_session",
    "paper_card": "analysis.screening_session",
    "screening_widget": "analysis.screening_session",
    "live_kernel": "analysis.screening_session",
    "labelling_widget": "analysis.labelling_session",
    "decisions_by_reviewer": "analysis.agreement",
    "screening_agreement": "analysis.agreement",
    "screening_conflicts": "analysis.agreement",
    "resolve_screening": "analysis.agreement",
    "cohen_kappa": "analysis.agreement",
    "per_source": "analysis.overview",
    "per_year": "analysis.overview",
    "missing_fields": "analysis.overview",
    "quality_flags": "analysis.overview",
    "provenance": "report.provenance",
    "corpus_fingerprint": "report.provenance",
    "package_versions": "report.provenance",
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
