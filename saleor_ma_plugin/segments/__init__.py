"""Segments: rule trees over contacts compiled to one SQL query, with stored membership."""
