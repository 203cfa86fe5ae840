"""Recurring broadcasts: each occurrence once per contact, in their time zone, a fresh issue."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core import mail

from saleor_ma_plugin.campaigns.editing import activate
from saleor_ma_plugin.campaigns.models import Enrollment
from saleor_ma_plugin.campaigns.presets import create_from_preset
from saleor_ma_plugin.campaigns.scheduled import run_scheduled_triggers
from saleor_ma_plugin.campaigns.triggers import parse_trigger
from saleor_ma_plugin.catalogue.models import CatalogueProduct
from saleor_ma_plugin.contacts.models import Contact
from saleor_ma_plugin.core.errors import FieldError
from saleor_ma_plugin.core.host import forget_settings
from saleor_ma_plugin.messaging.delivery import deliver_due_messages
from tests.campaign_helpers import run_all, subscribe

pytestmark = pytest.mark.django_db
FIRST_MONDAY = {"frequency": "monthly", "weekday": 0, "week": 1, "at_time": "09:00"}


@pytest.fixture(autouse=True)
def shop(settings):
    settings.SALEOR_MA_PLUGIN = {
        **settings.SALEOR_MA_PLUGIN,
        "quiet_hours": "",
        "smart_sending_hours": "0",
    }
    forget_settings()
    yield
    forget_settings()


def product(product_id: str, name: str, popularity: int) -> None:
    CatalogueProduct.objects.create(
        product_id=product_id,
        name=name,
        slug=product_id,
        image_url=f"https://cdn.example.com/{product_id}.jpg",
        popularity=popularity,
    )


def tick(moment: datetime) -> int:
    with time_machine.travel(moment, tick=False):
        started = run_scheduled_triggers(moment)
        run_all(moment)
        deliver_due_messages(now=moment)
    return started


def test_first_monday_goes_out_at_nine_in_each_contacts_zone_once_each_month():
    # given a monthly newsletter (first Monday, 09:00 local) and readers in Berlin and New York
    with time_machine.travel(datetime(2026, 2, 20, tzinfo=UTC), tick=False):
        campaign = activate(create_from_preset("newsletter", {"schedule": FIRST_MONDAY}))
    berlin = Contact.objects.create(email="b@example.com", timezone="Europe/Berlin")
    new_york = Contact.objects.create(email="n@example.com", timezone="America/New_York")
    for contact in (berlin, new_york):
        subscribe(contact)
    product("beans", "Beans", 10)

    # when the scheduled tick runs through March 2 (a Monday), March 9 and April 6
    started = [
        tick(datetime(2026, 3, 2, 7, 30, tzinfo=UTC)),  # 08:30 in Berlin
        tick(datetime(2026, 3, 2, 8, 5, tzinfo=UTC)),  # 09:05 in Berlin, 03:05 in New York
        tick(datetime(2026, 3, 2, 8, 10, tzinfo=UTC)),  # the tick again, on another worker
        tick(datetime(2026, 3, 2, 14, 5, tzinfo=UTC)),  # 09:05 in New York
        tick(datetime(2026, 3, 9, 9, 0, tzinfo=UTC)),  # a Monday, not the first
    ]
    product("mill", "Mill", 99)  # the bestseller changes before the next issue
    started.append(tick(datetime(2026, 4, 6, 7, 5, tzinfo=UTC)))  # 09:05 in Berlin (summer)

    # then each occurrence reached each contact once, at their local nine o'clock
    assert started == [0, 1, 0, 1, 0, 1]
    keys = sorted(
        Enrollment.objects.filter(campaign=campaign).values_list("contact__email", "trigger_key")
    )
    assert keys == [
        ("b@example.com", "recurring:2026-03-02"),
        ("b@example.com", "recurring:2026-04-06"),
        ("n@example.com", "recurring:2026-03-02"),
    ]
    # and each issue showed the bestsellers of its own day
    issues = [(sent.to[0], "- Mill" in sent.body, "- Beans" in sent.body) for sent in mail.outbox]
    assert issues == [
        ("b@example.com", False, True),
        ("n@example.com", False, True),
        ("b@example.com", True, True),
    ]


@pytest.mark.parametrize(
    ("schedule", "first", "days"),
    [
        (FIRST_MONDAY, date(2026, 1, 1), [date(2026, 1, 5), date(2026, 2, 2), date(2026, 3, 2)]),
        (
            {"frequency": "monthly", "weekday": 4, "week": -1},
            date(2026, 1, 1),
            [date(2026, 1, 30), date(2026, 2, 27), date(2026, 3, 27)],
        ),
        (
            {"frequency": "monthly", "day": 15},
            date(2026, 1, 1),
            [date(2026, 1, 15), date(2026, 2, 15), date(2026, 3, 15)],
        ),
        (
            {"frequency": "monthly", "day": -1},
            date(2026, 1, 1),
            [date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31)],
        ),
        (
            {"frequency": "weekly", "weekday": 4, "interval": 2, "time_zone": "Europe/Berlin"},
            date(2026, 1, 1),
            [
                date(2026, 1, 2),
                date(2026, 1, 16),
                date(2026, 1, 30),
                date(2026, 2, 13),
                date(2026, 2, 27),
                date(2026, 3, 13),
                date(2026, 3, 27),
            ],
        ),
    ],
)
def test_schedules_fall_on_the_days_they_name(schedule, first, days):
    # given a schedule
    trigger = parse_trigger({"type": "recurring", **schedule})

    # when each day of the first quarter is checked
    quarter = [first + timedelta(days=offset) for offset in range(90)]

    # then exactly the named days are occurrences
    assert [day for day in quarter if trigger.occurs_on(day, first)] == days


@pytest.mark.parametrize(
    ("schedule", "field"),
    [
        ({"frequency": "yearly", "weekday": 0}, "trigger.frequency"),
        ({"frequency": "monthly"}, "trigger.weekday"),
        ({"frequency": "weekly", "weekday": 7}, "trigger.weekday"),
        ({"frequency": "weekly", "day": 3}, "trigger.day"),
        ({"frequency": "weekly", "weekday": 1, "week": 2}, "trigger.week"),
        ({"frequency": "monthly", "day": 31}, "trigger.day"),
        ({"frequency": "monthly", "day": 1, "time_zone": "Mars/Olympus"}, "trigger.time_zone"),
        ({"frequency": "monthly", "day": 1, "at_time": "9 o'clock"}, "trigger.at_time"),
    ],
)
def test_a_bad_schedule_is_refused_naming_its_field(schedule, field):
    # given a schedule with one bad field
    # when it is parsed
    with pytest.raises(FieldError) as refused:
        parse_trigger({"type": "recurring", **schedule})

    # then the field is named
    assert refused.value.field == field
