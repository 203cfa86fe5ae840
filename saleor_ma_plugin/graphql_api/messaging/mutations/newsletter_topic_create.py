from ....core.auth import MarketingPermission
from ....messaging.models import NewsletterTopic
from .inputs import NewsletterTopicCreateInput, NewsletterTopicPayload
from .topics import clean_position, clean_slug, clean_texts


class NewsletterTopicCreate(NewsletterTopicPayload):
    """Add a newsletter topic; its slug must be unique and never changes."""

    permissions = (MarketingPermission.MANAGE_MARKETING,)

    class Arguments:
        input = NewsletterTopicCreateInput(required=True)

    @classmethod
    def perform(cls, root, info, input):
        topic = NewsletterTopic.objects.create(
            slug=clean_slug(input.slug),
            names=clean_texts(input.names, "names", required=True),
            descriptions=clean_texts(input.get("descriptions") or {}, "descriptions", False),
            position=clean_position(input.get("position") or 0),
        )
        return cls.success(newsletter_topic=topic)
