"""App mode end to end: a real Saleor installs the App and its Celery worker feeds it.

Five processes on loopback: Saleor's API (uvicorn, ``saleor.settings``, on this test's
database), Saleor's own Celery worker on Redis (it installs the App and delivers the
webhooks; ``HTTP_IP_FILTER_ENABLED`` stays on, ``HTTP_IP_FILTER_ALLOW_LOOPBACK_IPS`` lets
it reach loopback), and the App service: the standalone host in App mode on a database of
its own, with its own Celery worker and beat on a queue of its own. The test commits
Saleor's rows (``transactional_db``), so run it on a test database of its own
(``DATABASE_URL``) and set ``SALEOR_MA_APP_E2E=1``. ``SALEOR_MA_E2E_REDIS_URL`` names the
Redis database (default 14).
"""

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
import requests
from django.db import connection
from saleor.core.jwt import create_access_token
from saleor.core.models import EventDelivery
from saleor.graphql.core.utils import to_global_id_or_none
from saleor.order.models import Order
from saleor.webhook.event_types import WebhookEventAsyncType
from saleor.webhook.models import Webhook
from saleor.webhook.transport.asynchronous.transport import create_deliveries_for_subscriptions

pytestmark = [
    pytest.mark.django_db(transaction=True),
    # It flushes the test database when done: never in a run sharing Saleor's test database.
    pytest.mark.skipif(
        os.environ.get("SALEOR_MA_APP_E2E") != "1",
        reason="set SALEOR_MA_APP_E2E=1 and give it a test database of its own (README)",
    ),
]

REPO = Path(__file__).resolve().parents[2]
STEPS = Path(__file__).with_name("app_service_steps.py")
REDIS_URL = os.environ.get("SALEOR_MA_E2E_REDIS_URL", "redis://127.0.0.1:6379/14")
APP_QUEUE = "saleor-ma-e2e"
#: How long to wait for work another process does; the test never asserts a duration.
PATIENCE_SECONDS = 120
BUYER, LEAVER = "buyer@example.com", "leaver@example.com"
ADDRESS = {
    "firstName": "John",
    "lastName": "Doe",
    "streetAddress1": "Tęczowa 7",
    "city": "WROCŁAW",
    "postalCode": "53-601",
    "country": "PL",
}

APP_INSTALL = """
mutation install($input: AppInstallInput!) {
  appInstall(input: $input) { appInstallation { id status } errors { field code message } }
}
"""
INSTALLATIONS = "{ appsInstallations { status message } }"
APPS = """
{ apps(first: 5) { edges { node { name isActive permissions { code }
  webhooks { isActive asyncEvents { eventType } } } } } }
"""
CHECKOUT_CREATE = """
mutation create($input: CheckoutCreateInput!) {
  checkoutCreate(input: $input) { checkout { id } errors { field code message } }
}
"""
DELIVERY_METHOD = """
mutation delivery($id: ID, $method: ID) {
  checkoutDeliveryMethodUpdate(id: $id, deliveryMethodId: $method) {
    errors { field code message }
  }
}
"""
SHIPPING_ADDRESS = """
mutation address($id: ID, $address: AddressInput!) {
  checkoutShippingAddressUpdate(id: $id, shippingAddress: $address) {
    errors { field code message }
  }
}
"""
CHECKOUT_COMPLETE = """
mutation complete($id: ID) {
  checkoutComplete(id: $id) { order { id number } errors { field code message } }
}
"""
ADD_PROMO_CODE = """
mutation add($id: ID, $code: String!) {
  checkoutAddPromoCode(id: $id, promoCode: $code) {
    checkout { voucherCode } errors { field code message }
  }
}
"""
RETRY = """
mutation retry($id: ID!) { eventDeliveryRetry(id: $id) { errors { field code message } } }
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _database_url(name: str) -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{name}"


def _wait_for(what: str, check, processes):
    """Poll ``check`` until it returns something truthy; fail with the processes' logs."""
    deadline = time.monotonic() + PATIENCE_SECONDS
    while time.monotonic() < deadline:
        if result := check():
            return result
        for process in processes:
            if process.poll() is not None:
                pytest.fail(f"{process.args[:4]} exited while waiting for {what}")
        time.sleep(0.5)
    pytest.fail(f"Gave up waiting for {what}")


