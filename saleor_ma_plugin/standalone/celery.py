"""The standalone host's Celery app; inside Saleor, Saleor's own app runs our tasks.

Database sessions outlive a task, as ``CONN_MAX_AGE`` asks. Celery's Django fix-up would
close every connection before and after each task unless ``CELERY_DB_REUSE_MAX`` is set:
every wake-up of the event path would then start a PostgreSQL session (a backend process
forked, its catalogue caches cold) and end it again. With it set, each task starts and ends
as a Django request does (``close_old_connections``): a session past its age, or one that
broke, is dropped, and the health check (``CONN_HEALTH_CHECKS``) finds one the server
closed before the task uses it. The fix-up still recycles them after that many tasks.
"""

import os

from celery import Celery
from celery.signals import task_postrun, task_prerun
from django.db import close_old_connections

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saleor_ma_plugin.standalone.settings")

app = Celery("saleor_ma_plugin")
app.config_from_object("django.conf:settings", namespace="CELERY")
# The fix-up reads this old-style key itself; no setting of the CELERY namespace maps to it.
app.conf["CELERY_DB_REUSE_MAX"] = 1000
app.autodiscover_tasks(["saleor_ma_plugin"])


@task_prerun.connect
@task_postrun.connect
def _as_a_request_does(sender=None, **kwargs) -> None:
    # An eager task runs inside its caller's request and transaction: its connections are
    # the caller's to keep.
    if sender is None or getattr(sender.request, "is_eager", False):
        return
    close_old_connections()
