"""Projects: start one, list mine, see where one stands, withdraw it, print its authorisation."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from engine.views import InstanceView

from . import history
from .current import engine, me
from .diagram import render_svg
from .formdata import errors_by_field
from .i18n import current_locale, form_text
from .process_files import process_info
from .taskpage import display_names

bp = Blueprint("projects", __name__, url_prefix="/projects")
OPEN = ("running", "suspended", "error")


def _visible(iid: str) -> InstanceView:
    view = engine().instance(iid)             # NotFound -> 404 before any permission question
    if not engine().may_view(iid, me()):
        abort(403)
    return view


@bp.get("/")
def index():
    return render_template("projects/index.html", projects=engine().instances(owner=me()))


@bp.route("/new", methods=["GET", "POST"])
def new():
    name = request.form.get("project_name", "").strip()
    g.redisplay = lambda status, errors, _m: (render_template(
        "projects/new.html", name=name, errors=errors_by_field(errors, translate=form_text)), status)
    if request.method == "GET":
        return render_template("projects/new.html", name="", errors={})
    iid = engine().start(current_app.config["PROCESS_ID"], me(), {"project_name": name})
    flash(_("Project started. Your first tasks are listed below."), "success")
    return redirect(url_for(".show", iid=iid))


def _diagram(view: InstanceView) -> str | None:
    progress = engine().diagram(view.id)
    names = process_info(view).names
    labels = {k: form_text(v) for k, v in names.items()} if current_locale() != "en" else None
    try:
        return render_svg(progress["bpmn"], progress["process_id"], progress["completed"], progress["current"],
                          labels)
    except ValueError:               # a BPMN file without a diagram
        return None


@bp.get("/<iid>")
def show(iid: str):
    view = _visible(iid)
    info = process_info(view)
    return render_template("projects/show.html", view=view, diagram=_diagram(view),
                           timeline=history.timeline(view, info, display_names()), names=display_names(),
                           can_withdraw=view.owner == me() and view.status in OPEN)


@bp.route("/<iid>/withdraw", methods=["GET", "POST"])
def withdraw(iid: str):
    view = _visible(iid)
    if request.method == "GET":
        return render_template("projects/withdraw.html", view=view)
    engine().withdraw(iid, me(), request.form.get("reason", "").strip()[:2000])
    flash(_("The project was withdrawn."), "info")
    return redirect(url_for(".show", iid=iid))


@bp.get("/<iid>/authorisation")
def authorisation(iid: str):
    view = _visible(iid)
    if view.outcome != "established" or "authorisation" not in view.data:
        abort(404)
    info = process_info(view)
    return render_template("projects/authorisation.html", view=view, record=view.data["authorisation"],
                           approvals=history.approvals(view, info, display_names()),
                           authorised=history.completion_of(view, "authorisation"), names=display_names(),
                           schema=info.forms.get("authorisation") or {})
