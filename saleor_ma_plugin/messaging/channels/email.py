"""Email through any Django email backend (SMTP, django-anymail, ...), one connection a batch."""

import queue
import smtplib
import threading
from collections.abc import Iterable
from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.core.mail.message import DNS_NAME

from .base import ChannelBackend, OutgoingMessage, SendResult
from .mime import build_mime

#: SMTP replies that mean the address will never work (RFC 5321 5.1.x).
PERMANENT_SMTP_CODES = {550, 551, 553, 554}


class EmailChannel(ChannelBackend):
    channel = "email"

    def __init__(self, backend_path: str = ""):
        self.backend_path = backend_path or None
        self.connection = None

    def open(self) -> None:
        self.connection = get_connection(self.backend_path, fail_silently=False)
        self.connection.open()

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def send(self, messages: Iterable[OutgoingMessage]) -> list[SendResult]:
        if isinstance(self.connection, SMTPBackend) and self.connection.connection is not None:
            return self._send_smtp(messages)
        return [self._send_one(message) for message in messages]

    def _send_smtp(self, messages: list[OutgoingMessage]) -> list[SendResult]:
        """Plain SMTP: bytes built directly, socket waits overlapped with building the next."""
        pending: queue.Queue = queue.Queue(maxsize=64)
        results: list[SendResult] = []
        smtp = self.connection.connection

        def sender() -> None:
            while (item := pending.get()) is not None:
                results.append(_deliver(smtp, *item))

        worker = threading.Thread(target=sender, name="smtp-sender", daemon=True)
        worker.start()
        try:
            for outgoing in messages:
                built = None
                if outgoing.text or outgoing.html:
                    built = build_mime(outgoing, settings.DEFAULT_FROM_EMAIL)
                pending.put((outgoing, built))
        finally:
            pending.put(None)
            worker.join()
        return results

    def _send_one(self, outgoing: OutgoingMessage) -> SendResult:
        if not outgoing.text and not outgoing.html:
            return SendResult(outgoing.message_id, ok=False, error="empty message", permanent=True)
        message_id = make_msgid(domain=DNS_NAME)
        email = EmailMultiAlternatives(
            subject=outgoing.subject,
            body=outgoing.text,
            from_email=outgoing.from_address or None,
            to=[outgoing.recipient],
            headers={"Message-ID": message_id, **outgoing.headers},
            connection=self.connection,
        )
        if outgoing.html:
            email.attach_alternative(outgoing.html, "text/html")
        try:
            email.send()
        except Exception as error:  # backends raise anything from smtplib to HTTP errors
            code = getattr(error, "smtp_code", None) or _first_recipient_code(error)
            return SendResult(
                outgoing.message_id,
                ok=False,
                error=f"{type(error).__name__}: {error}"[:2000],
                permanent=code in PERMANENT_SMTP_CODES,
            )
        status = getattr(email, "anymail_status", None)
        provider_id = (getattr(status, "message_id", None) or "") if status else ""
        return SendResult(
            outgoing.message_id, ok=True, provider_message_id=str(provider_id or message_id)
        )


def _deliver(smtp: smtplib.SMTP, outgoing: OutgoingMessage, built) -> SendResult:
    """One SMTP transaction; refusals map to permanent or temporary failures by reply code."""
    if built is None:
        return SendResult(outgoing.message_id, ok=False, error="empty message", permanent=True)
    envelope, header_id, raw = built
    try:
        smtp.sendmail(envelope, [outgoing.recipient], raw)
    except smtplib.SMTPException as error:
        code = getattr(error, "smtp_code", None) or _first_recipient_code(error)
        error_text = f"{type(error).__name__}: {error}"[:2000]
        return SendResult(
            outgoing.message_id, ok=False, error=error_text, permanent=code in PERMANENT_SMTP_CODES
        )
    except OSError as error:  # the connection broke: retried later, like the rest of the batch
        return SendResult(outgoing.message_id, ok=False, error=f"{type(error).__name__}: {error}")
    return SendResult(outgoing.message_id, ok=True, provider_message_id=header_id)


def _first_recipient_code(error: Exception):
    recipients = getattr(error, "recipients", None)
    if isinstance(recipients, dict) and recipients:
        return next(iter(recipients.values()))[0]
    return None
