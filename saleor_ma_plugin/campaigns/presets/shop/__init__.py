"""Scenario templates a shop makes itself: a campaign saved as a reusable, shareable preset.

A shop preset is a versioned JSON document (``document``): the campaign (kind, trigger,
audience, goal, exit condition, re-entry, windows, holdout and every live step), its
parameters, and the shop's own versions of the templates its send steps use (shipped
default templates are referenced by key only: they ship with the plugin). It is saved from
a campaign (``save_from_campaign``), listed beside the built-in presets, instantiated like
them (``presets.build_preset``), and exported and imported as JSON (``export_document``,
``import_document``), validated in full with errors naming the JSON path.

Parameters (``parameters``) are ``{name, path, label, type, default}``: ``path`` points into
the campaign (``trigger.days``, ``steps.<step key>.config.days``), ``type`` is integer,
decimal (stored as a string, like voucher discounts), string or boolean. ``name`` (the
campaign's name) is always a parameter.

Importing twice: preset slugs are unique (built-in ones included), so a second import of a
document fails on ``preset.slug`` and stores nothing, unless it is given another slug. A
template of the document is stored only when it differs from what the shop sends for that
key and language now; one that is identical is reused, one that differs is refused unless
``replace_templates`` is set, which stores it as that key's new version (the one every
campaign using the key then sends).
"""

from .document import DOCUMENT_SCHEMA, FORMAT, VERSION
from .store import (
    delete_shop_preset,
    export_document,
    import_document,
    save_from_campaign,
    shop_preset_spec,
)

__all__ = [
    "DOCUMENT_SCHEMA",
    "FORMAT",
    "VERSION",
    "delete_shop_preset",
    "export_document",
    "import_document",
    "save_from_campaign",
    "shop_preset_spec",
]
