"""Building a multipart/alternative email as bytes, fast.

Python's email package spends about a millisecond per message on policies and header
folding; the send loop builds thousands per second, so for plain SMTP we write the MIME
structure directly (RFC 5322 headers, RFC 2047 encoded words, 8-bit or quoted-printable
bodies).
"""

import binascii
import random
import re
import time
from dataclasses import dataclass
from email.header import Header
from email.utils import formataddr, formatdate, make_msgid, parseaddr
from functools import lru_cache

from django.core.mail.message import DNS_NAME

from .base import OutgoingMessage

QP = b"Content-Transfer-Encoding: quoted-printable\r\n\r\n"
MAX_LINE_OCTETS = 998
_boundaries = random.Random()
#: No control character in a header we write: CR or LF would end the header and start one
#: of the writer's choosing (a sender name "Shop\r\nBcc: ..." adds a recipient).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")
HEADER_NAME = re.compile(r"^[\x21-\x39\x3b-\x7e]+$")
#: Header names checked once (a handful, the same for every message).
_SAFE_NAMES: set[str] = set()


class HeaderRefused(ValueError):
    """A header the message would carry is unsafe; the message is not sent."""


def check_headers(outgoing: OutgoingMessage) -> None:
    """Refuse control characters in every header value we write, and odd header names."""
    values = {
        "From": outgoing.from_address,
        "To": outgoing.recipient,
        "Subject": outgoing.subject,
        **outgoing.headers,
    }
    for name in values:
        if name not in _SAFE_NAMES:
            if not HEADER_NAME.match(name):
                raise HeaderRefused(f"unsafe header name {name!r}")
            _SAFE_NAMES.add(name)
    # One search over all values (joining makes no control character); which header holds
    # one is only looked for when there is one.
    if CONTROL_CHARACTERS.search("".join(values.values())) is None:
        return
    for name, value in values.items():
        if CONTROL_CHARACTERS.search(value):
            raise HeaderRefused(f"the {name} header contains a control character: {value!r}")


def _header_value(value: str) -> str:
    """ASCII as is; anything else as RFC 2047 encoded words."""
    if value.isascii():
        return value
    return _encoded_words(value)


@lru_cache(maxsize=1024)
def _encoded_words(value: str) -> str:
    # A broadcast's subject is the same for every reader: encode it once.
    return Header(value, "utf-8").encode()


@lru_cache(maxsize=256)
def _address(value: str) -> str:
    """``Name <addr>`` with the display name quoted or encoded (RFC 2047) as it needs."""
    if value.isascii() or "<" not in value:
        return value
    name, address = parseaddr(value)
    if not address:
        raise HeaderRefused(f"unreadable sender address {value!r}")
    return formataddr((name, address), charset="utf-8")


@lru_cache(maxsize=256)
def message_id_domain(sender: str) -> str:
    """The right-hand side of our Message-IDs: the sender address's domain, so the ID
    matches the From domain (as DKIM-aligned senders' do), not this machine's host name;
    the host name only when the sender has no usable domain."""
    address = parseaddr(sender)[1] if sender else ""
    domain = address.rpartition("@")[2].strip().rstrip(".") if "@" in address else ""
    try:
        domain = domain.encode("idna").decode("ascii").lower() if domain else ""
    except UnicodeError:
        domain = ""
    if not domain or CONTROL_CHARACTERS.search(domain) or not re.fullmatch(r"[\w.-]+", domain):
        return str(DNS_NAME)
    return domain


@lru_cache(maxsize=2)
def _date_of(second: int) -> str:
    return formatdate(second, localtime=False)


def _date_now() -> str:
    """The Date header (RFC 5322, to the second): written once a second, not per message."""
    return _date_of(int(time.time()))


def _quoted_printable(text: str) -> bytes:
    return binascii.b2a_qp(text.replace("\r\n", "\n").encode(), istext=True).replace(
        b"\n", b"\r\n"
    )


