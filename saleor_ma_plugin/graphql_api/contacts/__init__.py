"""Contacts: profiles, consents, timeline, export, update and erasure, for the dashboard."""
