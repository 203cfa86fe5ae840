"""The standalone host's Celery app; inside Saleor, Saleor's own app runs our tasks."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saleor_ma_plugin.standalone.settings")

app = Celery("saleor_ma_plugin")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["saleor_ma_plugin"])
