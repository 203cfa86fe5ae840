import importlib.util
import os

import pytest
from celery import Celery
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from saleor_ma_plugin.standalone import celery_app

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")
# The plugin's own Redis keys (the send journal) go to the tests' database, never to db 0.
os.environ["REDIS_URL"] = REDIS_URL
SALEOR_AVAILABLE = importlib.util.find_spec("saleor") is not None

# tests/saleor/ needs Saleor's settings and fixtures; it runs with its own pytest.ini
# inside a Saleor environment (see README) and is reported as skipped here.
collect_ignore = ["saleor"]


@pytest.fixture
def broker_app():
    """Make a Celery app talking to ``url`` current; the standalone eager app comes back after."""
    apps = []

    def activate(url: str) -> Celery:
        app = Celery("saleor_ma_plugin_test", broker=url, set_as_current=True)
        app.conf.broker_connection_timeout = 2
        app.conf.task_default_queue = "saleor-ma-plugin-tests"
        apps.append(app)
        return app

    yield activate
    for app in apps:
        app.close()
    celery_app.set_current()
    celery_app.set_default()


def pytest_report_header(config):
    if SALEOR_AVAILABLE:
        return "tests/saleor: not collected here; run it with tests/saleor/pytest.ini (README)"
    return "tests/saleor: skipped, saleor is not importable"


@pytest.fixture
def back_to_the_latest_schema():
    """For tests that migrate the database back in time: forward again afterwards, so the
    tests after them find every table and column."""
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.fixture
def app_mode(settings):
    """The standalone host serving a Saleor as an App, whose API is ``settings``' URL."""
    from django.core.cache import cache

    from saleor_ma_plugin.core import host
    from saleor_ma_plugin.core.host import forget_settings
    from saleor_ma_plugin.saleor_app.models import SaleorInstallation
    from saleor_ma_plugin.standalone.host import STANDALONE, standalone_integration

    settings.SALEOR_MA_APP_ALLOW_INTERNAL = True  # the stand-in listens on 127.0.0.1:port
    forget_settings()
    cache.clear()

    def serve(api_url: str) -> None:
        settings.SALEOR_MA_APP_SALEOR_API_URL = api_url
        installation = SaleorInstallation(api_url=api_url)
        installation.set_token("app-token-1")
        installation.save()
        host.install(standalone_integration())

    yield serve
    host.install(STANDALONE)
    forget_settings()
    cache.clear()
