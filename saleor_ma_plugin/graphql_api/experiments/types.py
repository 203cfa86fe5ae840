"""Attribution and experiment types."""

from dataclasses import dataclass
from datetime import datetime

import graphene

from ...attribution.experiments import ExperimentResults as ExperimentResultsData
from ...attribution.windows import attribution_windows
from ...reporting.attribution import AttributionReport, attribution_series
from ..campaigns.types import Campaign
from ..core.enums import DecisionBasisEnum, DecisionSourceEnum, SplitTestMetricEnum, StepTypeEnum
from ..core.types import JSON
from ..reports.types import ReportIntervalEnum


@dataclass(frozen=True)
class AttributionRequest:
    report: AttributionReport
    start: datetime
    end: datetime
    interval: str


class CampaignAttributionStep(graphene.ObjectType):
    key = graphene.String(required=True)
    type = StepTypeEnum(required=True)
    name = graphene.String(required=True)
    removed = graphene.Boolean(required=True, description="Removed, with results from before.")
    sent = graphene.Int(required=True)
    opened = graphene.Int(required=True)
    clicked = graphene.Int(required=True)
    conversions = graphene.Int(required=True, description="Orders this step earned.")
    revenue = graphene.Decimal(required=True, description="Their totals, in `currency`.")
    cumulative_revenue = graphene.Decimal(
        required=True, description="Revenue of this step and every step listed before it."
    )


class CampaignAttributionTotal(graphene.ObjectType):
    sent = graphene.Int(required=True)
    opened = graphene.Int(required=True)
    clicked = graphene.Int(required=True)
    conversions = graphene.Int(required=True)
    revenue = graphene.Decimal(required=True)
    voucher_conversions = graphene.Int(required=True, description="Earned by a voucher code.")
    click_conversions = graphene.Int(required=True, description="Earned by a click.")
    open_conversions = graphene.Int(required=True, description="Earned by an open.")

    @staticmethod
    def resolve_voucher_conversions(root, info):
        return dict(root.by_touch).get("voucher", 0)

    @staticmethod
    def resolve_click_conversions(root, info):
        return dict(root.by_touch).get("click", 0)

    @staticmethod
    def resolve_open_conversions(root, info):
        return dict(root.by_touch).get("open", 0)


class HoldoutUplift(graphene.ObjectType):
    class Meta:
        description = (
            "Runs that received the campaign against held-out runs that received nothing: "
            "conversion within the campaign's window and revenue per run, with 95 % intervals."
        )

    holdout_share = graphene.Int(required=True, description="Percent held out now.")
    treated_contacts = graphene.Int(required=True)
    holdout_contacts = graphene.Int(required=True)
    treated_conversions = graphene.Int(required=True)
    holdout_conversions = graphene.Int(required=True)
    treated_rate = graphene.Float()
    holdout_rate = graphene.Float()
    uplift = graphene.Float(description="treatedRate - holdoutRate.")
    low = graphene.Float(description="Lower end of the uplift's 95 % interval.")
    high = graphene.Float(description="Upper end of the uplift's 95 % interval.")
    relative_uplift = graphene.Float(description="uplift / holdoutRate.")
    revenue_per_contact_treated = graphene.Decimal()
    revenue_per_contact_holdout = graphene.Decimal()
    revenue_uplift = graphene.Decimal()
    revenue_low = graphene.Decimal()
    revenue_high = graphene.Decimal()


class CampaignAttributionPoint(graphene.ObjectType):
    date = graphene.Date(required=True, description="First day of the day or week (UTC).")
    conversions = graphene.Int(required=True, description="Attributed orders placed then.")
    revenue = graphene.Decimal(required=True)