@dataclass(frozen=True)
class BuiltMessage:
    envelope_sender: str
    message_id: str
    raw: bytes
    #: A part is sent as 8-bit UTF-8: the server must be told (MAIL FROM ... BODY=8BITMIME).
    eight_bit: bool


def lines_fit(data: bytes, limit: int = MAX_LINE_OCTETS) -> bool:
    """Is every line of ``data`` (split at LF) at most ``limit`` octets long?

    From each line's start, the last LF within the next ``limit`` + 1 octets is the next
    start; where there is none, that line is too long. A newsletter's HTML is checked in a
    dozen jumps, where splitting it into its hundreds of lines cost several times as much.
    """
    start, end = 0, len(data)
    while end - start > limit:
        newline = data.rfind(b"\n", start, start + limit + 1)
        if newline < 0:
            return False
        start = newline + 1
    return True


def _part(text: str, content_type: str, eight_bit_allowed: bool) -> tuple[bytes, bool]:
    """Headers and body of one part: as is where the server takes 8-bit lines, else QP.

    Quoted-printable costs more to make than everything else in the message; servers that
    announce 8BITMIME (Postfix, Exim, every ESP) take UTF-8 as it is, in lines of at most
    998 octets (RFC 5322).
    """
    if eight_bit_allowed:
        # Each pass over a newsletter's HTML costs microseconds: only as many as needed.
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        data = text.encode()
        if lines_fit(data):
            encoded = data.replace(b"\n", b"\r\n")
            eight_bit = not data.isascii()
            head = (
                f"Content-Type: {content_type}; charset=utf-8\r\n"
                f"Content-Transfer-Encoding: {'8bit' if eight_bit else '7bit'}\r\n\r\n"
            ).encode()
            return head + encoded, eight_bit
    head = f"Content-Type: {content_type}; charset=utf-8\r\n".encode() + QP
    return head + _quoted_printable(text), False


def build_mime(
    outgoing: OutgoingMessage, default_from: str, eight_bit_allowed: bool = False
) -> BuiltMessage:
    """The message as bytes, with its envelope sender and Message-ID.

    Raises ``HeaderRefused`` for a header value with a control character.
    """
    check_headers(outgoing)
    sender = outgoing.from_address or default_from
    message_id = make_msgid(domain=message_id_domain(sender))
    headers = {
        "From": _address(sender),
        "To": outgoing.recipient,
        "Subject": _header_value(outgoing.subject),
        "Date": _date_now(),
        "Message-ID": message_id,
        "MIME-Version": "1.0",
        **{name: _header_value(value) for name, value in outgoing.headers.items()},
    }
    text_part, text_eight_bit = _part(outgoing.text, "text/plain", eight_bit_allowed)
    if outgoing.html:
        # A boundary must only be absent from the parts: quoted-printable never yields "=_",
        # and 8-bit parts are checked. It is no secret, so the cheap generator will do.
        boundary = f"=_{_boundaries.getrandbits(96):024x}"
        html_part, html_eight_bit = _part(outgoing.html, "text/html", eight_bit_allowed)
        if boundary.encode() in text_part or boundary.encode() in html_part:
            return build_mime(outgoing, default_from, eight_bit_allowed=False)
        headers["Content-Type"] = f'multipart/alternative; boundary="{boundary}"'
        delimiter = f"\r\n--{boundary}\r\n".encode()
        body = b"".join(
            (
                delimiter.lstrip(b"\r\n"),
                text_part,
                delimiter,
                html_part,
                f"\r\n--{boundary}--\r\n".encode(),
            )
        )
        eight_bit = text_eight_bit or html_eight_bit
    else:
        head, _, body = text_part.partition(b"\r\n\r\n")
        for line in head.decode().split("\r\n"):
            name, _, value = line.partition(": ")
            headers[name] = value
        eight_bit = text_eight_bit
    head = "".join(f"{name}: {value}\r\n" for name, value in headers.items()).encode()
    return BuiltMessage(_envelope(sender), message_id, b"".join((head, b"\r\n", body)), eight_bit)


def _envelope(sender: str) -> str:
    return sender.rpartition("<")[2].rstrip(">").strip() if "<" in sender else sender
