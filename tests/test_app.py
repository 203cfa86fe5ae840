"""App wiring: beat ticks and the rule that only the Saleor adapter imports Saleor."""

import ast
from pathlib import Path

from django.conf import settings

from saleor_ma_plugin.apps import register_beat_schedule
from saleor_ma_plugin.standalone import celery_app
from saleor_ma_plugin.tasks import BEAT_SCHEDULE

PACKAGE = Path(__file__).resolve().parent.parent / "saleor_ma_plugin"
ADAPTER_MODULES = {PACKAGE / "plugin.py"}
ADAPTER_PACKAGE = PACKAGE / "saleor"


def test_sweeper_tick_is_registered_by_name_exactly_once():
    # when
    register_beat_schedule()
    register_beat_schedule()

    # then
    entry = settings.CELERY_BEAT_SCHEDULE["saleor-ma-plugin-sweep-events"]
    assert entry == BEAT_SCHEDULE["saleor-ma-plugin-sweep-events"]
    assert entry["task"] in celery_app.tasks


def test_only_the_saleor_adapter_imports_saleor():
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if path in ADAPTER_MODULES or ADAPTER_PACKAGE in path.parents:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            offenders += [
                f"{path.relative_to(PACKAGE)}: {name}"
                for name in names
                if name == "saleor" or name.startswith("saleor.")
            ]
    assert offenders == []
