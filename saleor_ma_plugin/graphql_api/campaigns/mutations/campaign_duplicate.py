import graphene

from ....campaigns.editing import duplicate_campaign
from ....core.auth import MarketingPermission
from ..permissions import campaign_to_change
from .inputs import CampaignPayload


class CampaignDuplicate(CampaignPayload):
    """Copy a campaign and its flow as a new draft."""

    permissions = (MarketingPermission.MANAGE_MARKETING,)

    class Arguments:
        id = graphene.ID(required=True)
        name = graphene.String()

    @classmethod
    def perform(cls, root, info, id, name=""):
        campaign = campaign_to_change(info, id)
        return cls.success(campaign=duplicate_campaign(campaign, name or ""))
