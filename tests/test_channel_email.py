"""The email channel over real SMTP (a loopback server), and the MIME it writes."""

import email
import email.policy

import pytest

from saleor_ma_plugin.messaging.channels.base import OutgoingMessage
from saleor_ma_plugin.messaging.channels.email import EmailChannel
from saleor_ma_plugin.messaging.channels.mime import build_mime
from tests.channel_contract import ChannelContract, ContractHarness
from tests.fake_smtp import FakeSMTPServer

SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
HTML = '<html><body><p style="color:#333">Grüße, Anna ☕</p><a href="https://x.test/?a=1&amp;b=2">Go</a></body></html>'


def outgoing(message_id: int, recipient: str = "", **fields) -> OutgoingMessage:
    values = {
        "subject": "Frischer Kaffee für dich ☕",
        "text": "Hallo Anna,\nneue Bohnen sind da.",
        "html": HTML,
        "from_address": "Kaffee & Co — Grüße <shop@example.com>",
        "headers": {
            "List-Unsubscribe": "<https://api.example.com/u/t0k3n/>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    }
    return OutgoingMessage(
        message_id, "email", recipient or f"reader{message_id}@example.com", **{**values, **fields}
    )


@pytest.fixture
def smtp_server(settings):
    with FakeSMTPServer() as server:
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
        yield server


def test_fast_mime_is_standard_mail_that_decodes_to_what_was_rendered():
    # when
    envelope, message_id, raw = build_mime(outgoing(1), "fallback@example.com")

    # then
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert envelope == "shop@example.com"
    assert parsed["Message-ID"] == message_id
    assert parsed["Subject"] == "Frischer Kaffee für dich ☕"
    assert parsed["From"].addresses[0].display_name == "Kaffee & Co — Grüße"
    assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text, html = (part.get_content() for part in parsed.iter_parts())
    assert text.replace("\r\n", "\n") == "Hallo Anna,\nneue Bohnen sind da."
    assert html.strip() == HTML
    assert max(len(line) for line in raw.split(b"\r\n")) <= 998


def test_smtp_path_sends_over_one_connection(smtp_server):
    # given
    channel = EmailChannel(SMTP_BACKEND)

    # when
    channel.open()
    results = channel.send([outgoing(1), outgoing(2, "bounce@example.com"), outgoing(3)])
    channel.close()

    # then
    assert [(r.message_id, r.ok, r.permanent) for r in results] == [
        (1, True, False),
        (2, False, True),
        (3, True, False),
    ]
    assert [recipients for _, recipients, _ in smtp_server.received] == [
        ["reader1@example.com"],
        ["reader3@example.com"],
    ]
    delivered = email.message_from_bytes(smtp_server.received[0][2], policy=email.policy.default)
    assert delivered["Message-ID"] == results[0].provider_message_id


class TestEmailChannelContract(ChannelContract):
    @pytest.fixture
    def harness(self, smtp_server):
        return ContractHarness(
            backend=EmailChannel(SMTP_BACKEND),
            message=lambda message_id: outgoing(message_id),
            failing_message=lambda message_id: outgoing(message_id, "bounce@example.com"),
            unsupported_message=lambda message_id: outgoing(message_id, text="", html=""),
            delivered=lambda: [recipients[0] for _, recipients, _ in smtp_server.received],
        )
