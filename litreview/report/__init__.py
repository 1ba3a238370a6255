"""Level 4: notebooks run into reports: papermill runs, the CLI, provenance, teaching checks."""
