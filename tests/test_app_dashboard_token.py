"""App mode: the dashboard app inside Saleor's Dashboard signs in with the staff token the
Dashboard hands its iframe.

A loopback server stands in for the Saleor the App serves: it publishes a real RS256 key
set at ``/.well-known/jwks.json`` and answers the App's ``app { id }`` query. Tokens are
made with the claims Saleor 3.23's ``create_access_token_for_app`` writes.
"""

import json
from datetime import UTC, datetime, timedelta

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.core.cache import cache

from saleor_ma_plugin.core import host
from saleor_ma_plugin.dashboard.build import runtime_config
from saleor_ma_plugin.saleor_app import signatures
from saleor_ma_plugin.saleor_app.models import SaleorInstallation
from saleor_ma_plugin.standalone.host import STANDALONE, standalone_integration
from tests.api_helpers import staff
from tests.fake_http import CannedResponse, FakeHttpServer, RecordedRequest

pytestmark = [pytest.mark.django_db, pytest.mark.urls("saleor_ma_plugin.standalone.urls")]

VIEWER = "{ marketingViewer { kind email permissions } }"
CAMPAIGNS = "{ campaigns(first: 1) { edges { node { id } } } }"
APP_ID = "QXBwOjc="  # App:7
USER_ID = "VXNlcjo0Mg=="  # User:42


def _key(kid: str):
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(private.public_key()))
    return private, {**public, "kid": kid, "use": "sig", "alg": "RS256"}


class StandInSaleor:
    """Saleor's key set and its answer to ``app { id }``, on loopback."""

    def __init__(self) -> None:
        self.private, public = _key("saleor-key")
        self.keys = [public]
        self.server = FakeHttpServer(self._respond)

    def _respond(self, request: RecordedRequest) -> CannedResponse:
        if request.path == "/.well-known/jwks.json":
            body = {"keys": self.keys}
        elif request.headers.get("authorization") == "Bearer app-token-1":
            body = {"data": {"app": {"id": APP_ID}}}
        else:
            body = {"errors": [{"message": "You do not have permission"}]}
        return CannedResponse(200, json.dumps(body).encode(), {"Content-Type": "application/json"})

    @property
    def api_url(self) -> str:
        return f"{self.server.base_url}/graphql/"

    def requests_to(self, path: str) -> int:
        return sum(1 for request in self.server.requests if request.path == path)

    def token(self, private=None, kid="saleor-key", lifetime=timedelta(minutes=5), **claims):
        """A Dashboard token as Saleor makes it for a staff user of an App."""
        now = datetime.now(tz=UTC)
        payload = {
            "iat": now,
            "owner": "saleor",
            "iss": self.api_url,
            "exp": now + lifetime,
            "token": "jwt-token-key",
            "email": "admin@example.com",
            "type": "thirdparty",
            "user_id": USER_ID,
            "is_staff": True,
            "app": APP_ID,
            "permissions": ["MANAGE_USERS", "MANAGE_DISCOUNTS"],
            "user_permissions": ["MANAGE_USERS", "MANAGE_DISCOUNTS", "MANAGE_ORDERS"],
            **claims,
        }
        return jwt.encode(
            payload, private or self.private, algorithm="RS256", headers={"kid": kid}
        )


@pytest.fixture
def saleor(settings):
    """The standalone host serving the stand-in Saleor as an installed App."""
    stand_in = StandInSaleor()
    with stand_in.server:
        settings.SALEOR_MA_APP_ALLOW_INTERNAL = True
        settings.SALEOR_MA_APP_SALEOR_API_URL = stand_in.api_url
        cache.clear()
        signatures._LOCAL.clear()
        signatures._LOCAL_REFETCHED.clear()
        installation = SaleorInstallation(api_url=stand_in.api_url)
        installation.set_token("app-token-1")
        installation.save()
        host.install(standalone_integration())
        yield stand_in
    host.install(STANDALONE)
    cache.clear()
    signatures._LOCAL.clear()


