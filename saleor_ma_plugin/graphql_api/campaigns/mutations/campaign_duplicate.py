import graphene

from ....campaigns.editing import duplicate_campaign
from ....campaigns.models import Campaign
from ....core.auth import MarketingPermission
from ...core.ids import object_for_update
from ...core.mutations import requestor_of
from ..permissions import require_discounts_for
from .inputs import CampaignPayload


class CampaignDuplicate(CampaignPayload):
    """Copy a campaign and its flow as a new draft."""

    permissions = (MarketingPermission.MANAGE_MARKETING,)

    class Arguments:
        id = graphene.ID(required=True)
        name = graphene.String()

    @classmethod
    def perform(cls, root, info, id, name=""):
        campaign = object_for_update(Campaign, id)
        require_discounts_for(requestor_of(info), campaign.steps.values_list("type", flat=True))
        return cls.success(campaign=duplicate_campaign(campaign, name or ""))
