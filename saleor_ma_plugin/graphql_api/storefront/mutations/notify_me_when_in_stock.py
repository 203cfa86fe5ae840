import graphene

from ....catalogue.models import NotifyRequest
from ....contacts.proof import client_ip
from ...core.mutations import BaseMutation
from ..rate_limit import NOTIFY_PER_EMAIL, NOTIFY_PER_IP, enforce
from ..validation import clean_channel, clean_email, shop_id
from ..visitors import Visitor, contact_of, customer


class NotifyMeWhenInStockInput(graphene.InputObjectType):
    variant_id = graphene.ID(required=True)
    email = graphene.String(description="Required unless a customer is logged in.")
    channel = graphene.String(description="Slug of the Saleor channel the visitor shops in.")


class NotifyMeWhenInStock(BaseMutation):
    """Ask for a message when a variant is back in stock; asking again changes nothing.

    The answer is the same whether the address is known or not.
    """

    permissions = ()

    class Arguments:
        input = NotifyMeWhenInStockInput(required=True)

    @classmethod
    def perform(cls, root, info, input):
        visitor = customer(info) or Visitor(email=clean_email(input.get("email")))
        enforce(
            (NOTIFY_PER_IP, client_ip(info.context.request)), (NOTIFY_PER_EMAIL, visitor.email)
        )
        variant_id = shop_id(input.variant_id, "ProductVariant", "variantId")
        channel = clean_channel(input.get("channel"))
        NotifyRequest.objects.get_or_create(
            contact=contact_of(visitor),
            variant_id=variant_id,
            notified_at__isnull=True,
            defaults={"channel": channel},
        )
        return cls.success()
