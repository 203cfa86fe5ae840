"""Finding the template version or topic a mutation names, with the API's errors."""

from ....messaging.models import NewsletterTopic, Template
from ...core.errors import MarketingErrorCode, MutationError
from ...core.ids import model_pk


def template_for_update(global_id: str, field: str = "id") -> Template:
    template = (
        Template.objects.select_for_update()
        .filter(pk=model_pk(global_id, "Template", field))
        .first()
    )
    if template is None:
        raise MutationError("No such template.", MarketingErrorCode.NOT_FOUND, field)
    return template


def topic_for_update(global_id: str, field: str = "id") -> NewsletterTopic:
    topic = (
        NewsletterTopic.objects.select_for_update()
        .filter(pk=model_pk(global_id, "NewsletterTopic", field))
        .first()
    )
    if topic is None:
        raise MutationError("No such newsletter topic.", MarketingErrorCode.NOT_FOUND, field)
    return topic
