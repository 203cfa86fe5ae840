"""Email backends for tests: they behave like an SMTP server refusing some recipients."""

import smtplib

from django.core import mail
from django.core.mail.backends.locmem import EmailBackend


class RefusingBackend(EmailBackend):
    """Refuses addresses starting with "bounce" (permanent) or "busy" (temporary)."""

    def send_messages(self, messages):
        for message in messages:
            recipient = message.to[0]
            if recipient.startswith("bounce"):
                raise smtplib.SMTPRecipientsRefused({recipient: (550, b"5.1.1 no such user")})
            if recipient.startswith("busy"):
                raise smtplib.SMTPRecipientsRefused({recipient: (451, b"4.3.0 try again later")})
        return super().send_messages(messages)


__all__ = ["RefusingBackend", "mail"]
