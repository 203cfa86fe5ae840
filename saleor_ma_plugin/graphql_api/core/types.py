"""Shared types: a JSON scalar, countable Relay connections and their pagination."""

import math

import graphene
from graphene.types.generic import GenericScalar
from graphql.language import ast
from graphql_relay.connection.arrayconnection import connection_from_list_slice, cursor_to_offset

from .errors import MarketingErrorCode, MutationError

MAX_PAGE_SIZE = 100


class JSON(GenericScalar):
    """Arbitrary JSON: trigger, audience, condition and step configurations.

    Unlike graphene's generic scalar, integers keep their value whatever their size (the
    configuration's own validation bounds them, with a clear error), and a value JSON
    cannot hold (an infinite or NaN number) makes the whole value invalid instead of null.
    """

    @classmethod
    def parse_literal(cls, node):
        try:
            return _literal(node)
        except _NotJson:
            return None  # GraphQL reports 'Expected type "JSON"'

    @classmethod
    def parse_value(cls, value):
        pending = [value]
        while pending:
            item = pending.pop()
            if isinstance(item, float) and not math.isfinite(item):
                return None
            if isinstance(item, dict):
                pending.extend(item.values())
            elif isinstance(item, list):
                pending.extend(item)
        return value


class _NotJson(ValueError):
    pass


def _literal(node):
    if isinstance(node, ast.StringValue | ast.BooleanValue):
        return node.value
    if isinstance(node, ast.IntValue):
        return int(node.value)
    if isinstance(node, ast.FloatValue):
        number = float(node.value)
        if not math.isfinite(number):
            raise _NotJson(node.value)
        return number
    if isinstance(node, ast.ListValue):
        return [_literal(value) for value in node.values]
    if isinstance(node, ast.ObjectValue):
        return {field.name.value: _literal(field.value) for field in node.fields}
    raise _NotJson(type(node).__name__)


class CountableConnection(graphene.relay.Connection):
    class Meta:
        abstract = True

    total_count = graphene.Int(
        required=True, description="Items matching the filter, on all pages."
    )


class OrderDirection(graphene.Enum):
    ASC = "asc"
    DESC = "desc"


def paginate(queryset, connection_type, first=None, after=None, last=None, before=None):
    """A Relay connection over a queryset: one COUNT and one sliced SELECT."""
    for name, value in (("first", first), ("last", last)):
        if value is not None and not 0 <= value <= MAX_PAGE_SIZE:
            raise MutationError(
                f"{name} must be between 0 and {MAX_PAGE_SIZE}.", MarketingErrorCode.INVALID, name
            )
    if first is None and last is None:
        first = MAX_PAGE_SIZE
    total = queryset.count()
    after_offset = cursor_to_offset(after) if after else -1
    end = cursor_to_offset(before) if before else total
    if after_offset is None or end is None:
        field = "after" if after and after_offset is None else "before"
        raise MutationError("Invalid cursor.", MarketingErrorCode.INVALID, field)
    start = after_offset + 1
    if first is not None:
        end = min(end, start + first)
    if last is not None:
        start = max(start, end - last)
    items = list(queryset[start:end]) if end > start else []
    connection = connection_from_list_slice(
        items,
        {"first": len(items)} if items else {"first": 0},
        slice_start=start,
        list_length=total,
        list_slice_length=len(items),
        connection_type=connection_type,
        edge_type=connection_type.Edge,
        pageinfo_type=graphene.relay.PageInfo,
    )
    connection.total_count = total
    connection.page_info.has_previous_page = start > 0
    connection.page_info.has_next_page = end < total
    return connection
