"""The download of a personal data export, streamed as it is read."""

from django.http import HttpRequest, HttpResponse, HttpResponseNotFound, StreamingHttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ..contacts.models import Contact
from .export import audit_export, document_chunks
from .links import contact_of_link


@require_GET
def export_download(request: HttpRequest, token: str) -> HttpResponse:
    """The JSON document of the contact the signed link names; 404 when expired or forged."""
    contact_id = contact_of_link(token)
    contact = Contact.objects.filter(pk=contact_id).first() if contact_id else None
    if contact is None:
        return HttpResponseNotFound(_("This download link is invalid or has expired."))
    audit_export(contact, "downloaded", "signed link")
    response = StreamingHttpResponse(
        document_chunks(contact), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="personal-data-{contact.pk}.json"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
