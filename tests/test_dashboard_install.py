"""``manage.py marketing_dashboard_install``: the one step that installs the app into Saleor."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from saleor_ma_plugin.core.host import forget_settings


def run(*args) -> str:
    out = StringIO()
    call_command("marketing_dashboard_install", *args, stdout=out)
    return out.getvalue()


def test_print_only_gives_the_manifest_and_the_dashboard_install_link():
    # when
    output = run(
        "--base-url",
        "https://api.example.com/",
        "--dashboard-url",
        "https://dashboard.example.com/",
        "--print-only",
    )

    # then
    assert output.splitlines() == [
        "Manifest: https://api.example.com/manifest/",
        "Install in the Dashboard: https://dashboard.example.com/extensions/app/install"
        "?manifestUrl=https%3A%2F%2Fapi.example.com%2Fmanifest%2F",
    ]


def test_without_saleor_it_says_to_run_inside_saleor():
    # when
    with pytest.raises(CommandError) as error:
        run("--base-url", "https://api.example.com")

    # then
    assert "inside Saleor" in str(error.value)


@pytest.mark.django_db
def test_without_any_base_url_it_asks_for_one(settings):
    # given
    settings.SALEOR_MA_PLUGIN = {**settings.SALEOR_MA_PLUGIN, "public_base_url": ""}
    forget_settings()

    # when
    with pytest.raises(CommandError) as error:
        run()

    # then
    forget_settings()
    assert "--base-url" in str(error.value)
