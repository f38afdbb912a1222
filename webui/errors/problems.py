"""The JSON API's errors as RFC 9457 problem details (`application/problem+json`).

The one error handler (handlers.py) answers requests under /api/ with these instead of
pages. Each problem names its `type` (a link to its entry on the API reference page), a
fixed `title`, the `status`, a `detail` for this occurrence and, for input errors, `errors`:
one entry per failing field, with a JSON pointer into the request body (`pointer`) or the
name of the query parameter or header (`parameter`). Texts are English: clients match on
`type` and `pointer`, people read `detail`.
"""
from __future__ import annotations

import json
import re
from urllib.parse import quote

from flask import Response, current_app, request
from werkzeug.exceptions import HTTPException

from engine import Busy, Conflict, EngineError, NotAllowed, NotFound, ProcessError, ValidationFailed

API_PREFIX = "/api/"
REFERENCE = "/api/v1/reference"
MEDIA_TYPE = "application/problem+json"

# slug -> (status, title); the reference page lists them in this order
TYPES = {
    "bad-request": (400, "The request could not be read"),
    "unauthorized": (401, "A valid personal access token is needed"),
    "forbidden": (403, "Not allowed"),
    "not-found": (404, "Not found"),
    "method-not-allowed": (405, "Method not allowed"),
    "conflict": (409, "Someone else got there first"),
    "idempotency-key-in-use": (409, "A request with this Idempotency-Key is still being answered"),
    "too-large": (413, "The request is too large"),
    "unsupported-media-type": (415, "Send JSON"),
    "validation-failed": (422, "The data has errors"),
    "idempotency-key-reused": (422, "This Idempotency-Key was used for a different request"),
    "process-error": (500, "The process could not go on"),
    "server-error": (500, "Something went wrong"),
    "unavailable": (503, "Try again shortly"),
}
_BY_STATUS = {400: "bad-request", 401: "unauthorized", 403: "forbidden", 404: "not-found", 405: "method-not-allowed",
              409: "conflict", 413: "too-large", 415: "unsupported-media-type", 422: "validation-failed",
              503: "unavailable"}


_STEP = re.compile(r"\.([^.\[]+)|\[(\d+)\]")


class ApiProblem(HTTPException):
    """A request the API refuses before the engine sees it; `errors` name the failing inputs."""

    def __init__(self, status: int, detail: str, errors: list[dict] | None = None, slug: str | None = None,
                 headers: dict | None = None):
        super().__init__(description=detail)
        self.code, self.errors, self.slug, self.extra_headers = status, list(errors or []), slug, headers


def wanted() -> bool:
    """Does this request get problem details rather than an error page?"""
    return request.path.startswith(API_PREFIX)


def pointer(path: str, base: str = "") -> str:
    """The engine's JSON path (`$.contacts[0].name`) as a JSON pointer (`/contacts/0/name`)."""
    parts = [key or index for key, index in _STEP.findall(path)]
    return base + "".join("/" + p.replace("~", "~0").replace("/", "~1") for p in parts)


def problem(slug: str, detail: str, status: int | None = None, errors: list[dict] | None = None,
            headers: dict | None = None, **extra) -> Response:
    code, title = TYPES[slug]
    body = {"type": f"{REFERENCE}#problem-{slug}", "title": title, "status": status or code, "detail": detail,
            "instance": quote(request.path), **extra}
    if errors:
        body["errors"] = errors
    response = Response(json.dumps(body, ensure_ascii=False), status=status or code, mimetype=MEDIA_TYPE)
    response.headers["Cache-Control"] = "no-store"
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def from_engine(exc: EngineError) -> Response:
    if isinstance(exc, ValidationFailed):
        errors = [{"pointer": pointer(e.path, "/data"), "field": e.path, "detail": e.message} for e in exc.errors]
        return problem("validation-failed", "The data does not match the form; see `errors`.", errors=errors)
    if isinstance(exc, Busy):
        return problem("unavailable", str(exc), headers={"Retry-After": "2"})
    if isinstance(exc, Conflict):
        return problem("conflict", str(exc))
    if isinstance(exc, NotFound):
        return problem("not-found", str(exc))
    if isinstance(exc, NotAllowed):
        return problem("forbidden", str(exc))
    if isinstance(exc, ProcessError):
        current_app.logger.error("process error (incident %s): %s", exc.incident_id, exc)
        return problem("process-error", "The process could not go on at this step; an administrator can see "
                       "the incident and retry it. Nothing you sent was lost.", incident=exc.incident_id)
    current_app.logger.exception("engine error")
    return problem("server-error", "The server could not answer this request.")


def from_http(exc: HTTPException) -> Response:
    if isinstance(exc, ApiProblem):
        return problem(exc.slug or _BY_STATUS.get(exc.code, "bad-request"), exc.description, exc.code, exc.errors,
                       exc.extra_headers)
    headers = {"Allow": ", ".join(exc.valid_methods)} if getattr(exc, "valid_methods", None) else None
    if exc.code >= 500:
        return problem("server-error", "The server could not answer this request.", exc.code)
    slug = _BY_STATUS.get(exc.code, "bad-request")
    return problem(slug, exc.description or TYPES[slug][1], exc.code, headers=headers)
