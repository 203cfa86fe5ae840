"""What the law asks of a campaign before it may send marketing email.

Commercial email names its sender with a postal address: the German imprint duty
(§ 5 DDG, formerly TMG) and CAN-SPAM (15 U.S.C. § 7704 (a)(5)) both ask for it. The plugin
prints the ``imprint`` setting in every mail's footer, so a campaign that sends marketing
email is not activated while that setting is empty.
"""

from django.utils.translation import gettext as _

from ..core.errors import FieldError, FieldErrorCode
from ..core.host import plugin_settings
from ..messaging import MessageChannel
from .flow import Flow
from .steps.send import SendConfig


def sends_marketing_email(flow: Flow) -> bool:
    """Whether any live step of the flow sends email that is not transactional."""
    return any(
        isinstance(step.config, SendConfig)
        and step.config.channel == MessageChannel.EMAIL
        and not step.config.transactional
        for step in flow.steps.values()
        if not step.removed
    )


def require_imprint(flow: Flow) -> None:
    """Refuse a flow that sends marketing email while the sender's imprint is not set."""
    if sends_marketing_email(flow) and not plugin_settings().imprint:
        raise FieldError(
            "imprint",
            _(
                "This campaign sends marketing email: enter the sender's postal address "
                "(imprint) in the plugin settings first."
            ),
            FieldErrorCode.REQUIRED,
        )
