import graphene

from ....campaigns.editing import pause
from ....core.auth import MarketingPermission
from .inputs import CampaignPayload
from .lookup import campaign_for_update


class CampaignPause(CampaignPayload):
    """Hold every run of a campaign where it is."""

    permissions = (MarketingPermission.MANAGE_MARKETING,)

    class Arguments:
        id = graphene.ID(required=True)

    @classmethod
    def perform(cls, root, info, id):
        return cls.success(campaign=pause(campaign_for_update(id)))
