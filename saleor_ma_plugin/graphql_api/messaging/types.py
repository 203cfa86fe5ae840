"""Template, rendered preview and newsletter topic types."""

import graphene

from ...messaging.models import NewsletterTopic as NewsletterTopicModel
from ...messaging.models import Template as TemplateModel
from ..campaigns.permissions import can_read
from ..core.enums import MessageChannelEnum, TemplateKindEnum
from ..core.mutations import requestor_of
from ..core.types import JSON, CountableConnection


class Template(graphene.ObjectType):
    """One version of an email template; the newest active version of a key and language
    is the one sent, and without any the shipped default is."""

    class Meta:
        interfaces = (graphene.relay.Node,)

    key = graphene.String(required=True, description="Template key campaigns send, a slug.")
    language = graphene.String(required=True, description='Language code, e.g. "en".')
    version = graphene.Int(required=True, description="1, 2, ... per key and language.")
    source = graphene.String(
        required=True, description="Django template with subject, text_body and html_body blocks."
    )
    is_active = graphene.Boolean(
        required=True, description="False once deleted; the newest active version is sent."
    )
    created_at = graphene.DateTime(required=True)
    reverted_from = graphene.Int(
        description="The earlier version whose source this one restores; null for an edit."
    )

    @classmethod
    def is_type_of(cls, root, info):
        return isinstance(root, TemplateModel)

    @classmethod
    def get_node(cls, info, pk):
        if not can_read(requestor_of(info)):
            return None
        return TemplateModel.objects.filter(pk=pk).first()


class TemplateCountableConnection(CountableConnection):
    class Meta:
        node = Template


class TemplateSummary(graphene.ObjectType):
    """A template key in one language: the version sent now and when it last changed."""

    key = graphene.String(required=True)
    language = graphene.String(required=True)
    channels = graphene.List(
        graphene.NonNull(MessageChannelEnum),
        required=True,
        description="Channels of the send steps using the key; EMAIL for shipped keys and "
        "keys no step uses. SMS sends the text part, push the subject and text.",
    )
    kind = TemplateKindEnum(required=True)
    shipped = graphene.Boolean(required=True, description="A default ships with the plugin.")
    active_version = graphene.Int(
        description="The stored version sent now; null while the shipped default is."
    )
    version_count = graphene.Int(required=True, description="Stored versions, deleted included.")
    updated_at = graphene.DateTime(description="When the newest stored version was saved.")


class TemplateInUse(graphene.ObjectType):
    """The source a message of a key and language is rendered from now."""

    source = graphene.String(required=True)
    version = graphene.Int(required=True, description="0 while the shipped default is used.")
    language = graphene.String(
        required=True,
        description="The language the source is written in: English when the asked one has "
        "no template of the key.",
    )
    shipped_source = graphene.String(
        description="The default shipped with the plugin in the asked language, if any."
    )


class RenderedTemplate(graphene.ObjectType):
    subject = graphene.String(required=True)
    text = graphene.String(required=True, description="Plain-text part.")
    html = graphene.String(required=True, description="HTML part, CSS inlined; may be empty.")


class NewsletterTopic(graphene.ObjectType):
    """A newsletter topic contacts subscribe to separately (consents name it by slug)."""

    class Meta:
        interfaces = (graphene.relay.Node,)

    slug = graphene.String(required=True, description="Permanent: consents refer to it.")
    names = JSON(required=True, description='Name per language, e.g. {"en": "Deals"}.')
    descriptions = JSON(required=True, description="Description per language.")
    position = graphene.Int(required=True, description="Order in the preference centre.")

    @classmethod
    def is_type_of(cls, root, info):
        return isinstance(root, NewsletterTopicModel)

    @classmethod
    def get_node(cls, info, pk):
        if not can_read(requestor_of(info)):
            return None
        return NewsletterTopicModel.objects.filter(pk=pk).first()


class NewsletterTopicCountableConnection(CountableConnection):
    class Meta:
        node = NewsletterTopic
