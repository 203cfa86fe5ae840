"""App mode's Celery entry points, registered like the engine's (``tasks.entry_point``).

Only the standalone host imports this module (``apps.py``): inside Saleor there is no App
whose webhooks to switch.
"""

import logging
from datetime import timedelta

from ..core.host import ShopUnavailable
from ..core.queue import Work, nudge_received
from ..tasks import entry_point
from .mail_webhooks import switch_mail_webhooks as switch

logger = logging.getLogger(__name__)


@entry_point(
    Work.SWITCH_MAIL_WEBHOOKS,
    every=timedelta(minutes=5),
    beat_name="saleor-ma-plugin-switch-mail-webhooks",
)
def switch_mail_webhooks() -> int:
    """Nudge after a settings change or install, and beat tick: Saleor's mail webhooks
    active exactly while a transactional mail is enabled (one query when nothing drifted)."""
    nudge_received(Work.SWITCH_MAIL_WEBHOOKS)
    try:
        return switch()
    except ShopUnavailable as error:
        # The setting is stored: the next tick tries again.
        logger.warning("Mail webhooks not switched, tried again at the next tick: %s", error)
        return 0
