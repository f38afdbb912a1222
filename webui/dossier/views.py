"""The project dossier (the "project launch file" a committee archives): the customer, the
competitors, the project, the decision makers and participants, the proposal, then every review
and vote with its reasons, oldest first. Visible to whoever may view the project; key-account
projects only (another process's instance has no dossier)."""
from __future__ import annotations

from flask import Blueprint, abort, render_template

from ..common import history
from ..common.current import engine, me
from ..common.process_files import process_info
from ..tasks.answers import earlier_answers
from ..tasks.page import display_names
from .deal import deal_of

bp = Blueprint("dossier", __name__, template_folder="templates")


def has_dossier(view) -> bool:
    return bool(view.account_id or engine().start_form(view.process_id).account_field)


@bp.get("/projects/<iid>/dossier")
def show(iid: str):
    view = engine().instance(iid)              # NotFound -> 404 before any permission question
    if not engine().may_view(iid, me()):
        abort(403)
    if not has_dossier(view):
        abort(404)
    info = process_info(iid)
    names = display_names()
    answers = earlier_answers(view, info)
    return render_template("dossier/show.html", view=view, answers=answers, deal=deal_of(view, answers),
                           decisions=history.decisions(view, info, names), names=names,
                           filled=view.data.get("forms_filled") or {})
