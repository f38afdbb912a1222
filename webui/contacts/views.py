"""A contact (a person at an account): its page with the relationship stage and its history,
and the forms that add, change and remove it. The stage is read-only here."""
from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from engine import Conflict
from engine.workspace.views import AccountView, ContactView

from .. import profiles
from ..accounts import forms
from ..common.current import engine, me
from ..common.fields import field_errors
from ..common.formdata import parse_form, redisplay
from ..tasks.page import display_names

bp = Blueprint("contacts", __name__, template_folder="templates")
FIELDS = ("name", "title", "department", "department_kind", "decision_role", "top_executive", "leader",
          "public_official", "reports_to_id", "owner")


def _schema(view: AccountView, contact: ContactView | None) -> dict:
    others = [(c.id, c.name + (f" ({c.title})" if c.title else "")) for c in view.contacts
              if contact is None or c.id != contact.id]
    return forms.contact_schema(engine().accounts.people(), others)


def _page(schema: dict, view: AccountView, contact: ContactView | None, values: dict, errors=(),
          status: int = 200, message: str | None = None, version: int | None = None):
    return render_template("contacts/form.html", schema=schema, ui=forms.CONTACT_UI, values=values, view=view,
                           contact=contact, errors=field_errors(errors),
                           message=message, version=version), status


@bp.route("/accounts/<account_id>/contacts/new", methods=["GET", "POST"])
def new(account_id: str):
    view = engine().accounts.get(account_id, me())
    if not view.may_edit:
        abort(403)
    schema = _schema(view, None)
    if request.method == "GET":
        return _page(schema, view, None, forms.values_of(schema, {"owner": view.owner}))
    typed = redisplay(schema, request.form)
    g.redisplay = lambda status, errors, _m: _page(schema, view, None, typed, errors, status)
    contact_id = engine().accounts.add_contact(account_id, me(), parse_form(schema, request.form))
    flash(_("The person was added."), "success")
    return redirect(url_for(".show", contact_id=contact_id))


@bp.get("/contacts/<contact_id>")
def show(contact_id: str):
    contact = engine().accounts.contact(contact_id, me())
    view = engine().accounts.get(contact.account_id, me())
    return render_template("contacts/show.html", contact=contact, view=view, names=display_names(),
                           people={c.id: c for c in view.contacts}, privacy=profiles.panel(contact_id),
                           ledger=engine().ledger.of_contact(contact_id, me()))


@bp.route("/contacts/<contact_id>/edit", methods=["GET", "POST"])
def edit(contact_id: str):
    contact = engine().accounts.contact(contact_id, me())
    view = engine().accounts.get(contact.account_id, me())
    if not view.may_edit:
        abort(403)
    schema = _schema(view, contact)
    if request.method == "GET":
        document = {name: getattr(contact, name) for name in FIELDS}
        return _page(schema, view, contact, forms.values_of(schema, document), version=contact.version)
    typed = redisplay(schema, request.form)
    opened = forms.version_of(request.form)
    g.redisplay = lambda status, errors, _m: _page(schema, view, contact, typed, errors, status, version=opened)
    try:
        engine().accounts.change_contact(contact_id, me(), parse_form(schema, request.form), opened)
    except Conflict:
        return _page(schema, view, contact, typed, status=409, version=opened,
                     message=_("Someone else changed this person while you were editing. Nothing was saved; "
                               "your input is still below."))
    flash(_("The person was saved."), "success")
    return redirect(url_for(".show", contact_id=contact_id))


@bp.post("/contacts/<contact_id>/remove")
def remove(contact_id: str):
    account_id = engine().accounts.contact(contact_id, me()).account_id
    engine().accounts.remove_contact(contact_id, me())
    flash(_("The person was removed from the account."), "info")
    return redirect(url_for("accounts.show", account_id=account_id, _anchor="people"))
