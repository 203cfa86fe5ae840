"""Attributed totals of every campaign a request reports on, in one round of queries."""

from promise import Promise
from promise.dataloader import DataLoader

from ...reporting.attribution import attributed_totals


class AttributedTotalsLoader(DataLoader):
    """(currency, conversions, revenue) per campaign id, in its main currency."""

    def batch_load_fn(self, campaign_ids):
        totals = attributed_totals(campaign_ids)
        return Promise.resolve([totals[campaign_id] for campaign_id in campaign_ids])
