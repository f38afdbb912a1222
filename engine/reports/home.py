"""The home page's short view of work in motion: the open key-account projects the viewer may
see (a rep her own; a manager also her people's; the committee, the chair and admins all),
counted by the step they wait at. One GROUP BY over open task rows: the landing page never
loads workflow state or computes a report's values."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import distinct, func, select

from ..db.schema import Instance, Task
from . import scope
from .filters import Filters


@dataclass(frozen=True)
class StepCount:
    step: str
    name: str
    projects: int


def projects_by_step(ctx, uow, username: str, _filters: Filters | None = None) -> list[StepCount]:
    person = scope.viewer(uow, username)
    projects = func.count(distinct(Task.instance_id))
    rows = uow.session.execute(
        select(Task.bpmn_id, func.min(Task.name), projects)
        .join(Instance, Instance.id == Task.instance_id)
        .where(Task.state == "open", Instance.status == "running",
               *scope.projects_where(ctx, uow, person, Filters()))
        .group_by(Task.bpmn_id).order_by(projects.desc(), Task.bpmn_id))
    return [StepCount(step, name, count) for step, name, count in rows]
