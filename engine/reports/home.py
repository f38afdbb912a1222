"""The home page's short view of work in motion: the open key-account projects the viewer may
see (a rep her own; a manager also her people's; the committee, the chair and admins all),
counted by the step they wait at with their stored deal size, and the committee votes waiting
for the viewer. Each is one query over indexed rows: the landing page never loads workflow
state or computes a report's values."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import and_, case, distinct, exists, func, select

from ..db.committee import CommitteeRound
from ..db.schema import Instance, Task
from ..workspace.currency import base_currency
from . import scope
from .filters import Filters


@dataclass(frozen=True)
class StepCount:
    step: str
    name: str
    projects: int
    value: Decimal = Decimal(0)          # the projects' deal sizes in the base currency
    without_value: int = 0               # projects with no deal size (yet)


@dataclass(frozen=True)
class VoteWaiting:
    task_id: str
    instance_id: str
    project_name: str
    account_name: str
    voting_rule: str
    opened: datetime
    due: datetime | None


def projects_by_step(ctx, uow, username: str, _filters: Filters | None = None) -> list[StepCount]:
    person = scope.viewer(uow, username)
    waiting = (select(Task.instance_id, Task.bpmn_id, func.min(Task.name).label("name"))
               .join(Instance, Instance.id == Task.instance_id)
               .where(Task.state == "open", Instance.status == "running",
                      *scope.projects_where(ctx, uow, person, Filters()))
               .group_by(Task.instance_id, Task.bpmn_id).subquery())
    valued = and_(Instance.deal_size.is_not(None), Instance.deal_currency == base_currency())
    projects = func.count(distinct(waiting.c.instance_id))
    rows = uow.session.execute(
        select(waiting.c.bpmn_id, func.min(waiting.c.name), projects,
               func.sum(case((valued, Instance.deal_size), else_=0)), func.sum(case((valued, 0), else_=1)))
        .join(Instance, Instance.id == waiting.c.instance_id)
        .group_by(waiting.c.bpmn_id).order_by(projects.desc(), waiting.c.bpmn_id))
    return [StepCount(step, name, count, Decimal(value or 0), int(missing or 0))
            for step, name, count, value, missing in rows]


def votes_waiting(ctx, uow, username: str, _filters: Filters | None = None) -> list[VoteWaiting]:
    """The open committee votes offered to `username` (a round of their project is open at that step)."""
    in_round = exists().where(CommitteeRound.instance_id == Task.instance_id, CommitteeRound.step == Task.bpmn_id,
                              CommitteeRound.closed_at.is_(None))
    rows = uow.session.execute(
        select(Task.id, Task.instance_id, Instance.project_name, Instance.account_name, Task.created_at, Task.due_at,
               select(CommitteeRound.voting_rule).where(CommitteeRound.instance_id == Task.instance_id,
                                                        CommitteeRound.step == Task.bpmn_id,
                                                        CommitteeRound.closed_at.is_(None)).limit(1).scalar_subquery())
        .join(Instance, Instance.id == Task.instance_id)
        .where(Task.state == "open", Task.assignee == username, in_round)
        .order_by(Task.due_at, Task.created_at))
    return [VoteWaiting(task_id, iid, name or "", account or "", rule or "", opened, due)
            for task_id, iid, name, account, opened, due, rule in rows]
