"""The shapes campaigns used before the one rule language, read for one more release.

Campaign conditions were a language of their own (``{"field": "contact.lead_score"}``,
``{"event": {"since": 30, "where": [...]}}``, lists for "all of") and audiences an object of
named filters (``{"tags_any": [...], "min_orders": 1}``). Both are turned into rules of the
one language here; migration 0012 rewrote what was stored, and the API still accepts the
old shapes (its descriptions say so) until the next release removes this module.
"""

from typing import Any

from ...core.errors import FieldError
from .base import RuleKind, Scope
from .events import ID_KEYS, SINCE_RUN
from .parsing import parse_rules

LEGACY_AUDIENCE_KEYS = {"tags_any", "tags_none", "lifecycle_stages", "min_orders"}
AUDIENCE_KEYS = LEGACY_AUDIENCE_KEYS | {"consent", "segment"}


def parse_condition(data: Any, path: str = "condition", scope: Scope = Scope.RUN) -> Any:
    """A campaign condition (filter, goal, branch, exit), old shapes accepted."""
    return parse_rules(upgrade_condition(data), path, scope)


def parse_audience(data: Any, path: str = "audience") -> Any:
    """A campaign's audience, old shape accepted."""
    return parse_rules(upgrade_audience(data, path), path, Scope.CONTACT)


def upgrade_condition(data: Any, assume_legacy: bool = False) -> Any:
    """The condition in the one rule language; new shapes pass unchanged.

    ``assume_legacy`` (stored data from before the change): an event condition without a
    time bound meant "since the run started"; today it means "ever".
    """
    if data in (None, [], {}):
        return {}
    if isinstance(data, list):
        items = [upgrade_condition(item, assume_legacy) for item in data]
        return {"all": [item for item in items if item]} if any(items) else {}
    if not isinstance(data, dict):
        return data
    if "field" in data:
        return _upgrade_field(data)
    if len(data) != 1:
        return data
    [(key, spec)] = data.items()
    if key in ("all", "any") and isinstance(spec, list):
        items = [upgrade_condition(item, assume_legacy) for item in spec]
        if not any(items):
            return {} if key == "all" else data  # "any of nothing" has no new spelling
        return {key: [item for item in items if item]}
    if key == "not":
        return {"not": upgrade_condition(spec, assume_legacy)}
    if key == "event" and isinstance(spec, dict):
        return {"event": _upgrade_event(spec, assume_legacy)}
    return data


def _upgrade_field(data: dict) -> dict:
    name = data.get("field")
    if not isinstance(name, str) or not name.startswith("contact."):
        return data
    column = name.removeprefix("contact.")
    if column.startswith("attributes."):
        spec = {key: value for key, value in data.items() if key in ("op", "value")}
        return {"attribute": {"key": column.removeprefix("attributes."), **spec}}
    return {**data, "field": column}


def _upgrade_event(spec: dict, assume_legacy: bool) -> dict:
    upgraded = {key: value for key, value in spec.items() if key not in ("since", "where")}
    since = spec.get("since")
    if isinstance(since, int) and not isinstance(since, bool):
        upgraded["within_days"] = since
    elif since is not None:
        upgraded["since"] = since
    elif assume_legacy and "within_days" not in spec:
        upgraded["since"] = SINCE_RUN
    where = spec.get("where")
    if isinstance(where, list):
        for index, item in enumerate(where):
            _upgrade_payload_condition(item, upgraded, f"event.where[{index}]")
    elif where is not None:
        upgraded["where"] = where
    return upgraded


def _upgrade_payload_condition(item: Any, upgraded: dict, path: str) -> None:
    """An old ``{"field": "payload.key", "op": ..., "value": ...}`` into the event's spec."""
    name = item.get("field", "") if isinstance(item, dict) else ""
    op, value = item.get("op", "eq") if isinstance(item, dict) else "", item.get("value")
    parts = name.split(".") if isinstance(name, str) else []
    is_line_id = len(parts) == 3 and parts[:2] == ["payload", "lines"] and parts[2] in ID_KEYS
    if is_line_id and op in ("eq", "in"):
        upgraded[parts[2]] = value if op == "in" else [value]
        return
    if len(parts) == 2 and parts[0] == "payload" and op in ("eq", "in", "contains"):
        operand = {"contains": value} if op == "contains" else value
        upgraded.setdefault("where", {})[parts[1]] = operand
        return
    raise FieldError(path, "Use eq, in or contains on a top-level payload key.")


def upgrade_audience(data: Any, path: str = "audience") -> Any:
    """The audience as a rule; a rule passes unchanged."""
    if not data:
        return {}
    if not isinstance(data, dict):
        return data
    keys = set(data)
    if "field" in keys or (len(keys) == 1 and keys <= set(RuleKind.registry)):
        return data
    unknown = sorted(keys - AUDIENCE_KEYS)
    if unknown:
        raise FieldError(f"{path}.{unknown[0]}", "Unknown audience rule.")
    return _audience_rule(data)


def _audience_rule(data: dict) -> dict:
    rules: list[dict] = []
    consent = data.get("consent") or {}
    if isinstance(consent, dict) and consent.get("channel"):
        rules.append(
            {"consent": {"channel": consent["channel"], "topic": consent.get("topic", "")}}
        )
    if data.get("tags_any"):
        rules.append({"any": [{"tag": tag} for tag in data["tags_any"]]})
    if data.get("tags_none"):
        rules.append({"not": {"any": [{"tag": tag} for tag in data["tags_none"]]}})
    if data.get("lifecycle_stages"):
        stages = list(data["lifecycle_stages"])
        rules.append({"field": "lifecycle_stage", "op": "in", "value": stages})
    if data.get("min_orders"):
        rules.append({"field": "orders_count", "op": "gte", "value": data["min_orders"]})
    if data.get("segment") is not None:
        rules.append({"segment": data["segment"]})
    if not rules:
        return {}
    return rules[0] if len(rules) == 1 else {"all": rules}
