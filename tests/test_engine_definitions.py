"""Campaign definitions: validation, presets, dry runs."""

from datetime import UTC, datetime, timedelta

import pytest

from saleor_ma_plugin.campaigns.dry_run import count_entrants, dry_run
from saleor_ma_plugin.campaigns.editing import CampaignSpec, StepSpec, activate, create_campaign
from saleor_ma_plugin.campaigns.models import Campaign, Enrollment, Step
from saleor_ma_plugin.campaigns.presets import PRESETS, build_preset, create_from_preset
from saleor_ma_plugin.campaigns.runner import run_due_enrollments
from saleor_ma_plugin.contacts.models import Contact, ContactTag
from saleor_ma_plugin.core.errors import FieldError
from saleor_ma_plugin.messaging.models import Message
from tests.campaign_helpers import subscribe

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def spec(*steps, trigger=None, **fields):
    return CampaignSpec(
        name="c", kind="nurturing", trigger=trigger or {"type": "manual"}, steps=steps, **fields
    )


@pytest.mark.parametrize(
    ("campaign_spec", "field", "code"),
    [
        (
            spec(
                StepSpec("a", "send", {"template": "t"}, "b"),
                StepSpec("b", "send", {"template": "t"}, "a"),
            ),
            "steps.a",
            "cycle",
        ),
        (spec(StepSpec("a", "send", {"template": "t"}, "missing")), "steps.a", "not_found"),
        (
            spec(
                StepSpec("a", "send", {"template": "t"}), StepSpec("b", "send", {"template": "t"})
            ),
            "steps.b",
            "unreachable",
        ),
        (spec(StepSpec("a", "send", {})), "steps[0].config.template", "required"),
        (spec(StepSpec("a", "wait", {"days": "soon"})), "steps[0].config", "invalid"),
        (
            spec(StepSpec("a", "voucher", {"discount_value": "150"})),
            "steps[0].config.discount_value",
            "invalid",
        ),
        (
            spec(StepSpec("a", "split", {"variants": [{"name": "A", "next": "a"}]})),
            "steps[0].config.variants",
            "invalid",
        ),
        (spec(StepSpec("a", "webhook", {"url": "ftp://x"})), "steps[0].config.url", "invalid"),
        (
            spec(
                StepSpec(
                    "a",
                    "branch",
                    {"condition": {"field": "password", "op": "eq"}, "then": "a", "else": "a"},
                )
            ),
            "steps[0].config.condition.field",
            "invalid",
        ),
        (
            spec(StepSpec("a", "send", {"template": "t"}), trigger={"type": "sometimes"}),
            "trigger.type",
            "invalid",
        ),
        (
            spec(
                StepSpec("a", "send", {"template": "t"}), trigger={"type": "inactivity", "days": 0}
            ),
            "trigger.days",
            "invalid",
        ),
        (
            spec(StepSpec("a", "send", {"template": "t"}), audience={"vip": True}),
            "audience.vip",
            "invalid",
        ),
        (
            spec(StepSpec("a", "send", {"template": "t"}), goal={"where": {}}),
            "goal.event",
            "required",
        ),
    ],
)
def test_invalid_definitions_are_refused_naming_the_field_and_store_nothing(
    campaign_spec, field, code
):
    # when
    with pytest.raises(FieldError) as raised:
        create_campaign(campaign_spec)

    # then
    assert (raised.value.field, raised.value.code) == (field, code)
    assert not Campaign.objects.exists()
    assert not Step.objects.exists()


def test_a_campaign_without_steps_cannot_be_activated():
    # given
    campaign = create_campaign(spec())

    # when / then
    with pytest.raises(FieldError):
        activate(campaign)
    campaign.refresh_from_db()
    assert campaign.status == "draft"


@pytest.mark.parametrize("slug", sorted(PRESETS))
def test_every_preset_creates_a_valid_campaign_that_activates(slug):
    # when
    campaign = activate(create_from_preset(slug))

    # then
    assert campaign.preset == slug
    assert campaign.status == "active"
    assert campaign.steps.count() == len(build_preset(slug).steps)


def test_preset_parameters_shape_the_campaign():
    # when
    campaign = create_from_preset("abandoned_checkout", {"delay_hours": 1, "discount_percent": 20})

    # then
    assert campaign.trigger["within"] == {"hours": 1}
    assert campaign.steps.get(key="code").config["discount_value"] == "20"


def test_unknown_preset_parameter_is_refused():
    with pytest.raises(FieldError) as raised:
        create_from_preset("win_back", {"dayz": 30})
    assert raised.value.field == "params.dayz"
    assert not Campaign.objects.exists()


def test_dry_run_shows_the_path_and_times_and_writes_nothing():
    # given
    contact = Contact.objects.create(email="anna@example.com", timezone="UTC")
    subscribe(contact)
    campaign = activate(create_from_preset("abandoned_checkout"))

    # when
    result = dry_run(campaign, contact, now=NOW)

    # then
    assert result.eligible is True
    assert [(step.key, step.at) for step in result.steps] == [
        ("reminder", NOW),
        ("wait_second", NOW + timedelta(hours=22)),
        ("second", NOW + timedelta(hours=22)),
        ("wait_last", NOW + timedelta(days=2, hours=22)),
        ("code", NOW + timedelta(days=2, hours=22)),
        ("last", NOW + timedelta(days=2, hours=22)),
    ]
    assert not Enrollment.objects.exists()
    assert not Message.objects.exists()


def test_dry_run_follows_branches_and_reports_ineligibility():
    # given
    contact = Contact.objects.create(email="anna@example.com")
    ContactTag.objects.create(contact=contact, name="vip")
    campaign = activate(
        create_campaign(
            spec(
                StepSpec(
                    "check", "branch", {"condition": {"tag": "vip"}, "then": "vip", "else": "std"}
                ),
                StepSpec("vip", "send", {"template": "vip"}),
                StepSpec("std", "send", {"template": "std"}),
                audience={"consent": {"channel": "email"}},
            )
        )
    )

    # when
    result = dry_run(campaign, contact, now=NOW)

    # then
    assert (result.eligible, result.reason) == (False, "not_in_audience")
    assert [step.key for step in result.steps] == ["check", "vip"]


def test_count_entrants_for_inactivity():
    # given
    campaign = activate(
        create_campaign(
            spec(
                StepSpec("a", "send", {"template": "t"}),
                trigger={"type": "inactivity", "days": 30},
            )
        )
    )
    Contact.objects.create(email="a@example.com", last_order_at=NOW - timedelta(days=40))
    Contact.objects.create(email="b@example.com", last_order_at=NOW - timedelta(days=5))

    # then
    assert count_entrants(campaign, NOW) == 1
    assert run_due_enrollments(now=NOW) == 0
