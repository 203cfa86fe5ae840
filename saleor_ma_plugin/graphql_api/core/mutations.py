"""The mutation base: permission check, validation, one transaction, errors instead of crashes."""

import graphene
from django.db import transaction

from ...core.auth import Requestor
from ...core.errors import FieldError
from .errors import MarketingError, MarketingErrorCode, MutationError, api_field


def requestor_of(info) -> Requestor:
    return info.context.requestor


class BaseMutation(graphene.Mutation):
    """Subclasses set ``permissions`` and implement ``perform(root, info, **data)``."""

    errors = graphene.List(graphene.NonNull(MarketingError), required=True)

    #: Every one of these is required; empty for public (storefront) mutations.
    permissions: tuple[str, ...] = ()

    class Meta:
        abstract = True

    @classmethod
    def mutate(cls, root, info, **data):
        requestor = requestor_of(info)
        missing = [permission for permission in cls.permissions if not requestor.has(permission)]
        if missing:
            return cls.failure(
                MutationError(
                    f"You need the {', '.join(missing)} permission.",
                    MarketingErrorCode.PERMISSION_DENIED,
                )
            )
        try:
            with transaction.atomic():
                return cls.perform(root, info, **data)
        except MutationError as error:
            return cls.failure(error)
        except FieldError as error:
            return cls.failure(MutationError(error.message, error.code, api_field(error.field)))

    @classmethod
    def perform(cls, root, info, **data):
        raise NotImplementedError

    @classmethod
    def failure(cls, error: MutationError):
        return cls(
            errors=[MarketingError(field=error.field, code=error.code, message=error.message)]
        )

    @classmethod
    def success(cls, **fields):
        return cls(errors=[], **fields)
