import graphene

from ....contacts import ConsentMethod
from ....contacts.details import clean_details
from ....contacts.proof import client_ip, consent_proof
from ....messaging.subscriptions import subscribe
from ...core.mutations import BaseMutation
from ..profile import ProfileDetailsInput, apply_profile
from ..rate_limit import NEWSLETTER_PER_EMAIL, NEWSLETTER_PER_IP, enforce
from ..validation import (
    MAX_CONSENT_TEXT,
    clean_email,
    clean_language,
    clean_text,
    clean_topics,
    clean_url,
)
from ..visitors import customer


class NewsletterSubscribeInput(graphene.InputObjectType):
    email = graphene.String(required=True)
    topics = graphene.List(
        graphene.NonNull(graphene.String),
        description="Newsletter topic slugs; the general newsletter is always included.",
    )
    language = graphene.String(description="Language of the form, e.g. de; used for the mail.")
    consent_text = graphene.String(
        description="The consent wording the visitor was shown; stored as proof."
    )
    source_url = graphene.String(description="The page the form is on; stored as proof.")
    profile = ProfileDetailsInput(
        description="Optional details; they complete the profile, never change it."
    )


class NewsletterSubscribe(BaseMutation):
    """Sign up for the newsletter: with double opt-in a confirmation mail goes out at once.

    The answer is the same whether the address is new, known or already subscribed, so the
    form cannot be used to find out who is a customer.
    """

    permissions = ()

    class Arguments:
        input = NewsletterSubscribeInput(required=True)

    @classmethod
    def perform(cls, root, info, input):
        request = info.context.request
        email = clean_email(input.email)
        enforce((NEWSLETTER_PER_IP, client_ip(request)), (NEWSLETTER_PER_EMAIL, email))
        topics = clean_topics(input.get("topics"))
        language = clean_language(input.get("language"))
        proof = consent_proof(
            request,
            ConsentMethod.FORM,
            wording=clean_text(input.get("consent_text"), "consentText", MAX_CONSENT_TEXT),
            source_url=clean_url(input.get("source_url"), "sourceUrl"),
            language=language,
        )
        details = input.get("profile")
        if details:
            clean_details(dict(details), "input.profile")  # refused before anything is stored
        contact = subscribe(email, topics, language, proof)
        visitor = customer(info)
        own = visitor is not None and visitor.email == email  # a customer about themselves
        apply_profile(contact, details, overwrite=own, path="input.profile")
        return cls.success()
