"""The preset document: its JSON Schema, and reading one with errors at the JSON path."""

import re
from typing import Any

from django.utils.translation import gettext as _

from ....core.errors import FieldError, FieldErrorCode
from ....core.numbers import MAX_INT
from ...editing import CampaignSpec, StepSpec

FORMAT = "saleor-ma-plugin/campaign-preset"
VERSION = 1
SLUG = re.compile(r"^[-a-zA-Z0-9_]{1,64}$")
LANGUAGE = re.compile(r"^[a-z]{2,3}$")
MAX_STEPS = 200
MAX_TEMPLATES = 100
MAX_TEMPLATE_LENGTH = 200_000
PARAMETER_TYPES = ("integer", "decimal", "string", "boolean")
PARAMETER_NAME = "^[a-z][a-z0-9_]{0,63}$"

_SLUG = {"type": "string", "pattern": SLUG.pattern}
_COUNT = {"type": "integer", "minimum": 0, "maximum": MAX_INT}
_OBJECT = {"type": "object"}

#: JSON Schema (draft 2020-12) of version 1 of the document; the importer checks the same.
DOCUMENT_SCHEMA: dict = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://github.com/saleor-ma-plugin/schemas/campaign-preset-1.json",
    "title": "Campaign preset",
    "type": "object",
    "required": ["format", "version", "preset", "campaign"],
    "additionalProperties": False,
    "properties": {
        "format": {"const": FORMAT},
        "version": {"const": VERSION},
        "preset": {
            "type": "object",
            "required": ["slug", "title"],
            "additionalProperties": False,
            "properties": {
                "slug": _SLUG,
                "title": {"type": "string", "minLength": 1, "maxLength": 200},
                "description": {"type": "string", "maxLength": 2000},
            },
        },
        "campaign": {
            "type": "object",
            "required": ["name", "kind", "trigger", "steps"],
            "additionalProperties": False,
            "properties": {
                "name": {"type": "string", "minLength": 1, "maxLength": 200},
                "kind": {"type": "string"},
                "trigger": _OBJECT,
                "audience": _OBJECT,
                "goal": _OBJECT,
                "exit_condition": _OBJECT,
                "reentry_policy": {"type": "string"},
                "reentry_period_days": _COUNT,
                "conversion_window_days": _COUNT,
                "min_audience_size": _COUNT,
                "priority": {"type": "integer", "minimum": -MAX_INT, "maximum": MAX_INT},
                "holdout_share": {"type": "integer", "minimum": 0, "maximum": 50},
                "entry_step_key": {"type": "string"},
                "steps": {
                    "type": "array",
                    "minItems": 1,
                    "maxItems": MAX_STEPS,
                    "items": {
                        "type": "object",
                        "required": ["key", "type"],
                        "additionalProperties": False,
                        "properties": {
                            "key": _SLUG,
                            "type": {"type": "string"},
                            "name": {"type": "string", "maxLength": 200},
                            "config": _OBJECT,
                            "next_key": {"type": "string"},
                        },
                    },
                },
            },
        },
        "parameters": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["name", "path", "type"],
                "additionalProperties": False,
                "properties": {
                    "name": {"type": "string", "pattern": PARAMETER_NAME},
                    "path": {"type": "string", "minLength": 1},
                    "label": {"type": "string", "maxLength": 200},
                    "type": {"enum": list(PARAMETER_TYPES)},
                    "default": {},
                },
            },
        },
        "templates": {
            "type": "array",
            "maxItems": MAX_TEMPLATES,
            "items": {
                "type": "object",
                "required": ["key", "language", "source"],
                "additionalProperties": False,
                "properties": {
                    "key": {"type": "string", "pattern": "^[-a-zA-Z0-9_]{1,100}$"},
                    "language": {"type": "string", "pattern": LANGUAGE.pattern},
                    "source": {"type": "string", "minLength": 1, "maxLength": MAX_TEMPLATE_LENGTH},
                },
            },
        },
    },
}

_TYPES = {"string": str, "object": dict, "array": list}
#: Messages by expected type and by pattern (called: translated in the request's language).
EXPECTED = {
    "string": lambda: _("Expected a text."),
    "object": lambda: _("Expected an object."),
    "array": lambda: _("Expected a list."),
}
PATTERNS = {
    SLUG.pattern: lambda: _("Use letters, digits, hyphens and underscores only."),
    LANGUAGE.pattern: lambda: _('Use a two- or three-letter language code such as "en".'),
    PARAMETER_NAME: lambda: _(
        "Start with a lowercase letter; then lowercase letters, digits and underscores."
    ),
}


