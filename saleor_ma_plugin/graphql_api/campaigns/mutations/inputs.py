"""Inputs shared by the campaign mutations."""

import graphene

from ...core.enums import CampaignKindEnum, ReentryPolicyEnum, StepTypeEnum
from ...core.mutations import BaseMutation
from ...core.types import JSON
from ..types import Campaign

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
