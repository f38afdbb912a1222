"""Admin → Outbox: the latest notifications to everyone, and whether each went out.

The timer worker delivers them (engine/mailer.py): by SMTP when it is configured, else to
the log. The engine has no "latest across users" query yet, so this gathers them per user.
"""
from __future__ import annotations

from flask import Blueprint, render_template

from ..common.current import engine

bp = Blueprint("outbox", __name__, url_prefix="/outbox")
LATEST = 200


def latest_notifications(limit: int = LATEST):
    """(notifications newest first, ids still waiting for the worker, people by username)."""
    people = {u.username: u for u in engine().users()}
    notes = [n for name in people for n in engine().notifications.for_user(name, limit=limit)]
    waiting = {n.id for n, _email in engine().notifications.outbox(limit=1000)}
    return sorted(notes, key=lambda n: n.id, reverse=True)[:limit], waiting, people


@bp.get("/")
def index():
    notes, waiting, people = latest_notifications()
    return render_template("admin/outbox.html", notes=notes, waiting=waiting, people=people, limit=LATEST)
