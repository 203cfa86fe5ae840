import base64
import binascii

import graphene
from cryptography.hazmat.primitives.asymmetric import ec

from ....contacts.proof import MAX_USER_AGENT, user_agent
from ....messaging.channels.push import check_push_endpoint
from ....messaging.push_models import PushSubscription
from ...core.errors import MarketingErrorCode, MutationError
from ...core.mutations import BaseMutation
from ..validation import MAX_URL, invalid
from ..visitors import contact_of, identify


def clean_endpoint(value: str) -> str:
    """The browser's push endpoint, if our workers may POST to it (see check_push_endpoint)."""
    endpoint = (value or "").strip()
    if len(endpoint) > MAX_URL:
        raise invalid("Give the subscription's https endpoint.", "endpoint")
    refusal = check_push_endpoint(endpoint)
    if refusal is not None:
        raise invalid(refusal, "endpoint")
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
