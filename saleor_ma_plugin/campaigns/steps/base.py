"""What a step type is: one class that parses, runs, plans and describes its steps.

A step type lives in one module of this package as a subclass of ``StepKind``; the package
finds it there. Everything else (flow validation, the runner, the dry run, the API's enum
and forms, the reference docs) asks the registry, so a new step type is one module.
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar

from ...contacts.models import Contact
from ...core.errors import FieldError, FieldErrorCode
from ...events.models import Event
from ...messaging.models import Message, WebhookDelivery
from ...segments.rules import Subject
from ..models import Campaign, Enrollment


@dataclass
class Effects:
    """Rows a batch creates, inserted in bulk at its end."""

    messages: list[Message] = field(default_factory=list)
    webhooks: list[WebhookDelivery] = field(default_factory=list)
    #: (contact id, score before, score after, dedupe key) for score-threshold triggers.
    score_changes: list[tuple[int, int, int, str]] = field(default_factory=list)
    #: Work to wake once the batch commits (``core.queue.Work`` names), each once.
    wakes: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Transition:
    """Where a run goes after a step: on, to wait, or finished."""

    next_key: str = ""
    wait_until: datetime | None = None
    finish_status: str = ""
    finish_reason: str = ""


@dataclass
class Run:
    """One enrolment being advanced, with what its steps may read and write."""

    enrollment: Enrollment
    contact: Contact
    campaign: Campaign
    now: datetime
    effects: Effects

    def subject(self) -> Subject:
        """What the run's conditions are evaluated against (its trigger event's payload)."""
        event_id = self.enrollment.context.get("trigger_event_id")
        payload = {}
        if event_id:
            payload = (
                Event.objects.filter(pk=event_id).values_list("payload", flat=True).first() or {}
            )
        return Subject(
            self.contact,
            payload,
            self.enrollment.context,
            self.now,
            since=self.enrollment.started_at,
            enrollment_id=self.enrollment.pk,
        )


@dataclass(frozen=True)
class PlannedOutcome:
    """What a dry run says a step would do, the key it would go on to, and until when."""

    outcome: str
    next_key: str
    until: datetime | None = None


class StepKind:
    """Base of every step type. Subclasses set the class attributes and override methods."""

    #: Stored in ``Step.type``; never renamed once shipped.
    type: ClassVar[str]
    #: Human name and one line on what it does (English; the API translates).
    label: ClassVar[str]
    description: ClassVar[str]
    #: Order in enums, forms and docs.
    position: ClassVar[int]
    #: JSON Schema of the configuration, for the dashboard's forms.
    schema: ClassVar[dict]
    #: Writes through the ORM while it runs: the runner gives it a savepoint.
    writes: ClassVar[bool] = False
    #: Reaches the contact (or hands them on): held-out runs skip it.
    reaches_contact: ClassVar[bool] = False
    #: Ends the run: it has no successors.
    final: ClassVar[bool] = False

    registry: ClassVar[dict[str, "StepKind"]] = {}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "type" in cls.__dict__:  # a base of several kinds has no type of its own
            StepKind.registry[cls.type] = cls()

    def parse(self, config: dict, path: str) -> Any:
        """Validate a configuration object; raise FieldError naming the bad field."""
        return None

    def upgrade(self, config: dict) -> dict:
        """The configuration in today's shape (older shapes are read for one release)."""
        return config

    def successors(self, config: Any, next_key: str) -> list[str]:
        """Keys a step can lead to."""
        return [] if self.final or not next_key else [next_key]

    def skipped_in_holdout(self, config: Any) -> bool:
        return self.reaches_contact

    def execute(self, step, run: Run) -> Transition:
        """Do the step for one run; effects are appended to ``run.effects``."""
        raise NotImplementedError

    def plan(self, step, contact: Contact, moment: datetime, context: dict) -> PlannedOutcome:
        """What the step would do for ``contact`` (dry run); nothing is written."""
        return PlannedOutcome(self.type, "" if self.final else step.next_key)


def text_list(config: dict, name: str, path: str) -> tuple[str, ...]:
    """A list of non-empty strings (tags, topics), or FieldError at it."""
    value = config.get(name, [])
    if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
        raise FieldError(f"{path}.{name}", "Expected a list of names.")
    if any(len(item) > 100 for item in value):
        raise FieldError(f"{path}.{name}", "Names have at most 100 characters.")
    return tuple(value)


def json_object(config: dict, name: str, path: str) -> dict:
    value = config.get(name, {})
    if not isinstance(value, dict):
        raise FieldError(f"{path}.{name}", "Expected an object.")
    return value


def required(config: dict, name: str, path: str) -> Any:
    if config.get(name) in (None, ""):
        raise FieldError(f"{path}.{name}", "This field is required.", FieldErrorCode.REQUIRED)
    return config[name]


#: JSON Schema fragments the step and trigger forms share.
DURATION_PROPERTIES = {
    "days": {"type": "integer", "minimum": 0, "title": "Days"},
    "hours": {"type": "integer", "minimum": 0, "title": "Hours"},
    "minutes": {"type": "integer", "minimum": 0, "title": "Minutes"},
}
TIME_OF_DAY = {"type": "string", "pattern": "^[0-9]{1,2}:[0-9]{2}$", "title": "Local time (HH:MM)"}
RULE = {"type": "object", "title": "Rule", "description": "A rule of the rule language."}


def object_schema(properties: dict, required_names: tuple[str, ...] = ()) -> dict:
    """A JSON Schema object with these properties."""
    return {"type": "object", "properties": properties, "required": list(required_names)}
