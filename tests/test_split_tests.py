"""Broadcast A/B with a test share: variants to N % first, the winner to the rest, once."""

import threading
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import connection, connections, transaction
from graphql_relay import to_global_id

from saleor_ma_plugin.attribution import AttributionModel
from saleor_ma_plugin.attribution.models import Conversion
from saleor_ma_plugin.attribution.split_tests import decide_split_tests
from saleor_ma_plugin.campaigns import DecisionSource, EnrollmentStatus
from saleor_ma_plugin.campaigns.editing import CampaignSpec, StepSpec, create_campaign
from saleor_ma_plugin.campaigns.models import Enrollment, ExperimentDecision, Step
from saleor_ma_plugin.campaigns.split_test import HELD_KEY, RECHECK, in_test_share
from saleor_ma_plugin.campaigns.triggers.broadcast import launch_broadcast
from saleor_ma_plugin.contacts.models import Contact
from saleor_ma_plugin.core.errors import FieldError
from saleor_ma_plugin.messaging import MessageStatus
from saleor_ma_plugin.messaging.models import Message
from saleor_ma_plugin.tasks import decide_experiments
from tests.api_helpers import post, staff
from tests.campaign_helpers import campaign, run_all

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
DEADLINE = NOW + timedelta(hours=4)
AUDIENCE = 200


@pytest.fixture
def frozen_time():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def split_config(metric="opens", share=20, **extra) -> dict:
    return {
        "variants": [
            {"name": "A", "next": "send-a"},
            {"name": "B", "next": "send-b"},
        ],
        "test": {"share": share, "decide_after": {"hours": 4}, "metric": metric},
        **extra,
    }


def broadcast(metric="opens", share=20):
    return campaign(
        {"type": "broadcast"},
        StepSpec("ab", "split", split_config(metric, share)),
        StepSpec("send-a", "send", {"template": "subject_a"}),
        StepSpec("send-b", "send", {"template": "subject_b"}),
        name="Spring sale subject test",
        kind="newsletter",
    )


def launched(metric="opens", share=20):
    """A broadcast launched to AUDIENCE contacts at NOW, its test share sent."""
    Contact.objects.bulk_create([Contact(email=f"reader{i}@example.com") for i in range(AUDIENCE)])
    flow = broadcast(metric, share)
    assert launch_broadcast(flow, NOW) == AUDIENCE
    run_all(NOW)
    Message.objects.filter(campaign=flow).update(status=MessageStatus.SENT, sent_at=NOW)
    flow.refresh_from_db()
    return flow


def share_members(flow) -> set[int]:
    return {
        contact_id
        for contact_id in Contact.objects.values_list("pk", flat=True)
        if in_test_share(flow.pk, contact_id, "ab", 20)
    }


def engage(flow, template: str, count: int, **fields) -> None:
    ids = list(
        Message.objects.filter(campaign=flow, template=template)
        .order_by("pk")
        .values_list("pk", flat=True)[:count]
    )
    Message.objects.filter(pk__in=ids).update(**fields)


def messages_per_contact(flow) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for contact_id, template in Message.objects.filter(campaign=flow).values_list(
        "contact_id", "template"
    ):
        found.setdefault(contact_id, []).append(template)
    return found


@pytest.mark.django_db
def test_variants_go_to_the_test_share_only_and_the_rest_is_held(frozen_time):
    # given / when: a broadcast with a 20 % test share is launched and run
    flow = launched()

    # then: exactly the contacts in the share got one variant each; the others got nothing
    share = share_members(flow)
    sent = messages_per_contact(flow)
    assert set(sent) == share
    assert all(len(templates) == 1 for templates in sent.values())
    assert {"subject_a", "subject_b"} == {t for templates in sent.values() for t in templates}
    held = Enrollment.objects.filter(campaign=flow, step_key="ab", status=EnrollmentStatus.ACTIVE)
    assert held.count() == AUDIENCE - len(share)
    assert set(held.values_list("next_run_at", flat=True)) == {DEADLINE}
    assert all(run.context[HELD_KEY] == "ab" for run in held)
    assert 10 < len(share) < 70  # the hash spreads: about 20 % of 200
    assert ExperimentDecision.objects.count() == 0


