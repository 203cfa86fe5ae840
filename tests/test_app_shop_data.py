"""App mode's shop data over the network: retries, failures, and a send that waits for Saleor.

A recording HTTP server on loopback stands in for Saleor's API where the network matters
(5xx answers, refused connections); what Saleor answers is proved against the real
Saleor in ``tests/saleor/test_app_shop_data_in_saleor.py``.
"""

import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone

from saleor_ma_plugin.contacts.models import Contact
from saleor_ma_plugin.core.host import ShopUnavailable, forget_settings
from saleor_ma_plugin.core.outbound import OutboundGuard, guarded_session
from saleor_ma_plugin.messaging import MessageStatus
from saleor_ma_plugin.messaging.delivery import SHOP_RETRY_DELAY, deliver_due_messages
from saleor_ma_plugin.saleor_app.api import SaleorApi, saleor_api
from saleor_ma_plugin.saleor_app.catalogue import AppCatalogue
from saleor_ma_plugin.saleor_app.content import AppContent
from saleor_ma_plugin.saleor_app.manifest import app_mode_manifest
from saleor_ma_plugin.standalone.host import (
    STANDALONE,
    app_mode_requestor,
    standalone_integration,
)
from tests.api_helpers import post, staff
from tests.campaign_helpers import subscribe
from tests.fake_http import CannedResponse, FakeHttpServer, closed_port_url
from tests.messaging_helpers import queue, template

pytestmark = pytest.mark.django_db
QUERY = "query { shop { name } }"
#: Saleor 3.23's answers to the App's queries (``tests/saleor/record_app_api.py``).
FIXTURES = Path(__file__).parent / "fixtures" / "saleor_app_api"
ANSWER = CannedResponse(
    200, json.dumps({"data": {"shop": {"name": "Shop"}}}).encode(), {"Content-Type": "json"}
)


def answers(*responses: CannedResponse):
    """Answer with ``responses`` in turn, then with the last one again and again."""
    queue_ = list(responses)
    return lambda request: queue_.pop(0) if len(queue_) > 1 else queue_[0]


@pytest.fixture
def app_mode(app_mode, settings):
    """The App host of ``conftest.py``, with no quiet hours to hold the mails back."""
    settings.SALEOR_MA_PLUGIN = {**settings.SALEOR_MA_PLUGIN, "quiet_hours": ""}
    forget_settings()
    return app_mode


def test_a_query_is_retried_after_5xx_answers_and_carries_the_app_token():
    # given a Saleor that answers 503 and 502 before it answers
    unavailable = CannedResponse(503, b"busy")
    with FakeHttpServer(answers(unavailable, CannedResponse(502), ANSWER)) as saleor:
        api = SaleorApi(f"{saleor.base_url}/graphql/", "app-token-1", _loopback_sessions)

        # when
        data = api.query(QUERY)

    # then the third try's answer is returned; every try carried the token
    assert data == {"shop": {"name": "Shop"}}
    assert [request.path for request in saleor.requests] == ["/graphql/"] * 3
    assert {request.headers["authorization"] for request in saleor.requests} == {
        "Bearer app-token-1"
    }


def test_a_saleor_that_stays_down_is_shop_unavailable_after_three_retries():
    # given
    with FakeHttpServer(answers(CannedResponse(503))) as saleor:
        api = SaleorApi(f"{saleor.base_url}/graphql/", "app-token-1", _loopback_sessions)

        # when / then
        with pytest.raises(ShopUnavailable, match="HTTP 503"):
            api.query(QUERY)
    assert len(saleor.requests) == 4


def test_a_mutation_that_reached_saleor_is_not_sent_again():
    # given a Saleor that fails after receiving the request
    with FakeHttpServer(answers(CannedResponse(503), ANSWER)) as saleor:
        api = SaleorApi(f"{saleor.base_url}/graphql/", "app-token-1", _loopback_sessions)

        # when / then: codes it may have stored are not added twice
        with pytest.raises(ShopUnavailable):
            api.mutate("mutation { x }")
    assert len(saleor.requests) == 1


def test_graphql_errors_are_shop_unavailable():
    # given an App token without the permission a query needs
    refused = CannedResponse(
        200, json.dumps({"data": None, "errors": [{"message": "No permission"}]}).encode()
    )
    with FakeHttpServer(answers(refused)) as saleor:
        api = SaleorApi(f"{saleor.base_url}/graphql/", "app-token-1", _loopback_sessions)

        # when / then
        with pytest.raises(ShopUnavailable, match="refused the query"):
            api.query(QUERY)
    assert len(saleor.requests) == 1


def test_an_internal_saleor_is_refused_unless_allowed(settings):
    # given the guarded session, internal hosts not allowed
    settings.SALEOR_MA_APP_ALLOW_INTERNAL = False
    with FakeHttpServer(answers(ANSWER)) as saleor:
        api = SaleorApi(f"{saleor.base_url}/graphql/", "app-token-1")

        # when / then
        with pytest.raises(ShopUnavailable, match="OutboundRefused"):
            api.query(QUERY)
    assert saleor.requests == []


