"""Flat HTML form fields <-> the JSON document a form's JSON Schema describes.

HTML forms post flat name/value pairs, forms/*.schema.json describe nested documents, so
one naming convention joins them. A field's name is its dotted path in the document,
with array indices as path segments:

    customer.name                       {"customer": {"name": ...}}
    customer.criteria.sales_volume      {"customer": {"criteria": {"sales_volume": 4}}}
    decision_makers.0.name              {"decision_makers": [{"name": ...}]}
    authorisation.team.2                {"authorisation": {"team": [_, _, ...]}}
    authorisation.team                  the same array, one item per line (a textarea)

Names starting with "_" belong to the page, not the document (the template posts them):
``_rows.<array path>`` is how many rows the page showed, ``_add_row=<array path>`` asks
for one more, ``_remove_row=<array path>.<i>`` drops that row. No Flask here, so the
conversion is tested without an app.
"""
from __future__ import annotations

import json
import math
import re
from typing import Any, Callable, Iterable, Mapping

from engine.text import trim

from .amounts import parse_amount

ROWS = "_rows."
ADD_ROW = "_add_row"
REMOVE_ROW = "_remove_row"
MAX_ROWS = 100  # a posted row count is user input: never render more than this

_ABSENT = object()
_INDEX = re.compile(r"\[(\d+)\]")
_GROUPED = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?")
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
_INTEGER = re.compile(r"[+-]?\d+")


def kind_of(schema: Mapping) -> str:
    """The JSON Schema type of a node, guessed from its keywords when `type` is missing."""
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), None)
    if kind:
        return kind
    if "properties" in schema:
        return "object"
    if "items" in schema:
        return "array"
    return "string"


class _Form:
    """Read a werkzeug MultiDict or a plain mapping of str or list[str] the same way."""

    def __init__(self, form: Any):
        self._form = form
        self.keys = list(form.keys())

    def getlist(self, key: str) -> list[str]:
        if hasattr(self._form, "getlist"):
            return [str(v) for v in self._form.getlist(key)]
        value = self._form.get(key)
        if value is None:
            return []
        return [str(v) for v in value] if isinstance(value, (list, tuple)) else [str(value)]

    def get(self, key: str) -> str | None:
        values = self.getlist(key)
        return values[0] if values else None

    def indices(self, path: str) -> list[int]:
        """The row indices posted under `path`, in numeric order."""
        prefix = path + "."
        found = {k[len(prefix):].split(".", 1)[0] for k in self.keys if k.startswith(prefix)}
        return sorted(int(i) for i in found if i.isdigit() and len(i) < 6)


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


# ---------------------------------------------------------------- form -> document
def parse_form(schema: Mapping, form: Any) -> dict:
    """The document the posted `form` describes; readOnly and unknown fields are ignored.

    Blank fields are left out (so a blank required field is reported "is required", not
    accepted as ""), and text that is not a number stays text (so validation names it and
    the page shows it again).
    """
    posted = _Form(form)
    removed = set(posted.getlist(REMOVE_ROW))
    document = _parse(schema, posted, "", removed, required=True)
    return document if isinstance(document, dict) else {}


def _parse(schema: Mapping, form: _Form, path: str, removed: set[str], required: bool) -> Any:
    kind = kind_of(schema)
    if kind == "object":
        return _parse_object(schema, form, path, removed, required)
    if kind == "array":
        return _parse_array(schema, form, path, removed, required)
    if kind == "boolean":
        return form.get(path) not in (None, "false")
    return _scalar(schema, form.get(path) or "")


def _parse_object(schema, form, path, removed, required):
    needed = set(schema.get("required", ()))
    out = {}
    for name, sub in schema.get("properties", {}).items():
        if sub.get("readOnly"):
            continue
        value = _parse(sub, form, _join(path, name), removed, name in needed)
        if value is not _ABSENT:
            out[name] = value
    return out if out or required else _ABSENT


def _parse_array(schema, form, path, removed, required):
    items = schema.get("items", {})
    out = []
    if kind_of(items) not in ("object", "array"):
        for text in form.getlist(path):  # a textarea: one item per line (other separators are refused)
            out += [v for v in map(lambda line: _scalar(items, line), _lines(text).split("\n"))
                    if v is not _ABSENT]
    for i in form.indices(path):
        if f"{path}.{i}" in removed:
            continue
        value = _parse(items, form, f"{path}.{i}", removed, required=True)
        if not _blank(value):
            out.append(value)
    return out if out or required else _ABSENT


