"""Inputs shared by the campaign mutations."""

import graphene

from ....campaigns.presets.shop.store import parameter_defaults
from ...core.enums import CampaignKindEnum, ReentryPolicyEnum, StepTypeEnum
from ...core.mutations import BaseMutation
from ...core.types import JSON
from ..types import Campaign, CampaignPreset, PresetParameterTypeEnum

#: Said of every input that takes rules: the shapes of before the one rule language.
LEGACY_RULES = (
    " Deprecated shapes (read until the next release, then refused): campaign conditions "
    'with "contact.<column>" fields, event conditions with "where" lists or "since" in '
    "days, lists for all-of, and audiences as objects of tags_any / tags_none / "
    "lifecycle_stages / min_orders. They are stored in today's shape."
)


class CampaignStepInput(graphene.InputObjectType):
    key = graphene.String(required=True, description="Stable id within the campaign (a slug).")
    type = StepTypeEnum(required=True)
    name = graphene.String()
    config = JSON(
        description="Configuration of the step type (see campaignStepTypes)." + LEGACY_RULES
    )
    next_key = graphene.String(description="Default successor.")


class CampaignSettingsInput(graphene.InputObjectType):
    name = graphene.String()
    trigger = JSON(description="A trigger object of a type from campaignTriggerTypes.")
    audience = JSON(description="Who may enter: a rule (contact scope)." + LEGACY_RULES)
    goal = JSON(description='{"event": type, "where": rule (event scope)}.' + LEGACY_RULES)
    exit_condition = JSON(description="A rule (run scope) checked before every step.")
    reentry_policy = ReentryPolicyEnum()
    reentry_period_days = graphene.Int()
    conversion_window_days = graphene.Int()
    min_audience_size = graphene.Int()
    priority = graphene.Int()
    holdout_share = graphene.Int(description="Percent of entrants who receive nothing (0-50).")


class CampaignCreateInput(CampaignSettingsInput):
    name = graphene.String(required=True)
    kind = CampaignKindEnum(required=True)
    trigger = JSON(required=True)
    steps = graphene.List(graphene.NonNull(CampaignStepInput), required=True)
    entry_step_key = graphene.String()


class CampaignPayload(BaseMutation):
    """Base of mutations answering with the campaign."""

    campaign = graphene.Field(Campaign)

    class Meta:
        abstract = True


class CampaignPresetParameterInput(graphene.InputObjectType):
    name = graphene.String(
        required=True, description="Key in `params` (lowercase letters, digits, underscores)."
    )
    path = graphene.String(
        required=True,
        description="The value it sets, dot by dot: trigger.days, goal.event, "
        "steps.<step key>.config.days, steps.<step key>.config.variants.0.weight.",
    )
    label = graphene.String(description="What the admin sees; default: the name.")
    type = PresetParameterTypeEnum(required=True)
    default = JSON(description="Default: the campaign's value at `path`.")


class CampaignPresetSaveInput(graphene.InputObjectType):
    slug = graphene.String(required=True, description="Unique among all presets (a slug).")
    title = graphene.String(required=True)
    description = graphene.String()
    parameters = graphene.List(
        graphene.NonNull(CampaignPresetParameterInput),
        description="Values an admin sets when creating a campaign from the preset, "
        "besides its name.",
    )


class CampaignPresetPayload(BaseMutation):
    """Base of mutations answering with a shop preset."""

    preset = graphene.Field(CampaignPreset)

    class Meta:
        abstract = True

    @staticmethod
    def listed(preset) -> CampaignPreset:
        return CampaignPreset(
            slug=preset.slug,
            title=preset.title,
            description=preset.description,
            defaults=parameter_defaults(preset),
            built_in=False,
            parameters=preset.document.get("parameters", []),
        )
