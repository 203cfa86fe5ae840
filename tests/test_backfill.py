from collections.abc import Iterator

import pytest
from django.core.management import CommandError, call_command

from saleor_ma_plugin.contacts.models import Contact
from saleor_ma_plugin.events import EventSource, EventType
from saleor_ma_plugin.events.backfill import BackfillStream, Batch
from saleor_ma_plugin.events.intake import order_events
from saleor_ma_plugin.events.models import Event, ImportCursor
from saleor_ma_plugin.pipeline import run_backfill
from tests import factories

pytestmark = pytest.mark.django_db

HISTORY = [
    factories.order(number=str(number), email=f"buyer{number % 3}@example.com")
    for number in range(1, 8)
]


class Interrupted(Exception):
    pass


def order_stream(orders, fail_after_batches: int | None = None) -> BackfillStream:
    """A stream over in-memory history, like the Saleor adapter's over Saleor's tables."""

    def after(position: str):
        return [order for order in orders if int(order.number) > int(position or 0)]

    def batches(position: str, batch_size: int) -> Iterator[Batch]:
        remaining = after(position)
        for index in range(0, len(remaining), batch_size):
            if fail_after_batches is not None and index // batch_size == fail_after_batches:
                raise Interrupted
            chunk = remaining[index : index + batch_size]
            events = [
                event
                for order in chunk
                for event in order_events(EventType.ORDER_CREATED, order, EventSource.BACKFILL)
            ]
            yield Batch(chunk[-1].number, len(chunk), events)

    return BackfillStream("test.orders", lambda position: len(after(position)), batches)


def test_backfill_imports_history_as_processed_backfill_events():
    # given
    progress = []

    # when
    summary = run_backfill(
        order_stream(HISTORY), batch_size=3, on_progress=lambda *step: progress.append(step)
    )

    # then
    assert (summary.objects_imported, summary.events_created) == (7, 7)
    assert progress == [(3, 7), (6, 7), (7, 7)]
    assert set(Event.objects.values_list("source", flat=True)) == {EventSource.BACKFILL}
    assert not Event.objects.filter(processed_at__isnull=True).exists()
    assert sorted(Contact.objects.values_list("email", "orders_count")) == [
        ("buyer0@example.com", 2),
        ("buyer1@example.com", 3),
        ("buyer2@example.com", 2),
    ]


def test_running_the_backfill_again_changes_nothing():
    # given
    run_backfill(order_stream(HISTORY), batch_size=3)
    before = list(Event.objects.order_by("id").values_list("id", "dedupe_key"))

    # when
    resumed = run_backfill(order_stream(HISTORY), batch_size=3)
    restarted = run_backfill(order_stream(HISTORY), batch_size=3, restart=True)

    # then
    assert resumed.objects_imported == 0
    assert (restarted.objects_imported, restarted.events_created) == (7, 0)
    assert restarted.events_already_present == 7
    assert list(Event.objects.order_by("id").values_list("id", "dedupe_key")) == before
    assert sum(Contact.objects.values_list("orders_count", flat=True)) == 7


def test_an_interrupted_backfill_resumes_after_the_last_committed_batch():
    # given
    with pytest.raises(Interrupted):
        run_backfill(order_stream(HISTORY, fail_after_batches=1), batch_size=3)
    assert ImportCursor.objects.get(name="test.orders").position == "3"

    # when
    summary = run_backfill(order_stream(HISTORY), batch_size=3)

    # then
    assert summary.resumed_from == "3"
    assert summary.objects_imported == 4
    assert Event.objects.count() == 7
    assert ImportCursor.objects.get(name="test.orders").completed_at is not None


def test_backfill_command_outside_saleor_says_why_it_cannot_run():
    # when / then
    with pytest.raises(CommandError, match="must run inside Saleor"):
        call_command("marketing_backfill")
    assert not Event.objects.exists()
