"""A shop preset's parameters: values an admin sets when creating a campaign from it.

A parameter's ``path`` names a value inside the document's campaign, dot by dot:
``trigger.days``, ``goal.event``, ``steps.<step key>.config.days`` (a step by its key),
``steps.<step key>.config.variants.0.weight`` (a list item by its index). The value must
exist there when the preset is saved; its current value is the default unless one is given.
"""

import copy
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from ....core.errors import FieldError, FieldErrorCode
from ....core.numbers import MAX_INT

#: Campaign fields a parameter may point into (the name is the built-in ``name`` parameter).
FIELDS = (
    "trigger",
    "audience",
    "goal",
    "exit_condition",
    "reentry_period_days",
    "conversion_window_days",
    "min_audience_size",
    "priority",
    "holdout_share",
    "steps",
)
NAME = "name"
MAX_PARAMETERS = 50
MAX_TEXT = 2000


@dataclass(frozen=True)
class Parameter:
    name: str
    path: str
    label: str
    type: str
    default: Any

    def as_json(self) -> dict:
        return {
            "name": self.name,
            "path": self.path,
            "label": self.label,
            "type": self.type,
            "default": self.default,
        }


def coerce(value: Any, kind: str, where: str) -> Any:
    """A parameter value of its type (decimals as strings); FieldError at ``where``."""
    if kind == "integer":
        if isinstance(value, bool) or not isinstance(value, int) or abs(value) > MAX_INT:
            raise FieldError(where, _("Enter a whole number."))
        return value
    if kind == "decimal":
        try:
            number = Decimal(str(value)) if not isinstance(value, bool) else None
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite() or abs(number) > MAX_INT:
            raise FieldError(where, _("Enter a number."))
        return str(value)
    if kind == "boolean":
        if not isinstance(value, bool):
            raise FieldError(where, _("Enter true or false."))
        return value
    if not isinstance(value, str) or len(value) > MAX_TEXT or "\x00" in value:
        raise FieldError(
            where, _("Enter a text of at most %(count)d characters.") % {"count": MAX_TEXT}
        )
    return value


def _locate(campaign: dict, path: str, where: str) -> tuple[Any, Any]:
    """The container holding the value at ``path`` and its key or index."""
    parts = path.split(".")
    if parts[0] not in FIELDS or (parts[0] == "steps" and len(parts) < 3):
        raise FieldError(
            where,
            _(
                "Point to a value of the trigger, audience, goal, exit "
                "condition, a setting or a step (steps.<key>.config...)."
            ),
        )
    container: Any = campaign
    if parts[0] == "steps":
        step = next((s for s in campaign["steps"] if s["key"] == parts[1]), None)
        if step is None:
            raise FieldError(
                where,
                _("The campaign has no step %(key)r.") % {"key": parts[1]},
                FieldErrorCode.NOT_FOUND,
            )
        container, parts = step, parts[2:]
    for part in parts[:-1]:
        container = _child(container, part, where)
    last = parts[-1]
    _child(container, last, where)
    return container, int(last) if isinstance(container, list) else last


def _child(container: Any, part: str, where: str) -> Any:
    if isinstance(container, dict) and part in container:
        return container[part]
    if isinstance(container, list) and part.isdigit() and int(part) < len(container):
        return container[int(part)]
    raise FieldError(where, _("Nothing to set at this path."), FieldErrorCode.NOT_FOUND)


def parse_parameters(
    raw: list, campaign: dict, where: str = "parameters"
) -> tuple[Parameter, ...]:
    """Checked parameters (the document's schema is checked already); defaults filled in."""
    if len(raw) > MAX_PARAMETERS:
        raise FieldError(where, _("At most %(count)d parameters.") % {"count": MAX_PARAMETERS})
    parameters, names, paths = [], {NAME}, set()
    for index, item in enumerate(raw):
        at = f"{where}[{index}]"
        if item["name"] in names:
            raise FieldError(f"{at}.name", _("This name is taken."), FieldErrorCode.UNIQUE)
        if item["path"] in paths:
            raise FieldError(
                f"{at}.path", _("Another parameter sets this value."), FieldErrorCode.UNIQUE
            )
        container, key = _locate(campaign, item["path"], f"{at}.path")
        current = container[key]
        default = item.get("default", current)
        parameters.append(
            Parameter(
                name=item["name"],
                path=item["path"],
                label=item.get("label") or item["name"],
                type=item["type"],
                default=coerce(default, item["type"], f"{at}.default"),
            )
        )
        names.add(item["name"])
        paths.add(item["path"])
    return tuple(parameters)


def apply(campaign: dict, parameters: tuple[Parameter, ...], values: dict) -> dict:
    """A copy of the campaign with every parameter set (given values, else defaults)."""
    unknown = sorted(set(values) - {NAME} - {p.name for p in parameters})
    if unknown:
        raise FieldError(f"params.{unknown[0]}", _("This preset has no such parameter."))
    result = copy.deepcopy(campaign)
    if NAME in values:
        result["name"] = coerce(values[NAME], "string", f"params.{NAME}")
    for parameter in parameters:
        value = values.get(parameter.name, parameter.default)
        container, key = _locate(result, parameter.path, f"params.{parameter.name}")
        container[key] = coerce(value, parameter.type, f"params.{parameter.name}")
    return result
