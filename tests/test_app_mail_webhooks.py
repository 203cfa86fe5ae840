"""App mode switches Saleor's mail webhooks with the transactional mail setting.

A stand-in for Saleor's GraphQL API on loopback keeps the App's webhooks and records every
request, so each test asserts the exact mutations the App sent. That Saleor's own schema
lets the App's token do this is proved in ``tests/saleor/test_app_mail_webhooks_in_saleor.py``.
"""

import json

import pytest
from django.db import transaction

from saleor_ma_plugin.core.configuration_store import change_configuration
from saleor_ma_plugin.core.host import ShopUnavailable
from saleor_ma_plugin.core.models import StandaloneSettings
from saleor_ma_plugin.core.queue import Work
from saleor_ma_plugin.saleor_app.mail_webhooks import switch_mail_webhooks
from saleor_ma_plugin.saleor_app.manifest import webhooks
from saleor_ma_plugin.saleor_app.models import SaleorInstallation
from saleor_ma_plugin.saleor_app.tasks import switch_mail_webhooks as switch_task
from saleor_ma_plugin.tasks import BEAT_SCHEDULE
from tests.fake_http import CannedResponse, FakeHttpServer, RecordedRequest, closed_port_url

pytestmark = pytest.mark.django_db

HOOKS = webhooks("https://marketing.example.com/app/webhook/")
MARKETING = [
    hook["name"] for hook in HOOKS if not hook["name"].startswith("Marketing automation mail:")
]
MAILS = [hook["name"] for hook in HOOKS if hook["name"].startswith("Marketing automation mail:")]
#: A webhook the shop added to the App by hand: never ours to switch.
OTHER = "Shop's own webhook"


class FakeSaleor:
    """The App's webhooks in Saleor: ``app { webhooks }`` lists them, ``webhookUpdate``
    switches one (by id; ids are not in manifest order, so position tells nothing)."""

    def __init__(self, active: dict[str, bool]):
        self.webhooks = {
            f"V2ViaG9vazo{index}": {"name": name, "isActive": is_active}
            for index, (name, is_active) in enumerate(reversed(active.items()))
        }
        self.mutations: list[tuple[str, bool]] = []

    def active(self) -> dict[str, bool]:
        return {hook["name"]: hook["isActive"] for hook in self.webhooks.values()}

    def __call__(self, request: RecordedRequest) -> CannedResponse:
        body = json.loads(request.body)
        if request.headers.get("authorization") != "Bearer app-token-1":
            return _json({"data": None, "errors": [{"message": "Invalid token"}]})
        if body["query"].lstrip().startswith("query AppWebhooks"):
            listed = [{"id": pk, **hook} for pk, hook in self.webhooks.items()]
            return _json({"data": {"app": {"webhooks": listed}}})
        variables = body["variables"]
        hook = self.webhooks[variables["id"]]
        hook["isActive"] = variables["isActive"]
        self.mutations.append((hook["name"], variables["isActive"]))
        answer = {"webhook": {"id": variables["id"], "isActive": hook["isActive"]}, "errors": []}
        return _json({"data": {"webhookUpdate": answer}})


def _json(body: dict) -> CannedResponse:
    return CannedResponse(200, json.dumps(body).encode(), {"Content-Type": "application/json"})


def installed(mails_active: bool, marketing_active: bool = True) -> FakeSaleor:
    return FakeSaleor(
        {
            **dict.fromkeys(MARKETING, marketing_active),
            **dict.fromkeys(MAILS, mails_active),
            OTHER: False,
        }
    )


def save_transactional_emails(value: str, capture) -> None:
    """Save the setting as the settings API does, the commit's work run (Celery is eager)."""
    with capture(execute=True), transaction.atomic():
        change_configuration({"transactional_emails": value}, None)


def stored_setting() -> str:
    return StandaloneSettings.objects.get().values["transactional_emails"]


def test_enabling_a_transactional_mail_activates_every_mail_webhook(
    app_mode, django_capture_on_commit_callbacks
):
    # given the App as installed with no transactional mail: its mail webhooks off
    saleor = installed(mails_active=False)
    with FakeHttpServer(saleor) as server:
        app_mode(f"{server.base_url}/graphql/")

        # when one transactional mail is enabled
        save_transactional_emails("order_confirmation", django_capture_on_commit_callbacks)

    # then one list and one switch on per mail webhook; marketing and others untouched
    assert sorted(saleor.mutations) == sorted((name, True) for name in MAILS)
    assert len(server.requests) == 1 + len(MAILS)
    assert saleor.active() == {
        **dict.fromkeys(MARKETING, True),
        **dict.fromkeys(MAILS, True),
        OTHER: False,
    }


def test_disabling_every_transactional_mail_deactivates_the_mail_webhooks(
    app_mode, django_capture_on_commit_callbacks
):
    # given mails enabled and their webhooks on
    saleor = installed(mails_active=True)
    with FakeHttpServer(saleor) as server:
        app_mode(f"{server.base_url}/graphql/")
        StandaloneSettings.objects.create(values={"transactional_emails": "all"})

        # when the setting is emptied
        save_transactional_emails("", django_capture_on_commit_callbacks)

    # then each mail webhook is switched off, nothing else
    assert sorted(saleor.mutations) == sorted((name, False) for name in MAILS)
    assert saleor.active() == {
        **dict.fromkeys(MARKETING, True),
        **dict.fromkeys(MAILS, False),
        OTHER: False,
    }


