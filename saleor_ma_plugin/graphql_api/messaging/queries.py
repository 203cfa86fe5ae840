"""Template and newsletter topic queries."""

import graphene
from django.db.models import Q
from django.utils import translation

from ...campaigns.template_overview import template_summaries
from ...messaging.models import NewsletterTopic as NewsletterTopicModel
from ...messaging.models import Template as TemplateModel
from ...messaging.templates_store import (
    MissingTemplate,
    TemplateStore,
    shipped_keys,
    shipped_source,
)
from ..campaigns.permissions import require_read
from ..core.enums import MessageChannelEnum, TemplateKindEnum
from ..core.errors import MarketingErrorCode, MutationError
from ..core.ids import model_pk
from ..core.mutations import requestor_of
from ..core.types import paginate
from .templates import clean_key, clean_language, effective_source, preview_context, render
from .types import (
    NewsletterTopicCountableConnection,
    RenderedTemplate,
    Template,
    TemplateCountableConnection,
    TemplateInUse,
    TemplateSummary,
)


class TemplateFilterInput(graphene.InputObjectType):
    key = graphene.String(description="Exactly this key.")
    language = graphene.String(description="Exactly this language.")
    search = graphene.String(description="Part of the key or of the source.")
    is_active = graphene.Boolean()


class TemplateSummaryFilterInput(graphene.InputObjectType):
    search = graphene.String(description="Part of the key.")
    language = graphene.String(description="Exactly this language.")
    channel = MessageChannelEnum(description="Keys sent through this channel.")
    kind = TemplateKindEnum()


class MessagingQueries(graphene.ObjectType):
    templates = graphene.Field(
        TemplateCountableConnection,
        filter=TemplateFilterInput(),
        first=graphene.Int(),
        after=graphene.String(),
        last=graphene.Int(),
        before=graphene.String(),
        description=(
            "Stored template versions, by key and language, newest version first. "
            "Requires MANAGE_MARKETING."
        ),
    )
    template = graphene.Field(Template, id=graphene.ID(required=True))
    template_summaries = graphene.List(
        graphene.NonNull(TemplateSummary),
        required=True,
        filter=TemplateSummaryFilterInput(),
        description="Every shipped or stored template key per language, by key then language: "
        "the version sent now, when it last changed, its channels and kind. "
        "Requires MANAGE_MARKETING.",
    )
    template_in_use = graphene.Field(
        TemplateInUse,
        key=graphene.String(required=True),
        language=graphene.String(required=True),
        description="The source a send of the key in the language uses now, and the shipped "
        "default. Requires MANAGE_MARKETING.",
    )
    template_keys = graphene.List(
        graphene.NonNull(graphene.String),
        description="Keys of the templates shipped with the plugin.",
    )
    template_preview = graphene.Field(
        RenderedTemplate,
        key=graphene.String(required=True),
        language=graphene.String(required=True),
        source=graphene.String(description="An unsaved draft; without it the template in use."),
        contact_id=graphene.ID(
            description="Render with this contact's data; without it with sample data."
        ),
        description="Render a template as a contact would receive it; nothing is sent or stored.",
    )
    newsletter_topics = graphene.Field(
        NewsletterTopicCountableConnection,
        first=graphene.Int(),
        after=graphene.String(),
        last=graphene.Int(),
        before=graphene.String(),
        description="Newsletter topics in preference-centre order. Requires MANAGE_MARKETING.",
    )

    @staticmethod
    def resolve_templates(root, info, filter=None, **page):
        require_read(requestor_of(info))
        templates = TemplateModel.objects.all()
        if filter:
            if filter.get("key"):
                templates = templates.filter(key=filter["key"])
            if filter.get("language"):
                templates = templates.filter(language=filter["language"].lower())
            if filter.get("search"):
                search = filter["search"]
                templates = templates.filter(
                    Q(key__icontains=search) | Q(source__icontains=search)
                )
            if filter.get("is_active") is not None:
                templates = templates.filter(is_active=filter["is_active"])
        return paginate(
            templates.order_by("key", "language", "-version", "pk"),
            TemplateCountableConnection,
            **page,
        )

    @staticmethod
    def resolve_template_summaries(root, info, filter=None):
        require_read(requestor_of(info))
        summaries = template_summaries()
        filter = filter or {}
        if search := (filter.get("search") or "").strip().lower():
            summaries = [summary for summary in summaries if search in summary.key.lower()]
        if language := (filter.get("language") or "").strip().lower():
            summaries = [summary for summary in summaries if summary.language == language]
        if channel := filter.get("channel"):
            summaries = [summary for summary in summaries if channel in summary.channels]
        if kind := filter.get("kind"):
            summaries = [summary for summary in summaries if summary.kind == kind]
        return summaries

    @staticmethod
    def resolve_template(root, info, id):
        require_read(requestor_of(info))
        return TemplateModel.objects.filter(pk=model_pk(id, "Template")).first()

    @staticmethod
    def resolve_template_in_use(root, info, key, language):
        require_read(requestor_of(info))
        key, language = clean_key(key), clean_language(language)
        try:
            found = TemplateStore().get(key, language)
        except MissingTemplate as error:
            raise MutationError(str(error), MarketingErrorCode.NOT_FOUND, "key") from None
        return TemplateInUse(
            source=found.source,
            version=found.version,
            language=found.language,
            shipped_source=shipped_source(key, language),
        )

    @staticmethod
    def resolve_template_keys(root, info):
        require_read(requestor_of(info))
        return shipped_keys()

    @staticmethod
    def resolve_template_preview(root, info, key, language, source=None, contact_id=None):
        require_read(requestor_of(info))
        key, language = clean_key(key), clean_language(language)
        data = preview_context(key, language, contact_id)
        # Dates and numbers in the reader's format, as the send renders them.
        with translation.override(language):
            rendered = render(effective_source(key, language, source), data)
        return RenderedTemplate(subject=rendered.subject, text=rendered.text, html=rendered.html)

    @staticmethod
    def resolve_newsletter_topics(root, info, **page):
        require_read(requestor_of(info))
        return paginate(
            NewsletterTopicModel.objects.order_by("position", "slug", "pk"),
            NewsletterTopicCountableConnection,
            **page,
        )
