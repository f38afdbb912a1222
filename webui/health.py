"""Health checks for a reverse proxy or a process supervisor: no login, no session, no personal data.

`/healthz`: the process answers (it touches no database, so a database outage never restarts it).
`/readyz`: it can serve, i.e. the database answers and its schema is at this code's migration head;
503 otherwise, so the proxy sends traffic to other processes (engine/db/readiness.py). Both are GET
only, so CSRF protection (POST) never applies to them.
"""
from __future__ import annotations

from flask import Blueprint, jsonify

from engine.db.readiness import readiness

from .common.current import engine

bp = Blueprint("health", __name__)
PATHS = ("/healthz", "/readyz")       # served without a session (webui/sessions.py)


def _answer(body: dict, status: int):
    response = jsonify(body)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/healthz")
def live():
    return _answer({"status": "alive"}, 200)


@bp.get("/readyz")
def ready():
    state = readiness(engine().db)
    body = {"status": "ready" if state.ready else "not ready", "reason": state.reason,
            "schema": state.revision, "expected_schema": state.head}
    return _answer(body, 200 if state.ready else 503)
