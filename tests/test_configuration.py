from datetime import time

import pytest
from django.core.exceptions import ValidationError

from saleor_ma_plugin.core.configuration import (
    ChannelView,
    QuietHours,
    configuration_as_mapping,
    parse_configuration,
)

VALID = {
    "sender_name": "Kaffee & Co",
    "sender_address": "Shop@Example.com",
    "storefront_url": "https://shop.example.com/",
    "public_base_url": "https://api.example.com",
    "double_opt_in": "true",
    "quiet_hours": "21:00-08:00",
    "smart_sending_hours": "24",
    "channel_settings": (
        '{"channel-de": {"sender_name": "Kaffee DE", "storefront_url": "https://example.de"}}'
    ),
}


def test_valid_configuration_is_parsed_and_normalized():
    # when
    settings = parse_configuration(VALID)

    # then
    assert settings.sender_address == "shop@example.com"
    assert settings.storefront_url == "https://shop.example.com"
    assert settings.double_opt_in is True
    assert settings.quiet_hours == QuietHours(time(21, 0), time(8, 0))
    assert settings.smart_sending_hours == 24


def test_channel_overrides_fall_back_to_global_values():
    # given
    settings = parse_configuration(VALID)

    # then
    assert settings.for_channel("channel-de") == ChannelView(
        sender_name="Kaffee DE",
        sender_address="shop@example.com",
        storefront_url="https://example.de",
    )
    assert settings.for_channel("default-channel").storefront_url == "https://shop.example.com"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("sender_address", "not-an-address"),
        ("storefront_url", "shop.example.com"),
        ("public_base_url", "ftp://api.example.com"),
        ("quiet_hours", "late evening"),
        ("quiet_hours", "08:00-08:00"),
        ("smart_sending_hours", "-1"),
        ("smart_sending_hours", "soon"),
        ("channel_settings", "{not json"),
        ("channel_settings", '["channel-de"]'),
        ("channel_settings", '{"channel-de": {"colour": "red"}}'),
        ("channel_settings", '{"channel-de": {"sender_address": "nobody"}}'),
        ("storefront_url", "http://["),
        ("channel_settings", '{"channel-de": {"storefront_url": "https://["}}'),
    ],
)
def test_invalid_values_are_reported_by_field(field, value):
    # when
    with pytest.raises(ValidationError) as raised:
        parse_configuration({**VALID, field: value})

    # then
    assert list(raised.value.message_dict) == [field]


def test_quiet_hours_wrap_around_midnight():
    # given
    quiet = QuietHours(time(21, 0), time(8, 0))

    # then
    assert quiet.contains(time(23, 30)) is True
    assert quiet.contains(time(7, 59)) is True
    assert quiet.contains(time(8, 0)) is False
    assert quiet.contains(time(12, 0)) is False


def test_saleor_configuration_list_becomes_a_mapping():
    # when
    mapping = configuration_as_mapping(
        [{"name": "sender_name", "value": "Shop"}, {"name": "double_opt_in", "value": False}]
    )

    # then
    assert mapping == {"sender_name": "Shop", "double_opt_in": False}
    assert parse_configuration(mapping).double_opt_in is False
