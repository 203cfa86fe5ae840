"""Contact queries."""

import graphene
from django.db.models import Count

from ...contacts.models import Contact as ContactModel
from ...contacts.models import ContactTag
from ...contacts.tags import tags_in_use
from ..campaigns.permissions import require_read
from ..core.ids import model_pk
from ..core.mutations import requestor_of
from ..core.types import paginate
from .filters import ContactFilterInput, ContactSortingInput, contacts_matching
from .types import Contact, ContactCountableConnection

INTEREST_PREFIX = "interest:"


class InterestGroup(graphene.ObjectType):
    interest = graphene.String(required=True, description="Interest, as links tag it.")
    tag = graphene.String(required=True, description="The contact tag to target it with.")
    size = graphene.Int(required=True, description="Contacts who showed this interest.")


class ContactTagCount(graphene.ObjectType):
    name = graphene.String(required=True)
    contacts = graphene.Int(required=True, description="Contacts carrying it (not erased).")


class ContactQueries(graphene.ObjectType):
    contacts = graphene.Field(
        ContactCountableConnection,
        filter=ContactFilterInput(),
        sort_by=ContactSortingInput(),
        first=graphene.Int(),
        after=graphene.String(),
        last=graphene.Int(),
        before=graphene.String(),
        description="Contacts, filtered and sorted. Requires MANAGE_MARKETING.",
    )
    contact = graphene.Field(Contact, id=graphene.ID(required=True))
    interest_groups = graphene.List(
        graphene.NonNull(InterestGroup),
        required=True,
        first=graphene.Int(default_value=50),
        description="Interest groups set by clicks on tagged links, largest first.",
    )
    contact_tags = graphene.List(
        graphene.NonNull(ContactTagCount),
        required=True,
        search=graphene.String(description="Part of the tag's name (any case)."),
        first=graphene.Int(default_value=20, description="How many (1 to 100)."),
        description="Tags in use, most used first. Requires MANAGE_MARKETING.",
    )

    @staticmethod
    def resolve_contact_tags(root, info, search=None, first=20):
        require_read(requestor_of(info))
        return [
            ContactTagCount(name=tag.name, contacts=tag.contacts)
            for tag in tags_in_use(search or "", first)
        ]

    @staticmethod
    def resolve_interest_groups(root, info, first=50):
        require_read(requestor_of(info))
        rows = (
            ContactTag.objects.filter(
                name__startswith=INTEREST_PREFIX, contact__erased_at__isnull=True
            )
            .values("name")
            .annotate(size=Count("contact", distinct=True))
            .order_by("-size", "name")[: max(1, min(first, 200))]
        )
        return [
            InterestGroup(
                interest=row["name"].removeprefix(INTEREST_PREFIX),
                tag=row["name"],
                size=row["size"],
            )
            for row in rows
        ]

    @staticmethod
    def resolve_contacts(root, info, filter=None, sort_by=None, **page):
        require_read(requestor_of(info))
        return paginate(contacts_matching(filter, sort_by), ContactCountableConnection, **page)

    @staticmethod
    def resolve_contact(root, info, id):
        require_read(requestor_of(info))
        return ContactModel.objects.filter(pk=model_pk(id, "Contact")).first()
