"""A/B experiments (results, Bayesian and forced winners) and holdout uplift."""

import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine

from saleor_ma_plugin.attribution import AttributionModel, Touch
from saleor_ma_plugin.attribution.experiments import (
    WinnerRule,
    decide,
    decide_winners,
    experiment_results,
    parse_winner_rule,
    probability_b_beats_a,
    probability_best,
)
from saleor_ma_plugin.attribution.models import Conversion
from saleor_ma_plugin.campaigns import DecisionSource
from saleor_ma_plugin.campaigns.editing import StepSpec
from saleor_ma_plugin.campaigns.enrolling import enroll
from saleor_ma_plugin.campaigns.holdout import holdout_point, is_held_out
from saleor_ma_plugin.campaigns.models import Campaign, Enrollment, ExperimentDecision
from saleor_ma_plugin.contacts.models import Contact
from saleor_ma_plugin.core.errors import FieldError
from saleor_ma_plugin.messaging import MessageStatus
from saleor_ma_plugin.messaging.models import Message
from saleor_ma_plugin.reporting.attribution import holdout_uplift, uplift_from
from saleor_ma_plugin.tasks import decide_experiments
from tests.campaign_helpers import campaign, run_all

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
MANUAL = {"type": "manual"}


@pytest.fixture(autouse=True)
def frozen_time():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def split_campaign(winner=None, weights=(1, 1), name="Subject test"):
    config = {
        "variants": [
            {"name": "A", "weight": weights[0], "next": "send-a"},
            {"name": "B", "weight": weights[1], "next": "send-b"},
        ]
    }
    if winner is not None:
        config["winner"] = winner
    return campaign(
        MANUAL,
        StepSpec("ab", "split", config),
        StepSpec("send-a", "send", {"template": "subject_a"}),
        StepSpec("send-b", "send", {"template": "subject_b"}),
        name=name,
    )


_people = iter(range(1_000_000))


def enrol(flow, count: int) -> list[Enrollment]:
    contacts = Contact.objects.bulk_create(
        [Contact(email=f"p{next(_people)}@example.com") for _ in range(count)]
    )
    runs = [enroll(flow, contact, "k", now=NOW) for contact in contacts]
    run_all(NOW)
    Message.objects.filter(campaign=flow).update(status=MessageStatus.SENT, sent_at=NOW)
    return [Enrollment.objects.get(pk=run.pk) for run in runs]


_orders = iter(range(1_000_000))


def convert(run: Enrollment, revenue="10.00", model=AttributionModel.LAST_TOUCH, touch="click"):
    return Conversion.objects.create(
        order_id=f"order-{next(_orders)}",
        model=model,
        contact_id=run.contact_id,
        campaign_id=run.campaign_id,
        enrollment=run,
        step_key=f"send-{run.context.get('variant', 'a').lower()}",
        revenue=Decimal(revenue),
        currency="EUR",
        touch=touch,
        occurred_at=NOW,
    )


def convert_share(runs, variant: str, rate: float, revenue="10.00") -> int:
    taking = [run for run in runs if run.context["variants"]["ab"] == variant]
    chosen = taking[: round(len(taking) * rate)]
    for run in chosen:
        convert(run, revenue)
    return len(chosen)


# --------------------------------------------------------------------------- statistics


def test_probability_of_being_best_exact_for_two_variants():
    # equal data: a coin toss; more conversions: more likely best
    assert probability_b_beats_a((100, 10), (100, 10)) == pytest.approx(0.5, abs=1e-9)
    assert probability_b_beats_a((100, 10), (100, 20)) == pytest.approx(
        1 - probability_b_beats_a((100, 20), (100, 10)), abs=1e-9
    )
    # against a plain Monte-Carlo estimate
    rng = random.Random(7)
    draws = 200_000
    wins = sum(rng.betavariate(21, 81) > rng.betavariate(11, 91) for _ in range(draws))
    assert probability_b_beats_a((100, 10), (100, 20)) == pytest.approx(wins / draws, abs=0.005)


