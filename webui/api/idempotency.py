"""`Idempotency-Key` on every POST: a request retried with the same key has one effect and
gets the same answer, from any app process (the engine keeps keys and answers in the database).

A key is the client's own (1 to 255 visible ASCII characters), per user. The same key with a
different request (method, path or body) is refused with 422; while the first request is
still being answered a retry gets 409. Answers to keep are the successes and the client's
errors (4xx); a server error or a busy database releases the key, so the client may retry.
"""
from __future__ import annotations

import hashlib
import json
import re
from datetime import timedelta
from functools import wraps

from flask import current_app, request

from engine.usecases.idempotency import ANSWERED, IN_PROGRESS, MISMATCH

from ..common.current import engine, me
from ..errors.problems import ApiProblem, problem
from .represent import respond

HEADER = "Idempotency-Key"
_KEY = re.compile(r"[\x20-\x7e]{1,255}")


def fingerprint() -> str:
    """The request a key names: method, path and body (JSON compared by value, not spelling)."""
    raw = request.get_data(cache=True)
    try:
        content = json.dumps(json.loads(raw), sort_keys=True, separators=(",", ":")) if raw.strip() else ""
    except ValueError:
        content = raw.hex()
    return hashlib.sha256(f"{request.method} {request.path}\n{content}".encode()).hexdigest()


def _key() -> str | None:
    key = request.headers.get(HEADER)
    if key is not None and (not _KEY.fullmatch(key) or not key.strip()):
        raise ApiProblem(400, f"`{HEADER}` must be 1 to 255 visible ASCII characters.",
                         [{"parameter": HEADER, "detail": "must be 1 to 255 visible ASCII characters"}])
    return key


def _replay(status: int, body, location: str | None):
    headers = {"Idempotent-Replayed": "true", **({"Location": location} if location else {})}
    response = respond(body, status, headers)
    if status >= 400:
        response.mimetype = "application/problem+json"
    return response


def idempotent(view):
    """Wrap a POST view: answer a retried request from the stored answer."""
    @wraps(view)
    def wrapper(**kwargs):
        key = _key()
        if key is None:
            return view(**kwargs)
        ttl = timedelta(hours=current_app.config["IDEMPOTENCY_HOURS"])
        found = engine().idempotency.claim(me(), key, fingerprint(), ttl)
        if found.state == ANSWERED:
            return _replay(found.status, found.body, found.location)
        if found.state == IN_PROGRESS:
            return problem("idempotency-key-in-use", "The first request with this key is not answered yet; "
                           "try again in a moment.", headers={"Retry-After": "1"})
        if found.state == MISMATCH:
            return problem("idempotency-key-reused", "This key was used for a different request; use a new key.",
                           errors=[{"parameter": HEADER, "detail": "was used for a different request"}])
        try:
            response = current_app.make_response(view(**kwargs))
        except Exception as exc:   # noqa: BLE001 - the one error handler words it; the answer is stored below
            try:
                response = current_app.make_response(current_app.handle_user_exception(exc))
            except Exception:
                engine().idempotency.release(me(), key)
                raise
        if response.status_code >= 500:
            engine().idempotency.release(me(), key)
        else:
            engine().idempotency.answer(me(), key, response.status_code,
                                        response.get_json(silent=True), response.headers.get("Location"))
        return response
    return wrapper
