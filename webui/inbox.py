"""The inbox: my tasks and my groups' unclaimed ones; claim and hand back."""
from __future__ import annotations

from collections import Counter
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from engine.views import TaskView

from .current import engine, me
from .i18n import form_text

bp = Blueprint("inbox", __name__)


def _matches(task: TaskView, text: str, accounts: set[str] | None) -> bool:
    return not text or text.lower() in task.project_name.lower() or (accounts is not None
                                                                      and task.instance_id in accounts)


def _pages(items: list, page: int, size: int) -> tuple[list, int, int]:
    count = max(1, -(-len(items) // size))
    page = min(max(page, 1), count)
    return items[(page - 1) * size: page * size], page, count


@bp.get("/")
def index():
    step, text = request.args.get("step", ""), request.args.get("q", "").strip()[:200]
    everything = engine().tasks(me())
    # account names live on the instance; until the inbox carries them, ask the search once
    accounts = {i["id"] for i in engine().instances(search=text, limit=10_000)} if text else None
    found = [t for t in everything if _matches(t, text, accounts)]
    counts = Counter(t.bpmn_id for t in found)
    steps = sorted({(t.bpmn_id, form_text(t.name)) for t in everything}, key=lambda s: s[1])
    chosen = [t for t in found if not step or t.bpmn_id == step]
    shown, page, pages = _pages(chosen, request.args.get("page", 1, type=int), current_app.config["PAGE_SIZE"])
    return render_template("inbox/index.html", tasks=shown, page=page, pages=pages, total=len(chosen),
                           counts=counts, steps=steps, step=step, q=text, now=current_app.config["CLOCK"]())


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
