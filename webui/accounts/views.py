"""Accounts: the list (search, type, owner, tier, pages), one account's page, and the forms that
create it, change its profile and change who looks after it."""
from __future__ import annotations

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from engine import Conflict
from engine.workspace import rules, schemas

from ..common.current import engine, me
from ..common.fields import field_errors
from ..common.formdata import parse_form, redisplay
from ..tasks.page import display_names
from . import forms
from .influence import influence_map
from .labels import LABELS
from .timeline import account_timeline

bp = Blueprint("accounts", __name__, url_prefix="/accounts", template_folder="templates")


def changed_meanwhile() -> str:
    return _("Someone else changed this account while you were editing it. Nothing was saved; your input is "
             "still below. Reload the page to see their change.")


@bp.get("/")
def index():
    args = {name: request.args.get(name, "").strip()[:200] for name in ("q", "type", "owner", "tier")}
    args["type"] = args["type"] if args["type"] in rules.ACCOUNT_TYPES else ""
    args["tier"] = args["tier"] if args["tier"] in rules.TIERS else ""
    size = current_app.config["PAGE_SIZE"]
    page = max(request.args.get("page", 1, type=int), 1)
    found = engine().accounts.list(me(), search=args["q"] or None, account_type=args["type"] or None,
                                   owner=args["owner"] or None, tier=args["tier"] or None,
                                   limit=size, offset=(page - 1) * size)
    pages = max(1, -(-found.total // size))
    return render_template("accounts/index.html", accounts=found.accounts, total=found.total, page=page,
                           pages=pages, args=args, people=engine().accounts.people(), names=display_names(),
                           types=rules.ACCOUNT_TYPES, tiers=rules.TIERS)


def _form_page(template: str, schema: dict, ui: dict, values: dict, errors=(), status: int = 200,
               message: str | None = None, **more):
    return render_template(template, schema=schema, ui=ui, values=values, message=message,
                           errors=field_errors(errors), **more), status


@bp.route("/new", methods=["GET", "POST"])
def new():
    """A new account; `then=project` goes on to start a project on it."""
    schema = forms.with_people(schemas.ACCOUNT, engine().accounts.people())
    then = request.values.get("then", "")
    if request.method == "GET":
        return _form_page("accounts/new.html", schema, forms.ACCOUNT_UI, forms.values_of(schema, {"owner": me()}),
                          then=then)
    typed = redisplay(schema, request.form)
    g.redisplay = lambda status, errors, _m: _form_page("accounts/new.html", schema, forms.ACCOUNT_UI, typed,
                                                         errors, status, then=then)
    account_id = engine().accounts.create(me(), parse_form(schema, request.form))
    flash(_("The account was created."), "success")
    if then == "project":
        return redirect(url_for("projects.new", account=account_id))
    return redirect(url_for(".show", account_id=account_id))


@bp.get("/<account_id>")
def show(account_id: str):
    view = engine().accounts.get(account_id, me())
    return render_template("accounts/show.html", view=view, names=display_names(),
                           influence=influence_map(view.contacts), timeline=account_timeline(view),
                           ledger=engine().ledger.of_account(account_id, me()))


def _edit(account_id: str, schema: dict, ui: dict, template: str, save, done: str, manage: bool = False):
    """Open a form on the account's current document; save it against the version it opened."""
    document, version = engine().accounts.document(account_id, me(), our_side=manage)   # 403 if not theirs

    def page(values, errors=(), status=200, message=None, version=version):
        return _form_page(template, schema, ui, values, errors, status, message, account_id=account_id,
                          name=document["name"], version=version)

    if request.method == "GET":
        return page(forms.values_of(schema, document))
    typed = redisplay(schema, request.form)
    opened = forms.version_of(request.form)
    g.redisplay = lambda status, errors, _m: page(typed, errors, status, version=opened)
    try:
        save(account_id, me(), parse_form(schema, request.form), opened)
    except Conflict:
        return page(typed, status=409, message=changed_meanwhile(), version=opened)
    flash(done, "success")
    return redirect(url_for(".show", account_id=account_id))


@bp.route("/<account_id>/edit", methods=["GET", "POST"])
def edit(account_id: str):
    return _edit(account_id, schemas.PROFILE, forms.PROFILE_UI, "accounts/edit.html",
                 engine().accounts.update, _("The account was saved."))


@bp.route("/<account_id>/our-side", methods=["GET", "POST"])
def our_side(account_id: str):
    schema = forms.with_people(schemas.OUR_SIDE, engine().accounts.people())
    return _edit(account_id, schema, forms.OUR_SIDE_UI, "accounts/our_side.html",
                 engine().accounts.set_our_side, _("Who looks after the account was saved."), manage=True)


@bp.app_context_processor
def labels() -> dict:
    """The workspace's labels for every page (projects and tasks show accounts too)."""
    return LABELS
