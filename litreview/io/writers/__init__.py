"""Writers, one module per export format: ``FORMAT``, ``EXTENSION`` and ``write(papers) -> str``."""
