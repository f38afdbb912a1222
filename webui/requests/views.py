"""Requests: the processes the catalog lets me start, each with its description, and my requests
of every process but the home one (whose instances are projects)."""
from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from engine.views import StartForm

from ..common.current import engine, home_process, me
from ..common.formdata import errors_by_field, parse_form, redisplay
from ..common.i18n import current_locale, form_text

bp = Blueprint("requests", __name__, url_prefix="/requests", template_folder="templates")
NO_START_FORM = {"type": "object", "properties": {}}


@bp.get("/")
def index():
    home = home_process()
    return render_template("requests/index.html", home=home, locale=current_locale(),
                           offered=engine().process_catalog.startable(me()),
                           requests=engine().instances(owner=me(), requests_only=True))


def _start_page(start: StartForm, values: dict, errors=(), status: int = 200):
    return render_template("projects/new.html", start=start, schema=start.schema or NO_START_FORM,
                           ui=start.ui_schema or {}, values=values, action=url_for(".new", process_id=start.process_id),
                           errors=errors_by_field(errors, translate=form_text)), status


@bp.route("/new/<process_id>", methods=["GET", "POST"])
def new(process_id: str):
    """Any process's own start form (many ask for nothing: the page is a confirmation)."""
    if process_id == home_process():
        return redirect(url_for("projects.new"))
    start = engine().start_form(process_id)
    schema = start.schema or NO_START_FORM
    if request.method == "GET":
        return _start_page(start, {})
    typed = redisplay(schema, request.form)
    g.redisplay = lambda status, errors, _m: _start_page(start, typed, errors, status)
    iid = engine().start(start.process_id, me(), parse_form(schema, request.form))
    flash(_("Request started. Your first tasks are listed below."), "success")
    return redirect(url_for("projects.show", iid=iid))
