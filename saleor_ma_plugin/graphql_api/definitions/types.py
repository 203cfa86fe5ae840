"""What the dashboard's forms and rule builder are built from: the engine's registries."""

import graphene

from ..core.enums import StepTypeEnum
from ..core.types import JSON


class RuleScopeEnum(graphene.Enum):
    """Where a rule kind may be used; each scope allows the kinds of the ones before it."""

    CONTACT = 1
    EVENT = 2
    RUN = 3

    @property
    def description(self):
        return SCOPE_DESCRIPTIONS.get(self.name)


SCOPE_DESCRIPTIONS = {
    "CONTACT": "Segments and audiences: decided for sets of contacts.",
    "EVENT": "Trigger, goal and score-rule filters: also the event payload.",
    "RUN": "Branch and exit conditions: also the run's context and messages.",
}


class CampaignStepTypeDefinition(graphene.ObjectType):
    type = StepTypeEnum(required=True)
    label = graphene.String(required=True)
    description = graphene.String(required=True)
    config_schema = JSON(required=True, description="JSON Schema of the step's configuration.")
    writes = graphene.Boolean(
        required=True, description="Changes data beyond the run (vouchers, contact, moves)."
    )
    reaches_contact = graphene.Boolean(
        required=True, description="Reaches the contact; held-out runs skip it."
    )
    final = graphene.Boolean(required=True, description="Ends the run: no successor.")


class CampaignTriggerTypeDefinition(graphene.ObjectType):
    type = graphene.String(required=True)
    label = graphene.String(required=True)
    description = graphene.String(required=True)
    schema = JSON(required=True, description="JSON Schema of the trigger object besides type.")


class RuleKindDefinition(graphene.ObjectType):
    key = graphene.String(required=True, description="The rule's key: {key: ...}.")
    label = graphene.String(required=True)
    description = graphene.String(required=True)
    schema = JSON(required=True, description="JSON Schema of the rule's value.")
    scope = RuleScopeEnum(required=True, description="The narrowest scope it may be used in.")


class RuleFieldDefinition(graphene.ObjectType):
    name = graphene.String(required=True, description="A contact column for field rules.")
    value_type = graphene.String(required=True, description="text, choice, int, date, datetime")
    operators = graphene.List(graphene.NonNull(graphene.String), required=True)


class RuleEventType(graphene.ObjectType):
    type = graphene.String(required=True, description="The value event rules and triggers use.")
    label = graphene.String(required=True, description="In the requester's language.")
    group = graphene.String(
        required=True, description="Where it comes from: shop, storefront, engine, notification."
    )
