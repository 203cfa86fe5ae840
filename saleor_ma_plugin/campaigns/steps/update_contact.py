"""``update_contact``: tags, attributes, score and newsletter topics of the contact."""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from ...contacts import ConsentChannel, ConsentMethod, ConsentStatus
from ...contacts.consent import ConsentProof, change_consent
from ...contacts.models import ContactTag
from ...core.numbers import whole_number
from .base import StepKind, Transition, json_object, object_schema, text_list

MAX_SCORE_DELTA = 1_000_000
TAGS = {"type": "array", "items": {"type": "string", "minLength": 1}}


@dataclass(frozen=True)
class UpdateContactConfig:
    add_tags: tuple[str, ...] = ()
    remove_tags: tuple[str, ...] = ()
    set_attributes: tuple[tuple[str, Any], ...] = ()
    score_delta: int = 0
    unsubscribe_topics: tuple[str, ...] = ()


class UpdateContactStep(StepKind):
    type = "update_contact"
    label = _("Update contact")
    description = _("Add or remove tags, set attributes, change the score, leave topics.")
    position = 6
    schema = object_schema(
        {
            "add_tags": TAGS,
            "remove_tags": TAGS,
            "set_attributes": {"type": "object"},
            "score_delta": {"type": "integer"},
            "unsubscribe_topics": TAGS,
        }
    )
    writes = True

    def parse(self, config, path):
        return UpdateContactConfig(
            add_tags=text_list(config, "add_tags", path),
            remove_tags=text_list(config, "remove_tags", path),
            set_attributes=tuple(sorted(json_object(config, "set_attributes", path).items())),
            score_delta=whole_number(
                config.get("score_delta", 0),
                f"{path}.score_delta",
                minimum=-MAX_SCORE_DELTA,
                maximum=MAX_SCORE_DELTA,
            ),
            unsubscribe_topics=text_list(config, "unsubscribe_topics", path),
        )

    def execute(self, step, run):
        config, contact = step.config, run.contact
        ContactTag.objects.bulk_create(
            [ContactTag(contact=contact, name=tag) for tag in config.add_tags],
            ignore_conflicts=True,
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
