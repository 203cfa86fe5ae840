import graphene

from ....contacts.erasure import erase_contact
from ....core.auth import MarketingPermission
from .inputs import ContactPayload
from .lookup import contact_for_update


class ContactErase(ContactPayload):
    """Erase a contact's personal data, tags and consents (right to be forgotten).

    Order aggregates and revenue stay for reports; nothing can be sent to the contact any
    more. Erasing an erased contact changes nothing.
    """

    permissions = (MarketingPermission.MANAGE_MARKETING,)

    class Arguments:
        id = graphene.ID(required=True)

    @classmethod
    def perform(cls, root, info, id):
        contact = contact_for_update(id)
        if contact.erased_at is None:
            contact = erase_contact(contact)
        return cls.success(contact=contact)
