"""Campaign queries."""

import graphene
from django.db.models import Q

from ...campaigns.dry_run import count_entrants, dry_run
from ...campaigns.models import Campaign as CampaignModel
from ...campaigns.presets import preset_listing
from ...campaigns.presets.shop import DOCUMENT_SCHEMA, export_document
from ...contacts.models import Contact
from ..core.enums import CampaignKindEnum, CampaignStatusEnum
from ..core.ids import model_pk
from ..core.mutations import requestor_of
from ..core.types import JSON, OrderDirection, paginate
from .permissions import require_read
from .types import (
    Campaign,
    CampaignCountableConnection,
    CampaignDryRun,
    CampaignPreset,
    PlannedStep,
)


class CampaignFilterInput(graphene.InputObjectType):
    status = graphene.List(graphene.NonNull(CampaignStatusEnum))
    kind = graphene.List(graphene.NonNull(CampaignKindEnum))
    search = graphene.String(description="Part of the name.")


class CampaignSortField(graphene.Enum):
    NAME = "name"
    CREATED_AT = "created_at"
    UPDATED_AT = "updated_at"
    STATUS = "status"
    PRIORITY = "priority"


class CampaignSortingInput(graphene.InputObjectType):
    field = CampaignSortField(required=True)
    direction = OrderDirection(required=True)


class CampaignQueries(graphene.ObjectType):
    campaigns = graphene.Field(
        CampaignCountableConnection,
        filter=CampaignFilterInput(),
        sort_by=CampaignSortingInput(),
        first=graphene.Int(),
        after=graphene.String(),
        last=graphene.Int(),
        before=graphene.String(),
        description="Campaigns, filtered and sorted. Requires MANAGE_MARKETING.",
    )
    campaign = graphene.Field(Campaign, id=graphene.ID(required=True))
    campaign_presets = graphene.List(
        graphene.NonNull(CampaignPreset),
        required=True,
        description="Built-in presets, then the shop's own. Requires MANAGE_MARKETING.",
    )
    campaign_preset_export = JSON(
        slug=graphene.String(required=True),
        description="A shop preset as a JSON document to import elsewhere "
        "(see campaignPresetDocumentSchema); null for unknown and built-in presets.",
    )
    campaign_preset_document_schema = JSON(
        required=True, description="The JSON Schema of preset documents (export and import)."
    )
    campaign_dry_run = graphene.Field(
        CampaignDryRun,
        id=graphene.ID(required=True),
        contact_id=graphene.ID(required=True),
        description="The steps a contact would take, and when; nothing is stored.",
    )
    campaign_entrants_count = graphene.Int(
        id=graphene.ID(required=True), description="How many contacts the trigger would enrol now."
    )

    @staticmethod
    def resolve_campaigns(root, info, filter=None, sort_by=None, **page):
        require_read(requestor_of(info))
        campaigns = CampaignModel.objects.prefetch_related("steps")
        if filter:
            if filter.get("status"):
                campaigns = campaigns.filter(status__in=filter["status"])
            if filter.get("kind"):
                campaigns = campaigns.filter(kind__in=filter["kind"])
            if filter.get("search"):
                campaigns = campaigns.filter(Q(name__icontains=filter["search"]))
        order = "-created_at"
        if sort_by:
            order = ("-" if sort_by["direction"] == OrderDirection.DESC.value else "") + sort_by[
                "field"
            ]
        return paginate(campaigns.order_by(order, "pk"), CampaignCountableConnection, **page)

    @staticmethod
    def resolve_campaign(root, info, id):
        require_read(requestor_of(info))
        return CampaignModel.objects.filter(pk=model_pk(id, "Campaign")).first()

    @staticmethod
    def resolve_campaign_presets(root, info):
        require_read(requestor_of(info))
        return [CampaignPreset(**listing.__dict__) for listing in preset_listing()]

    @staticmethod
    def resolve_campaign_preset_export(root, info, slug):
        require_read(requestor_of(info))
        return export_document(slug)

    @staticmethod
    def resolve_campaign_preset_document_schema(root, info):
        require_read(requestor_of(info))
        return DOCUMENT_SCHEMA

    @staticmethod
    def resolve_campaign_dry_run(root, info, id, contact_id):
        require_read(requestor_of(info))
        campaign = CampaignModel.objects.filter(pk=model_pk(id, "Campaign")).first()
        contact = Contact.objects.filter(pk=model_pk(contact_id, "Contact")).first()
        if campaign is None or contact is None:
            return None
        result = dry_run(campaign, contact)
        return CampaignDryRun(
            eligible=result.eligible,
            reason=result.reason,
            steps=[
                PlannedStep(key=s.key, type=s.type, at=s.at, outcome=s.outcome)
                for s in result.steps
            ],
        )

    @staticmethod
    def resolve_campaign_entrants_count(root, info, id):
        require_read(requestor_of(info))
        campaign = CampaignModel.objects.filter(pk=model_pk(id, "Campaign")).first()
        return count_entrants(campaign) if campaign else None
