import graphene

from ....campaigns.editing import archive
from ....core.auth import MarketingPermission
from ..permissions import campaign_to_change
from .inputs import CampaignPayload


class CampaignArchive(CampaignPayload):
    """End a campaign; runs in flight exit."""

    permissions = (MarketingPermission.MANAGE_MARKETING,)

    class Arguments:
        id = graphene.ID(required=True)

    @classmethod
    def perform(cls, root, info, id):
        return cls.success(campaign=archive(campaign_to_change(info, id)))
