"""Campaign mutations, one per module."""
