"""Unfinished form input, kept per task in the server-side session.

The engine will store drafts (per task and user, surviving logout); these three
functions are the seam it will replace.
"""
from __future__ import annotations

from flask import session

MAX_DRAFTS = 20


def get(task_id: str) -> dict | None:
    return (session.get("drafts") or {}).get(task_id)


def put(task_id: str, values: dict) -> None:
    drafts = {k: v for k, v in (session.get("drafts") or {}).items() if k != task_id}
    drafts[task_id] = values
    session["drafts"] = dict(list(drafts.items())[-MAX_DRAFTS:])


def drop(task_id: str) -> None:
    drafts = dict(session.get("drafts") or {})
    if drafts.pop(task_id, None) is not None:
        session["drafts"] = drafts
