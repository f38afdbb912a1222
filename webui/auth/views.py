"""Signing in and out, and the guard that makes every page but /login need a signed-in user.

Session data lives in the engine (webui/sessions.py); the signed cookie holds only a
token. Signing in opens a new session, signing out closes it.
"""
from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from engine import NotFound, TooManyAttempts
from engine.text import trim

from ..common.current import engine
from ..common.i18n import local_time
from ..common.messages import field_errors
from ..common.redirects import safe_next
from ..errors import problems

bp = Blueprint("auth", __name__, template_folder="templates")
PUBLIC = {"auth.login", "i18n.language", "static", "health.live", "health.ready"}


def _restart(**data) -> None:
    """Close the current session and start afresh, keeping only the language."""
    keep = {k: session[k] for k in ("lang",) if k in session}
    session.clear()
    session.restart()
    session.update(keep, **data)
    session.permanent = True


def sign_in(username: str) -> None:
    _restart(uid=username)


def sign_out() -> None:
    _restart()


def require_login():
    """before_request: load g.user, or send the visitor to the login page.

    The engine hands out no session of a deactivated user, so `uid` is only ever an
    active user's; the check below covers a user removed since.
    """
    g.user = None
    if request.endpoint == "static" or problems.wanted():
        return None                  # the API signs in each request by its token (webui/api/auth.py)
    uid = session.get("uid")
    if uid:
        known = getattr(session, "user", None)      # found with the session, in the same statement
        try:
            g.user = known if known is not None and known.username == uid else engine().user(uid)
        except NotFound:
            g.user = None
        if g.user is None or not g.user.active:
            sign_out()
            g.user = None
    if g.user is None and request.endpoint not in PUBLIC:
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")
                                if request.method == "GET" else None))
    return None


@bp.route("/login", methods=["GET", "POST"])
def login():
    target = safe_next(request.values.get("next"), url_for("inbox.index"))
    if request.method == "GET":
        return redirect(target) if g.user else render_template("auth/login.html", next=target)
    username = trim(request.form.get("username", ""))
    g.redisplay = lambda status, errors, _m: (render_template(
        "auth/login.html", next=target, username=username, errors=field_errors(errors)), status)
    try:                                                                          # a bad name: 422
        person = engine().authenticate(username, request.form.get("password", ""), request.remote_addr or "unknown")
    except TooManyAttempts as exc:
        return render_template("auth/login.html", next=target, username=username, error=_(
            "Too many failed sign-ins. For your security, please wait and try again after %(time)s.",
            time=local_time(exc.retry_at, "HH:mm"))), 429
    if person is None:
        return render_template("auth/login.html", next=target, username=username,
                               error=_("Wrong username or password.")), 401
    sign_in(person.username)
    return redirect(target)


@bp.post("/logout")
def logout():
    sign_out()
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))
