"""The content block composer's queries: a send step's email for a contact, and the
catalogue entries a product picks block can name."""

from contextlib import contextmanager

import graphene
from django.template import TemplateSyntaxError
from django.utils.translation import gettext as _

from ...campaigns.models import Campaign as CampaignModel
from ...campaigns.proof import preview_step
from ...catalogue.content import MAX_ITEMS, LookupKind, content_catalogue
from ...contacts.models import Contact
from ...core.auth import Requestor
from ...core.host import ShopUnavailable
from ...messaging.rendering import TemplateRefused
from ...messaging.templates_store import MissingTemplate
from ..core.enums import enum_from_choices
from ..core.errors import MarketingErrorCode, MutationError
from ..core.ids import model_pk
from ..core.mutations import requestor_of
from .permissions import require_discounts_for, require_read

CatalogueLookupKindEnum = enum_from_choices(
    "CatalogueLookupKindEnum",
    LookupKind,
    "Product: a variant, named by its SKU; category and collection: by their slug.",
)
MAX_SEARCH_LENGTH = 100


class CampaignStepEmail(graphene.ObjectType):
    """A send step's email as one contact would get it: nothing is sent or stored."""

    subject = graphene.String(required=True)
    text = graphene.String(required=True, description="Plain-text part.")
    html = graphene.String(required=True, description="HTML part; links are not tracked.")
    from_address = graphene.String(required=True, description="The From header.")
    recipient = graphene.String(required=True, description="The contact's address.")


class CatalogueChoice(graphene.ObjectType):
    value = graphene.String(required=True, description="What a block stores: SKU or slug.")
    label = graphene.String(required=True)


def step_and_contact(
    campaign_id: str, contact_id: str, sender: Requestor | None = None
) -> tuple[CampaignModel, Contact]:
    """The campaign and contact named, or the API's NOT_FOUND error at the argument.

    ``sender``: who mails a test of the campaign; as for every other mutation of a
    campaign, one with voucher steps needs MANAGE_DISCOUNTS too.
    """
    campaign = CampaignModel.objects.filter(pk=model_pk(campaign_id, "Campaign", "campaignId"))
    contact = Contact.objects.filter(
        pk=model_pk(contact_id, "Contact", "contactId"), erased_at__isnull=True
    )
    if not campaign.exists():
        raise MutationError(_("No such campaign."), MarketingErrorCode.NOT_FOUND, "campaignId")
    if sender is not None:
        require_discounts_for(sender, campaign.values_list("steps__type", flat=True))
    if not contact.exists():
        raise MutationError(_("No such contact."), MarketingErrorCode.NOT_FOUND, "contactId")
    return campaign.get(), contact.get()


def shop_unreachable() -> MutationError:
    """App mode with Saleor's API down: a clear answer instead of an internal error."""
    return MutationError(
        _("The shop's catalogue cannot be reached right now; try again in a moment."),
        MarketingErrorCode.UNREACHABLE,
    )


@contextmanager
def template_errors():
    """The step's template problems as the API's errors at ``key``; shop data that cannot
    be had as an error of the whole request."""
    try:
        yield
    except ShopUnavailable:
        raise shop_unreachable() from None
    except MissingTemplate as error:
        raise MutationError(str(error), MarketingErrorCode.NOT_FOUND, "key") from None
    except (TemplateRefused, TemplateSyntaxError):
        raise MutationError(
            _("The step's template cannot be rendered; open it in the template editor."),
            MarketingErrorCode.TEMPLATE_REFUSED,
            "key",
        ) from None


class ComposerQueries(graphene.ObjectType):
    campaign_step_preview = graphene.Field(
        CampaignStepEmail,
        campaign_id=graphene.ID(required=True),
        key=graphene.String(required=True, description="The send step (email channel)."),
        contact_id=graphene.ID(required=True),
        description=(
            "The saved send step's email as the contact would get it now: its content blocks "
            "resolved and rendered as a delivery batch does. Nothing is sent or stored, links "
            "are not tracked, unsubscribe links are inert. Requires MANAGE_MARKETING."
        ),
    )
    catalogue_search = graphene.Field(
        graphene.List(graphene.NonNull(CatalogueChoice)),
        kind=CatalogueLookupKindEnum(required=True),
        search=graphene.String(required=True, description="Part of the name, SKU or slug."),
        first=graphene.Int(description=f"At most this many (1-{MAX_ITEMS * 2}), default 10."),
        description="Shop products, categories or collections for product picks blocks. "
        "Requires MANAGE_MARKETING.",
    )

    @staticmethod
    def resolve_campaign_step_preview(root, info, campaign_id, key, contact_id):
        require_read(requestor_of(info))
        campaign, contact = step_and_contact(campaign_id, contact_id)
        with template_errors():
            email = preview_step(campaign, key, contact)
        return CampaignStepEmail(
            subject=email.subject,
            text=email.text,
            html=email.html,
            from_address=email.from_address,
            recipient=email.recipient,
        )

    @staticmethod
    def resolve_catalogue_search(root, info, kind, search, first=10):
        require_read(requestor_of(info))
        if not 1 <= first <= MAX_ITEMS * 2:
            raise MutationError(
                _("Ask for 1 to %(max)s.") % {"max": MAX_ITEMS * 2},
                MarketingErrorCode.INVALID,
                "first",
            )
        if len(search) > MAX_SEARCH_LENGTH:
            raise MutationError(
                _("At most %(max)s characters.") % {"max": MAX_SEARCH_LENGTH},
                MarketingErrorCode.INVALID,
                "search",
            )
        try:
            return content_catalogue().lookup(kind, search, first)
        except ShopUnavailable:
            raise shop_unreachable() from None
