import graphene

from ....campaigns.editing import StepSpec, add_step
from ....core.auth import MarketingPermission
from ...core.conflicts import expected_updated_at
from ..permissions import campaign_to_change
from .inputs import CampaignPayload, CampaignStepInput


class CampaignStepAdd(CampaignPayload):
    """Add a step; with afterKey it is spliced into the flow after that step."""

    permissions = (MarketingPermission.MANAGE_MARKETING,)

    class Arguments:
        campaign_id = graphene.ID(required=True)
        input = CampaignStepInput(required=True)
        after_key = graphene.String()
        expected_updated_at = expected_updated_at()

    @classmethod
    def perform(cls, root, info, campaign_id, input, after_key="", expected_updated_at=None):
        campaign = campaign_to_change(
            info, campaign_id, "campaignId", [input.type], expected_updated_at
        )
        spec = StepSpec(
            input.key,
            input.type,
            input.get("config") or {},
            input.get("next_key") or "",
            input.get("name") or "",
        )
        add_step(campaign, spec, after_key or "")
        campaign.refresh_from_db()
        return cls.success(campaign=campaign)
