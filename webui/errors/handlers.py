"""The one place engine errors and HTTP errors become pages, in the user's language, or
problem details (problems.py) for the JSON API.

A view that renders a form sets `g.redisplay(status, field_errors, message)`, so any
failure of what the form sent - a validation error (422), a conflict (409), a database
that stayed busy (503), a process error or an unexpected one (500) - shows that same form
again with everything the user typed and a message saying what happened. Every other
error gets a short page of its own. No page claims more than is known: after an
unexpected failure it says the step may not have been saved.
"""
from __future__ import annotations

from flask import Blueprint, abort, current_app, g, render_template
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from engine import Busy, Conflict, DeployError, EngineError, NotAllowed, NotFound, ProcessError, ValidationFailed
from engine.text import has_control

from ..attachments.views import MAX_MB
from . import problems

bp = Blueprint("errors", __name__, template_folder="templates")


def _texts(status: int) -> tuple[str, str]:
    return {
        400: (_("Bad request"), _("The page could not understand what was sent. Please go back and try again.")),
        403: (_("Not allowed"), _("You do not have access to this page. If you think you should, ask your "
                                  "manager or an administrator.")),
        404: (_("Not found"), _("There is no such page, task or project. It may have been removed.")),
        405: (_("Not allowed"), _("This page cannot be used that way.")),
        409: (_("Someone else got there first"), _("Someone else completed or changed this while you were "
                                                   "working on it. Reload the page to see where it stands now.")),
        413: (_("Too large"), _("What you sent is larger than allowed. A file may be at most %(mb)s MB: go back, "
                                 "choose a smaller file and try again.", mb=MAX_MB)),
        422: (_("The input has errors"), _("Please go back and correct the form.")),
        500: (_("Something went wrong"), _("The system could not finish this request; the error was logged "
                                           "for the administrators. If you were sending a form, go back: your "
                                           "browser may still show what you typed. Check whether the step was "
                                           "saved before you send it again.")),
        503: (_("Too busy"), _("The system was too busy to save this step, so nothing was saved. Please go "
                               "back and send it again.")),
    }.get(status, (_("Error"), _("Something went wrong.")))


def error_page(status: int, detail: str | None = None):
    title, text = _texts(status)
    return render_template("errors/error.html", status=status, title=title, text=text, detail=detail), status


def _redisplay(status: int, errors, message: str | None):
    """The form the user sent, shown again; None when there is no form to show (or it cannot
    be drawn right now, e.g. the database is gone). A message about the whole step (not a
    field) goes above the page, where every form page shows it."""
    redisplay = g.get("redisplay")
    if redisplay is None:
        return None
    if status != 422:
        g.alert, message = message, None
    try:
        return redisplay(status, errors, message)
    except Exception:   # noqa: BLE001 - fall back to the plain error page
        current_app.logger.exception("could not show the form again")
        return None


@bp.app_url_value_preprocessor
def no_control_characters_in_paths(endpoint, values):
    """An address part with control characters names nothing we store: 404 before any lookup
    (PostgreSQL would answer a NUL in a key with an error, not with no rows)."""
    if any(isinstance(v, str) and has_control(v) for v in (values or {}).values()):
        abort(404)


@bp.app_errorhandler(EngineError)
def engine_error(exc: EngineError):
    if problems.wanted():
        return problems.from_engine(exc)
    if isinstance(exc, ValidationFailed):
        return _redisplay(422, exc.errors, None) or error_page(422)
    if isinstance(exc, Busy):
        current_app.logger.warning("database stayed busy: %s", exc)
        message = _("The system was too busy to save this step, so nothing was saved. Your input is still "
                    "below: please send it again.")
        return _redisplay(503, [], message) or error_page(503)
    if isinstance(exc, Conflict):
        message = _("Someone else completed this task while you were working on it. Nothing was saved; "
                    "your input is still below so you can copy it.")
        return _redisplay(409, [], message) or error_page(409)
    if isinstance(exc, NotFound):
        return error_page(404)
    if isinstance(exc, NotAllowed):
        return error_page(403)
    if isinstance(exc, DeployError):       # the deploy page shows it beside the upload, nothing deployed
        return _redisplay(422, [], str(exc)) or error_page(422, str(exc))
    if isinstance(exc, ProcessError):
        current_app.logger.error("process error (incident %s): %s", exc.incident_id, exc)
        if exc.incident_id:
            reference = _("Reference number: %(id)s", id=exc.incident_id)
            message = _("The process could not go on after this step and has stopped; the step was not "
                        "completed. An administrator has been notified and has a copy of what you entered.")
        else:
            reference, message = None, _("The process could not run this step; nothing was saved.")
        return _redisplay(500, [], f"{message} {reference or ''}".strip()) or error_page(500, reference)
    current_app.logger.exception("engine error")
    return _redisplay(500, [], _unexpected()) or error_page(500)


def _unexpected() -> str:
    return _("The system could not finish this step, and it may not have been saved. What you entered is "
             "still below: copy it, or check the project before you send it again.")


@bp.app_errorhandler(Exception)
def unexpected_error(exc: Exception):
    """Anything else that breaks while a form is being handled: the form comes back with
    the user's input. Without a form, the failure goes on to the plain 500 page."""
    if isinstance(exc, HTTPException) or g.get("redisplay") is None:
        raise exc
    current_app.logger.error("unexpected failure while handling a form", exc_info=exc)
    page = _redisplay(500, [], _unexpected())
    if page is None:
        raise exc
    return page


@bp.app_errorhandler(CSRFError)
def csrf_error(exc: CSRFError):
    return error_page(400, _("The form had expired or came from somewhere else. Reload the page and try again."))


@bp.app_errorhandler(HTTPException)
def http_error(exc: HTTPException):
    if exc.code is None or exc.code < 400:
        return exc
    if problems.wanted():
        return problems.from_http(exc)
    return error_page(exc.code)