def test_without_drift_nothing_is_sent_but_the_one_list(
    app_mode, django_capture_on_commit_callbacks
):
    # given the webhooks already as the setting wants them
    saleor = installed(mails_active=True)
    with FakeHttpServer(saleor) as server:
        app_mode(f"{server.base_url}/graphql/")

        # when the setting is saved again, and the repair tick runs
        save_transactional_emails(
            "order_confirmation,order_confirmed", django_capture_on_commit_callbacks
        )
        changed = switch_task()

    # then only the listing query went out, twice, and no mutation
    assert saleor.mutations == []
    assert changed == 0
    assert [json.loads(request.body)["query"] for request in server.requests] == [
        "query AppWebhooks { app { webhooks { id name isActive } } }"
    ] * 2


def test_the_repair_tick_switches_marketing_webhooks_back_on(app_mode):
    # given marketing webhooks someone switched off, no transactional mail
    saleor = installed(mails_active=False, marketing_active=False)
    with FakeHttpServer(saleor) as server:
        app_mode(f"{server.base_url}/graphql/")

        # when
        changed = switch_task()

    # then
    assert changed == len(MARKETING)
    assert sorted(saleor.mutations) == sorted((name, True) for name in MARKETING)


def test_an_unreachable_saleor_keeps_the_setting_and_the_repair_tick_switches_later(
    app_mode, django_capture_on_commit_callbacks, settings
):
    # given the App's Saleor down (nothing listens on its port)
    app_mode(closed_port_url() + "/graphql/")

    # when the setting is saved
    save_transactional_emails("all", django_capture_on_commit_callbacks)

    # then it is stored, and the save did not fail
    assert stored_setting() == "all"

    # when Saleor is back (same installation) and the repair tick runs
    saleor = installed(mails_active=False)
    with FakeHttpServer(saleor) as server:
        SaleorInstallation.objects.update(api_url=f"{server.base_url}/graphql/")
        settings.SALEOR_MA_APP_SALEOR_API_URL = f"{server.base_url}/graphql/"
        changed = switch_task()

    # then the mail webhooks are switched on
    assert changed == len(MAILS)
    assert sorted(saleor.mutations) == sorted((name, True) for name in MAILS)


def test_a_refused_switch_is_shop_unavailable_and_left_to_the_tick(app_mode):
    # given a Saleor that lists the webhooks but refuses the update
    saleor = installed(mails_active=True)

    def refusing(request: RecordedRequest) -> CannedResponse:
        if "webhookUpdate" in json.loads(request.body)["query"]:
            errors = [{"field": "id", "code": "NOT_FOUND", "message": "No webhook"}]
            return _json({"data": {"webhookUpdate": {"webhook": None, "errors": errors}}})
        return saleor(request)

    with FakeHttpServer(refusing) as server:
        app_mode(f"{server.base_url}/graphql/")

        # when / then the domain call says so, the task logs and returns
        with pytest.raises(ShopUnavailable, match="refused to switch"):
            switch_mail_webhooks()
        assert switch_task() == 0
    assert saleor.active()[MAILS[0]] is True


def test_registration_switches_the_new_installs_mail_webhooks_off(
    client, settings, django_capture_on_commit_callbacks
):
    # given a freshly installed App: every webhook active, no transactional mail
    settings.SALEOR_MA_APP_ALLOW_INTERNAL = True
    saleor = installed(mails_active=True)
    with FakeHttpServer(saleor) as server:
        api_url = f"{server.base_url}/graphql/"
        settings.SALEOR_MA_APP_SALEOR_API_URL = api_url

        # when Saleor hands over the token
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                "/app/register/",
                json.dumps({"auth_token": "app-token-1"}),
                content_type="application/json",
                HTTP_SALEOR_API_URL=api_url,
            )

    # then
    assert response.status_code == 200
    assert sorted(saleor.mutations) == sorted((name, False) for name in MAILS)


def test_other_settings_do_not_wake_the_switch(app_mode, django_capture_on_commit_callbacks):
    # given
    saleor = installed(mails_active=True)
    with FakeHttpServer(saleor) as server:
        app_mode(f"{server.base_url}/graphql/")

        # when a setting other than the transactional mails changes
        with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
            change_configuration({"quiet_hours": "22:00-07:00"}, None)

    # then nothing was asked of Saleor
    assert callbacks == []
    assert server.requests == []


def test_without_app_mode_the_tick_asks_nothing(settings):
    # given the standalone host serving no Saleor
    settings.SALEOR_MA_APP_SALEOR_API_URL = ""

    # when / then
    assert switch_task() == 0


def test_the_repair_tick_is_on_the_beat_schedule():
    assert BEAT_SCHEDULE["saleor-ma-plugin-switch-mail-webhooks"]["task"] == str(
        Work.SWITCH_MAIL_WEBHOOKS
    )