def test_before_the_app_is_installed_the_shop_is_unavailable(settings):
    # given an App URL but no token stored by the register endpoint
    settings.SALEOR_MA_APP_SALEOR_API_URL = "https://saleor.example/graphql/"

    # when / then
    with pytest.raises(ShopUnavailable, match="not installed"):
        saleor_api()


def test_app_mode_selects_the_app_host_for_shop_data(settings):
    # given
    settings.SALEOR_MA_APP_SALEOR_API_URL = "https://saleor.example/graphql/"

    # when
    integration = standalone_integration()

    # then the shop data comes from Saleor and the Dashboard's token signs staff in;
    # settings stay the standalone host's
    assert integration.name == "saleor_app"
    assert integration.catalogue is AppCatalogue
    assert integration.content is AppContent
    assert integration.load_settings is STANDALONE.load_settings
    assert integration.authenticate is app_mode_requestor
    settings.SALEOR_MA_APP_SALEOR_API_URL = ""
    assert standalone_integration() is STANDALONE


def test_the_manifest_asks_for_the_permissions_of_the_shop_data(rf, settings):
    # given
    settings.SALEOR_MA_APP_SALEOR_API_URL = "https://saleor.example/graphql/"

    # when
    manifest = app_mode_manifest(rf.get("/app/manifest/"))

    # then
    assert {"MANAGE_PRODUCTS", "MANAGE_DISCOUNTS"} <= set(manifest["permissions"])


def test_a_send_batch_waits_when_saleor_is_down_and_sends_nothing(app_mode):
    # given marketing mails with recommendations, and a Saleor that answers 503
    template()
    contacts = [Contact.objects.create(email=f"reader{n}@example.com") for n in range(3)]
    for contact in contacts:
        subscribe(contact)
        queue(contact)
    now = timezone.now()
    with FakeHttpServer(answers(CannedResponse(503))) as saleor:
        app_mode(f"{saleor.base_url}/graphql/")

        # when a worker takes the batch
        claimed = deliver_due_messages(now=now)

    # then nothing went out; every message waits, its try not counted
    assert claimed == 3
    assert mail.outbox == []
    assert saleor.requests
    for contact in contacts:
        message = contact.messages.get()
        assert (message.status, message.attempts) == (MessageStatus.QUEUED, 0)
        assert message.scheduled_at == now + SHOP_RETRY_DELAY
        assert "Saleor's API answered HTTP 503" in message.last_error


def test_a_send_batch_waits_when_saleor_cannot_be_reached(app_mode):
    # given a marketing mail, and nothing listening where Saleor should be
    template()
    contact = Contact.objects.create(email="reader@example.com")
    subscribe(contact)
    message = queue(contact)
    app_mode(f"{closed_port_url()}/graphql/")

    # when
    deliver_due_messages(now=timezone.now())

    # then
    message.refresh_from_db()
    assert mail.outbox == []
    assert message.status == MessageStatus.QUEUED
    assert message.scheduled_at > timezone.now() + timedelta(minutes=1)


def test_a_broadcast_asks_saleor_once_for_all_its_batches(app_mode):
    # given five subscribers due a marketing mail with recommendations, and a Saleor that
    # answers the App's listing query as Saleor 3.23 answered it (recorded)
    recorded = {
        json.dumps(exchange["request"], sort_keys=True): exchange["response"]
        for exchange in json.loads((FIXTURES / "recommendations.json").read_text())
    }
    template()
    for n in range(5):
        contact = Contact.objects.create(email=f"reader{n}@example.com")
        subscribe(contact)
        queue(contact)

    def saleor(request):
        answer = recorded.get(json.dumps(json.loads(request.body), sort_keys=True))
        if answer is None:  # a query Saleor was not recorded answering
            return CannedResponse(400)
        return CannedResponse(200, json.dumps(answer).encode())

    with FakeHttpServer(saleor) as server:
        app_mode(f"{server.base_url}/graphql/")

        # when workers send it in batches of two
        batches = [deliver_due_messages(batch_size=2) for _ in range(3)]

    # then every mail recommends Saleor's products; Saleor was asked each query once
    assert batches == [2, 2, 1]
    assert len(mail.outbox) == 5
    for sent in mail.outbox:
        html = sent.alternatives[0][0]
        assert ">Test product 1</a>" in html
        assert ">Test product 3</a>" in html
    assert len(server.requests) == len(recorded) == 3


def test_the_catalogue_lookup_says_when_saleor_cannot_be_reached(app_mode, client):
    # given an admin in App mode, and nothing listening where Saleor should be
    staff(client, "manage_marketing")
    app_mode(f"{closed_port_url()}/graphql/")

    # when the composer looks for a product
    answer = post(client, '{ catalogueSearch(kind: PRODUCT, search: "esp") { value } }')

    # then a clear error, not an internal one
    assert answer["data"]["catalogueSearch"] is None
    assert [error["message"] for error in answer["errors"]] == [
        "The shop's catalogue cannot be reached right now; try again in a moment."
    ]
    assert answer["errors"][0]["extensions"]["code"] == "UNREACHABLE"


def _loopback_sessions(retries):
    """The guarded session with internal hosts allowed (the stand-in is on loopback)."""
    return guarded_session(OutboundGuard(allow_internal=True), retries)
