"""Finding the campaign a mutation names, with the API's errors."""

from ....campaigns.models import Campaign
from ...core.errors import MarketingErrorCode, MutationError
from ...core.ids import model_pk


def campaign_for_update(global_id: str, field: str = "id") -> Campaign:
    campaign = (
        Campaign.objects.select_for_update()
        .filter(pk=model_pk(global_id, "Campaign", field))
        .first()
    )
    if campaign is None:
        raise MutationError("No such campaign.", MarketingErrorCode.NOT_FOUND, field)
    return campaign
