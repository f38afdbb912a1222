"""Leavers: hand one account, or every account of a leaver, to a successor (managers above the
owner, admins), and the successor's confirmation of each handed-over person's stage."""
from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from engine.workspace import handover
from engine.workspace.views import Handover

from ..common.current import engine, me
from ..common.fields import N_, field_errors
from ..common.formdata import flatten, parse_form, redisplay
from ..common.i18n import list_separator
from ..ledger import forms as ledger_forms
from ..tasks.page import display_names
from . import forms

bp = Blueprint("handover", __name__, template_folder="templates")
ENGINE_MESSAGES = (N_("already looks after these accounts"),)     # for the catalog
SUCCESSOR_UI = {"ui:order": ["successor"], "successor": {"ui:widget": "select"}}


def _schema(leaver: str) -> dict:
    """The handover form with the successor picked from the active users, the leaver left out."""
    return forms.with_people(handover.HANDOVER, [u for u in engine().accounts.people() if u.username != leaver])


def _page(schema: dict, values: dict, errors=(), status: int = 200, **more):
    return render_template("accounts/handover.html", schema=schema, ui=SUCCESSOR_UI, values=values,
                           errors=field_errors(errors), action=request.path, names=display_names(), **more), status


def _hand_over(leaver: str, save, **more):
    """GET: the form; POST: hand over and go on to `back`, or show the form again as typed."""
    schema = _schema(leaver)
    if request.method == "GET":
        return _page(schema, {}, leaver=leaver, **more)
    typed = redisplay(schema, request.form)
    g.redisplay = lambda status, errors, _m: _page(schema, typed, errors, status, leaver=leaver, **more)
    done: Handover = save(parse_form(schema, request.form))
    names = display_names()
    flash(ngettext("%(num)d account was handed over to %(name)s; %(people)s people there wait for their stage "
                   "to be confirmed.", "%(num)d accounts were handed over to %(name)s; %(people)s people there "
                   "wait for their stages to be confirmed.", len(done.account_ids),
                   name=names.get(done.successor, done.successor), people=done.contacts), "success")
    if done.open_projects:
        flash(_("Open projects stay with %(name)s: %(projects)s. An admin hands over their open tasks on the "
                "user's page.", name=names.get(done.leaver, done.leaver),
                projects=list_separator().join(f"#{p.number} {p.project_name}" for p in done.open_projects)), "warning")
    return redirect(more["back"])


@bp.route("/accounts/<account_id>/handover", methods=["GET", "POST"])
def account(account_id: str):
    view = engine().accounts.get(account_id, me())
    if not view.may_hand_over:
        abort(403)
    back = url_for("accounts.show", account_id=view.id)
    return _hand_over(view.owner, lambda doc: engine().accounts.hand_over(view.id, me(), doc), view=view, back=back)


@bp.route("/accounts/owned-by/<username>/handover", methods=["GET", "POST"])
def every_account(username: str):
    leaver = engine().user(username)                                 # 404 for nobody
    if not engine().accounts.may_hand_over(leaver.username, me()):
        abort(403)
    owned = engine().accounts.list(me(), owner=leaver.username, limit=500).accounts
    back = url_for("accounts.index", owner=leaver.username)
    return _hand_over(leaver.username, lambda doc: engine().accounts.hand_over_all(leaver.username, me(), doc),
                      owned=owned, back=back)


@bp.route("/contacts/<contact_id>/confirm-stage", methods=["GET", "POST"])
def confirm_stage(contact_id: str):
    """The successor keeps the stage, or sets another with a reason (a rise needs a marker activity)."""
    contact = engine().accounts.contact(contact_id, me())
    if contact.stage_confirm_by != me():
        abort(403)
    back = url_for("contacts.show", contact_id=contact.id)
    schema = handover.CONFIRMATION

    def page(values, errors=(), status=200):
        return render_template("ledger/form.html", heading=_("Confirm the relationship stage with %(name)s",
                                                              name=contact.name),
                               help=_("You took %(name)s over from a colleague. Keep the stage if it is right; "
                                      "set it lower with a reason if it is not. A higher stage needs a marker "
                                      "activity recorded since the last change.", name=contact.name),
                               back=back, schema=schema, ui=ledger_forms.STAGE_UI, values=values,
                               errors=field_errors(errors), action=request.path), status

    if request.method == "GET":
        return page(flatten(schema, {"stage": contact.relationship_stage} if contact.relationship_stage else {}))
    typed = redisplay(schema, request.form)
    g.redisplay = lambda status, errors, _m: page(typed, errors, status)
    engine().accounts.confirm_stage(contact.id, me(), parse_form(schema, request.form))
    flash(_("The relationship stage was confirmed."), "success")
    return redirect(back)
