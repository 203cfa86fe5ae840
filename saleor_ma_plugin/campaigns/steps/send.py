"""``send``: one message to the contact, through a channel, from a template."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from ...core.errors import FieldError
from ...messaging import MessageChannel
from ...messaging.models import Message
from .base import PlannedOutcome, StepKind, Transition, object_schema, required

#: Run context keys a message carries (its trigger, voucher, variant, replenished product).
MESSAGE_CONTEXT_KEYS = (
    "trigger_event_id",
    "replenish_days",
    "replenish_product_id",
    "replenish_variant_id",
    "replenish_quantity",
    "voucher_code",
    "voucher_valid_until",
    "voucher_discount",
    "variant",
)


@dataclass(frozen=True)
class SendConfig:
    channel: str
    template: str
    topic: str = ""
    transactional: bool = False


def message_context(context: dict) -> dict:
    """The part of a run's context its messages and webhooks carry."""
    return {key: context[key] for key in MESSAGE_CONTEXT_KEYS if key in context}


class SendStep(StepKind):
    type = "send"
    label = _("Send")
    description = _("Send a message (email, SMS or web push) from a template.")
    position = 1
    schema = object_schema(
        {
            "channel": {"type": "string", "enum": list(MessageChannel.values)},
            "template": {"type": "string", "minLength": 1},
            "topic": {"type": "string"},
            "transactional": {"type": "boolean"},
        },
        ("template",),
    )
    reaches_contact = True

    def parse(self, config, path):
        channel = config.get("channel", MessageChannel.EMAIL)
        if channel not in MessageChannel.values:
            raise FieldError(f"{path}.channel", f"Use one of {', '.join(MessageChannel.values)}.")
        return SendConfig(
            channel=channel,
            template=str(required(config, "template", path)),
            topic=str(config.get("topic", "")),
            transactional=bool(config.get("transactional", False)),
        )

    def skipped_in_holdout(self, config):
        return not config.transactional  # the held-out still get their order mails

    def execute(self, step, run):
        config, enrollment = step.config, run.enrollment
        run.effects.messages.append(
            Message(
                idempotency_key=f"enrollment:{enrollment.pk}:{step.key}",
                contact_id=enrollment.contact_id,
                campaign_id=enrollment.campaign_id,
                enrollment_id=enrollment.pk,
                step_key=step.key,
                channel=config.channel,
                template=config.template,
                topic=config.topic,
                transactional=config.transactional,
                variant=enrollment.context.get("variant", ""),
                scheduled_at=run.now,
                context=message_context(enrollment.context),
            )
        )
        return Transition(next_key=step.next_key)

    def plan(self, step, contact, moment, context):
        return PlannedOutcome(f"send {step.config.channel} {step.config.template}", step.next_key)
