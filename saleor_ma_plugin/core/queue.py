"""Waking Celery workers by task name, without ever making the caller fail or wait on the broker.

Domain code names the work it wants done (``Work.DELIVER_MESSAGES``); ``tasks.py`` registers
a task under each name. Nothing below the task layer imports a task, so the engine can be
used (and tested) without Celery's task modules, and a task module can import the engine.
"""

import logging
from enum import StrEnum

from celery import current_app
from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.db import transaction

logger = logging.getLogger(__name__)

#: A pending nudge stops further nudges of the same task for at most this long; the task
#: clears it as it starts, so work committed after that gets a wake-up of its own.
NUDGE_WINDOW_SECONDS = 5


class Work(StrEnum):
    """Registered names of the tasks the engine wakes (and beat ticks run)."""

    PROCESS_EVENTS = "saleor_ma_plugin.process_events"
    SWEEP_EVENTS = "saleor_ma_plugin.sweep_events"
    RUN_ENROLLMENTS = "saleor_ma_plugin.run_enrollments"
    RUN_SCHEDULED_TRIGGERS = "saleor_ma_plugin.run_scheduled_triggers"
    DELIVER_MESSAGES = "saleor_ma_plugin.deliver_messages"
    DELIVER_WEBHOOKS = "saleor_ma_plugin.deliver_webhooks"
    REPLENISH_VOUCHER_POOLS = "saleor_ma_plugin.replenish_voucher_pools"
    DAILY_SCORING = "saleor_ma_plugin.daily_scoring"
    REFRESH_SEGMENTS = "saleor_ma_plugin.refresh_segments"
    DECIDE_EXPERIMENTS = "saleor_ma_plugin.decide_experiments"
    REMOVE_EXPIRED_EVENTS = "saleor_ma_plugin.remove_expired_events"
    FILL_EVENT_COLUMNS = "saleor_ma_plugin.fill_event_columns"
    #: App mode only (registered by ``saleor_app.tasks`` in the standalone host).
    SWITCH_MAIL_WEBHOOKS = "saleor_ma_plugin.switch_mail_webhooks"


def _nudge_key(work: str) -> str:
    return f"saleor_ma:nudge:{work}"


def wake_after_commit(work: Work, *ids: int, using: str | None = None) -> None:
    """Wake ``work(*ids)`` once the surrounding transaction commits.

    The database row is the truth and a sweeper picks up whatever no worker was woken for,
    so a broker outage must cost the shop nothing: it is logged, not raised.
    """
    transaction.on_commit(lambda: wake(work, *ids), using=using)


def wake(work: Work, *ids: int) -> None:
    """Send ``work(*ids)`` to the broker now; on failure log and leave it to the sweeper.

    A wake-up without ids is a nudge ("there is work"): a burst of events sends one, not
    one per event, because the queued task will find all of the work anyway.
    """
    if not ids and not _claim_nudge(work):
        return
    try:
        _send(work, ids)
    except Exception:
        if not ids:
            # No task is queued to clear the claim: keeping it would swallow every nudge of
            # the window even once the broker is back.
            _release_nudge(work)
        logger.warning(
            "Could not enqueue %s%s; the sweeper will pick it up.", work, ids, exc_info=True
        )


def wake_a_helper(work: Work) -> None:
    """A task found more work than one batch: nudge one more worker to share it (claims
    with SKIP LOCKED keep the two apart). Not where tasks run inline (eager), since the
    nudge would run nested in the task that sends it."""
    if current_app.conf.task_always_eager:
        return
    wake(work)


def _send(work: Work, ids: tuple[int, ...]) -> None:
    app = current_app
    task = app.tasks.get(str(work))
    # retry=False: a dead broker must not stall a shop request for Celery's retry policy.
    if task is not None:
        task.apply_async(args=ids, retry=False)  # honours the host's eager setting
    else:
        app.send_task(str(work), args=ids, retry=False)


def _claim_nudge(work: Work) -> bool:
    shared = caches[DEFAULT_CACHE_ALIAS]
    if isinstance(shared, (LocMemCache, DummyCache)):
        # A per-process cache cannot see the worker clear a nudge: de-duplicating through
        # it would hold later wake-ups back until the window expires (Saleor's default
        # cache is local memory unless CACHE_URL names Redis or Memcached).
        return True
    try:
        return shared.add(_nudge_key(work), 1, NUDGE_WINDOW_SECONDS)
    except Exception:  # no cache: every nudge is sent, which is only slower
        logger.warning("Cache unavailable; nudging %s without de-duplication", work)
        return True


def nudge_received(work: Work) -> None:
    """Called as a nudged task starts: later work needs a wake-up of its own."""
    _release_nudge(work)


def _release_nudge(work: Work) -> None:
    try:
        caches[DEFAULT_CACHE_ALIAS].delete(_nudge_key(work))
    except Exception:
        logger.warning("Cache unavailable; could not clear the nudge of %s", work)
