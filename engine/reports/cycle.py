"""Report (c): cycle time per step and end to end (median and 90th percentile), from the task
rows - one per activation of a step, indexed on (bpmn_id, state, closed_at) - never from the
audit log. The period selects activations opened in it.

What counts is defined in `durations` (pure); this module asks the database for the same
figures in ONE statement, so a report over a million activations reads them once and moves a
few dozen rows: the activations in view are marked once (a materialised CTE: each completed
one's duration, its rank within its step, the project's first completion of that step), then
grouped by step (counts by state, returns, the ranked durations the median and the 90th
percentile need) and by project (first opening to last closing, ranked the same way).
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, case, func, literal, literal_column, null, or_, select, union_all

from ..db.schema import Instance, Task
from . import scope
from .durations import CANCELLED, COMPLETED, OPEN, REWOUND, StepTime
from .filters import Filters
from .stats import Spread, spread

STEP_ROW, WHOLE_ROW = 1, 2                   # the two kinds of rows the one statement answers


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


def _ranks(n):
    """The (at most four) ranks of n sorted values the median and the nearest-rank p90 need (for
    a count or a SQL expression alike)."""
    return n // 2, (n + 1) // 2, n // 2 + 1, (9 * n + 9) // 10


def _picked(rank, n, value, among):
    """`value` at each rank `_ranks` names, among the rows `among` selects (MAX over one row)."""
    return [func.max(case((and_(among, rank == wanted), value))) for wanted in _ranks(n)]


def _spread(count: int | None, lower, upper, above, p90) -> Spread:
    """Median and p90 from the values at the ranks `_ranks` names, as `stats.spread` computes them."""
    if not count:
        return spread([])
    at = {rank: round(float(v), 3) for rank, v in zip(_ranks(count), (lower, upper, above, p90)) if v is not None}
    middle = at[(count + 1) // 2] if count % 2 else (at[count // 2] + at[count // 2 + 1]) / 2
    return Spread(count, float(middle), at[max(1, (9 * count + 9) // 10)])


def _counted(state_column, state: str):
    return func.sum(case((state_column == state, 1), else_=0))


def _statement(acts, dialect: str):
    """One SELECT: a row per step (kind 1) and one row for end to end (kind 2)."""
    done = and_(acts.c.state == COMPLETED, acts.c.closed.is_not(None))
    took = case((done, seconds(dialect, acts.c.closed, acts.c.opened)))
    is_done = case((done, 1), else_=0)
    marked = select(
        acts.c.instance_id, acts.c.bpmn_id, acts.c.name, acts.c.state, acts.c.opened, acts.c.closed,
        took.label("took"), is_done.label("done"),
        func.min(case((done, acts.c.closed))).over(partition_by=[acts.c.instance_id, acts.c.bpmn_id]).label("first_done"),
        func.row_number().over(partition_by=[acts.c.bpmn_id, is_done], order_by=took).label("rn"),
        func.count().over(partition_by=[acts.c.bpmn_id, is_done], order_by=took,     # the same sort as `rn`
                          rows=(None, None)).label("n"),
    ).cte("marked").prefix_with("MATERIALIZED")     # read once, grouped twice
    m = marked.c
    steps = select(literal_column("1").label("kind"), m.bpmn_id.label("step"), func.max(m.name).label("name"),
                   func.min(m.opened).label("opened"), func.count().label("activations"), _counted(m.state, OPEN),
                   _counted(m.state, REWOUND), _counted(m.state, CANCELLED),
                   func.sum(case((m.opened >= m.first_done, 1), else_=0)), func.max(case((m.done == 1, m.n))),
                   *_picked(m.rn, m.n, m.took, m.done == 1)).group_by(m.bpmn_id)
    per = (select(func.min(m.opened).label("first"), func.max(m.closed).label("last"),
                  func.max(case((m.state == COMPLETED, m.closed))).label("last_done"),
                  func.sum(case((or_(m.state == OPEN, m.closed.is_(None)), 1), else_=0)).label("open"))
           .group_by(m.instance_id).subquery())
    finished = case((and_(per.c.open == 0, per.c.last_done == per.c.last), 1), else_=0)
    lasted = case((finished == 1, seconds(dialect, per.c.last, per.c.first)))
    projects = select(lasted.label("took"), finished.label("finished"), func.count().over().label("projects"),
                      func.row_number().over(partition_by=finished, order_by=lasted).label("rn"),
                      func.sum(finished).over().label("n")).subquery()
    p = projects.c
    whole = select(literal_column("2"), null(), null(), null(), func.max(p.projects), *[literal_column("0")] * 4, func.max(p.n), *_picked(p.rn, p.n, p.took, p.finished == 1))
    return union_all(steps, whole)


def cycle_time(ctx, uow, username: str, filters: Filters) -> CycleTime:
    s, dialect = uow.session, uow.session.bind.dialect.name
    acts = activations(ctx, uow, scope.viewer(uow, username), filters)
    steps, whole, projects = [], spread([]), 0
    for kind, step, name, opened, count, open_, rewound, cancelled, returns, n, *at in s.execute(
            _statement(acts, dialect)):
        if kind == STEP_ROW:
            steps.append((opened, StepTime(step, name, _spread(n, *at), count, returns or 0, open_ or 0, rewound or 0,
                                           cancelled or 0)))
        else:
            whole, projects = _spread(n, *at), count or 0
    ordered = [st for _opened, st in sorted(steps, key=lambda pair: pair[0])]
    ordered.sort(key=lambda st: -(st.time.median or 0))
    return CycleTime(ordered, whole, projects)
