import hashlib
import hmac
import json
import threading
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
import time_machine

from saleor_ma_plugin.campaigns import CampaignStatus, EnrollmentStatus
from saleor_ma_plugin.campaigns.editing import StepSpec, activate, archive, pause, remove_step
from saleor_ma_plugin.campaigns.enrolling import enroll
from saleor_ma_plugin.campaigns.models import Enrollment
from saleor_ma_plugin.contacts import ConsentMethod
from saleor_ma_plugin.contacts.models import ConsentEvent, Contact, ContactTag
from saleor_ma_plugin.core.signing import signing_key
from saleor_ma_plugin.events import EventSource, EventType
from saleor_ma_plugin.events.intake import order_events
from saleor_ma_plugin.messaging import MessageStatus
from saleor_ma_plugin.messaging.models import Message, WebhookDelivery
from saleor_ma_plugin.messaging.webhooks import SIGNATURE_HEADER, deliver_due_webhooks
from saleor_ma_plugin.vouchers.models import IssuedVoucher
from tests import factories
from tests.campaign_helpers import campaign, ingest, run_all, sent_templates, subscribe

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)  # a Monday
MANUAL = {"type": "manual"}


@pytest.fixture(autouse=True)
def frozen_time():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def contact():
    return Contact.objects.create(email="anna@example.com", timezone="Europe/Berlin")


def start(flow_campaign, contact, key="k"):
    return enroll(flow_campaign, contact, key, now=NOW)


def test_send_creates_one_outbox_message_with_an_idempotency_key(contact):
    # given
    run = start(
        campaign(MANUAL, StepSpec("hello", "send", {"template": "welcome_1", "topic": "news"})),
        contact,
    )

    # when
    run_all(NOW)
    run_all(NOW)

    # then
    message = Message.objects.get()
    assert message.idempotency_key == f"enrollment:{run.pk}:hello"
    assert (message.template, message.topic, message.status) == (
        "welcome_1",
        "news",
        MessageStatus.QUEUED,
    )
    assert Enrollment.objects.get().status == EnrollmentStatus.COMPLETED


def test_wait_for_a_duration(frozen_time, contact):
    # given
    start(
        campaign(
            MANUAL,
            StepSpec("wait", "wait", {"days": 1, "hours": 2}, "send"),
            StepSpec("send", "send", {"template": "t"}),
        ),
        contact,
    )

    # when
    run_all(NOW)
    waiting = Enrollment.objects.get()
    frozen_time.move_to(NOW + timedelta(days=1, hours=2))
    run_all(NOW + timedelta(days=1, hours=2))

    # then
    assert waiting.next_run_at == NOW + timedelta(days=1, hours=2)
    assert sent_templates() == ["t"]


def test_wait_until_a_local_time_on_weekdays(contact):
    # given Monday 13:00 in Berlin; send at 10:00 local on Tuesday to Thursday only
    start(
        campaign(
            MANUAL,
            StepSpec("wait", "wait", {"until_time": "10:00", "weekdays": [1, 2, 3]}, "send"),
            StepSpec("send", "send", {"template": "t"}),
        ),
        contact,
    )

    # when
    run_all(NOW)

    # then: Tuesday 10:00 CET is 09:00 UTC
    assert Enrollment.objects.get().next_run_at == datetime(2026, 3, 3, 9, 0, tzinfo=UTC)


def test_wait_until_a_date_attribute(contact):
    # given
    contact.birthday = date(1990, 3, 20)
    contact.save()
    start(
        campaign(
            MANUAL,
            StepSpec(
                "wait",
                "wait",
                {"until_attribute": "birthday", "offset_days": -3, "until_time": "08:00"},
                "send",
            ),
            StepSpec("send", "send", {"template": "t"}),
        ),
        contact,
    )

    # when
    run_all(NOW)

    # then: 17 March 08:00 Berlin
    assert Enrollment.objects.get().next_run_at == datetime(2026, 3, 17, 7, 0, tzinfo=UTC)


def branch_campaign(condition):
    return campaign(
        MANUAL,
        StepSpec("check", "branch", {"condition": condition, "then": "yes", "else": "no"}),
        StepSpec("yes", "send", {"template": "yes"}),
        StepSpec("no", "send", {"template": "no"}),
    )


