"""Change the settings the settings page shows, checked like Saleor's plugin page does."""

import json

import graphene
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ....core import host
from ....core.auth import MarketingPermission
from ....core.configuration_store import (
    SettingsConflict,
    SettingsLocked,
    change_configuration,
    refusals,
)
from ...core.errors import MarketingError, MarketingErrorCode, MutationError
from ...core.mutations import BaseMutation
from ..types import API_FIELDS, MarketingSettings, settings_of

EXPECTED_VERSION = "expectedVersion"


class MarketingChannelSettingsInput(graphene.InputObjectType):
    slug = graphene.String(required=True, description="Saleor channel slug.")
    sender_name = graphene.String(description="Empty or left out: the global one.")
    sender_address = graphene.String(description="Empty or left out: the global one.")
    storefront_url = graphene.String(description="Empty or left out: the global one.")


class MarketingSettingsInput(graphene.InputObjectType):
    quiet_hours = graphene.String(description='HH:MM-HH:MM, e.g. "21:00-08:00"; "" for none.')
    smart_sending_hours = graphene.Int(description="0 to 336; 0 turns smart sending off.")
    max_marketing_per_day = graphene.Int(description="0 (no cap) to 1000.")
    max_marketing_per_week = graphene.Int(description="0 (no cap) to 1000.")
    attribution_click_days = graphene.Int(description="0 to 90.")
    attribution_open_days = graphene.Int(description="0 to 90.")
    channels = graphene.List(
        graphene.NonNull(MarketingChannelSettingsInput),
        description="Replaces every channel's sender and storefront; [] removes them all.",
    )
    signing_secret = graphene.String(
        description="A new link signing secret; links already sent stop working. Left out "
        "or empty: the secret stays as it is."
    )


def _channel_settings(channels: list[dict], problems: list[MarketingError]) -> str:
    """The channel list as the JSON map the setting holds; shape problems go to ``problems``."""
    mapping = {}
    for index, channel in enumerate(channels):
        slug = (channel.get("slug") or "").strip()
        if not slug or slug in mapping:
            problems.append(
                MarketingError(
                    field=f"channels[{index}]",
                    code=MarketingErrorCode.UNIQUE if slug else MarketingErrorCode.REQUIRED,
                    message=_("Channel %(slug)s is listed twice.") % {"slug": slug}
                    if slug
                    else _("Give the channel's slug."),
                )
            )
            continue
        entry = {
            key: (channel.get(key) or "").strip()
            for key in ("sender_name", "sender_address", "storefront_url")
        }
        mapping[slug] = {key: value for key, value in entry.items() if value}
    return json.dumps(mapping, ensure_ascii=False) if mapping else ""


def raw_changes(data: dict, problems: list[MarketingError]) -> dict:
    """The input as the setting values Saleor's plugin page would store (text)."""
    changes = {}
    for name in API_FIELDS:
        if name not in ("channel_settings", "signing_secret") and data.get(name) is not None:
            changes[name] = str(data[name]).strip()
    if data.get("channels") is not None:
        channel_settings = _channel_settings(data["channels"], problems)
        if not problems:
            changes["channel_settings"] = channel_settings
    if (data.get("signing_secret") or "").strip():
        changes["signing_secret"] = data["signing_secret"].strip()
    return changes


def _field_errors(messages_by_name: dict[str, list[str]]) -> list[MarketingError]:
    return [
        MarketingError(field=API_FIELDS.get(name), code=MarketingErrorCode.INVALID, message=msg)
        for name, messages in messages_by_name.items()
        for msg in messages
    ]


class MarketingSettingsUpdate(BaseMutation):
    """Change quiet hours, smart sending, frequency caps, attribution windows, per-channel
    sender and storefront, or the link signing secret.

    Only the fields given change. The whole configuration is checked as Saleor's plugin
    page checks it; inside Saleor the change is saved where that page saves it.
    """

    settings = graphene.Field(MarketingSettings)

    permissions = (MarketingPermission.MANAGE_MARKETING,)

    class Arguments:
        input = MarketingSettingsInput(required=True)
        expected_version = graphene.String(
            description="The version the editor loaded; if someone saved since, the change "
            "is refused with CONFLICT."
        )

    @classmethod
    def perform(cls, root, info, input, expected_version=None):
        problems: list[MarketingError] = []
        changes = raw_changes(input, problems)
        if problems:
            # Say everything wrong at once: the other fields are checked too.
            raise _Refused(problems + _field_errors(refusals(changes)))
        try:
            stored, parsed = change_configuration(changes, expected_version)
        except SettingsConflict:
            raise MutationError(
                _(
                    "Someone else saved the settings after you opened them. Reload to see "
                    "their changes, then make yours again."
                ),
                MarketingErrorCode.CONFLICT,
                EXPECTED_VERSION,
            ) from None
        except SettingsLocked as locked:
            raise MutationError(
                _(
                    "This setting is fixed in the server's configuration (SALEOR_MA_PLUGIN); "
                    "change it there."
                ),
                MarketingErrorCode.INVALID,
                API_FIELDS.get(locked.name),
            ) from None
        except ValidationError as error:
            raise _Refused(_field_errors(error.message_dict)) from None
        return cls.success(settings=settings_of(stored, parsed, host.current().name))

    @classmethod
    def mutate(cls, root, info, **data):
        try:
            return super().mutate(root, info, **data)
        except _Refused as refused:
            return cls(errors=refused.errors)


class _Refused(Exception):
    """Several field errors at once; raised inside the transaction so nothing is saved."""

    def __init__(self, errors: list[MarketingError]):
        super().__init__("refused")
        self.errors = errors
