"""``score``: the contact's lead score (``{"score": {"gte": 50}}``)."""

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .base import RuleKind, Scope, required
from .fields import ORDERING, compare
from .logic import combine
from .values import as_object, integer

OPERATORS = ("eq", "ne", "gt", "gte", "lt", "lte")


@dataclass(frozen=True)
class ScoreRule:
    comparisons: tuple[tuple[str, int], ...]


class ScoreKind(RuleKind):
    key = "score"
    label = _("Lead score")
    description = _("The contact's lead score compared with numbers.")
    position = 16
    schema = {
        "type": "object",
        "properties": {op: {"type": "integer"} for op in OPERATORS},
        "minProperties": 1,
    }
    scope = Scope.CONTACT
    rule_types = (ScoreRule,)

    def parse(self, spec, path, parser):
        spec = as_object(spec, path, OPERATORS)
        if not spec:
            raise required(path, f"Use {', '.join(OPERATORS)}.")
        return ScoreRule(
            tuple(
                (op, integer(value, f"{path}.{op}", minimum=-(2**31)))
                for op, value in sorted(spec.items())
            )
        )

    def compile(self, rule, compiler):
        score = compiler.column("lead_score")
        return combine(Q.AND, (compare(score, op, value) for op, value in rule.comparisons))

    def evaluate(self, rule, subject, evaluate):
        score = subject.contact.lead_score
        return all(ORDERING[op](score, value) for op, value in rule.comparisons)