@pytest.mark.parametrize(
    ("condition", "prepare", "expected"),
    [
        ({"tag": "vip"}, lambda c: ContactTag.objects.create(contact=c, name="vip"), "yes"),
        ({"tag": "vip"}, lambda c: None, "no"),
        (
            {"field": "contact.timezone", "op": "eq", "value": "Europe/Berlin"},
            lambda c: None,
            "yes",
        ),
        ({"not": {"consent": {"channel": "email"}}}, lambda c: subscribe(c), "no"),
    ],
)
def test_branch_on_contact_data(contact, condition, prepare, expected):
    # given
    prepare(contact)
    start(branch_campaign(condition), contact)

    # when
    run_all(NOW)

    # then
    assert sent_templates() == [expected]


def test_branch_on_an_event_since_enrolment(frozen_time, contact):
    # given
    flow = campaign(
        MANUAL,
        StepSpec("wait", "wait", {"days": 2}, "check"),
        StepSpec(
            "check",
            "branch",
            {
                "condition": {"event": {"type": "order.created", "since": "enrollment"}},
                "then": "thanks",
                "else": "nudge",
            },
        ),
        StepSpec("thanks", "send", {"template": "thanks"}),
        StepSpec("nudge", "send", {"template": "nudge"}),
    )
    start(flow, contact)
    run_all(NOW)

    # when the contact orders during the wait
    ingest(
        *order_events(
            EventType.ORDER_CREATED,
            factories.order(created_at=NOW + timedelta(days=1)),
            EventSource.SALEOR,
        )
    )
    frozen_time.move_to(NOW + timedelta(days=2))
    run_all(NOW + timedelta(days=2))

    # then
    assert sent_templates() == ["thanks"]


def test_branch_on_a_click_in_the_previous_message(frozen_time, contact):
    # given
    flow = campaign(
        MANUAL,
        StepSpec("first", "send", {"template": "first"}, "wait"),
        StepSpec("wait", "wait", {"days": 1}, "check"),
        StepSpec(
            "check",
            "branch",
            {
                "condition": {"message": {"step": "first", "action": "clicked"}},
                "then": "clicked",
                "else": "silent",
            },
        ),
        StepSpec("clicked", "send", {"template": "clicked"}),
        StepSpec("silent", "send", {"template": "silent"}),
    )
    start(flow, contact)
    run_all(NOW)
    Message.objects.update(sent_at=NOW, clicked_at=NOW + timedelta(hours=1))

    # when
    run_all(NOW + timedelta(days=1))

    # then
    assert sent_templates() == ["first", "clicked"]


def test_split_sends_by_weight_and_records_the_variant():
    # given
    flow = campaign(
        MANUAL,
        StepSpec(
            "ab",
            "split",
            {
                "variants": [
                    {"name": "A", "weight": 1, "next": "a"},
                    {"name": "B", "weight": 3, "next": "b"},
                ]
            },
        ),
        StepSpec("a", "send", {"template": "subject_a"}),
        StepSpec("b", "send", {"template": "subject_b"}),
    )
    contacts = [Contact.objects.create(email=f"c{number}@example.com") for number in range(400)]
    for contact in contacts:
        start(flow, contact)

    # when
    run_all(NOW)

    # then
    counts = {variant: Message.objects.filter(variant=variant).count() for variant in ("A", "B")}
    assert counts["A"] + counts["B"] == 400
    assert 70 <= counts["A"] <= 130  # 100 expected; the hash choice is deterministic
    assert set(Message.objects.filter(variant="A").values_list("template", flat=True)) == {
        "subject_a"
    }
    assert all(e.context["variants"]["ab"] in "AB" for e in Enrollment.objects.all())


def test_voucher_step_issues_a_personal_code_used_by_the_next_message(contact):
    # given
    start(
        campaign(
            MANUAL,
            StepSpec("code", "voucher", {"discount_value": "15", "valid_days": 7}, "send"),
            StepSpec("send", "send", {"template": "offer"}),
        ),
        contact,
    )

    # when
    run_all(NOW)

    # then
    voucher = IssuedVoucher.objects.get()
    assert voucher.contact == contact
    assert voucher.valid_until == NOW + timedelta(days=7)
    assert Message.objects.get().context["voucher_code"] == voucher.code


def test_update_contact_step(contact):
    # given
    subscribe(contact)
    subscribe(contact, topic="deals")
    ContactTag.objects.create(contact=contact, name="prospect")
    start(
        campaign(
            MANUAL,
            StepSpec(
                "update",
                "update_contact",
                {
                    "add_tags": ["customer-care"],
                    "remove_tags": ["prospect"],
                    "set_attributes": {"tier": "gold"},
                    "score_delta": 7,
                    "unsubscribe_topics": ["deals"],
                },
            ),
        ),
        contact,
    )

    # when
    run_all(NOW)

    # then
    contact.refresh_from_db()
    assert list(contact.tags.values_list("name", flat=True)) == ["customer-care"]
    assert (contact.attributes, contact.lead_score) == ({"tier": "gold"}, 7)
    log = ConsentEvent.objects.filter(topic="deals").latest("pk")
    assert (log.new_status, log.method) == ("unsubscribed", ConsentMethod.AUTOMATION)


