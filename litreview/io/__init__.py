"""Level 1: raw files in, records out and back: readers, writers, loading, merging, cache, enrichment."""
