"""The relationship ledger's forms: record an activity (from a contact or from the account),
change a stage, set a target, record a gift. Each parses the form, calls one engine use case
and goes back to the page it came from; a refusal shows the form again with every typed value
and each error beside its field."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from engine import FieldError, ValidationFailed
from engine.workspace import ledger_schemas

from ..common.current import engine, me
from ..common.fields import field_errors
from ..common.formdata import flatten, parse_form, redisplay
from . import forms
from .labels import LABELS

bp = Blueprint("ledger", __name__, template_folder="templates")


def _page(heading: str, back: str, schema: dict, ui: dict, values: dict, errors=(), status: int = 200, **more):
    return render_template("ledger/form.html", heading=heading, back=back, schema=schema, ui=ui, values=values,
                           errors=field_errors(errors), action=request.path, **more), status


def _form(heading: str, back: str, schema: dict, ui: dict, opening: dict, save, done: str):
    """GET: the form; POST: save it and go back, or show it again with what was typed."""
    if request.method == "GET":
        return _page(heading, back, schema, ui, flatten(schema, opening))
    typed = redisplay(schema, request.form)
    g.redisplay = lambda status, errors, _m: _page(heading, back, schema, ui, typed, errors, status)
    save(parse_form(schema, request.form))
    flash(done, "success")
    return redirect(back)


def _contact_and_account(contact_id: str):
    contact = engine().accounts.contact(contact_id, me())
    view = engine().accounts.get(contact.account_id, me())
    if not view.may_edit:
        abort(403)
    return contact, view


@bp.route("/contacts/<contact_id>/activities/new", methods=["GET", "POST"])
def new_activity(contact_id: str):
    contact, view = _contact_and_account(contact_id)
    return _form(_("Record an activity with %(name)s", name=contact.name),
                 url_for("contacts.show", contact_id=contact.id, _anchor="ledger"),
                 ledger_schemas.ACTIVITY, forms.ACTIVITY_UI, {"occurred_on": date.today().isoformat()},
                 lambda doc: engine().ledger.record_activity(contact.id, me(), doc), _("The activity was recorded."))


@bp.route("/accounts/<account_id>/activities/new", methods=["GET", "POST"])
def new_account_activity(account_id: str):
    view = engine().accounts.get(account_id, me())
    if not view.may_edit:
        abort(403)
    schema = forms.with_contacts(ledger_schemas.ACTIVITY, view)

    def save(doc):
        contact_id = doc.pop("contact_id", None)
        if contact_id not in {c.id for c in view.contacts}:
            raise ValidationFailed([FieldError("$.contact_id", "choose someone at this account")])
        engine().ledger.record_activity(contact_id, me(), doc)

    return _form(_("Record an activity"), url_for("accounts.show", account_id=view.id, _anchor="activities"),
                 schema, forms.ACTIVITY_UI, {"occurred_on": date.today().isoformat(),
                                             "contact_id": request.args.get("contact", "")},
                 save, _("The activity was recorded."))


@bp.route("/contacts/<contact_id>/stage", methods=["GET", "POST"])
def change_stage(contact_id: str):
    contact, _view = _contact_and_account(contact_id)
    return _form(_("Change the relationship stage with %(name)s", name=contact.name),
                 url_for("contacts.show", contact_id=contact.id, _anchor="ledger"), ledger_schemas.STAGE_CHANGE,
                 forms.STAGE_UI, {"stage": contact.relationship_stage},
                 lambda doc: engine().ledger.change_stage(contact.id, me(), doc),
                 _("The relationship stage was saved."))


@bp.route("/contacts/<contact_id>/target", methods=["GET", "POST"])
def set_target(contact_id: str):
    contact, _view = _contact_and_account(contact_id)
    current = engine().ledger.of_contact(contact.id, me()).targets.get(contact.id)
    opening = {"stage": current.stage, "due_on": current.due_on.isoformat()} if current else {}
    return _form(_("Target stage for %(name)s", name=contact.name),
                 url_for("contacts.show", contact_id=contact.id, _anchor="ledger"), ledger_schemas.TARGET,
                 forms.TARGET_UI, opening, lambda doc: engine().ledger.set_target(contact.id, me(), doc),
                 _("The target was saved."))


@bp.route("/accounts/<account_id>/gifts/new", methods=["GET", "POST"])
def new_gift(account_id: str):
    view = engine().accounts.get(account_id, me())
    if not view.may_edit:
        abort(403)
    return _form(_("Record a gift or hospitality"), url_for("accounts.show", account_id=view.id, _anchor="gifts"),
                 forms.with_contacts(ledger_schemas.GIFT, view), forms.GIFT_UI,
                 {"given_on": date.today().isoformat(), "currency": "TWD", "kind": "gift",
                  "contact_id": request.args.get("contact", "")},
                 lambda doc: engine().ledger.record_gift(view.id, me(), doc),
                 _("The gift was recorded. If it needs compliance approval, compliance has it now."))


@bp.app_context_processor
def labels() -> dict:
    return LABELS