def test_probability_of_being_best_for_more_variants_is_seeded_and_sums_to_one():
    counts = [(200, 20), (200, 30), (200, 22)]

    first, second = probability_best(counts, seed=11), probability_best(counts, seed=11)

    assert first == second
    assert sum(first) == pytest.approx(1.0)
    assert max(range(3), key=first.__getitem__) == 1
    assert probability_best([(10, 1)]) == [1.0]
    assert probability_best([]) == []


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ({}, None),
        ({"winner": False}, None),
        ({"winner": True}, WinnerRule(200, 0.9)),
        ({"winner": {}}, WinnerRule(200, 0.9)),
        ({"winner": {"min_recipients": 50, "probability": 0.95}}, WinnerRule(50, 0.95)),
    ],
)
def test_winner_rules(config, expected):
    assert parse_winner_rule(config) == expected


@pytest.mark.parametrize(
    ("winner", "field"),
    [
        ("yes", "config.winner"),
        ({"min_recipients": 0}, "config.winner.min_recipients"),
        ({"min_recipients": "200"}, "config.winner.min_recipients"),
        ({"probability": 1}, "config.winner.probability"),
        ({"probability": 0.4}, "config.winner.probability"),
        ({"probabilty": 0.9}, "config.winner.probabilty"),
    ],
)
def test_invalid_winner_rules_name_the_field(winner, field):
    with pytest.raises(FieldError) as error:
        parse_winner_rule({"winner": winner})
    assert error.value.field == field


# --------------------------------------------------------------------------- results


def test_results_per_variant():
    # given
    flow = split_campaign()
    runs = enrol(flow, 60)
    converted_a = convert_share(runs, "A", 0.5, "20.00")
    converted_b = convert_share(runs, "B", 0.1)
    convert(next(run for run in runs if run.context["variants"]["ab"] == "A"), "5.00")

    # when
    results = experiment_results(flow, "ab")

    # then
    a, b = results.variants
    taking_a = sum(run.context["variants"]["ab"] == "A" for run in runs)
    assert (a.recipients, b.recipients) == (taking_a, 60 - taking_a)
    assert (a.sent, b.sent) == (taking_a, 60 - taking_a)
    assert (a.conversions, a.orders) == (converted_a, converted_a + 1)
    assert a.revenue == Decimal("20.00") * converted_a + Decimal("5.00")
    assert (b.conversions, b.revenue) == (converted_b, Decimal("10.00") * converted_b)
    assert a.conversion_rate == converted_a / taking_a
    assert a.probability_best + b.probability_best == pytest.approx(1.0)
    assert a.probability_best > 0.95
    assert (results.rule, results.decision, results.currency) == (None, None, "EUR")


def test_results_of_an_unknown_or_other_step():
    flow = split_campaign()

    assert experiment_results(flow, "nope") is None
    with pytest.raises(FieldError):
        experiment_results(flow, "send-a")


# --------------------------------------------------------------------------- decisions


def test_no_winner_before_every_variant_has_enough_recipients():
    # given a clear difference but fewer than 100 recipients per variant
    flow = split_campaign({"min_recipients": 100})
    runs = enrol(flow, 120)
    convert_share(runs, "A", 0.5)

    # when
    decided = decide_winners()

    # then
    assert decided == []
    assert not ExperimentDecision.objects.exists()


def test_no_winner_while_the_data_are_unclear():
    # given
    flow = split_campaign({"min_recipients": 20})
    runs = enrol(flow, 80)
    convert_share(runs, "A", 0.2)
    convert_share(runs, "B", 0.2)

    # when / then
    assert decide_winners() == []


def test_no_winner_without_a_rule():
    # given
    runs = enrol(split_campaign(), 80)
    convert_share(runs, "A", 0.5)

    # when / then
    assert decide_winners() == []


