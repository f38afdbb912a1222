"""Admin → Groups: create, rename, describe and delete groups; add and remove their members.
Nested under the admin blueprint (admins only); the engine audits every change."""
from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from engine.text import trim
from engine.views import GroupView

from ..common.current import engine, me
from ..common.fields import GROUP_MEANINGS, field_errors, group_label, person_choices

bp = Blueprint("groups", __name__, url_prefix="/groups")


def _typed() -> dict:
    """What the admin typed, as typed: the engine checks it against the limits and says so."""
    return {"name": trim(request.form.get("name", "")), "description": trim(request.form.get("description", ""))}


def _index(values: dict, errors=(), status: int = 200):
    groups = engine().groups.list()
    return render_template("admin/groups.html", groups=groups, values=values, errors=field_errors(errors),
                           meanings=GROUP_MEANINGS), status


def _page(group: GroupView, values: dict | None = None, errors=(), status: int = 200):
    people = engine().users()
    return render_template(
        "admin/group.html", group=group, label=group_label(group.name), meaning=GROUP_MEANINGS.get(group.name),
        values=values or {"name": group.name, "description": group.description}, errors=field_errors(errors),
        names={u.username: u.display_name for u in people},
        candidates=[c for c in person_choices(people) if c[0] not in group.members],
        history=engine().groups.history(group.name, me())), status


@bp.get("/")
def index():
    return _index({"name": "", "description": ""})


@bp.post("/")
def create():
    values = _typed()
    g.redisplay = lambda status, errors, _m: _index(values, errors, status)
    group = engine().groups.create(values["name"], me(), values["description"])
    flash(_("The group “%(name)s” was created.", name=group.name), "success")
    return redirect(url_for(".show", name=group.name))


@bp.get("/<name>")
def show(name: str):
    return _page(engine().groups.get(name))


@bp.post("/<name>")
def change(name: str):
    group = engine().groups.get(name)
    values = _typed()
    if group.well_known:
        values["name"] = group.name
    g.redisplay = lambda status, errors, _m: _page(group, values, errors, status)
    changed = engine().groups.change(name, me(), new_name=values["name"], description=values["description"])
    flash(_("The changes to the group were saved."), "success")
    return redirect(url_for(".show", name=changed.name))


@bp.post("/<name>/members")
def add_member(name: str):
    group = engine().groups.get(name)
    g.redisplay = lambda status, errors, _m: _page(group, None, errors, status)
    username = request.form.get("username", "")
    engine().groups.add_member(name, username, me())
    flash(_("%(person)s was added to the group.", person=engine().user(username).display_name), "success")
    return redirect(url_for(".show", name=name, _anchor="members"))


@bp.post("/<name>/members/<username>/remove")
def remove_member(name: str, username: str):
    group = engine().groups.get(name)
    g.redisplay = lambda status, errors, _m: _page(group, None, errors, status)
    engine().groups.remove_member(name, username, me())
    flash(_("%(person)s was taken out of the group.", person=engine().user(username).display_name), "success")
    return redirect(url_for(".show", name=name, _anchor="members"))


@bp.post("/<name>/delete")
def delete(name: str):
    group = engine().groups.get(name)
    g.redisplay = lambda status, errors, message: _page(group, None, errors, status)
    engine().groups.delete(name, me())
    flash(_("The group “%(name)s” was deleted.", name=name), "success")
    return redirect(url_for(".index"))
