import graphene

from ....core.auth import MarketingPermission
from ....messaging.models import NewsletterTopic
from ...core.ids import object_for_update
from .inputs import NewsletterTopicPayload, NewsletterTopicUpdateInput
from .topics import clean_position, clean_texts


class NewsletterTopicUpdate(NewsletterTopicPayload):
    """Change a topic's names, descriptions or position; the slug stays."""

    permissions = (MarketingPermission.MANAGE_MARKETING,)

    class Arguments:
        id = graphene.ID(required=True)
        input = NewsletterTopicUpdateInput(required=True)

    @classmethod
    def perform(cls, root, info, id, input):
        topic = object_for_update(NewsletterTopic, id)
        if input.get("names") is not None:
            topic.names = clean_texts(input.names, "names", required=True)
        if input.get("descriptions") is not None:
            topic.descriptions = clean_texts(input.descriptions, "descriptions", False)
        if input.get("position") is not None:
            topic.position = clean_position(input.position)
        topic.save()
        return cls.success(newsletter_topic=topic)