@pytest.mark.django_db
def test_winner_by_opens_goes_to_the_rest_and_the_decision_is_recorded(frozen_time):
    # given: variant B's subject was opened more often during the test
    flow = launched("opens")
    engage(flow, "subject_a", 1, opened_at=NOW)
    engage(flow, "subject_b", 8, opened_at=NOW)

    # when: the time is up and the experiments tick runs, then the runner
    frozen_time.move_to(DEADLINE)
    assert decide_experiments() == 1
    run_all(DEADLINE)

    # then: B won on opens, with its figures; every contact has exactly one message
    decision = ExperimentDecision.objects.get(campaign=flow, step_key="ab")
    assert (decision.winner, decision.source) == ("B", DecisionSource.TEST_SHARE)
    assert (decision.metric, decision.basis) == ("opens", "metric")
    assert decision.decided_at == DEADLINE
    share = share_members(flow)
    by_variant = {
        name: Enrollment.objects.filter(
            campaign=flow, contact_id__in=share, context__variants__ab=name
        ).count()
        for name in ("A", "B")
    }
    assert decision.results["A"]["recipients"] == by_variant["A"]
    assert decision.results["B"]["recipients"] == by_variant["B"]
    assert (decision.results["A"]["opened"], decision.results["B"]["opened"]) == (1, 8)
    assert decision.probabilities["B"] > 0.9
    sent = messages_per_contact(flow)
    assert len(sent) == AUDIENCE
    assert all(len(templates) == 1 for templates in sent.values())
    rest = set(sent) - share
    assert {sent[contact][0] for contact in rest} == {"subject_b"}
    assert not Enrollment.objects.filter(campaign=flow, context__has_key=HELD_KEY).exists()


@pytest.mark.django_db
def test_deciding_twice_stores_one_decision_and_sends_nothing_twice(frozen_time):
    # given: a decided test whose winner went out
    flow = launched("clicks")
    engage(flow, "subject_a", 3, clicked_at=NOW)
    frozen_time.move_to(DEADLINE)
    first = decide_split_tests(DEADLINE)
    run_all(DEADLINE)
    messages = Message.objects.filter(campaign=flow).count()

    # when: the tick runs again (a duplicate beat, a second worker), and the runner too
    again = decide_split_tests(DEADLINE + timedelta(minutes=1))
    run_all(DEADLINE + timedelta(minutes=1))

    # then: one decision (A, by clicks), no new message
    assert [d.winner for d in first] == ["A"]
    assert again == []
    assert ExperimentDecision.objects.filter(campaign=flow).count() == 1
    assert Message.objects.filter(campaign=flow).count() == messages == AUDIENCE


@pytest.mark.django_db
def test_without_any_data_the_first_variant_wins(frozen_time):
    # given: nobody opened anything during the test
    flow = launched("opens")

    # when
    frozen_time.move_to(DEADLINE)
    decide_split_tests(DEADLINE)

    # then: the documented rule decides: the first variant, basis "no_data"
    decision = ExperimentDecision.objects.get(campaign=flow)
    assert (decision.winner, decision.basis) == ("A", "no_data")


@pytest.mark.django_db
def test_revenue_decides_by_revenue_per_recipient(frozen_time):
    # given: A earned one big order, B two small ones
    flow = launched("revenue")
    for variant, amounts in (("A", ["90.00"]), ("B", ["10.00", "15.00"])):
        runs = Enrollment.objects.filter(campaign=flow, context__variants__ab=variant)
        for index, (run, total) in enumerate(zip(runs, amounts, strict=False)):
            Conversion.objects.create(
                order_id=f"{variant}-{index}",
                model=AttributionModel.LAST_TOUCH,
                contact_id=run.contact_id,
                campaign=flow,
                enrollment=run,
                step_key=f"send-{variant.lower()}",
                revenue=Decimal(total),
                currency="EUR",
                touch="click",
                occurred_at=NOW,
            )

    # when
    frozen_time.move_to(DEADLINE)
    decide_split_tests(DEADLINE)

    # then
    decision = ExperimentDecision.objects.get(campaign=flow)
    assert (decision.winner, decision.metric, decision.basis) == ("A", "revenue", "metric")
    assert decision.results["A"]["revenue"] == "90.000"
    assert decision.results["B"]["revenue"] == "25.000"
    assert decision.results["B"]["currency"] == "EUR"


