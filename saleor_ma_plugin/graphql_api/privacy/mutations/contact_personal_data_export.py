import graphene
from django.utils.translation import gettext as _

from ....contacts.models import Contact
from ....core.auth import MarketingPermission, Requestor
from ....privacy.export import audit_export, find_person
from ....privacy.links import LINK_SECONDS, export_link
from ...contacts.types import Contact as ContactType
from ...core.errors import MarketingErrorCode, MutationError
from ...core.ids import model_pk
from ...core.mutations import BaseMutation, requestor_of


def _requestor_name(requestor: Requestor) -> str:
    return f"{requestor.kind} {requestor.identifier}".strip()


class ContactPersonalDataExport(BaseMutation):
    """A link to everything kept about one person, as one JSON document (GDPR Art. 15, 20).

    Name the contact by ``id`` or by ``email`` (not both). The link needs no token, names
    this contact only and expires after 15 minutes; the document is streamed when it is
    opened, so it is complete however much there is. Its keys are documented in
    docs/personal-data-export.md. Every link handed out and opened is logged (contact id and
    requestor, no personal data).
    """

    permissions = (MarketingPermission.MANAGE_MARKETING,)
    url = graphene.String(description="Download URL of the JSON document.")
    expires_at = graphene.DateTime(description="The URL works until then.")
    contact = graphene.Field(ContactType)

    class Arguments:
        id = graphene.ID(description="The contact's id.")
        email = graphene.String(description="The contact's email address (not erased).")

    @classmethod
    def perform(cls, root, info, id=None, email=None):
        contact = cls.contact_named(id, email)
        link = export_link(contact.pk)
        audit_export(
            contact, f"link issued ({LINK_SECONDS} s)", _requestor_name(requestor_of(info))
        )
        return cls.success(url=link.url, expires_at=link.expires_at, contact=contact)

    @staticmethod
    def contact_named(id: str | None, email: str | None) -> Contact:
        if id and email:
            raise MutationError(_("Give either id or email, not both."), field="email")
        if id:
            contact = Contact.objects.filter(pk=model_pk(id, "Contact")).first()
            field = "id"
        elif email and email.strip():
            contact = find_person(email) if "@" in email else None
            field = "email"
        else:
            raise MutationError(
                _("Give the contact's id or email."), MarketingErrorCode.REQUIRED, "id"
            )
        if contact is None:
            raise MutationError(_("No such contact."), MarketingErrorCode.NOT_FOUND, field)
        return contact
