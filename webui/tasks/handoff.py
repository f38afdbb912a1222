"""After a step: say where the work went ("已送交 王大明 審核", "已退回 林雅美 修改") and open the
user's next form in the process's own order (the order of its user tasks in the BPMN file)."""
from __future__ import annotations

from babel.lists import format_list
from flask_babel import get_locale
from flask_babel import gettext as _

from engine.status import is_open
from engine.views import Completion, TaskView

from ..common.fields import group_label
from ..common.history import decision_of
from .page import is_review


def people(names: list[str]) -> str:
    """Names as a sentence lists them: 王大明、黃美玲和蔡文雄 / Bob, Cathy and Colin."""
    return format_list(names, locale=get_locale()) if names else ""


def in_process_order(tasks: list[TaskView], user_tasks: tuple[str, ...]) -> list[TaskView]:
    """Tasks in the order the process lists its steps (customer, competitors, project, ...)."""
    rank = {bpmn_id: i for i, bpmn_id in enumerate(user_tasks)}
    return sorted(tasks, key=lambda t: rank.get(t.bpmn_id, len(rank)))


def _holders(tasks: list[TaskView], names: dict[str, str]) -> str:
    holders: list[str] = []
    for task in tasks:
        holder = names.get(task.assignee, task.assignee) if task.assignee else group_label(task.group or "")
        if holder and holder not in holders:
            holders.append(holder)
    return people(holders)


def where_it_went(done: Completion, answer: dict, user: str) -> str:
    """One sentence for where the work is now, or "" when it stays with the user."""
    if not is_open(done.status):
        return {"established": _("The project is established."), "declined": _("The project was not approved."),
                "withdrawn": _("The project was withdrawn.")}.get(done.outcome or "", _("The process has finished."))
    names = done.names
    new = [t for t in done.opened if t.assignee != user]
    others = [t for t in [*done.following, *done.waiting] if t.assignee != user]
    found = decision_of(answer)
    if new and found and found[1].get("decision") == "return":
        return _("Returned to %(people)s to revise.", people=_holders(new, names))
    if new and all(is_review(t.form or {}) for t in new):
        return _("Sent to %(people)s for review.", people=_holders(new, names))
    if new:
        return _("Passed on to %(people)s.", people=_holders(new, names))
    if others:
        return _("Waiting for %(people)s.", people=_holders(others, names))
    return ""
