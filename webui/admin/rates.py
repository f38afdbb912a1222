"""Admin → Exchange rates: the dated rates that convert every deal size into the base currency."""
from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from engine.workspace.currency import RATE

from ..common.current import engine, me
from ..common.messages import field_errors
from ..common.formdata import parse_form, redisplay

bp = Blueprint("rates", __name__, url_prefix="/rates")
UI = {"ui:order": ["currency", "valid_from", "rate"], "currency": {"ui:widget": "select"},
      "valid_from": {"ui:widget": "date"}}


def _schema() -> dict:
    """The rate form without the base currency among the choices."""
    base = engine().rates.base
    currency = {**RATE["properties"]["currency"],
                "oneOf": [o for o in RATE["properties"]["currency"]["oneOf"] if o["const"] != base]}
    return {**RATE, "properties": {**RATE["properties"], "currency": currency}}


def _page(values: dict, errors=(), status: int = 200):
    return render_template("admin/rates.html", rates=engine().rates.list(), base=engine().rates.base,
                           schema=_schema(), ui=UI, values=values, errors=field_errors(errors)), status


@bp.route("/", methods=["GET", "POST"])
def index():
    if request.method == "GET":
        return _page({})
    schema = _schema()
    typed = redisplay(schema, request.form)
    g.redisplay = lambda status, errors, _m: _page(typed, errors, status)
    engine().rates.set(me(), parse_form(schema, request.form))
    flash(_("The exchange rate was saved."), "success")
    return redirect(url_for(".index"))
