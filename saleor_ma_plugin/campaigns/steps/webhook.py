"""``webhook``: POST the run's contact and context to a URL, retried until delivered."""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from ...core.errors import FieldError
from ...messaging.models import WebhookDelivery
from ...messaging.webhooks import check_webhook_url
from .base import StepKind, Transition, object_schema, required
from .send import message_context


@dataclass(frozen=True)
class WebhookConfig:
    url: str
    extra: tuple[tuple[str, Any], ...] = ()


class WebhookStep(StepKind):
    type = "webhook"
    label = _("Webhook")
    description = _("Send the contact and the run's context to another system (signed POST).")
    position = 7
    schema = object_schema(
        {"url": {"type": "string", "format": "uri"}, "payload": {"type": "object"}}, ("url",)
    )
    reaches_contact = True

    def parse(self, config, path):
        url = str(required(config, "url", path)).strip()
        # Checked as the HTTP client reads it; the address is checked again at delivery.
        if problem := check_webhook_url(url):
            raise FieldError(f"{path}.url", str(problem))
        return WebhookConfig(url=url, extra=tuple(sorted(config.get("payload", {}).items())))

    def execute(self, step, run):
        enrollment = run.enrollment
        run.effects.webhooks.append(
            WebhookDelivery(
                idempotency_key=f"enrollment:{enrollment.pk}:{step.key}",
                enrollment_id=enrollment.pk,
                url=step.config.url,
                payload={
                    "campaign": {"id": run.campaign.pk, "name": run.campaign.name},
                    "step": step.key,
                    "contact": {"id": run.contact.pk, "email": run.contact.email},
                    "context": message_context(enrollment.context),
                    **dict(step.config.extra),
                },
                next_attempt_at=run.now,
            )
        )
        return Transition(next_key=step.next_key)
