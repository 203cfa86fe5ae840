"""``consent``: the contact's consent on a channel, and optionally a newsletter topic.

``{"consent": {"channel": "email", "topic": "", "status": "subscribed"}}``. Subscribed to a
topic means subscribed to the channel too, as sending requires; ``unsubscribed`` means "not
subscribed" (including never asked); ``pending`` waits for the double opt-in.
"""

from dataclasses import dataclass

from django.db.models import Exists, Q
from django.utils.translation import gettext_lazy as _

from ...contacts import GENERAL_TOPIC, ConsentChannel, ConsentStatus
from ...contacts.models import Consent
from ...core.errors import FieldError
from .base import RuleKind, Scope
from .values import TOPIC, as_object

KEYS = ("channel", "topic", "status")


@dataclass(frozen=True)
class ConsentRule:
    channel: str
    topic: str = GENERAL_TOPIC
    status: str = ConsentStatus.SUBSCRIBED


class ConsentKind(RuleKind):
    key = "consent"
    label = _("Consent")
    description = _("The contact's consent on a channel (and newsletter topic).")
    position = 13
    schema = {
        "type": "object",
        "properties": {
            "channel": {"type": "string", "enum": list(ConsentChannel.values)},
            "topic": {"type": "string", "pattern": TOPIC.pattern},
            "status": {"type": "string", "enum": list(ConsentStatus.values)},
        },
    }
    scope = Scope.CONTACT
    rule_types = (ConsentRule,)

    def parse(self, spec, path, parser):
        spec = as_object(spec, path, KEYS)
        channel = spec.get("channel", ConsentChannel.EMAIL)
        if channel not in ConsentChannel.values:
            raise FieldError(f"{path}.channel", f"Use one of {', '.join(ConsentChannel.values)}.")
        topic = spec.get("topic", GENERAL_TOPIC)
        if not isinstance(topic, str) or not TOPIC.match(topic):
            raise FieldError(
                f"{path}.topic", "Use a newsletter topic slug, or empty for the channel."
            )
        status = spec.get("status", ConsentStatus.SUBSCRIBED)
        if status not in ConsentStatus.values:
            raise FieldError(f"{path}.status", f"Use one of {', '.join(ConsentStatus.values)}.")
        return ConsentRule(channel, topic, status)

    def compile(self, rule, compiler):
        def having(status: str, topic: str) -> Q:
            return Q(
                Exists(_consents(rule, status, topic).filter(contact=compiler.outer_contact()))
            )

        if rule.status == ConsentStatus.PENDING:
            return having(ConsentStatus.PENDING, rule.topic)
        subscribed = having(ConsentStatus.SUBSCRIBED, GENERAL_TOPIC)
        if rule.topic:
            subscribed &= having(ConsentStatus.SUBSCRIBED, rule.topic)
        return subscribed if rule.status == ConsentStatus.SUBSCRIBED else ~subscribed

    def contact_rows(self, rule, compiler):
        if rule.status == ConsentStatus.UNSUBSCRIBED:
            return None  # also contacts never asked: they have no row
        rows = _consents(rule, rule.status, rule.topic)
        if rule.status == ConsentStatus.SUBSCRIBED and rule.topic:
            general = _consents(rule, ConsentStatus.SUBSCRIBED, GENERAL_TOPIC)
            rows = rows.filter(Exists(general.filter(contact=compiler.outer_contact())))
        return rows

    def evaluate(self, rule, subject, evaluate):
        statuses = dict(
            Consent.objects.filter(
                contact=subject.contact,
                channel=rule.channel,
                topic__in={GENERAL_TOPIC, rule.topic},
            ).values_list("topic", "status")
        )
        if rule.status == ConsentStatus.PENDING:
            return statuses.get(rule.topic) == ConsentStatus.PENDING
        subscribed = statuses.get(GENERAL_TOPIC) == ConsentStatus.SUBSCRIBED and (
            not rule.topic or statuses.get(rule.topic) == ConsentStatus.SUBSCRIBED
        )
        return subscribed == (rule.status == ConsentStatus.SUBSCRIBED)


def _consents(rule: ConsentRule, status: str, topic: str):
    """The consent rows of the rule's channel with this topic and status."""
    return Consent.objects.filter(channel=rule.channel, topic=topic, status=status)
