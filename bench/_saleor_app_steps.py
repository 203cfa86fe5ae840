"""Steps bench/webhook_intake.py --saleor runs in the App service's Python and settings.

- ``prepare``: no quiet hours, and one active campaign triggered by ``order.created`` whose
  first step sends at once (the campaign of bench/trigger_latency.py): every stored
  ``order.created`` becomes one outbox ``Message``.
"""

import json
import sys
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent))
django.setup()

from django.db import transaction  # noqa: E402
from trigger_latency import create_campaign  # noqa: E402

from saleor_ma_plugin.core import host  # noqa: E402


def prepare() -> dict:
    with transaction.atomic():
        host.current().save_configuration({"quiet_hours": ""})
    host.forget_settings()
    return {"campaign": create_campaign().pk}


if __name__ == "__main__":
    command = sys.argv[1]
    if command != "prepare":
        raise SystemExit(f"unknown step {command!r}")
    print(json.dumps(prepare()))
