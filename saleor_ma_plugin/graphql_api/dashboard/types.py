"""Types of the dashboard area: the viewer, money totals, an order's attribution."""

import graphene

from ...attribution import Touch
from ...core.auth import MarketingPermission, RequestorKind
from ..campaigns.types import Campaign
from ..core.enums import CampaignKindEnum, StepTypeEnum, enum_from_choices
from ..core.types import JSON

RequestorKindEnum = enum_from_choices("RequestorKindEnum", RequestorKind)
MarketingPermissionEnum = enum_from_choices("MarketingPermissionEnum", MarketingPermission)
AttributionTouchEnum = enum_from_choices(
    "AttributionTouchEnum", [Touch.VOUCHER, Touch.CLICK, Touch.OPEN]
)


class MarketingViewer(graphene.ObjectType):
    class Meta:
        description = "Who sent the request and what they may do here."

    kind = RequestorKindEnum(required=True)
    email = graphene.String(required=True, description="Empty for anonymous requests and Apps.")
    permissions = graphene.List(graphene.NonNull(MarketingPermissionEnum), required=True)

    @staticmethod
    def resolve_permissions(root, info):
        return sorted(root.permissions)


class MoneyTotal(graphene.ObjectType):
    currency = graphene.String(required=True)
    amount = graphene.Decimal(required=True)
    conversions = graphene.Int(required=True, description="Orders the amount adds up.")


class CampaignRevenue(graphene.ObjectType):
    class Meta:
        description = "Orders a campaign earned (last touch), per currency, largest first."

    campaign = graphene.Field(Campaign, required=True)
    totals = graphene.List(graphene.NonNull(MoneyTotal), required=True)


class AutomationRevenuePoint(graphene.ObjectType):
    date = graphene.Date(required=True, description="UTC day.")
    currency = graphene.String(required=True)
    amount = graphene.Decimal(required=True)
    conversions = graphene.Int(required=True)


class AutomationRevenue(graphene.ObjectType):
    class Meta:
        description = "Revenue all campaigns earned in a period (last touch)."

    start = graphene.DateTime(required=True, name="from")
    end = graphene.DateTime(required=True, name="to")
    totals = graphene.List(graphene.NonNull(MoneyTotal), required=True)
    series = graphene.List(
        graphene.NonNull(AutomationRevenuePoint),
        required=True,
        description="Days with revenue, per currency, oldest first.",
    )
    campaigns = graphene.List(
        graphene.NonNull(CampaignRevenue),
        required=True,
        description="The campaigns that earned most in the period.",
    )


class OrderAttribution(graphene.ObjectType):
    class Meta:
        description = "The campaign step credited with an order."

    order_id = graphene.String(required=True, description="The shop's order id.")
    campaign = graphene.Field(Campaign, required=True)
    step_key = graphene.String(required=True)
    step_name = graphene.String(required=True, description="Empty when the step has no name.")
    step_type = StepTypeEnum(description="Null when the step no longer exists.")
    touch = AttributionTouchEnum(required=True, description="What earned the order.")
    touched_at = graphene.DateTime(description="The click, open or voucher credited.")
    occurred_at = graphene.DateTime(required=True, description="When the order was placed.")
    revenue = graphene.Decimal(required=True)
    currency = graphene.String(required=True)

    @staticmethod
    def resolve_order_id(root, info):
        return root.conversion.order_id

    @staticmethod
    def resolve_campaign(root, info):
        return root.conversion.campaign

    @staticmethod
    def resolve_step_key(root, info):
        return root.conversion.step_key

    @staticmethod
    def resolve_step_name(root, info):
        return root.step.name if root.step else ""

    @staticmethod
    def resolve_step_type(root, info):
        return root.step.type if root.step else None

    @staticmethod
    def resolve_touch(root, info):
        return root.conversion.touch

    @staticmethod
    def resolve_touched_at(root, info):
        return root.conversion.touched_at

    @staticmethod
    def resolve_occurred_at(root, info):
        return root.conversion.occurred_at

    @staticmethod
    def resolve_revenue(root, info):
        return root.conversion.revenue

    @staticmethod
    def resolve_currency(root, info):
        return root.conversion.currency


class CampaignStepPreview(graphene.ObjectType):
    key = graphene.String(required=True)
    type = StepTypeEnum(required=True)
    name = graphene.String(required=True)
    config = JSON(required=True)
    next_key = graphene.String(required=True)


class CampaignPresetPreview(graphene.ObjectType):
    class Meta:
        description = "The campaign a preset would create with these parameters; nothing stored."

    preset = graphene.String(required=True)
    name = graphene.String(required=True)
    kind = CampaignKindEnum(required=True)
    trigger = JSON(required=True)
    audience = JSON(required=True)
    goal = JSON(required=True)
    entry_step_key = graphene.String(required=True)
    steps = graphene.List(graphene.NonNull(CampaignStepPreview), required=True)
