"""Who is asking, and what they may do: the same for every host and every API.

Permission mapping (documented in the README): reading and managing campaigns, templates,
contacts and reports processes customer data, so it needs Saleor's MANAGE_USERS; a
campaign whose flow issues vouchers additionally needs MANAGE_DISCOUNTS. Storefront
operations are public; customer tokens identify the customer. Each host tells who sent a
request (``HostIntegration.authenticate``).
"""

from dataclasses import dataclass, field

from django.db import models


class MarketingPermission(models.TextChoices):
    #: Campaigns, templates, segments, contacts and reports (Saleor: MANAGE_USERS).
    MANAGE_MARKETING = "MANAGE_MARKETING"
    #: Voucher steps (Saleor: MANAGE_DISCOUNTS).
    MANAGE_DISCOUNTS = "MANAGE_DISCOUNTS"


#: Django codenames of the standalone host's permissions. Inside Saleor, whose permissions
#: are looked up by codename alone, none of these may repeat one of Saleor's codenames.
DJANGO_CODENAMES = {
    MarketingPermission.MANAGE_MARKETING: "manage_marketing",
    MarketingPermission.MANAGE_DISCOUNTS: "manage_marketing_vouchers",
}


class RequestorKind(models.TextChoices):
    ANONYMOUS = "anonymous"
    CUSTOMER = "customer"
    STAFF = "staff"
    APP = "app"


@dataclass(frozen=True)
class Requestor:
    kind: str = RequestorKind.ANONYMOUS
    #: Saleor user id (staff or customer) or App id.
    identifier: str = ""
    email: str = ""
    permissions: frozenset[str] = field(default_factory=frozenset)

    def has(self, permission: str) -> bool:
        return permission in self.permissions

    @property
    def is_customer(self) -> bool:
        return self.kind == RequestorKind.CUSTOMER


ANONYMOUS = Requestor()
