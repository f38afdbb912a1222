"""The returns report's decisions, grouped by step, owner, decision, reason and first decision. For
a viewer who sees every project they come from the counts the database keeps as decisions are given
(`decision_tallies`, migration 0029) for the period's whole months and from the decided rows
(`ix_tasks_decided_at`, by closing time) for the part-months at its ends (`kept_counts`); for a rep
or a manager from her decided rows (`scope`). Groups come in the order of the month each was first
decided (ties by key): the rows' order by the first decision's time is not kept, and only ties in
return rate (and in a reason's count) show the difference.
"""
from __future__ import annotations

from sqlalchemy import func, select

from ..db.schema import Instance, Task, User
from ..db.tallies import DecisionTally
from ..directory import Person
from . import scope
from .filters import Filters
from .kept_counts import counted_projects, month_of, sees_every_project, split, tally_where


def _tallied(ctx, uow, filters: Filters, period):
    """(step, owner, decision, reason, first, n, first month) summed over the period's whole months
    (in the key's order: SQLite sums them without a sort)."""
    t = DecisionTally
    return uow.session.execute(
        select(t.step, t.owner, t.decision, t.reason_code, t.first_decision, func.sum(t.n), func.min(t.month))
        .where(*tally_where(ctx, uow, t, filters, period), t.n > 0)
        .group_by(t.owner, t.step, t.decision, t.reason_code, t.first_decision)).all()


def _from_rows(uow, where: list):
    """The same groups from the decided rows of `where`."""
    return uow.session.execute(
        select(Task.bpmn_id, Instance.owner, Task.decision, Task.reason_code, Task.first_decision, func.count(),
               month_of(uow, func.min(Task.closed_at)))
        .join(Instance, Instance.id == Task.instance_id).where(Task.decision.isnot(None), *where)
        .group_by(Task.bpmn_id, Instance.owner, Task.decision, Task.reason_code, Task.first_decision)).all()


def counted(ctx, uow, person: Person, filters: Filters) -> list[tuple]:
    """(step, owner, owner's department, decision, reason, first, n) per group, earliest month first."""
    if not sees_every_project(person):
        parts = [_from_rows(uow, [*scope.projects_where(ctx, uow, person, filters),
                                  *scope.between(Task.closed_at, filters)])]
    else:
        period = split(filters.starts, filters.ends)
        parts = [_tallied(ctx, uow, filters, period)] if period.months else []
        parts += [_from_rows(uow, [Task.closed_at >= starts, Task.closed_at < ends,
                                   *counted_projects(ctx, uow, filters)]) for starts, ends in period.edges]
    groups: dict[tuple, list] = {}
    for rows in parts:
        for step, owner, decision, reason, first, n, month in rows:
            group = groups.setdefault((step, owner, decision, reason or "", bool(first)), [0, month or ""])
            group[0], group[1] = group[0] + int(n), min(group[1], month or "")
    departments = dict(uow.session.execute(select(User.username, User.department).where(
        User.username.in_(sorted({key[1] for key in groups})))).all()) if groups else {}
    ordered = sorted(groups.items(), key=lambda kv: (kv[1][1], kv[0]))
    return [(step, owner, departments.get(owner), decision, reason, first, n)
            for (step, owner, decision, reason, first), (n, _month) in ordered]
