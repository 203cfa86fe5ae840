"""Template and newsletter topic queries and mutations, assembled."""

import graphene

from .mutations.newsletter_topic_create import NewsletterTopicCreate
from .mutations.newsletter_topic_delete import NewsletterTopicDelete
from .mutations.newsletter_topic_update import NewsletterTopicUpdate
from .mutations.template_create import TemplateCreate
from .mutations.template_delete import TemplateDelete
from .mutations.template_revert import TemplateRevert
from .mutations.template_send_test import TemplateSendTest
from .mutations.template_update import TemplateUpdate
from .queries import MessagingQueries as Queries


class Mutations(graphene.ObjectType):
    template_create = TemplateCreate.Field()
    template_update = TemplateUpdate.Field()
    template_delete = TemplateDelete.Field()
    template_revert = TemplateRevert.Field()
    template_send_test = TemplateSendTest.Field()
    newsletter_topic_create = NewsletterTopicCreate.Field()
    newsletter_topic_update = NewsletterTopicUpdate.Field()
    newsletter_topic_delete = NewsletterTopicDelete.Field()


__all__ = ["Mutations", "Queries"]
