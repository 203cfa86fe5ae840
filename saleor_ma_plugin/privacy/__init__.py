"""Data subject rights: one person's data out (export) and away (erasure), complete.

This package sits above the domain: it reads and changes every domain's rows that are keyed
to a contact, and nothing in the domain imports it. ``inventory`` says, for every model of the
app, whether it holds personal data and what export and erasure do with it; a test holds the
inventory to the models Django knows, so a new model cannot be forgotten.
"""

#: The export document's ``format``; ``EXPORT_VERSION`` changes when a key changes meaning.
EXPORT_FORMAT = "saleor-ma-plugin.personal-data"
EXPORT_VERSION = 1

#: Logger of the audit lines: who asked for what about which contact id, never personal data.
AUDIT_LOGGER = "saleor_ma_plugin.privacy"
