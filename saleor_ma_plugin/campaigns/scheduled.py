"""Triggers that fire on time rather than on an event: dates, inactivity, broadcasts, stock.

One beat tick runs them all. Each is idempotent: the run key of a date trigger is the
year (or the date), of inactivity the lapse, of a broadcast the broadcast itself, so a
tick that runs twice, or on two workers, enrols nobody twice.
"""

import calendar
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from ..catalogue.models import NotifyRequest
from ..core import host
from ..core.host import allow_writes, with_writes
from ..events import EventSource, EventType
from ..events.intake import NewEvent, record_events
from ..segments.membership import refresh_trigger_segments
from . import CampaignStatus, TriggerType
from .audience import audience_contacts, gate_open, parse_audience
from .enrolling import bulk_enroll
from .models import Campaign, Enrollment
from .triggers import BroadcastTrigger, DateTrigger, InactivityTrigger, parse_trigger

#: How many lapsed contacts one tick enrols per campaign; the rest follow next tick.
INACTIVITY_BATCH = 10_000


@with_writes
def run_scheduled_triggers(now: datetime | None = None) -> int:
    """Fire every time-based trigger that is due; return how many runs started."""
    now = now or timezone.now()
    started = 0
    with allow_writes():
        campaigns = Campaign.objects.filter(
            status=CampaignStatus.ACTIVE,
            trigger__type__in=[TriggerType.DATE, TriggerType.INACTIVITY, TriggerType.BROADCAST],
        )
        for campaign in campaigns:
            trigger = parse_trigger(campaign.trigger)
            with transaction.atomic():
                if isinstance(trigger, DateTrigger):
                    started += fire_date_trigger(campaign, trigger, now)
                elif isinstance(trigger, InactivityTrigger):
                    started += fire_inactivity_trigger(campaign, trigger, now)
                elif (
                    isinstance(trigger, BroadcastTrigger)
                    and trigger.send_at
                    and trigger.send_at <= now
                ):
                    started += launch_broadcast(campaign, now)
        notify_back_in_stock(now)
        # Segment-entry campaigns: refreshing their segments enrols whoever entered.
        started += refresh_trigger_segments(now)
    if started:
        from ..core.queue import wake
        from ..tasks import run_enrollments

        wake(run_enrollments)
    return started


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name or settings.TIME_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(settings.TIME_ZONE)


def _month_day(field: str, day) -> Q:
    match = Q(**{f"{field}__month": day.month, f"{field}__day": day.day})
    if day.month == 2 and day.day == 28 and not calendar.isleap(day.year):
        match |= Q(**{f"{field}__month": 2, f"{field}__day": 29})  # leap-day people celebrate too
    return match


def date_candidates(campaign: Campaign, trigger: DateTrigger, now: datetime):
    """(contacts, run key) per time zone whose date is today and whose send time has passed."""
    audience = audience_contacts(parse_audience(campaign.audience))
    for zone_name in audience.values_list("timezone", flat=True).distinct():
        local = now.astimezone(_zone(zone_name))
        if local.time() < trigger.at_time:
            continue
        today = local.date()
        contacts = audience.filter(timezone=zone_name)
        key = f"date:{today.year}"
        match trigger.source:
            case "birthday":
                contacts = contacts.filter(_month_day("birthday", today))
            case "first_order_anniversary":
                contacts = contacts.filter(
                    _month_day("first_order_at", today), first_order_at__year__lt=today.year
                )
            case "attribute":
                contacts = contacts.filter(
                    **{f"attributes__{trigger.attribute}__endswith": today.strftime("-%m-%d")}
                )
            case "fixed":
                if today != trigger.fixed_date:
                    continue
                key = f"date:{today.isoformat()}"
        yield contacts, key


def fire_date_trigger(campaign: Campaign, trigger: DateTrigger, now: datetime) -> int:
    """Enrol contacts whose date is today in their own time zone, once the send time passed."""
    if not gate_open(campaign, parse_audience(campaign.audience)):
        return 0
    return sum(
        bulk_enroll(
            campaign, ((pk, key) for pk in contacts.values_list("pk", flat=True).iterator()), now
        )
        for contacts, key in date_candidates(campaign, trigger, now)
    )


def lapsed_candidates(campaign: Campaign, trigger: InactivityTrigger, now: datetime):
    """Customers whose last order is ``days`` old and who were not enrolled since."""
    return (
        audience_contacts(parse_audience(campaign.audience))
        .filter(last_order_at__lte=now - timedelta(days=trigger.days))
        .exclude(
            Exists(
                Enrollment.objects.filter(
                    campaign=campaign,
                    contact=OuterRef("pk"),
                    started_at__gte=OuterRef("last_order_at"),
                )
            )
        )
    )


def fire_inactivity_trigger(campaign: Campaign, trigger: InactivityTrigger, now: datetime) -> int:
    if not gate_open(campaign, parse_audience(campaign.audience)):
        return 0
    lapsed = lapsed_candidates(campaign, trigger, now).values_list("pk", "last_order_at")
    return bulk_enroll(
        campaign,
        (
            (pk, f"lapse:{last_order_at:%Y%m%dT%H%M%S}")
            for pk, last_order_at in lapsed[:INACTIVITY_BATCH]
        ),
        now,
    )


def launch_broadcast(campaign: Campaign, now: datetime | None = None) -> int:
    """Enrol the whole audience of a broadcast once; a second launch enrols nobody."""
    now = now or timezone.now()
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if campaign.launched_at is not None or campaign.status != CampaignStatus.ACTIVE:
            return 0
        audience = parse_audience(campaign.audience)
        if not gate_open(campaign, audience):
            return 0
        ids = audience_contacts(audience).values_list("pk", flat=True).iterator(chunk_size=5000)
        started = bulk_enroll(campaign, ((pk, "broadcast") for pk in ids), now)
        campaign.launched_at = now
        campaign.save(update_fields=["launched_at", "updated_at"])
    return started


def notify_back_in_stock(now: datetime) -> int:
    """Turn pending "notify me" requests for variants now in stock into events."""
    pending = NotifyRequest.objects.filter(notified_at__isnull=True)
    variant_ids = list(pending.values_list("variant_id", flat=True).distinct()[:1000])
    if not variant_ids:
        return 0
    in_stock = host.current().variants_in_stock(variant_ids)
    with transaction.atomic():
        requests = list(
            pending.select_for_update(skip_locked=True).filter(variant_id__in=in_stock)
        )
        record_events(
            [
                NewEvent(
                    EventType.BACK_IN_STOCK,
                    now,
                    f"{EventType.BACK_IN_STOCK}:{request.pk}",
                    {
                        "contact_id": request.contact_id,
                        "variant_id": request.variant_id,
                        "channel": request.channel,
                    },
                    EventSource.SYSTEM,
                )
                for request in requests
            ]
        )
        NotifyRequest.objects.filter(pk__in=[request.pk for request in requests]).update(
            notified_at=now
        )
    return len(requests)
