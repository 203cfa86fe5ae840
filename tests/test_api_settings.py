"""The settings page's API: read and change the configuration through the one validation,
refuse outdated copies and settings the host fixes, never show a secret."""

from datetime import time
from pathlib import Path

import pytest
from django.utils import translation

from saleor_ma_plugin.core.configuration import QuietHours
from saleor_ma_plugin.core.configuration_store import fingerprint
from saleor_ma_plugin.core.host import plugin_settings
from saleor_ma_plugin.core.models import StandaloneSettings
from tests.api_helpers import post, staff

pytestmark = pytest.mark.django_db

OPERATIONS = Path(__file__).resolve().parent.parent / "graphql" / "operations" / "admin"
SECRET = "a-new-secret-of-some-length-0123456789"


def run(client, name: str, variables: dict | None = None) -> dict:
    return post(client, (OPERATIONS / f"{name}.graphql").read_text(encoding="utf-8"), variables)


def update(client, settings_input: dict, expected_version: str | None = None) -> dict:
    variables = {"input": settings_input, "expectedVersion": expected_version}
    return run(client, "marketingSettingsUpdate", variables)["data"]["marketingSettingsUpdate"]


def saved() -> list[dict]:
    return list(StandaloneSettings.objects.values_list("values", flat=True))


@pytest.fixture
def marketer(client):
    staff(client, "manage_marketing")
    return client


DEFAULTS = {
    "quietHours": "",
    "smartSendingHours": 16,
    "maxMarketingPerDay": 2,
    "maxMarketingPerWeek": 5,
    "attributionClickDays": 5,
    "attributionOpenDays": 1,
    "channels": [],
    "signingSecretSet": False,
    "version": fingerprint({}),
    "host": "STANDALONE",
    "lockedFields": [],
}


def test_settings_are_read_as_the_engine_parses_them(marketer):
    # when
    data = run(marketer, "marketingSettings")["data"]["marketingSettings"]

    # then
    assert data == DEFAULTS


def test_a_change_is_saved_and_used_by_the_engine(marketer):
    # given
    version = run(marketer, "marketingSettings")["data"]["marketingSettings"]["version"]

    # when
    data = update(
        marketer,
        {
            "quietHours": " 21:30-07:00 ",
            "smartSendingHours": 0,
            "attributionClickDays": 7,
            "channels": [
                {
                    "slug": "channel-de",
                    "senderName": "Kaffee & Co",
                    "senderAddress": "Shop@Example.de",
                    "storefrontUrl": "",
                }
            ],
        },
        version,
    )

    # then
    stored = {
        "quiet_hours": "21:30-07:00",
        "smart_sending_hours": "0",
        "attribution_click_days": "7",
        "channel_settings": '{"channel-de": {"sender_name": "Kaffee & Co", '
        '"sender_address": "Shop@Example.de"}}',
    }
    assert data["errors"] == []
    assert data["settings"] == {
        **DEFAULTS,
        "quietHours": "21:30-07:00",
        "smartSendingHours": 0,
        "attributionClickDays": 7,
        "channels": [
            {
                "slug": "channel-de",
                "senderName": "Kaffee & Co",
                "senderAddress": "shop@example.de",
                "storefrontUrl": "",
            }
        ],
        "version": fingerprint(stored),
    }
    assert saved() == [stored]
    engine = plugin_settings()
    assert engine.quiet_hours == QuietHours(time(21, 30), time(7, 0))
    assert engine.smart_sending_hours == 0
    assert engine.for_channel("channel-de").sender_address == "shop@example.de"
    assert run(marketer, "marketingSettings")["data"]["marketingSettings"] == data["settings"]


def test_only_the_fields_given_change(marketer):
    # given
    update(marketer, {"quietHours": "22:00-06:00", "maxMarketingPerWeek": 9})

    # when
    data = update(marketer, {"maxMarketingPerDay": 3})

    # then
    assert data["errors"] == []
    assert (data["settings"]["quietHours"], data["settings"]["maxMarketingPerWeek"]) == (
        "22:00-06:00",
        9,
    )
    assert saved() == [
        {"quiet_hours": "22:00-06:00", "max_marketing_per_week": "9", "max_marketing_per_day": "3"}
    ]


@pytest.mark.parametrize(
    ("settings_input", "errors"),
    [
        (
            {"quietHours": "25:00-08:00"},
            [("quietHours", "Use the form HH:MM-HH:MM, for example 21:00-08:00.")],
        ),
        ({"quietHours": "08:00-08:00"}, [("quietHours", None)]),
        (
            {"smartSendingHours": 999, "attributionOpenDays": 91},
            [
                ("smartSendingHours", "Enter a whole number of hours from 0 to 336."),
                ("attributionOpenDays", "Enter a whole number of days from 0 to 90."),
            ],
        ),
        (
            {"maxMarketingPerDay": 6, "maxMarketingPerWeek": 5},
            [("maxMarketingPerDay", "The daily cap cannot be above the weekly cap.")],
        ),
        (
            {"channels": [{"slug": "channel-de", "senderAddress": "not an address"}]},
            [("channels", "Channel channel-de: invalid sender address.")],
        ),
        (
            {"channels": [{"slug": "web", "senderName": "Shop\nBcc: x@example.com"}]},
            [("channels", "Channel web: sender_name may not contain line breaks.")],
        ),
    ],
)
def test_invalid_values_are_refused_at_their_field_and_nothing_is_saved(
    marketer, settings_input, errors
):
    # when
    data = update(marketer, {"quietHours": "21:00-08:00", **settings_input})

    # then
    assert data["settings"] is None
    assert [(error["field"], error["code"]) for error in data["errors"]] == [
        (field, "INVALID") for field, _message in errors
    ]
    for error, (_field, message) in zip(data["errors"], errors, strict=True):
        assert message is None or error["message"] == message
    assert saved() == []


