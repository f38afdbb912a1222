"""The one place engine errors and HTTP errors become pages, in the user's language.

A view that renders a form sets `g.redisplay(status, field_errors, message)`, so a
validation error (422) or a conflict (409) shows that same form again with everything
the user typed; every other error gets a short page of its own.
"""
from __future__ import annotations

from flask import Blueprint, current_app, g, render_template
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from engine import Conflict, DeployError, EngineError, NotAllowed, NotFound, ProcessError, ValidationFailed

from ..attachments.views import MAX_MB

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
        500: (_("Something went wrong"), _("The system could not finish this step. An administrator has been "
                                           "notified and nothing you entered was lost.")),
    }.get(status, (_("Error"), _("Something went wrong.")))


def error_page(status: int, detail: str | None = None):
    title, text = _texts(status)
    return render_template("errors/error.html", status=status, title=title, text=text, detail=detail), status


@bp.app_errorhandler(EngineError)
def engine_error(exc: EngineError):
    redisplay = g.get("redisplay")
    if isinstance(exc, ValidationFailed):
        return redisplay(422, exc.errors, None) if redisplay else error_page(422)
    if isinstance(exc, Conflict):
        message = _("Someone else completed this task while you were working on it. Nothing was saved; "
                    "your input is still below so you can copy it.")
        return redisplay(409, [], message) if redisplay else error_page(409)
    if isinstance(exc, NotFound):
        return error_page(404)
    if isinstance(exc, NotAllowed):
        return error_page(403)
    if isinstance(exc, DeployError):       # the deploy page shows it beside the upload, nothing deployed
        return redisplay(422, [], str(exc)) if redisplay else error_page(422, str(exc))
    if isinstance(exc, ProcessError):
        current_app.logger.error("process error (incident %s): %s", exc.incident_id, exc)
        return error_page(500, _("Reference number: %(id)s", id=exc.incident_id) if exc.incident_id else None)
    current_app.logger.exception("engine error")
    return error_page(500)


@bp.app_errorhandler(CSRFError)
def csrf_error(exc: CSRFError):
    return error_page(400, _("The form had expired or came from somewhere else. Reload the page and try again."))


@bp.app_errorhandler(HTTPException)
def http_error(exc: HTTPException):
    if exc.code is None or exc.code < 400:
        return exc
    return error_page(exc.code)
