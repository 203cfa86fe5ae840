"""One contract for transactional mails: a Saleor action gives the same notification event
and the same mail whether it arrives as the plugin's ``notify`` or as an App webhook.

The fixtures in ``fixtures/saleor_webhooks/notifications/`` were recorded in a real Saleor
3.23.28: for each action, Saleor's own notify payload function ran (its payload captured
from ``PluginsManager.notify`` and turned into the plugin path's event, ``hook_event``), and
Saleor's ``create_deliveries_for_subscriptions`` rendered the notification subscription our
manifest registers for the same objects (``payload``; each query first checked with Saleor's
``SubscriptionQuery``). Time was frozen at ``recorded_at``, the minute some dedupe keys hold.
The recorder is kept outside this repository like the intake contract's (a pytest module
loading ``tests/saleor/conftest.py``), run from its folder with
``SALEOR_SOURCE_DIR=<saleor> PYTEST_DB_URL=... <saleor venv>/bin/python -m pytest
test_record_notifications.py -n 0 -c tests/saleor/pytest.ini``. The refund confirmation's
(an order refunded twice through the transactions API, the second refund recorded) comes
from ``tests/saleor/record_refund_notification.py``, run the same way.
"""

import base64
import json
import logging
import re
from datetime import datetime
from pathlib import Path

import pytest
import time_machine
from django.core import mail
from django.db import transaction

from saleor_ma_plugin.core.host import forget_settings
from saleor_ma_plugin.events.intake import NewEvent, record_events
from saleor_ma_plugin.events.models import Event
from saleor_ma_plugin.events.notifications import SECRET_KEYS
from saleor_ma_plugin.messaging.delivery import deliver_due_messages
from saleor_ma_plugin.messaging.models import Message
from saleor_ma_plugin.pipeline import process_fresh_events
from saleor_ma_plugin.saleor_app.manifest import app_mode_manifest
from saleor_ma_plugin.saleor_app.notify import NOTIFICATION_KEY, NOTIFICATIONS
from saleor_ma_plugin.saleor_app.payloads import events_from_payload
from tests.test_intake_contract import (  # noqa: F401 (fixtures)
    _deliver,
    _rsa_key,
    _sign,
    saleor_api,
    served_keys,
)

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures" / "saleor_webhooks" / "notifications"
RECORDED = sorted(path.stem for path in FIXTURES.glob("*.json"))
#: What the webhook cannot know: ACCOUNT_EMAIL_CHANGED names neither the old address nor
#: (as Saleor fires it) the channel, so its notice goes to the new address.
LEGITIMATE_DIFFERENCES = {"account_change_email_confirm": {"channel", "old_email", "recipient"}}
#: Notifications whose one-time secret (link or code) must reach the mail and nothing else.
WITH_SECRETS = [
    name
    for name in RECORDED
    if any(
        key in json.loads((FIXTURES / f"{name}.json").read_text())["hook_event"]["payload"]
        for key in SECRET_KEYS
    )
]


