"""Applying score rules to processed events, decaying scores, and lifecycle stages."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q, Sum
from django.db.models.functions import Floor
from django.utils import timezone

from ..contacts import LifecycleStage
from ..contacts.models import Contact
from ..core.memo import read_once
from ..events import EventSource, EventType
from ..events.intake import NewEvent, record_events
from ..segments.rules import Scope, Subject, evaluate, parse_condition
from .models import ScoreEntry, ScoreRule


@dataclass(frozen=True)
class ScoringSettings:
    #: Scores halve after this many days without new points (0: no decay).
    half_life_days: int = 90
    #: A subscriber without orders becomes a lead at this score.
    lead_score: int = 25
    #: A customer without an order for this many days becomes lapsed.
    lapsed_after_days: int = 180


def scoring_settings() -> ScoringSettings:
    return ScoringSettings(**getattr(settings, "SALEOR_MA_SCORING", {}))


def apply_score_rules(event, contact: Contact, now: datetime) -> int:
    """Add the points this event earns (respecting caps); return the change of the score."""
    if (
        contact is None
        or event.source == EventSource.BACKFILL
        or event.type == EventType.SCORE_CHANGED
    ):
        return 0
    total = 0
    rules = read_once(
        ("score_rules", event.type),
        lambda: list(ScoreRule.objects.filter(is_active=True, event_type=event.type)),
    )
    for rule in rules:
        subject = Subject(contact=contact, payload=event.payload, context={}, now=now)
        if not evaluate(parse_condition(rule.where, "where", Scope.EVENT), subject):
            continue
        points = _capped(rule, contact, now)
        if not points:
            continue
        try:
            with transaction.atomic():
                ScoreEntry.objects.create(
                    contact=contact, rule=rule, event=event, points=points, created_at=now
                )
        except IntegrityError:
            continue  # this event already scored through this rule
        total += points
    if total:
        before = Contact.objects.filter(pk=contact.pk).values_list("lead_score", flat=True).get()
        Contact.objects.filter(pk=contact.pk).update(lead_score=F("lead_score") + total)
        contact.lead_score = before + total
        update_stage(contact, now)
        record_events(
            [
                NewEvent(
                    EventType.SCORE_CHANGED,
                    now,
                    f"{EventType.SCORE_CHANGED}:{event.pk}",
                    {"contact_id": contact.pk, "before": before, "after": before + total},
                    EventSource.SYSTEM,
                )
            ]
        )
    return total


def _capped(rule: ScoreRule, contact: Contact, now: datetime) -> int:
    if not rule.cap_points or rule.points <= 0:
        return rule.points
    earned = (
        ScoreEntry.objects.filter(
            contact=contact, rule=rule, created_at__gte=now - timedelta(days=rule.cap_days)
        ).aggregate(total=Sum("points"))["total"]
        or 0
    )
    return max(0, min(rule.points, rule.cap_points - earned))


def update_stage(contact: Contact, now: datetime) -> None:
    """Subscribers with enough points become leads; customers never fall back to lead."""
    config = scoring_settings()
    if (
        contact.lifecycle_stage == LifecycleStage.SUBSCRIBER
        and contact.lead_score >= config.lead_score
    ):
        Contact.objects.filter(pk=contact.pk, lifecycle_stage=LifecycleStage.SUBSCRIBER).update(
            lifecycle_stage=LifecycleStage.LEAD
        )


def decay_scores(now: datetime | None = None) -> int:
    """Daily tick: scores lose half their value per half-life; lapsed customers are marked."""
    config, now = scoring_settings(), now or timezone.now()
    changed = 0
    if config.half_life_days:
        factor = 0.5 ** (1 / config.half_life_days)
        changed += Contact.objects.filter(lead_score__gt=0).update(
            lead_score=Floor(F("lead_score") * factor)
        )
    changed += Contact.objects.filter(
        Q(lifecycle_stage=LifecycleStage.CUSTOMER)
        | Q(lifecycle_stage=LifecycleStage.REPEAT_CUSTOMER),
        last_order_at__lt=now - timedelta(days=config.lapsed_after_days),
    ).update(lifecycle_stage=LifecycleStage.LAPSED)
    return changed
