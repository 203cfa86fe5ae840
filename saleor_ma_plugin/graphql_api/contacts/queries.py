"""Contact queries."""

import graphene

from ...contacts.models import Contact as ContactModel
from ..campaigns.permissions import require_read
from ..core.ids import model_pk
from ..core.mutations import requestor_of
from ..core.types import paginate
from .filters import ContactFilterInput, ContactSortingInput, contacts_matching
from .types import Contact, ContactCountableConnection


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

    @staticmethod
    def resolve_contacts(root, info, filter=None, sort_by=None, **page):
        require_read(requestor_of(info))
        return paginate(contacts_matching(filter, sort_by), ContactCountableConnection, **page)

    @staticmethod
    def resolve_contact(root, info, id):
        require_read(requestor_of(info))
        return ContactModel.objects.filter(pk=model_pk(id, "Contact")).first()
