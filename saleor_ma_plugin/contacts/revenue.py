"""Counting an order into a contact's per-currency totals in one statement."""

from decimal import Decimal

from django.db import connections, router

from .models import ContactRevenue


def add_revenue(contact_id: int, currency: str, amount: Decimal) -> None:
    """Add one order of ``amount`` to the contact's totals in ``currency``.

    An upsert: the row for a currency is created by the first order in it, and two workers
    counting orders of the same contact at once both land (no lost update, no duplicate).
    """
    alias = router.db_for_write(ContactRevenue)
    connection = connections[alias]
    quote = connection.ops.quote_name
    meta = ContactRevenue._meta
    table = quote(meta.db_table)
    contact, currency_column, count, total = (
        quote(meta.get_field(name).column)
        for name in ("contact", "currency", "orders_count", "total_gross")
    )
    amount_param = meta.get_field("total_gross").get_db_prep_save(amount, connection)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({contact}, {currency_column}, {count}, {total}) "
            f"VALUES (%s, %s, 1, %s) ON CONFLICT ({contact}, {currency_column}) DO UPDATE "
            f"SET {count} = {table}.{count} + 1, {total} = {table}.{total} + EXCLUDED.{total}",
            [contact_id, currency, amount_param],
        )
