"""Projects: start one, list mine, see where one stands (and its files), withdraw it, print its
authorisation."""
from __future__ import annotations

import copy
from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from engine.text import trim
from engine.views import InstanceView, StartForm

from ..common import history
from ..dossier.deal import authorised_of, deal_of
from ..dossier.views import has_dossier
from ..common.current import engine, home_process, me
from ..common.formdata import parse_form, redisplay
from ..common.i18n import current_locale, form_text, select_timezone
from ..common.messages import field_errors
from ..common.process_files import process_info
from ..tasks.answers import earlier_answers
from ..tasks.page import display_names
from .diagram import render_svg

bp = Blueprint("projects", __name__, url_prefix="/projects", template_folder="templates")
OPEN = ("running", "suspended", "error")
NO_START_FORM = {"type": "object", "properties": {}}


def _visible(iid: str) -> InstanceView:
    view = engine().instance(iid)             # NotFound -> 404 before any permission question
    if not engine().may_view(iid, me()):
        abort(403)
    return view


@bp.get("/")
def index():
    return render_template("projects/index.html", projects=engine().instances(owner=me(), projects_only=True),
                           reviewed=engine().instances(reviewed_by=me(), projects_only=True))


def _with_accounts(start: StartForm) -> dict:
    """The start form, its account field (a key-account process) a choice of the user's accounts."""
    schema = copy.deepcopy(start.schema or NO_START_FORM)
    field = (schema.get("properties") or {}).get(start.account_field or "")
    if field is not None:
        choices = [{"const": i, "title": name} for i, name in engine().accounts.startable(me())]
        if choices:
            field["oneOf"] = choices
        else:                                   # nothing to pick: the customer form creates the account
            del schema["properties"][start.account_field]
    return schema


def _start_page(start: StartForm, schema: dict, values: dict, errors=(), status: int = 200):
    return render_template("projects/new.html", start=start, schema=schema, ui=start.ui_schema or {},
                           values=values, action=url_for(".new"), errors=field_errors(errors)), status


@bp.route("/new", methods=["GET", "POST"])
def new():
    """The process's own start form (the key-account process asks for the project's name and,
    picked from the user's accounts, the account it belongs to)."""
    start = engine().start_form(home_process())
    schema = _with_accounts(start)
    if request.method == "GET":
        chosen = request.args.get("account", "")
        return _start_page(start, schema, {start.account_field: chosen} if start.account_field and chosen else {})
    typed = redisplay(schema, request.form)
    g.redisplay = lambda status, errors, _m: _start_page(start, schema, typed, errors, status)
    iid = engine().start(start.process_id, me(), parse_form(schema, request.form))
    flash(_("Project started. Your first tasks are listed below."), "success")
    return redirect(url_for(".show", iid=iid))


def _diagram(iid: str) -> str | None:
    progress = engine().diagram(iid)
    return _svg(progress["bpmn"], progress["process_id"], tuple(progress["completed"]), tuple(progress["current"]),
                current_locale(), str(engine().forms_dir))


@lru_cache(maxsize=64)
def _svg(bpmn: str, process_id: str, completed: tuple, current: tuple, locale: str, _catalogs: str) -> str | None:
    """The drawing depends only on these (the locale and the forms folder decide what `form_text`
    answers), so it is drawn once and kept."""
    try:
        return render_svg(bpmn, process_id, completed, current, translate=form_text)
    except ValueError:               # a BPMN file without a diagram
        return None


def _steps(view: InstanceView, info) -> list[tuple[str, str]]:
    """The process's steps in order, each done, open now or not reached: the diagram on a phone."""
    done = {e.bpmn_id for e in view.history if e.kind == "completed"}
    current = {t.bpmn_id for t in view.tasks}
    return [(form_text(info.names.get(step) or step),
             "current" if step in current else "completed" if step in done else "ahead")
            for step in info.user_tasks]


@bp.get("/<iid>")
def show(iid: str):
    view = _visible(iid)
    info = process_info(iid)
    dossier = has_dossier(view)
    today = datetime.now(ZoneInfo(select_timezone())).date()     # an unknown stored zone reads as UTC
    return render_template("projects/show.html", view=view, diagram=_diagram(iid), steps=_steps(view, info),
                           home=view.process_id == home_process(),
                           names_of_elements=info.names,
                           deal=deal_of(view, earlier_answers(view, info)) if dossier else None,
                           authorised=authorised_of(view, today),
                           timeline=history.timeline(view, info, display_names()), names=display_names(),
                           files=engine().attachments.list(iid, me()),
                           can_withdraw=view.owner == me() and view.status in OPEN, has_dossier=dossier,
                           coverage=engine().ledger.coverage(iid, me()) if view.account_id else None)


@bp.route("/<iid>/withdraw", methods=["GET", "POST"])
def withdraw(iid: str):
    view = _visible(iid)
    reason = trim(request.form.get("reason", ""))
    g.redisplay = lambda status, errors, _m: (render_template(
        "projects/withdraw.html", view=view, reason=reason, errors=field_errors(errors)), status)
    if request.method == "GET":
        return render_template("projects/withdraw.html", view=view, reason="", errors={})
    engine().withdraw(iid, me(), reason)
    flash(_("The project was withdrawn."), "info")
    return redirect(url_for(".show", iid=iid))


@bp.get("/<iid>/authorisation")
def authorisation(iid: str):
    view = _visible(iid)
    if view.outcome != "established" or "authorisation" not in view.data:
        abort(404)
    info = process_info(iid)
    return render_template("projects/authorisation.html", view=view, record=view.data["authorisation"],
                           approvals=history.approvals(view, info, display_names()),
                           authorised=history.completion_of(view, "authorisation"), names=display_names(),
                           schema=info.forms.get("authorisation") or {})
