"""Admin → Relationship ledger: after how many quiet days a person is going cold, the gift value
above which compliance approves, and whether the proposal warns or blocks without coverage."""
from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..common.current import engine, me
from ..common.fields import field_errors
from ..common.formdata import flatten, parse_form, redisplay
from ..ledger.forms import SETTINGS, SETTINGS_UI

bp = Blueprint("workspace", __name__, url_prefix="/workspace")


def _page(values: dict, errors=(), status: int = 200):
    return render_template("admin/workspace.html", schema=SETTINGS, ui=SETTINGS_UI, values=values,
                           errors=field_errors(errors)), status


@bp.route("/", methods=["GET", "POST"])
def index():
    if request.method == "GET":
        current = engine().ledger.settings().document()
        current["gift_threshold_amount"] = float(current["gift_threshold_amount"])
        return _page(flatten(SETTINGS, current))
    typed = redisplay(SETTINGS, request.form)
    g.redisplay = lambda status, errors, _m: _page(typed, errors, status)
    engine().ledger.change_settings(me(), parse_form(SETTINGS, request.form))
    flash(_("The settings were saved."), "success")
    return redirect(url_for(".index"))
