"""The email channel over real SMTP (a loopback server), and the MIME it writes."""

import email
import email.policy

import pytest
from django.core.exceptions import ImproperlyConfigured
from hypothesis import given
from hypothesis import strategies as st

from saleor_ma_plugin.messaging.channels.base import OutgoingMessage
from saleor_ma_plugin.messaging.channels.email import EmailChannel
from saleor_ma_plugin.messaging.channels.mime import HeaderRefused, build_mime, lines_fit
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
    built = build_mime(outgoing(1), "fallback@example.com")

    # then
    raw = built.raw
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert built.envelope_sender == "shop@example.com"
    assert built.eight_bit is False
    assert b"Content-Transfer-Encoding: quoted-printable" in raw
    assert parsed["Message-ID"] == built.message_id
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


@pytest.mark.parametrize("long_line", [False, True])
def test_eight_bit_mime_decodes_the_same_and_falls_back_for_long_lines(long_line):
    # given a server that takes 8-bit lines, and a part that may be too long for one line
    html = HTML + ("<p>" + "x" * 1200 + "</p>" if long_line else "")

    # when
    built = build_mime(outgoing(1, html=html), "fallback@example.com", eight_bit_allowed=True)

    # then the standard parser reads back exactly what was rendered
    parsed = email.message_from_bytes(built.raw, policy=email.policy.default)
    text, decoded_html = (part.get_content() for part in parsed.iter_parts())
    assert text.replace("\r\n", "\n") == "Hallo Anna,\nneue Bohnen sind da."
    assert decoded_html.strip() == html
    assert max(len(line) for line in built.raw.split(b"\r\n")) <= 998
    # the ASCII text part is 7-bit, the HTML (umlauts) 8-bit unless a line is too long
    encodings = [part["Content-Transfer-Encoding"] for part in parsed.iter_parts()]
    assert encodings == ["7bit", "quoted-printable" if long_line else "8bit"]
    assert built.eight_bit is not long_line


@pytest.mark.parametrize("extensions", [("PIPELINING", "8BITMIME"), ()])
def test_pipelined_and_plain_smtp_deliver_the_same_and_recover_from_refusals(settings, extensions):
    # given a server with or without PIPELINING and 8BITMIME, and refusals in the middle
    with FakeSMTPServer(extensions=extensions) as server:
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
        channel = EmailChannel(SMTP_BACKEND)
        batch = [
            outgoing(1),
            outgoing(2, "bounce1@example.com"),
            outgoing(3, "bounce2@example.com"),
            outgoing(4, text="", html=""),
            outgoing(5, subject="Hello .", text=".leading dot\n..two\n."),
        ]

        # when
        channel.open()
        results = channel.send(batch)
        channel.close()

    # then every message has its result, the refused ones are permanent failures
    assert [(r.message_id, r.ok, r.permanent) for r in results] == [
        (1, True, False),
        (2, False, True),
        (3, False, True),
        (4, False, True),
        (5, True, False),
    ]
    assert results[1].error.startswith("SMTPRecipientsRefused: {'bounce1@example.com': (550")
    assert [recipients for _, recipients, _ in server.received] == [
        ["reader1@example.com"],
        ["reader5@example.com"],
    ]
    # and what arrived decodes to what was sent, dots and all
    last = email.message_from_bytes(server.received[1][2], policy=email.policy.default)
    text = next(last.iter_parts()).get_content().replace("\r\n", "\n")
    assert text == ".leading dot\n..two\n."
    assert last["Message-ID"] == results[4].provider_message_id
    wanted_option = "BODY=8BITMIME" if extensions else ""
    assert server.mail_options[0] == wanted_option


def test_an_unconfigured_email_backend_is_named_in_the_error(settings):
    # given Saleor without EMAIL_URL: no backend anywhere
    settings.EMAIL_BACKEND = ""
    channel = EmailChannel("")

    # when / then
    with pytest.raises(ImproperlyConfigured, match="No email backend"):
        channel.open()
    assert channel.connection is None


@pytest.mark.parametrize(
    ("lines", "fits"),
    [
        ([], True),
        ([998], True),
        ([999], False),
        ([10, 998, 0, 998], True),
        ([998, 999], False),
        ([999, 3], False),
        ([0, 0, 998, 1], True),
        ([500] * 40, True),
        ([500] * 40 + [999], False),
        ([997, 998, 999, 1], False),
    ],
)
def test_line_lengths_are_judged_exactly_at_the_limit(lines, fits):
    # given lines of these lengths (no line break in them), joined by LF
    data = b"\n".join(b"x" * length for length in lines)

    # when / then: the jumping check agrees with measuring every line
    assert lines_fit(data) is fits
    assert fits is (max(map(len, data.split(b"\n"))) <= 998)


@given(st.lists(st.integers(min_value=0, max_value=1100), max_size=30), st.integers(1, 1000))
def test_line_lengths_agree_with_measuring_every_line(lengths, limit):
    # given any lines, and any limit
    data = b"\n".join(b"y" * length for length in lengths)

    # then the check says what splitting and measuring says
    assert lines_fit(data, limit) is (max(map(len, data.split(b"\n"))) <= limit)


@pytest.mark.parametrize(
    ("fields", "refusal"),
    [
        ({"subject": "Hi\r\nBcc: thief@evil.example"}, "the Subject header contains a control"),
        ({"headers": {"X-Campaign": "spring\x00"}}, "the X-Campaign header contains a control"),
        ({"headers": {"X Campaign": "spring"}}, "unsafe header name 'X Campaign'"),
        ({"headers": {"X-Bad:": "spring"}}, "unsafe header name 'X-Bad:'"),
    ],
)
def test_an_unsafe_header_is_named_and_the_message_not_built(fields, refusal):
    # given a message whose headers are fine but for one
    message = outgoing(1, **fields)

    # when / then it is refused, naming the header, after valid messages passed the check
    build_mime(outgoing(2), "fallback@example.com")
    with pytest.raises(HeaderRefused) as refused:
        build_mime(message, "fallback@example.com")
    assert str(refused.value).startswith(refusal)
