"""``column = ANY(%s)``: a batch's hundreds of ids as one parameter.

``filter(contact_id__in=ids)`` prepares every id through the field, and psycopg's client-side
binding (Django's default) then splits and quotes one placeholder per id in Python: for a
send batch's 500 contacts that was about 1.6 ms of CPU per query, several queries a batch.
An array is one parameter; ids (integers) go as the text of an array literal, which
``str.join`` writes at C speed where psycopg's list adapter walks the list in Python. Other
databases get ``IN``.

Used as an expression, not registered on fields, so a host's models (Saleor's) never see it:
``Consent.objects.filter(AnyOf(F("contact_id"), ids))``.
"""

from collections.abc import Iterable

from django.db.models import Lookup
from django.db.models.lookups import In


class AnyOf(Lookup):
    """True where the column's value is one of ``values`` (None never matches, as in ``IN``)."""

    lookup_name = "any_of"
    prepare_rhs = False

    def __init__(self, lhs, values: Iterable) -> None:
        super().__init__(lhs, [value for value in values if value is not None])

    def get_prep_lookup(self):
        return self.rhs

    def as_sql(self, compiler, connection):
        if connection.vendor != "postgresql":
            return compiler.compile(In(self.lhs, self.rhs))
        lhs, lhs_params = self.process_lhs(compiler, connection)
        if self.rhs and all(type(value) is int for value in self.rhs):
            literal = "{" + ",".join(map(str, self.rhs)) + "}"
            return f"{lhs} = ANY(%s::bigint[])", [*lhs_params, literal]
        return f"{lhs} = ANY(%s)", [*lhs_params, self.rhs]
