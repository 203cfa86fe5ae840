"""Segment mutations, one per module."""
