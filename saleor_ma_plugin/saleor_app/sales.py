"""Best sellers in App mode, counted from the orders Saleor's webhooks brought us.

Saleor's API has no all-time sales ranking (``reportProductSales`` covers today or this
month and is deprecated), and paging through every order per send would cost more than
the send. The App stores every ``ORDER_CREATED`` with its lines, so it counts those the
way the in-process ranking counts Saleor's order lines: lines with a positive quantity,
per product. Orders placed before the App was installed are not counted.
"""

from collections import Counter

from django.core.cache import cache
from django.db import connection

from ..events import EventType
from ..events.models import Event

#: The ranking is recounted at most this often.
CACHE_SECONDS = 300
#: Products ranked; recommendations and content blocks never need more.
RANKED = 200

_COUNT_SQL = """
SELECT line->>'product_id' AS product_id, COUNT(*) AS sold
FROM {table}, jsonb_array_elements(payload->'lines') AS line
WHERE type = %s AND jsonb_typeof(payload->'lines') = 'array'
  AND (line->>'quantity') ~ '^[0-9]+$' AND (line->>'quantity')::bigint > 0
  AND line->>'product_id' ~ '^[0-9]+$'
GROUP BY 1
ORDER BY 2 DESC, (line->>'product_id')::bigint
LIMIT %s
"""


def best_sellers() -> list[str]:
    """Product ids, most order lines first (ties by id), cached for a few minutes."""
    ranked = cache.get("saleor-ma:app:best-sellers")
    if ranked is None:
        ranked = _count()
        cache.set("saleor-ma:app:best-sellers", ranked, CACHE_SECONDS)
    return ranked


def _count() -> list[str]:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                _COUNT_SQL.format(table=connection.ops.quote_name(Event._meta.db_table)),
                [EventType.ORDER_CREATED.value, RANKED],
            )
            return [product_id for product_id, _ in cursor.fetchall()]
    # The embedded SQLite host has few orders: counting in Python is enough there.
    sold: Counter[str] = Counter()
    for payload in Event.objects.filter(type=EventType.ORDER_CREATED).values_list(
        "payload", flat=True
    ):
        for line in (payload or {}).get("lines") or ():
            product_id = str(line.get("product_id", ""))
            if product_id.isdigit() and int(line.get("quantity") or 0) > 0:
                sold[product_id] += 1
    ranked = sorted(sold.items(), key=lambda item: (-item[1], int(item[0])))
    return [product_id for product_id, _ in ranked[:RANKED]]
