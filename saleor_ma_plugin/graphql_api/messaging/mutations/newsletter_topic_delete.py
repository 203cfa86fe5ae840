import graphene

from ....core.auth import MarketingPermission
from ....messaging.models import NewsletterTopic
from ...core.errors import MarketingErrorCode, MutationError
from ...core.ids import object_for_update
from .inputs import NewsletterTopicPayload
from .topics import campaigns_using


class NewsletterTopicDelete(NewsletterTopicPayload):
    """Remove a topic from the preference centre.

    Refused while a campaign that is not archived targets it. Consents to the topic and
    their proof log stay.
    """

    permissions = (MarketingPermission.MANAGE_MARKETING,)

    class Arguments:
        id = graphene.ID(required=True)

    @classmethod
    def perform(cls, root, info, id):
        topic = object_for_update(NewsletterTopic, id)
        users = campaigns_using(topic.slug)
        if users:
            raise MutationError(
                f"Campaigns use this topic: {', '.join(users)}. Change or archive them first.",
                MarketingErrorCode.INVALID,
                "id",
            )
        pk = topic.pk
        topic.delete()
        topic.pk = pk  # the answer names what was deleted
        return cls.success(newsletter_topic=topic)
