"""Relay global ids, as Saleor uses them."""

from django.db.models import Model
from graphql_relay import from_global_id, to_global_id

from .errors import MarketingErrorCode, MutationError


def model_pk(global_id: str, type_name: str, field: str = "id") -> int:
    """The database id inside a global id of the expected type; a clear error otherwise."""
    try:
        kind, pk = from_global_id(global_id)
        if kind != type_name:
            raise ValueError
        return int(pk)
    except (ValueError, TypeError, UnicodeDecodeError, AttributeError):
        raise MutationError(
            f"Not a valid {type_name} id.", MarketingErrorCode.INVALID, field
        ) from None


def global_id(type_name: str, pk) -> str:
    return to_global_id(type_name, pk)


def object_for_update(model: type[Model], global_id: str, field: str = "id") -> Model:
    """The row a mutation names, locked until the mutation's transaction ends.

    The global id must be of the model's type; a missing row is the API's NOT_FOUND error
    ("No such campaign.") at ``field``.
    """
    row = (
        model.objects.select_for_update()
        .filter(pk=model_pk(global_id, model.__name__, field))
        .first()
    )
    if row is None:
        raise MutationError(
            f"No such {model._meta.verbose_name}.", MarketingErrorCode.NOT_FOUND, field
        )
    return row
