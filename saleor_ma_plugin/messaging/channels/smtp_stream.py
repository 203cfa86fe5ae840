"""Sending a stream of messages over one SMTP connection, one round trip per message.

smtplib waits for the server after MAIL, RCPT, DATA and the message: four round trips. A
server announcing PIPELINING (RFC 2920) lets the client send MAIL, RCPT and DATA as one
group and, since the message content may start a group, the end of one message together
with the next message's MAIL, RCPT and DATA. Without PIPELINING, smtplib's own sendmail
is used. Replies are matched to messages in order; a refused transaction is reset (RSET)
before the next one.

A connection that breaks after a message's final dot was sent and before its reply was
read leaves that message's fate unknown: the server may have queued it (RFC 5321 4.1.1.4
accepts at the dot). Such a message gets an ``unknown`` result, never a retryable failure,
so the send loop does not send it twice; see ``delivery``. At most ``PIPELINE_WINDOW``
messages are on the wire without a reply at any moment, and of those at most
``CONTENT_IN_FLIGHT`` with their final dot sent: every message's result is reported before
the next message's content is written.
"""

import re
import smtplib
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from .base import OutgoingMessage, SendResult
from .mime import BuiltMessage

LINE_STARTING_WITH_A_DOT = re.compile(rb"\n\.")
#: SMTP replies that mean the address will never work (RFC 5321 5.1.x).
PERMANENT_SMTP_CODES = {550, 551, 553, 554}
#: Messages sent without their reply read, at most: the one whose content is on its way and
#: the next one's MAIL, RCPT and DATA (which the server cannot accept without content).
PIPELINE_WINDOW = 2
#: Of those, the ones a server may have taken before their reply was read: a message is
#: taken at its final dot, and each message's reply is read (and reported) before the next
#: message's content is written. The send journal's bound rests on this (see ``delivery``).
CONTENT_IN_FLIGHT = 1


@dataclass(frozen=True)
class Envelope:
    outgoing: OutgoingMessage
    built: BuiltMessage | None
    #: Why the message was not built (a header it may not carry); empty: nothing to send.
    refusal: str = ""


class _Results(list):
    """Results in order; each is also reported at once, for the caller to record it."""

    def __init__(self, on_result: Callable[[SendResult], None] | None) -> None:
        super().__init__()
        self.on_result = on_result

    def append(self, result: SendResult) -> None:
        super().append(result)
        if self.on_result is not None:
            self.on_result(result)


def send_stream(
    smtp: smtplib.SMTP,
    envelopes: Iterator[Envelope],
    on_result: Callable[[SendResult], None] | None = None,
) -> list[SendResult]:
    """Send every message; return one result per message, in order, reporting each at once."""
    results = _Results(on_result)
    if not smtp.has_extn("pipelining"):
        for envelope in envelopes:
            results.append(_send_one(smtp, envelope))
        return list(results)
    _Pipeline(smtp).run(envelopes, results)
    return list(results)


def _send_one(smtp: smtplib.SMTP, envelope: Envelope) -> SendResult:
    """smtplib's sendmail, step by step: a reply lost after the content is told apart."""
    outgoing, built = envelope.outgoing, envelope.built
    if built is None:
        return unbuilt_result(envelope)
    options = ["BODY=8BITMIME"] if built.eight_bit else []
    try:
        refusal = _open_transaction(smtp, built, outgoing.recipient, options)
        if refusal is not None:
            smtp.rset()
            return failed_result(outgoing, refusal)
        smtp.send(_data_of(built.raw))
    except OSError as error:  # SMTPException is one: a refusal, or a broken connection
        return failed_result(outgoing, error)
    try:
        code, text = smtp.getreply()
    except OSError as error:
        return unknown_result(outgoing, error)
    if code != 250:
        return failed_result(outgoing, smtplib.SMTPDataError(code, text))
    return SendResult(outgoing.message_id, ok=True, provider_message_id=built.message_id)


