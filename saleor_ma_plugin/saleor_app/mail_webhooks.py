"""Saleor's mail webhooks switched on exactly while a transactional mail is enabled.

Saleor creates the webhooks a manifest names once, at install, so the manifest names the
mail webhooks whatever ``transactional_emails`` says. Each one Saleor calls costs its
worker a delivery (about 12.5 ms CPU) even when we store nothing, so the App switches
its own webhooks with ``webhookUpdate(id, input: {isActive})``: Saleor lets an App update
its own webhooks with its token (``AUTHENTICATED_APP``; the mutation looks the webhook up
among the calling App's only) and list them (``app { webhooks }``, owner or MANAGE_APPS).

Webhooks are told apart by the names the manifest gives them, never by position; a
webhook of another name (added by hand in the Dashboard) is left alone. Switching is
idempotent: one query lists the webhooks and only those whose state differs are updated,
so the same call serves right after a settings change and as the periodic repair.
"""

import logging

from ..core import host
from ..core.host import ShopUnavailable
from ..core.queue import Work, wake_after_commit
from .api import saleor_api
from .manifest import SUBSCRIPTIONS, mail_webhook_name, marketing_webhook_name
from .notify import NOTIFICATIONS
from .views import configured_api_url

logger = logging.getLogger(__name__)

#: The setting whose change switches the mail webhooks.
SETTING = "transactional_emails"
MARKETING_WEBHOOKS = frozenset(marketing_webhook_name(event) for event in SUBSCRIPTIONS)
MAIL_WEBHOOKS = frozenset(mail_webhook_name(event) for event in NOTIFICATIONS)
#: The App's own webhooks (the token's App: no id needed).
APP_WEBHOOKS = "query AppWebhooks { app { webhooks { id name isActive } } }"
SET_ACTIVE = """
mutation SetWebhookActive($id: ID!, $isActive: Boolean!) {
  webhookUpdate(id: $id, input: {isActive: $isActive}) {
    webhook { id isActive }
    errors { field code message }
  }
}
"""


def wanted_active(name: str, mails_enabled: bool) -> bool | None:
    """Whether the webhook named ``name`` should be active; None: not one of ours."""
    if name in MARKETING_WEBHOOKS:
        return True
    if name in MAIL_WEBHOOKS:
        return mails_enabled
    return None


def switch_mail_webhooks() -> int:
    """Make Saleor's webhooks of this App match the settings; return how many changed.

    Raises ``ShopUnavailable`` when Saleor cannot be asked or refuses a change: the
    setting stays stored and the repair tick tries again.
    """
    if not configured_api_url():
        return 0  # not serving a Saleor as an App: there are no webhooks to switch
    # The stored settings, not the per-process cache: a worker may have read them before
    # the change that woke it.
    mails_enabled = bool(host.current().load_settings().transactional_emails)
    api = saleor_api()
    app = api.query(APP_WEBHOOKS).get("app")
    if app is None:
        raise ShopUnavailable("Saleor does not know the App of the stored token")
    changed = 0
    for webhook in app.get("webhooks") or []:
        wanted = wanted_active(webhook["name"], mails_enabled)
        if wanted is None or webhook["isActive"] == wanted:
            continue
        answer = api.mutate(SET_ACTIVE, {"id": webhook["id"], "isActive": wanted})
        errors = (answer.get("webhookUpdate") or {}).get("errors")
        if errors is None or errors:
            logger.error("Saleor refused to switch webhook %s: %s", webhook["name"], errors)
            raise ShopUnavailable("Saleor refused to switch a webhook")
        logger.info("Webhook %s switched %s", webhook["name"], "on" if wanted else "off")
        changed += 1
    return changed


def switch_after_commit(changes: dict) -> None:
    """After a settings change that touches transactional mails: switch once it commits."""
    if SETTING in changes:
        wake_after_commit(Work.SWITCH_MAIL_WEBHOOKS)