def test_a_clear_winner_is_decided_and_then_takes_all_traffic():
    # given
    flow = split_campaign({"min_recipients": 20, "probability": 0.9})
    runs = enrol(flow, 80)
    convert_share(runs, "B", 0.4)
    convert_share(runs, "A", 0.05)

    # when
    [decision] = decide_winners()
    again = decide_experiments()
    later = enrol(flow, 30)

    # then
    assert (decision.campaign, decision.step_key, decision.winner) == (flow, "ab", "B")
    assert decision.source == DecisionSource.AUTOMATIC
    assert decision.probabilities["B"] >= 0.9
    assert decision.results["A"]["recipients"] + decision.results["B"]["recipients"] == 80
    assert again == 0
    assert {run.context["variants"]["ab"] for run in later} == {"B"}
    assert set(
        Message.objects.filter(enrollment__in=later).values_list("template", flat=True)
    ) == {"subject_b"}
    assert experiment_results(flow, "ab").decision == decision


def test_variants_without_traffic_do_not_block_a_winner():
    # given a split whose B gets nothing
    flow = split_campaign({"min_recipients": 10}, weights=(1, 0))
    runs = enrol(flow, 20)
    convert_share(runs, "A", 0.1)

    # when / then: one competing variant is no experiment
    assert decide_winners() == []


def test_an_admin_forces_a_winner_and_may_change_it():
    # given
    flow = split_campaign()
    enrol(flow, 10)

    # when
    first = decide(flow, "ab", "A")
    second = decide(flow, "ab", "B")
    later = enrol(flow, 10)

    # then
    assert first.pk == second.pk
    assert (second.winner, second.source) == ("B", DecisionSource.MANUAL)
    assert ExperimentDecision.objects.count() == 1
    assert {run.context["variants"]["ab"] for run in later} == {"B"}


@pytest.mark.parametrize(
    ("step_key", "variant", "field"),
    [("ab", "C", "variant"), ("nope", "A", "stepKey"), ("send-a", "A", "stepKey")],
)
def test_forcing_an_unknown_variant_or_step_is_refused(step_key, variant, field):
    # given
    flow = split_campaign()

    # when
    with pytest.raises(FieldError) as error:
        decide(flow, step_key, variant)

    # then
    assert error.value.field == field
    assert not ExperimentDecision.objects.exists()


def test_an_automatic_decision_never_replaces_an_existing_one():
    # given
    flow = split_campaign({"min_recipients": 20})
    runs = enrol(flow, 80)
    convert_share(runs, "B", 0.5)
    decide(flow, "ab", "A")

    # when / then
    assert decide_winners() == []
    assert ExperimentDecision.objects.get().winner == "A"


# --------------------------------------------------------------------------- holdout


def test_holdout_membership_is_deterministic_and_proportional():
    points = [holdout_point(7, contact_id) for contact_id in range(4000)]

    assert points == [holdout_point(7, contact_id) for contact_id in range(4000)]
    share = sum(is_held_out(7, contact_id, 20) for contact_id in range(4000)) / 4000
    assert share == pytest.approx(0.2, abs=0.02)
    assert not any(is_held_out(7, contact_id, 0) for contact_id in range(4000))
    capped = sum(is_held_out(7, contact_id, 90) for contact_id in range(4000)) / 4000
    assert capped == pytest.approx(0.5, abs=0.03)


def test_held_out_runs_take_splits_but_are_no_recipients():
    # given
    flow = split_campaign()
    Campaign.objects.filter(pk=flow.pk).update(holdout_share=50)

    # when
    runs = enrol(flow, 40)
    results = experiment_results(Campaign.objects.get(pk=flow.pk), "ab")

    # then
    held = [run for run in runs if run.context["holdout"]]
    assert held
    assert not Message.objects.filter(enrollment__in=held).exists()
    assert all("ab" in run.context["variants"] for run in held)
    assert sum(variant.recipients for variant in results.variants) == 40 - len(held)


