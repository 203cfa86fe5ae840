"""Push endpoints and webhook URLs reach the public internet only (no request forgery).

Nothing here looks up a public name: resolvers are test functions, and every server
listens on loopback.
"""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from saleor_ma_plugin.campaigns.steps import parse_step_config
from saleor_ma_plugin.contacts.models import Contact
from saleor_ma_plugin.core.errors import FieldError
from saleor_ma_plugin.core.outbound import (
    OutboundGuard,
    OutboundRefused,
    RefusalReason,
    guarded_session,
    is_public_address,
)
from saleor_ma_plugin.messaging import MessageStatus
from saleor_ma_plugin.messaging.channels.push import WebPushBackend, check_push_endpoint
from saleor_ma_plugin.messaging.models import WebhookDelivery
from saleor_ma_plugin.messaging.webhooks import deliver_due_webhooks
from tests.channel_contract import send_batch
from tests.fake_providers import FakePushService, Subscriber
from tests.test_channel_push import push

PUBLIC = "93.184.215.14"


class Recorder(BaseHTTPRequestHandler):
    """Records each request's path and Host; answers ``status`` (a redirect for 307)."""

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.server.seen.append((self.path, self.headers["Host"]))
        self.send_response(self.server.status)
        if self.server.status == 307:
            self.send_header("Location", "/elsewhere")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def receiver():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    server.seen, server.status, server.daemon_threads = [], 200, True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02})
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


def resolving(**names: str):
    """A resolver that knows only ``names`` (dots written as underscores)."""
    table = {name.replace("_", "."): [address] for name, address in names.items()}
    return lambda host, port: table[host]


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://127.0.0.1\\@push.example/x", RefusalReason.IP_LITERAL),
        ("https://user:secret@push.example/x", RefusalReason.CREDENTIALS),
        ("https://push.example%2f@evil.example/x", RefusalReason.CREDENTIALS),
        ("https://push.example:8443/x", RefusalReason.PORT),
        ("http://push.example:443/x", RefusalReason.PORT),
        ("https://0x7f.1/x", RefusalReason.IP_LITERAL),
        ("https://2130706433/x", RefusalReason.IP_LITERAL),
        ("https://[::ffff:127.0.0.1]/x", RefusalReason.IP_LITERAL),
        ("https://localhost/x", RefusalReason.INTERNAL),
        ("https://admin.localhost./x", RefusalReason.INTERNAL),
        ("ftp://push.example/x", RefusalReason.SCHEME),
        ("https:///x", RefusalReason.SCHEME),
    ],
)
def test_urls_are_read_as_the_http_client_reads_them(url, reason):
    # given
    guard = OutboundGuard(resolver=resolving(push_example=PUBLIC))

    # when
    with pytest.raises(OutboundRefused) as refused:
        guard.check(url)

    # then
    assert refused.value.reason == reason


@pytest.mark.parametrize(
    "address",
    [
        "10.0.0.1",
        "172.16.5.4",
        "192.168.1.1",
        "127.0.0.2",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",
        "224.0.0.1",
        "240.0.0.1",
        "::1",
        "::",
        "fe80::1",
        "fc00::1",
        "ff02::1",
        "::ffff:10.0.0.1",
        "2002:7f00:1::1",
        "64:ff9b::a00:1",
    ],
)
def test_names_that_resolve_inside_are_refused(address):
    # given
    guard = OutboundGuard(resolver=resolving(hooks_example=address))

    # when
    with pytest.raises(OutboundRefused) as refused:
        guard.addresses("hooks.example", 443)

    # then
    assert refused.value.reason == RefusalReason.INTERNAL
    assert is_public_address(address) is False


def test_one_internal_address_among_public_ones_is_refused():
    # given
    guard = OutboundGuard(resolver=lambda host, port: [PUBLIC, "10.1.2.3"])

    # when / then
    with pytest.raises(OutboundRefused, match=r"hooks\.example \(10\.1\.2\.3\)"):
        guard.addresses("hooks.example", 443)
    assert guard.allow_internal is False


def test_a_session_connects_to_the_address_it_checked_and_keeps_the_name(receiver):
    # given a name no DNS knows, which only the guard's resolver maps to the receiver
    guard = OutboundGuard(allow_internal=True, resolver=resolving(hooks_test="127.0.0.1"))
    port = receiver.server_address[1]

    # when
    with guarded_session(guard) as session:
        response = session.post(f"http://hooks.test:{port}/hook", data=b"{}")

    # then
    assert response.status_code == 200
    assert receiver.seen == [("/hook", f"hooks.test:{port}")]


def test_a_name_that_rebinds_inside_after_the_check_is_refused_when_connecting(receiver):
    # given a name that is public when checked and loopback a moment later
    answers = iter([[PUBLIC], ["127.0.0.1"]])
    guard = OutboundGuard(resolver=lambda host, port: next(answers))
    assert guard.addresses("rebind.example", 80) == [PUBLIC]

    # when
    with guarded_session(guard) as session, pytest.raises(OutboundRefused) as refused:
        session.post("http://rebind.example/hook", data=b"{}")

    # then
    assert refused.value.reason == RefusalReason.INTERNAL
    assert receiver.seen == []


def test_redirects_are_not_followed(receiver):
    # given
    receiver.status = 307
    guard = OutboundGuard(allow_internal=True)
    url = f"http://127.0.0.1:{receiver.server_address[1]}/hook"

    # when
    with guarded_session(guard) as session, pytest.raises(requests.TooManyRedirects):
        session.post(url, data=b"{}")

    # then
    assert receiver.seen == [("/hook", url.split("/")[2])]


