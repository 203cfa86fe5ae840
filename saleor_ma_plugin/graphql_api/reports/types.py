"""Campaign report types, loaded for every report of a request in one round of queries."""

from dataclasses import dataclass
from datetime import datetime

import graphene
from promise import Promise
from promise.dataloader import DataLoader

from ...campaigns.models import Campaign as CampaignModel
from ...campaigns.models import Step
from ...messaging.blocks import ContentOutcome
from ...reporting.content import content_problems_by_campaign
from ...reporting.stats import Figures as FiguresData
from ...reporting.steps import step_figures_by_campaign
from ...reporting.timeline import ReportInterval, campaign_series
from ..campaigns.types import Campaign, Figures, FiguresByCampaignLoader
from ..core.enums import StepTypeEnum, enum_from_choices
from .experiments import CampaignExperimentDecision, ExperimentDecisionsLoader
from .loaders import AttributedTotalsLoader

ReportIntervalEnum = enum_from_choices("ReportIntervalEnum", ReportInterval)
ContentOutcomeEnum = enum_from_choices(
    "ContentOutcomeEnum", ContentOutcome, "What a send did without a content block's content."
)


@dataclass(frozen=True)
class ReportRequest:
    campaign: CampaignModel
    start: datetime
    end: datetime
    interval: str


@dataclass(frozen=True)
class StepReport:
    key: str
    type: str
    name: str
    removed: bool
    figures: FiguresData


class StepReportsLoader(DataLoader):
    """Steps and their message figures for every campaign asked for: two queries."""

    def batch_load_fn(self, campaign_ids):
        steps: dict[int, list[Step]] = {campaign_id: [] for campaign_id in campaign_ids}
        for step in Step.objects.filter(campaign_id__in=campaign_ids).order_by(
            "campaign_id", "position", "pk"
        ):
            steps[step.campaign_id].append(step)
        figures = step_figures_by_campaign(campaign_ids)
        return Promise.resolve(
            [
                [
                    StepReport(
                        key=step.key,
                        type=step.type,
                        name=step.name,
                        removed=step.removed_at is not None,
                        figures=figures[campaign_id].get(step.key, FiguresData()),
                    )
                    for step in steps[campaign_id]
                    if step.removed_at is None or step.key in figures[campaign_id]
                ]
                for campaign_id in campaign_ids
            ]
        )


class SeriesLoader(DataLoader):
    """Keys are (campaign_id, start, end, interval); one series query set per range."""

    def batch_load_fn(self, keys):
        by_range: dict[tuple, list[int]] = {}
        for campaign_id, *window in keys:
            by_range.setdefault(tuple(window), []).append(campaign_id)
        series = {
            window: campaign_series(campaign_ids, *window)
            for window, campaign_ids in by_range.items()
        }
        return Promise.resolve(
            [series[tuple(window)][campaign_id] for campaign_id, *window in keys]
        )


class ContentProblemsLoader(DataLoader):
    """Content problems of every campaign asked for: one query."""

    def batch_load_fn(self, campaign_ids):
        found = content_problems_by_campaign(campaign_ids)
        return Promise.resolve([found[campaign_id] for campaign_id in campaign_ids])


class CampaignContentProblem(graphene.ObjectType):
    source = graphene.String(
        required=True, description="The feed URL, `pages:<page type>` or product list."
    )
    outcome = ContentOutcomeEnum(required=True)
    reason = graphene.String(required=True, description="The latest reason, e.g. HTTP 503.")
    messages = graphene.Int(
        required=True, description="Messages of the delivery batches that went out this way."
    )
    first_at = graphene.DateTime(required=True)
    last_at = graphene.DateTime(required=True)


class CampaignStepReport(graphene.ObjectType):
    key = graphene.String(required=True)
    type = StepTypeEnum(required=True)
    name = graphene.String(required=True)
    removed = graphene.Boolean(required=True, description="Removed, with messages sent before.")
    figures = graphene.Field(Figures, required=True, description="Messages this step sent.")


class CampaignReportPoint(graphene.ObjectType):
    date = graphene.Date(required=True, description="First day of the day or week (UTC).")
    sent = graphene.Int(required=True)
    opened = graphene.Int(required=True)
    clicked = graphene.Int(required=True)
    converted = graphene.Int(
        required=True, description="Orders placed then and credited to the campaign."
    )
    revenue = graphene.Decimal(
        required=True, description="Their totals in the campaign's main currency."
    )
    goals_reached = graphene.Int(required=True, description="Runs that reached the goal then.")


class CampaignReport(graphene.ObjectType):
    campaign = graphene.Field(Campaign, required=True)
    start = graphene.DateTime(required=True, name="from")
    end = graphene.DateTime(required=True, name="to")
    interval = ReportIntervalEnum(required=True)
    figures = graphene.Field(Figures, required=True, description="All-time campaign figures.")
    attributed_conversions = graphene.Int(
        required=True, description="Orders attributed to the campaign (see campaignAttribution)."
    )
    attributed_revenue = graphene.Decimal(
        required=True, description="Their totals in `attributedCurrency`."
    )
    attributed_currency = graphene.String(description="The campaign's most frequent currency.")
    steps = graphene.List(graphene.NonNull(CampaignStepReport), required=True)
    content_problems = graphene.List(
        graphene.NonNull(CampaignContentProblem),
        required=True,
        description="Content blocks sent with a stale feed copy or left out (feed down, slow, "
        "too large or malformed; no products in stock), latest first.",
    )
    experiment_decisions = graphene.List(
        graphene.NonNull(CampaignExperimentDecision),
        required=True,
        description="Decided A/B splits (test shares, Bayesian and chosen winners), by step.",
    )
    series = graphene.List(
        graphene.NonNull(CampaignReportPoint),
        required=True,
        description="Figures per day or week from `from` (inclusive) to `to` (exclusive).",
    )

    @staticmethod
    def resolve_figures(root: ReportRequest, info):
        return info.context.loader(FiguresByCampaignLoader).load(root.campaign.pk)

    @staticmethod
    def resolve_attributed_conversions(root: ReportRequest, info):
        totals = info.context.loader(AttributedTotalsLoader).load(root.campaign.pk)
        return totals.then(lambda values: values[1])

    @staticmethod
    def resolve_attributed_revenue(root: ReportRequest, info):
        totals = info.context.loader(AttributedTotalsLoader).load(root.campaign.pk)
        return totals.then(lambda values: values[2])

    @staticmethod
    def resolve_attributed_currency(root: ReportRequest, info):
        totals = info.context.loader(AttributedTotalsLoader).load(root.campaign.pk)
        return totals.then(lambda values: values[0])

    @staticmethod
    def resolve_steps(root: ReportRequest, info):
        return info.context.loader(StepReportsLoader).load(root.campaign.pk)

    @staticmethod
    def resolve_content_problems(root: ReportRequest, info):
        return info.context.loader(ContentProblemsLoader).load(root.campaign.pk)

    @staticmethod
    def resolve_experiment_decisions(root: ReportRequest, info):
        return info.context.loader(ExperimentDecisionsLoader).load(root.campaign.pk)

    @staticmethod
    def resolve_series(root: ReportRequest, info):
        return info.context.loader(SeriesLoader).load(
            (root.campaign.pk, root.start, root.end, root.interval)
        )
