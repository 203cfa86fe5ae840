"""Relay global ids, as Saleor uses them."""

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
