"""The registries behind the forms: step types, trigger types, the rule language."""

import graphene

from ...campaigns.steps import step_kinds
from ...campaigns.triggers import trigger_kinds
from ...events.catalogue import known_event_types
from ...segments.rules import rule_kinds
from ...segments.rules.fields import CONTACT_FIELDS, OPERATORS
from ..campaigns.permissions import require_read
from ..core.mutations import requestor_of
from .types import (
    CampaignStepTypeDefinition,
    CampaignTriggerTypeDefinition,
    RuleEventType,
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
    rule_event_types = graphene.List(
        graphene.NonNull(RuleEventType),
        required=True,
        description="Event types known by name, for event rules and triggers; they also "
        "accept a storefront's own types (lower case letters, digits, '.', '_', '-').",
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

    @staticmethod
    def resolve_rule_event_types(root, info):
        require_read(requestor_of(info))
        return [
            RuleEventType(type=known.type, label=str(known.label), group=known.group)
            for known in known_event_types()
        ]


__all__ = ["Queries"]
