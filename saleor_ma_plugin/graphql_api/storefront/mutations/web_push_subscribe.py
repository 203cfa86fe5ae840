import base64
import binascii
from urllib.parse import urlsplit

import graphene
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings

from ....contacts.proof import MAX_USER_AGENT, user_agent
from ....messaging.push_models import PushSubscription
from ...core.errors import MarketingErrorCode, MutationError
from ...core.mutations import BaseMutation
from ..validation import MAX_URL, invalid
from ..visitors import contact_of, identify

#: Hosts (and their subdomains) of the browsers' push services: Chrome, Edge, Firefox,
#: Safari. Our workers POST to the endpoint, so an arbitrary URL would let anyone make the
#: shop send requests into its own network. ``SALEOR_MA_PUSH_ENDPOINT_HOSTS`` replaces it.
PUSH_SERVICE_HOSTS = (
    "fcm.googleapis.com",
    "android.googleapis.com",
    "push.services.mozilla.com",
    "notify.windows.com",
    "push.apple.com",
)


def allowed_hosts() -> tuple[str, ...]:
    return tuple(getattr(settings, "SALEOR_MA_PUSH_ENDPOINT_HOSTS", None) or PUSH_SERVICE_HOSTS)


def clean_endpoint(value: str) -> str:
    endpoint = (value or "").strip()
    try:
        parts = urlsplit(endpoint)
        host = (parts.hostname or "").lower()
    except ValueError:
        parts, host = None, ""
    if not host or len(endpoint) > MAX_URL or parts.scheme != "https":
        raise invalid("Give the subscription's https endpoint.", "endpoint")
    if not any(host == allowed or host.endswith(f".{allowed}") for allowed in allowed_hosts()):
        raise invalid("The endpoint is not a known browser push service.", "endpoint")
    return endpoint


def b64url_bytes(value: str) -> bytes | None:
    text = (value or "").strip().rstrip("=")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        return None


def clean_p256dh(value: str) -> str:
    """The browser's P-256 public key: 65 bytes, a point on the curve."""
    raw = b64url_bytes(value)
    try:
        if raw is None or len(raw) != 65:
            raise ValueError
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw)
    except ValueError:
        raise invalid("Give the subscription's p256dh key (base64url).", "p256dh") from None
    return value.strip()


def clean_auth(value: str) -> str:
    raw = b64url_bytes(value)
    if raw is None or len(raw) != 16:
        raise invalid("Give the subscription's 16-byte auth secret (base64url).", "auth")
    return value.strip()


class WebPushSubscribeInput(graphene.InputObjectType):
    endpoint = graphene.String(required=True, description="PushSubscription.endpoint")
    p256dh = graphene.String(required=True, description='PushSubscription.getKey("p256dh")')
    auth = graphene.String(required=True, description='PushSubscription.getKey("auth")')
    user_agent = graphene.String(description="Defaults to the request's User-Agent.")
    email_token = graphene.String(
        description="The contact token from a link in one of our emails, for visitors who are "
        "not logged in."
    )


class WebPushSubscribe(BaseMutation):
    """Store the browser's push subscription for the logged-in customer or the email
    token's contact; a known endpoint moves to this contact."""

    permissions = ()

    class Arguments:
        input = WebPushSubscribeInput(required=True)

    @classmethod
    def perform(cls, root, info, input):
        visitor = identify(info, input.get("email_token"))
        if not visitor.identified:
            raise MutationError(
                "Log in, or open a link from one of our emails, to subscribe.",
                MarketingErrorCode.PERMISSION_DENIED,
            )
        endpoint = clean_endpoint(input.endpoint)
        fields = {
            "p256dh": clean_p256dh(input.p256dh),
            "auth": clean_auth(input.auth),
            "user_agent": (input.get("user_agent") or user_agent(info.context.request))[
                :MAX_USER_AGENT
            ],
        }
        contact = contact_of(visitor)
        subscription, created = PushSubscription.objects.select_for_update().get_or_create(
            endpoint=endpoint, defaults={"contact": contact, **fields}
        )
        if not created:
            for name, value in {**fields, "contact": contact, "expired_at": None}.items():
                setattr(subscription, name, value)
            subscription.save()
        return cls.success()
