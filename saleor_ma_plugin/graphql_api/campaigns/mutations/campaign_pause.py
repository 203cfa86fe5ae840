import graphene

from ....campaigns.editing import pause
from ....campaigns.models import Campaign
from ....core.auth import MarketingPermission
from ...core.ids import object_for_update
from .inputs import CampaignPayload


class CampaignPause(CampaignPayload):
    """Hold every run of a campaign where it is."""

    permissions = (MarketingPermission.MANAGE_MARKETING,)

    class Arguments:
        id = graphene.ID(required=True)

    @classmethod
    def perform(cls, root, info, id):
        return cls.success(campaign=pause(object_for_update(Campaign, id)))
