"""Email through any Django email backend (SMTP, django-anymail, ...), one connection a batch."""

from collections.abc import Callable, Iterable
from email.utils import make_msgid

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend

from .base import ChannelBackend, OutgoingMessage, SendResult
from .mime import HeaderRefused, build_mime, check_headers, message_id_domain
from .smtp_stream import (
    Envelope,
    empty_result,
    failed_result,
    send_stream,
)


class EmailChannel(ChannelBackend):
    channel = "email"

    def __init__(self, backend_path: str = ""):
        self.backend_path = backend_path or None
        self.connection = None

    def open(self) -> None:
        if not (self.backend_path or getattr(settings, "EMAIL_BACKEND", "")):
            # Saleor leaves EMAIL_BACKEND empty unless EMAIL_URL is set.
            raise ImproperlyConfigured(
                "No email backend: set the plugin's email backend setting, or EMAIL_URL "
                "(Saleor) / EMAIL_BACKEND (Django)."
            )
        self.connection = get_connection(self.backend_path, fail_silently=False)
        self.connection.open()

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def send(
        self,
        messages: Iterable[OutgoingMessage],
        on_result: Callable[[SendResult], None] | None = None,
    ) -> list[SendResult]:
        if isinstance(self.connection, SMTPBackend) and self.connection.connection is not None:
            return self._send_smtp(messages, on_result)
        results = []
        for message in messages:
            results.append(self._send_one(message))
            if on_result is not None:
                on_result(results[-1])
        return results

    def _send_smtp(self, messages: Iterable[OutgoingMessage], on_result) -> list[SendResult]:
        """Plain SMTP: each message built as bytes while the previous one is in flight.

        Pipelined, a message costs one round trip, and the next message is built before
        its reply is read; a thread to overlap the rest cost more CPU than it saved.
        """
        smtp = self.connection.connection
        smtp.ehlo_or_helo_if_needed()
        eight_bit = smtp.has_extn("8bitmime")

        def envelopes():
            for outgoing in messages:
                if not outgoing.text and not outgoing.html:
                    yield Envelope(outgoing, None)
                    continue
                try:
                    built = build_mime(outgoing, settings.DEFAULT_FROM_EMAIL, eight_bit)
                except HeaderRefused as refused:
                    yield Envelope(outgoing, None, refusal=f"HeaderRefused: {refused}")
                    continue
                yield Envelope(outgoing, built)

        return send_stream(smtp, envelopes(), on_result)

    def _send_one(self, outgoing: OutgoingMessage) -> SendResult:
        if not outgoing.text and not outgoing.html:
            return empty_result(outgoing)
        try:
            check_headers(outgoing)
        except HeaderRefused as refused:
            error = f"HeaderRefused: {refused}"
            return SendResult(
                outgoing.message_id, ok=False, error=error, permanent=True, address_at_fault=False
            )
        sender = outgoing.from_address or settings.DEFAULT_FROM_EMAIL
        message_id = make_msgid(domain=message_id_domain(sender))
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
            return failed_result(outgoing, error)
        status = getattr(email, "anymail_status", None)
        provider_id = (getattr(status, "message_id", None) or "") if status else ""
        return SendResult(
            outgoing.message_id, ok=True, provider_message_id=str(provider_id or message_id)
        )
