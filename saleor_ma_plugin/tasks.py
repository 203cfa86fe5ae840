"""Celery entry points: every task of the app, registered one way, by the name it is woken by.

``@entry_point(Work.X)`` registers ``X`` as a shared task that runs against the primary
database (Saleor routes task reads to a replica otherwise); ``every=`` adds it to the beat
schedule under a fixed entry name, so starting beat twice changes nothing. Tasks take ids
only; the rows in the database are the truth. Domain code wakes them by name
(``core.queue``) and never imports this module.
"""

import time
from collections.abc import Callable
from datetime import timedelta

from celery import shared_task

from .attribution.experiments import decide_winners
from .attribution.split_tests import decide_split_tests
from .campaigns.runner import BATCH_SIZE as ENROLLMENT_BATCH_SIZE
from .campaigns.runner import run_due_enrollments
from .campaigns.scheduled import run_scheduled_triggers as fire_scheduled_triggers
from .campaigns.steps.voucher import replenish_voucher_steps
from .core.host import with_writes
from .core.queue import Work, nudge_received
from .events.columns import fill_payload_columns
from .messaging.delivery import BATCH_SIZE as MESSAGE_BATCH_SIZE
from .messaging.delivery import deliver_due_messages
from .messaging.webhooks import deliver_due_webhooks
from .pipeline import process_events as process_given_events
from .pipeline import process_fresh_events, sweep_unprocessed_events
from .retention import remove_expired_events as remove_expired
from .scoring.rules import decay_scores
from .segments.membership import refresh_all_segments

#: A tick stops claiming new batches after this long, leaving the rest to the next one.
TICK_BUDGET_SECONDS = 50

#: Beat entries by name; ``apps.register_beat_schedule`` adds them to the host's schedule.
BEAT_SCHEDULE: dict[str, dict] = {}


def entry_point(work: Work, every: timedelta | None = None, beat_name: str = "") -> Callable:
    """Register ``function`` as the task named ``work`` (and as a beat tick if ``every``)."""

    def register(function: Callable) -> Callable:
        task = shared_task(name=str(work), ignore_result=True)(with_writes(function))
        if every is not None:
            BEAT_SCHEDULE[beat_name] = {"task": str(work), "schedule": every}
        return task

    return register


def _drain(run_batch: Callable[[], int], batch_size: int) -> int:
    """Run batches until one comes back short or the tick's time budget is spent."""
    started, done = time.monotonic(), 0
    while time.monotonic() - started < TICK_BUDGET_SECONDS:
        claimed = run_batch()
        done += claimed
        if claimed < batch_size:
            break
    return done


@entry_point(Work.PROCESS_EVENTS)
def process_events(*event_ids: int) -> int:
    """Nudge: process every fresh event. With ids (older wake-ups): just those events."""
    if event_ids:
        return process_given_events(event_ids)
    nudge_received(Work.PROCESS_EVENTS)
    return process_fresh_events()


@entry_point(
    Work.SWEEP_EVENTS, every=timedelta(minutes=1), beat_name="saleor-ma-plugin-sweep-events"
)
def sweep_events() -> int:
    """Beat tick: process events whose wake-up never arrived."""
    return sweep_unprocessed_events()


@entry_point(
    Work.RUN_ENROLLMENTS,
    every=timedelta(seconds=15),
    beat_name="saleor-ma-plugin-run-enrollments",
)
def run_enrollments() -> int:
    """Beat tick and nudge: advance due enrolments batch by batch, within a time budget."""
    nudge_received(Work.RUN_ENROLLMENTS)
    return _drain(run_due_enrollments, ENROLLMENT_BATCH_SIZE)


@entry_point(
    Work.RUN_SCHEDULED_TRIGGERS,
    every=timedelta(minutes=1),
    beat_name="saleor-ma-plugin-scheduled-triggers",
)
def run_scheduled_triggers() -> int:
    """Beat tick: date, inactivity, broadcast, back-in-stock and segment-entry triggers."""
    return fire_scheduled_triggers()


@entry_point(
    Work.DELIVER_MESSAGES,
    every=timedelta(seconds=15),
    beat_name="saleor-ma-plugin-deliver-messages",
)
def deliver_messages() -> int:
    """Beat tick and nudge: send due messages batch by batch, within a time budget."""
    nudge_received(Work.DELIVER_MESSAGES)
    return _drain(deliver_due_messages, MESSAGE_BATCH_SIZE)


@entry_point(
    Work.DELIVER_WEBHOOKS,
    every=timedelta(seconds=30),
    beat_name="saleor-ma-plugin-deliver-webhooks",
)
def deliver_webhooks() -> int:
    """Beat tick and nudge: POST due webhook deliveries."""
    nudge_received(Work.DELIVER_WEBHOOKS)
    return deliver_due_webhooks()


@entry_point(
    Work.REPLENISH_VOUCHER_POOLS,
    every=timedelta(minutes=5),
    beat_name="saleor-ma-plugin-replenish-voucher-pools",
)
def replenish_voucher_pools() -> int:
    """Beat tick: keep codes ready for every active voucher step."""
    return replenish_voucher_steps()


@entry_point(
    Work.DAILY_SCORING, every=timedelta(days=1), beat_name="saleor-ma-plugin-daily-scoring"
)
def daily_scoring() -> int:
    """Beat tick: decay lead scores and mark lapsed customers."""
    return decay_scores()


@entry_point(
    Work.REFRESH_SEGMENTS,
    every=timedelta(minutes=5),
    beat_name="saleor-ma-plugin-refresh-segments",
)
def refresh_segments() -> int:
    """Beat tick: refresh every segment's stored membership; return runs started."""
    return refresh_all_segments()


@entry_point(
    Work.DECIDE_EXPERIMENTS,
    every=timedelta(minutes=15),
    beat_name="saleor-ma-plugin-decide-experiments",
)
def decide_experiments() -> int:
    """Beat tick and nudge: store winners of split-step experiments (Bayesian rules and
    test shares whose time is up); return how many were decided."""
    nudge_received(Work.DECIDE_EXPERIMENTS)
    return len(decide_winners()) + len(decide_split_tests())


@entry_point(
    Work.REMOVE_EXPIRED_EVENTS,
    every=timedelta(hours=1),
    beat_name="saleor-ma-plugin-remove-expired-events",
)
def remove_expired_events() -> int:
    """Beat tick: summarize and remove processed events past the retention period, within
    a time budget; hourly, so that a first run over years of history catches up in days."""
    return remove_expired()


@entry_point(
    Work.FILL_EVENT_COLUMNS,
    every=timedelta(minutes=1),
    beat_name="saleor-ma-plugin-fill-event-columns",
)
def fill_event_columns() -> int:
    """Beat tick: copy payload values of events stored before migration 0027 into their
    columns, within a time budget; one query a minute once every event has them."""
    return fill_payload_columns()
