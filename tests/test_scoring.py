from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from saleor_ma_plugin.contacts import LifecycleStage
from saleor_ma_plugin.contacts.models import Contact
from saleor_ma_plugin.events import EventSource
from saleor_ma_plugin.events.models import Event
from saleor_ma_plugin.scoring.models import ScoreEntry, ScoreRule
from saleor_ma_plugin.scoring.rules import decay_scores
from tests.campaign_helpers import campaign, event, ingest

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def contact():
    return Contact.objects.create(email="anna@example.com")


def view(number: int, category: str = "9", source=EventSource.STOREFRONT):
    return event(
        "product.viewed",
        f"view-{number}",
        {"email": "anna@example.com", "category_id": category},
        NOW,
        source,
    )


def test_matching_events_earn_points_up_to_the_cap(contact):
    # given
    ScoreRule.objects.create(
        name="Coffee interest",
        event_type="product.viewed",
        where={"field": "payload.category_id", "op": "eq", "value": "9"},
        points=5,
        cap_points=12,
        cap_days=30,
    )

    # when
    for number in range(4):
        ingest(view(number))
    ingest(view(99, category="3"))

    # then: 5 + 5 + 2 (cap) + 0, the other category earns nothing
    contact.refresh_from_db()
    assert contact.lead_score == 12
    assert list(ScoreEntry.objects.order_by("pk").values_list("points", flat=True)) == [5, 5, 2]


def test_an_event_scores_once_however_often_it_is_processed(contact):
    # given
    ScoreRule.objects.create(name="Views", event_type="product.viewed", points=3)
    (event_id,) = ingest(view(1))

    # when
    from saleor_ma_plugin.scoring.rules import apply_score_rules

    apply_score_rules(Event.objects.get(pk=event_id), contact, NOW)

    # then
    contact.refresh_from_db()
    assert contact.lead_score == 3


def test_imported_history_earns_no_points(contact):
    ScoreRule.objects.create(name="Views", event_type="product.viewed", points=3)
    ingest(view(1, source=EventSource.BACKFILL))
    contact.refresh_from_db()
    assert contact.lead_score == 0


def test_reaching_the_lead_threshold_makes_a_subscriber_a_lead_and_fires_score_triggers(
    contact, django_capture_on_commit_callbacks
):
    # given
    ScoreRule.objects.create(name="Clicks", event_type="email.clicked", points=30)
    target = campaign({"type": "score", "threshold": 25})

    # when
    with django_capture_on_commit_callbacks(execute=True):
        ingest(
            event(
                "email.clicked",
                "click-1",
                {"contact_id": contact.pk, "url": "https://x.test/"},
                NOW,
            )
        )

    # then
    contact.refresh_from_db()
    assert (contact.lead_score, contact.lifecycle_stage) == (30, LifecycleStage.LEAD)
    assert target.enrollments.count() == 1


def test_scores_decay_by_half_life_and_old_customers_lapse(settings, contact):
    # given
    settings.SALEOR_MA_SCORING = {"half_life_days": 1, "lapsed_after_days": 180}
    Contact.objects.filter(pk=contact.pk).update(lead_score=40)
    lapsing = Contact.objects.create(
        email="old@example.com",
        lifecycle_stage=LifecycleStage.CUSTOMER,
        last_order_at=NOW - timedelta(days=200),
    )

    # when
    decay_scores(NOW)

    # then
    contact.refresh_from_db()
    lapsing.refresh_from_db()
    assert contact.lead_score == 20
    assert lapsing.lifecycle_stage == LifecycleStage.LAPSED
