"""Write docs/reference.md: step types, trigger types and the rule language, from the registries.

The page is generated from the same classes the engine runs, so it cannot describe a step
type that does not exist; a test fails when the checked-in page drifts.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils import translation

from ...campaigns.steps import step_kinds
from ...campaigns.triggers import trigger_kinds
from ...segments.rules import Scope, rule_kinds
from ...segments.rules.fields import CONTACT_FIELDS, OPERATORS

SCOPES = {
    Scope.CONTACT: "segments, audiences and everything below",
    Scope.EVENT: "trigger, goal and score-rule filters, branches and exits",
    Scope.RUN: "branch and exit conditions only",
}


def _schema(schema: dict) -> str:
    return "```json\n" + json.dumps(schema, indent=2, ensure_ascii=False) + "\n```\n"


def reference() -> str:
    """The page, in English."""
    with translation.override("en"):
        parts = [
            "# Reference: step types, trigger types, rules\n",
            "Generated from the engine's registries by `python manage.py "
            "marketing_reference`; the API serves the same (`campaignStepTypes`, "
            "`campaignTriggerTypes`, `ruleKinds`, `ruleFields`).\n",
            "## Step types\n",
        ]
        for kind in step_kinds():
            traits = [
                name
                for name, flag in (
                    ("ends the run", kind.final),
                    ("skipped in the holdout", kind.reaches_contact),
                    ("writes beyond the run", kind.writes),
                )
                if flag
            ]
            note = f" ({', '.join(traits)}.)" if traits else ""
            parts.append(f"### `{kind.type}`: {kind.label}\n\n{kind.description}{note}\n")
            parts.append(_schema(kind.schema))
        parts.append("## Trigger types\n")
        for kind in trigger_kinds():
            parts.append(f"### `{kind.type}`: {kind.label}\n\n{kind.description}\n")
            parts.append(_schema(kind.schema))
        parts.append("## Rules\n")
        for kind in rule_kinds():
            usable = f"Usable in {SCOPES[kind.scope]}."
            parts.append(f"### `{kind.key}`: {kind.label}\n\n{kind.description} {usable}\n")
            parts.append(_schema(kind.schema))
        parts.append("### Contact fields of `field` rules\n\n| field | type | operators |")
        parts.append("| --- | --- | --- |")
        for name, value_type in CONTACT_FIELDS.items():
            parts.append(f"| `{name}` | {value_type} | {', '.join(OPERATORS[value_type])} |")
    return "\n".join(parts).rstrip() + "\n"


class Command(BaseCommand):
    help = "Write the reference of step types, trigger types and rules (docs/reference.md)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", default="docs/reference.md", help="File to write; - prints."
        )

    def handle(self, *args, output="docs/reference.md", **options):
        text = reference()
        if output == "-":
            self.stdout.write(text, ending="")
            return
        Path(output).write_text(text, encoding="utf-8")
        self.stdout.write(f"Wrote {output} ({len(text.splitlines())} lines).")
