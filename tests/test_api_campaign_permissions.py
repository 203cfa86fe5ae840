"""Every mutation of a campaign, for campaigns with and without voucher steps, and who asks;
every mutation that creates a campaign, and who asks.

The lists of mutations come from the schema: a new mutation that takes or creates a
campaign fails this test until it is given a case here, so none can skip a permission.
"""

import pytest
from graphql_relay import to_global_id

from saleor_ma_plugin.campaigns.editing import CampaignSpec, StepSpec, create_campaign
from saleor_ma_plugin.campaigns.models import Campaign, Step
from saleor_ma_plugin.contacts.models import Contact, ContactTag
from saleor_ma_plugin.graphql_api.schema import schema
from saleor_ma_plugin.segments.models import Segment, SegmentMembership
from tests.api_helpers import post, staff

pytestmark = pytest.mark.django_db

#: Arguments besides the campaign's id, and the payload field to read errors from.
CASES = {
    "campaignUpdate": ('input: {name: "Renamed"}', "id"),
    "campaignActivate": ("", "id"),
    "campaignPause": ("", "id"),
    "campaignArchive": ("", "id"),
    "campaignDuplicate": ("", "id"),
    "campaignLaunch": ("", "id"),
    "campaignStepAdd": (
        'input: {key: "extra", type: SEND, config: {template: "t"}}',
        "campaignId",
    ),
    "campaignStepUpdate": ('key: "hello", config: {template: "other"}', "campaignId"),
    "campaignStepMove": ('key: "hello", position: 1', "campaignId"),
    "campaignPresetSave": ('input: {slug: "saved", title: "Saved"}', "campaignId"),
    "campaignStepRemove": ('key: "bye"', "campaignId"),
    "experimentDecide": ('stepKey: "ab", variant: "a"', "campaignId"),
    "campaignStepSendTest": (
        'key: "hello", contactId: "Q29udGFjdDo5OTk5OTk=", email: "proof@example.com"',
        "campaignId",
    ),
}


#: Arguments of the mutations that create a campaign (none takes one).
CREATING = {
    "campaignCreate": 'input: {name: "New", kind: AUTORESPONDER, trigger: {type: "broadcast"}, '
    'steps: [{key: "hello", type: SEND, config: {template: "t"}}]}',
    "campaignCreateFromPreset": 'preset: "standalone_broadcast"',
    "campaignCreateForInterestGroup": 'input: {tag: "interest:espresso", name: "Espresso", '
    'segmentName: "Interested in espresso"}',
}


def _creating_mutations() -> set[str]:
    """Mutations answering with a campaign they did not get an id of."""
    fields = schema.get_mutation_type().fields
    return {
        name
        for name, field in fields.items()
        if "campaign" in field.type.fields
        and "campaignId" not in field.args
        and "id" not in field.args
    }


def _campaign_mutations() -> set[str]:
    fields = schema.get_mutation_type().fields
    return {
        name
        for name, field in fields.items()
        if "campaignId" in field.args or (name.startswith("campaign") and "id" in field.args)
    }


def _campaign(with_voucher: bool) -> Campaign:
    middle = (StepSpec("code", "voucher", {"discount_value": "10"}, "ab"),) if with_voucher else ()
    return create_campaign(
        CampaignSpec(
            name="Voucher" if with_voucher else "Plain",
            kind="autoresponder",
            trigger={"type": "broadcast"},
            steps=(
                StepSpec("hello", "send", {"template": "t"}, "code" if with_voucher else "ab"),
                *middle,
                StepSpec(
                    "ab",
                    "split",
                    {"variants": [{"name": "a", "next": "bye"}, {"name": "b", "next": "bye"}]},
                ),
                StepSpec("bye", "send", {"template": "t"}),
            ),
        )
    )


def _state(campaign: Campaign) -> tuple:
    campaign.refresh_from_db()
    steps = list(
        Step.objects.filter(campaign=campaign).values_list(
            "key", "config", "next_key", "position", "removed_at"
        )
    )
    return (
        campaign.name,
        campaign.status,
        campaign.launched_at,
        steps,
        Campaign.objects.count(),
        campaign.experiment_decisions.count(),
    )


