"""Forcing the winner of an A/B split step."""

import graphene

from ...attribution.experiments import decide, experiment_results
from ...core.auth import MarketingPermission
from ..campaigns.permissions import campaign_to_change
from ..core.mutations import BaseMutation
from .types import ExperimentResults


class ExperimentDecide(BaseMutation):
    """Make a variant the winner of a split step: every run reaching it takes that variant.

    Replaces an earlier decision, automatic or not.
    """

    experiment = graphene.Field(ExperimentResults)

    permissions = (MarketingPermission.MANAGE_MARKETING,)

    class Arguments:
        campaign_id = graphene.ID(required=True)
        step_key = graphene.String(required=True)
        variant = graphene.String(required=True, description="Name of the winning variant.")

    @classmethod
    def perform(cls, root, info, campaign_id, step_key, variant):
        campaign = campaign_to_change(info, campaign_id, "campaignId")
        decide(campaign, step_key, variant)
        return cls.success(experiment=experiment_results(campaign, step_key))
