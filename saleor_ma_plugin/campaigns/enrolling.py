"""Putting a contact into a campaign exactly once per trigger, by the re-entry policy."""

from datetime import datetime, timedelta

from django.db import IntegrityError, connections, router, transaction
from django.db.models import F, QuerySet

from ..contacts.models import Contact
from . import CampaignStatus, EnrollmentStatus, ReentryPolicy
from .audience import gate_open, in_audience, parse_audience
from .models import Campaign, Enrollment

ONCE_KEY = "once"
#: After enrolling this many runs at once, the runs table is analysed in the same
#: transaction: until autovacuum gets to it, the planner would take the million new due
#: runs for a handful and claim each batch by joining and sorting all of them (seconds
#: per batch instead of milliseconds).
ANALYZE_AFTER_RUNS = 10_000


def run_key(campaign: Campaign, trigger_key: str) -> str:
    """The unique key of a run: "once ever" campaigns collapse every trigger into one."""
    return ONCE_KEY if campaign.reentry_policy == ReentryPolicy.ONCE else trigger_key


def enroll(
    campaign: Campaign,
    contact: Contact,
    trigger_key: str,
    *,
    now: datetime,
    start_at: datetime | None = None,
    context: dict | None = None,
    trigger_event_id: int | None = None,
    check_audience: bool = True,
) -> Enrollment | None:
    """Start a run, or return None when policy, audience or an earlier run says no."""
    if campaign.status != CampaignStatus.ACTIVE or contact.erased_at is not None:
        return None
    if check_audience:
        audience = parse_audience(campaign.audience)
        if not gate_open(campaign, audience) or not in_audience(audience, contact):
            return None
    key = run_key(campaign, trigger_key)
    with transaction.atomic():
        if campaign.reentry_policy == ReentryPolicy.ONCE_PER_PERIOD:
            # Lock the contact: two triggers at once must not both pass the period check.
            Contact.objects.select_for_update().filter(pk=contact.pk).first()
            since = now - timedelta(days=campaign.reentry_period_days)
            if Enrollment.objects.filter(
                campaign=campaign, contact=contact, started_at__gte=since
            ).exists():
                return None
        try:
            with transaction.atomic():
                return Enrollment.objects.create(
                    campaign=campaign,
                    contact=contact,
                    trigger_key=key,
                    step_key=campaign.entry_step_key,
                    next_run_at=start_at or now,
                    context=context or {},
                    trigger_event_id=trigger_event_id,
                    started_at=now,
                    status=EnrollmentStatus.ACTIVE,
                )
        except IntegrityError:
            return None  # this trigger already started a run


def bulk_enroll(campaign: Campaign, keyed_contacts, now: datetime, chunk_size: int = 5000) -> int:
    """Enrol many (contact id, trigger key) pairs at once; runs that exist are skipped.

    Used by the inactivity tick, whose run keys differ per contact (the lapse they mark);
    the audience query has already applied the campaign's audience, so it is not checked
    again per contact. One key for a whole audience goes through ``enroll_audience``.
    """
    created = 0
    chunk: list[Enrollment] = []

    def flush() -> int:
        before = Enrollment.objects.filter(campaign=campaign).count()
        Enrollment.objects.bulk_create(chunk, ignore_conflicts=True)
        return Enrollment.objects.filter(campaign=campaign).count() - before

    for contact_id, trigger_key in keyed_contacts:
        chunk.append(
            Enrollment(
                campaign=campaign,
                contact_id=contact_id,
                trigger_key=run_key(campaign, trigger_key),
                step_key=campaign.entry_step_key,
                next_run_at=now,
                context={},
                started_at=now,
            )
        )
        if len(chunk) >= chunk_size:
            created += flush()
            chunk = []
    if chunk:
        created += flush()
    return created


def enroll_audience(
    campaign: Campaign, contacts: QuerySet[Contact], trigger_key: str, now: datetime
) -> int:
    """Enrol every contact of a query under one trigger key; return how many runs started.

    One ``INSERT ... SELECT ... ON CONFLICT DO NOTHING``: a broadcast to a million contacts
    never brings their ids into Python, and runs that exist already are skipped by the
    unique run key, so a second launch, or one racing it, starts nobody twice.
    """
    alias = router.db_for_write(Enrollment)
    connection = connections[alias]
    audience_sql, audience_params = (
        contacts.order_by()
        .values(audience_contact=F("pk"))
        .query.get_compiler(using=alias)
        .as_sql()
    )
    field = Enrollment._meta.get_field
    quote = connection.ops.quote_name
    values = {
        "campaign_id": campaign.pk,
        "trigger_key": run_key(campaign, trigger_key),
        "status": EnrollmentStatus.ACTIVE.value,
        "step_key": campaign.entry_step_key,
        "next_run_at": field("next_run_at").get_db_prep_save(now, connection),
        "context": field("context").get_db_prep_save({}, connection),
        "started_at": field("started_at").get_db_prep_save(now, connection),
        "attempts": 0,
        "exit_reason": "",
        "last_error": "",
    }
    columns = ", ".join(quote(column) for column in ("contact_id", *values))
    placeholders = ", ".join(["%s"] * len(values))
    # "WHERE true": without it SQLite would read ON CONFLICT as part of the SELECT's join.
    sql = (
        f"INSERT INTO {quote(Enrollment._meta.db_table)} ({columns}) "
        f"SELECT audience.audience_contact, {placeholders} FROM ({audience_sql}) AS audience "
        f"WHERE true ON CONFLICT ({quote('campaign_id')}, {quote('contact_id')}, "
        f"{quote('trigger_key')}) DO NOTHING"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*values.values(), *audience_params])
        started = cursor.rowcount
        if started >= ANALYZE_AFTER_RUNS and connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {quote(Enrollment._meta.db_table)}")
    return started
