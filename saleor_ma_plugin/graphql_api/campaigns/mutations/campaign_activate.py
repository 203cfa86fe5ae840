import graphene

from ....campaigns.editing import activate
from ....core.auth import MarketingPermission
from ..permissions import campaign_to_change
from .inputs import CampaignPayload


class CampaignActivate(CampaignPayload):
    """Start (or resume) a campaign; held runs continue where they were."""

    permissions = (MarketingPermission.MANAGE_MARKETING,)

    class Arguments:
        id = graphene.ID(required=True)

    @classmethod
    def perform(cls, root, info, id):
        return cls.success(campaign=activate(campaign_to_change(info, id)))
