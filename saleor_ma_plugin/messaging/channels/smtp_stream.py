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
        return empty_result(outgoing)
    options = ["BODY=8BITMIME"] if built.eight_bit else []
    try:
        smtp.sendmail(built.envelope_sender, [outgoing.recipient], built.raw, options)
    except OSError as error:  # SMTPException is one: a refusal, or a broken connection
        return failed_result(outgoing, error)
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
        except OSError as error:  # smtplib.SMTPException is an OSError too
            # The connection broke: whatever was not confirmed is retried later.
            answered = {result.message_id for result in results}
            for envelope in [*taken, *stream]:
                if envelope.outgoing.message_id not in answered:
                    answered.add(envelope.outgoing.message_id)
                    results.append(failed_result(envelope.outgoing, error))
        return results

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
        reset = self._write(ending, envelope)
        following = self._next_sendable(stream, results)
        if finishing is not None:
            results.append(self._result_of_data(finishing))
        return following, self._read_envelope_replies(envelope, reset)

    def _next_sendable(self, stream, results: list[SendResult]) -> Envelope | None:
        for envelope in stream:
            if envelope.built is not None:
                return envelope
            results.append(empty_result(envelope.outgoing))
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
    stuffed = raw.replace(b"\n.", b"\n..")
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
