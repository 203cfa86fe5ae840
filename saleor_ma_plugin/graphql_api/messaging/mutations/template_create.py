import graphene

from ....core.auth import MarketingPermission
from ..templates import check_source, clean_key, clean_language, save_version
from .inputs import TemplateCreateInput, TemplatePayload


class TemplateCreate(TemplatePayload):
    """Save a template for a key and language as its next version; it is sent from now on.

    The source must pass the locked-down engine (TEMPLATE_REFUSED otherwise), compile
    (INVALID) and render with the key's sample data.
    """

    permissions = (MarketingPermission.MANAGE_MARKETING,)

    class Arguments:
        input = TemplateCreateInput(required=True)
        expected_version = graphene.Int(
            description="The newest version when the editor opened the key and language, 0 "
            "for none; if a newer one was saved since, the save is refused with CONFLICT."
        )

    @classmethod
    def perform(cls, root, info, input, expected_version=None):
        key = clean_key(input.key, "key")
        language = clean_language(input.language, "language")
        check_source(input.source, key, language, "source")
        return cls.success(
            template=save_version(key, language, input.source, expected_version=expected_version)
        )
