"""The inbox: my tasks and my groups' unclaimed ones; claim and hand back.

The engine filters (process step, project or account name), pages by key (the `cursor` of
the previous and next links) and counts the tasks per step, in one read (`eng.lists.inbox`).
A filter or cursor the engine refuses shows the first page of the whole inbox with the error
at its field.
"""
from __future__ import annotations

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from engine.text import trim

from ..common.current import engine, me
from . import home
from ..common import history
from ..common.i18n import form_text
from ..common.fields import waiting_label
from ..common.messages import field_errors
from ..common.process_files import process_info, remember
from ..tasks.page import display_names

bp = Blueprint("inbox", __name__, template_folder="templates")


@bp.get("/")
def index():
    step, text = trim(request.args.get("step", "")), trim(request.args.get("q", ""))
    g.redisplay = lambda status, errors, _m: _page("", "", None, status, field_errors(errors), shown=(step, text))
    return _page(step, text, request.args.get("cursor") or None)


def _page(step: str, text: str, cursor: str | None, status: int = 200, errors: dict | None = None,
          shown: tuple | None = None):
    found = engine().lists.inbox(me(), step or None, text or None, cursor, current_app.config["PAGE_SIZE"])
    remember(found.processes)
    counts = {s.bpmn_id: s.tasks for s in found.steps}
    steps = _in_process_order({(s.bpmn_id, form_text(s.name)): s.sample for s in found.steps})
    step, text = shown or (step, text)
    return render_template("inbox/index.html", tasks=found.tasks, found=found, total=found.total, counts=counts,
                           steps=steps, step=step, q=text, errors=errors or {}, returned=_returned(found),
                           now=current_app.config["CLOCK"](), going_cold=engine().ledger.going_cold(me()),
                           stages_to_confirm=engine().accounts.stages_to_confirm(me()),
                           projects_by_step=engine().reports.projects_by_step(me()), overdue_work=_overdue(),
                           **home.context()), status


def _overdue() -> list[tuple[object, str]]:
    """(overdue row, whom it waits on in words) among the projects this user may see."""
    names = display_names()
    return [(r, waiting_label(r.waiting_on) if r.group else names.get(r.waiting_on, r.waiting_on))
            for r in home.overdue()]


def _in_process_order(steps: dict[tuple[str, str], str]) -> list[tuple[str, str]]:
    """(step, title) in the order their process lists them (客戶資訊表 → 競爭對手資訊表 → ...)."""
    def rank(step: tuple[str, str]) -> tuple[int, str]:
        order = process_info(steps[step]).user_tasks
        return (order.index(step[0]) if step[0] in order else len(order), step[1])
    return sorted(steps, key=rank)


def _returned(found) -> dict[str, str]:
    """{task id: why it came back} for my own projects' tasks that a review returned to me:
    the engine brings the step completed last before each opened; a return shows its reason."""
    out: dict[str, str] = {}
    for task in found.tasks:
        event = found.returned.get(task.id)
        back = history.decision_from(event, process_info(task.instance_id), display_names()) if event else None
        if back is not None and back.decision == "return":
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
