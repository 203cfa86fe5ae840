"""``send``: one message to the contact, through a channel, from a template."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from ...core.errors import FieldError
from ...core.host import plugin_settings
from ...core.transactional import CUSTOMER_NOTIFICATIONS
from ...messaging import MessageChannel
from ...messaging.frequency import DEFER, SKIP, WHEN_CAPPED
from ...messaging.models import Message
from ...messaging.policy import FEEDBACK, PURPOSE
from .. import CampaignKind
from ..blocks import parse_step_blocks, shown_blocks
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
#: Templates that ask for a review or feedback: steps stored before ``purpose`` existed are
#: read as feedback requests, which are marketing (BGH, VI ZR 225/17), never transactional.
FEEDBACK_TEMPLATES = ("order_feedback_request",)
#: Campaigns whose messages belong to one moment: when capped they are skipped, not deferred.
ONE_OFF_KINDS = (CampaignKind.NEWSLETTER, CampaignKind.STANDALONE)


@dataclass(frozen=True)
class SendConfig:
    channel: str
    template: str
    topic: str = ""
    transactional: bool = False
    #: Content blocks (messaging.blocks.spec), shown by templates that opt in.
    blocks: tuple = ()
    #: "feedback" for review and feedback requests (see the ``feedback_consent`` setting).
    purpose: str = ""
    #: What a frequency cap does to the message: "defer", "skip", or "" (by campaign kind:
    #: broadcasts skip, automations defer).
    when_capped: str = ""
    #: A Saleor customer notification that says what this message says: while the plugin
    #: sends that notification itself, the step sends nothing (no second mail).
    replaced_by: str = ""

    def replaced(self) -> bool:
        return (
            bool(self.replaced_by) and self.replaced_by in plugin_settings().transactional_emails
        )


def message_context(context: dict) -> dict:
    """The part of a run's context its messages and webhooks carry."""
    return {key: context[key] for key in MESSAGE_CONTEXT_KEYS if key in context}


def sending_rules(config: SendConfig, campaign_kind: str) -> dict:
    """What the send policy needs to know of the step, in the message's context (only what
    differs from the defaults, so most messages carry nothing more)."""
    rules = {PURPOSE: config.purpose} if config.purpose else {}
    when_capped = config.when_capped or (SKIP if campaign_kind in ONE_OFF_KINDS else DEFER)
    if when_capped == SKIP:
        rules[WHEN_CAPPED] = SKIP
    return rules


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
            "purpose": {
                "type": "string",
                "enum": ["", FEEDBACK],
                "description": "feedback: a review or feedback request, marketing sent by "
                "the feedback_consent setting (never transactional).",
            },
            WHEN_CAPPED: {
                "type": "string",
                "enum": ["", DEFER, SKIP],
                "description": "When the frequency cap is reached: defer (up to 2 days) or "
                "skip; empty: broadcasts skip, automations defer.",
            },
            "replaced_by": {
                "type": "string",
                "enum": ["", *CUSTOMER_NOTIFICATIONS],
                "description": "A Saleor customer notification (e.g. order_confirmation) that "
                "says what this message says: while the plugin sends it (transactional_emails "
                "setting), this step sends nothing and the run goes on.",
            },
            "blocks": {
                "type": "array",
                "items": {"type": "object"},
                "title": "Content blocks",
                "description": "Heading, text, image, button, divider, product picks and "
                "feeds, content feeds, voucher and conditional blocks (see the README).",
            },
        },
        ("template",),
    )
    reaches_contact = True

    def parse(self, config, path):
        channel = config.get("channel", MessageChannel.EMAIL)
        if channel not in MessageChannel.values:
            raise FieldError(f"{path}.channel", f"Use one of {', '.join(MessageChannel.values)}.")
        template = str(required(config, "template", path))
        purpose = str(config.get("purpose") or "")
        if purpose not in ("", FEEDBACK):
            raise FieldError(f"{path}.purpose", f"Use {FEEDBACK!r} or leave it empty.")
        transactional = bool(config.get("transactional", False))
        if purpose == FEEDBACK and transactional:
            raise FieldError(
                f"{path}.transactional",
                "A feedback request is marketing and cannot be transactional.",
            )
        if not purpose and template in FEEDBACK_TEMPLATES:
            purpose, transactional = FEEDBACK, False  # a step stored before purpose existed
        when_capped = str(config.get(WHEN_CAPPED) or "")
        if when_capped not in ("", DEFER, SKIP):
            raise FieldError(
                f"{path}.{WHEN_CAPPED}", f"Use {DEFER!r}, {SKIP!r} or leave it empty."
            )
        replaced_by = str(config.get("replaced_by") or "")
        if replaced_by and replaced_by not in CUSTOMER_NOTIFICATIONS:
            raise FieldError(
                f"{path}.replaced_by",
                "Use one of Saleor's customer notifications: "
                f"{', '.join(CUSTOMER_NOTIFICATIONS)}.",
            )
        return SendConfig(
            channel=channel,
            template=template,
            topic=str(config.get("topic", "")),
            transactional=transactional,
            blocks=parse_step_blocks(config, path),
            purpose=purpose,
            when_capped=when_capped,
            replaced_by=replaced_by,
        )

    def skipped_in_holdout(self, config):
        return not config.transactional  # the held-out still get their order mails

    def execute(self, step, run):
        config, enrollment = step.config, run.enrollment
        if config.replaced():
            return Transition(next_key=step.next_key)
        run.effects.messages.append(
            Message.build(
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
                context={
                    **message_context(enrollment.context),
                    **shown_blocks(config.blocks, run.contact, run.now),
                    **sending_rules(config, run.campaign.kind),
                },
            )
        )
        return Transition(next_key=step.next_key)

    def plan(self, step, contact, moment, context):
        config = step.config
        if config.replaced():
            return PlannedOutcome(
                f"skip {config.template}: {config.replaced_by} says it", step.next_key
            )
        return PlannedOutcome(f"send {config.channel} {config.template}", step.next_key)
