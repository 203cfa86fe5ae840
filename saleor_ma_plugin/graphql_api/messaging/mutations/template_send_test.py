import logging
import smtplib
from email.utils import formataddr

import graphene
from django.core.mail import EmailMultiAlternatives, get_connection
from django.utils import translation

from ....core.auth import MarketingPermission
from ....core.emails import is_valid_email, normalize_email
from ....core.host import plugin_settings
from ...core.errors import MarketingErrorCode, MutationError
from ...core.mutations import BaseMutation
from ..templates import clean_key, clean_language, effective_source, preview_context, render

logger = logging.getLogger(__name__)

TEST_PREFIX = "[Test] "


class TemplateSendTest(BaseMutation):
    """Send one email of a template, rendered with a contact's data (or sample data), to an
    address now.

    It goes through the configured email backend from the configured sender, its subject
    starts with "[Test]", and it is not recorded as a message: no tracking, no consent.
    """

    permissions = (MarketingPermission.MANAGE_MARKETING,)

    class Arguments:
        key = graphene.String(required=True)
        language = graphene.String(required=True)
        email = graphene.String(required=True, description="Where the test goes.")
        source = graphene.String(description="An unsaved draft; without it the template in use.")
        contact_id = graphene.ID(
            description="Render with this contact's data, as the preview does; without it "
            "with sample data."
        )

    @classmethod
    def perform(cls, root, info, key, language, email, source=None, contact_id=None):
        key, language = clean_key(key), clean_language(language)
        recipient = normalize_email(email)
        if not recipient or not is_valid_email(recipient):
            raise MutationError(
                "Enter a valid email address.", MarketingErrorCode.INVALID, "email"
            )
        data = preview_context(key, language, contact_id)
        # Dates and numbers in the reader's format, as the send renders them.
        with translation.override(language):
            rendered = render(effective_source(key, language, source), data)
        settings = plugin_settings()
        message = EmailMultiAlternatives(
            subject=TEST_PREFIX + rendered.subject,
            body=rendered.text,
            from_email=formataddr((settings.sender_name, settings.sender_address))
            if settings.sender_address
            else None,
            to=[recipient],
            headers={"X-Marketing-Test": key},
        )
        if rendered.html:
            message.attach_alternative(rendered.html, "text/html")
        try:
            connection = get_connection(settings.email_backend or None, fail_silently=False)
            message.connection = connection
            message.send()
        except smtplib.SMTPRecipientsRefused:
            raise MutationError(
                "The mail server refused this address.", MarketingErrorCode.INVALID, "email"
            ) from None
        except Exception:  # backends raise anything from smtplib to HTTP errors
            # Their text can quote hosts and credentials: it goes to the log, not the admin.
            logger.exception("The email backend failed to send a template test")
            raise MutationError(
                "The email backend did not accept the test message; the server log says why.",
                MarketingErrorCode.GRAPHQL_ERROR,
            ) from None
        return cls.success()
