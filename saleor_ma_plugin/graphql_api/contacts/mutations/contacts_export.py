import csv
import io
from collections import defaultdict

import graphene

from ....contacts.models import Consent
from ....core.auth import MarketingPermission
from ...core.errors import MarketingErrorCode, MutationError
from ...core.mutations import BaseMutation
from ..filters import ContactFilterInput, contacts_matching

EXPORT_LIMIT = 10_000
HEADER = (
    "email",
    "first_name",
    "last_name",
    "language",
    "country",
    "lifecycle_stage",
    "orders_count",
    "consents",
)
#: Spreadsheets run cells starting with these as formulas (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


class ContactsExport(BaseMutation):
    """The contacts matching a filter as CSV, ordered by email, at most 10,000 at a time.

    Columns: email, first_name, last_name, language, country, lifecycle_stage,
    orders_count, consents ("email:subscribed; email/deals:pending", channel/topic:status).
    """

    permissions = (MarketingPermission.MANAGE_MARKETING,)
    csv = graphene.String(description="Header line, then one line per contact.")
    count = graphene.Int(description="Contacts exported.")

    class Arguments:
        filter = ContactFilterInput()

    @classmethod
    def perform(cls, root, info, filter=None):
        contacts = contacts_matching(filter).order_by("email")
        total = contacts.count()
        if total > EXPORT_LIMIT:
            raise MutationError(
                f"The filter matches {total} contacts; export at most {EXPORT_LIMIT} at a time.",
                MarketingErrorCode.INVALID,
                "filter",
            )
        consents: dict[int, list[str]] = defaultdict(list)
        for contact_id, channel, topic, status in (
            Consent.objects.filter(contact__in=contacts.values("pk"))
            .order_by("channel", "topic")
            .values_list("contact_id", "channel", "topic", "status")
        ):
            consents[contact_id].append(
                f"{channel}/{topic}:{status}" if topic else f"{channel}:{status}"
            )
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(HEADER)
        count = 0
        for row in contacts.values_list(
            "pk",
            "email",
            "first_name",
            "last_name",
            "language_code",
            "country",
            "lifecycle_stage",
            "orders_count",
        ).iterator(chunk_size=2000):
            pk, *values = row
            writer.writerow([_cell(value) for value in (*values, "; ".join(consents[pk]))])
            count += 1
        return cls.success(csv=buffer.getvalue(), count=count)
