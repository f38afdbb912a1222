"""A task's form: validate what the user sent, and fill the header the engine owns.

Forms are JSON Schema (draft 2020-12). The header fields (project name, filled by, date
filled) are `readOnly`: the engine sets them and never takes them from user input.
"""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from jsonschema import Draft202012Validator, FormatChecker

from .errors import FieldError, ValidationFailed

HEADER = ("project_name", "filled_by", "date_filled")
_CHECKER = FormatChecker()


def _json_path(parts) -> str:
    return "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in parts)


def _field_errors(error) -> list[FieldError]:
    """One `FieldError` per field, pointing at the field itself (not its parent object)."""
    base = list(error.absolute_path)
    if error.validator == "required" and isinstance(error.instance, dict):
        return [FieldError(_json_path(base + [name]), "is required")
                for name in error.validator_value if name not in error.instance]
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = set(error.schema.get("properties", {}))
        return [FieldError(_json_path(base + [name]), "is not a field of this form")
                for name in error.instance if name not in allowed]
    if error.validator in ("oneOf", "anyOf") and all("const" in s for s in error.validator_value):
        choices = ", ".join(str(s["const"]) for s in error.validator_value)
        return [FieldError(_json_path(base), f"must be one of: {choices}")]
    return [FieldError(_json_path(base), error.message)]


def read_only_fields(schema: dict) -> set[str]:
    props = schema.get("properties", {})
    return {name for name, sub in props.items() if sub.get("readOnly")} | set(HEADER) & set(props)


def user_part(schema: dict | None, data: dict | None) -> dict:
    """What the user may set: everything but the read-only (engine-owned) fields."""
    data = dict(data or {})
    if not schema:
        return data
    for name in read_only_fields(schema):
        data.pop(name, None)
    return data


def validate(schema: dict | None, data: dict) -> None:
    """Raise `ValidationFailed` listing every failing field, each with its JSON path."""
    if not schema:
        return
    validator = Draft202012Validator(schema, format_checker=_CHECKER)
    errors: list[FieldError] = []
    for error in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path))):
        for field_error in _field_errors(error):
            if field_error not in errors:
                errors.append(field_error)
    if errors:
        raise ValidationFailed(errors)


def header(project_name: str, filled_by: str, time_zone: str, now: datetime) -> dict:
    """The header as the engine fills it: today is the user's today, in their time zone."""
    return {"project_name": project_name, "filled_by": filled_by,
            "date_filled": now.astimezone(ZoneInfo(time_zone)).date().isoformat()}


def prefill(schema: dict | None, task_data: dict, head: dict) -> dict:
    """The values a form opens with: the header plus the answers already in the process data."""
    if not schema:
        return {}
    values = {k: task_data[k] for k in schema.get("properties", {}) if k in task_data and k not in HEADER}
    values.update({k: v for k, v in head.items() if k in schema.get("properties", {})})
    return values
