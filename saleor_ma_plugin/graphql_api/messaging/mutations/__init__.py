"""Template and newsletter topic mutations, one per module."""