class Receiver(BaseHTTPRequestHandler):
    received: list = []
    status = 200

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Receiver.received.append((dict(self.headers), body))
        self.send_response(Receiver.status)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def receiver(settings):
    # The receiver listens on loopback, which webhooks may reach only when allowed.
    settings.SALEOR_MA_ALLOW_INTERNAL_WEBHOOKS = True
    server = HTTPServer(("127.0.0.1", 0), Receiver)
    Receiver.received, Receiver.status = [], 200
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/hook"
    server.shutdown()


def test_webhook_step_posts_a_signed_payload_once(receiver, contact):
    # given
    start(
        campaign(
            MANUAL, StepSpec("notify", "webhook", {"url": receiver, "payload": {"crm": "lead"}})
        ),
        contact,
    )
    run_all(NOW)

    # when
    delivered = deliver_due_webhooks()
    again = deliver_due_webhooks()

    # then
    assert (delivered, again) == (1, 0)
    headers, body = Receiver.received[0]
    expected = hmac.new(signing_key(), body, hashlib.sha256).hexdigest()
    assert headers[SIGNATURE_HEADER] == f"sha256={expected}"
    payload = json.loads(body)
    assert (payload["contact"]["email"], payload["crm"]) == ("anna@example.com", "lead")
    assert WebhookDelivery.objects.get().status == MessageStatus.SENT


def test_webhook_failures_retry_with_backoff_and_4xx_gives_up(receiver, contact):
    # given
    start(campaign(MANUAL, StepSpec("notify", "webhook", {"url": receiver})), contact)
    run_all(NOW)
    Receiver.status = 503

    # when
    deliver_due_webhooks()
    retry = WebhookDelivery.objects.get()
    Receiver.status = 404
    with time_machine.travel(NOW + timedelta(minutes=2), tick=False):
        deliver_due_webhooks()

    # then
    assert (retry.status, retry.next_attempt_at) == (
        MessageStatus.QUEUED,
        NOW + timedelta(minutes=1),
    )
    final = WebhookDelivery.objects.get()
    assert (final.status, final.attempts, final.response_status) == (MessageStatus.FAILED, 2, 404)


@pytest.mark.parametrize(
    ("step", "status", "reason"),
    [
        (StepSpec("done", "goal"), EnrollmentStatus.GOAL_REACHED, "goal_step"),
        (StepSpec("stop", "exit"), EnrollmentStatus.EXITED, "exit_step"),
    ],
)
def test_goal_and_exit_steps_end_the_run(contact, step, status, reason):
    # given
    start(campaign(MANUAL, step), contact)

    # when
    run_all(NOW)

    # then
    run = Enrollment.objects.get()
    assert (run.status, run.exit_reason) == (status, reason)


def test_move_step_hands_the_contact_to_another_campaign(contact):
    # given
    target = campaign(MANUAL, name="target")
    start(campaign(MANUAL, StepSpec("move", "move", {"campaign": target.pk})), contact)

    # when
    run_all(NOW)

    # then
    assert Enrollment.objects.get(campaign=target).status == EnrollmentStatus.COMPLETED
    assert sent_templates() == ["t"]


def test_goal_event_ends_runs_at_once(contact):
    # given
    flow = campaign(
        MANUAL,
        StepSpec("wait", "wait", {"days": 3}, "send"),
        StepSpec("send", "send", {"template": "t"}),
        goal={"event": "order.created"},
    )
    start(flow, contact)
    run_all(NOW)

    # when
    ingest(
        *order_events(
            EventType.ORDER_CREATED,
            factories.order(created_at=NOW + timedelta(hours=1)),
            EventSource.SALEOR,
        )
    )
    run_all(NOW + timedelta(days=4))

    # then
    run = Enrollment.objects.get()
    assert run.status == EnrollmentStatus.GOAL_REACHED
    assert not Message.objects.exists()


def test_exit_condition_is_checked_before_every_step(contact):
    # given
    flow = campaign(
        MANUAL,
        StepSpec("first", "send", {"template": "first"}, "wait"),
        StepSpec("wait", "wait", {"days": 1}, "second"),
        StepSpec("second", "send", {"template": "second"}),
        exit_condition={"tag": "do-not-contact"},
    )
    start(flow, contact)
    run_all(NOW)

    # when
    ContactTag.objects.create(contact=contact, name="do-not-contact")
    run_all(NOW + timedelta(days=1))

    # then
    assert sent_templates() == ["first"]
    assert Enrollment.objects.get().exit_reason == "exit_condition"


