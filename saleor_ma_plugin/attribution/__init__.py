"""Revenue attribution to messages and steps, and experiments (A/B winners, holdouts).

- Every order (``order.created``, not backfilled) is credited to at most one campaign step
  by the last-touch model: the code of an issued voucher beats a click, a click beats an
  open; clicks count within ``click_days`` before the order, opens within ``open_days``.
- Campaigns with a holdout share also get one comparison row per order and campaign for
  contacts inside a run's window, treated or held out, so reports can show true uplift.
- Split steps with a ``winner`` rule pick a winner once the data are clear
  (``experiments``); from then on every contact reaching the split takes the winning
  variant (``campaigns.steps.split``).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AttributionModel(models.TextChoices):
    #: One row per order: the message or voucher that earned it.
    LAST_TOUCH = "last_touch", _("Last touch")
    #: One row per order and campaign with a holdout: the order fell inside a run's window.
    HOLDOUT_TEST = "holdout_test", _("Holdout comparison")


class Touch(models.TextChoices):
    CLICK = "click", _("Click")
    OPEN = "open", _("Open")
    VOUCHER = "voucher", _("Voucher redeemed")
    #: Holdout comparison, held-out run: the contact received nothing.
    HOLDOUT = "holdout", _("Holdout")
    #: Holdout comparison, treated run.
    TREATED = "treated", _("Treated")
