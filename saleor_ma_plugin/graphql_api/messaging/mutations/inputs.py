"""Inputs and payload bases shared by the template and topic mutations."""

import graphene

from ...core.mutations import BaseMutation
from ...core.types import JSON
from ..types import NewsletterTopic, Template


class TemplateCreateInput(graphene.InputObjectType):
    key = graphene.String(required=True, description="A shipped key to override, or a new one.")
    language = graphene.String(required=True, description='Language code, e.g. "en".')
    source = graphene.String(required=True)


class NewsletterTopicUpdateInput(graphene.InputObjectType):
    names = JSON(description='Name per language, e.g. {"en": "Deals", "de": "Angebote"}.')
    descriptions = JSON(description="Description per language.")
    position = graphene.Int()


class NewsletterTopicCreateInput(NewsletterTopicUpdateInput):
    slug = graphene.String(required=True, description="Unique and permanent.")
    names = JSON(required=True, description='Name per language, e.g. {"en": "Deals"}.')


class TemplatePayload(BaseMutation):
    """Base of mutations answering with a template version."""

    template = graphene.Field(Template)

    class Meta:
        abstract = True


class NewsletterTopicPayload(BaseMutation):
    """Base of mutations answering with a newsletter topic."""

    newsletter_topic = graphene.Field(NewsletterTopic)

    class Meta:
        abstract = True
