import graphene
from django.utils.translation import gettext as _

from ....campaigns.proof import send_step_test
from ....core.auth import MarketingPermission
from ....core.emails import is_valid_email, normalize_email
from ....messaging.proofs import ProofFailed
from ...core.errors import MarketingErrorCode, MutationError
from ...core.mutations import BaseMutation, requestor_of
from ..composer import step_and_contact, template_errors


class CampaignStepSendTest(BaseMutation):
    """Mail a send step's email, as the contact would get it now, to an address.

    It is prepared like the preview (the saved step, content blocks resolved as a delivery
    does) and handed to the configured email channel with "[Test]" before its subject. No
    run and no message are created, so it counts nowhere: not in the campaign's figures
    or report, not for the contact's frequency cap.
    """

    permissions = (MarketingPermission.MANAGE_MARKETING,)

    recipient = graphene.String(description="Where the test went.")

    class Arguments:
        campaign_id = graphene.ID(required=True)
        key = graphene.String(required=True, description="The send step (email channel).")
        contact_id = graphene.ID(required=True, description="Whose email it is.")
        email = graphene.String(required=True, description="Where the test goes.")

    @classmethod
    def perform(cls, root, info, campaign_id, key, contact_id, email):
        recipient = normalize_email(email)
        if not recipient or not is_valid_email(recipient):
            raise MutationError(
                _("Enter a valid email address."), MarketingErrorCode.INVALID, "email"
            )
        campaign, contact = step_and_contact(campaign_id, contact_id, requestor_of(info))
        try:
            with template_errors():
                send_step_test(campaign, key, contact, recipient)
        except ProofFailed:
            raise MutationError(
                _(
                    "The email channel did not accept the test. Check the email settings; "
                    "the details are in the server log."
                ),
                MarketingErrorCode.GRAPHQL_ERROR,
            ) from None
        return cls.success(recipient=recipient)
