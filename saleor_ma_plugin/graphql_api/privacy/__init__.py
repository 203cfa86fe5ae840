"""Data subject rights for admins: a person's data as one JSON document to download."""
