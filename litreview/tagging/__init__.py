"""Level 2: topics from an editable taxonomy: the taxonomy, the matching engine, evaluation, entities."""
