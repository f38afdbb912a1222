"""Report (e): open tasks past their due time, by the person (or group) they wait on and by step.
The period selects tasks by when they fell due; a task offered to a group waits on the group."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from ..db.schema import Instance, Task
from . import scope
from .filters import Filters


@dataclass
class OverdueRow:
    waiting_on: str                      # a username, or the group the task is offered to
    group: bool
    step: str
    name: str
    tasks: int
    oldest_due: datetime
    instance_ids: list[str]


def overdue(ctx, uow, username: str, filters: Filters) -> list[OverdueRow]:
    now = ctx.clock()
    person = scope.viewer(uow, username)
    rows = uow.session.execute(
        select(Task.assignee, Task.candidate_group, Task.bpmn_id, Task.name, Task.due_at, Task.instance_id)
        .join(Instance, Instance.id == Task.instance_id)
        .where(Task.state == "open", Instance.status == "running", Task.due_at.is_not(None), Task.due_at < now,
               *scope.projects_where(ctx, uow, person, filters), *scope.between(Task.due_at, filters))
        .order_by(Task.due_at))
    found: dict[tuple[str, str], OverdueRow] = {}
    for assignee, group, step, name, due, instance_id in rows:
        who = assignee or group or ""
        row = found.get((who, step))
        if row is None:
            found[(who, step)] = OverdueRow(who, assignee is None, step, name, 1, due, [instance_id])
        else:
            row.tasks += 1
            row.instance_ids.append(instance_id)
    return sorted(found.values(), key=lambda r: (r.oldest_due, r.waiting_on, r.step))