def _recorded(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.json").read_text())


@pytest.fixture(autouse=True)
def all_mails_enabled(settings):
    settings.SALEOR_MA_PLUGIN = {
        **settings.SALEOR_MA_PLUGIN,
        "transactional_emails": "all",
        "storefront_url": "https://shop.example.com",
    }
    forget_settings()
    yield
    forget_settings()


def _hook_event(recorded: dict) -> NewEvent:
    item = recorded["hook_event"]
    return NewEvent(
        item["type"],
        datetime.fromisoformat(recorded["recorded_at"]),
        item["dedupe_key"],
        item["payload"],
        "saleor",
    )


def _webhook_events(recorded: dict) -> list[NewEvent]:
    with time_machine.travel(recorded["recorded_at"], tick=False):
        return events_from_payload(recorded["saleor_event"].lower(), recorded["payload"])


def _mail_of(events: list[NewEvent]):
    """The one mail these events send, from an empty log."""
    Event.objects.all().delete()
    Message.objects.all().delete()
    mail.outbox.clear()
    with transaction.atomic():
        record_events(events)
    process_fresh_events()
    deliver_due_messages()
    (sent,) = mail.outbox
    return sent


def _without_signed_links(body: str) -> str:
    """A mail's text without its per-message signed links (unsubscribe, preferences)."""
    return re.sub(r"/[\w-]+\.[\w-]+/", "/(signed)/", body)


def _shown_lines(payload: dict) -> list[dict]:
    # A payment or refund confirmation names the amount, not the lines.
    if payload["notification"] in ("order_payment_confirmation", "order_refund_confirmation"):
        return []
    return payload.get("lines") or []


def _key_content(payload: dict) -> list[str]:
    """What the mail must show: secrets, the order, its lines, images, tracking, refund."""
    content = [str(payload[key]) for key in SECRET_KEYS if payload.get(key)]
    content += [str(payload[key]) for key in ("number", "tracking_number") if payload.get(key)]
    if payload.get("refund"):
        content.append(f"Refunded: {payload['refund']['amount']} {payload['refund']['currency']}")
    for line in _shown_lines(payload):
        content.append(line["product_name"])
        content.append(f"{line['quantity']} \u00d7 {line['product_name']}")
    return content


def test_every_notification_webhook_has_a_recorded_saleor_payload():
    recorded = sorted(_recorded(name)["saleor_event"] for name in RECORDED)
    assert recorded == sorted(NOTIFICATIONS)


@pytest.mark.parametrize("name", RECORDED)
def test_plugin_and_app_give_the_same_notification_event(name):
    # given what Saleor sent the plugin's notify and the App's webhook for one action
    recorded = _recorded(name)
    hook = recorded["hook_event"]

    # when the webhook is mapped
    (event,) = _webhook_events(recorded)

    # then it is the same event: type, dedupe key and payload
    assert event.type == hook["type"] == f"notify.{name}"
    assert event.dedupe_key == hook["dedupe_key"]
    differing = LEGITIMATE_DIFFERENCES.get(name, set())
    payload = json.loads(json.dumps(event.payload, default=str))
    assert {k: v for k, v in payload.items() if k not in differing} == {
        k: v for k, v in hook["payload"].items() if k not in differing
    }


@pytest.mark.parametrize("name", RECORDED)
def test_plugin_and_app_send_the_same_mail(name):
    # given both intakes' events for one action
    recorded = _recorded(name)
    hook_event = _hook_event(recorded)
    webhook_events = _webhook_events(recorded)

    # when each is sent from an empty log
    from_plugin = _mail_of([hook_event])
    from_app = _mail_of(webhook_events)

    # then the mails agree on subject, recipient and what they must show
    assert from_app.subject == from_plugin.subject
    if name == "account_change_email_confirm":
        assert (from_plugin.to, from_app.to) == (["test@example.com"], ["changed@example.com"])
    else:
        assert from_app.to == from_plugin.to == [hook_event.payload["recipient"]]
    assert _without_signed_links(from_app.body) == _without_signed_links(from_plugin.body)
    for text in _key_content(hook_event.payload):
        assert text in f"{from_plugin.subject}\n{from_plugin.body}"
    for line in _shown_lines(hook_event.payload):
        if line["image_url"]:
            assert line["image_url"] in from_plugin.alternatives[0][0]
            assert line["image_url"] in from_app.alternatives[0][0]


@pytest.mark.parametrize("name", RECORDED)
def test_a_shop_moving_to_the_app_gets_one_mail_per_action(name):
    # given the plugin's notify already took the action
    recorded = _recorded(name)
    with transaction.atomic():
        record_events([_hook_event(recorded)])

    # when the App's webhook for the same action arrives too
    with transaction.atomic():
        stored = record_events(_webhook_events(recorded))
    process_fresh_events()
    deliver_due_messages()

    # then it stores nothing new, and one mail went out
    assert stored == []
    assert Event.objects.count() == 1
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("name", WITH_SECRETS)
def test_a_webhook_secret_reaches_the_mail_and_no_event_row_or_log(name, caplog):
    # given a webhook carrying a one-time link, a gift card code or an invoice link
    recorded = _recorded(name)
    secrets = [
        str(recorded["hook_event"]["payload"][key])
        for key in SECRET_KEYS
        if recorded["hook_event"]["payload"].get(key)
    ]
    token = recorded["payload"].get("token")
    caplog.set_level(logging.DEBUG)

    # when it is stored and mailed
    sent = _mail_of(_webhook_events(recorded))

    # then the mail has it, and neither the event, the sent message nor any log line does
    event, message = Event.objects.get(), Message.objects.get()
    for secret in [*secrets, *([token] if token else [])]:
        assert secret in sent.body
        assert secret not in json.dumps(event.payload) + event.dedupe_key
        assert secret not in json.dumps(message.context)
        assert secret not in caplog.text


def test_a_notification_the_admin_left_to_saleor_is_not_taken(settings):
    # given only order confirmations are ours
    settings.SALEOR_MA_PLUGIN = {
        **settings.SALEOR_MA_PLUGIN,
        "transactional_emails": "order_confirmation",
    }
    forget_settings()

    # when an account confirmation webhook arrives
    events = _webhook_events(_recorded("account_confirmation"))

    # then it gives no event (Saleor's own mail stays in charge)
    assert events == []


def test_a_fulfillment_saleor_was_told_not_to_notify_about_is_not_mailed():
    # given a fulfillment created with notifyCustomer false
    recorded = _recorded("order_fulfillment_confirmation")
    recorded["payload"]["notifyCustomer"] = False

    # when it is mapped
    events = _webhook_events(recorded)

    # then there is no mail to send
    assert events == []


@pytest.mark.parametrize("origin", ["DRAFT", "REISSUE", "BULK_CREATE"])
def test_an_order_not_placed_from_a_checkout_gets_no_order_confirmation(origin):
    # given ORDER_CREATED for an order staff completed from a draft (Saleor mails nothing)
    recorded = _recorded("order_confirmation")
    recorded["payload"]["order"]["origin"] = origin

    # when it is mapped
    events = _webhook_events(recorded)

    # then there is no order confirmation to send
    assert events == []


def test_the_marketing_webhook_of_the_same_saleor_event_gives_no_mail():
    # given ORDER_CREATED as the marketing subscription renders it (no notification mark)
    marketing = json.loads((FIXTURES.parent / "order_created.json").read_text())["payload"]

    # when it is mapped
    events = events_from_payload("order_created", marketing)

    # then it gives the marketing events only
    types = [str(event.type) for event in events]
    assert "order.created" in types
    assert [kind for kind in types if kind.startswith("notify.")] == []


def test_the_manifest_subscribes_each_notification_with_its_query(rf):
    # when
    manifest = app_mode_manifest(rf.get("/app/manifest/"))

    # then each notification event has a webhook whose payload is marked as a notification
    hooks = {
        hook["asyncEvents"][0]: hook
        for hook in manifest["webhooks"]
        if f"{NOTIFICATION_KEY}: __typename" in hook["query"]
    }
    assert sorted(hooks) == sorted(NOTIFICATIONS)
    assert "MANAGE_GIFT_CARD" in manifest["permissions"]
    for event, (type_name, _) in NOTIFICATIONS.items():
        assert f"... on {type_name} {{" in hooks[event]["query"]


def _post_signed(
    client, keys: dict, payload: dict, times: int = 1, event="ACCOUNT_CONFIRMATION_REQUESTED"
):
    """``payload`` delivered ``times`` to the webhook endpoint as Saleor signs it."""
    return _post_each_signed(client, keys, [payload] * times, event)


def _post_each_signed(client, keys: dict, payloads: list[dict], event: str):
    """Each payload delivered in turn, signed with one key Saleor serves."""
    private, public = _rsa_key("k1")
    keys["keys"] = [public]
    bodies = [json.dumps(payload).encode() for payload in payloads]
    return [_deliver(client, body, _sign(body, private, "k1"), event) for body in bodies]


@pytest.mark.urls("saleor_ma_plugin.standalone.urls")
def test_a_signed_account_mail_delivery_is_stored_without_its_token(
    client,
    served_keys,  # noqa: F811 (the intake contract's fixture)
    caplog,
):
    # given Saleor's ACCOUNT_CONFIRMATION_REQUESTED with its one-time token
    recorded = _recorded("account_confirmation")
    token = recorded["payload"]["token"]

    # when it is delivered signed, and delivered again
    with caplog.at_level(logging.DEBUG), time_machine.travel(recorded["recorded_at"]):
        first, again = _post_signed(client, served_keys, recorded["payload"], times=2)

    # then one event is stored, the token only inside the link the message will take
    assert (first.json(), again.json()) == ({"stored": 1}, {"stored": 0})
    event = Event.objects.get()
    assert event.type == "notify.account_confirmation"
    assert event.dedupe_key == recorded["hook_event"]["dedupe_key"]
    assert token not in event.dedupe_key
    assert token not in caplog.text


@pytest.mark.urls("saleor_ma_plugin.standalone.urls")
def test_an_account_mail_delivery_without_its_user_is_refused_without_a_trace_of_the_token(
    client,
    served_keys,  # noqa: F811 (the intake contract's fixture)
    caplog,
):
    # given an account confirmation whose user is missing
    payload = _recorded("account_confirmation")["payload"]
    del payload["user"]

    # when it is delivered signed
    with caplog.at_level(logging.DEBUG):
        (response,) = _post_signed(client, served_keys, payload)

    # then it is refused, nothing is stored, and the log names neither token nor link
    assert response.status_code == 400
    assert not Event.objects.exists()
    assert "malformed" in caplog.text
    assert payload["token"] not in caplog.text
    assert payload["redirectUrl"] not in caplog.text


def _global_id(type_name: str, pk: int) -> str:
    return base64.b64encode(f"{type_name}:{pk}".encode()).decode()


def _refund_payload(amount: float | None = 7.5) -> dict:
    """The recorded ORDER_REFUNDED delivery, its newest refund changed to ``amount``
    (None: a delivery naming no refund record at all)."""
    payload = _recorded("order_refund_confirmation")["payload"]
    if amount is None:
        for item in payload["order"]["transactions"]:
            item["events"] = [e for e in item["events"] if e["type"] != "REFUND_SUCCESS"]
    else:
        _second_refund(payload)["amount"]["amount"] = amount
    return payload


def _refund_event(payload: dict) -> NewEvent:
    with time_machine.travel(_recorded("order_refund_confirmation")["recorded_at"], tick=False):
        (event,) = events_from_payload("order_refunded", payload)
    return event


def test_a_refund_mail_names_the_refund_not_the_total_refunded():
    # given an order refunded twice, 5.00 and then 7.50, through the transactions API
    recorded = _recorded("order_refund_confirmation")
    refunds = [
        event["amount"]["amount"]
        for item in recorded["payload"]["order"]["transactions"]
        for event in item["events"]
        if event["type"] == "REFUND_SUCCESS"
    ]
    assert sorted(refunds) == [5.0, 7.5]

    # when the delivery of the second refund is mapped
    event = _refund_event(recorded["payload"])

    # then it names the second refund, as Saleor's notify did
    assert event.payload["refund"] == {"amount": "7.50", "currency": "USD"}


def test_a_payment_refund_is_the_newest_successful_refund_of_the_order_payments():
    # given the order paid through the payments API instead: a refund, a failed one, another
    payload = _refund_payload()
    payload["order"]["transactions"] = []
    payload["order"]["payments"] = [
        {
            "transactions": [
                {
                    "id": _global_id("Transaction", pk),
                    "kind": kind,
                    "isSuccess": success,
                    "amount": {"amount": amount},
                    "created": "2026-12-06T05:29:00+00:00",
                }
                for pk, kind, success, amount in [
                    (1, "CAPTURE", True, 98.4),
                    (2, "REFUND", True, 5.0),
                    (4, "REFUND", True, 2.25),
                    (5, "REFUND", False, 9.0),
                ]
            ]
        }
    ]

    # when it is mapped
    event = _refund_event(payload)

    # then the refund is the last successful one Saleor stored
    assert event.payload["refund"] == {"amount": "2.25", "currency": "USD"}


def test_a_refund_reported_with_an_older_time_is_still_the_newest():
    # given a payment App that reported the second refund with its provider's earlier time
    payload = _refund_payload()
    _second_refund(payload)["createdAt"] = "2026-12-01T00:00:00+00:00"

    # when it is mapped
    event = _refund_event(payload)

    # then the refund Saleor stored last is the one mailed
    assert event.payload["refund"] == {"amount": "7.50", "currency": "USD"}


@pytest.mark.urls("saleor_ma_plugin.standalone.urls")
def test_two_refunds_of_one_order_are_two_mails_and_a_retry_is_none(
    client,
    served_keys,  # noqa: F811 (the intake contract's fixture)
):
    # given two refunds of one order, the second delivered twice (Saleor retried it)
    first, second = _refund_payload(5.0), _refund_payload(7.5)

    # when they are delivered signed
    with time_machine.travel(_recorded("order_refund_confirmation")["recorded_at"]):
        responses = _post_each_signed(
            client, served_keys, [first, second, second], "ORDER_REFUNDED"
        )
        process_fresh_events()
        deliver_due_messages()

    # then two refund events are stored and two mails sent, each with its amount
    assert [response.json() for response in responses] == [
        {"stored": 1},
        {"stored": 1},
        {"stored": 0},
    ]
    assert sorted(event.payload["refund"]["amount"] for event in Event.objects.all()) == [
        "5.00",
        "7.50",
    ]
    assert sorted("Refunded: 7.50 USD" in sent.body for sent in mail.outbox) == [False, True]
    assert len(mail.outbox) == 2


@pytest.mark.urls("saleor_ma_plugin.standalone.urls")
def test_a_refund_delivery_without_its_optional_fields_is_mailed_without_an_amount(
    client,
    served_keys,  # noqa: F811 (the intake contract's fixture)
):
    # given a refund delivery naming no refund record, no lines, no address, no channel
    payload = _refund_payload(None)
    order = payload["order"]
    for key in ("payments", "transactions", "lines", "billingAddress", "channel", "created"):
        del order[key]

    # when it is delivered signed
    with time_machine.travel(_recorded("order_refund_confirmation")["recorded_at"]):
        (response,) = _post_signed(client, served_keys, payload, event="ORDER_REFUNDED")
        process_fresh_events()
        deliver_due_messages()

    # then the refund mail goes out, saying no amount it does not know
    assert response.json() == {"stored": 1}
    event = Event.objects.get()
    assert event.payload["refund"] == {"amount": "", "currency": "USD"}
    (sent,) = mail.outbox
    assert sent.subject == f"Your refund for order #{order['number']}"
    assert "Refunded:" not in sent.body


def _second_refund(payload: dict) -> dict:
    """The recorded delivery's REFUND_SUCCESS event of the second refund (7.50)."""
    return next(
        event
        for item in payload["order"]["transactions"]
        for event in item["events"]
        if event["type"] == "REFUND_SUCCESS" and event["amount"]["amount"] == 7.5
    )


@pytest.mark.parametrize(
    "breakage",
    [
        pytest.param(lambda payload: payload.pop("order"), id="no order"),
        pytest.param(
            lambda payload: _second_refund(payload)["amount"].update(amount="ten"),
            id="amount not a number",
        ),
        pytest.param(
            lambda payload: payload["order"].update(transactions="refunded"),
            id="transactions not a list of objects",
        ),
    ],
)
@pytest.mark.urls("saleor_ma_plugin.standalone.urls")
def test_a_malformed_refund_delivery_is_refused_and_stores_nothing(
    client,
    served_keys,  # noqa: F811 (the intake contract's fixture)
    breakage,
):
    # given a refund delivery broken where the subscription always has a value
    payload = _refund_payload()
    breakage(payload)

    # when it is delivered signed
    (response,) = _post_signed(client, served_keys, payload, event="ORDER_REFUNDED")

    # then it is refused and nothing is stored
    assert response.status_code == 400
    assert not Event.objects.exists()
    assert not Message.objects.exists()
