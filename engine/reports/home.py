"""The home page's short view of work in motion: the open key-account projects the viewer may
see (a rep her own; a manager also her people's; the committee, the chair and admins all),
counted by the step they wait at with their stored deal size, and the committee votes waiting
for the viewer. Each is one query over indexed rows: the landing page never loads workflow
state or computes a report's values."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import BigInteger, and_, case, cast, exists, func, select, text

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


@dataclass(frozen=True)
class OverdueGroup:
    waiting_on: str                      # a username, or the group the task is offered to
    group: bool
    step: str
    name: str
    tasks: int
    oldest_due: datetime


def projects_by_step(ctx, uow, username: str, _filters: Filters | None = None) -> list[StepCount]:
    """One row per project and step it waits at, grouped by step; the instances walked first, so
    both databases read only covering indexes (SQLite read each task row for its name and each
    instance row for its status - the committee's 17,500 running projects, 0.4-0.7 s). Values
    are summed as whole hundredths: exact on both databases, as the pipeline sums them."""
    person = scope.viewer(uow, username)
    valued = and_(Instance.deal_size.is_not(None), Instance.deal_currency == base_currency())
    at = (select(Task.bpmn_id.label("step"), func.min(Task.name).label("name"),
                 case((valued, cast(func.round(Instance.deal_size * 100), BigInteger))).label("hundredths"))
          .join(Task, and_(Task.instance_id == Instance.id, Task.state == "open"))
          .where(Instance.status == "running", *scope.projects_where(ctx, uow, person, Filters()))
          .group_by(Task.bpmn_id, Instance.id).subquery())
    projects = func.count()
    rows = uow.session.execute(
        select(at.c.step, func.min(at.c.name), projects, func.sum(at.c.hundredths),
               func.count(case((at.c.hundredths.is_(None), 1))))
        .group_by(at.c.step).order_by(projects.desc(), at.c.step))
    return [StepCount(step, name, count, Decimal(int(hundredths or 0)).scaleb(-2), missing)
            for step, name, count, hundredths, missing in rows]


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


# the open state written out, as the inbox's statements write it (db/list_indexes.py: a bound one is
# compiled again by SQLite whenever the partial indexes on open tasks could apply)
OPEN_TASK = text("tasks.state = 'open'")


def overdue_groups(ctx, uow, username: str, _filters: Filters | None = None) -> list[OverdueGroup]:
    """The overdue report's groups (whom they wait on, step, how many, due since) counted by the
    database: the home page shows only these, so it never reads each overdue task (the
    committee's 9,975, 130 ms on either database). Grouped and ordered as `overdue.overdue`."""
    person = scope.viewer(uow, username)
    who = func.coalesce(Task.assignee, Task.candidate_group, "")
    rows = uow.session.execute(
        select(who, func.count(Task.assignee), Task.bpmn_id, func.min(Task.name), func.count(), func.min(Task.due_at))
        .join(Instance, Instance.id == Task.instance_id)
        .where(OPEN_TASK, Instance.status == "running", Task.due_at.is_not(None),
               Task.due_at < ctx.clock(), *scope.projects_where(ctx, uow, person, Filters()))
        .group_by(who, Task.bpmn_id))
    found = [OverdueGroup(waiting_on, assigned == 0, step, name, tasks, due)
             for waiting_on, assigned, step, name, tasks, due in rows]
    return sorted(found, key=lambda r: (r.oldest_due, r.waiting_on, r.step))    # as Python orders text
