import graphene

from ....contacts import ConsentMethod
from ....contacts.proof import consent_proof
from ....messaging.subscriptions import confirm
from ...core.errors import MarketingErrorCode, MutationError
from ...core.mutations import BaseMutation
from ..validation import clean_token


class NewsletterConfirm(BaseMutation):
    """Confirm a double opt-in with the token from the confirmation mail."""

    permissions = ()

    class Arguments:
        token = graphene.String(required=True)

    @classmethod
    def perform(cls, root, info, token):
        proof = consent_proof(info.context.request, ConsentMethod.DOUBLE_OPT_IN)
        if confirm(clean_token(token), proof) is None:
            raise MutationError(
                "The confirmation link is invalid or has expired.",
                MarketingErrorCode.INVALID,
                "token",
            )
        return cls.success()
