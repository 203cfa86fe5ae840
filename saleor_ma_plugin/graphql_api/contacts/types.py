"""Contact, its revenue, consents and timeline."""

import graphene

from ...campaigns.models import Enrollment
from ...contacts.models import Contact as ContactModel
from ..campaigns.permissions import can_read
from ..core.enums import (
    ConsentChannelEnum,
    ConsentStatusEnum,
    EnrollmentStatusEnum,
    LifecycleStageEnum,
    enum_from_choices,
)
from ..core.mutations import requestor_of
from ..core.types import JSON, CountableConnection, paginate
from .loaders import ConsentsByContactLoader, RevenueByContactLoader, TagsByContactLoader
from .timeline import TimelineKind, timeline_entries, timeline_rows

TimelineKindEnum = enum_from_choices("ContactTimelineKindEnum", TimelineKind)
RUNS_SHOWN = 20
MAX_RUNS_SHOWN = 100


class ContactRevenue(graphene.ObjectType):
    currency = graphene.String(required=True)
    total_gross = graphene.Decimal(required=True)
    orders_count = graphene.Int(required=True)


class ContactConsent(graphene.ObjectType):
    channel = ConsentChannelEnum(required=True)
    topic = graphene.String(required=True, description="Newsletter topic; empty: the channel.")
    status = ConsentStatusEnum(required=True)
    requested_at = graphene.DateTime()
    confirmed_at = graphene.DateTime()
    updated_at = graphene.DateTime(required=True)


class ContactCampaignRun(graphene.ObjectType):
    """One run of a campaign for the contact."""

    campaign_id = graphene.ID(required=True)
    campaign_name = graphene.String(required=True)
    status = EnrollmentStatusEnum(required=True)
    step_key = graphene.String(required=True, description="The step to run next; empty: none.")
    next_run_at = graphene.DateTime()
    started_at = graphene.DateTime(required=True)
    finished_at = graphene.DateTime()
    exit_reason = graphene.String(required=True)

    @staticmethod
    def resolve_campaign_id(root, info):
        return graphene.relay.Node.to_global_id("Campaign", root.campaign_id)

    @staticmethod
    def resolve_campaign_name(root, info):
        return root.campaign.name


class ContactTimelineItem(graphene.ObjectType):
    occurred_at = graphene.DateTime(required=True)
    kind = TimelineKindEnum(required=True)
    title = graphene.String(required=True)
    detail = JSON(required=True, description="What the item's kind records, camelCased.")


class ContactTimelineItemCountableConnection(CountableConnection):
    class Meta:
        node = ContactTimelineItem


class Contact(graphene.ObjectType):
    class Meta:
        interfaces = (graphene.relay.Node,)

    email = graphene.String(required=True)
    first_name = graphene.String(required=True)
    last_name = graphene.String(required=True)
    language_code = graphene.String(required=True)
    country = graphene.String(required=True)
    timezone = graphene.String(required=True, description="IANA name, when known.")
    phone = graphene.String(required=True)
    birthday = graphene.Date()
    attributes = JSON(required=True)
    tags = graphene.List(graphene.NonNull(graphene.String), required=True)
    lead_score = graphene.Int(required=True)
    lifecycle_stage = LifecycleStageEnum(required=True)
    orders_count = graphene.Int(required=True)
    revenue = graphene.List(
        graphene.NonNull(ContactRevenue), required=True, description="Per currency."
    )
    first_order_at = graphene.DateTime()
    last_order_at = graphene.DateTime()
    last_seen_at = graphene.DateTime()
    created_at = graphene.DateTime(required=True)
    updated_at = graphene.DateTime(
        required=True, description="Last saved; send back as expectedUpdatedAt when editing."
    )
    erased_at = graphene.DateTime()
    consents = graphene.List(graphene.NonNull(ContactConsent), required=True)
    campaign_runs = graphene.List(
        graphene.NonNull(ContactCampaignRun),
        required=True,
        first=graphene.Int(description="At most this many (1 to 100, default 20)."),
        description="The contact's campaign runs, newest first.",
    )
    timeline = graphene.Field(
        ContactTimelineItemCountableConnection,
        required=True,
        first=graphene.Int(),
        after=graphene.String(),
        description=(
            "Events, messages and consent changes, newest first. Meant for one contact: "
            "on a list it costs a few queries per contact."
        ),
    )

    @classmethod
    def is_type_of(cls, root, info):
        return isinstance(root, ContactModel)

    @classmethod
    def get_node(cls, info, pk):
        if not can_read(requestor_of(info)):
            return None
        return ContactModel.objects.filter(pk=pk).first()

    @staticmethod
    def resolve_tags(root, info):
        return (
            info.context.loader(TagsByContactLoader)
            .load(root.pk)
            .then(lambda tags: [tag.name for tag in tags])
        )

    @staticmethod
    def resolve_revenue(root, info):
        return info.context.loader(RevenueByContactLoader).load(root.pk)

    @staticmethod
    def resolve_consents(root, info):
        return info.context.loader(ConsentsByContactLoader).load(root.pk)

    @staticmethod
    def resolve_campaign_runs(root, info, first=None):
        limit = min(max(first or RUNS_SHOWN, 1), MAX_RUNS_SHOWN)
        runs = Enrollment.objects.filter(contact_id=root.pk).select_related("campaign")
        return list(runs.order_by("-started_at", "-pk")[:limit])

    @staticmethod
    def resolve_timeline(root, info, first=None, after=None):
        connection = paginate(
            timeline_rows(root.pk),
            ContactTimelineItemCountableConnection,
            first=first,
            after=after,
        )
        entries = timeline_entries([edge.node for edge in connection.edges])
        kept = []
        for edge, entry in zip(connection.edges, entries, strict=True):
            if entry is not None:
                edge.node = entry
                kept.append(edge)
        connection.edges = kept
        return connection


class ContactCountableConnection(CountableConnection):
    class Meta:
        node = Contact
