"""The settings as the dashboard's settings page shows them; secrets only as set or not."""

import graphene

from ...core.configuration import PluginSettings
from ...core.configuration_store import StoredConfiguration

#: API field -> setting name, for the settings this page edits.
SETTING_NAMES = {
    "quietHours": "quiet_hours",
    "smartSendingHours": "smart_sending_hours",
    "maxMarketingPerDay": "max_marketing_per_day",
    "maxMarketingPerWeek": "max_marketing_per_week",
    "attributionClickDays": "attribution_click_days",
    "attributionOpenDays": "attribution_open_days",
    "channels": "channel_settings",
    "signingSecret": "signing_secret",
}
API_FIELDS = {name: api for api, name in SETTING_NAMES.items()}


class MarketingSettingsHost(graphene.Enum):
    #: Saved in Saleor's plugin configuration, the one its plugin page edits.
    SALEOR = "saleor"
    #: Saved in the standalone host's database, under its Django setting SALEOR_MA_PLUGIN.
    STANDALONE = "standalone"


class MarketingChannelSettings(graphene.ObjectType):
    slug = graphene.String(required=True, description="Saleor channel slug.")
    sender_name = graphene.String(required=True, description="Empty: the global one.")
    sender_address = graphene.String(required=True, description="Empty: the global one.")
    storefront_url = graphene.String(required=True, description="Empty: the global one.")


class MarketingSettings(graphene.ObjectType):
    quiet_hours = graphene.String(
        required=True, description='HH:MM-HH:MM in the contact\'s local time; "" for none.'
    )
    smart_sending_hours = graphene.Int(required=True)
    max_marketing_per_day = graphene.Int(required=True, description="0: no cap.")
    max_marketing_per_week = graphene.Int(required=True, description="0: no cap.")
    attribution_click_days = graphene.Int(required=True)
    attribution_open_days = graphene.Int(required=True)
    channels = graphene.List(graphene.NonNull(MarketingChannelSettings), required=True)
    signing_secret_set = graphene.Boolean(
        required=True, description="Whether a link signing secret is set (never its value)."
    )
    version = graphene.String(
        required=True, description="Send back as expectedVersion when saving."
    )
    host = MarketingSettingsHost(required=True, description="Where the settings are saved.")
    locked_fields = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="Fields of this type the API cannot change in this host: the standalone "
        "host's Django setting SALEOR_MA_PLUGIN fixes them.",
    )


def settings_of(stored: StoredConfiguration, parsed: PluginSettings, host: str):
    quiet = parsed.quiet_hours
    return MarketingSettings(
        quiet_hours=f"{quiet.start:%H:%M}-{quiet.end:%H:%M}" if quiet else "",
        smart_sending_hours=parsed.smart_sending_hours,
        max_marketing_per_day=parsed.max_marketing_per_day,
        max_marketing_per_week=parsed.max_marketing_per_week,
        attribution_click_days=parsed.attribution_click_days,
        attribution_open_days=parsed.attribution_open_days,
        channels=[
            MarketingChannelSettings(
                slug=slug,
                sender_name=overrides.sender_name,
                sender_address=overrides.sender_address,
                storefront_url=overrides.storefront_url,
            )
            for slug, overrides in sorted(parsed.channels.items())
        ],
        signing_secret_set=bool(parsed.signing_secret),
        version=stored.version,
        host=host,
        locked_fields=sorted(API_FIELDS[name] for name in stored.locked if name in API_FIELDS),
    )
