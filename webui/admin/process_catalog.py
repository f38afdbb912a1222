"""Admin → Process catalog: who may start each deployed process, its description in both
languages, and which process is the home one. Nested under the admin blueprint (admins only);
the engine audits every change."""
from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from engine import NotFound

from ..common.current import engine, me
from ..common.fields import field_errors, group_label

bp = Blueprint("catalog", __name__, url_prefix="/catalog")
LANGUAGES = (("zh_Hant", "繁體中文"), ("en", "English"))


def _entry(process_id: str):
    found = [e for e in engine().process_catalog.entries() if e.process_id == process_id]
    if not found:
        raise NotFound(f"No deployed process {process_id!r}")
    return found[0]


def _page(entry, values: dict, errors=(), status: int = 200):
    groups = [(grp.name, group_label(grp.name)) for grp in engine().groups.list()]
    return render_template("admin/catalog_entry.html", entry=entry, values=values, groups=groups,
                           languages=LANGUAGES, errors=field_errors(errors)), status


@bp.get("/")
def index():
    return render_template("admin/catalog.html", entries=engine().process_catalog.entries())


@bp.get("/<process_id>")
def show(process_id: str):
    entry = _entry(process_id)
    return _page(entry, {"offered": entry.offered, "home": entry.home, "groups": entry.groups,
                         **{f"descriptions.{code}": entry.descriptions.get(code, "") for code, _n in LANGUAGES}})


@bp.post("/<process_id>")
def change(process_id: str):
    entry = _entry(process_id)
    values = {"offered": request.form.get("offered") == "yes", "home": request.form.get("home") == "yes",
              "groups": request.form.getlist("groups"),
              **{f"descriptions.{code}": request.form.get(f"descriptions.{code}", "")[:4000]
                 for code, _n in LANGUAGES}}
    g.redisplay = lambda status, errors, _m: _page(entry, values, errors, status)
    engine().process_catalog.change(process_id, me(), offered=values["offered"], groups=values["groups"],
                                    descriptions={code: values[f"descriptions.{code}"] for code, _n in LANGUAGES},
                                    home=values["home"])
    flash(_("The catalog entry was saved."), "success")
    return redirect(url_for(".index"))
