import graphene

from ....campaigns.editing import archive
from ....campaigns.models import Campaign
from ....core.auth import MarketingPermission
from ...core.ids import object_for_update
from .inputs import CampaignPayload


class CampaignArchive(CampaignPayload):
    """End a campaign; runs in flight exit."""

    permissions = (MarketingPermission.MANAGE_MARKETING,)

    class Arguments:
        id = graphene.ID(required=True)

    @classmethod
    def perform(cls, root, info, id):
        return cls.success(campaign=archive(object_for_update(Campaign, id)))
