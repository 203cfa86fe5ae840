"""A send step's email before anyone gets it: preview for a contact, test send to an address.

The message is built as the send step builds it when a run reaches it (the step's template,
channel and topic; the conditional blocks the contact matches, decided by the same rule
evaluator; the sending rules of the campaign's kind) and prepared by the delivery's own code
(``messaging.proofs``). It is never saved: no run, no message, nothing in the report. Only
what a run would bring along is missing; a voucher block shows an example code, since codes
are made by the voucher step for each reader.
"""

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from ..contacts.models import Contact
from ..core.errors import FieldError, FieldErrorCode
from ..core.host import plugin_settings
from ..messaging import MessageChannel
from ..messaging.blocks.spec import Voucher, flatten
from ..messaging.channels.base import OutgoingMessage
from ..messaging.models import Message
from ..messaging.proofs import prepare_proof, send_proof
from .blocks import shown_blocks
from .models import Campaign
from .steps import parse_step_config
from .steps.send import SendStep, sending_rules

#: What a voucher block shows in a preview or test (codes exist only once a run has one).
EXAMPLE_VOUCHER = {"voucher_code": "EXAMPLE-CODE", "voucher_discount": "10%"}


def proof_message(campaign: Campaign, key: str, contact: Contact, now: datetime) -> Message:
    """The unsaved email message the step would send ``contact`` now (FieldError at ``key``
    for a step that is not an email send step)."""
    step = campaign.steps.filter(key=key, removed_at=None).first()
    if step is None:
        raise FieldError("key", _("There is no such step."), FieldErrorCode.NOT_FOUND)
    if step.type != SendStep.type:
        raise FieldError("key", _("Only a send step has an email to show."))
    config = parse_step_config(step.type, step.config, "config")
    if config.channel != MessageChannel.EMAIL:
        raise FieldError("key", _("Only an email send step can be previewed or tested."))
    context = {
        **shown_blocks(config.blocks, contact, now),
        **sending_rules(config, campaign.kind),
    }
    if any(isinstance(block, Voucher) for block in flatten(config.blocks)):
        context.update(EXAMPLE_VOUCHER)
    return Message(
        contact=contact,
        campaign=campaign,
        step_key=key,
        channel=config.channel,
        template=config.template,
        topic=config.topic,
        transactional=config.transactional,
        scheduled_at=now,
        context=context,
    )


def preview_step(campaign: Campaign, key: str, contact: Contact) -> OutgoingMessage:
    """The step's email as ``contact`` would get it now; nothing is sent or stored."""
    now = timezone.now()
    return prepare_proof(proof_message(campaign, key, contact, now), plugin_settings(), now)


def send_step_test(campaign: Campaign, key: str, contact: Contact, address: str) -> None:
    """Mail the step's email for ``contact`` to ``address`` through the email channel
    (ProofFailed when refused); no run or message is created."""
    settings = plugin_settings()
    send_proof(preview_step(campaign, key, contact), address, settings)
