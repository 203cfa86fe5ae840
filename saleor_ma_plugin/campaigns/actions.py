"""What each step type does to a run. Effects are rows written in the runner's transaction."""

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from ..attribution.decisions import decided_variant
from ..attribution.holdout import assign_holdout, skipped_for_holdout
from ..contacts import ConsentChannel, ConsentMethod, ConsentStatus
from ..contacts.models import Contact, ContactTag
from ..events.models import Event
from ..messaging.models import Message, WebhookDelivery
from ..vouchers.issuing import VoucherRequest, issue_voucher
from . import EnrollmentStatus, StepType
from .conditions import Subject, evaluate
from .flow import FlowStep
from .models import Campaign, Enrollment
from .timing import wait_until


@dataclass
class Effects:
    """Rows a batch creates, inserted in bulk at its end."""

    messages: list[Message] = field(default_factory=list)
    webhooks: list[WebhookDelivery] = field(default_factory=list)
    #: (contact id, score before, score after, dedupe key) for score-threshold triggers.
    score_changes: list[tuple[int, int, int, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Transition:
    next_key: str = ""
    wait_until: datetime | None = None
    finish_status: str = ""
    finish_reason: str = ""


@dataclass
class Run:
    enrollment: Enrollment
    contact: Contact
    campaign: Campaign
    now: datetime
    effects: Effects

    def subject(self) -> Subject:
        event_id = self.enrollment.context.get("trigger_event_id")
        payload = {}
        if event_id:
            payload = (
                Event.objects.filter(pk=event_id).values_list("payload", flat=True).first() or {}
            )
        return Subject(self.contact, payload, self.enrollment.context, self.now, self.enrollment)


def execute(step: FlowStep, run: Run) -> Transition:
    assign_holdout(run)
    if skipped_for_holdout(step, run):  # the control group receives nothing
        return Transition(next_key="" if step.type == StepType.MOVE else step.next_key)
    handler = HANDLERS[step.type]
    return handler(step, run)


def _send(step: FlowStep, run: Run) -> Transition:
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
            context=_message_context(enrollment.context),
        )
    )
    return Transition(next_key=step.next_key)


def _message_context(context: dict) -> dict:
    keys = (
        "trigger_event_id",
        "voucher_code",
        "voucher_valid_until",
        "voucher_discount",
        "variant",
    )
    return {key: context[key] for key in keys if key in context}


def _wait(step: FlowStep, run: Run) -> Transition:
    context = run.enrollment.context
    if context.pop("waiting_at", None) == step.key:
        return Transition(next_key=step.next_key)  # the wait has elapsed
    until = wait_until(step.config, run.contact, run.now)
    if until <= run.now:
        return Transition(next_key=step.next_key)
    context["waiting_at"] = step.key
    return Transition(wait_until=until)


def _branch(step: FlowStep, run: Run) -> Transition:
    taken = evaluate(step.config.condition, run.subject())
    run.enrollment.context.setdefault("branches", {})[step.key] = taken
    return Transition(next_key=step.config.then_key if taken else step.config.else_key)


def choose_variant(enrollment_id: int, step_key: str, variants) -> object:
    """Deterministic weighted choice: a retried batch picks the same variant again."""
    total = sum(variant.weight for variant in variants)
    digest = hashlib.sha256(f"{enrollment_id}:{step_key}".encode()).digest()
    point = int.from_bytes(digest[:8], "big") % total
    for variant in variants:
        if point < variant.weight:
            return variant
        point -= variant.weight
    raise AssertionError("weights cover every point")


def _split(step: FlowStep, run: Run) -> Transition:
    variants = step.config.variants
    # Once an experiment has a winner, the rest of the traffic goes to it.
    variant = decided_variant(run.campaign.pk, step.key, variants) or choose_variant(
        run.enrollment.pk, step.key, variants
    )
    run.enrollment.context.setdefault("variants", {})[step.key] = variant.name
    run.enrollment.context["variant"] = variant.name
    return Transition(next_key=variant.next_key)


