import graphene

from ....campaigns.editing import move_step
from ....core.auth import MarketingPermission
from ...core.conflicts import expected_updated_at
from ..permissions import campaign_to_change
from .inputs import CampaignPayload


class CampaignStepMove(CampaignPayload):
    """Reorder a step in the editor's list; the flow's edges stay as they are."""

    permissions = (MarketingPermission.MANAGE_MARKETING,)

    class Arguments:
        campaign_id = graphene.ID(required=True)
        key = graphene.String(required=True)
        position = graphene.Int(required=True)
        expected_updated_at = expected_updated_at()

    @classmethod
    def perform(cls, root, info, campaign_id, key, position, expected_updated_at=None):
        campaign = campaign_to_change(
            info, campaign_id, "campaignId", expected_updated_at=expected_updated_at
        )
        move_step(campaign, key, position)
        return cls.success(campaign=campaign)
