"""Admin → Users: list, create and edit people; deactivate and reactivate them; hand a
leaver's open tasks to someone else. Nested under the admin blueprint (admins only)."""
from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from engine import FieldError, ValidationFailed
from engine.directory import WELL_KNOWN
from engine.text import trim
from engine.views import UserView

from ..common.current import engine, me
from ..common.fields import field_errors, group_label, out_of_office, person_choices, zone_choices

bp = Blueprint("users", __name__, url_prefix="/users")
TEXT_FIELDS = ("username", "display_name", "email", "department", "reports_to", "time_zone")


def _typed(username: str | None = None) -> dict:
    """What the admin typed, to save and to show again."""
    values = {name: trim(request.form.get(name, "")) for name in TEXT_FIELDS}   # the engine checks each
    values["groups"] = request.form.getlist("groups")
    if username:
        values["username"] = username
    return values


def _values_of(person: UserView) -> dict:
    return {"username": person.username, "display_name": person.display_name, "email": person.email or "",
            "department": person.department or "", "reports_to": person.reports_to or "",
            "time_zone": person.time_zone, "groups": list(person.groups)}


def _form(values: dict, person: UserView | None = None, errors=(), status: int = 200):
    return render_template("admin/user_form.html", values=values, person=person, errors=field_errors(errors),
                           group_options=[(name, group_label(name)) for name in _group_order()],
                           people=person_choices(engine().users()),
                           zones=zone_choices(values.get("time_zone"))), status


def _group_order() -> list[str]:
    """The well-known groups in the order of the process (rep first), then the others by name."""
    names = [grp.name for grp in engine().groups.list()]
    return [n for n in WELL_KNOWN if n in names] + [n for n in names if n not in WELL_KNOWN]


def _save(values: dict, password: str | None, active: bool) -> UserView:
    return engine().add_user(values["username"], groups=values["groups"], department=values["department"] or None,
                             reports_to=values["reports_to"] or None, email=values["email"] or None,
                             password=password, display_name=values["display_name"] or None,
                             time_zone=values["time_zone"] or None, active=active, actor=me())


@bp.get("/")
def index():
    people = engine().users()
    return render_template("admin/users.html", people=people, away={u.username: out_of_office(u) for u in people},
                           names={u.username: u.display_name for u in people})


@bp.route("/new", methods=["GET", "POST"])
def new():
    if request.method == "GET":
        return _form({"time_zone": "Asia/Taipei", "groups": []})
    values = _typed()
    g.redisplay = lambda status, errors, _m: _form(values, None, errors, status)
    if any(u.username == values["username"] for u in engine().users()):
        raise ValidationFailed([FieldError("$.username", _("This username is already taken."))])
    person = _save(values, request.form.get("password", ""), active=True)    # "" -> "too short"
    flash(_("%(name)s was added.", name=person.display_name), "success")
    return redirect(url_for(".index"))


@bp.route("/<username>", methods=["GET", "POST"])
def edit(username: str):
    person = engine().user(username)
    if request.method == "GET":
        return _form(_values_of(person), person)
    values = _typed(username)
    g.redisplay = lambda status, errors, _m: _form(values, person, errors, status)
    _save(values, request.form.get("password") or None, active=person.active)
    flash(_("The changes to %(name)s were saved.", name=values["display_name"] or username), "success")
    return redirect(url_for(".index"))


@bp.post("/<username>/active")
def set_active(username: str):
    person = engine().user(username)
    active = request.form.get("active") == "yes"
    g.redisplay = lambda status, errors, _m: _form(_values_of(person), person, errors, status)
    if not active and username == me():
        raise ValidationFailed([FieldError("$.active", _("You cannot deactivate your own account."))])
    engine().admin.set_active(username, active, me())
    flash(_("%(name)s can sign in again.", name=person.display_name) if active else
          _("%(name)s was deactivated and signed out everywhere.", name=person.display_name), "success")
    return redirect(url_for(".edit", username=username))


@bp.post("/<username>/handover")
def handover(username: str):
    person = engine().user(username)
    to_user = request.form.get("to_user", "")
    g.redisplay = lambda status, errors, _m: _form(_values_of(person), person, errors, status)
    moved = engine().admin.handover(username, to_user, me())
    flash(ngettext("%(num)d open task was handed over to %(name)s.",
                   "%(num)d open tasks were handed over to %(name)s.", moved,
                   name=engine().user(to_user).display_name), "success")
    return redirect(url_for(".edit", username=username))