class Services:
    """The five processes, their logs and the App's steps."""

    def __init__(self, tmp_path: Path, app_python: str):
        self.tmp_path, self.app_python, self.processes = tmp_path, app_python, []
        self.saleor_port, self.app_port = _free_port(), _free_port()
        self.saleor_url = f"http://127.0.0.1:{self.saleor_port}"
        self.app_url = f"http://127.0.0.1:{self.app_port}"

    def start(self, name: str, command: list[str], env: dict) -> None:
        log = (self.tmp_path / f"{name}.log").open("w")
        self.processes.append(
            subprocess.Popen(
                command, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=self.tmp_path
            )
        )

    def logs(self) -> str:
        return "\n".join(
            f"--- {path.name}\n{path.read_text()[-4000:]}"
            for path in sorted(self.tmp_path.glob("*.log"))
        )

    def stop(self) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def app_step(self, *arguments: str) -> dict:
        done = subprocess.run(
            [self.app_python, str(STEPS), *arguments],
            env=self.app_env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr[-4000:]
        return json.loads(done.stdout.strip().splitlines()[-1])

    def wait_for(self, what: str, check):
        try:
            return _wait_for(what, check, self.processes)
        except pytest.fail.Exception:
            print(self.logs())
            raise


def _app_python() -> str:
    """The App service's own Python: ``SALEOR_MA_APP_PYTHON``, the repo's venv, or this one."""
    if explicit := os.environ.get("SALEOR_MA_APP_PYTHON"):
        return explicit
    own = REPO / ".venv" / "bin" / "python"
    return str(own) if own.exists() else sys.executable


def _fresh_database(name: str) -> None:
    db = connection.settings_dict
    with psycopg.connect(
        dbname="postgres",
        user=db["USER"],
        password=db["PASSWORD"] or None,
        host=db["HOST"],
        port=db["PORT"] or 5432,
        autocommit=True,
    ) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')


@pytest.fixture
def services(tmp_path, settings, channel_USD):
    """Saleor's API and worker on this test's database, the App and its worker on another."""
    saleor_db = connection.settings_dict["NAME"]
    app_db = f"{saleor_db}_app"
    _fresh_database(app_db)
    running = Services(tmp_path, _app_python())
    bin_dir = Path(sys.executable).parent
    base = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "CACHE_URL")}
    saleor_env = {
        **base,
        "DJANGO_SETTINGS_MODULE": "saleor.settings",
        "DATABASE_URL": _database_url(saleor_db),
        "SECRET_KEY": "e2e-saleor",
        "RSA_PRIVATE_KEY": settings.RSA_PRIVATE_KEY,
        "PUBLIC_URL": f"{running.saleor_url}/",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "ALLOWED_CLIENT_HOSTS": "127.0.0.1,localhost",
        "DEBUG": "False",
        "CELERY_BROKER_URL": REDIS_URL,
        # Saleor's filter stays on; loopback is what this test's App listens on.
        "HTTP_IP_FILTER_ENABLED": "True",
        "HTTP_IP_FILTER_ALLOW_LOOPBACK_IPS": "True",
    }
    app_env = {
        **base,
        "DJANGO_SETTINGS_MODULE": "saleor_ma_plugin.standalone.settings",
        "PYTHONPATH": os.pathsep.join([str(REPO), base.get("PYTHONPATH", "")]),
        "DATABASE_URL": _database_url(app_db),
        "SECRET_KEY": "e2e-app",
        "CELERY_BROKER_URL": REDIS_URL,
        "CELERY_TASK_DEFAULT_QUEUE": APP_QUEUE,
        "SALEOR_MA_APP_SALEOR_API_URL": f"{running.saleor_url}/graphql/",
        "SALEOR_MA_APP_ALLOW_INTERNAL": "1",
        "SALEOR_MA_APP_DEFAULT_CHANNEL": channel_USD.slug,
        "SALEOR_MA_PUBLIC_BASE_URL": running.app_url,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
    }
    running.app_env = app_env
    app_python = running.app_python
    subprocess.run(
        [app_python, "-m", "django", "migrate", "--no-input", "-v", "0"], env=app_env, check=True
    )
    try:
        running.start(
            "saleor-api",
            [
                str(bin_dir / "uvicorn"),
                "saleor.asgi:application",
                "--host=127.0.0.1",
                f"--port={running.saleor_port}",
                "--lifespan=off",
                "--no-access-log",
            ],
            saleor_env,
        )
        running.start(
            "saleor-worker",
            [
                str(bin_dir / "celery"),
                "-A",
                "saleor.celeryconf:app",
                "worker",
                "--pool=solo",
                "--without-gossip",
                "--without-mingle",
                "--loglevel=INFO",
            ],
            saleor_env,
        )
        running.start(
            "app-web",
            [
                app_python,
                "-m",
                "django",
                "runserver",
                "--noreload",
                "--skip-checks",
                f"127.0.0.1:{running.app_port}",
            ],
            app_env,
        )
        running.start(
            "app-worker",
            [
                app_python,
                "-m",
                "celery",
                "-A",
                "saleor_ma_plugin.standalone",
                "worker",
                "--beat",
                f"--schedule={tmp_path / 'beat-schedule'}",
                "--pool=solo",
                "--without-gossip",
                "--without-mingle",
                "--loglevel=INFO",
            ],
            app_env,
        )
        for url in (f"{running.saleor_url}/graphql/", f"{running.app_url}/app/manifest/"):
            running.wait_for(url, lambda url=url: _answers(url))
        yield running
    finally:
        running.stop()


