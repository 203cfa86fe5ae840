"""Indexes for the live segment count: contacts not erased; events by type, category and time.

* Contacts by id where ``erased_at`` is null: segment queries keep only contacts not erased,
  and once a tag, consent or event rule has found its contact ids, this tells which of them
  are present from the index alone instead of a visit to each contact's row (the contacts
  table is larger than the server's buffers, and every such visit costs more than the
  index probe).
* Events by (type, ``payload -> 'category_id'``, occurred_at), partial on events that have
  a top-level ``category_id`` (product views): a rule like "viewed category 9 three times
  in 30 days" reads its few thousand events straight from it, where the payload index and
  the (type, occurred_at) index had to combine every view of the window with every view of
  the category first. Orders name categories only in their lines and get no entry.

The events table is written inside Saleor's checkout transaction and the contacts table by
the intake, so on PostgreSQL both are built ``CONCURRENTLY`` (no write lock), which cannot
run inside a transaction, hence ``atomic = False``; as in 0020, an invalid index left by an
interrupted build is dropped and built again, and a valid one is kept. Other databases get
them the plain way.
"""

from django.db import migrations, models
from django.db.models import F
from django.db.models.fields.json import KeyTransform

from ._concurrent_indexes import add_index, remove_index

PRESENT_CONTACTS = models.Index(
    fields=["id"], condition=models.Q(erased_at__isnull=True), name="ma_contact_present_idx"
)
CATEGORY_EVENTS = models.Index(
    F("type"),
    KeyTransform("category_id", "payload"),
    F("occurred_at"),
    condition=models.Q(payload__has_key="category_id"),
    name="ma_event_category_time_idx",
)


def _models(apps):
    return (apps.get_model("saleor_ma_plugin", name) for name in ("Contact", "Event"))


def add_indexes(apps, schema_editor):
    contact, event = _models(apps)
    add_index(schema_editor, contact, PRESENT_CONTACTS)
    add_index(schema_editor, event, CATEGORY_EVENTS)


def remove_indexes(apps, schema_editor):
    contact, event = _models(apps)
    remove_index(schema_editor, contact, PRESENT_CONTACTS)
    remove_index(schema_editor, event, CATEGORY_EVENTS)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("saleor_ma_plugin", "0023_saleor_installation_app_id")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddIndex(model_name="contact", index=PRESENT_CONTACTS),
                migrations.AddIndex(model_name="event", index=CATEGORY_EVENTS),
            ],
            database_operations=[
                migrations.RunPython(add_indexes, remove_indexes, elidable=False)
            ],
        ),
    ]
