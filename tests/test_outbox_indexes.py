"""The outbox's indexes: what a send writes to them, and what reads them (migration 0025)."""

import pytest
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from saleor_ma_plugin.contacts.models import Contact
from saleor_ma_plugin.messaging.esp_events import handle_tracking_event
from saleor_ma_plugin.messaging.models import Message
from tests.db_indexes import indexes_of

LIKE_INDEX = "saleor_ma_plugin_message_idempotency_key_c0b1c18a_like"


def _message(contact: Contact, key: str, provider_id: str = "") -> Message:
    return Message.objects.create(
        idempotency_key=key,
        contact=contact,
        channel="email",
        template="newsletter",
        status="sent" if provider_id else "sending",
        scheduled_at=timezone.now(),
        provider_message_id=provider_id,
    )


@pytest.mark.django_db
def test_only_messages_with_a_provider_id_are_in_its_index_and_esp_events_find_them():
    # given a claimed message (no provider id yet) and two sent ones
    contact = Contact.objects.create(email="anna@example.com")
    _message(contact, "claimed")
    _message(contact, "sent-1", "<1@shop.example.com>")
    _message(contact, "sent-2", "<2@shop.example.com>")

    # then the provider index takes only rows that have one (a claim writes no entry)
    assert (
        "WHERE (NOT ((provider_message_id)::text = ''::text))"
        in indexes_of(Message)["ma_message_provider_idx"]
    )

    # and an ESP's bounce finds its message through that index
    lookup = Message.objects.filter(provider_message_id="<2@shop.example.com>")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        assert "ma_message_provider_idx" in lookup.explain()
    handle_tracking_event("bounced", "<2@shop.example.com>", "anna@example.com", "550")
    statuses = dict(Message.objects.values_list("idempotency_key", "status"))
    assert statuses == {"claimed": "sending", "sent-1": "sent", "sent-2": "failed"}


@pytest.mark.django_db
def test_an_esp_event_without_a_provider_id_changes_no_message():
    # given a claimed message, whose provider id is still empty
    contact = Contact.objects.create(email="bert@example.com")
    _message(contact, "claimed")

    # when an ESP reports a bounce naming no message
    handle_tracking_event("bounced", "", "bert@example.com", "550")

    # then the claimed message is untouched
    assert Message.objects.get().status == "sending"


@pytest.mark.django_db(transaction=True)
def test_the_migration_moves_the_indexes_and_back(back_to_the_latest_schema):
    # given the schema after migration 0025
    assert LIKE_INDEX not in indexes_of(Message)
    assert "ma_message_provider_id_idx" not in indexes_of(Message)

    # when it is migrated back
    executor = MigrationExecutor(connection)
    executor.migrate(
        [("saleor_ma_plugin", "0024_segment_count_present_contacts_and_category_events")]
    )

    # then the key's pattern index and the full provider index are there again
    before = indexes_of(Message)
    assert "varchar_pattern_ops" in before[LIKE_INDEX]
    assert "ma_message_provider_id_idx" in before
    assert "ma_message_provider_idx" not in before

    # and forward again, they are gone, the partial one in their place
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([("saleor_ma_plugin", "0025_message_fewer_index_writes")])
    after = indexes_of(Message)
    assert LIKE_INDEX not in after
    assert "ma_message_provider_id_idx" not in after
    assert "ma_message_provider_idx" in after
