"""GraphQL enums generated from the domain's TextChoices, so the two never drift."""

import graphene

from ...campaigns import (
    CampaignKind,
    CampaignStatus,
    DecisionSource,
    EnrollmentStatus,
    ReentryPolicy,
)
from ...campaigns.split_test import DecisionBasis, SplitTestMetric
from ...campaigns.steps import StepType
from ...campaigns.template_overview import TemplateKind
from ...contacts import ConsentChannel, ConsentStatus, LifecycleStage
from ...messaging import MessageChannel, MessageStatus


def enum_from_choices(name: str, choices, description: str = "") -> type[graphene.Enum]:
    return graphene.Enum(
        name, [(member.name, member.value) for member in choices], description=description
    )


CampaignKindEnum = enum_from_choices("CampaignKindEnum", CampaignKind)
CampaignStatusEnum = enum_from_choices("CampaignStatusEnum", CampaignStatus)
ReentryPolicyEnum = enum_from_choices("ReentryPolicyEnum", ReentryPolicy)
StepTypeEnum = enum_from_choices("CampaignStepTypeEnum", StepType)
EnrollmentStatusEnum = enum_from_choices("EnrollmentStatusEnum", EnrollmentStatus)
ConsentChannelEnum = enum_from_choices("ConsentChannelEnum", ConsentChannel)
ConsentStatusEnum = enum_from_choices("ConsentStatusEnum", ConsentStatus)
LifecycleStageEnum = enum_from_choices("LifecycleStageEnum", LifecycleStage)
MessageChannelEnum = enum_from_choices("MessageChannelEnum", MessageChannel)
MessageStatusEnum = enum_from_choices("MessageStatusEnum", MessageStatus)
TemplateKindEnum = enum_from_choices(
    "TemplateKindEnum", TemplateKind, "Transactional messages are sent without marketing consent."
)
DecisionSourceEnum = enum_from_choices("ExperimentDecisionSourceEnum", DecisionSource)
SplitTestMetricEnum = enum_from_choices(
    "SplitTestMetricEnum", SplitTestMetric, "What a split's test share is decided by."
)
DecisionBasisEnum = enum_from_choices(
    "ExperimentDecisionBasisEnum", DecisionBasis, "Why a test share's variant won."
)
