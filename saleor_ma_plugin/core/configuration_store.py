"""Changing the admin's settings from the dashboard, through the host that stores them.

Saleor keeps them in its ``PluginConfiguration`` (what its plugin page edits), the
standalone host in its own row under the values of the Django setting. Either way a change
is checked by :func:`~.configuration.parse_configuration` on the whole merged configuration,
the same check Saleor's plugin page runs, and refused if someone saved since the editor
loaded its copy (``version``).
"""

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.crypto import salted_hmac

from . import host
from .configuration import PluginSettings, parse_configuration


@dataclass(frozen=True)
class StoredConfiguration:
    """The raw values in force (defaults filled in) and what the host can change."""

    values: Mapping[str, Any]
    #: Fingerprint of what is stored: changes whenever anyone saves.
    version: str
    #: Names the dashboard cannot change in this host (e.g. fixed in the server's settings).
    locked: frozenset[str] = field(default_factory=frozenset)


class SettingsConflict(Exception):
    """Someone saved the settings after the editor loaded them."""


class SettingsLocked(Exception):
    """A setting this host does not let the dashboard change."""

    def __init__(self, name: str):
        super().__init__(name)
        self.name = name


def fingerprint(stored: Any) -> str:
    """A short, stable digest of stored values (any JSON).

    Keyed with the server's secret: the values include the link signing secret, and a plain
    hash would let whoever reads the version try guesses of it offline.
    """
    encoded = json.dumps(stored, sort_keys=True, default=str, separators=(",", ":"))
    return salted_hmac("saleor_ma_plugin.settings-version", encoded).hexdigest()[:20]


def read_configuration() -> tuple[StoredConfiguration, PluginSettings]:
    """The stored values and the settings they parse to."""
    stored = host.current().load_configuration(False)
    return stored, parse_configuration(stored.values)


def refusals(changes: Mapping[str, Any]) -> dict[str, list[str]]:
    """What the configuration check says of ``changes`` (by setting name); saves nothing."""
    try:
        read = host.current().load_configuration(False)
        parse_configuration({**read.values, **changes})
    except ValidationError as error:
        return error.message_dict
    return {}


def change_configuration(
    changes: Mapping[str, Any], expected_version: str | None
) -> tuple[StoredConfiguration, PluginSettings]:
    """Store ``changes`` (raw values by name) if the whole result is valid; else raise.

    Raises ``SettingsConflict``, ``SettingsLocked`` or ``ValidationError`` (keyed by
    setting name) and stores nothing. Call inside a transaction: the host locks its row.
    """
    integration = host.current()
    stored = integration.load_configuration(True)
    if expected_version is not None and expected_version != stored.version:
        raise SettingsConflict
    for name, value in changes.items():
        if name in stored.locked and str(value) != str(stored.values.get(name, "")).strip():
            raise SettingsLocked(name)
    parsed = parse_configuration({**stored.values, **changes})
    integration.save_configuration(dict(changes))
    host.forget_settings()
    return integration.load_configuration(False), parsed
