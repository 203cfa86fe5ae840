"""Campaign, step and figures types."""

import graphene
from promise import Promise
from promise.dataloader import DataLoader

from ...campaigns.models import Campaign as CampaignModel
from ...campaigns.presets.shop.document import PARAMETER_TYPES
from ...reporting.stats import campaign_figures, step_figures
from ..core.enums import CampaignKindEnum, CampaignStatusEnum, ReentryPolicyEnum, StepTypeEnum
from ..core.mutations import requestor_of
from ..core.types import JSON, CountableConnection
from .permissions import can_read


class Figures(graphene.ObjectType):
    enrolled = graphene.Int(required=True)
    sent = graphene.Int(required=True)
    delivered = graphene.Int(required=True)
    opened = graphene.Int(required=True)
    clicked = graphene.Int(required=True)
    unsubscribed = graphene.Int(required=True)
    goals_reached = graphene.Int(
        required=True, description="Runs that reached the campaign's goal (they earn nothing)."
    )
    converted = graphene.Int(
        required=True,
        description="Orders credited to the campaign: one order credits at most one campaign "
        "step (last touch; see campaignAttribution).",
    )
    revenue = graphene.Decimal(
        required=True,
        description="Their totals in the campaign's main currency (the one it earned most "
        "in); other currencies are never added to it.",
    )


class FiguresByCampaignLoader(DataLoader):
    """Figures of every campaign on a page in one round of queries."""

    def batch_load_fn(self, campaign_ids):
        figures = campaign_figures(campaign_ids)
        return Promise.resolve([figures[campaign_id] for campaign_id in campaign_ids])


class CampaignStep(graphene.ObjectType):
    key = graphene.String(required=True)
    type = StepTypeEnum(required=True)
    name = graphene.String(required=True)
    config = JSON(required=True)
    next_key = graphene.String(required=True)
    position = graphene.Int(required=True)
    removed = graphene.Boolean(required=True)
    figures = graphene.Field(Figures, required=True, description="Messages this step sent.")

    @staticmethod
    def resolve_removed(root, info):
        return root.removed_at is not None

    @staticmethod
    def resolve_figures(root, info):
        cache = info.context.loaders.setdefault(("step_figures", root.campaign_id), {})
        if not cache:
            cache.update(step_figures(root.campaign_id) or {"": None})
        return cache.get(root.key) or Figures(
            enrolled=0,
            sent=0,
            delivered=0,
            opened=0,
            clicked=0,
            unsubscribed=0,
            goals_reached=0,
            converted=0,
            revenue=0,
        )


class Campaign(graphene.ObjectType):
    class Meta:
        interfaces = (graphene.relay.Node,)

    name = graphene.String(required=True)
    kind = CampaignKindEnum(required=True)
    status = CampaignStatusEnum(required=True)
    trigger = JSON(required=True)
    audience = JSON(required=True)
    goal = JSON(required=True)
    exit_condition = JSON(required=True)
    reentry_policy = ReentryPolicyEnum(required=True)
    reentry_period_days = graphene.Int(required=True)
    conversion_window_days = graphene.Int(required=True)
    min_audience_size = graphene.Int(required=True)
    priority = graphene.Int(required=True)
    holdout_share = graphene.Int(required=True, description="Percent of entrants held out.")
    preset = graphene.String(required=True)
    entry_step_key = graphene.String(required=True)
    steps = graphene.List(
        graphene.NonNull(CampaignStep), required=True, include_removed=graphene.Boolean()
    )
    figures = graphene.Field(Figures, required=True)
    created_at = graphene.DateTime(required=True)
    updated_at = graphene.DateTime(required=True)
    launched_at = graphene.DateTime()

    @classmethod
    def is_type_of(cls, root, info):
        return isinstance(root, CampaignModel)

    @classmethod
    def get_node(cls, info, pk):
        if not can_read(requestor_of(info)):
            return None
        return CampaignModel.objects.filter(pk=pk).first()

    @staticmethod
    def resolve_steps(root, info, include_removed=False):
        steps = [step for step in root.steps.all() if include_removed or step.removed_at is None]
        return sorted(steps, key=lambda step: (step.position, step.pk))

    @staticmethod
    def resolve_figures(root, info):
        return info.context.loader(FiguresByCampaignLoader).load(root.pk)


class CampaignCountableConnection(CountableConnection):
    class Meta:
        node = Campaign


PresetParameterTypeEnum = graphene.Enum(
    "CampaignPresetParameterTypeEnum",
    [(kind.upper(), kind) for kind in PARAMETER_TYPES],
    description="Type of a shop preset's parameter (decimals are stored as strings).",
)


class CampaignPresetParameter(graphene.ObjectType):
    name = graphene.String(required=True, description="Key in `params`.")
    path = graphene.String(
        required=True,
        description="Where it sets the value: trigger.days, steps.<key>.config.days.",
    )
    label = graphene.String(required=True)
    type = PresetParameterTypeEnum(required=True)
    default = JSON(description="The value unless `params` gives another.")

    @staticmethod
    def resolve_name(root, info):
        return root["name"]

    @staticmethod
    def resolve_path(root, info):
        return root["path"]

    @staticmethod
    def resolve_label(root, info):
        return root["label"]

    @staticmethod
    def resolve_type(root, info):
        return root["type"]

    @staticmethod
    def resolve_default(root, info):
        return root["default"]


class CampaignPreset(graphene.ObjectType):
    slug = graphene.String(required=True)
    title = graphene.String(required=True)
    description = graphene.String(required=True)
    defaults = JSON(required=True, description="Parameters and their default values.")
    built_in = graphene.Boolean(
        required=True, description="Ships with the plugin; false: the shop saved or imported it."
    )
    parameters = graphene.List(
        graphene.NonNull(CampaignPresetParameter),
        required=True,
        description="A shop preset's parameters; empty for built-in presets (see defaults).",
    )


class PlannedStep(graphene.ObjectType):
    key = graphene.String(required=True)
    type = StepTypeEnum(required=True)
    at = graphene.DateTime(required=True)
    outcome = graphene.String(required=True)


class CampaignDryRun(graphene.ObjectType):
    eligible = graphene.Boolean(required=True)
    reason = graphene.String(required=True, description="Why the contact would not enter, if not.")
    steps = graphene.List(graphene.NonNull(PlannedStep), required=True)
