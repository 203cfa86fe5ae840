import base64
import logging
import re
import threading

import pytest

from saleor_ma_plugin.messaging.channels.base import OutgoingMessage, SendResult
from saleor_ma_plugin.messaging.channels.sms import (
    MAX_SMS_LENGTH,
    ConsoleSms,
    ConsoleSmsBackend,
    TwilioSmsBackend,
    sms_backend_from_settings,
)
from tests.channel_contract import ChannelContract, ContractHarness
from tests.fake_http import CannedResponse, FakeHttpServer, RecordedRequest, closed_port_url
from tests.fake_providers import ACCOUNT_SID, INVALID_NUMBER, MESSAGES_PATH, FakeTwilio


def sms(
    message_id: int, recipient: str = "", text: str = "Your order has shipped."
) -> OutgoingMessage:
    return OutgoingMessage(
        message_id=message_id,
        channel="sms",
        recipient=recipient or f"+4915100000{message_id:03d}",
        text=text,
    )


@pytest.fixture
def twilio():
    fake = FakeTwilio()
    with fake.server:
        yield fake


def twilio_backend(base_url: str, from_number: str = "+4930123456", timeout: float = 5.0):
    return TwilioSmsBackend(ACCOUNT_SID, "s3cret-token", from_number, base_url, timeout)


class TestConsoleSmsContract(ChannelContract):
    @pytest.fixture
    def harness(self) -> ContractHarness:
        backend = ConsoleSmsBackend()
        return ContractHarness(
            backend=backend,
            message=sms,
            failing_message=lambda message_id: sms(message_id, recipient="0151 not e164"),
            unsupported_message=lambda message_id: sms(message_id, text="x" * 1601),
            delivered=lambda: [sent.recipient for sent in backend.sent],
        )


class TestTwilioSmsContract(ChannelContract):
    @pytest.fixture
    def harness(self, twilio: FakeTwilio) -> ContractHarness:
        return ContractHarness(
            backend=twilio_backend(twilio.server.base_url),
            message=sms,
            failing_message=lambda message_id: sms(message_id, recipient=INVALID_NUMBER),
            unsupported_message=lambda message_id: sms(message_id, text="x" * 1601),
            delivered=lambda: list(twilio.accepted),
        )


def test_console_backend_logs_and_keeps_each_sms(caplog):
    # given
    backend = ConsoleSmsBackend()
    caplog.set_level(logging.INFO, logger="saleor_ma_plugin.messaging.channels.sms")

    # when
    results = backend.send([sms(1), sms(2, text="Grüße 🎉")])

    # then
    assert results == [
        SendResult(1, ok=True, provider_message_id="console-1"),
        SendResult(2, ok=True, provider_message_id="console-2"),
    ]
    assert backend.sent == [
        ConsoleSms("+4915100000001", "Your order has shipped.", "console-1"),
        ConsoleSms("+4915100000002", "Grüße 🎉", "console-2"),
    ]
    assert caplog.messages == [
        "SMS console-1 to +4915100000001: Your order has shipped.",
        "SMS console-2 to +4915100000002: Grüße 🎉",
    ]


@pytest.mark.parametrize(
    ("message", "error"),
    [
        (sms(1, text="x" * 1601), "SMS text is 1601 characters, the limit is 1600"),
        (sms(1, text=""), "SMS needs a plain text body; this message has none"),
        (sms(1, recipient="030 123456"), "recipient '030 123456' is not an E.164 phone number"),
    ],
)
def test_console_backend_refuses_what_no_provider_would_send(message, error, caplog):
    # given
    backend = ConsoleSmsBackend()
    caplog.set_level(logging.INFO, logger="saleor_ma_plugin.messaging.channels.sms")

    # when
    results = backend.send([message])

    # then
    assert results == [SendResult(1, ok=False, error=error, permanent=True)]
    assert backend.sent == []
    assert caplog.messages == []


def test_text_of_exactly_the_limit_is_sent_whole():
    # given
    backend = ConsoleSmsBackend()

    # when
    results = backend.send([sms(1, text="x" * MAX_SMS_LENGTH)])

    # then
    assert results == [SendResult(1, ok=True, provider_message_id="console-1")]
    assert backend.sent[0].text == "x" * 1600


def test_twilio_request_carries_auth_sender_recipient_and_body(twilio):
    # given
    backend = twilio_backend(twilio.server.base_url)

    # when
    results = backend.send([sms(1, text="Grüße & 🎉 — 10% off")])

    # then
    assert results == [SendResult(1, ok=True, provider_message_id=f"SM{1:032x}")]
    [request] = twilio.server.requests
    assert (request.method, request.path) == ("POST", MESSAGES_PATH)
    credentials = base64.b64encode(f"{ACCOUNT_SID}:s3cret-token".encode()).decode()
    assert request.headers["authorization"] == f"Basic {credentials}"
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert twilio.forms() == [
        {"To": ["+4915100000001"], "From": ["+4930123456"], "Body": ["Grüße & 🎉 — 10% off"]}
    ]


def test_twilio_messaging_service_sid_replaces_from(twilio):
    # given
    service_sid = "MG" + "ab" * 16
    backend = twilio_backend(twilio.server.base_url, from_number=service_sid)

    # when
    results = backend.send([sms(1)])

    # then
    assert results[0].ok is True
    assert twilio.forms() == [
        {
            "To": ["+4915100000001"],
            "MessagingServiceSid": [service_sid],
            "Body": ["Your order has shipped."],
        }
    ]


