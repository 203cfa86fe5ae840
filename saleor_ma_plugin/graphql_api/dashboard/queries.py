"""Queries of the Dashboard app: who is asking, and the figures its widgets show.

Ids of Saleor objects (``Order``, ``User``) are the global ids the Dashboard passes to
widgets; they are decoded here, at the API boundary, into the shop's database ids.
"""

from datetime import timedelta

import graphene
from django.utils import timezone
from graphql_relay import from_global_id

from ...campaigns.models import Campaign as CampaignModel
from ...campaigns.presets import build_preset
from ...reporting.widgets import (
    CampaignTotals,
    automation_revenue,
    campaign_totals,
    contact_of_customer,
    order_attribution,
)
from ..campaigns.permissions import require_read
from ..contacts.types import Contact
from ..core.errors import MarketingErrorCode, MutationError
from ..core.ids import model_pk
from ..core.mutations import requestor_of
from ..core.types import JSON, MAX_PAGE_SIZE
from .types import (
    AutomationRevenue,
    CampaignPresetPreview,
    CampaignRevenue,
    MarketingViewer,
    OrderAttribution,
)

#: Longest period the revenue widget sums.
MAX_DAYS = 366


def shop_id(global_id: str, type_name: str, field: str) -> str:
    """The shop's own id inside a Saleor global id of the expected type."""
    try:
        kind, value = from_global_id(global_id)
    except (ValueError, TypeError, UnicodeDecodeError, AttributeError):
        kind, value = "", ""
    if kind != type_name or not value or len(value) > 64:
        raise MutationError(f"Not a valid {type_name} id.", MarketingErrorCode.INVALID, field)
    return value


class DashboardQueries(graphene.ObjectType):
    marketing_viewer = graphene.Field(
        MarketingViewer,
        required=True,
        description="Who the request comes from; anyone may ask (the app decides what to show).",
    )
    order_attribution = graphene.Field(
        OrderAttribution,
        order_id=graphene.ID(required=True, description="Saleor's global id of the order."),
        description=(
            "The campaign and step an order is attributed to; null when no campaign earned "
            "it. Requires MANAGE_MARKETING."
        ),
    )
    customer_contact = graphene.Field(
        Contact,
        customer_id=graphene.ID(required=True, description="Saleor's global id of the user."),
        description="The contact of a shop customer; null if none. Requires MANAGE_MARKETING.",
    )
    automation_revenue = graphene.Field(
        AutomationRevenue,
        required=True,
        days=graphene.Int(default_value=30, description=f"Up to now, 1 to {MAX_DAYS} days."),
        description="Revenue earned by all campaigns recently. Requires MANAGE_MARKETING.",
    )
    campaign_revenues = graphene.List(
        CampaignRevenue,
        ids=graphene.List(graphene.NonNull(graphene.ID), required=True),
        description=(
            f"All-time attributed revenue per currency of up to {MAX_PAGE_SIZE} campaigns, "
            "in the order asked, null for unknown ids. Requires MANAGE_MARKETING."
        ),
    )
    campaign_preset_preview = graphene.Field(
        CampaignPresetPreview,
        preset=graphene.String(required=True),
        params=JSON(description="Overrides of the preset's defaults (see campaignPresets)."),
        description=(
            "The flow, trigger and goal a preset creates with these parameters, to show "
            "before creating it. Requires MANAGE_MARKETING."
        ),
    )

    @staticmethod
    def resolve_marketing_viewer(root, info):
        return requestor_of(info)

    @staticmethod
    def resolve_order_attribution(root, info, order_id):
        require_read(requestor_of(info))
        return order_attribution(shop_id(order_id, "Order", "orderId"))

    @staticmethod
    def resolve_customer_contact(root, info, customer_id):
        require_read(requestor_of(info))
        return contact_of_customer(shop_id(customer_id, "User", "customerId"))

    @staticmethod
    def resolve_automation_revenue(root, info, days=30):
        require_read(requestor_of(info))
        if not 1 <= days <= MAX_DAYS:
            raise MutationError(
                f"days must be between 1 and {MAX_DAYS}.", MarketingErrorCode.INVALID, "days"
            )
        end = timezone.now()
        return automation_revenue(end - timedelta(days=days), end)

    @staticmethod
    def resolve_campaign_revenues(root, info, ids):
        require_read(requestor_of(info))
        if len(ids) > MAX_PAGE_SIZE:
            raise MutationError(
                f"Ask for at most {MAX_PAGE_SIZE} campaigns.", MarketingErrorCode.INVALID, "ids"
            )
        pks = [model_pk(global_id, "Campaign", "ids") for global_id in ids]
        campaigns = CampaignModel.objects.in_bulk(pks)
        totals = campaign_totals(list(campaigns))
        return [
            CampaignTotals(campaigns[pk], totals[pk]) if pk in campaigns else None for pk in pks
        ]

    @staticmethod
    def resolve_campaign_preset_preview(root, info, preset, params=None):
        require_read(requestor_of(info))
        if params is not None and not isinstance(params, dict):
            raise MutationError("params must be a JSON object.", field="params")
        spec = build_preset(preset, params or {})
        return CampaignPresetPreview(
            preset=spec.preset,
            name=spec.name,
            kind=spec.kind,
            trigger=spec.trigger,
            audience=spec.audience,
            goal=spec.goal,
            entry_step_key=spec.entry_step_key or (spec.steps[0].key if spec.steps else ""),
            steps=spec.steps,
        )