def _open_transaction(smtp, built: BuiltMessage, recipient: str, options) -> Exception | None:
    """MAIL, RCPT and DATA; the server's refusal as an exception, or None to go on."""
    code, text = smtp.mail(built.envelope_sender, options)
    if code != 250:
        return smtplib.SMTPSenderRefused(code, text, built.envelope_sender)
    code, text = smtp.rcpt(recipient)
    if code not in (250, 251):
        return smtplib.SMTPRecipientsRefused({recipient: (code, text)})
    code, text = smtp.docmd("data")
    if code != 354:
        return smtplib.SMTPDataError(code, text)
    return None


class _Pipeline:
    def __init__(self, smtp: smtplib.SMTP) -> None:
        self.smtp = smtp
        self.needs_reset = False
        self.refused: SendResult | None = None
        #: Messages whose final dot was sent and whose reply was not read yet.
        self.unconfirmed: set[int] = set()

    def run(self, envelopes: Iterator[Envelope], results: list[SendResult]) -> None:
        taken: list[Envelope] = []
        stream = _recording(envelopes, taken)
        try:
            self._send_all(stream, results)
        except OSError as error:  # smtplib.SMTPException is an OSError too
            # The connection broke: a message whose content went out may have been taken
            # (unknown); the rest was not, and is retried later.
            answered = {result.message_id for result in results}
            for envelope in [*taken, *stream]:
                message_id = envelope.outgoing.message_id
                if message_id not in answered:
                    answered.add(message_id)
                    results.append(
                        unknown_result(envelope.outgoing, error)
                        if message_id in self.unconfirmed
                        else failed_result(envelope.outgoing, error)
                    )

    def _send_all(self, stream: Iterator[Envelope], results: list[SendResult]) -> None:
        """Each group is written before the next message is built, then its replies read."""
        current = self._next_sendable(stream, results)
        if current is None:
            return
        upcoming, accepted = self._group(b"", None, current, stream, results)
        while True:
            if accepted:
                ending, finishing = _data_of(current.built.raw), current
            else:
                results.append(self.refused)
                ending, finishing = b"", None
            if upcoming is None:
                if finishing is not None:
                    self.unconfirmed.add(finishing.outgoing.message_id)
                    self.smtp.sock.sendall(ending)
                    results.append(self._result_of_data(finishing))
                return
            following, accepted = self._group(ending, finishing, upcoming, stream, results)
            current, upcoming = upcoming, following

    def _group(self, ending: bytes, finishing, envelope: Envelope, stream, results):
        """One round trip: [the previous message's content,] then ``envelope``'s commands.

        The next message is built while the group is on its way; returns it and whether the
        server took ``envelope``'s MAIL, RCPT and DATA.
        """
        if finishing is not None:
            # Part of a failed write may have reached the server, the final dot included.
            self.unconfirmed.add(finishing.outgoing.message_id)
        reset = self._write(ending, envelope)
        following = self._next_sendable(stream, results)
        if finishing is not None:
            results.append(self._result_of_data(finishing))
        return following, self._read_envelope_replies(envelope, reset)

    def _next_sendable(self, stream, results: list[SendResult]) -> Envelope | None:
        for envelope in stream:
            if envelope.built is not None:
                return envelope
            results.append(unbuilt_result(envelope))
        return None

    def _write(self, ending: bytes, envelope: Envelope) -> bool:
        """Send [the end of the previous message,] [RSET,] MAIL, RCPT, DATA; say if RSET."""
        built, reset = envelope.built, self.needs_reset
        body = " BODY=8BITMIME" if built.eight_bit else ""
        commands = (
            ("RSET\r\n" if reset else "")
            + f"MAIL FROM:<{built.envelope_sender}>{body}\r\n"
            + f"RCPT TO:<{envelope.outgoing.recipient}>\r\nDATA\r\n"
        )
        self.smtp.sock.sendall(ending + commands.encode())
        self.needs_reset = False
        return reset

    def _read_envelope_replies(self, envelope: Envelope, reset: bool) -> bool:
        """Read the replies to [RSET,] MAIL, RCPT and DATA; True when the content may follow."""
        if reset:
            self.smtp.getreply()
        mail, recipient, data = (self.smtp.getreply() for _ in range(3))
        if data[0] == 354 and recipient[0] in (250, 251) and mail[0] == 250:
            return True
        if data[0] == 354:  # a server that took DATA anyway: end an empty message
            self.smtp.sock.sendall(b".\r\n")
            self.smtp.getreply()
        self.needs_reset = True  # the refused transaction may still hold MAIL
        outgoing, built = envelope.outgoing, envelope.built
        if mail[0] != 250:
            error = smtplib.SMTPSenderRefused(mail[0], mail[1], built.envelope_sender)
            self.refused = failed_result(outgoing, error)
        elif recipient[0] not in (250, 251):
            error = smtplib.SMTPRecipientsRefused({outgoing.recipient: recipient})
            self.refused = failed_result(outgoing, error)
        else:
            error = smtplib.SMTPDataError(data[0], data[1])
            self.refused = failed_result(outgoing, error)
        return False

    def _result_of_data(self, envelope: Envelope) -> SendResult:
        # After the final dot the server has closed the transaction, accepted or not.
        code, text = self.smtp.getreply()
        self.unconfirmed.discard(envelope.outgoing.message_id)
        if code == 250:
            return SendResult(
                envelope.outgoing.message_id,
                ok=True,
                provider_message_id=envelope.built.message_id,
            )
        return failed_result(envelope.outgoing, smtplib.SMTPDataError(code, text))


