import graphene

from ....campaigns.editing import StepSpec, add_step
from ....campaigns.models import Campaign
from ....core.auth import MarketingPermission
from ...core.ids import object_for_update
from ...core.mutations import requestor_of
from ..permissions import require_discounts_for
from .inputs import CampaignPayload, CampaignStepInput


class CampaignStepAdd(CampaignPayload):
    """Add a step; with afterKey it is spliced into the flow after that step."""

    permissions = (MarketingPermission.MANAGE_MARKETING,)

    class Arguments:
        campaign_id = graphene.ID(required=True)
        input = CampaignStepInput(required=True)
        after_key = graphene.String()

    @classmethod
    def perform(cls, root, info, campaign_id, input, after_key=""):
        campaign = object_for_update(Campaign, campaign_id, "campaignId")
        require_discounts_for(requestor_of(info), [input.type])
        spec = StepSpec(
            input.key,
            input.type,
            input.get("config") or {},
            input.get("next_key") or "",
            input.get("name") or "",
        )
        add_step(campaign, spec, after_key or "")
        return cls.success(campaign=campaign)
