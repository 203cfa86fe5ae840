"""Sending a stream of messages over one SMTP connection, one round trip per message.

smtplib waits for the server after MAIL, RCPT, DATA and the message: four round trips. A
server announcing PIPELINING (RFC 2920) lets the client send MAIL, RCPT and DATA as one
group and, since the message content may start a group, the end of one message together
with the next message's MAIL, RCPT and DATA. Without PIPELINING, smtplib's own sendmail
is used. Replies are matched to messages in order; a refused transaction is reset (RSET)
before the next one.
"""

import smtplib
from collections.abc import Iterator
from dataclasses import dataclass

from .base import OutgoingMessage, SendResult
from .mime import BuiltMessage

#: SMTP replies that mean the address will never work (RFC 5321 5.1.x).
PERMANENT_SMTP_CODES = {550, 551, 553, 554}


@dataclass(frozen=True)
class Envelope:
    outgoing: OutgoingMessage
    built: BuiltMessage | None


def send_stream(smtp: smtplib.SMTP, envelopes: Iterator[Envelope]) -> list[SendResult]:
    """Send every message; return one result per message, in order."""
    if not smtp.has_extn("pipelining"):
        return [_send_one(smtp, envelope) for envelope in envelopes]
    return _Pipeline(smtp).run(envelopes)


def _send_one(smtp: smtplib.SMTP, envelope: Envelope) -> SendResult:
    outgoing, built = envelope.outgoing, envelope.built
    if built is None:
        return _empty(outgoing)
    options = ["BODY=8BITMIME"] if built.eight_bit else []
    try:
        smtp.sendmail(built.envelope_sender, [outgoing.recipient], built.raw, options)
    except smtplib.SMTPException as error:
        code = getattr(error, "smtp_code", None) or first_recipient_code(error)
        return _failed(outgoing, error, code)
    except OSError as error:  # the connection broke: retried later, like the rest
        return _failed(outgoing, error, None)
    return SendResult(outgoing.message_id, ok=True, provider_message_id=built.message_id)


class _Pipeline:
    def __init__(self, smtp: smtplib.SMTP) -> None:
        self.smtp = smtp
        self.needs_reset = False
        self.refused: SendResult | None = None

    def run(self, envelopes: Iterator[Envelope]) -> list[SendResult]:
        results: list[SendResult] = []
        taken: list[Envelope] = []
        stream = _recording(envelopes, taken)
        try:
            self._send_all(stream, results)
        except (OSError, smtplib.SMTPException) as error:
            # The connection broke: whatever was not confirmed is retried later.
            answered = {result.message_id for result in results}
            for envelope in [*taken, *stream]:
                if envelope.outgoing.message_id not in answered:
                    answered.add(envelope.outgoing.message_id)
                    results.append(_failed(envelope.outgoing, error, None))
        return results

    def _send_all(self, stream: Iterator[Envelope], results: list[SendResult]) -> None:
        """Each group is written before the next message is built, then its replies read."""
        current = self._next_sendable(stream, results)
        if current is None:
            return
        reset = self._write(b"", current)
        upcoming = self._next_sendable(stream, results)
        accepted = self._read_envelope_replies(current, reset)
        while True:
            if not accepted:
                results.append(self.refused)
                if upcoming is None:
                    return
                current = upcoming
                reset = self._write(b"", current)
                upcoming = self._next_sendable(stream, results)
                accepted = self._read_envelope_replies(current, reset)
                continue
            content = _dot_stuffed(current.built.raw)
            if not content.endswith(b"\r\n"):
                content += b"\r\n"
            ending = content + b".\r\n"
            if upcoming is None:
                self.smtp.sock.sendall(ending)
                results.append(self._result_of_data(current))
                return
            reset = self._write(ending, upcoming)
            following = self._next_sendable(stream, results)
            results.append(self._result_of_data(current))
            accepted = self._read_envelope_replies(upcoming, reset)
            current, upcoming = upcoming, following

    def _next_sendable(self, stream, results: list[SendResult]) -> Envelope | None:
        for envelope in stream:
            if envelope.built is not None:
                return envelope
            results.append(_empty(envelope.outgoing))
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
            self.refused = _failed(outgoing, error, mail[0])
        elif recipient[0] not in (250, 251):
            error = smtplib.SMTPRecipientsRefused({outgoing.recipient: recipient})
            self.refused = _failed(outgoing, error, recipient[0])
        else:
            error = smtplib.SMTPDataError(data[0], data[1])
            self.refused = _failed(outgoing, error, data[0])
        return False

    def _result_of_data(self, envelope: Envelope) -> SendResult:
        # After the final dot the server has closed the transaction, accepted or not.
        code, text = self.smtp.getreply()
        if code == 250:
            return SendResult(
                envelope.outgoing.message_id,
                ok=True,
                provider_message_id=envelope.built.message_id,
            )
        return _failed(envelope.outgoing, smtplib.SMTPDataError(code, text), code)


def _dot_stuffed(raw: bytes) -> bytes:
    """RFC 5321 4.5.2: a line that starts with a dot gets another one (lines end in CRLF)."""
    stuffed = raw.replace(b"\n.", b"\n..")
    return b"." + stuffed if stuffed.startswith(b".") else stuffed


def _recording(envelopes: Iterator[Envelope], taken: list[Envelope]) -> Iterator[Envelope]:
    for envelope in envelopes:
        taken.append(envelope)
        yield envelope


def _empty(outgoing: OutgoingMessage) -> SendResult:
    return SendResult(outgoing.message_id, ok=False, error="empty message", permanent=True)


def _failed(outgoing: OutgoingMessage, error: Exception, code) -> SendResult:
    return SendResult(
        outgoing.message_id,
        ok=False,
        error=f"{type(error).__name__}: {error}"[:2000],
        permanent=code in PERMANENT_SMTP_CODES,
    )


def first_recipient_code(error: Exception):
    recipients = getattr(error, "recipients", None)
    if isinstance(recipients, dict) and recipients:
        return next(iter(recipients.values()))[0]
    return None