def _data_of(raw: bytes) -> bytes:
    """The message as DATA content, ended by the lone dot (RFC 5321 4.5.2: a line that
    starts with a dot gets another one; lines end in CRLF)."""
    # Searching first: a line that starts with a dot is rare, and a replace that finds
    # nothing costs several times as much as the search.
    stuffed = raw.replace(b"\n.", b"\n..") if LINE_STARTING_WITH_A_DOT.search(raw) else raw
    if stuffed.startswith(b"."):
        stuffed = b"." + stuffed
    if not stuffed.endswith(b"\r\n"):
        stuffed += b"\r\n"
    return stuffed + b".\r\n"


def _recording(envelopes: Iterator[Envelope], taken: list[Envelope]) -> Iterator[Envelope]:
    for envelope in envelopes:
        taken.append(envelope)
        yield envelope


def empty_result(outgoing: OutgoingMessage) -> SendResult:
    return SendResult(outgoing.message_id, ok=False, error="empty message", permanent=True)


def unbuilt_result(envelope: Envelope) -> SendResult:
    """A message that was not built: empty, or refused before it reached the server."""
    if not envelope.refusal:
        return empty_result(envelope.outgoing)
    return SendResult(
        envelope.outgoing.message_id,
        ok=False,
        error=envelope.refusal,
        permanent=True,
        address_at_fault=False,
    )


def unknown_result(outgoing: OutgoingMessage, error: Exception) -> SendResult:
    """The content reached the server, its reply did not reach us: it may have been taken."""
    return SendResult(
        outgoing.message_id,
        ok=False,
        error=f"outcome unknown: {type(error).__name__}: {error}"[:2000],
        unknown=True,
    )


def failed_result(outgoing: OutgoingMessage, error: Exception) -> SendResult:
    """A failed send; permanent when the server's reply code says the address is bad."""
    code = getattr(error, "smtp_code", None) or _first_recipient_code(error)
    return SendResult(
        outgoing.message_id,
        ok=False,
        error=f"{type(error).__name__}: {error}"[:2000],
        permanent=code in PERMANENT_SMTP_CODES,
    )


def _first_recipient_code(error: Exception):
    recipients = getattr(error, "recipients", None)
    if isinstance(recipients, dict) and recipients:
        return next(iter(recipients.values()))[0]
    return None