def check(value: Any, schema: dict, path: str) -> None:
    """Check ``value`` against the subset of JSON Schema the document schema uses."""
    if "const" in schema and value != schema["const"]:
        raise FieldError(path or "$", _("Expected %(value)r.") % {"value": schema["const"]})
    if "enum" in schema and value not in schema["enum"]:
        raise FieldError(
            path, _("Use one of %(values)s.") % {"values": ", ".join(map(str, schema["enum"]))}
        )
    kind = schema.get("type")
    if kind == "integer":
        if isinstance(value, bool) or not isinstance(value, int):
            raise FieldError(path, _("Enter a whole number."))
        if not schema.get("minimum", value) <= value <= schema.get("maximum", value):
            raise FieldError(
                path,
                _("Enter a whole number from %(minimum)d to %(maximum)d.")
                % {"minimum": schema["minimum"], "maximum": schema["maximum"]},
            )
    elif kind in _TYPES and not isinstance(value, _TYPES[kind]):
        raise FieldError(path or "$", EXPECTED[kind]())
    if kind == "string":
        _check_text(value, schema, path)
    elif kind == "object":
        _check_object(value, schema, path)
    elif kind == "array":
        _check_array(value, schema, path)


def _check_text(value: str, schema: dict, path: str) -> None:
    if len(value) < schema.get("minLength", 0):
        raise FieldError(path, _("This field is required."), FieldErrorCode.REQUIRED)
    if len(value) > schema.get("maxLength", len(value)):
        raise FieldError(path, _("At most %(count)d characters.") % {"count": schema["maxLength"]})
    if "\x00" in value:
        raise FieldError(path, _("NUL characters are not allowed."))
    if "pattern" in schema and not re.match(schema["pattern"], value):
        raise FieldError(path, PATTERNS.get(schema["pattern"], PATTERNS[SLUG.pattern])())


def _check_object(value: dict, schema: dict, path: str) -> None:
    properties = schema.get("properties", {})
    prefix = f"{path}." if path else ""
    for name in schema.get("required", []):
        if name not in value:
            raise FieldError(
                f"{prefix}{name}", _("This field is required."), FieldErrorCode.REQUIRED
            )
    if schema.get("additionalProperties") is False:
        unknown = sorted(set(value) - set(properties))
        if unknown:
            raise FieldError(f"{prefix}{unknown[0]}", _("Unknown field."))
    for name, item in value.items():
        if name in properties:
            check(item, properties[name], f"{prefix}{name}")


def _check_array(value: list, schema: dict, path: str) -> None:
    if len(value) < schema.get("minItems", 0):
        raise FieldError(path, _("Add at least one item."), FieldErrorCode.REQUIRED)
    if len(value) > schema.get("maxItems", len(value)):
        raise FieldError(path, _("At most %(count)d items.") % {"count": schema["maxItems"]})
    for index, item in enumerate(value):
        check(item, schema.get("items", {}), f"{path}[{index}]")


def read_document(data: Any) -> dict:
    """A document checked against the schema; FieldError at the JSON path of a problem."""
    check(data, DOCUMENT_SCHEMA, "")
    return data


def campaign_spec(campaign: dict, preset_slug: str) -> CampaignSpec:
    """The campaign part of a (checked) document as a spec to create."""
    fields = {name: value for name, value in campaign.items() if name != "steps"}
    steps = tuple(
        StepSpec(
            step["key"],
            step["type"],
            step.get("config", {}),
            step.get("next_key", ""),
            step.get("name", ""),
        )
        for step in campaign["steps"]
    )
    return CampaignSpec(**fields, steps=steps, preset=preset_slug)


def campaign_part(spec: CampaignSpec) -> dict:
    """The campaign part of a document, from a spec."""
    part = {
        name: value
        for name, value in spec.__dict__.items()
        if name not in ("steps", "preset") and value not in (None, "")
    }
    part["steps"] = [
        {
            "key": step.key,
            "type": step.type,
            "name": step.name,
            "config": step.config,
            "next_key": step.next_key,
        }
        for step in spec.steps
    ]
    return part
