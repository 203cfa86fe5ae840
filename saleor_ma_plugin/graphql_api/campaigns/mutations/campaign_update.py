import graphene

from ....campaigns.editing import update_campaign
from ....campaigns.models import Campaign
from ....core.auth import MarketingPermission
from ...core.ids import object_for_update
from ...core.mutations import requestor_of
from ..permissions import require_discounts_for
from .inputs import CampaignPayload, CampaignSettingsInput


class CampaignUpdate(CampaignPayload):
    """Change a campaign's settings; its flow changes through the step mutations."""

    permissions = (MarketingPermission.MANAGE_MARKETING,)

    class Arguments:
        id = graphene.ID(required=True)
        input = CampaignSettingsInput(required=True)

    @classmethod
    def perform(cls, root, info, id, input):
        campaign = object_for_update(Campaign, id)
        require_discounts_for(requestor_of(info), campaign.steps.values_list("type", flat=True))
        changes = {name: value for name, value in input.items() if value is not None}
        return cls.success(campaign=update_campaign(campaign, **changes))