@pytest.mark.parametrize(
    ("channels", "field", "code"),
    [
        ([{"slug": " "}], "channels[0]", "REQUIRED"),
        ([{"slug": "web"}, {"slug": "web"}], "channels[1]", "UNIQUE"),
    ],
)
def test_channels_need_distinct_slugs_and_the_other_fields_are_checked_too(
    marketer, channels, field, code
):
    # when
    data = update(marketer, {"channels": channels, "quietHours": "8-9"})

    # then
    assert [(error["field"], error["code"]) for error in data["errors"]] == [
        (field, code),
        ("quietHours", "INVALID"),
    ]
    assert saved() == []


def test_errors_come_in_the_admins_language(client):
    # given
    staff(client, "manage_marketing")

    # when
    with translation.override("de"):
        response = client.post(
            "/graphql/",
            {
                "query": (OPERATIONS / "marketingSettingsUpdate.graphql").read_text(),
                "variables": {"input": {"quietHours": "later"}},
            },
            content_type="application/json",
            HTTP_ACCEPT_LANGUAGE="de",
        )

    # then
    [error] = response.json()["data"]["marketingSettingsUpdate"]["errors"]
    assert error["field"] == "quietHours"
    assert error["message"] != "Use the form HH:MM-HH:MM, for example 21:00-08:00."
    assert "HH:MM-HH:MM" in error["message"]
    assert saved() == []


def test_a_save_made_since_the_copy_was_loaded_is_not_overwritten(marketer):
    # given
    loaded = run(marketer, "marketingSettings")["data"]["marketingSettings"]["version"]
    update(marketer, {"quietHours": "22:00-06:00"}, loaded)

    # when
    data = update(marketer, {"quietHours": "20:00-09:00"}, loaded)

    # then
    assert data["settings"] is None
    assert [(error["field"], error["code"]) for error in data["errors"]] == [
        ("expectedVersion", "CONFLICT")
    ]
    assert saved() == [{"quiet_hours": "22:00-06:00"}]


def test_settings_fixed_by_the_server_are_shown_locked_and_not_changed(marketer, settings):
    # given
    settings.SALEOR_MA_PLUGIN = {**settings.SALEOR_MA_PLUGIN, "quiet_hours": "23:00-07:00"}

    # when
    shown = run(marketer, "marketingSettings")["data"]["marketingSettings"]
    data = update(marketer, {"quietHours": "20:00-09:00"})
    same = update(marketer, {"quietHours": "23:00-07:00", "smartSendingHours": 4})

    # then
    assert (shown["quietHours"], shown["lockedFields"]) == ("23:00-07:00", ["quietHours"])
    assert [(error["field"], error["code"]) for error in data["errors"]] == [
        ("quietHours", "INVALID")
    ]
    assert "SALEOR_MA_PLUGIN" in data["errors"][0]["message"]
    assert same["errors"] == []
    assert saved() == [{"quiet_hours": "23:00-07:00", "smart_sending_hours": "4"}]
    assert plugin_settings().quiet_hours == QuietHours(time(23, 0), time(7, 0))


def test_the_signing_secret_is_replaced_but_never_shown(marketer):
    # when
    replaced = update(marketer, {"signingSecret": f" {SECRET} "})
    kept = update(marketer, {"signingSecret": "", "quietHours": "21:00-08:00"})
    shown = run(marketer, "marketingSettings")

    # then
    assert replaced["errors"] == kept["errors"] == []
    assert replaced["settings"]["signingSecretSet"] is True
    assert shown["data"]["marketingSettings"]["signingSecretSet"] is True
    assert SECRET not in str(replaced) + str(kept) + str(shown)
    assert saved() == [{"signing_secret": SECRET, "quiet_hours": "21:00-08:00"}]
    assert plugin_settings().signing_secret == SECRET


def test_without_manage_marketing_nothing_is_read_or_changed(client):
    # given
    staff(client, "manage_marketing_vouchers")

    # when
    read = run(client, "marketingSettings")
    data = update(client, {"quietHours": "21:00-08:00"})

    # then
    assert read["data"] is None
    assert read["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
    assert [(error["field"], error["code"]) for error in data["errors"]] == [
        (None, "PERMISSION_DENIED")
    ]
    assert saved() == []
