"""Celery entry points. Tasks take ids only; the rows in the database are the truth."""

import time

from celery import shared_task

from .attribution.tasks import decide_experiments  # noqa: F401  (registers the task)
from .core.queue import nudge_received
from .events import processing
from .segments.tasks import refresh_segments  # noqa: F401  (registers the task)

#: A tick stops claiming new batches after this long, leaving the rest to the next one.
TICK_BUDGET_SECONDS = 50


def _drain(run_batch, batch_size: int) -> int:
    """Run batches until one comes back short or the tick's time budget is spent."""
    started, done = time.monotonic(), 0
    while time.monotonic() - started < TICK_BUDGET_SECONDS:
        claimed = run_batch()
        done += claimed
        if claimed < batch_size:
            break
    return done


@shared_task(name="saleor_ma_plugin.process_events", ignore_result=True)
def process_events(*event_ids: int) -> int:
    """Nudge: process every fresh event. With ids (older wake-ups): just those events."""
    if event_ids:
        return processing.process_events(event_ids)
    nudge_received("saleor_ma_plugin.process_events")
    return processing.process_fresh_events()


@shared_task(name="saleor_ma_plugin.sweep_events", ignore_result=True)
def sweep_events() -> int:
    """Beat tick: process events whose wake-up never arrived."""
    return processing.sweep_unprocessed_events()


@shared_task(name="saleor_ma_plugin.run_enrollments", ignore_result=True)
def run_enrollments() -> int:
    """Beat tick and nudge: advance due enrolments batch by batch, within a time budget."""
    nudge_received("saleor_ma_plugin.run_enrollments")
    from .campaigns.runner import BATCH_SIZE, run_due_enrollments

    return _drain(run_due_enrollments, BATCH_SIZE)


@shared_task(name="saleor_ma_plugin.run_scheduled_triggers", ignore_result=True)
def run_scheduled_triggers() -> int:
    """Beat tick: date, inactivity, broadcast and back-in-stock triggers."""
    from .campaigns.scheduled import run_scheduled_triggers as run

    return run()


@shared_task(name="saleor_ma_plugin.deliver_webhooks", ignore_result=True)
def deliver_webhooks() -> int:
    """Beat tick and nudge: POST due webhook deliveries."""
    nudge_received("saleor_ma_plugin.deliver_webhooks")
    from .messaging.webhooks import deliver_due_webhooks

    return deliver_due_webhooks()


@shared_task(name="saleor_ma_plugin.deliver_messages", ignore_result=True)
def deliver_messages() -> int:
    """Beat tick and nudge: send due messages batch by batch, within a time budget."""
    nudge_received("saleor_ma_plugin.deliver_messages")
    from .messaging.delivery import BATCH_SIZE, deliver_due_messages

    return _drain(deliver_due_messages, BATCH_SIZE)


@shared_task(name="saleor_ma_plugin.replenish_voucher_pools", ignore_result=True)
def replenish_voucher_pools() -> int:
    """Beat tick: keep codes ready for every active voucher step."""
    from .vouchers.pool import replenish_pools

    return replenish_pools()


@shared_task(name="saleor_ma_plugin.daily_scoring", ignore_result=True)
def daily_scoring() -> int:
    """Beat tick: decay lead scores and mark lapsed customers."""
    from .core.host import allow_writes
    from .scoring.rules import decay_scores

    with allow_writes():
        return decay_scores()
