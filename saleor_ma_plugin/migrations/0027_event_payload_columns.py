"""Two payload values copied into columns of their own, so event rules read indexes alone.

A segment rule like "viewed category 9 three times in 30 days" or "clicked a link containing
/espresso in 60 days" needs each matching event's contact. With the values inside
``payload``, PostgreSQL must visit every matching row in the table for it (an index on a
payload expression never serves a query alone), and at ten million events those visits
are most of a count's time. Copied into plain columns, they are read from covering indexes
instead:

* ``payload_category``: the payload's top-level ``category_id`` when it is a text of at
  most 200 bytes (the only values a rule's id can equal); index (type, category, time)
  including the contact;
* ``payload_url_upper``: the payload's ``url`` as text, upper-cased (a rule's text search
  compares ``UPPER(url) LIKE UPPER('%text%')``, and upper-casing every URL a scan reads cost
  most of its time); index (type, time) including the contact and the URL, for URLs of at
  most 2,000 bytes (a B-tree entry has a size limit), and a small index by type of the
  longer ones, which rules then read from the payload.

A trigger fills both on insert and whenever the payload is written (an erasure removes the
URL from the payload, and so from its column). Its condition is checked before its function
is called: the hook inserts only orders, customers and checkouts, which name neither key,
and for them the function is never called.

Events stored before the trigger existed are filled in batches by a beat tick
(``events.columns.fill_payload_columns``); until it is done a pending ``ImportCursor``
named ``event-payload-columns`` makes rules read the payload as before. An empty table has
nothing to fill. On PostgreSQL the indexes are built ``CONCURRENTLY`` (the table is written
inside Saleor's checkout transaction), hence ``atomic = False``. Other databases get the
columns, left empty, and no trigger: their rules read the payload.
"""

from django.db import migrations, models

from ._concurrent_indexes import add_index_sql, remove_index_sql

FUNCTION = "ma_event_payload_columns"
#: name -> (event, condition). The condition is checked without calling the function, so
#: the hook's orders, customers and checkouts, which name neither key, never call it; a
#: rewrite calls it also when a key is gone (an erasure's URL).
HAS_A_KEY = "NEW.payload ? 'category_id' OR NEW.payload ? 'url'"
TRIGGERS = {
    "ma_event_payload_columns_insert": ("INSERT", HAS_A_KEY),
    "ma_event_payload_columns_update": (
        "UPDATE OF payload",
        f"{HAS_A_KEY} OR OLD.payload_category IS NOT NULL OR OLD.payload_url_upper IS NOT NULL",
    ),
}
#: name -> (columns, predicate): PostgreSQL only (INCLUDE, byte lengths).
INDEXES = {
    "ma_event_category_key_idx": (
        "(type, payload_category, occurred_at) INCLUDE (contact_id)",
        "payload_category IS NOT NULL",
    ),
    "ma_event_url_time_idx": (
        "(type, occurred_at) INCLUDE (contact_id, payload_url_upper)",
        "octet_length(payload_url_upper) <= 2000",
    ),
    "ma_event_long_url_idx": ("(type)", "octet_length(payload_url_upper) > 2000"),
}
PENDING = "event-payload-columns"


def _table(apps, schema_editor) -> str:
    model = apps.get_model("saleor_ma_plugin", "Event")
    return schema_editor.quote_name(model._meta.db_table)


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            f"""
            CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                NEW.payload_category := CASE
                    WHEN jsonb_typeof(NEW.payload -> 'category_id') = 'string'
                        AND octet_length(NEW.payload ->> 'category_id') <= 200
                    THEN NEW.payload ->> 'category_id' END;
                NEW.payload_url_upper := upper(NEW.payload ->> 'url');
                RETURN NEW;
            END
            $$
            """
        )
        table = _table(apps, schema_editor)
        for name, (event, condition) in TRIGGERS.items():
            cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            cursor.execute(
                f"CREATE TRIGGER {name} BEFORE {event} ON {table} FOR EACH ROW "
                f"WHEN ({condition}) EXECUTE FUNCTION {FUNCTION}()"
            )


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for name in TRIGGERS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {_table(apps, schema_editor)}")
        cursor.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}()")


def mark_pending(apps, schema_editor):
    """Events stored before the trigger need filling; an empty table has none."""
    event = apps.get_model("saleor_ma_plugin", "Event")
    if schema_editor.connection.vendor != "postgresql" or not event.objects.exists():
        return
    cursor = apps.get_model("saleor_ma_plugin", "ImportCursor")
    cursor.objects.update_or_create(
        name=PENDING, defaults={"position": "0", "completed_at": None}
    )


def forget_pending(apps, schema_editor):
    apps.get_model("saleor_ma_plugin", "ImportCursor").objects.filter(name=PENDING).delete()


def add_indexes(apps, schema_editor):
    table = _table(apps, schema_editor)
    for name, (columns, predicate) in INDEXES.items():
        add_index_sql(schema_editor, name, f"{table} {columns} WHERE {predicate}")


def remove_indexes(apps, schema_editor):
    for name in INDEXES:
        remove_index_sql(schema_editor, name)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("saleor_ma_plugin", "0026_segment_rows_leave_out_erased_contacts")]

    operations = [
        migrations.AddField(
            model_name="event",
            name="payload_category",
            field=models.TextField(
                blank=True,
                editable=False,
                help_text="The payload's category_id, when it is a short text; set by the "
                "database.",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="event",
            name="payload_url_upper",
            field=models.TextField(
                blank=True,
                editable=False,
                help_text="The payload's url, upper-cased; set by the database.",
                null=True,
            ),
        ),
        migrations.RunPython(create_trigger, drop_trigger, elidable=False),
        migrations.RunPython(mark_pending, forget_pending, elidable=False),
        migrations.RunPython(add_indexes, remove_indexes, elidable=False),
    ]
