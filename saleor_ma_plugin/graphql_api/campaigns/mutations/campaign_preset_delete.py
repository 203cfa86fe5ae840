import graphene
from django.utils.translation import gettext as _

from ....campaigns.models import ShopPreset
from ....campaigns.presets.shop import delete_shop_preset
from ....campaigns.presets.shop.store import preset_step_types
from ....core.auth import MarketingPermission
from ...core.errors import MarketingErrorCode, MutationError
from ...core.mutations import BaseMutation, requestor_of
from ..permissions import require_discounts_for


class CampaignPresetDelete(BaseMutation):
    """Delete one of the shop's presets; campaigns created from it stay as they are."""

    slug = graphene.String(description="The deleted preset's slug.")

    permissions = (MarketingPermission.MANAGE_MARKETING,)

    class Arguments:
        slug = graphene.String(required=True)

    @classmethod
    def perform(cls, root, info, slug):
        preset = ShopPreset.objects.select_for_update().filter(slug=slug).first()
        if preset is None:
            raise MutationError(
                _("No preset of the shop has this slug (built-in presets cannot be deleted)."),
                MarketingErrorCode.NOT_FOUND,
                "slug",
            )
        require_discounts_for(requestor_of(info), preset_step_types(preset.document))
        delete_shop_preset(slug)
        return cls.success(slug=slug)
