import graphene

from ....campaigns.editing import update_step
from ....campaigns.models import Step
from ....core.auth import MarketingPermission
from ...core.conflicts import expected_updated_at
from ...core.errors import MarketingErrorCode, MutationError
from ...core.types import JSON
from ..permissions import campaign_to_change
from .inputs import CampaignPayload


class CampaignStepUpdate(CampaignPayload):
    """Change a step's configuration or successor; runs already past it are unaffected."""

    permissions = (MarketingPermission.MANAGE_MARKETING,)

    class Arguments:
        campaign_id = graphene.ID(required=True)
        key = graphene.String(required=True)
        config = JSON()
        next_key = graphene.String()
        expected_updated_at = expected_updated_at()

    @classmethod
    def perform(
        cls, root, info, campaign_id, key, config=None, next_key=None, expected_updated_at=None
    ):
        campaign = campaign_to_change(
            info, campaign_id, "campaignId", expected_updated_at=expected_updated_at
        )
        step = Step.objects.filter(campaign=campaign, key=key, removed_at=None).first()
        if step is None:
            raise MutationError(f"No step {key!r}.", MarketingErrorCode.NOT_FOUND, "key")
        update_step(campaign, key, config=config, next_key=next_key)
        return cls.success(campaign=campaign)
