"""Steps run inside the App service (the standalone host in App mode) by the end-to-end test.

The test runs in Saleor's environment and cannot open the App's database with the App's
settings, so it runs this script with the App's Python and settings
(``DJANGO_SETTINGS_MODULE=saleor_ma_plugin.standalone.settings``, the App's
``DATABASE_URL``) and reads one JSON line from its output:

- ``prepare EMAIL...``: the thank-you-voucher and abandoned-checkout presets active with a
  template each, the EMAIL addresses subscribed, no quiet hours;
- ``state``: the stored installation, events, runs, messages and issued codes;
- ``advance HOURS``: run the runs and messages that are due HOURS from now, as the
  beat's ticks will when that time comes.
"""

import json
import sys
from datetime import timedelta

import django

django.setup()

from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from saleor_ma_plugin.campaigns.editing import activate  # noqa: E402
from saleor_ma_plugin.campaigns.models import Enrollment  # noqa: E402
from saleor_ma_plugin.campaigns.presets import create_from_preset  # noqa: E402
from saleor_ma_plugin.campaigns.runner import run_due_enrollments  # noqa: E402
from saleor_ma_plugin.contacts import ConsentChannel, ConsentMethod, ConsentStatus  # noqa: E402
from saleor_ma_plugin.contacts.consent import ConsentProof, change_consent  # noqa: E402
from saleor_ma_plugin.contacts.models import Contact  # noqa: E402
from saleor_ma_plugin.core import host  # noqa: E402
from saleor_ma_plugin.events.models import Event  # noqa: E402
from saleor_ma_plugin.messaging.delivery import deliver_due_messages  # noqa: E402
from saleor_ma_plugin.messaging.models import Message, Template  # noqa: E402
from saleor_ma_plugin.saleor_app.models import SaleorInstallation  # noqa: E402
from saleor_ma_plugin.vouchers.models import IssuedVoucher  # noqa: E402

TEMPLATES = {
    "thank_you_voucher": "{% block subject %}Thank you{% endblock %}"
    "{% block text_body %}Your code: {{ voucher.code }}{% endblock %}",
    "abandoned_checkout_1": "{% block subject %}Still thinking?{% endblock %}"
    "{% block text_body %}Your cart is waiting.{% endblock %}",
}


def prepare(emails: list[str]) -> dict:
    with transaction.atomic():
        host.current().save_configuration({"quiet_hours": ""})
    host.forget_settings()
    for key, source in TEMPLATES.items():
        Template.objects.create(key=key, language="en", source=source)
    activate(create_from_preset("thank_you_voucher", {"discount_percent": 10}))
    activate(create_from_preset("abandoned_checkout", {"delay_hours": 2}))
    for email in emails:
        contact = Contact.objects.create(email=email, language_code="en")
        change_consent(
            contact,
            ConsentChannel.EMAIL,
            ConsentStatus.SUBSCRIBED,
            ConsentProof(ConsentMethod.FORM),
        )
    return {"prepared": True}


def state() -> dict:
    return {
        "installations": [
            {"api_url": row.api_url, "domain": row.domain, "has_token": bool(row.token)}
            for row in SaleorInstallation.objects.order_by("pk")
        ],
        "events": [
            {
                "type": row.type,
                "dedupe_key": row.dedupe_key,
                "processed": row.processed_at is not None,
                "email": row.payload.get("email") or row.payload.get("user_email") or "",
            }
            for row in Event.objects.order_by("pk")
        ],
        "runs": [
            {"campaign": row.campaign.name, "email": row.contact.email, "status": row.status}
            for row in Enrollment.objects.select_related("campaign", "contact").order_by("pk")
        ],
        "messages": [
            {
                "template": row.template,
                "email": row.contact.email,
                "status": row.status,
                "campaign": row.campaign.name if row.campaign else "",
            }
            for row in Message.objects.select_related("campaign", "contact").order_by("pk")
        ],
        "vouchers": [
            {"code": row.code, "email": row.contact.email, "external_id": row.external_id}
            for row in IssuedVoucher.objects.select_related("contact").order_by("pk")
        ],
    }


def advance(hours: float) -> dict:
    later = timezone.now() + timedelta(hours=hours)
    advanced = sent = 0
    while step := run_due_enrollments(now=later):
        advanced += step
    while claimed := deliver_due_messages(now=later):
        sent += claimed
    return {"advanced": advanced, "claimed": sent}


if __name__ == "__main__":
    command, *arguments = sys.argv[1:]
    if command == "prepare":
        result = prepare(arguments)
    elif command == "state":
        result = state()
    else:
        result = advance(float(arguments[0]))
    print(json.dumps(result))
