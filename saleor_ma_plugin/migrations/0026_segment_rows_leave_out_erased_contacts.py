"""Contacts by id where ``erased_at`` is set: the few that segment counts leave out.

A segment that requires a tag, a consent or a segment membership is counted from those
rows (``segments.rules.compiler.matching_contact_ids``), and a row's contact is left out
when it is erased: an anti-join with this partial index, which holds only erased
contacts, instead of a look-up of every candidate in the index of present contacts
(migration 0024).

The contacts table is written by the intake inside Saleor's transactions, so on
PostgreSQL the index is built ``CONCURRENTLY`` (no write lock), which cannot run inside a
transaction, hence ``atomic = False``; as in 0024, an invalid index left by an interrupted
build is dropped and built again, and a valid one is kept. Other databases get it the
plain way.
"""

from django.db import migrations, models

from ._concurrent_indexes import add_index, remove_index

ERASED_CONTACTS = models.Index(
    fields=["id"], condition=models.Q(erased_at__isnull=False), name="ma_contact_erased_idx"
)


def add_indexes(apps, schema_editor):
    add_index(schema_editor, apps.get_model("saleor_ma_plugin", "Contact"), ERASED_CONTACTS)


def remove_indexes(apps, schema_editor):
    remove_index(schema_editor, apps.get_model("saleor_ma_plugin", "Contact"), ERASED_CONTACTS)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("saleor_ma_plugin", "0025_message_fewer_index_writes")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.AddIndex(model_name="contact", index=ERASED_CONTACTS)],
            database_operations=[
                migrations.RunPython(add_indexes, remove_indexes, elidable=False)
            ],
        ),
    ]
