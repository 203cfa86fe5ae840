"""App configuration: host integration and the fixed beat ticks."""

from datetime import timedelta
from importlib import import_module

from django.apps import AppConfig, apps
from django.conf import settings
from django.utils.translation import gettext_lazy as _

#: Beat entries, registered by name so that starting twice changes nothing.
BEAT_SCHEDULE = {
    "saleor-ma-plugin-sweep-events": {
        "task": "saleor_ma_plugin.sweep_events",
        "schedule": timedelta(minutes=1),
    },
    "saleor-ma-plugin-run-enrollments": {
        "task": "saleor_ma_plugin.run_enrollments",
        "schedule": timedelta(seconds=15),
    },
    "saleor-ma-plugin-scheduled-triggers": {
        "task": "saleor_ma_plugin.run_scheduled_triggers",
        "schedule": timedelta(minutes=1),
    },
    "saleor-ma-plugin-deliver-messages": {
        "task": "saleor_ma_plugin.deliver_messages",
        "schedule": timedelta(seconds=15),
    },
    "saleor-ma-plugin-replenish-voucher-pools": {
        "task": "saleor_ma_plugin.replenish_voucher_pools",
        "schedule": timedelta(minutes=5),
    },
    "saleor-ma-plugin-daily-scoring": {
        "task": "saleor_ma_plugin.daily_scoring",
        "schedule": timedelta(days=1),
    },
    "saleor-ma-plugin-refresh-segments": {
        "task": "saleor_ma_plugin.refresh_segments",
        "schedule": timedelta(minutes=5),
    },
    "saleor-ma-plugin-decide-experiments": {
        "task": "saleor_ma_plugin.decide_experiments",
        "schedule": timedelta(minutes=15),
    },
    "saleor-ma-plugin-deliver-webhooks": {
        "task": "saleor_ma_plugin.deliver_webhooks",
        "schedule": timedelta(seconds=30),
    },
}


class MarketingAutomationConfig(AppConfig):
    name = "saleor_ma_plugin"
    label = "saleor_ma_plugin"
    verbose_name = _("Marketing automation")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        register_beat_schedule()
        from .messaging import esp_events

        esp_events.connect()
        if apps.is_installed("saleor.plugins"):
            # Only the adapter may import Saleor; it tells the engine how to live there.
            import_module("saleor_ma_plugin.saleor.host").install_saleor_host()


def register_beat_schedule() -> None:
    """Add our ticks to the host's beat schedule (Saleor's database scheduler upserts them)."""
    schedule = getattr(settings, "CELERY_BEAT_SCHEDULE", None)
    if schedule is None:
        schedule = {}
        settings.CELERY_BEAT_SCHEDULE = schedule
    for name, entry in BEAT_SCHEDULE.items():
        schedule.setdefault(name, dict(entry))
