"""The dashboard app inside Saleor: its manifest passes Saleor's own validation, it installs,
and the token the Dashboard hands the app (an App token for the staff user, as AppBridge
passes it) reaches our API with exactly the staff user's and the App's shared permissions."""

import json

import pytest
from graphql_relay import to_global_id
from saleor.app.installation_utils import install_app
from saleor.app.manifest_validations import clean_manifest_data
from saleor.app.models import App, AppInstallation
from saleor.core.jwt import create_access_token_for_app
from saleor.permission.models import Permission

from saleor_ma_plugin.campaigns.models import Campaign
from saleor_ma_plugin.core.host import forget_settings

pytestmark = pytest.mark.django_db
ROUTE = "/plugins/global/saleor_ma_plugin"
CAMPAIGNS = "{ campaigns(first: 5) { totalCount edges { node { name status } } } }"
VIEWER = "{ marketingViewer { kind email permissions } }"
ACTIVATE = """mutation ($id: ID!) {
  campaignActivate(id: $id) { campaign { status } errors { code message } } }"""
INDEX = '<!doctype html><html><head><script type="module" src="./assets/a.js"></script></head>'


@pytest.fixture
def manifest(marketing_plugin, client):
    """The manifest exactly as the plugin serves it to Saleor."""
    marketing_plugin.configuration.append(
        {"name": "public_base_url", "value": "https://api.example.com"}
    )
    marketing_plugin.save()
    forget_settings()
    response = client.get(f"{ROUTE}/manifest/")
    yield response.json()
    forget_settings()


@pytest.fixture
def installed_app(manifest, monkeypatch):
    """The App as Saleor's install_app creates it from our manifest (fetched from our route)."""
    monkeypatch.setattr(
        "saleor.app.installation_utils.fetch_manifest", lambda url, **kwargs: dict(manifest)
    )
    job = AppInstallation.objects.create(
        app_name=manifest["name"], manifest_url="https://api.example.com/manifest/"
    )
    job.permissions.set(
        Permission.objects.filter(codename__in=["manage_users", "manage_discounts"])
    )
    app, _ = install_app(job, activate=True)
    return app


def call(client, query, token, variables=None):
    response = client.generic(
        "POST",
        f"{ROUTE}/graphql/",
        json.dumps({"query": query, "variables": variables or {}}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 200, response.content
    return response.json()


def test_the_served_manifest_passes_saleors_validation(manifest):
    # when
    clean_manifest_data(dict(manifest), raise_for_saleor_version=True)

    # then no ValidationError, and the app page is the plugin route
    assert manifest["appUrl"] == f"https://api.example.com{ROUTE}/dashboard/"


def test_the_app_installs_with_its_mounts_and_needs_no_app_token(installed_app):
    # then
    extensions = {
        extension.mount: (extension.target, extension.url)
        for extension in installed_app.extensions.all()
    }
    assert installed_app.is_active
    assert extensions == {
        "navigation_customers": ("app_page", "/"),
        "homepage_widgets": (
            "widget",
            f"https://api.example.com{ROUTE}/dashboard/widgets/revenue",
        ),
        "order_details_widgets": (
            "widget",
            f"https://api.example.com{ROUTE}/dashboard/widgets/order",
        ),
        "customer_details_more_actions": ("app_page", "/contacts/customer"),
    }
    assert not installed_app.tokens.exists()
    assert App.objects.count() == 1


def test_the_dashboards_token_for_a_staff_user_reads_and_activates_campaigns(
    installed_app, client, staff_user, permission_manage_users
):
    # given what AppBridge hands the app: an App token for the signed-in staff user
    staff_user.user_permissions.add(permission_manage_users)
    token = create_access_token_for_app(installed_app, staff_user)
    campaign = Campaign.objects.create(
        name="Welcome", kind="autoresponder", trigger={"type": "manual"}, entry_step_key="hi"
    )
    campaign.steps.create(key="hi", type="send", config={"template": "welcome_1"})

    # when
    viewer = call(client, VIEWER, token)["data"]["marketingViewer"]
    listed = call(client, CAMPAIGNS, token)["data"]["campaigns"]
    activated = call(client, ACTIVATE, token, {"id": to_global_id("Campaign", campaign.pk)})

    # then
    assert viewer == {
        "kind": "STAFF",
        "email": staff_user.email,
        "permissions": ["MANAGE_MARKETING"],
    }
    assert listed["edges"] == [{"node": {"name": "Welcome", "status": "DRAFT"}}]
    assert activated["data"]["campaignActivate"] == {
        "campaign": {"status": "ACTIVE"},
        "errors": [],
    }


def test_a_staff_user_without_manage_users_is_refused(installed_app, client, staff_user):
    # given a staff user whose permissions do not include MANAGE_USERS
    token = create_access_token_for_app(installed_app, staff_user)
    Campaign.objects.create(name="Welcome", kind="autoresponder", trigger={"type": "manual"})

    # when
    viewer = call(client, VIEWER, token)["data"]["marketingViewer"]
    refused = call(client, CAMPAIGNS, token)

    # then
    assert viewer["permissions"] == []
    assert refused["data"]["campaigns"] is None
    assert refused["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"


def test_the_app_is_served_on_the_plugin_route_in_saleor_mode(
    marketing_plugin, client, settings, tmp_path
):
    # given a built app
    (tmp_path / "index.html").write_text(INDEX)
    settings.SALEOR_MA_DASHBOARD_DIR = str(tmp_path)

    # when
    response = client.get(f"{ROUTE}/dashboard/campaigns/some-id/report")

    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<base href="{ROUTE}/dashboard/">' in html
    assert '"mode": "saleor"' in html
    assert f'"apiUrl": "{ROUTE}/graphql/"' in html
