"""Campaign queries and mutations, assembled."""

import graphene

from .composer import ComposerQueries
from .mutations.campaign_activate import CampaignActivate
from .mutations.campaign_archive import CampaignArchive
from .mutations.campaign_create import CampaignCreate
from .mutations.campaign_create_from_preset import CampaignCreateFromPreset
from .mutations.campaign_duplicate import CampaignDuplicate
from .mutations.campaign_launch import CampaignLaunch
from .mutations.campaign_pause import CampaignPause
from .mutations.campaign_preset_delete import CampaignPresetDelete
from .mutations.campaign_preset_import import CampaignPresetImport
from .mutations.campaign_preset_save import CampaignPresetSave
from .mutations.campaign_step_add import CampaignStepAdd
from .mutations.campaign_step_move import CampaignStepMove
from .mutations.campaign_step_remove import CampaignStepRemove
from .mutations.campaign_step_send_test import CampaignStepSendTest
from .mutations.campaign_step_update import CampaignStepUpdate
from .mutations.campaign_update import CampaignUpdate
from .queries import CampaignQueries


class Mutations(graphene.ObjectType):
    campaign_create = CampaignCreate.Field()
    campaign_create_from_preset = CampaignCreateFromPreset.Field()
    campaign_update = CampaignUpdate.Field()
    campaign_activate = CampaignActivate.Field()
    campaign_pause = CampaignPause.Field()
    campaign_archive = CampaignArchive.Field()
    campaign_duplicate = CampaignDuplicate.Field()
    campaign_launch = CampaignLaunch.Field()
    campaign_step_add = CampaignStepAdd.Field()
    campaign_step_update = CampaignStepUpdate.Field()
    campaign_step_move = CampaignStepMove.Field()
    campaign_step_remove = CampaignStepRemove.Field()
    campaign_step_send_test = CampaignStepSendTest.Field()
    campaign_preset_save = CampaignPresetSave.Field()
    campaign_preset_import = CampaignPresetImport.Field()
    campaign_preset_delete = CampaignPresetDelete.Field()


class Queries(CampaignQueries, ComposerQueries):
    pass


__all__ = ["Mutations", "Queries"]
