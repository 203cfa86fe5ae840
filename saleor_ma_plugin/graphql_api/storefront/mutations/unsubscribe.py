import graphene

from ....contacts import ConsentMethod
from ....contacts.proof import consent_proof
from ....messaging.subscriptions import unsubscribe
from ...core.mutations import BaseMutation
from ..validation import clean_topic
from ..visitors import read_token


class Unsubscribe(BaseMutation):
    """Unsubscribe with the token of an unsubscribe link, from one topic or all marketing."""

    permissions = ()

    class Arguments:
        token = graphene.String(required=True, description="The contact token of the link.")
        topic = graphene.String(
            description='Only this newsletter topic; "" for all marketing email. Omitted: the '
            "link's topic, or all marketing email when it has none."
        )

    @classmethod
    def perform(cls, root, info, token, topic=None):
        contact, parsed = read_token(token, "token")
        topic = parsed.topic if topic is None else clean_topic(topic)
        proof = consent_proof(info.context.request, ConsentMethod.UNSUBSCRIBE_LINK)
        message_id = parsed.message_id if isinstance(parsed.message_id, int) else None
        unsubscribe(contact, topic, proof, message_id)
        return cls.success()
