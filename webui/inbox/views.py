"""The inbox: my tasks and my groups' unclaimed ones; claim and hand back.

The engine filters (process step, project or account name) and pages in the database;
a second, unpaged call without the step gives the counts per step. A filter the engine
refuses (control characters, too long) shows the whole inbox with the error at its field.
"""
from __future__ import annotations

from collections import Counter

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from engine.text import trim

from ..common.current import engine, me
from . import home
from ..common import history
from ..common.i18n import form_text
from ..common.fields import waiting_label
from ..common.messages import field_errors
from ..common.process_files import process_info
from ..tasks.page import display_names

bp = Blueprint("inbox", __name__, template_folder="templates")


@bp.get("/")
def index():
    step, text = trim(request.args.get("step", "")), trim(request.args.get("q", ""))
    g.redisplay = lambda status, errors, _m: _page("", "", status, field_errors(errors), shown=(step, text))
    return _page(step, text)


def _page(step: str, text: str, status: int = 200, errors: dict | None = None, shown: tuple | None = None):
    size = current_app.config["PAGE_SIZE"]
    matching = engine().tasks(me(), search=text or None)          # every step: for the counts
    counts = Counter(t.bpmn_id for t in matching)
    steps = _in_process_order({(t.bpmn_id, form_text(t.name)): t.instance_id for t in matching})
    total = counts.get(step, 0) if step else len(matching)
    pages = max(1, -(-total // size))
    page = min(max(request.args.get("page", 1, type=int), 1), pages)
    listed = engine().tasks(me(), bpmn_id=step or None, search=text or None, limit=size, offset=(page - 1) * size)
    step, text = shown or (step, text)
    return render_template("inbox/index.html", tasks=listed, page=page, pages=pages, total=total, counts=counts,
                           steps=steps, step=step, q=text, errors=errors or {}, returned=_returned(listed),
                           now=current_app.config["CLOCK"](), going_cold=engine().ledger.going_cold(me()),
                           stages_to_confirm=engine().accounts.stages_to_confirm(me()),
                           projects_by_step=engine().reports.projects_by_step(me()), overdue_work=_overdue(),
                           **home.context()), status


def _overdue() -> list[tuple[object, str]]:
    """(overdue row, whom it waits on in words) among the projects this user may see."""
    names = display_names()
    return [(r, waiting_label(r.waiting_on) if r.group else names.get(r.waiting_on, r.waiting_on))
            for r in engine().reports.overdue(me())]


def _in_process_order(steps: dict[tuple[str, str], str]) -> list[tuple[str, str]]:
    """(step, title) in the order their process lists them (客戶資訊表 → 競爭對手資訊表 → ...)."""
    def rank(step: tuple[str, str]) -> tuple[int, str]:
        order = process_info(steps[step]).user_tasks
        return (order.index(step[0]) if step[0] in order else len(order), step[1])
    return sorted(steps, key=rank)


def _returned(tasks) -> dict[str, str]:
    """{task id: why it came back} for my own projects' tasks that a review returned to me."""
    out: dict[str, str] = {}
    for task in tasks:
        if task.owner != me() or task.created is None:
            continue
        view = engine().instance(task.instance_id)
        back = history.return_before(view, process_info(task.instance_id), display_names(), task.created)
        if back is not None:
            out[task.id] = back.why
    return out


@bp.post("/tasks/<task_id>/claim")
def claim(task_id: str):
    engine().claim(task_id, me())
    flash(_("The task is yours now."), "success")
    return redirect(url_for("tasks.show", task_id=task_id))


@bp.post("/tasks/<task_id>/unclaim")
def unclaim(task_id: str):
    engine().unclaim(task_id, me())
    flash(_("The task is back in your group's list."), "info")
    return redirect(url_for("inbox.index"))
