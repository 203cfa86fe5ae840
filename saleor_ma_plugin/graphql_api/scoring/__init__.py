"""Score rules in the API."""
