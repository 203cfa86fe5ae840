import graphene

from ....contacts import ConsentChannel, ConsentMethod, ConsentStatus
from ....contacts.consent import change_consent
from ....contacts.models import Consent
from ....contacts.proof import consent_proof
from ....messaging.subscriptions import subscribe, unsubscribe
from ...core.enums import ConsentChannelEnum
from ...core.errors import MarketingErrorCode, MutationError
from ...core.mutations import BaseMutation
from ..types import StorefrontConsent
from ..validation import clean_topic
from ..visitors import contact_of, customer


class ConsentUpdateInput(graphene.InputObjectType):
    channel = ConsentChannelEnum(description="EMAIL when omitted.")
    topic = graphene.String(description="A newsletter topic; omitted for the whole channel.")
    subscribed = graphene.Boolean(required=True)


class ConsentUpdate(BaseMutation):
    """A logged-in customer changes their own consent (account settings).

    Subscribing to email with double opt-in enabled starts a confirmation like the sign-up
    form does: the consent stays PENDING until the link in the mail is followed.
    """

    permissions = ()

    consent = graphene.Field(StorefrontConsent)

    class Arguments:
        input = ConsentUpdateInput(required=True)

    @classmethod
    def perform(cls, root, info, input):
        visitor = customer(info)
        if visitor is None:
            raise MutationError(
                "Log in as a customer to change your consent.",
                MarketingErrorCode.PERMISSION_DENIED,
            )
        channel = input.get("channel") or ConsentChannel.EMAIL
        topic = clean_topic(input.get("topic"))
        contact = contact_of(visitor)
        proof = consent_proof(info.context.request, ConsentMethod.ACCOUNT)
        if channel == ConsentChannel.EMAIL and input.subscribed:
            subscribe(contact.email, [topic], contact.language_code, proof)
        elif channel == ConsentChannel.EMAIL:
            unsubscribe(contact, topic, proof)
        else:
            status = ConsentStatus.SUBSCRIBED if input.subscribed else ConsentStatus.UNSUBSCRIBED
            change_consent(contact, channel, status, proof, topic)
        status = (
            Consent.objects.filter(contact=contact, channel=channel, topic=topic)
            .values_list("status", flat=True)
            .first()
        )
        return cls.success(
            consent=StorefrontConsent(
                channel=channel, topic=topic, status=status or ConsentStatus.UNSUBSCRIBED
            )
        )
