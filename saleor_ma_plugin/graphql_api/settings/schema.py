"""The settings page's query and mutation, assembled."""

import graphene

from ...core import host
from ...core.configuration_store import read_configuration
from ..campaigns.permissions import require_read
from ..core.mutations import requestor_of
from .mutations.marketing_settings_update import MarketingSettingsUpdate
from .types import MarketingSettings, settings_of


class Queries(graphene.ObjectType):
    marketing_settings = graphene.Field(
        MarketingSettings,
        required=True,
        description="Quiet hours, smart sending, frequency caps, attribution windows and "
        "per-channel sender and storefront, as saved. Requires MANAGE_MARKETING.",
    )

    @staticmethod
    def resolve_marketing_settings(root, info):
        require_read(requestor_of(info))
        return settings_of(*read_configuration(), host.current().name)


class Mutations(graphene.ObjectType):
    marketing_settings_update = MarketingSettingsUpdate.Field()


__all__ = ["Mutations", "Queries"]
