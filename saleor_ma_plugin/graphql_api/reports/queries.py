"""Campaign report queries."""

from datetime import UTC, datetime, timedelta

import graphene
from django.utils import timezone

from ...campaigns.models import Campaign as CampaignModel
from ...reporting.timeline import RangeError, ReportInterval, buckets
from ..campaigns.permissions import require_read
from ..core.errors import MarketingErrorCode, MutationError
from ..core.ids import model_pk
from ..core.mutations import requestor_of
from ..core.types import MAX_PAGE_SIZE
from .types import CampaignReport, ReportIntervalEnum, ReportRequest

#: The range when none is given: up to now, this long.
DEFAULT_SPANS = {ReportInterval.DAY: timedelta(days=30), ReportInterval.WEEK: timedelta(weeks=26)}


def range_arguments() -> dict:
    """Fresh argument instances, so they are listed after the ones created before."""
    return {
        "from_": graphene.DateTime(
            name="from", description="Start (inclusive); default: see `to`."
        ),
        "to": graphene.DateTime(
            description="End (exclusive); default now. Without `from`: 30 days or 26 weeks before."
        ),
        "interval": ReportIntervalEnum(description="Bucket size; default DAY."),
    }


#: Report ranges stay between these years: outside, date arithmetic overflows.
EARLIEST, LATEST = datetime(1970, 1, 1, tzinfo=UTC), datetime(2200, 1, 1, tzinfo=UTC)


def _bounded(moment: datetime | None, field: str) -> datetime | None:
    """A range end as an aware UTC moment (a time without a zone is UTC), within bounds."""
    if moment is None:
        return None
    moment = moment if timezone.is_aware(moment) else moment.replace(tzinfo=UTC)
    if not EARLIEST <= moment <= LATEST:
        raise MutationError(
            f"Use a moment between {EARLIEST.year} and {LATEST.year}.",
            MarketingErrorCode.INVALID,
            field,
        )
    return moment


def report_window(from_, to, interval) -> tuple:
    """(start, end, interval) of a report, with the defaults filled in; checked."""
    interval = interval or ReportInterval.DAY.value
    end = _bounded(to, "to") or timezone.now()
    start = _bounded(from_, "from") or end - DEFAULT_SPANS[ReportInterval(interval)]
    try:
        buckets(start, end, interval)
    except RangeError as error:
        raise MutationError(str(error), MarketingErrorCode.INVALID, "from") from None
    return start, end, interval


class ReportQueries(graphene.ObjectType):
    campaign_report = graphene.Field(
        CampaignReport,
        id=graphene.ID(required=True),
        **range_arguments(),
        description="A campaign's figures, step figures and series. Requires MANAGE_MARKETING.",
    )
    campaign_reports = graphene.List(
        CampaignReport,
        ids=graphene.List(graphene.NonNull(graphene.ID), required=True),
        **range_arguments(),
        description=(
            f"Reports of up to {MAX_PAGE_SIZE} campaigns in the order asked, null for unknown "
            "ids; the queries do not grow with the number of campaigns."
        ),
    )

    @staticmethod
    def resolve_campaign_report(root, info, id, from_=None, to=None, interval=None):
        require_read(requestor_of(info))
        window = report_window(from_, to, interval)
        campaign = CampaignModel.objects.filter(pk=model_pk(id, "Campaign")).first()
        return ReportRequest(campaign, *window) if campaign else None

    @staticmethod
    def resolve_campaign_reports(root, info, ids, from_=None, to=None, interval=None):
        require_read(requestor_of(info))
        if len(ids) > MAX_PAGE_SIZE:
            raise MutationError(
                f"Ask for at most {MAX_PAGE_SIZE} campaigns.", MarketingErrorCode.INVALID, "ids"
            )
        window = report_window(from_, to, interval)
        pks = [model_pk(global_id, "Campaign", "ids") for global_id in ids]
        campaigns = CampaignModel.objects.prefetch_related("steps").in_bulk(pks)
        return [ReportRequest(campaigns[pk], *window) if pk in campaigns else None for pk in pks]
