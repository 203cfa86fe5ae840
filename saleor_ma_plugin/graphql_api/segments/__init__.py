"""Segments: rule trees over contacts, live counts, stored membership and RFM presets."""
