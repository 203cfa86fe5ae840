"""Template and newsletter topic queries."""

import graphene
from django.db.models import Q

from ...contacts.models import Contact
from ...messaging.models import NewsletterTopic as NewsletterTopicModel
from ...messaging.models import Template as TemplateModel
from ...messaging.samples import sample_context
from ...messaging.templates_store import shipped_keys
from ..campaigns.permissions import require_read
from ..core.errors import MarketingErrorCode, MutationError
from ..core.ids import model_pk
from ..core.mutations import requestor_of
from ..core.types import paginate
from .templates import clean_key, clean_language, contact_context, effective_source, render
from .types import (
    NewsletterTopicCountableConnection,
    RenderedTemplate,
    Template,
    TemplateCountableConnection,
)


class TemplateFilterInput(graphene.InputObjectType):
    key = graphene.String(description="Exactly this key.")
    language = graphene.String(description="Exactly this language.")
    search = graphene.String(description="Part of the key or of the source.")
    is_active = graphene.Boolean()


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
    def resolve_template(root, info, id):
        require_read(requestor_of(info))
        return TemplateModel.objects.filter(pk=model_pk(id, "Template")).first()

    @staticmethod
    def resolve_template_keys(root, info):
        require_read(requestor_of(info))
        return shipped_keys()

    @staticmethod
    def resolve_template_preview(root, info, key, language, source=None, contact_id=None):
        require_read(requestor_of(info))
        key, language = clean_key(key), clean_language(language)
        if contact_id:
            contact = Contact.objects.filter(
                pk=model_pk(contact_id, "Contact", "contactId")
            ).first()
            if contact is None:
                raise MutationError("No such contact.", MarketingErrorCode.NOT_FOUND, "contactId")
            data = contact_context(contact, key, language)
        else:
            data = sample_context(language, key)
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
