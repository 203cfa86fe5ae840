"""Serving the dashboard app, its manifest, and the standalone host's login."""

import json
import re
from dataclasses import replace

import pytest
from django.contrib.auth.models import User

from saleor_ma_plugin.core import host

pytestmark = pytest.mark.django_db

INDEX = """<!doctype html>
<html lang="en">
  <head>
    <meta charset="UTF-8" />
    <script type="module" crossorigin src="./assets/index-4f2a9c1b.js"></script>
  </head>
  <body><div id="root"></div></body>
</html>
"""


@pytest.fixture
def built_app(tmp_path, settings):
    """A build as Vite lays it out: index.html, hashed assets, a public icon."""
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text(INDEX)
    (tmp_path / "assets" / "index-4f2a9c1b.js").write_text("console.log('app');")
    (tmp_path / "favicon.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    settings.SALEOR_MA_DASHBOARD_DIR = str(tmp_path)
    return tmp_path


@pytest.fixture
def inside_saleor():
    """The engine as Saleor's host integration installs it: same code, the plugin route."""
    standalone = host.current()
    host.install(
        replace(standalone, name="saleor", route_prefix="/plugins/global/saleor_ma_plugin")
    )
    yield
    host.install(standalone)


def runtime_config(html: str) -> dict:
    block = re.search(r'<script id="ma-config" type="application/json">(.*?)</script>', html)
    return json.loads(block.group(1))


def test_the_index_page_carries_the_base_path_and_runtime_config(client, built_app):
    # when
    response = client.get("/dashboard/")

    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-cache"
    assert '<base href="/dashboard/">' in html
    assert runtime_config(html) == {
        "mode": "standalone",
        "basePath": "/dashboard/",
        "apiUrl": "/graphql/",
        "loginUrl": "/dashboard/login/",
        "logoutUrl": "/dashboard/logout/",
    }


def test_every_app_route_falls_back_to_the_index_page(client, built_app):
    # when
    response = client.get("/dashboard/campaigns/Q2FtcGFpZ246MQ==/report")

    # then
    assert response.status_code == 200
    assert "ma-config" in response.content.decode()


def test_hashed_assets_are_cached_for_a_year(client, built_app):
    # when
    response = client.get("/dashboard/assets/index-4f2a9c1b.js")

    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript"
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert b"".join(response.streaming_content) == b"console.log('app');"


def test_public_files_are_cached_briefly(client, built_app):
    # when
    response = client.get("/dashboard/favicon.svg")

    # then
    assert response["Content-Type"] == "image/svg+xml"
    assert response["Cache-Control"] == "public, max-age=3600"


def test_a_missing_asset_is_not_answered_with_the_index_page(client, built_app):
    # when
    response = client.get("/dashboard/assets/index-00000000.js")

    # then
    assert response.status_code == 404


@pytest.mark.parametrize(
    "path",
    ["/dashboard/..%2fsecret.txt", "/dashboard/%2e%2e/secret.txt", "/dashboard/../secret.txt"],
)
def test_files_outside_the_build_are_never_served(client, built_app, path):
    # given
    (built_app.parent / "secret.txt").write_text("top secret")

    # when
    response = client.get(path)

    # then
    body = response.content if not response.streaming else b"".join(response.streaming_content)
    assert b"top secret" not in body


def test_without_a_build_the_page_says_how_to_build_it(client, settings, tmp_path):
    # given
    settings.SALEOR_MA_DASHBOARD_DIR = str(tmp_path / "nothing-here")

    # when
    response = client.get("/dashboard/")

    # then
    assert response.status_code == 503
    assert b"npm ci && npm run build" in response.content


def test_inside_saleor_the_app_uses_the_plugin_route_and_appbridge(
    client, built_app, inside_saleor
):
    # when
    html = client.get("/dashboard/").content.decode()

    # then
    assert '<base href="/plugins/global/saleor_ma_plugin/dashboard/">' in html
    assert runtime_config(html) == {
        "mode": "saleor",
        "basePath": "/plugins/global/saleor_ma_plugin/dashboard/",
        "apiUrl": "/plugins/global/saleor_ma_plugin/graphql/",
        "loginUrl": "",
        "logoutUrl": "",
    }


def test_the_manifest_mounts_the_app_page_and_widgets(client, inside_saleor):
    # when
    manifest = client.get("/manifest/").json()

    # then
    app_url = "http://localhost:8000/plugins/global/saleor_ma_plugin/dashboard/"
    assert manifest["id"] == "saleor-ma-plugin"
    assert manifest["appUrl"] == app_url
    assert manifest["permissions"] == ["MANAGE_USERS", "MANAGE_DISCOUNTS"]
    assert "tokenTargetUrl" not in manifest
    assert [(e["mount"], e["target"], e["url"]) for e in manifest["extensions"]] == [
        ("NAVIGATION_CUSTOMERS", "APP_PAGE", "/"),
        ("HOMEPAGE_WIDGETS", "WIDGET", f"{app_url}widgets/revenue"),
        ("ORDER_DETAILS_WIDGETS", "WIDGET", f"{app_url}widgets/order"),
        ("CUSTOMER_DETAILS_MORE_ACTIONS", "APP_PAGE", "/contacts/customer"),
    ]


def test_without_a_public_base_url_the_manifest_uses_the_requested_host(
    client, settings, inside_saleor
):
    # given
    settings.SALEOR_MA_PLUGIN = {**settings.SALEOR_MA_PLUGIN, "public_base_url": ""}
    host.forget_settings()

    # when
    manifest = client.get("/manifest/", HTTP_HOST="127.0.0.1").json()

    # then
    host.forget_settings()
    assert manifest["appUrl"] == "http://127.0.0.1/plugins/global/saleor_ma_plugin/dashboard/"


def test_the_login_page_signs_a_user_in_and_sends_them_to_the_app(client):
    # given
    User.objects.create_user("admin", "admin@example.com", "s3cret-pass", is_staff=True)

    # when
    page = client.get("/dashboard/login/")
    response = client.post(
        "/dashboard/login/", {"username": "admin", "password": "s3cret-pass", "next": ""}
    )

    # then
    assert page.status_code == 200
    assert b'name="password"' in page.content
    assert page["X-Frame-Options"] == "DENY"
    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"


def test_a_wrong_password_keeps_the_user_on_the_login_page(client):
    # given
    User.objects.create_user("admin", "admin@example.com", "s3cret-pass", is_staff=True)

    # when
    response = client.post("/dashboard/login/", {"username": "admin", "password": "wrong"})

    # then
    assert response.status_code == 200
    assert b"not right" in response.content
    assert b'value="admin"' in response.content


def test_signing_out_ends_the_session(client):
    # given
    user = User.objects.create_user("admin", "admin@example.com", "x", is_staff=True)
    client.force_login(user)

    # when
    response = client.post("/dashboard/logout/")

    # then
    assert response["Location"] == "/dashboard/login/"
    assert "_auth_user_id" not in client.session


def test_graphiql_comes_from_the_build_on_development_hosts(client, built_app, settings):
    # given a build with its GraphiQL page, on a host with DEBUG on
    settings.DEBUG = True
    (built_app / "graphiql.html").write_text(
        INDEX.replace("index-4f2a9c1b", "graphiql-9d1e2f3a").replace("root", "graphiql")
    )

    # when
    page = client.get("/graphql/")

    # then the page is the build's, told where the API is; nothing loads from elsewhere
    html = page.content.decode()
    assert page.status_code == 200
    assert '<base href="/dashboard/">' in html
    assert './assets/graphiql-9d1e2f3a.js"' in html
    assert runtime_config(html)["apiUrl"] == "/graphql/"
    assert "https://" not in html


def test_the_api_refuses_gets_on_production_hosts(client, built_app, settings):
    # given
    settings.DEBUG = False
    (built_app / "graphiql.html").write_text(INDEX)

    # when
    response = client.get("/graphql/")

    # then
    assert response.status_code == 405
    assert "graphiql" not in response.content.decode().lower()