def test_pause_holds_runs_and_resume_continues_them(contact):
    # given
    flow = campaign(
        MANUAL,
        StepSpec("wait", "wait", {"days": 1}, "send"),
        StepSpec("send", "send", {"template": "t"}),
    )
    start(flow, contact)
    run_all(NOW)

    # when paused past the wait
    pause(flow)
    held = run_all(NOW + timedelta(days=2))
    activate(flow)
    run_all(NOW + timedelta(days=2))

    # then
    assert held == 0
    assert sent_templates() == ["t"]


def test_archiving_ends_runs_in_flight(contact):
    # given
    flow = campaign(
        MANUAL,
        StepSpec("wait", "wait", {"days": 1}, "send"),
        StepSpec("send", "send", {"template": "t"}),
    )
    start(flow, contact)
    run_all(NOW)

    # when
    archive(flow)
    run_all(NOW + timedelta(days=2))

    # then
    assert Enrollment.objects.get().exit_reason == "campaign_archived"
    assert flow.status == CampaignStatus.ARCHIVED
    assert not Message.objects.exists()


def test_removing_the_step_a_contact_waits_in_moves_it_on_without_duplicates(contact):
    # given
    flow = campaign(
        MANUAL,
        StepSpec("first", "send", {"template": "first"}, "wait"),
        StepSpec("wait", "wait", {"days": 7}, "last"),
        StepSpec("last", "send", {"template": "last"}),
    )
    start(flow, contact)
    run_all(NOW)

    # when
    remove_step(flow, "wait")
    run_all(NOW + timedelta(days=8))
    run_all(NOW + timedelta(days=9))

    # then
    assert sent_templates() == ["first", "last"]
    assert Enrollment.objects.get().status == EnrollmentStatus.COMPLETED


def test_a_step_failing_after_a_send_redoes_the_run_without_losing_or_doubling_the_send(contact):
    # given a flow whose voucher issuer (the shop's API) fails once
    from saleor_ma_plugin.core import host
    from saleor_ma_plugin.vouchers.codes import issue_standalone_code

    flow = campaign(
        MANUAL,
        StepSpec("welcome", "send", {"template": "welcome"}, "code"),
        StepSpec("code", "voucher", {"discount_value": "10"}, "with_code"),
        StepSpec("with_code", "send", {"template": "with_code"}),
    )
    run = start(flow, contact)
    calls = []

    def flaky_issuer(request):
        calls.append(request)
        if len(calls) == 1:
            raise ConnectionError("shop API unavailable")
        return issue_standalone_code(request)

    standalone = host.current()
    host.install(replace(standalone, name="flaky", issue_voucher=flaky_issuer))
    try:
        # when
        run_all(NOW)
        failed = Enrollment.objects.get()
        run_all(NOW + timedelta(minutes=3))
    finally:
        host.install(standalone)

    # then the first attempt left nothing behind and the retry produced each message once
    assert (failed.step_key, failed.attempts, failed.status) == (
        "welcome",
        1,
        EnrollmentStatus.ACTIVE,
    )
    assert sorted(Message.objects.values_list("idempotency_key", flat=True)) == [
        f"enrollment:{run.pk}:welcome",
        f"enrollment:{run.pk}:with_code",
    ]
    assert IssuedVoucher.objects.count() == 1
    assert Enrollment.objects.get().status == EnrollmentStatus.COMPLETED


def test_voucher_steps_take_codes_made_ahead_of_need(contact):
    # given an active voucher step and a replenished pool
    from saleor_ma_plugin.campaigns.steps.voucher import replenish_voucher_steps
    from saleor_ma_plugin.vouchers.models import PooledCode

    flow = campaign(
        MANUAL,
        StepSpec("code", "voucher", {"discount_value": "15"}, "send"),
        StepSpec("send", "send", {"template": "offer"}),
    )
    made = replenish_voucher_steps(size=10)
    again = replenish_voucher_steps(size=10)
    ready = set(PooledCode.objects.values_list("code", flat=True))

    # when
    start(flow, contact)
    run_all(NOW)

    # then
    issued = IssuedVoucher.objects.get()
    assert (made, again) == (10, 0)
    assert issued.code in ready
    assert PooledCode.objects.count() == 9
    assert Message.objects.get().context["voucher_code"] == issued.code
