"""The frame of the rule language: scopes, the subject of an evaluation, and rule kinds.

A rule kind lives in one module of this package as a subclass of ``RuleKind`` and defines,
in one place, how its JSON is validated, how it is compiled to SQL for a set of contacts,
and how it is evaluated for one contact. The compiler and the evaluator only dispatch.
"""

from dataclasses import dataclass, field
from datetime import datetime
from enum import IntEnum
from typing import Any, ClassVar

from ...core.errors import FieldError, FieldErrorCode

#: A tree larger or deeper than this is refused: it would make an unreasonable query.
MAX_RULES = 100
MAX_DEPTH = 8


class Scope(IntEnum):
    """Where a rule is used; a wider scope may use every kind a narrower one may."""

    #: Segments and audiences: decided for a whole set of contacts in one SQL query.
    CONTACT = 1
    #: Trigger, goal and score-rule filters: also the event's payload (``payload.*``).
    EVENT = 2
    #: Branch and exit conditions: also the run's context, its messages, "since the run".
    RUN = 3


@dataclass(frozen=True)
class Subject:
    """What a rule is evaluated against: a contact, and in a run its event and context."""

    contact: Any
    payload: dict = field(default_factory=dict)
    context: dict = field(default_factory=dict)
    now: datetime | None = None
    #: When the run started ("since": "enrollment"); None outside a run.
    since: datetime | None = None
    #: The run whose messages ``message`` rules look at.
    enrollment_id: int | None = None


class RuleKind:
    """Base of every rule kind. Subclasses set the class attributes and the three methods."""

    #: The JSON key that names the kind: ``{"tag": "vip"}``.
    key: ClassVar[str]
    label: ClassVar[str]
    description: ClassVar[str]
    position: ClassVar[int]
    #: JSON Schema of the kind's value, for the dashboard's rule builder.
    schema: ClassVar[dict]
    #: The narrowest scope it may be used in.
    scope: ClassVar[Scope] = Scope.CONTACT
    #: The parsed dataclasses this kind compiles and evaluates.
    rule_types: ClassVar[tuple[type, ...]]

    registry: ClassVar[dict[str, "RuleKind"]] = {}
    by_rule_type: ClassVar[dict[type, "RuleKind"]] = {}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        kind = cls()
        RuleKind.registry[cls.key] = kind
        for rule_type in cls.rule_types:
            RuleKind.by_rule_type[rule_type] = kind

    def parse(self, spec: Any, path: str, parser) -> Any:
        """Validate the kind's value; raise FieldError naming the bad part."""
        raise NotImplementedError

    def compile(self, rule: Any, compiler):
        """A ``Q`` over Contact matching exactly the contacts the rule holds for."""
        raise FieldError("rules", f"{self.label} rules cannot select a set of contacts.")

    def contact_ids(self, rule: Any, compiler):
        """The matching contacts' ids as a subquery, for set rules; None for others."""
        return None

    def contact_rows(self, rule: Any, compiler):
        """Rows with a ``contact``, one per matching contact, erased ones too; else None.

        For rules that hold exactly for the contacts with a row in a table of their own
        (a tag, a consent): a query can start from those rows instead of the contacts.
        """
        return None

    def evaluate(self, rule: Any, subject: Subject, evaluate) -> bool:
        """Whether the rule holds for the subject (``evaluate`` recurses into children)."""
        raise NotImplementedError

    def children(self, rule: Any) -> tuple:
        """Nested rules, for walks over a tree."""
        return ()


def kind_of(rule: Any) -> RuleKind:
    return RuleKind.by_rule_type[type(rule)]


class Parser:
    """Parses one JSON tree for one scope, counting rules against the limits."""

    def __init__(self, scope: Scope) -> None:
        self.scope, self.count = scope, 0

    def parse(self, data: Any, path: str, depth: int = 1) -> Any:
        self.count += 1
        if self.count > MAX_RULES:
            raise FieldError(path, f"Use at most {MAX_RULES} rules in one tree.")
        if depth > MAX_DEPTH:
            raise FieldError(path, f"Nest rules at most {MAX_DEPTH} levels deep.")
        if not isinstance(data, dict) or not data:
            raise FieldError(path, "A rule is an object with one operator key.")
        if "field" in data:
            return RuleKind.registry["field"].parse(data, path, ChildParser(self, depth))
        if len(data) != 1:
            raise FieldError(path, "A rule is an object with one operator key.")
        [(key, spec)] = data.items()
        kind = RuleKind.registry.get(key)
        if kind is None:
            raise FieldError(path, f"Unknown rule {key!r}.")
        self.require(kind.scope, f"{path}.{key}", kind.label)
        return kind.parse(spec, f"{path}.{key}", ChildParser(self, depth))

    def require(self, scope: Scope, path: str, what: str) -> None:
        if scope > self.scope:
            raise FieldError(path, f"{what} rules cannot be used here.")


@dataclass(frozen=True)
class ChildParser:
    """What a kind is handed: the scope, and a way to parse nested rules one level down."""

    parser: Parser
    depth: int

    @property
    def scope(self) -> Scope:
        return self.parser.scope

    def child(self, data: Any, path: str) -> Any:
        return self.parser.parse(data, path, self.depth + 1)

    def require(self, scope: Scope, path: str, what: str) -> None:
        self.parser.require(scope, path, what)


def required(path: str, message: str) -> FieldError:
    return FieldError(path, message, FieldErrorCode.REQUIRED)