def test_every_mutation_of_a_campaign_has_a_case():
    assert _campaign_mutations() == set(CASES)


@pytest.mark.parametrize("mutation", sorted(CASES))
def test_a_voucher_campaign_is_changed_only_with_manage_discounts(client, mutation):
    # given a campaign that hands out vouchers, and a marketer without MANAGE_DISCOUNTS
    staff(client, "manage_marketing")
    campaign = _campaign(with_voucher=True)
    before = _state(campaign)
    arguments, id_name = CASES[mutation]
    campaign_id = to_global_id("Campaign", campaign.pk)

    # when they try the mutation
    data = post(
        client,
        f'mutation {{ {mutation}({id_name}: "{campaign_id}" {arguments}) '
        "{ errors { field code message } } }",
    )

    # then it is refused and the campaign is exactly as it was
    assert data["data"][mutation]["errors"] == [
        {
            "field": "steps",
            "code": "PERMISSION_DENIED",
            "message": "Campaigns with voucher steps need the MANAGE_DISCOUNTS permission.",
        }
    ]
    assert _state(campaign) == before


@pytest.mark.parametrize("mutation", sorted(CASES))
@pytest.mark.parametrize("with_voucher", [False, True])
def test_with_the_needed_permissions_the_permission_check_passes(client, mutation, with_voucher):
    # given
    permissions = (
        ("manage_marketing", "manage_marketing_vouchers")
        if with_voucher
        else ("manage_marketing",)
    )
    staff(client, *permissions)
    campaign = _campaign(with_voucher)
    arguments, id_name = CASES[mutation]
    campaign_id = to_global_id("Campaign", campaign.pk)

    # when
    data = post(
        client,
        f'mutation {{ {mutation}({id_name}: "{campaign_id}" {arguments}) '
        "{ errors { field code message } } }",
    )

    # then no permission error (other outcomes, e.g. launching a draft, are their own tests)
    codes = [error["code"] for error in data["data"][mutation]["errors"]]
    assert "PERMISSION_DENIED" not in codes


def test_every_mutation_creating_a_campaign_has_a_case():
    assert _creating_mutations() == set(CREATING)


def _created() -> tuple:
    return (
        list(Campaign.objects.values_list("pk", flat=True)),
        list(Step.objects.values_list("pk", flat=True)),
        list(Segment.objects.values_list("pk", flat=True)),
        list(SegmentMembership.objects.values_list("pk", flat=True)),
    )


@pytest.fixture
def espresso_group():
    ContactTag.objects.create(
        contact=Contact.objects.create(email="anna@example.com"), name="interest:espresso"
    )


@pytest.mark.parametrize("mutation", sorted(CREATING))
@pytest.mark.parametrize("permissions", [None, (), ("manage_marketing_vouchers",)])
def test_without_manage_marketing_no_campaign_is_created(
    client, espresso_group, mutation, permissions
):
    # given an anonymous caller, or staff without MANAGE_MARKETING
    if permissions is not None:
        staff(client, *permissions)
    before = _created()

    # when they try the mutation
    data = post(client, f"mutation {{ {mutation}({CREATING[mutation]}) {{ errors {{ code }} }} }}")

    # then it is refused, and nothing (no campaign, no step, no segment) was stored
    assert data["data"][mutation]["errors"] == [{"code": "PERMISSION_DENIED"}]
    assert _created() == before


@pytest.mark.parametrize("mutation", sorted(CREATING))
def test_with_manage_marketing_a_campaign_is_created(client, espresso_group, mutation):
    # given
    staff(client, "manage_marketing")

    # when
    data = post(
        client,
        f"mutation {{ {mutation}({CREATING[mutation]}) "
        "{ campaign { status } errors { code message } } }",
    )

    # then
    assert data["data"][mutation] == {"campaign": {"status": "DRAFT"}, "errors": []}
    assert Campaign.objects.count() == 1
