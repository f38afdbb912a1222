"""The returns report's groups as it computed them before the kept counts (migrations 0029, 0030):
every decided row and every committee round of the projects in view, grouped on each request with
`scope`'s visibility and the period by closing (rounds: opening) time. The tests hold the report,
now read from the counts, equal to this over the same rows."""
from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select

from engine.db.committee import CommitteeRound
from engine.db.schema import Instance, Task, User
from engine.reports import scope
from engine.reports.votes import OPEN


def decisions(ctx, uow, person, filters) -> Counter:
    """(step, owner, department, decision, reason, first) -> decided rows."""
    where = [Task.decision.isnot(None), *scope.projects_where(ctx, uow, person, filters),
             *scope.between(Task.closed_at, filters)]
    groups = (select(Task.bpmn_id.label("step"), Instance.owner.label("owner"), Task.decision, Task.reason_code,
                     Task.first_decision, func.count().label("n"))
              .join(Instance, Instance.id == Task.instance_id).where(*where)
              .group_by(Task.bpmn_id, Instance.owner, Task.decision, Task.reason_code, Task.first_decision).subquery())
    g = groups.c
    rows = uow.session.execute(select(g.step, g.owner, User.department, g.decision, g.reason_code, g.first_decision, g.n)
                               .outerjoin(User, User.username == g.owner)).all()
    return summed(rows)


def summed(rows) -> Counter:
    """Groups as the report counts them: no reason and '' alike, an unknown first decision as not first."""
    found: Counter = Counter()
    for step, owner, department, decision, reason, first, n in rows:
        found[(step, owner, department, decision, reason or "", bool(first))] += int(n)
    return found


def rounds(ctx, uow, person, filters) -> list[tuple]:
    """(rule, outcome, rounds, members, approvals, returns, declines), by rule and outcome."""
    r = CommitteeRound
    rows = uow.session.execute(
        select(r.voting_rule, r.outcome, func.count(), func.sum(r.members), func.sum(r.approvals),
               func.sum(r.returns), func.sum(r.declines))
        .join(Instance, Instance.id == r.instance_id)
        .where(*scope.projects_where(ctx, uow, person, filters), *scope.between(r.opened_at, filters))
        .group_by(r.voting_rule, r.outcome))
    return sorted((rule, outcome or OPEN, *(int(n or 0) for n in sums)) for rule, outcome, *sums in rows)
