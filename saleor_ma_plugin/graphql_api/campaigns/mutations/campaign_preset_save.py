import graphene

from ....campaigns.presets.shop import save_from_campaign
from ....core.auth import MarketingPermission
from ....core.errors import FieldError
from ...core.errors import MutationError
from ..permissions import campaign_to_change
from .inputs import CampaignPresetPayload, CampaignPresetSaveInput


class CampaignPresetSave(CampaignPresetPayload):
    """Save a campaign (its flow, trigger, audience, goal, exit, re-entry and the shop's own
    versions of its templates) as a preset of the shop, listed beside the built-in ones."""

    permissions = (MarketingPermission.MANAGE_MARKETING,)

    class Arguments:
        campaign_id = graphene.ID(required=True)
        input = CampaignPresetSaveInput(required=True)

    @classmethod
    def perform(cls, root, info, campaign_id, input):
        campaign = campaign_to_change(info, campaign_id, "campaignId")
        preset = {"slug": input.slug, "title": input.title}
        if input.get("description"):
            preset["description"] = input.description
        parameters = [
            {name: value for name, value in item.items() if value is not None or name == "default"}
            for item in input.get("parameters") or []
        ]
        try:
            saved = save_from_campaign(campaign, preset, parameters)
        except FieldError as error:
            raise MutationError(error.message, error.code, _input_field(error.field)) from None
        return cls.success(preset=cls.listed(saved))


def _input_field(path: str) -> str:
    """Fields of the document as the input names them (``preset.slug`` is ``input.slug``)."""
    if path.startswith("preset."):
        return "input." + path.removeprefix("preset.")
    if path.startswith("parameters"):
        return "input." + path
    return path
