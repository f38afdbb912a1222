"""A contact's personal profile, on a page of its own so that every look at it is a deliberate,
logged view (the contact page only links to it). Pages holding it are never cached."""
from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from engine import Conflict
from engine.workspace.profiles import SCHEMA

from ..accounts.forms import values_of, version_of
from ..common.current import engine, me
from ..common.messages import field_errors
from ..common.formdata import parse_form, redisplay
from ..tasks.page import display_names

bp = Blueprint("profiles", __name__, template_folder="templates")
LONG = {"ui:widget": "textarea"}
UI = {"ui:order": list(SCHEMA["properties"]), "birthday": {"ui:widget": "date"},
      **{name: LONG for name in SCHEMA["properties"] if name != "birthday"}}


def panel(contact_id: str) -> dict:
    """What the contact page shows about the profile: the links one may follow, and the access log."""
    rights = engine().personal.rights(contact_id, me())
    log = engine().personal.access_log(contact_id, me()) if rights.read_log else None
    return {"rights": rights, "log": log}


@bp.after_request
def _never_cached(response):
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/contacts/<contact_id>/profile")
def show(contact_id: str):
    profile = engine().personal.profile(contact_id, me())
    return render_template("profiles/show.html", profile=profile, schema=SCHEMA, names=display_names())


def _page(contact, values: dict, errors=(), status: int = 200, message: str | None = None,
          version: int | None = None):
    return render_template("profiles/form.html", contact=contact, schema=SCHEMA, ui=UI, values=values,
                           errors=field_errors(errors), message=message, version=version), status


@bp.route("/contacts/<contact_id>/profile/edit", methods=["GET", "POST"])
def edit(contact_id: str):
    if not engine().personal.rights(contact_id, me()).edit:
        abort(403)
    contact = engine().accounts.contact(contact_id, me())
    if request.method == "GET":
        profile = engine().personal.profile(contact_id, me())       # opening the form is a view too
        return _page(contact, values_of(SCHEMA, profile.values), version=profile.version)
    typed = redisplay(SCHEMA, request.form)
    opened = version_of(request.form)
    g.redisplay = lambda status, errors, _m: _page(contact, typed, errors, status, version=opened)
    try:
        engine().personal.save_profile(contact_id, me(), parse_form(SCHEMA, request.form), opened)
    except Conflict:
        return _page(contact, typed, status=409, version=opened,
                     message=_("Someone else changed this profile while you were editing. Nothing was saved; "
                               "your input is still below."))
    flash(_("The personal profile was saved."), "success")
    return redirect(url_for(".show", contact_id=contact_id))


@bp.route("/contacts/<contact_id>/profile/erase", methods=["GET", "POST"])
def erase(contact_id: str):
    rights = engine().personal.rights(contact_id, me())
    if not rights.erase:
        abort(403)
    contact = engine().accounts.contact(contact_id, me())
    if request.method == "GET":
        return render_template("profiles/erase.html", contact=contact)
    engine().personal.erase_profile(contact_id, me())
    flash(_("The personal profile was erased. The person stays on the account."), "info")
    return redirect(url_for("contacts.show", contact_id=contact_id))