def test_uplift_from_a_constructed_data_set():
    # 100 treated runs, 20 converted, revenue 10 each except one of 30 (total 220);
    # 50 held-out runs, 5 converted with 10 each (total 50)
    uplift = uplift_from(
        100,
        20,
        [Decimal("10")] * 19 + [Decimal("30")],
        50,
        5,
        [Decimal("10")] * 5,
    )

    # rates 0.2 and 0.1; se = sqrt(0.2 * 0.8 / 100 + 0.1 * 0.9 / 50) = sqrt(0.0034)
    assert (uplift.treated_rate, uplift.holdout_rate) == (0.2, 0.1)
    assert uplift.uplift == pytest.approx(0.1)
    assert uplift.low == pytest.approx(0.1 - 1.959963984540054 * 0.0034**0.5)
    assert uplift.high == pytest.approx(0.1 + 1.959963984540054 * 0.0034**0.5)
    assert uplift.low == pytest.approx(-0.014285, abs=1e-6)
    assert uplift.high == pytest.approx(0.214285, abs=1e-6)
    assert uplift.relative_uplift == pytest.approx(1.0)
    # revenue per run 2.20 and 1.00; sample variances (2800 - 100 * 2.2^2) / 99 and
    # (500 - 50 * 1^2) / 49, so se = sqrt(23.3939.../100 + 9.1836.../50)
    assert (uplift.revenue_per_contact_treated, uplift.revenue_per_contact_holdout) == (
        Decimal("2.200"),
        Decimal("1.000"),
    )
    assert uplift.revenue_uplift == Decimal("1.200")
    error = (2316 / 99 / 100 + 450 / 49 / 50) ** 0.5
    assert float(uplift.revenue_low) == pytest.approx(1.2 - 1.959963984540054 * error, abs=1e-3)
    assert float(uplift.revenue_high) == pytest.approx(1.2 + 1.959963984540054 * error, abs=1e-3)


def test_uplift_of_a_campaign_from_its_runs_and_comparison_rows():
    # given 10 treated runs (4 converted) and 5 held-out runs (1 converted), set up directly
    flow = split_campaign(name="Uplift")
    Campaign.objects.filter(pk=flow.pk).update(holdout_share=30)
    flow.refresh_from_db()
    contacts = Contact.objects.bulk_create([Contact(email=f"u{n}@example.com") for n in range(15)])
    runs = [
        Enrollment.objects.create(
            campaign=flow,
            contact=contact,
            trigger_key="k",
            started_at=NOW - timedelta(days=3),
            context={"holdout": index >= 10},
        )
        for index, contact in enumerate(contacts)
    ]
    for run in runs[:4]:
        convert(run, "25.00", AttributionModel.HOLDOUT_TEST, Touch.TREATED)
    convert(runs[0], "15.00", AttributionModel.LAST_TOUCH)  # not part of the comparison
    convert(runs[10], "50.00", AttributionModel.HOLDOUT_TEST, Touch.HOLDOUT)

    # when
    uplift = holdout_uplift(flow)

    # then
    assert (uplift.treated_contacts, uplift.holdout_contacts) == (10, 5)
    assert (uplift.treated_conversions, uplift.holdout_conversions) == (4, 1)
    assert (uplift.treated_rate, uplift.holdout_rate) == (0.4, 0.2)
    assert uplift.uplift == pytest.approx(0.2)
    error = (0.4 * 0.6 / 10 + 0.2 * 0.8 / 5) ** 0.5
    assert (uplift.low, uplift.high) == (
        pytest.approx(0.2 - 1.959963984540054 * error),
        pytest.approx(0.2 + 1.959963984540054 * error),
    )
    assert (uplift.revenue_per_contact_treated, uplift.revenue_per_contact_holdout) == (
        Decimal("10.000"),
        Decimal("10.000"),
    )
    assert uplift.revenue_uplift == Decimal("0.000")
    assert uplift.holdout_share == 30


def test_no_uplift_without_a_holdout():
    assert holdout_uplift(split_campaign()) is None
