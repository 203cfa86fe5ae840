"""Score rules: list, create, update, delete."""

import graphene

from ...core.auth import MarketingPermission
from ...scoring.models import ScoreRule as ScoreRuleModel
from ...segments.rules import Scope, parse_condition, upgrade_condition
from ..campaigns.permissions import require_read
from ..core.errors import MarketingErrorCode, MutationError
from ..core.ids import model_pk, object_for_update
from ..core.mutations import BaseMutation, requestor_of
from ..core.types import JSON


class ScoreRule(graphene.ObjectType):
    class Meta:
        interfaces = (graphene.relay.Node,)

    name = graphene.String(required=True)
    event_type = graphene.String(required=True)
    where = JSON(required=True, description="Condition on the event payload.")
    points = graphene.Int(required=True)
    cap_points = graphene.Int(
        required=True, description="Most points per contact in capDays; 0: none."
    )
    cap_days = graphene.Int(required=True)
    is_active = graphene.Boolean(required=True)

    @classmethod
    def is_type_of(cls, root, info):
        return isinstance(root, ScoreRuleModel)


class ScoreRuleInput(graphene.InputObjectType):
    name = graphene.String()
    event_type = graphene.String()
    where = JSON()
    points = graphene.Int()
    cap_points = graphene.Int()
    cap_days = graphene.Int()
    is_active = graphene.Boolean()


def _apply(rule: ScoreRuleModel, data: dict) -> ScoreRuleModel:
    for name, value in data.items():
        if value is not None:
            setattr(rule, name, value)
    if not (rule.name or "").strip():
        raise MutationError("Name the rule.", MarketingErrorCode.REQUIRED, "name")
    if not (rule.event_type or "").strip():
        raise MutationError("Name the event type.", MarketingErrorCode.REQUIRED, "eventType")
    if rule.points is None or not -1000 <= rule.points <= 1000:
        raise MutationError(
            "Points must be between -1000 and 1000.", MarketingErrorCode.INVALID, "points"
        )
    if rule.cap_points < 0 or rule.cap_days < 1:
        raise MutationError(
            "Use a non-negative cap over at least one day.",
            MarketingErrorCode.INVALID,
            "capPoints",
        )
    parse_condition(rule.where, "where", Scope.EVENT)
    rule.where = upgrade_condition(rule.where)
    rule.save()
    return rule


class ScoreRulePayload(BaseMutation):
    score_rule = graphene.Field(ScoreRule)
    permissions = (MarketingPermission.MANAGE_MARKETING,)

    class Meta:
        abstract = True


class ScoreRuleCreate(ScoreRulePayload):
    """Points for an event type whose payload matches a condition, with an optional cap."""

    class Arguments:
        input = ScoreRuleInput(required=True)

    @classmethod
    def perform(cls, root, info, input):
        return cls.success(
            score_rule=_apply(ScoreRuleModel(where={}, cap_points=0, cap_days=30), dict(input))
        )


class ScoreRuleUpdate(ScoreRulePayload):
    class Arguments:
        id = graphene.ID(required=True)
        input = ScoreRuleInput(required=True)

    @classmethod
    def perform(cls, root, info, id, input):
        rule = object_for_update(ScoreRuleModel, id)
        return cls.success(score_rule=_apply(rule, dict(input)))


class ScoreRuleDelete(ScoreRulePayload):
    """Delete a rule; points already earned stay."""

    class Arguments:
        id = graphene.ID(required=True)

    @classmethod
    def perform(cls, root, info, id):
        rule = ScoreRuleModel.objects.filter(pk=model_pk(id, "ScoreRule")).first()
        if rule is None:
            raise MutationError("No such score rule.", MarketingErrorCode.NOT_FOUND, "id")
        rule.delete()
        return cls.success(score_rule=None)


class Queries(graphene.ObjectType):
    score_rules = graphene.List(graphene.NonNull(ScoreRule), required=True)

    @staticmethod
    def resolve_score_rules(root, info):
        require_read(requestor_of(info))
        return list(ScoreRuleModel.objects.order_by("name", "pk"))


class Mutations(graphene.ObjectType):
    score_rule_create = ScoreRuleCreate.Field()
    score_rule_update = ScoreRuleUpdate.Field()
    score_rule_delete = ScoreRuleDelete.Field()
