"""Tags, revenue and consents of every contact on a page, one query each."""

from collections import defaultdict

from promise import Promise
from promise.dataloader import DataLoader

from ...contacts.models import Consent, ContactRevenue, ContactTag


class _ByContactLoader(DataLoader):
    model = None
    order: tuple[str, ...] = ()

    def batch_load_fn(self, contact_ids):
        rows = defaultdict(list)
        for row in self.model.objects.filter(contact_id__in=contact_ids).order_by(*self.order):
            rows[row.contact_id].append(row)
        return Promise.resolve([rows[contact_id] for contact_id in contact_ids])


class TagsByContactLoader(_ByContactLoader):
    model = ContactTag
    order = ("name",)


class RevenueByContactLoader(_ByContactLoader):
    model = ContactRevenue
    order = ("currency",)


class ConsentsByContactLoader(_ByContactLoader):
    model = Consent
    order = ("channel", "topic")
