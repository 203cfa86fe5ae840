"""Short-lived signed download links for exports: the API hands one out after its checks.

The link is the permission: it names one contact, is signed with the plugin's key and
expires after ``LINK_SECONDS``, so it can be opened in a browser without the API token.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core import signing
from django.utils import timezone

from ..core.signing import signing_key
from ..messaging.links import route_url

LINK_SECONDS = 15 * 60
SALT = "saleor-ma-plugin.privacy-export"


@dataclass(frozen=True)
class ExportLink:
    url: str
    expires_at: datetime


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(key=signing_key(), salt=SALT)


def export_link(contact_id: int) -> ExportLink:
    """A link to download the export of ``contact_id``, valid for ``LINK_SECONDS``."""
    token = _signer().sign_object({"contact": contact_id})
    expires_at = timezone.now() + timedelta(seconds=LINK_SECONDS)
    return ExportLink(route_url(f"privacy/export/{token}/"), expires_at)


def contact_of_link(token: str) -> int | None:
    """The contact id a link's token names, or None when forged or expired."""
    try:
        data = _signer().unsign_object(token, max_age=LINK_SECONDS)
    except signing.BadSignature:  # SignatureExpired is one
        return None
    contact_id = data.get("contact") if isinstance(data, dict) else None
    return contact_id if isinstance(contact_id, int) else None
