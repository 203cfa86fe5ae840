"""The decided A/B splits of the campaigns a request reports on, in one query."""

import graphene
from promise import Promise
from promise.dataloader import DataLoader

from ...campaigns.models import ExperimentDecision
from ..core.enums import DecisionBasisEnum, DecisionSourceEnum, SplitTestMetricEnum
from ..core.types import JSON


class CampaignExperimentDecision(graphene.ObjectType):
    class Meta:
        description = (
            "The winner of an A/B split step and the figures it was chosen on: for a test "
            "share, every variant's recipients, sends, opened and clicked runs, conversions "
            "and revenue at the end of the test."
        )

    step_key = graphene.String(required=True)
    winner = graphene.String(required=True)
    source = DecisionSourceEnum(required=True)
    metric = SplitTestMetricEnum(description="A test share's metric; null for other decisions.")
    basis = DecisionBasisEnum(description="Why the variant won a test share; null otherwise.")
    decided_at = graphene.DateTime(required=True)
    probabilities = JSON(required=True, description="P(best) per variant when decided.")
    results = JSON(required=True, description="The figures per variant when decided.")

    @staticmethod
    def resolve_metric(root, info):
        return root.metric or None

    @staticmethod
    def resolve_basis(root, info):
        return root.basis or None


class ExperimentDecisionsLoader(DataLoader):
    """Decisions of every campaign asked for, by step key."""

    def batch_load_fn(self, campaign_ids):
        found: dict[int, list[ExperimentDecision]] = {pk: [] for pk in campaign_ids}
        for decision in ExperimentDecision.objects.filter(campaign_id__in=campaign_ids).order_by(
            "campaign_id", "step_key"
        ):
            found[decision.campaign_id].append(decision)
        return Promise.resolve([found[campaign_id] for campaign_id in campaign_ids])
