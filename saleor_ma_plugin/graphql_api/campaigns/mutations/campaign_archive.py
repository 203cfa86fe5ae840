import graphene

from ....campaigns.editing import archive
from ....core.auth import MarketingPermission
from .inputs import CampaignPayload
from .lookup import campaign_for_update


class CampaignArchive(CampaignPayload):
    """End a campaign; runs in flight exit."""

    permissions = (MarketingPermission.MANAGE_MARKETING,)

    class Arguments:
        id = graphene.ID(required=True)

    @classmethod
    def perform(cls, root, info, id):
        return cls.success(campaign=archive(campaign_for_update(id)))