def test_twilio_invalid_number_fails_permanently_with_twilio_error(twilio):
    # given
    backend = twilio_backend(twilio.server.base_url)

    # when
    results = backend.send([sms(1, recipient=INVALID_NUMBER)])

    # then
    assert results == [
        SendResult(
            1,
            ok=False,
            error="twilio HTTP 400 error 21211: "
            "The 'To' number +15005550001 is not a valid phone number.",
            permanent=True,
        )
    ]
    assert twilio.accepted == []


@pytest.mark.parametrize(
    ("status", "body", "error"),
    [
        (
            429,
            b'{"code": 20429, "message": "Too Many Requests"}',
            "twilio HTTP 429 error 20429: Too Many Requests",
        ),
        (
            401,
            b'{"code": 20003, "message": "Authenticate"}',
            "twilio HTTP 401 error 20003: Authenticate",
        ),
        (500, b"<html>Internal Server Error</html>", "twilio HTTP 500"),
        (503, b"", "twilio HTTP 503"),
    ],
)
def test_twilio_throttling_credentials_and_server_errors_are_transient(
    twilio, status, body, error
):
    # given
    twilio.answers["+4915100000001"] = CannedResponse(status, body)
    backend = twilio_backend(twilio.server.base_url)

    # when
    results = backend.send([sms(1)])

    # then
    assert results == [SendResult(1, ok=False, error=error, permanent=False)]
    assert twilio.accepted == []


def test_twilio_unreachable_is_transient():
    # given
    backend = twilio_backend(closed_port_url())

    # when
    [result] = backend.send([sms(1)])

    # then
    assert (result.ok, result.permanent, result.provider_message_id) == (False, False, "")
    assert result.error.startswith("twilio unreachable: URLError: ")
    assert "Connection refused" in result.error


def test_twilio_timeout_is_transient():
    # given a provider that never answers within the timeout
    release = threading.Event()

    def hang(request: RecordedRequest) -> CannedResponse:
        release.wait(5)
        return CannedResponse(201, b'{"sid": "SMlate"}')

    with FakeHttpServer(hang) as server:
        backend = twilio_backend(server.base_url, timeout=0.2)

        # when
        try:
            [result] = backend.send([sms(1)])
        finally:
            release.set()

    # then
    assert (result.ok, result.permanent) == (False, False)
    assert result.error == "twilio unreachable: TimeoutError: timed out"


def test_twilio_is_not_called_for_text_over_the_limit(twilio):
    # given
    backend = twilio_backend(twilio.server.base_url)

    # when
    results = backend.send([sms(1, text="x" * 1601)])

    # then
    assert results == [
        SendResult(
            1, ok=False, error="SMS text is 1601 characters, the limit is 1600", permanent=True
        )
    ]
    assert twilio.server.requests == []


def test_twilio_accepted_without_sid_is_not_resent(twilio):
    # given
    twilio.answers["+4915100000001"] = CannedResponse(201, b"not json")
    backend = twilio_backend(twilio.server.base_url)

    # when
    results = backend.send([sms(1)])

    # then
    assert results == [SendResult(1, ok=True, error="twilio response has no sid")]


def test_settings_choose_the_console_backend():
    # when
    backend = sms_backend_from_settings({"backend": "console"})

    # then
    assert type(backend) is ConsoleSmsBackend
    assert backend.sent == []


def test_settings_choose_twilio_with_its_options():
    # when
    backend = sms_backend_from_settings(
        {
            "backend": "twilio",
            "account_sid": ACCOUNT_SID,
            "auth_token": "s3cret-token",
            "from_number": "+4930123456",
            "base_url": "http://127.0.0.1:9/",
            "timeout": "2.5",
        }
    )

    # then
    assert type(backend) is TwilioSmsBackend
    assert backend.url == f"http://127.0.0.1:9{MESSAGES_PATH}"
    assert (backend.from_number, backend.timeout) == ("+4930123456", 2.5)


def test_settings_default_to_the_real_twilio_api():
    # when
    backend = sms_backend_from_settings(
        {"backend": "twilio", "account_sid": ACCOUNT_SID, "auth_token": "t", "from_number": "+1"}
    )

    # then
    assert backend.url == f"https://api.twilio.com{MESSAGES_PATH}"
    assert backend.timeout == 10.0


@pytest.mark.parametrize(
    ("config", "error"),
    [
        (
            {"backend": "nexmo"},
            "config['backend'] is 'nexmo'; expected one of 'console', 'twilio'",
        ),
        ({}, "config['backend'] is None; expected one of 'console', 'twilio'"),
        (
            {"backend": "twilio", "account_sid": ACCOUNT_SID},
            "SMS backend 'twilio' needs config['auth_token'], config['from_number']",
        ),
        (
            {
                "backend": "twilio",
                "account_sid": "AC1",
                "auth_token": "t",
                "from_number": "+1",
                "timeout": "soon",
            },
            "config['timeout'] is 'soon'; expected seconds",
        ),
    ],
)
def test_settings_name_the_bad_key(config, error):
    # when / then
    with pytest.raises(ValueError, match=f"^{re.escape(error)}$"):
        sms_backend_from_settings(config)
