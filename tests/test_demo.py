"""The demo on its embedded defaults (SQLite, tasks in-process), as a fresh machine runs it."""

import email
import email.policy
import os
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_a_short_demo_writes_readable_emails_and_a_summary(tmp_path):
    # given no database or broker settings at all
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "CELERY_BROKER_URL", "DJANGO_SETTINGS_MODULE")
    }
    outbox = tmp_path / "outbox"

    # when four days are replayed
    finished = subprocess.run(
        [sys.executable, "-m", "saleor_ma_plugin.demo", "--days", "4", "--outbox", str(outbox)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )

    # then it succeeds, prints the per-campaign table and leaves openable emails
    assert finished.returncode == 0, finished.stderr[-3000:]
    assert "campaign" in finished.stdout
    assert "revenue" in finished.stdout
    credited = re.search(
        r"credited to campaigns: ([\d.]+) EUR of the shop's ([\d.]+) EUR", finished.stdout
    )
    assert credited is not None, finished.stdout[-2000:]
    assert Decimal(credited[1]) <= Decimal(credited[2])
    assert "Welcome series" in finished.stdout
    messages = sorted(outbox.glob("*.eml"))
    assert len(messages) >= 10
    assert len(list(outbox.glob("*.html"))) == len(messages)
    parsed = email.message_from_bytes(messages[0].read_bytes(), policy=email.policy.default)
    assert parsed["Subject"]
    assert (
        parsed.get_body(preferencelist=("html",))
        .get_content()
        .lstrip()
        .startswith("<!DOCTYPE html>")
    )
