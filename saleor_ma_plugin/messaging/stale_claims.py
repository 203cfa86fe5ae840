"""Resolving the messages a dead worker left in ``sending`` (the bounds: see ``delivery``)."""

import uuid
from collections import defaultdict
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, Q

from . import MessageStatus
from .channels.smtp_stream import CONTENT_IN_FLIGHT, PIPELINE_WINDOW
from .journal import Journal, forget_journals, journal_key, recover
from .models import Message
from .outcomes import (
    CHECKPOINT,
    MAX_ATTEMPTS,
    UNCONFIRMED,
    apply_result,
    attempt_of,
    suppression_of,
    write_results,
)

#: A claim older than this belongs to a worker that died mid-send.
STALE_CLAIM = timedelta(minutes=10)
#: At most this many messages per claim and channel are unconfirmed after a crash that
#: left no trusted journal: those handed over since the last checkpoint, and the replies
#: still on their way then.
MAX_UNCONFIRMED = CHECKPOINT + PIPELINE_WINDOW
#: ... and with the claim's journal: the one message whose content was out, unanswered.
MAX_UNCONFIRMED_JOURNALED = CONTENT_IN_FLIGHT


def reap_stale_claims(now: datetime) -> int:
    """Resolve messages a dead worker left in ``sending``; return how many."""
    stale = Message.objects.filter(status=MessageStatus.SENDING, claimed_at__lt=now - STALE_CLAIM)
    rows = list(stale.order_by("scheduled_at", "pk").values_list("pk", "claim", "channel"))
    if not rows:
        return 0
    claims = {claim_id for _, claim_id, _ in rows} - {None}
    journals = recover(claims)
    journaled = _apply_journals(stale, journals)
    rows = [row for row in rows if row[0] not in journaled]
    unsure, untouched = _split_claims(rows, journals)
    released = stale.filter(pk__in=untouched).update(
        status=MessageStatus.QUEUED, attempts=F("attempts") - 1
    )
    unsure_rows = stale.filter(pk__in=unsure)
    unknown = unsure_rows.filter(Q(transactional=False) | Q(attempts__gte=MAX_ATTEMPTS)).update(
        status=MessageStatus.UNKNOWN, last_error=UNCONFIRMED
    )
    retried = unsure_rows.filter(transactional=True).update(
        status=MessageStatus.QUEUED, scheduled_at=now
    )
    keys = [journal_key(claim) for claim in claims]
    transaction.on_commit(lambda: forget_journals(keys))
    return len(journaled) + released + unknown + retried


def _apply_journals(stale, journals: dict[uuid.UUID, Journal]) -> set[int]:
    """Write the journaled results as the dead worker's next checkpoint would have."""
    # A message requeued by one claim may be in another's journal too: each its own claim's.
    entries = {
        (claim_id, pk): entry
        for claim_id, journal in journals.items()
        for pk, entry in journal.entries.items()
    }
    if not entries:
        return set()
    # Locked, and still ``sending`` once locked: a reaper running alongside finds them done.
    candidates = stale.filter(pk__in={pk for _, pk in entries}, claim__in=list(journals))
    messages = [
        message
        for message in candidates.select_for_update(of=("self",)).select_related("contact")
        if (message.claim, message.pk) in entries
    ]
    rows, attempts, suppressions = [], [], []
    for message in messages:
        result = entries[message.claim, message.pk].as_result(message.pk)
        if result is None:  # decided without a send: decided again when claimed again
            message.status, message.attempts = MessageStatus.QUEUED, message.attempts - 1
        else:
            # The batch's ``now`` was its claim's time: results read as the worker's would.
            apply_result(message, result, message.claimed_at)
            attempts.append(attempt_of(message, result))
            if (suppression := suppression_of(message, result)) is not None:
                suppressions.append(suppression)
        rows.append(message)
    write_results(rows, attempts, suppressions)
    return {message.pk for message in messages}


def _split_claims(rows, journals) -> tuple[list[int], list[int]]:
    """The unresolved messages a dead worker may have handed over, and those it never
    reached: per claim and channel, the first ones in claim order (see ``delivery``)."""
    seen: dict[tuple, int] = defaultdict(int)
    unsure, untouched = [], []
    for pk, claim_id, channel in rows:
        seen[claim_id, channel] += 1
        limit = MAX_UNCONFIRMED_JOURNALED if claim_id in journals else MAX_UNCONFIRMED
        # Without a claim id (claimed before claims had one) nothing is known: all unsure.
        if claim_id is None or seen[claim_id, channel] <= limit:
            unsure.append(pk)
        else:
            untouched.append(pk)
    return unsure, untouched
