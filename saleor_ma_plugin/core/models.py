"""What the core keeps in the database itself."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class StandaloneSettings(models.Model):
    """The admin's settings as saved from the dashboard in the standalone host (one row).

    Inside Saleor the settings live in Saleor's ``PluginConfiguration`` and this table stays
    empty. Values in the Django setting ``SALEOR_MA_PLUGIN`` win over the ones saved here.
    """

    values = models.JSONField(
        default=dict, blank=True, help_text=_("Setting name to value, as entered.")
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("standalone settings")
        verbose_name_plural = _("standalone settings")

    def __str__(self) -> str:
        return f"settings of {self.updated_at:%Y-%m-%d %H:%M}"
