"""Email through any Django email backend (SMTP, django-anymail, ...), one connection a batch."""

from django.core.mail import EmailMultiAlternatives, get_connection

from .base import ChannelBackend, OutgoingMessage, SendResult

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

    def send(self, messages: list[OutgoingMessage]) -> list[SendResult]:
        return [self._send_one(message) for message in messages]

    def _send_one(self, outgoing: OutgoingMessage) -> SendResult:
        email = EmailMultiAlternatives(
            subject=outgoing.subject,
            body=outgoing.text,
            from_email=outgoing.from_address or None,
            to=[outgoing.recipient],
            headers=outgoing.headers,
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
        return SendResult(outgoing.message_id, ok=True, provider_message_id=str(provider_id))


def _first_recipient_code(error: Exception):
    recipients = getattr(error, "recipients", None)
    if isinstance(recipients, dict) and recipients:
        return next(iter(recipients.values()))[0]
    return None
