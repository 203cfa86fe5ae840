"""Records Saleor's refund notification for ``tests/test_notification_contract.py``.

Not collected by default (no ``test_`` prefix); run it by name inside Saleor's venv, as
``tests/saleor`` runs, to regenerate
``tests/fixtures/saleor_webhooks/notifications/order_refund_confirmation.json``:

    .venv/bin/python -m pytest <repo>/tests/saleor/record_refund_notification.py -n 0 \
        --reuse-db -c <repo>/tests/saleor/pytest.ini

An order charged through the transactions API is refunded twice by its payment App
(``transactionEventReport``); the second refund is recorded, at ``recorded_at``: the event
our plugin made of Saleor's ``notify`` (``hook_event``) and the payload Saleor rendered for
the manifest's ORDER_REFUNDED mail webhook (``payload``). Two refunds, so that the recorded
amount is the refund's own, not the order's total refunded.
"""

import json
from pathlib import Path

import pytest
from freezegun import freeze_time

from saleor_ma_plugin.events.models import Event

from .test_app_subscriptions_in_saleor import (
    REFUND_EVENT,
    charged_order,  # noqa: F401 (fixture)
    payment_app_client,  # noqa: F401 (fixture)
    refund_deliveries,
    refund_mail_hook,  # noqa: F401 (fixture)
    report_refund,
)

FIXTURE = (
    Path(__file__).parent.parent
    / "fixtures"
    / "saleor_webhooks"
    / "notifications"
    / "order_refund_confirmation.json"
)
RECORDED_AT = "2026-12-06T05:30:00+00:00"
FIRST_REFUND_AT = "2026-12-06T05:29:00+00:00"
pytestmark = pytest.mark.django_db


def test_record_order_refund_confirmation(
    refund_mail_hook,  # noqa: F811
    payment_app_client,  # noqa: F811
    charged_order,  # noqa: F811
):
    # given an order already refunded in part, a minute before
    transaction = charged_order.payment_transactions.get()
    with freeze_time(FIRST_REFUND_AT, tick=True):
        refund_deliveries(
            refund_mail_hook,
            lambda: report_refund(payment_app_client, transaction, "5.00", "psp-r1"),
        )

    # when its payment App reports a second refund (within the minute of ``recorded_at``)
    with freeze_time(RECORDED_AT, tick=True):
        (payload,) = refund_deliveries(
            refund_mail_hook,
            lambda: report_refund(payment_app_client, transaction, "7.50", "psp-r2"),
        )

    # then the plugin's event and the webhook's payload are stored together
    hook_event = Event.objects.filter(type=REFUND_EVENT).latest("pk")
    assert hook_event.payload["refund"] == {"amount": "7.50", "currency": "USD"}
    recorded = {
        "hook_event": {
            "dedupe_key": hook_event.dedupe_key,
            "payload": hook_event.payload,
            "type": hook_event.type,
        },
        "notification": hook_event.payload["notification"],
        "payload": payload,
        "recorded_at": RECORDED_AT,
        "saleor_event": "ORDER_REFUNDED",
    }
    FIXTURE.write_text(json.dumps(recorded, indent=2, sort_keys=True) + "\n")