def _answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=10).status_code < 500
    except requests.RequestException:  # not listening yet, or still starting up
        return False


class Saleor:
    """Saleor's GraphQL API over HTTP, as a client sees it."""

    def __init__(self, url: str, token: str = ""):
        self.url, self.token = f"{url}/graphql/", token

    def __call__(self, query: str, variables: dict | None = None) -> dict:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        response = requests.post(
            self.url, json={"query": query, "variables": variables or {}}, headers=headers
        )
        body = response.json()
        assert "errors" not in body, body["errors"]
        return body["data"]


def _checkout(saleor: Saleor, channel, variant, email: str) -> str:
    created = saleor(
        CHECKOUT_CREATE,
        {
            "input": {
                "channel": channel.slug,
                "email": email,
                "lines": [{"quantity": 1, "variantId": to_global_id_or_none(variant)}],
                "shippingAddress": ADDRESS,
                "billingAddress": ADDRESS,
            }
        },
    )["checkoutCreate"]
    assert created["errors"] == []
    return created["checkout"]["id"]


def _of_type(state: dict, event_type: str) -> list[dict]:
    return [event for event in state["events"] if event["type"] == event_type]


def test_app_installed_from_its_manifest_takes_saleor_webhooks_and_runs_its_flows(
    services, channel_USD, product, shipping_method, site_settings, staff_user
):
    # given a shop that takes unpaid orders and a staff member who may install Apps
    channel_USD.allow_unpaid_orders = True
    channel_USD.save(update_fields=["allow_unpaid_orders"])
    staff_user.is_superuser = True
    staff_user.save(update_fields=["is_superuser"])
    staff = Saleor(services.saleor_url, create_access_token(staff_user))
    shop = Saleor(services.saleor_url)
    variant = product.variants.get()
    manifest = requests.get(f"{services.app_url}/app/manifest/").json()

    # when the staff member installs the App from its manifest URL
    installed = staff(
        APP_INSTALL,
        {
            "input": {
                "appName": manifest["name"],
                "manifestUrl": f"{services.app_url}/app/manifest/",
                "permissions": manifest["permissions"],
            }
        },
    )["appInstall"]
    assert installed["errors"] == []

    # then Saleor's worker fetched the manifest, made the App and gave our register its token
    state = services.wait_for("the App token", lambda: services.app_step("state")["installations"])
    assert state == [
        {
            "api_url": f"{services.saleor_url}/graphql/",
            "domain": f"127.0.0.1:{services.saleor_port}",
            "has_token": True,
        }
    ]
    app = staff(APPS)["apps"]["edges"][0]["node"]
    assert app["isActive"] is True
    assert sorted(p["code"] for p in app["permissions"]) == sorted(manifest["permissions"])
    assert sorted(e["eventType"] for w in app["webhooks"] for e in w["asyncEvents"]) == sorted(
        e for w in manifest["webhooks"] for e in w["asyncEvents"]
    )
    assert staff(INSTALLATIONS)["appsInstallations"] == []

    # given the thank-you-voucher and abandoned-checkout flows, both buyers subscribed
    services.app_step("prepare", BUYER, LEAVER)

    # when a buyer completes a checkout through Saleor's API
    checkout_id = _checkout(shop, channel_USD, variant, BUYER)
    method = to_global_id_or_none(shipping_method)
    assert (
        shop(DELIVERY_METHOD, {"id": checkout_id, "method": method})[
            "checkoutDeliveryMethodUpdate"
        ]["errors"]
        == []
    )
    completed = shop(CHECKOUT_COMPLETE, {"id": checkout_id})["checkoutComplete"]
    assert completed["errors"] == []

    # then Saleor's worker delivered exactly one order.created, which the App processed
    def order_processed():
        state = services.app_step("state")
        orders = _of_type(state, "order.created")
        return state if orders and all(event["processed"] for event in orders) else None

    state = services.wait_for("order.created", order_processed)
    orders = _of_type(state, "order.created")
    assert [(event["email"], event["processed"]) for event in orders] == [(BUYER, True)]

    # and the thank-you flow had a code made through Saleor's API and mailed it
    def thanked():
        state = services.app_step("state")
        sent = [m for m in state["messages"] if m["template"] == "thank_you_voucher"]
        return state if sent and sent[0]["status"] == "sent" else None

    state = services.wait_for("the thank-you mail", thanked)
    assert [(m["template"], m["email"], m["status"]) for m in state["messages"]] == [
        ("thank_you_voucher", BUYER, "sent")
    ]
    [voucher] = state["vouchers"]
    assert voucher["email"] == BUYER

    # when Saleor sends the order's order.created again through its retry path: Saleor deletes
    # a delivery once it succeeded, so a new one with the payload Saleor renders for this
    # order is made and eventDeliveryRetry hands it to Saleor's worker
    services.wait_for(
        "every delivery so far to succeed (Saleor clears those)",
        lambda: not EventDelivery.objects.exists(),
    )
    events_before = services.app_step("state")["events"]
    assert [e["type"] for e in events_before].count("order.created") == 1
    hook = Webhook.objects.get(
        events__event_type=WebhookEventAsyncType.ORDER_CREATED,
        name="Marketing automation: order_created",
    )
    [again] = create_deliveries_for_subscriptions(
        WebhookEventAsyncType.ORDER_CREATED, Order.objects.get(), [hook]
    )
    # Saleor keeps this process's payload files where its worker (other settings) does not
    # look; its payload column, which Saleor also reads, carries the same text across.
    payload = again.payload
    payload.payload = payload.get_payload()
    payload.payload_file.delete(save=False)
    payload.save(update_fields=["payload", "payload_file"])
    retried = staff(RETRY, {"id": to_global_id_or_none(again)})["eventDeliveryRetry"]
    assert retried["errors"] == []
    services.wait_for(
        "the retried delivery to succeed",
        lambda: not EventDelivery.objects.filter(pk=again.pk).exists(),
    )

    # then the App answered 2xx (Saleor cleared the delivery as a success) and stored nothing
    assert services.app_step("state")["events"] == events_before

    # when another shopper leaves a checkout after changing it
    left_id = _checkout(shop, channel_USD, variant, LEAVER)
    assert (
        shop(SHIPPING_ADDRESS, {"id": left_id, "address": ADDRESS})[
            "checkoutShippingAddressUpdate"
        ]["errors"]
        == []
    )

    def left_processed():
        state = services.app_step("state")
        updates = [e for e in _of_type(state, "checkout.updated") if e["email"] == LEAVER]
        return updates and all(event["processed"] for event in state["events"])

    services.wait_for("the left checkout's events", left_processed)
    # and three hours pass with no order for that checkout
    services.app_step("advance", "3")

    # then the abandoned-checkout reminder went to the shopper who left, not to the buyer
    state = services.app_step("state")
    assert [(m["template"], m["email"], m["status"]) for m in state["messages"]] == [
        ("thank_you_voucher", BUYER, "sent"),
        ("abandoned_checkout_1", LEAVER, "sent"),
    ]

    # when the buyer brings the thank-you code to a new checkout
    next_id = _checkout(shop, channel_USD, variant, BUYER)
    added = shop(ADD_PROMO_CODE, {"id": next_id, "code": voucher["code"]})["checkoutAddPromoCode"]

    # then Saleor accepts it
    assert added["errors"] == []
    assert added["checkout"]["voucherCode"] == voucher["code"]
    # and every delivery of the run reached the App with a 2xx (Saleor clears only those)
    services.wait_for("every delivery to succeed", lambda: not EventDelivery.objects.exists())
    print(json.dumps(services.app_step("state"), indent=1))  # the note's output (pytest -rA)
