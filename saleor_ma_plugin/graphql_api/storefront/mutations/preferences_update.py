import graphene

from ....contacts import GENERAL_TOPIC, ConsentChannel, ConsentMethod, ConsentStatus
from ....contacts.models import Consent
from ....contacts.proof import consent_proof
from ....messaging.models import NewsletterTopic
from ....messaging.subscriptions import update_preferences
from ...core.mutations import BaseMutation
from ..profile import ProfileDetailsInput, apply_profile
from ..types import Preferences, preferences_of
from ..validation import invalid
from ..visitors import read_token

MAX_PAUSE_DAYS = 365


class PreferenceTopicInput(graphene.InputObjectType):
    slug = graphene.String(required=True)
    subscribed = graphene.Boolean(required=True)


class PreferencesUpdateInput(graphene.InputObjectType):
    email = graphene.Boolean(description="Marketing email on or off; omitted keeps it.")
    topics = graphene.List(graphene.NonNull(PreferenceTopicInput))
    pause_days = graphene.Int(
        description=f"Pause marketing for this many days (0 resumes, at most {MAX_PAUSE_DAYS}); "
        "omitted keeps the current pause."
    )
    profile = ProfileDetailsInput(description="Details the contact changes about themselves.")


class PreferencesUpdate(BaseMutation):
    """Save the preference centre: marketing email, topics and a pause; every change is
    logged with its proof."""

    permissions = ()

    preferences = graphene.Field(Preferences)

    class Arguments:
        token = graphene.String(required=True, description="The contact token of the link.")
        input = PreferencesUpdateInput(required=True)

    @classmethod
    def perform(cls, root, info, token, input):
        contact, _ = read_token(token, "token")
        apply_profile(contact, input.get("profile"), overwrite=True, path="input.profile")
        contact.refresh_from_db()
        topics = cls.clean_topics(input.get("topics") or [])
        pause_days = input.get("pause_days")
        if pause_days is not None and not 0 <= pause_days <= MAX_PAUSE_DAYS:
            raise invalid(f"Give 0 to {MAX_PAUSE_DAYS} days.", "pauseDays")
        email_on = input.get("email")
        if email_on is None:
            email_on = Consent.objects.filter(
                contact=contact,
                channel=ConsentChannel.EMAIL,
                topic=GENERAL_TOPIC,
                status=ConsentStatus.SUBSCRIBED,
            ).exists()
        paused_until = contact.marketing_paused_until
        update_preferences(
            contact,
            email_on=email_on,
            topics=topics,
            pause_days=pause_days or 0,
            proof=consent_proof(info.context.request, ConsentMethod.PREFERENCE_CENTRE),
        )
        if pause_days is None and contact.marketing_paused_until != paused_until:
            # update_preferences always sets the pause; "omitted" means leave it as it was.
            contact.marketing_paused_until = paused_until
            contact.save(update_fields=["marketing_paused_until", "updated_at"])
        return cls.success(preferences=preferences_of(contact))

    @staticmethod
    def clean_topics(choices) -> dict[str, bool]:
        """``{slug: subscribed}`` of known topics, each given once."""
        slugs = [(choice.slug or "").strip() for choice in choices]
        known = set(NewsletterTopic.objects.filter(slug__in=slugs).values_list("slug", flat=True))
        wanted: dict[str, bool] = {}
        for index, (slug, choice) in enumerate(zip(slugs, choices, strict=True)):
            field = f"topics[{index}].slug"
            if slug not in known:
                raise invalid(f"Unknown newsletter topic: {slug}.", field)
            if slug in wanted:
                raise invalid(f"The topic {slug} is given twice.", field)
            wanted[slug] = choice.subscribed
        return wanted