class CampaignAttribution(graphene.ObjectType):
    campaign = graphene.Field(Campaign, required=True)
    currency = graphene.String(description="Currency of every revenue figure; null: no orders.")
    currencies = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="Currencies of the campaign's attributed orders, most frequent first.",
    )
    click_window_days = graphene.Float(required=True)
    open_window_days = graphene.Float(required=True)
    steps = graphene.List(
        graphene.NonNull(CampaignAttributionStep),
        required=True,
        description="Steps that can earn orders, in flow order.",
    )
    total = graphene.Field(CampaignAttributionTotal, required=True)
    uplift = graphene.Field(HoldoutUplift, description="Null when the campaign has no holdout.")
    start = graphene.DateTime(required=True, name="from")
    end = graphene.DateTime(required=True, name="to")
    interval = ReportIntervalEnum(required=True)
    series = graphene.List(graphene.NonNull(CampaignAttributionPoint), required=True)

    @staticmethod
    def resolve_campaign(root: AttributionRequest, info):
        return root.report.campaign

    @staticmethod
    def resolve_currency(root: AttributionRequest, info):
        return root.report.currency

    @staticmethod
    def resolve_currencies(root: AttributionRequest, info):
        return root.report.currencies

    @staticmethod
    def resolve_click_window_days(root, info):
        return attribution_windows().click.total_seconds() / 86400

    @staticmethod
    def resolve_open_window_days(root, info):
        return attribution_windows().open.total_seconds() / 86400

    @staticmethod
    def resolve_steps(root: AttributionRequest, info):
        return root.report.steps

    @staticmethod
    def resolve_total(root: AttributionRequest, info):
        return root.report.total

    @staticmethod
    def resolve_uplift(root: AttributionRequest, info):
        return root.report.uplift

    @staticmethod
    def resolve_series(root: AttributionRequest, info):
        return attribution_series(
            root.report.campaign.pk, root.start, root.end, root.interval, root.report.currency
        )


class ExperimentVariant(graphene.ObjectType):
    name = graphene.String(required=True)
    weight = graphene.Int(required=True)
    next_key = graphene.String(required=True)
    recipients = graphene.Int(required=True, description="Runs that took this variant.")
    sent = graphene.Int(required=True, description="Messages sent to them in this variant.")
    conversions = graphene.Int(
        required=True, description="Of those runs, how many had an order attributed."
    )
    orders = graphene.Int(required=True, description="Orders attributed to those runs.")
    revenue = graphene.Decimal(required=True)
    conversion_rate = graphene.Float(description="conversions / recipients.")
    probability_best = graphene.Float(
        description="Posterior probability of the highest conversion rate (Beta(1, 1) prior)."
    )


class ExperimentWinnerRule(graphene.ObjectType):
    min_recipients = graphene.Int(required=True)
    probability = graphene.Float(required=True)


class ExperimentDecision(graphene.ObjectType):
    winner = graphene.String(required=True)
    source = DecisionSourceEnum(required=True)
    decided_at = graphene.DateTime(required=True)
    probabilities = JSON(required=True, description="P(best) per variant when decided.")
    results = JSON(required=True, description="Recipients and conversions per variant then.")
    metric = SplitTestMetricEnum(description="A test share's metric; null for other decisions.")
    basis = DecisionBasisEnum(description="Why the variant won a test share; null otherwise.")

    @staticmethod
    def resolve_metric(root, info):
        return root.metric or None

    @staticmethod
    def resolve_basis(root, info):
        return root.basis or None


class ExperimentResults(graphene.ObjectType):
    campaign = graphene.Field(Campaign, required=True)
    step_key = graphene.String(required=True)
    currency = graphene.String()
    rule = graphene.Field(
        ExperimentWinnerRule, description="When a winner is picked automatically; null: never."
    )
    variants = graphene.List(graphene.NonNull(ExperimentVariant), required=True)
    leader = graphene.String(description="The variant most likely to be best now.")
    decision = graphene.Field(
        ExperimentDecision, description="The winner every run now takes; null while open."
    )

    @staticmethod
    def resolve_leader(root: ExperimentResultsData, info):
        ranked = [v for v in root.variants if v.probability_best is not None]
        return max(ranked, key=lambda v: v.probability_best).name if ranked else None