@pytest.mark.parametrize(
    ("endpoint", "problem"),
    [
        ("https://fcm.googleapis.com/fcm/send/abc", None),
        ("https://updates.push.services.mozilla.com/wpush/v2/x", None),
        ("http://fcm.googleapis.com/fcm/send/abc", "Give the subscription's https endpoint."),
        (
            "https://127.0.0.1\\@fcm.googleapis.com/fcm/send/abc",
            "The endpoint is not a known browser push service.",
        ),
        (
            "https://fcm.googleapis.com.evil.example/x",
            "The endpoint is not a known browser push service.",
        ),
        (
            "https://x@fcm.googleapis.com/fcm/send/abc",
            "The URL must not contain a user name or password.",
        ),
        (
            "https://fcm.googleapis.com:8443/fcm/send/abc",
            "The URL must use the default port of its scheme.",
        ),
    ],
)
def test_push_endpoints_are_checked_before_they_are_stored(endpoint, problem):
    # when
    found = check_push_endpoint(endpoint)

    # then
    assert (None if found is None else str(found)) == problem


@pytest.mark.django_db
def test_a_push_endpoint_that_smuggles_a_loopback_host_is_refused_at_send_time():
    # given a stored endpoint urlsplit reads as push.example, requests as 127.0.0.1:port
    service, subscriber = FakePushService(), Subscriber.new()
    with service.server:
        port = service.server.base_url.rsplit(":", 1)[1]
        endpoint = f"http://127.0.0.1:{port}\\@push.example/push/anna"

        # when
        [result] = send_batch(WebPushBackend("shop@example.com"), [push(1, endpoint, subscriber)])

    # then
    assert (result.ok, result.permanent) == (False, True)
    assert result.error == f"recipient {endpoint!r} is not a push endpoint URL"
    assert service.server.requests == []


@pytest.mark.django_db
def test_a_push_endpoint_resolving_inside_is_refused_when_connecting():
    # given a push service name that resolves to loopback
    guard = OutboundGuard(resolver=resolving(push_example="127.0.0.1"))
    message = push(1, "https://push.example/push/anna", Subscriber.new())

    # when
    [result] = send_batch(WebPushBackend("shop@example.com", guard=guard), [message])

    # then
    assert (result.ok, result.permanent) == (False, True)
    assert result.error == (
        "push endpoint refused: The URL's host is in a private, local or reserved network. "
        "(push.example (127.0.0.1))"
    )


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://127.0.0.1:8080/hook", "The URL must use the default port of its scheme."),
        ("http://10.0.0.5/hook", "The URL must name a host, not an IP address."),
        ("https://127.0.0.1\\@crm.example/x", "The URL must name a host, not an IP address."),
        ("https://u:p@crm.example/hook", "The URL must not contain a user name or password."),
        ("ftp://crm.example/hook", "Enter an absolute http(s) URL."),
    ],
)
def test_webhook_steps_refuse_internal_urls_naming_the_field(url, message):
    # when
    with pytest.raises(FieldError) as refused:
        parse_step_config("webhook", {"url": url}, "steps[2].config")

    # then
    assert (refused.value.field, refused.value.message) == ("steps[2].config.url", message)


def test_the_shop_may_allow_internal_webhooks_but_never_credentials(settings):
    # given
    settings.SALEOR_MA_ALLOW_INTERNAL_WEBHOOKS = True

    # when
    parsed = parse_step_config("webhook", {"url": "http://10.0.0.5:8080/hook"}, "config")

    # then
    assert parsed.url == "http://10.0.0.5:8080/hook"
    with pytest.raises(FieldError, match="user name or password"):
        parse_step_config("webhook", {"url": "http://u:p@10.0.0.5/hook"}, "config")


def _delivery(url: str) -> WebhookDelivery:
    contact = Contact.objects.create(email="anna@example.com")
    return WebhookDelivery.objects.create(
        idempotency_key=f"test:{contact.pk}",
        url=url,
        payload={"contact": {"id": contact.pk}},
        next_attempt_at="2020-01-01T00:00:00Z",
    )


@pytest.mark.django_db
def test_a_stored_internal_webhook_fails_for_good_without_a_request(receiver):
    # given a delivery stored before its URL would have been refused
    delivery = _delivery(f"http://127.0.0.1:{receiver.server_address[1]}/hook")

    # when
    delivered = deliver_due_webhooks()

    # then
    delivery.refresh_from_db()
    assert delivered == 1
    assert (delivery.status, delivery.response_status, delivery.last_error) == (
        MessageStatus.FAILED,
        None,
        "refused: The URL must use the default port of its scheme. (127.0.0.1:"
        f"{receiver.server_address[1]})",
    )
    assert receiver.seen == []


@pytest.mark.django_db
def test_a_webhook_host_resolving_inside_fails_for_good(receiver):
    # given
    delivery = _delivery("https://crm.example/hook")
    guard = OutboundGuard(resolver=resolving(crm_example="127.0.0.1"))

    # when
    deliver_due_webhooks(guard=guard)

    # then
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (MessageStatus.FAILED, 1)
    assert delivery.last_error.startswith("refused: The URL's host is in a private")
    assert receiver.seen == []


@pytest.mark.django_db
def test_internal_webhooks_are_delivered_when_the_shop_allows_them(settings, receiver):
    # given
    settings.SALEOR_MA_ALLOW_INTERNAL_WEBHOOKS = True
    delivery = _delivery(f"http://127.0.0.1:{receiver.server_address[1]}/hook")

    # when
    deliver_due_webhooks()

    # then
    delivery.refresh_from_db()
    assert (delivery.status, delivery.response_status) == (MessageStatus.SENT, 200)
    assert [path for path, _ in receiver.seen] == ["/hook"]
