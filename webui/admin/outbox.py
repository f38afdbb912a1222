"""Admin → Outbox: every message with its delivery state, newest first, one status at a time,
paged by key (the previous and next links carry a cursor); a failed (or sent) message can be
sent again. The counts per status stop at COUNT_CAP (shown as "10,000+").

The worker delivers them (engine/mail): by SMTP when it is configured, else to the log. The
subjects are worded by the engine's mail module in the admin's language; a message's body only
on its own page, when it is opened (wording fifty letters made the list slow).
"""
from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for

from engine.usecases.outbox import COUNT_CAP
from flask_babel import gettext as _

from ..common.current import engine, me
from ..common.i18n import current_locale

bp = Blueprint("outbox", __name__, url_prefix="/outbox")
STATUSES = ("pending", "failed", "sent", "skipped")
PER_PAGE = 50


def _status(value: str | None) -> str | None:
    return value if value in STATUSES else None


@bp.get("/")
def index():
    status = _status(request.args.get("status"))
    g.redisplay = lambda code, errors, _m: _page(status, None, code)
    return _page(status, request.args.get("cursor") or None)


def _page(status: str | None, cursor: str | None, code: int = 200):
    found = engine().notifications.page(me(), status=status, cursor=cursor, per_page=PER_PAGE, locale=current_locale())
    return render_template("admin/outbox.html", found=found, status=status or "", statuses=STATUSES,
                           cap=COUNT_CAP), code


@bp.get("/<int:notification_id>")
def show(notification_id: int):
    """One message as it is mailed: the list words subjects only, a body when it is opened."""
    found = engine().notifications.message(me(), notification_id, locale=current_locale())
    return render_template("admin/outbox_message.html", n=found, statuses=STATUSES)


@bp.post("/<int:notification_id>/send-again")
def send_again(notification_id: int):
    engine().notifications.send_again(notification_id, me())
    flash(_("The message is queued again; the worker sends it on its next round."), "success")
    return redirect(url_for(".index", status=_status(request.form.get("status"))))
