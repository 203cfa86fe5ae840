"""Conventions shared by every part of the API: auth, errors, mutations, connections."""