def _blank(value: Any) -> bool:
    """True for a row the user left empty: spare rows are not data."""
    if isinstance(value, dict):
        return all(_blank(v) for v in value.values())
    if isinstance(value, list):
        return all(_blank(v) for v in value)
    return value is _ABSENT or value is False


def _lines(raw: str) -> str:
    return raw.replace("\r\n", "\n").replace("\r", "\n")


def _scalar(schema: Mapping, raw: str) -> Any:
    """Typed text as the document holds it: line breaks as LF, spaces around it trimmed (but
    never a control character, so validation refuses it and names the field)."""
    text = trim(_lines(raw))
    if not text:
        return _ABSENT
    kind = kind_of(schema)
    if kind in ("integer", "number"):
        return _number(text, integer=kind == "integer")
    return text


def _number(text: str, integer: bool) -> Any:
    """The number `text` spells (thousands commas, or an amount such as "NT$500萬"), else
    `text` itself, which validation then refuses at its field."""
    plain = text.replace(",", "") if _GROUPED.fullmatch(text) else text
    if not _NUMBER.fullmatch(plain):
        amount = parse_amount(text)
        if amount is None or (integer and not isinstance(amount, int)):
            return text
        return amount
    try:
        if _INTEGER.fullmatch(plain):
            return int(plain)
        value = float(plain)
    except ValueError:  # more digits than Python converts
        return text
    if not math.isfinite(value):
        return text
    if integer:
        return int(value) if value.is_integer() else text
    return value


# ---------------------------------------------------------------- document -> form
def flatten(schema: Mapping, data: Mapping | None) -> dict[str, str]:
    """The form fields that show `data` again; each array also gets ``_rows.<path>``."""
    out: dict[str, str] = {}
    _flatten(schema, data, "", out)
    return out


def _flatten(schema: Mapping, value: Any, path: str, out: dict[str, str]) -> None:
    kind = kind_of(schema)
    if value is None:
        return
    if kind == "object" and isinstance(value, Mapping):
        for name, sub in schema.get("properties", {}).items():
            if name in value:
                _flatten(sub, value[name], _join(path, name), out)
    elif kind == "array" and isinstance(value, list):
        out[ROWS + path] = str(len(value))
        for i, item in enumerate(value):
            _flatten(schema.get("items", {}), item, f"{path}.{i}", out)
    elif isinstance(value, bool):
        if value:
            out[path] = "true"
    else:
        out[path] = _text(value)


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def redisplay(schema: Mapping, form: Any, fixed: Mapping | None = None) -> dict[str, str]:
    """The values to render a posted form with again: what `parse_form` kept, the
    engine-owned `fixed` values (the read-only header), and one more row in each array
    whose "add row" button was pressed; rows ticked "remove" are gone."""
    posted = _Form(form)
    values = flatten(schema, {**parse_form(schema, form), **(fixed or {})})
    removed = posted.getlist(REMOVE_ROW)
    for path in posted.getlist(ADD_ROW):
        shown = _count(posted.get(ROWS + path))
        gone = sum(1 for r in removed if r.rpartition(".")[0] == path)
        kept = _count(values.get(ROWS + path))
        values[ROWS + path] = str(min(max(kept, shown - gone), MAX_ROWS))
    return values


def _count(text: str | None) -> int:
    return int(text) if text and text.isdigit() and len(text) < 6 else 0


# ---------------------------------------------------------------- errors
def field_name(json_path: str) -> str:
    """`$.decision_makers[0].name` -> `decision_makers.0.name`; the form itself is ``""``."""
    return _INDEX.sub(r".\1", json_path).lstrip("$").lstrip(".")


def errors_by_field(errors: Iterable[Any],
                    translate: Callable[[str], str] | None = None) -> dict[str, list[str]]:
    """Engine `FieldError`s grouped by HTML field name, in the order given.

    `translate` is a plain Python gettext: messages may quote user input, so they are
    translated here and escaped by the template, never marked safe.
    """
    out: dict[str, list[str]] = {}
    for error in errors:
        path = error["path"] if isinstance(error, Mapping) else error.path
        message = error["message"] if isinstance(error, Mapping) else error.message
        message = translate(message) if translate else message
        messages = out.setdefault(field_name(path), [])
        if message not in messages:
            messages.append(message)
    return out