def _post(client, query: str, token: str | None = None) -> dict:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token is not None else {}
    response = client.post(
        "/graphql/",
        json.dumps({"query": query}),
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 200, response.content
    return response.json()


def test_a_staff_token_from_the_dashboard_signs_the_user_in_with_mapped_permissions(
    client, saleor
):
    # when
    answer = _post(client, VIEWER, saleor.token())

    # then
    assert answer == {
        "data": {
            "marketingViewer": {
                "kind": "STAFF",
                "email": "admin@example.com",
                "permissions": ["MANAGE_DISCOUNTS", "MANAGE_MARKETING"],
            }
        }
    }
    assert saleor.requests_to("/.well-known/jwks.json") == 1
    assert saleor.requests_to("/graphql/") == 1, "the App id is asked once"
    assert SaleorInstallation.objects.get().app_id == APP_ID


def test_the_key_set_and_the_app_id_are_asked_once_for_many_requests(client, saleor):
    # when
    for _ in range(3):
        _post(client, VIEWER, saleor.token())

    # then
    assert saleor.requests_to("/.well-known/jwks.json") == 1
    assert saleor.requests_to("/graphql/") == 1


def test_tokens_naming_made_up_key_ids_make_one_refetch_in_a_while(client, saleor):
    # given the key set is known
    _post(client, VIEWER, saleor.token())

    # when tokens name key ids Saleor never published
    answers = [_post(client, VIEWER, saleor.token(kid=f"made-up-{n}")) for n in range(5)]

    # then
    assert {answer["data"]["marketingViewer"]["kind"] for answer in answers} == {"ANONYMOUS"}
    assert saleor.requests_to("/.well-known/jwks.json") == 2


def test_only_permissions_both_the_user_and_the_app_hold_are_granted(client, saleor):
    # given a user without MANAGE_DISCOUNTS: Saleor's intersection leaves it out
    token = saleor.token(
        permissions=["MANAGE_USERS"], user_permissions=["MANAGE_USERS", "MANAGE_ORDERS"]
    )

    # when
    answer = _post(client, VIEWER, token)

    # then
    assert answer["data"]["marketingViewer"]["permissions"] == ["MANAGE_MARKETING"]


def test_a_user_permission_the_app_was_not_granted_is_not_ours(client, saleor):
    # given an App whose MANAGE_DISCOUNTS was taken away
    token = saleor.token(permissions=["MANAGE_USERS"])

    # when
    answer = _post(client, VIEWER, token)

    # then
    assert answer["data"]["marketingViewer"]["permissions"] == ["MANAGE_MARKETING"]


def test_a_valid_token_is_enough_to_read_admin_data(client, saleor):
    # when
    answer = _post(client, CAMPAIGNS, saleor.token())

    # then
    assert answer == {"data": {"campaigns": {"edges": []}}}


def _forged_tokens(saleor: StandInSaleor) -> dict[str, str]:
    attacker, _ = _key("saleor-key")
    return {
        "signed by another key under Saleor's key id": saleor.token(private=attacker),
        "expired": saleor.token(lifetime=timedelta(seconds=-30)),
        "issued by another Saleor": saleor.token(iss="https://other-shop.example.com/graphql/"),
        "made for another App": saleor.token(app="QXBwOjk5"),
        "with another App's audience": saleor.token(aud="https://other-app.example.com"),
        "a customer's": saleor.token(is_staff=False),
        "a plain access token, not made for an App": saleor.token(type="access"),
        "issued by a plugin": saleor.token(owner="some-plugin"),
        "signed with a key Saleor never published": saleor.token(kid="unknown"),
        "HS256 with a made-up secret": jwt.encode(
            {"iss": saleor.api_url, "exp": datetime.now(tz=UTC) + timedelta(minutes=5)},
            "a-secret-anyone-could-have-made-up-1234",
            algorithm="HS256",
            headers={"kid": "saleor-key"},
        ),
        "garbage": "not.a.jwt",
        "empty": "",
    }


@pytest.mark.parametrize(
    "kind",
    [
        "signed by another key under Saleor's key id",
        "expired",
        "issued by another Saleor",
        "made for another App",
        "with another App's audience",
        "a customer's",
        "a plain access token, not made for an App",
        "issued by a plugin",
        "signed with a key Saleor never published",
        "HS256 with a made-up secret",
        "garbage",
        "empty",
    ],
)
def test_a_token_that_is_not_our_apps_is_anonymous_and_refused(client, saleor, kind):
    # given
    token = _forged_tokens(saleor)[kind]

    # when
    viewer = _post(client, VIEWER, token)
    admin = _post(client, CAMPAIGNS, token)

    # then
    assert viewer == {
        "data": {"marketingViewer": {"kind": "ANONYMOUS", "email": "", "permissions": []}}
    }
    assert admin["data"] == {"campaigns": None}
    assert admin["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"


def test_no_token_is_trusted_before_saleor_names_the_apps_id(client, saleor, settings):
    # given a Saleor that refuses the App token (the App was removed)
    installation = SaleorInstallation.objects.get()
    installation.set_token("revoked-token")
    installation.save()

    # when
    answer = _post(client, VIEWER, saleor.token())

    # then
    assert answer["data"]["marketingViewer"]["kind"] == "ANONYMOUS"
    assert SaleorInstallation.objects.get().app_id == ""


def test_a_new_app_token_forgets_the_app_id(saleor, client):
    # given
    _post(client, VIEWER, saleor.token())
    installation = SaleorInstallation.objects.get()
    assert installation.app_id == APP_ID

    # when Saleor registers the App again (a reinstall gets a new id)
    installation.set_token("app-token-2")
    installation.save()

    # then
    assert SaleorInstallation.objects.get().app_id == ""


def test_without_a_token_the_standalone_sign_in_still_applies(client, saleor):
    # given
    staff(client, "manage_marketing")

    # when
    answer = _post(client, VIEWER)

    # then
    assert answer["data"]["marketingViewer"]["kind"] == "STAFF"
    assert saleor.server.requests == []


def test_the_app_runs_as_inside_saleor_in_app_mode(saleor):
    # when
    config = runtime_config()

    # then the dashboard app takes its token from AppBridge and sends it as a Bearer token
    assert config.mode == "saleor"
    assert config.api_url == "/graphql/"
    assert config.login_url == ""
