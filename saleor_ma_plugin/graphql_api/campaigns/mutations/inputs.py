"""Inputs shared by the campaign mutations."""

import graphene

from ...core.enums import CampaignKindEnum, ReentryPolicyEnum, StepTypeEnum
from ...core.mutations import BaseMutation
from ...core.types import JSON
from ..types import Campaign


class CampaignStepInput(graphene.InputObjectType):
    key = graphene.String(required=True, description="Stable id within the campaign (a slug).")
    type = StepTypeEnum(required=True)
    name = graphene.String()
    config = JSON(description="Configuration of the step type.")
    next_key = graphene.String(description="Default successor.")


class CampaignSettingsInput(graphene.InputObjectType):
    name = graphene.String()
    trigger = JSON()
    audience = JSON()
    goal = JSON()
    exit_condition = JSON()
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
