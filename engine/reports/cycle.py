"""Report (c): cycle time per step and end to end (median and 90th percentile), from the task
rows - one per activation of a step, indexed on (bpmn_id, state, closed_at) - never from the
audit log. The period selects activations opened in it.

What counts is defined in `durations` (pure); this module asks the database for the same
figures, so a report over a million activations moves a few hundred rows, not a million:
counts by step and state, returns (activations opened at or after the step's first completion
in the same project), the ranked durations the median and the 90th percentile need (window
functions), and one duration per finished project for end to end.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, case, func, literal, or_, select

from ..db.schema import Instance, Task
from . import durations, scope
from .durations import COMPLETED, OPEN, StepTime
from .filters import Filters
from .stats import Spread, spread


@dataclass(frozen=True)
class CycleTime:
    steps: list[StepTime]                # slowest median first
    end_to_end: Spread
    projects: int                        # projects with an activation in view


def activations(ctx, uow, person, filters: Filters):
    """The activations in view, as a CTE: instance, step, name, state, opened, closed."""
    return (select(Task.instance_id, Task.bpmn_id, Task.name, Task.state, Task.created_at.label("opened"),
                   Task.closed_at.label("closed"))
            .join(Instance, Instance.id == Task.instance_id)
            .where(*scope.projects_where(ctx, uow, person, filters), *scope.between(Task.created_at, filters))
            .cte("activations"))


def seconds(dialect: str, later, earlier):
    """`later - earlier` in seconds, as the database computes it."""
    if dialect == "postgresql":
        return func.extract("epoch", later - earlier)
    return (func.julianday(later) - func.julianday(earlier)) * literal(86_400.0)


def _ranked(s, acts, dialect: str) -> dict[str, Spread]:
    """Median and nearest-rank 90th percentile of each step's completed durations, from the
    (at most four) ranked rows they need."""
    took = seconds(dialect, acts.c.closed, acts.c.opened)
    ranked = (select(acts.c.bpmn_id.label("step"), took.label("took"),
                     func.row_number().over(partition_by=acts.c.bpmn_id, order_by=took).label("rn"),
                     func.count().over(partition_by=acts.c.bpmn_id).label("n"))
              .where(acts.c.state == COMPLETED, acts.c.closed.is_not(None)).subquery())
    n, rn = ranked.c.n, ranked.c.rn
    wanted = or_(rn == n // 2, rn == (n + 1) // 2, rn == n // 2 + 1, rn == (9 * n + 9) // 10)
    found: dict[str, tuple[int, dict[int, float]]] = {}
    for step, took_s, rank, count in s.execute(select(ranked.c.step, ranked.c.took, rn, n).where(wanted)):
        found.setdefault(step, (count, {}))[1][rank] = round(float(took_s), 3)
    result = {}
    for step, (count, at) in found.items():
        middle = at[(count + 1) // 2] if count % 2 else (at[count // 2] + at[count // 2 + 1]) / 2
        result[step] = Spread(count, float(middle), at[max(1, (9 * count + 9) // 10)])
    return result


def _returns(s, acts) -> dict[str, int]:
    first = (select(acts.c.instance_id, acts.c.bpmn_id, func.min(acts.c.closed).label("done"))
             .where(acts.c.state == COMPLETED, acts.c.closed.is_not(None))
             .group_by(acts.c.instance_id, acts.c.bpmn_id).subquery())
    return dict(s.execute(select(acts.c.bpmn_id, func.count())
                          .join(first, and_(first.c.instance_id == acts.c.instance_id,
                                            first.c.bpmn_id == acts.c.bpmn_id))
                          .where(acts.c.opened >= first.c.done).group_by(acts.c.bpmn_id)).all())


def _end_to_end(s, acts, dialect: str) -> tuple[Spread, int]:
    """Finished projects: none open, and the last activation to close was completed."""
    per = (select(func.min(acts.c.opened).label("first"), func.max(acts.c.closed).label("last"),
                  func.max(case((acts.c.state == COMPLETED, acts.c.closed))).label("last_done"),
                  func.sum(case((or_(acts.c.state == OPEN, acts.c.closed.is_(None)), 1), else_=0)).label("open"))
           .group_by(acts.c.instance_id).subquery())
    projects = s.scalar(select(func.count()).select_from(per))
    finished = s.scalars(select(seconds(dialect, per.c.last, per.c.first))
                         .where(per.c.open == 0, per.c.last_done == per.c.last))
    return spread(round(float(x), 3) for x in finished), projects or 0


def cycle_time(ctx, uow, username: str, filters: Filters) -> CycleTime:
    s, dialect = uow.session, uow.session.bind.dialect.name
    acts = activations(ctx, uow, scope.viewer(uow, username), filters)
    counts: dict[str, dict] = {}
    for step, state, name, opened, number in s.execute(
            select(acts.c.bpmn_id, acts.c.state, func.max(acts.c.name), func.min(acts.c.opened), func.count())
            .group_by(acts.c.bpmn_id, acts.c.state)):
        row = counts.setdefault(step, {"name": name, "opened": opened, "states": {}})
        row["opened"] = min(row["opened"], opened)
        row["states"][state] = number
    times, returns = _ranked(s, acts, dialect), _returns(s, acts)
    steps = [StepTime(step, row["name"], times.get(step, spread([])), sum(row["states"].values()),
                      returns.get(step, 0), row["states"].get(OPEN, 0), row["states"].get(durations.REWOUND, 0),
                      row["states"].get(durations.CANCELLED, 0))
             for step, row in sorted(counts.items(), key=lambda kv: kv[1]["opened"])]
    steps.sort(key=lambda st: -(st.time.median or 0))
    whole, projects = _end_to_end(s, acts, dialect)
    return CycleTime(steps, whole, projects)
