"""Filtering and sorting contacts, shared by the contacts query and the export."""

import graphene
from django.db.models import Exists, F, OuterRef, Q

from ...contacts import GENERAL_TOPIC, ConsentStatus
from ...contacts.models import Consent, Contact, ContactTag
from ..core.enums import ConsentChannelEnum, LifecycleStageEnum
from ..core.errors import MutationError
from ..core.types import OrderDirection


class ContactFilterInput(graphene.InputObjectType):
    search = graphene.String(
        description="Words that must each be part of the email, first or last name."
    )
    lifecycle_stages = graphene.List(graphene.NonNull(LifecycleStageEnum))
    tags = graphene.List(graphene.NonNull(graphene.String), description="Has every one of them.")
    has_consent = ConsentChannelEnum(
        description="Subscribed to marketing on this channel (channel-wide consent)."
    )


class ContactSortField(graphene.Enum):
    EMAIL = "email"
    CREATED_AT = "created_at"
    LAST_ORDER_AT = "last_order_at"
    LAST_SEEN_AT = "last_seen_at"
    ORDERS_COUNT = "orders_count"
    LEAD_SCORE = "lead_score"


class ContactSortingInput(graphene.InputObjectType):
    field = ContactSortField(required=True)
    direction = OrderDirection(required=True)


#: Each tag and each search word is one more subquery or scan: the filter stays small.
MAX_TAGS, MAX_WORDS = 20, 10


def filter_contacts(contacts, filter: dict | None):
    if not filter:
        return contacts
    words = (filter.get("search") or "").split()
    tags = list(dict.fromkeys(tag.strip() for tag in filter.get("tags") or ()))
    if len(words) > MAX_WORDS:
        raise MutationError(f"Search for at most {MAX_WORDS} words.", field="filter.search")
    if len(tags) > MAX_TAGS:
        raise MutationError(f"Filter by at most {MAX_TAGS} tags.", field="filter.tags")
    for word in words:
        contacts = contacts.filter(
            Q(email__icontains=word) | Q(first_name__icontains=word) | Q(last_name__icontains=word)
        )
    if filter.get("lifecycle_stages"):
        contacts = contacts.filter(lifecycle_stage__in=filter["lifecycle_stages"])
    for tag in tags:
        contacts = contacts.filter(
            Exists(ContactTag.objects.filter(contact=OuterRef("pk"), name=tag))
        )
    if filter.get("has_consent"):
        contacts = contacts.filter(
            Exists(
                Consent.objects.filter(
                    contact=OuterRef("pk"),
                    channel=filter["has_consent"],
                    topic=GENERAL_TOPIC,
                    status=ConsentStatus.SUBSCRIBED,
                )
            )
        )
    return contacts


def sort_contacts(contacts, sort_by: dict | None):
    if not sort_by:
        return contacts.order_by("-created_at", "-pk")
    column = F(sort_by["field"])
    if sort_by["direction"] == OrderDirection.DESC.value:
        return contacts.order_by(column.desc(nulls_last=True), "-pk")
    return contacts.order_by(column.asc(nulls_last=True), "pk")


def contacts_matching(filter: dict | None, sort_by: dict | None = None):
    return sort_contacts(filter_contacts(Contact.objects.all(), filter), sort_by)
