"""The error shape of every mutation: ``errors { field code message }`` with a code enum."""

import graphene
from django.db import models


class MarketingErrorCode(models.TextChoices):
    GRAPHQL_ERROR = "graphql_error"
    INVALID = "invalid"
    REQUIRED = "required"
    NOT_FOUND = "not_found"
    UNIQUE = "unique"
    CYCLE = "cycle"
    UNREACHABLE = "unreachable"
    PERMISSION_DENIED = "permission_denied"
    RATE_LIMITED = "rate_limited"
    TEMPLATE_REFUSED = "template_refused"


MarketingErrorCodeEnum = graphene.Enum(
    "MarketingErrorCode", [(code.name, code.value) for code in MarketingErrorCode]
)


class MarketingError(graphene.ObjectType):
    field = graphene.String(
        description="Input field the error is about; null for the whole input."
    )
    code = MarketingErrorCodeEnum(required=True)
    message = graphene.String(required=True)


class MutationError(Exception):
    """Raised inside a mutation to answer with ``errors`` and change nothing."""

    def __init__(
        self, message: str, code: str = MarketingErrorCode.INVALID, field: str | None = None
    ):
        super().__init__(message)
        self.message, self.code, self.field = message, code, field


def camel(field: str | None) -> str | None:
    """Saleor's convention: errors name fields as the API spells them."""
    if not field:
        return field
    head, *rest = field.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)