@pytest.mark.django_db
def test_held_runs_that_wake_before_the_decision_wait_again_and_get_nothing(frozen_time):
    # given: the time is up but no tick has decided yet
    flow = launched()
    before = Message.objects.filter(campaign=flow).count()

    # when: the held runs come due
    frozen_time.move_to(DEADLINE)
    run_all(DEADLINE)

    # then: nothing is sent; they look again RECHECK later
    assert Message.objects.filter(campaign=flow).count() == before
    held = Enrollment.objects.filter(campaign=flow, context__has_key=HELD_KEY)
    assert set(held.values_list("next_run_at", flat=True)) == {DEADLINE + RECHECK}


@pytest.mark.django_db
def test_no_decision_before_the_time_is_up(frozen_time):
    # given
    flow = launched()
    engage(flow, "subject_b", 5, opened_at=NOW)

    # when: the tick runs a minute early
    decided = decide_split_tests(DEADLINE - timedelta(minutes=1))

    # then
    assert decided == []
    assert not ExperimentDecision.objects.filter(campaign=flow).exists()


@pytest.fixture
def row_locks(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")


def test_a_worker_deciding_the_split_makes_another_skip_it(row_locks, frozen_time):
    # given: another worker holds the split step's row while deciding
    flow = launched()
    locked, release = threading.Event(), threading.Event()

    def other_worker():
        with transaction.atomic():
            Step.objects.select_for_update().get(campaign=flow, key="ab")
            locked.set()
            release.wait(10)
        connections.close_all()

    thread = threading.Thread(target=other_worker)
    thread.start()
    locked.wait(10)

    # when: this worker's tick runs meanwhile
    try:
        skipped = decide_split_tests(DEADLINE)
    finally:
        release.set()
        thread.join()

    # then: it skipped the step; once free, one decision is stored
    assert skipped == []
    assert not ExperimentDecision.objects.filter(campaign=flow).exists()
    assert len(decide_split_tests(DEADLINE)) == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("config", "field"),
    [
        (split_config(share=0), "steps[0].config.test.share"),
        (split_config(share=100), "steps[0].config.test.share"),
        (split_config(metric="likes"), "steps[0].config.test.metric"),
        ({**split_config(), "winner": {}}, "steps[0].config.test"),
        (
            {**split_config(), "test": {"share": 20, "decide_after": {}, "metric": "opens"}},
            "steps[0].config.test.decide_after",
        ),
        (
            {**split_config(), "test": {"share": 20, "metric": "opens"}},
            "steps[0].config.test.decide_after",
        ),
        (
            {**split_config(), "test": {**split_config()["test"], "size": 3}},
            "steps[0].config.test.size",
        ),
    ],
)
def test_invalid_test_shares_are_refused_with_the_field(config, field):
    # given / when
    with pytest.raises(FieldError) as refused:
        create_campaign_with(config)

    # then: the field is named and no campaign was stored
    assert refused.value.field == field
    assert not Step.objects.exists()


def create_campaign_with(config):
    return create_campaign(
        CampaignSpec(
            name="Bad test",
            kind="newsletter",
            trigger={"type": "broadcast"},
            steps=(
                StepSpec("ab", "split", config),
                StepSpec("send-a", "send", {"template": "a"}),
                StepSpec("send-b", "send", {"template": "b"}),
            ),
        )
    )


REPORT = """
query report($id: ID!) {
  campaignReport(id: $id) {
    experimentDecisions {
      stepKey winner source metric basis decidedAt probabilities results
    }
  }
}
"""


@pytest.mark.django_db
def test_the_campaign_report_shows_the_decision_and_its_figures(client, frozen_time):
    # given: a decided test
    flow = launched("opens")
    engage(flow, "subject_b", 4, opened_at=NOW)
    frozen_time.move_to(DEADLINE)
    decide_split_tests(DEADLINE)
    staff(client, "manage_marketing")

    # when
    report = post(client, REPORT, {"id": to_global_id("Campaign", flow.pk)})

    # then
    [decision] = report["data"]["campaignReport"]["experimentDecisions"]
    stored = ExperimentDecision.objects.get(campaign=flow)
    assert decision == {
        "stepKey": "ab",
        "winner": "B",
        "source": "TEST_SHARE",
        "metric": "OPENS",
        "basis": "METRIC",
        "decidedAt": DEADLINE.isoformat(),
        "probabilities": stored.probabilities,
        "results": stored.results,
    }
