import threading
import time
from dataclasses import replace

import pytest
from cryptography.hazmat.primitives import serialization
from django.db import connection, connections
from django.utils import timezone

import saleor_ma_plugin.messaging.channels.push as push_module
from saleor_ma_plugin.contacts.models import Contact
from saleor_ma_plugin.core.outbound import OutboundGuard
from saleor_ma_plugin.messaging.channels.base import OutgoingMessage, SendResult
from saleor_ma_plugin.messaging.channels.push import (
    MAX_PAYLOAD_BYTES,
    WebPushBackend,
    generate_vapid_key_pair,
    push_payload,
    vapid_keys,
)
from saleor_ma_plugin.messaging.push_models import PushSubscription, VapidKeys
from tests.channel_contract import ChannelContract, ContractHarness, send_batch
from tests.fake_http import closed_port_url
from tests.fake_providers import (
    FakePushService,
    Subscriber,
    b64url,
    b64url_decode,
    verified_vapid,
)

pytestmark = pytest.mark.django_db

TWELVE_HOURS = 12 * 60 * 60
#: The fake push services listen on loopback ports, which the shop's own guard refuses.
LOOPBACK = OutboundGuard(allow_internal=True)


def loopback_backend(**options) -> WebPushBackend:
    return WebPushBackend("shop@example.com", guard=LOOPBACK, **options)


@pytest.fixture
def push_service():
    service = FakePushService()
    with service.server:
        yield service


@pytest.fixture
def subscriber() -> Subscriber:
    return Subscriber.new()


def push(message_id: int, endpoint: str, subscriber: Subscriber, **fields) -> OutgoingMessage:
    message = OutgoingMessage(
        message_id=message_id,
        channel="push",
        recipient=endpoint,
        subject="Back in stock",
        text="Your espresso beans are back. Grüße!",
        extra={
            **subscriber.keys,
            "url": "https://shop.example.com/p/beans",
            "icon": "https://shop.example.com/icon.png",
        },
    )
    return replace(message, **fields)


def subscription(endpoint: str, subscriber: Subscriber) -> PushSubscription:
    contact, _ = Contact.objects.get_or_create(email="anna@example.com")
    return PushSubscription.objects.create(contact=contact, endpoint=endpoint, **subscriber.keys)


class TestWebPushContract(ChannelContract):
    @pytest.fixture
    def harness(self, push_service: FakePushService, subscriber: Subscriber) -> ContractHarness:
        def message(message_id: int) -> OutgoingMessage:
            return push(message_id, push_service.endpoint(f"sub-{message_id}"), subscriber)

        def failing_message(message_id: int) -> OutgoingMessage:
            return push(message_id, push_service.endpoint(f"gone-{message_id}"), subscriber)

        def unsupported_message(message_id: int) -> OutgoingMessage:
            return replace(message(message_id), text="x" * MAX_PAYLOAD_BYTES)

        return ContractHarness(
            backend=loopback_backend(),
            message=message,
            failing_message=failing_message,
            unsupported_message=unsupported_message,
            delivered=lambda: list(push_service.accepted),
        )


def test_push_is_readable_by_the_browser_and_signed_with_the_shop_key(push_service, subscriber):
    # given
    endpoint = push_service.endpoint("anna")
    subscription(endpoint, subscriber)
    backend = loopback_backend(ttl=3600)

    # when
    results = send_batch(backend, [push(1, endpoint, subscriber)])

    # then
    assert results == [SendResult(1, ok=True, provider_message_id="https://push.example/m/1")]
    [request] = push_service.server.requests
    assert (request.method, request.path) == ("POST", "/push/anna")
    assert request.headers["content-encoding"] == "aes128gcm"
    assert request.headers["ttl"] == "3600"
    assert subscriber.read(request.body) == {
        "title": "Back in stock",
        "body": "Your espresso beans are back. Grüße!",
        "url": "https://shop.example.com/p/beans",
        "icon": "https://shop.example.com/icon.png",
    }
    public_key, claims = verified_vapid(request)
    assert public_key == vapid_keys().public_key
    assert (claims["aud"], claims["sub"]) == (
        push_service.server.base_url,
        "mailto:shop@example.com",
    )
    assert 0 < claims["exp"] - time.time() <= TWELVE_HOURS
    assert PushSubscription.objects.get().expired_at is None


