"""The registries behind the forms: step types, trigger types, the rule language."""

import graphene

from ...campaigns.steps import step_kinds
from ...campaigns.triggers import trigger_kinds
from ...segments.rules import rule_kinds
from ...segments.rules.fields import CONTACT_FIELDS, OPERATORS
from ..campaigns.permissions import require_read
from ..core.mutations import requestor_of
from .types import (
    CampaignStepTypeDefinition,
    CampaignTriggerTypeDefinition,
    RuleFieldDefinition,
    RuleKindDefinition,
)


class Queries(graphene.ObjectType):
    campaign_step_types = graphene.List(
        graphene.NonNull(CampaignStepTypeDefinition),
        required=True,
        description="Every step type, with its configuration's JSON Schema.",
    )
    campaign_trigger_types = graphene.List(
        graphene.NonNull(CampaignTriggerTypeDefinition),
        required=True,
        description="Every trigger type, with its JSON Schema.",
    )
    rule_kinds = graphene.List(
        graphene.NonNull(RuleKindDefinition),
        required=True,
        description="The kinds of the rule language (segments, audiences, conditions).",
    )
    rule_fields = graphene.List(
        graphene.NonNull(RuleFieldDefinition),
        required=True,
        description="Contact columns that field rules may test, with their operators.",
    )

    @staticmethod
    def resolve_campaign_step_types(root, info):
        require_read(requestor_of(info))
        return [
            CampaignStepTypeDefinition(
                type=kind.type,
                label=str(kind.label),
                description=str(kind.description),
                config_schema=kind.schema,
                writes=kind.writes,
                reaches_contact=kind.reaches_contact,
                final=kind.final,
            )
            for kind in step_kinds()
        ]

    @staticmethod
    def resolve_campaign_trigger_types(root, info):
        require_read(requestor_of(info))
        return [
            CampaignTriggerTypeDefinition(
                type=kind.type,
                label=str(kind.label),
                description=str(kind.description),
                schema=kind.schema,
            )
            for kind in trigger_kinds()
        ]

    @staticmethod
    def resolve_rule_kinds(root, info):
        require_read(requestor_of(info))
        return [
            RuleKindDefinition(
                key=kind.key,
                label=str(kind.label),
                description=str(kind.description),
                schema=kind.schema,
                scope=int(kind.scope),
            )
            for kind in rule_kinds()
        ]

    @staticmethod
    def resolve_rule_fields(root, info):
        require_read(requestor_of(info))
        return [
            RuleFieldDefinition(name=name, value_type=kind, operators=list(OPERATORS[kind]))
            for name, kind in CONTACT_FIELDS.items()
        ]


__all__ = ["Queries"]
