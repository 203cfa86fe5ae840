"""Attribution and experiment queries."""

import re

import graphene

from ...attribution.experiments import experiment_results
from ...campaigns.models import Campaign as CampaignModel
from ...core.errors import FieldError
from ...reporting.attribution import campaign_attribution
from ..campaigns.permissions import require_read
from ..core.errors import MarketingErrorCode, MutationError
from ..core.ids import model_pk
from ..core.mutations import requestor_of
from ..reports.queries import range_arguments, report_window
from .types import AttributionRequest, CampaignAttribution, ExperimentResults

CURRENCY = re.compile(r"^[A-Z]{3}$")


def currency_argument() -> graphene.String:
    return graphene.String(
        description="ISO 4217 code of the revenue figures; default: the campaign's most "
        "frequent currency."
    )


def _currency(value: str | None) -> str | None:
    if value is not None and not CURRENCY.match(value):
        raise MutationError(
            "Use a three-letter currency code.", MarketingErrorCode.INVALID, "currency"
        )
    return value


def _campaign(global_id: str, field: str):
    return CampaignModel.objects.filter(pk=model_pk(global_id, "Campaign", field)).first()


class ExperimentQueries(graphene.ObjectType):
    campaign_attribution = graphene.Field(
        CampaignAttribution,
        id=graphene.ID(required=True),
        currency=currency_argument(),
        **range_arguments(),
        description=(
            "Orders and revenue each step of a campaign earned (last touch: voucher code, "
            "else click, else open), in flow order, over time, and the uplift against the "
            "holdout. Null for an unknown campaign. Requires MANAGE_MARKETING."
        ),
    )
    experiment_results = graphene.Field(
        ExperimentResults,
        campaign_id=graphene.ID(required=True),
        step_key=graphene.String(required=True),
        currency=currency_argument(),
        description=(
            "Results per variant of an A/B split step, each variant's probability of being "
            "best, and the decided winner. Null for an unknown campaign or step. "
            "Requires MANAGE_MARKETING."
        ),
    )

    @staticmethod
    def resolve_campaign_attribution(
        root, info, id, currency=None, from_=None, to=None, interval=None
    ):
        require_read(requestor_of(info))
        currency = _currency(currency)
        window = report_window(from_, to, interval)
        campaign = _campaign(id, "id")
        if campaign is None:
            return None
        return AttributionRequest(campaign_attribution(campaign, currency), *window)

    @staticmethod
    def resolve_experiment_results(root, info, campaign_id, step_key, currency=None):
        require_read(requestor_of(info))
        currency = _currency(currency)
        campaign = _campaign(campaign_id, "campaignId")
        if campaign is None:
            return None
        try:
            return experiment_results(campaign, step_key, currency)
        except FieldError as error:
            raise MutationError(error.message, error.code, "stepKey") from None