def test_each_push_service_gets_a_token_for_its_own_origin(push_service, subscriber):
    # given a second push service, as when one contact uses Firefox and another Chrome
    other_service = FakePushService()
    backend = loopback_backend()

    # when
    with other_service.server:
        results = send_batch(
            backend,
            [
                push(1, push_service.endpoint("firefox"), subscriber),
                push(2, other_service.endpoint("chrome"), subscriber),
            ],
        )

    # then
    assert [result.ok for result in results] == [True, True]
    [first], [second] = push_service.server.requests, other_service.server.requests
    assert verified_vapid(first)[1]["aud"] == push_service.server.base_url
    assert verified_vapid(second)[1]["aud"] == other_service.server.base_url


def test_payload_of_exactly_the_limit_fills_one_4096_byte_body(push_service, subscriber):
    # given
    message = push(1, push_service.endpoint("anna"), subscriber, subject="", extra=subscriber.keys)
    text = "x" * (MAX_PAYLOAD_BYTES - len(push_payload(replace(message, text="")).encode()))
    backend = loopback_backend()

    # when
    results = send_batch(backend, [replace(message, text=text)])

    # then
    assert results[0].ok is True
    [request] = push_service.server.requests
    assert len(request.body) == 4096
    assert subscriber.read(request.body)["body"] == text


def test_payload_over_the_limit_is_refused_without_a_request(push_service, subscriber):
    # given
    message = push(1, push_service.endpoint("anna"), subscriber, subject="", extra=subscriber.keys)
    text = "x" * (MAX_PAYLOAD_BYTES + 1 - len(push_payload(replace(message, text="")).encode()))
    backend = loopback_backend()

    # when
    results = send_batch(backend, [replace(message, text=text)])

    # then
    assert results == [
        SendResult(
            1, ok=False, error="push payload is 3994 bytes, the limit is 3993", permanent=True
        )
    ]
    assert push_service.server.requests == []


@pytest.mark.parametrize("status", [404, 410])
def test_gone_subscription_fails_permanently_and_is_marked_expired(
    push_service, subscriber, status
):
    # given
    gone, alive = push_service.endpoint("gone-anna"), push_service.endpoint("ben")
    push_service.statuses["/push/gone-anna"] = status
    subscription(gone, subscriber)
    subscription(alive, subscriber)
    before = timezone.now()

    # when
    results = send_batch(loopback_backend(), [push(1, gone, subscriber)])

    # then
    assert results == [
        SendResult(1, ok=False, error=f"push service HTTP {status}", permanent=True)
    ]
    expired_at = PushSubscription.objects.get(endpoint=gone).expired_at
    assert before <= expired_at <= timezone.now()
    assert PushSubscription.objects.get(endpoint=alive).expired_at is None


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (400, "push service HTTP 400"),
        (403, "push service HTTP 403"),
        (429, "push service HTTP 429"),
        (500, "push service HTTP 500: upstream down"),
        (503, "push service HTTP 503: upstream down"),
    ],
)
def test_other_push_service_errors_are_transient(push_service, subscriber, status, error):
    # given
    endpoint = push_service.endpoint("anna")
    push_service.statuses["/push/anna"] = status
    subscription(endpoint, subscriber)

    # when
    results = send_batch(loopback_backend(), [push(1, endpoint, subscriber)])

    # then
    assert results == [SendResult(1, ok=False, error=error, permanent=False)]
    assert PushSubscription.objects.get().expired_at is None


