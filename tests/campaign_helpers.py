"""Building campaigns and feeding events in tests."""

from datetime import datetime

from saleor_ma_plugin.campaigns.editing import CampaignSpec, StepSpec, activate, create_campaign
from saleor_ma_plugin.campaigns.runner import run_due_enrollments
from saleor_ma_plugin.contacts import ConsentChannel, ConsentMethod, ConsentStatus
from saleor_ma_plugin.contacts.consent import ConsentProof, change_consent
from saleor_ma_plugin.events import EventSource
from saleor_ma_plugin.events.intake import NewEvent, store_events
from saleor_ma_plugin.messaging.models import Message
from saleor_ma_plugin.pipeline import process_events


def campaign(trigger: dict, *steps: StepSpec, **fields):
    """An active campaign; ``steps`` default to one send of template "t"."""
    spec = CampaignSpec(
        name=fields.pop("name", "Test campaign"),
        kind=fields.pop("kind", "autoresponder"),
        trigger=trigger,
        steps=steps or (StepSpec("send", "send", {"template": "t"}),),
        **fields,
    )
    return activate(create_campaign(spec))


def ingest(*events: NewEvent) -> list[int]:
    """Store and process events as a worker would (profiles, goals, triggers)."""
    ids = store_events(list(events))
    process_events(ids)
    return ids


def event(
    event_type: str, key: str, payload: dict, occurred_at: datetime, source=EventSource.SALEOR
):
    return NewEvent(event_type, occurred_at, key, payload, source)


def subscribe(contact, topic: str = "") -> None:
    change_consent(
        contact,
        ConsentChannel.EMAIL,
        ConsentStatus.SUBSCRIBED,
        ConsentProof(ConsentMethod.FORM),
        topic=topic,
    )


def run_all(now: datetime) -> int:
    total = 0
    while claimed := run_due_enrollments(now=now):
        total += claimed
    return total


def sent_templates(contact=None) -> list[str]:
    messages = Message.objects.order_by("pk")
    if contact is not None:
        messages = messages.filter(contact=contact)
    return list(messages.values_list("template", flat=True))
