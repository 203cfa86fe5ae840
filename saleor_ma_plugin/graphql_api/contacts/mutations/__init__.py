"""Contact mutations, one per module."""
