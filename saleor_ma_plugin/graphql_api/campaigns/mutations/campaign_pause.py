import graphene

from ....campaigns.editing import pause
from ....core.auth import MarketingPermission
from ..permissions import campaign_to_change
from .inputs import CampaignPayload


class CampaignPause(CampaignPayload):
    """Hold every run of a campaign where it is."""

    permissions = (MarketingPermission.MANAGE_MARKETING,)

    class Arguments:
        id = graphene.ID(required=True)

    @classmethod
    def perform(cls, root, info, id):
        return cls.success(campaign=pause(campaign_to_change(info, id)))
