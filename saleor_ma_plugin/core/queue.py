"""Waking Celery workers without ever making the caller fail or wait on the broker."""

import logging

from celery import Task
from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.db import transaction

logger = logging.getLogger(__name__)

#: A pending nudge stops further nudges of the same task for at most this long; the task
#: clears it as it starts, so work committed after that gets a wake-up of its own.
NUDGE_WINDOW_SECONDS = 5


def _nudge_key(task_name: str) -> str:
    return f"saleor_ma:nudge:{task_name}"


def enqueue_after_commit(task: Task, *ids: int, using: str | None = None) -> None:
    """Schedule ``task(*ids)`` once the surrounding transaction commits.

    The database row is the truth and a sweeper picks up whatever no worker was woken for,
    so a broker outage must cost the shop nothing: it is logged, not raised.
    """
    transaction.on_commit(lambda: wake(task, *ids), using=using)


def wake(task: Task, *ids: int) -> None:
    """Send ``task(*ids)`` to the broker now; on failure log and leave it to the sweeper.

    A wake-up without ids is a nudge ("there is work"): a burst of events sends one, not
    one per event, because the queued task will find all of the work anyway.
    """
    if not ids and not _claim_nudge(task.name):
        return
    try:
        # retry=False: a dead broker must not stall a shop request for Celery's retry policy.
        task.apply_async(args=ids, retry=False)
    except Exception:
        if not ids:
            # No task is queued to clear the claim: keeping it would swallow every nudge of
            # the window even once the broker is back.
            _release_nudge(task.name)
        logger.warning(
            "Could not enqueue %s%s; the sweeper will pick it up.", task.name, ids, exc_info=True
        )


def _claim_nudge(task_name: str) -> bool:
    shared = caches[DEFAULT_CACHE_ALIAS]
    if isinstance(shared, (LocMemCache, DummyCache)):
        # A per-process cache cannot see the worker clear a nudge: de-duplicating through
        # it would hold later wake-ups back until the window expires (Saleor's default
        # cache is local memory unless CACHE_URL names Redis or Memcached).
        return True
    try:
        return shared.add(_nudge_key(task_name), 1, NUDGE_WINDOW_SECONDS)
    except Exception:  # no cache: every nudge is sent, which is only slower
        logger.warning("Cache unavailable; nudging %s without de-duplication", task_name)
        return True


def nudge_received(task_name: str) -> None:
    """Called as a nudged task starts: later work needs a wake-up of its own."""
    _release_nudge(task_name)


def _release_nudge(task_name: str) -> None:
    try:
        cache.delete(_nudge_key(task_name))
    except Exception:
        logger.warning("Cache unavailable; could not clear the nudge of %s", task_name)
