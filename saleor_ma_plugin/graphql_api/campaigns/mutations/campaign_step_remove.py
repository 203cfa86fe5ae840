import graphene

from ....campaigns.editing import remove_step
from ....campaigns.models import Step
from ....core.auth import MarketingPermission
from ...core.conflicts import expected_updated_at
from ...core.errors import MarketingErrorCode, MutationError
from ..permissions import campaign_to_change
from .inputs import CampaignPayload


class CampaignStepRemove(CampaignPayload):
    """Remove a step: edges into it lead to its successor, and so do contacts waiting in it."""

    permissions = (MarketingPermission.MANAGE_MARKETING,)

    class Arguments:
        campaign_id = graphene.ID(required=True)
        key = graphene.String(required=True)
        expected_updated_at = expected_updated_at()

    @classmethod
    def perform(cls, root, info, campaign_id, key, expected_updated_at=None):
        campaign = campaign_to_change(
            info, campaign_id, "campaignId", expected_updated_at=expected_updated_at
        )
        if not Step.objects.filter(campaign=campaign, key=key, removed_at=None).exists():
            raise MutationError(f"No step {key!r}.", MarketingErrorCode.NOT_FOUND, "key")
        remove_step(campaign, key)
        return cls.success(campaign=campaign)
