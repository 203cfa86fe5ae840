"""App configuration: the host integration, the beat ticks, the receivers between domains."""

from importlib import import_module

from django.apps import AppConfig, apps
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class MarketingAutomationConfig(AppConfig):
    name = "saleor_ma_plugin"
    label = "saleor_ma_plugin"
    verbose_name = _("Marketing automation")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The modules below import models, so they are loaded once the registry is ready.
        if apps.is_installed("saleor.plugins"):
            # Only the adapter may import Saleor; it tells the engine how to live there.
            import_module("saleor_ma_plugin.saleor.host").install_saleor_host()
        else:
            import_module("saleor_ma_plugin.standalone.host").install_standalone_host()
            # App mode's tasks: switching the App's own webhooks in the Saleor it serves.
            import_module("saleor_ma_plugin.saleor_app.tasks")
        import_module("saleor_ma_plugin.messaging.esp_events").connect()
        import_module("saleor_ma_plugin.campaigns.triggers.segment_entry").connect()
        register_beat_schedule()


def register_beat_schedule() -> None:
    """Add our ticks to the host's beat schedule (Saleor's database scheduler upserts them)."""
    ticks = import_module("saleor_ma_plugin.tasks").BEAT_SCHEDULE
    schedule = getattr(settings, "CELERY_BEAT_SCHEDULE", None)
    if schedule is None:
        schedule = {}
        settings.CELERY_BEAT_SCHEDULE = schedule
    for name, entry in ticks.items():
        schedule.setdefault(name, dict(entry))
