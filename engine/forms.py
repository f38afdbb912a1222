"""A task's form: validate what the user sent, and fill the header the engine owns.

Forms are JSON Schema (draft 2020-12). The header fields (project name, filled by, date
filled) are `readOnly`: the engine sets them and never takes them from user input. Every
answer is checked here, once, for every process and every way in: the schema, plus the
engine's own text rules (no control characters; line breaks only in multi-line fields).
"""
from __future__ import annotations

from datetime import datetime

from jsonschema import Draft202012Validator, FormatChecker

from . import schema_messages as words
from . import text, zones
from .errors import FieldError, ValidationFailed

HEADER = ("project_name", "filled_by", "date_filled")
_CHECKER = FormatChecker()
OPTIONS_FROM_DATA = "options_from_task_data_var:"     # spiff-arena's dynamic enum


def _json_path(parts) -> str:
    return "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in parts)


def _field_errors(error) -> list[FieldError]:
    """One `FieldError` per field, pointing at the field itself (not its parent object)."""
    base = list(error.absolute_path)
    rule, value = error.validator, error.validator_value
    if rule == "required" and isinstance(error.instance, dict):
        return [FieldError(_json_path(base + [name]), words.REQUIRED)
                for name in value if name not in error.instance]
    if rule == "dependentRequired" and isinstance(error.instance, dict) and isinstance(value, dict):
        return [FieldError(_json_path(base + [name]), words.REQUIRED)
                for given, needed in value.items() if given in error.instance
                for name in needed if name not in error.instance]
    if rule in ("additionalProperties", "unevaluatedProperties") and isinstance(error.instance, dict):
        allowed = set(error.schema.get("properties", {}))
        return [FieldError(_json_path(base + [name]), words.NOT_A_FIELD)
                for name in error.instance if name not in allowed]
    if rule in ("oneOf", "anyOf") and all(isinstance(s, dict) and "const" in s for s in value):
        return [FieldError(_json_path(base), words.NOT_A_CHOICE)]
    return [FieldError(_json_path(base), words.message(rule, value, error.schema))]


def multiline(schema: dict | None, ui: dict | None) -> bool:
    """A field answered in a text area: tab and line breaks belong there, nowhere else.
    The same rule picks the widget in webui/templates/macros/form.html."""
    schema, ui = schema or {}, ui or {}
    return ui.get("ui:widget") == "textarea" or (schema.get("maxLength") or 0) > 300


def _sub(node, key: str) -> dict:
    found = node.get(key) if isinstance(node, dict) else None
    return found if isinstance(found, dict) else {}


def _text_errors(schema: dict | None, ui: dict, value, path: list) -> list[FieldError]:
    """Control characters anywhere in an answer (field names included), each at its field.
    Without a schema nothing says which fields are single lines, so none is held to one."""
    if isinstance(value, str):
        message = text.problem(value, multiline=schema is None or multiline(schema, ui))
        return [FieldError(_json_path(path), message)] if message else []
    errors: list[FieldError] = []
    if isinstance(value, dict):
        props = _sub(schema, "properties")
        for key, sub in value.items():
            if not isinstance(key, str) or text.has_control(key):
                errors.append(FieldError(_json_path(path), "holds a field name with control characters"))
                continue
            errors += _text_errors(schema and _sub(props, key), _sub(ui, key), sub, path + [key])
    elif isinstance(value, list):
        for i, item in enumerate(value):
            errors += _text_errors(schema and _sub(schema, "items"), _sub(ui, "items"), item, path + [i])
    return errors


def _data_var(value) -> str | None:
    """`NAME` of spiff-arena's `"anyOf": ["options_from_task_data_var:NAME"]`, else None."""
    if isinstance(value, list) and len(value) == 1 and isinstance(value[0], str) \
            and value[0].startswith(OPTIONS_FROM_DATA):
        return value[0][len(OPTIONS_FROM_DATA):]
    return None


def _choices(options) -> dict:
    """`[{"value", "label"}, ...]` from task data as our choices; anything else offers none."""
    if not isinstance(options, list) or not all(isinstance(o, dict) and "value" in o for o in options) \
            or not options:
        return {"enum": []}
    return {"oneOf": [{"const": o["value"], "title": str(o.get("label", o["value"]))} for o in options]}


def with_data_options(schema, data: dict | None):
    """The form with each dynamic enum's choices read from `data` (the task's data, when the
    form is shown and when an answer is checked). Without data (at deploy) no choice is offered,
    so the schema can still be checked. The stored form is never changed."""
    if isinstance(schema, list):
        return [with_data_options(item, data) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out = {}
    for key, value in schema.items():
        name = _data_var(value) if key == "anyOf" else None
        if name is None:
            out[key] = with_data_options(value, data)
        else:
            out.update(_choices((data or {}).get(name)))
    return out


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


def validate(schema: dict | None, data: dict, ui: dict | None = None) -> None:
    """Raise `ValidationFailed` listing every failing field, each with its JSON path.

    Without a schema only the text rules apply; a field with control characters gets that
    error alone."""
    errors = _text_errors(schema or None, ui or {}, data, [])
    flagged = {e.path for e in errors}
    if schema:
        validator = Draft202012Validator(schema, format_checker=_CHECKER)
        for error in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path))):
            for field_error in _field_errors(error):
                if field_error not in errors and field_error.path not in flagged \
                        and not text.has_control(field_error.path):
                    errors.append(field_error)
    if errors:
        raise ValidationFailed(errors)


def picked_people(schema: dict | None, data, path: str = "$") -> list[tuple[str, str]]:
    """(JSON path, username) of each answer to a field with `"format": "username"`: a person picked
    from the users, whom the engine checks against the directory (a schema cannot)."""
    schema = schema or {}
    if schema.get("format") == "username" and isinstance(data, str):
        return [(path, data)]
    found = []
    if isinstance(data, dict):
        for name, sub in (schema.get("properties") or {}).items():
            if name in data:
                found += picked_people(sub, data[name], f"{path}.{name}")
    elif isinstance(data, list) and isinstance(schema.get("items"), dict):
        for i, item in enumerate(data):
            found += picked_people(schema["items"], item, f"{path}[{i}]")
    return found


def header(project_name: str, filled_by: str, time_zone: str, now: datetime) -> dict:
    """The header as the engine fills it: today is the user's today, in their time zone."""
    return {"project_name": project_name, "filled_by": filled_by,
            "date_filled": now.astimezone(zones.zone_or_utc(time_zone)).date().isoformat()}


def prefill(schema: dict | None, task_data: dict, head: dict) -> dict:
    """The values a form opens with: the header plus the answers already in the process data."""
    if not schema:
        return {}
    values = {k: task_data[k] for k in schema.get("properties", {}) if k in task_data and k not in HEADER}
    values.update({k: v for k, v in head.items() if k in schema.get("properties", {})})
    return values
