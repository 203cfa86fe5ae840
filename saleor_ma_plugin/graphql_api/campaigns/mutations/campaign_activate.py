import graphene

from ....campaigns.editing import activate
from ....campaigns.models import Campaign
from ....core.auth import MarketingPermission
from ...core.ids import object_for_update
from .inputs import CampaignPayload


class CampaignActivate(CampaignPayload):
    """Start (or resume) a campaign; held runs continue where they were."""

    permissions = (MarketingPermission.MANAGE_MARKETING,)

    class Arguments:
        id = graphene.ID(required=True)

    @classmethod
    def perform(cls, root, info, id):
        return cls.success(campaign=activate(object_for_update(Campaign, id)))