def _voucher(step: FlowStep, run: Run) -> Transition:
    config = step.config
    valid_until = run.now + timedelta(days=config.valid_days) if config.valid_days else None
    issued = issue_voucher(
        run.contact,
        VoucherRequest(
            discount_type=config.discount_type,
            discount_value=config.discount_value,
            channel=config.channel,
            valid_until=valid_until,
            campaign_id=run.campaign.pk,
            step_key=step.key,
        ),
        enrollment=run.enrollment,
    )
    run.enrollment.context["voucher_code"] = issued.code
    run.enrollment.context["voucher_discount"] = discount_label(
        config.discount_type, config.discount_value
    )
    if valid_until:
        run.enrollment.context["voucher_valid_until"] = valid_until.isoformat()
    return Transition(next_key=step.next_key)


def discount_label(discount_type: str, value) -> str:
    """How the discount reads in a message: "10 %", "5.00" (in the channel's currency), ..."""
    if discount_type == "percentage":
        return f"{value.normalize():f} %"
    if discount_type == "free_shipping":
        return "free shipping"
    return f"{value:.2f}"


def _update_contact(step: FlowStep, run: Run) -> Transition:
    from ..contacts.consent import ConsentProof, change_consent

    config, contact = step.config, run.contact
    ContactTag.objects.bulk_create(
        [ContactTag(contact=contact, name=tag) for tag in config.add_tags], ignore_conflicts=True
    )
    if config.remove_tags:
        ContactTag.objects.filter(contact=contact, name__in=config.remove_tags).delete()
    if config.set_attributes:
        contact.attributes = {**contact.attributes, **dict(config.set_attributes)}
        contact.save(update_fields=["attributes", "updated_at"])
    if config.score_delta:
        before = contact.lead_score
        contact.lead_score += config.score_delta
        contact.save(update_fields=["lead_score", "updated_at"])
        key = f"contact.score_changed:{run.enrollment.pk}:{step.key}"
        run.effects.score_changes.append((contact.pk, before, contact.lead_score, key))
    for topic in config.unsubscribe_topics:
        proof = ConsentProof(
            ConsentMethod.AUTOMATION, wording=f"campaign {run.campaign.pk}/{step.key}"
        )
        change_consent(
            contact, ConsentChannel.EMAIL, ConsentStatus.UNSUBSCRIBED, proof, topic=topic
        )
    return Transition(next_key=step.next_key)


def _webhook(step: FlowStep, run: Run) -> Transition:
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
                "context": _message_context(enrollment.context),
                **dict(step.config.extra),
            },
            next_attempt_at=run.now,
        )
    )
    return Transition(next_key=step.next_key)


def _move(step: FlowStep, run: Run) -> Transition:
    from .enrolling import enroll

    target = Campaign.objects.filter(pk=step.config.campaign_id).first()
    if target is not None:
        enroll(
            target,
            run.contact,
            f"moved:{run.enrollment.pk}",
            now=run.now,
            context={"moved_from": run.campaign.pk},
        )
    return Transition(finish_status=EnrollmentStatus.COMPLETED, finish_reason="moved")


HANDLERS = {
    StepType.SEND: _send,
    StepType.WAIT: _wait,
    StepType.BRANCH: _branch,
    StepType.SPLIT: _split,
    StepType.VOUCHER: _voucher,
    StepType.UPDATE_CONTACT: _update_contact,
    StepType.WEBHOOK: _webhook,
    StepType.MOVE: _move,
    StepType.GOAL: lambda step, run: Transition(
        finish_status=EnrollmentStatus.GOAL_REACHED, finish_reason="goal_step"
    ),
    StepType.EXIT: lambda step, run: Transition(
        finish_status=EnrollmentStatus.EXITED, finish_reason="exit_step"
    ),
}
#: Step types that write through the ORM while they run: they get a savepoint each.
WRITING_STEPS = {StepType.VOUCHER, StepType.UPDATE_CONTACT, StepType.MOVE}
