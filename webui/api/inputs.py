"""Reading an API request: query parameters, path names and the JSON body, each refused with
a problem that names it (a query parameter or header by name, a body field by JSON pointer)."""
from __future__ import annotations

import json
import re

from flask import request

from ..errors.problems import ApiProblem

_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
BODY_KEYS = ("data",)


def bad_parameter(name: str, detail: str):
    return ApiProblem(400, f"The query parameter `{name}` {detail}.", [{"parameter": name, "detail": detail}])


def text_param(name: str, limit: int) -> str | None:
    value = request.args.get(name)
    if value is None or value == "":
        return None
    if len(value) > limit or _CONTROL.search(value):
        raise bad_parameter(name, f"must be at most {limit} characters, without control characters")
    return value.strip() or None


def int_param(name: str, low: int, high: int, default: int) -> int:
    value = request.args.get(name)
    if value is None:
        return default
    if not re.fullmatch(r"[0-9]{1,9}", value) or not low <= int(value) <= high:
        raise bad_parameter(name, f"must be a whole number from {low} to {high}")
    return int(value)


def plain_name(value: str, limit: int = 200) -> bool:
    """A name that could be stored: within `limit`, no control characters (else: not found)."""
    return 0 < len(value) <= limit and not _CONTROL.search(value)


def _no_constants(name: str):
    raise ValueError(f"{name} is not JSON")


def body() -> dict:
    """The JSON object sent, or {} for an empty body."""
    raw = request.get_data(cache=True)
    if not raw.strip():
        return {}
    if not request.is_json:
        raise ApiProblem(415, "Send the body as JSON, with `Content-Type: application/json`.",
                         [{"parameter": "Content-Type", "detail": "must be application/json"}])
    try:
        value = json.loads(raw, parse_constant=_no_constants)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ApiProblem(400, f"The body is not valid JSON: {exc}", [{"pointer": "", "detail": "is not valid JSON"}])
    if not isinstance(value, dict):
        raise ApiProblem(422, "The body must be a JSON object.", [{"pointer": "", "detail": "must be an object"}],
                         slug="validation-failed")
    return value


def data_of_body() -> dict:
    """The `data` object of a body such as `{"data": {...}}` (absent: `{}`)."""
    sent = body()
    errors = [{"pointer": "/" + k.replace("~", "~0").replace("/", "~1"), "detail": "is not a field of this request"}
              for k in sent if k not in BODY_KEYS]
    data = sent.get("data", {})
    if not isinstance(data, dict):
        errors.append({"pointer": "/data", "detail": "must be an object"})
    if errors:
        raise ApiProblem(422, "The body has fields this request does not take.", errors, slug="validation-failed")
    return data