def test_unreachable_push_service_is_transient(subscriber):
    # given
    endpoint = f"{closed_port_url()}/push/anna"
    subscription(endpoint, subscriber)

    # when
    [result] = send_batch(loopback_backend(), [push(1, endpoint, subscriber)])

    # then
    assert (result.ok, result.permanent) == (False, False)
    assert result.error.startswith("push service unreachable: ConnectionError: ")
    assert PushSubscription.objects.get().expired_at is None


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"extra": {}}, "push subscription keys missing: p256dh, auth"),
        (
            {"extra": {"p256dh": "AAAA", "auth": "c2VjcmV0"}},
            "invalid push subscription: Invalid p256dh key specified",
        ),
        (
            {"extra": {"p256dh": b64url(b"\x04" + b"\x01" * 64), "auth": "c2VjcmV0"}},
            "cannot encrypt for this subscription: Invalid EC key.",
        ),
        (
            {"recipient": "anna@example.com"},
            "recipient 'anna@example.com' is not a push endpoint URL",
        ),
    ],
)
def test_malformed_subscription_fails_permanently_without_a_request(
    push_service, subscriber, fields, error
):
    # given
    message = push(1, push_service.endpoint("anna"), subscriber, **fields)

    # when
    results = send_batch(loopback_backend(), [message])

    # then
    assert results == [SendResult(1, ok=False, error=error, permanent=True)]
    assert push_service.server.requests == []


def test_send_without_open_opens_and_closes_by_itself(push_service, subscriber):
    # given
    backend = loopback_backend()

    # when
    results = backend.send([push(1, push_service.endpoint("anna"), subscriber)])

    # then
    assert results == [SendResult(1, ok=True, provider_message_id="https://push.example/m/1")]


def test_backend_needs_a_sender_address():
    # when / then
    with pytest.raises(
        ValueError, match=r"^WebPushBackend needs a sender address for the VAPID 'sub' claim$"
    ):
        WebPushBackend("")


def test_vapid_keys_are_generated_once_and_reused():
    # given
    assert VapidKeys.objects.count() == 0

    # when
    first, second = vapid_keys(), vapid_keys()

    # then
    assert VapidKeys.objects.count() == 1
    assert (second.private_key_pem, second.public_key) == (first.private_key_pem, first.public_key)
    point = b64url_decode(first.public_key)
    assert (len(first.public_key), len(point), point[0]) == (87, 65, 4)
    private_key = serialization.load_pem_private_key(first.private_key_pem.encode(), None)
    assert (
        private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        == point
    )


@pytest.mark.django_db(transaction=True)
def test_racing_workers_store_one_vapid_key_pair(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent inserts need PostgreSQL")
    # given two workers that both find no keys and generate a pair at the same moment
    barrier = threading.Barrier(2)
    generated: list[str] = []

    def generate_in_step() -> tuple[str, str]:
        pair = generate_vapid_key_pair()
        generated.append(pair[1])
        barrier.wait(timeout=10)
        return pair

    monkeypatch.setattr(push_module, "generate_vapid_key_pair", generate_in_step)
    returned: list[str] = []

    def worker() -> None:
        try:
            returned.append(vapid_keys().public_key)
        finally:
            connections.close_all()

    # when
    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # then
    assert len(generated) == 2
    stored = VapidKeys.objects.get().public_key
    assert stored in generated
    assert returned == [stored, stored]


def test_bad_subscriptions_fail_alone_and_the_rest_of_the_batch_is_pushed(
    push_service, subscriber
):
    # given an endpoint py_vapid cannot take an audience from and one no URL parser reads,
    # between good ones
    first, last = push_service.endpoint("anna"), push_service.endpoint("ben")
    no_audience = f"{push_service.server.base_url}\\@push.example/push/carl"
    unparsable = "https://[::1/push/dora"
    batch = [
        push(1, first, subscriber),
        push(2, no_audience, subscriber),
        push(3, unparsable, subscriber),
        push(4, last, subscriber),
    ]

    # when
    results = send_batch(loopback_backend(), batch)

    # then
    assert [(r.message_id, r.ok, r.permanent) for r in results] == [
        (1, True, False),
        (2, False, True),
        (3, False, True),
        (4, True, False),
    ]
    assert results[1].error.startswith(
        "cannot push to this subscription: VapidException: Missing 'aud' from claims."
    )
    assert results[2].error == f"recipient {unparsable!r} is not a push endpoint URL"
    assert push_service.accepted == [first, last]
