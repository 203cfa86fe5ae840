"""Campaigns, steps, presets, dry runs and reports."""
