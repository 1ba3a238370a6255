"""Level 3: analyses over tagged tables: each returns a tidy DataFrame, each plot draws on an Axes."""
