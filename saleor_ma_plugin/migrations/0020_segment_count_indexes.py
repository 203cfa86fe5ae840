"""Indexes for the live segment count: tags, consents, revenues by value; clicked URLs by text.

* Tags by (name, contact) instead of name alone, consents by (channel, topic, status,
  contact), revenues by (currency, total_gross, contact): a segment rule reads the
  contacts of a tag, a consent or an amount range from the index alone.
* A trigram index (``pg_trgm``) on the upper-cased ``url`` of event payloads that have one
  (clicks), for ``{"event": {"type": "email.clicked", "where": {"url": {"contains":
  ...}}}}``, which otherwise reads every click of the window. Saleor's database has the
  extension (its product migrations create it); elsewhere it is created if the database
  allows, and without it the rule works unindexed.

The events table is large and written inside Saleor's checkout transaction, so on
PostgreSQL every index is built ``CONCURRENTLY`` (no write lock), which cannot run inside a
transaction, hence ``atomic = False``; as in 0006, an invalid index left by an interrupted
build is dropped and built again, and a valid one is kept. Other databases get the two
btree indexes the plain way and no trigram index.
"""

import logging

from django.db import DatabaseError, migrations, models

from ._concurrent_indexes import add_index, index_state, remove_index

logger = logging.getLogger(__name__)

URL_INDEX = "ma_event_url_trgm_idx"
OLD_TAG_INDEX = models.Index(fields=["name"], name="ma_tag_name_idx")
TAG_INDEX = models.Index(fields=["name", "contact"], name="ma_tag_name_contact_idx")
CONSENT_INDEX = models.Index(
    fields=["channel", "topic", "status", "contact"], name="ma_consent_status_idx"
)
REVENUE_INDEX = models.Index(
    fields=["currency", "total_gross", "contact"], name="ma_revenue_amount_idx"
)


def _models(apps):
    return (
        apps.get_model("saleor_ma_plugin", name)
        for name in ("ContactTag", "Consent", "ContactRevenue")
    )


def add_btree_indexes(apps, schema_editor):
    tag, consent, revenue = _models(apps)
    add_index(schema_editor, tag, TAG_INDEX)
    remove_index(schema_editor, tag, OLD_TAG_INDEX)
    add_index(schema_editor, consent, CONSENT_INDEX)
    add_index(schema_editor, revenue, REVENUE_INDEX)


def remove_btree_indexes(apps, schema_editor):
    tag, consent, revenue = _models(apps)
    add_index(schema_editor, tag, OLD_TAG_INDEX)
    remove_index(schema_editor, tag, TAG_INDEX)
    remove_index(schema_editor, consent, CONSENT_INDEX)
    remove_index(schema_editor, revenue, REVENUE_INDEX)


def _has_trigrams(cursor) -> bool:
    cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
    if cursor.fetchone():
        return True
    try:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError as error:
        logger.warning("No pg_trgm (%s): URL rules of segments stay unindexed.", error)
        return False
    return True


def create_url_index(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("saleor_ma_plugin", "Event")._meta.db_table)
    with connection.cursor() as cursor:
        state = index_state(cursor, URL_INDEX)
        if state or not _has_trigrams(cursor):
            return
        if state is False:
            cursor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {URL_INDEX}")
        # The expression and predicate are those of the compiled rule
        # (segments.rules.events): UPPER(payload ->> 'url') LIKE ... AND payload ? 'url'.
        cursor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {URL_INDEX} ON {table} "
            "USING gin ((upper(payload ->> 'url')) gin_trgm_ops) WHERE payload ? 'url'"
        )


def drop_url_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {URL_INDEX}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("saleor_ma_plugin", "0019_standalone_settings")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveIndex(model_name="contacttag", name=OLD_TAG_INDEX.name),
                migrations.AddIndex(model_name="contacttag", index=TAG_INDEX),
                migrations.AddIndex(model_name="consent", index=CONSENT_INDEX),
                migrations.AddIndex(model_name="contactrevenue", index=REVENUE_INDEX),
            ],
            database_operations=[
                migrations.RunPython(add_btree_indexes, remove_btree_indexes, elidable=False)
            ],
        ),
        migrations.RunPython(create_url_index, drop_url_index, elidable=False),
    ]
