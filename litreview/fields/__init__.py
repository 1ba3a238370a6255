"""Level 0: one module per bibliographic field (identifiers, names), shared by readers, writers and merging."""
