"""Competitors at an account: add one, change it (its sales reps too), remove it."""
from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from engine import Conflict
from engine.workspace import schemas

from ..common.current import engine, me
from ..common.fields import field_errors
from ..common.formdata import parse_form, redisplay
from . import forms

bp = Blueprint("competitors", __name__, template_folder="templates")


def _page(values: dict, errors=(), status: int = 200, message: str | None = None, **where):
    return render_template("competitors/form.html", schema=schemas.COMPETITOR, ui=forms.COMPETITOR_UI,
                           values=values, errors=field_errors(errors), message=message,
                           **where), status


@bp.route("/accounts/<account_id>/competitors/new", methods=["GET", "POST"])
def new(account_id: str):
    view = engine().accounts.get(account_id, me())
    if not view.may_edit:
        abort(403)
    where = {"account_id": view.id, "account_name": view.name, "competitor": None}
    if request.method == "GET":
        return _page({}, **where)
    typed = redisplay(schemas.COMPETITOR, request.form)
    g.redisplay = lambda status, errors, _m: _page(typed, errors, status, **where)
    engine().accounts.add_competitor(account_id, me(), parse_form(schemas.COMPETITOR, request.form))
    flash(_("The competitor was added."), "success")
    return redirect(url_for("accounts.show", account_id=account_id, _anchor="competitors"))


@bp.route("/competitors/<competitor_id>/edit", methods=["GET", "POST"])
def edit(competitor_id: str):
    competitor = engine().accounts.competitor(competitor_id, me())
    view = engine().accounts.get(competitor.account_id, me())
    if not view.may_edit:
        abort(403)
    where = {"account_id": view.id, "account_name": view.name, "competitor": competitor,
             "version": competitor.version}
    if request.method == "GET":
        document = {"name": competitor.name, "products_in_use": competitor.products_in_use,
                    "customer_satisfaction": competitor.customer_satisfaction,
                    "sales_reps": [vars(r) for r in competitor.sales_reps]}
        return _page(forms.values_of(schemas.COMPETITOR, document), **where)
    typed = redisplay(schemas.COMPETITOR, request.form)
    where["version"] = forms.version_of(request.form)
    g.redisplay = lambda status, errors, _m: _page(typed, errors, status, **where)
    try:
        engine().accounts.change_competitor(competitor_id, me(), parse_form(schemas.COMPETITOR, request.form),
                                            where["version"])
    except Conflict:
        return _page(typed, status=409, message=_("Someone else changed this competitor while you were editing "
                                                  "it. Nothing was saved; your input is still below."), **where)
    flash(_("The competitor was saved."), "success")
    return redirect(url_for("accounts.show", account_id=view.id, _anchor="competitors"))


@bp.post("/competitors/<competitor_id>/remove")
def remove(competitor_id: str):
    account_id = engine().accounts.competitor(competitor_id, me()).account_id
    engine().accounts.remove_competitor(competitor_id, me())
    flash(_("The competitor was removed."), "info")
    return redirect(url_for("accounts.show", account_id=account_id, _anchor="competitors"))
