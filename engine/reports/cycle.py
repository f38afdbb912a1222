"""Report (c): cycle time per step and end to end (median and 90th percentile), from the task
rows - one per activation of a step - never from the audit log. The period selects activations
opened in it.

What counts is defined in `durations` (pure). A viewer who sees every project, over the whole
time (the committee's default view: every activation), reads the company's summaries the
database keeps as task rows change (`kept_cycle`, migration 0027); filtered to one account type
only, those kept by type (`kept_type`, 0042). Any other view asks the
database for the same figures in ONE statement that moves a few dozen rows, its projects found
once (on SQLite, without a period, a second statement reads the pairs it ranks in Python). Without
a period its three parts read what is kept per project: per step, the counts and returns of each
of its projects (`cycle_steps`); end to end, each finished project's time (`cycle_projects`); and
the ranks the median and the 90th percentile need, from the (step, time) pairs of its completed
activations (`tasks.duration_us`, exact microseconds, migration 0023; read from `ix_tasks_cycle`).
With a period, a viewer who sees every project reads what is kept by month (`kept_period`); any
other view reads the activations opened in it from `ix_tasks_cycle` (by project, step and opening
time), in the statements `kept_period` also runs over the projects straddling a period:
- per step: counts by state, and returns (activations opened once the project's first activation
  of the step had completed: those first completions grouped apart and joined back);
- the ranks, as above: only (step, time) pairs are sorted;
- end to end: each project's first opening and last closing (grouped in the index's project
  order), then its finished projects ranked the same way, in exact microseconds.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from sqlalchemy import Integer, and_, case, cast, func, literal, literal_column, null, or_, select, true, union_all
from sqlalchemy.orm import aliased

from ..db.cycle_summaries import CycleProject, CycleStep
from ..db.schema import Instance, Task
from . import kept_cycle, kept_period, kept_type, scope
from .durations import CANCELLED, COMPLETED, OPEN, REWOUND, StepTime
from .filters import Filters
from .stats import Spread, spread

STEP_ROW, WHOLE_ROW, RANKS_ROW = 1, 2, 3      # the kinds of rows the one statement answers
NOTHING = [null()] * 4


@dataclass(frozen=True)
class CycleTime:
    steps: list[StepTime]                # slowest median first
    end_to_end: Spread
    projects: int                        # projects with an activation in view


def _projects(ctx, uow, person, filters: Filters):
    """The viewer's projects, found once for every part of the statement (a materialised CTE)."""
    return (select(Instance.id).where(*scope.projects_where(ctx, uow, person, filters))
            .cte("projects").prefix_with("MATERIALIZED"))


def activations(ctx, uow, person, filters: Filters):
    """The activations in view: instance, step, name, state, opened, closed and, for a completed one
    only, took (microseconds, kept by the database), read once into a materialised CTE (PostgreSQL:
    a third less time for a manager at 100,000 projects; SQLite, with a period: 372 -> 218 ms for a
    manager's half year). Without a period SQLite reads them through the index anew for each part
    (its GROUP BY of each project's steps then streams in the index's order; `bench/cycle_summaries`
    compares the kept figures with this way)."""
    dialect = uow.session.bind.dialect.name
    period = filters.starts is not None or filters.ends is not None
    acts = in_period(Task.instance_id.in_(select(_projects(ctx, uow, person, filters).c.id)),
                     *scope.between(Task.created_at, filters))
    if dialect == "postgresql" or period:                       # read once, kept for the three parts
        return select(acts.cte("activations").prefix_with("MATERIALIZED"))
    return acts


def in_period(projects, *opened):
    """The activations of `projects` (a condition on `Task.instance_id`) whose opening meets `opened`,
    with the columns the parts below read."""
    return select(Task.instance_id, Task.bpmn_id, Task.name, Task.state, Task.created_at.label("opened"),
                  Task.closed_at.label("closed"), Task.duration_us.label("took")).where(projects, *opened)


def microseconds(dialect: str, later, earlier):
    """`later - earlier` in exact microseconds, as `durations.microseconds` and migration 0023 compute
    it (SQLite's date functions round to milliseconds: whole seconds from the text, the fraction apart)."""
    if dialect == "postgresql":
        return func.round(func.extract("epoch", later - earlier) * 1_000_000)

    def parts(t):
        return (func.strftime("%s", func.substr(t, 1, 19)),
                cast(func.substr(t, 21, 6), Integer))          # '' (no fraction) is 0
    (later_s, later_us), (earlier_s, earlier_us) = parts(later), parts(earlier)
    return (later_s - earlier_s) * literal(1_000_000) + later_us - earlier_us


def _ranks(n):
    """The (at most four) ranks of n sorted values the median and the nearest-rank p90 need (for
    a count or a SQL expression alike)."""
    return n // 2, (n + 1) // 2, n // 2 + 1, (9 * n + 9) // 10


def _picked(rank, n, value, among):
    """`value` at each rank `_ranks` names, among the rows `among` selects (MAX over one row)."""
    return [func.max(case((and_(among, rank == wanted), value))) for wanted in _ranks(n)]


def _spread(count: int | None, value: Callable, lower, upper, above, p90) -> Spread:
    """Median and p90 from the values at the ranks `_ranks` names, as `stats.spread` computes them
    (`value`: seconds from what the database gave)."""
    if not count:
        return spread([])
    at = {rank: value(v) for rank, v in zip(_ranks(count), (lower, upper, above, p90)) if v is not None}
    middle = at[(count + 1) // 2] if count % 2 else (at[count // 2] + at[count // 2 + 1]) / 2
    return Spread(count, float(middle), at[max(1, (9 * count + 9) // 10)])


def spread_of(count: int, at) -> Spread:
    """Median and p90 from a kind 2 or 3 row's values at the ranks (exact microseconds)."""
    return _spread(count, _exact, *at)


def _exact(us) -> float:
    return int(us) / 1_000_000                   # as durations.seconds computes it


def _counted(state_column, state: str):
    return func.sum(case((state_column == state, 1), else_=0))


def _done(a):
    """A completed activation: only those have a time (a test on `took`, not on the state, keeps
    SQLite on `ix_tasks_cycle`)."""
    return a.c.took.is_not(None)


def step_rows(acts):
    """Per step (kind 1): name, first opening, activations, open, rewound, cancelled, returns (each
    activation opened once an earlier one of the project's step had completed: the project's first
    completion at the step, grouped apart and joined back - cheaper than a window over every row)."""
    a, done = acts.subquery("steps_in_view"), acts.subquery("done_in_view")
    firsts = (select(done.c.instance_id, done.c.bpmn_id, func.min(done.c.closed).label("first_done"))
              .where(_done(done)).group_by(done.c.instance_id, done.c.bpmn_id).subquery("firsts"))
    f = firsts.c
    return (select(literal_column("1"), a.c.bpmn_id, func.max(a.c.name), func.min(a.c.opened), func.count(),
                   _counted(a.c.state, OPEN), _counted(a.c.state, REWOUND), _counted(a.c.state, CANCELLED),
                   func.sum(case((a.c.opened >= f.first_done, 1), else_=0)), null(), *NOTHING)
            .outerjoin(firsts, and_(f.instance_id == a.c.instance_id, f.bpmn_id == a.c.bpmn_id))
            .group_by(a.c.bpmn_id))


def _picks(took) -> list:
    """On PostgreSQL, the values `_picked` finds, by ordered-set aggregates (a sort per group and no
    window: a manager's 63,000 times, p50 331 ms against 454). `percentile_disc(0.5)` is the value
    at rank ceil(n/2), the same over the values sorted down is the one at n//2 + 1, and
    `percentile_disc(0.9)` the one at ceil(0.9 n) (the product in floating point, as
    `stats.percentile` computes it); NULLs are left out, as `_picked` leaves them."""
    middle = func.percentile_disc(0.5).within_group(took.asc())
    return [middle, middle, func.percentile_disc(0.5).within_group(took.desc()),
            func.percentile_disc(0.9).within_group(took.asc())]


def _step_ranks(acts, dialect: str):
    """Per step (kind 3): completed activations and their times at the ranks `_ranks` names."""
    a = acts.subquery("ranks_in_view")
    if dialect == "postgresql":
        return (select(literal_column("3"), a.c.bpmn_id, null(), null(), *[literal_column("0")] * 5, func.count(),
                       *_picks(a.c.took)).where(_done(a)).group_by(a.c.bpmn_id))
    ranked = select(a.c.bpmn_id, a.c.took, func.row_number().over(partition_by=a.c.bpmn_id, order_by=a.c.took)
                    .label("rn"), func.count().over(partition_by=a.c.bpmn_id, order_by=a.c.took,    # the same sort
                                                    rows=(None, None)).label("n")).where(_done(a)).subquery()
    r = ranked.c
    return select(literal_column("3"), r.bpmn_id, null(), null(), *[literal_column("0")] * 5, func.max(r.n),
                  *_picked(r.rn, r.n, r.took, true())).where(
        or_(*[r.rn == wanted for wanted in _ranks(r.n)])).group_by(r.bpmn_id)     # groups <= 4 rows a step


def project_times(acts, dialect: str):
    """Per project in view: whether it finished (1 or 0) and, if so, its time end to end in exact
    microseconds, from its first opening to its last closing among `acts`."""
    a = acts.subquery("projects_in_view")
    per = (select(func.min(a.c.opened).label("first"), func.max(a.c.closed).label("last"),
                  func.max(case((a.c.state == COMPLETED, a.c.closed))).label("last_done"),
                  func.sum(case((or_(a.c.state == OPEN, a.c.closed.is_(None)), 1), else_=0)).label("open"))
           .group_by(a.c.instance_id).subquery())
    finished = case((and_(per.c.open == 0, per.c.last_done == per.c.last), 1), else_=0)
    return select(case((finished == 1, microseconds(dialect, per.c.last, per.c.first))).label("took"),
                  finished.label("finished"))


def whole_row(times, dialect: str):
    """End to end (kind 2) from `times` (a select of each project's `took`, None unless finished,
    and `finished`, 1 or 0): projects in view, finished ones, their times at the ranks."""
    t = times.subquery("times")
    if dialect == "postgresql":                         # one pass over the projects' times
        return select(literal_column("2"), null(), null(), null(), func.count(), *[literal_column("0")] * 4,
                      func.sum(t.c.finished), *_picks(t.c.took))
    projects = select(t.c.took, t.c.finished, func.count().over().label("projects"),
                      func.row_number().over(partition_by=t.c.finished, order_by=t.c.took).label("rn"),
                      func.sum(t.c.finished).over().label("n")).subquery()
    p = projects.c
    return select(literal_column("2"), null(), null(), null(), func.max(p.projects), *[literal_column("0")] * 4,
                  func.max(p.n), *_picked(p.rn, p.n, p.took, p.finished == 1))


def _whole(acts, dialect: str):
    return whole_row(project_times(acts, dialect), dialect)


def _kept_steps(projects, processes: list[str]):
    """Per step (kind 1) from the counts kept per project and step (`cycle_steps`): what `step_rows`
    computes from a period-less view's activations, one row per project and step read. The name is
    the one the step's last opened activation in the company shows (one seek of
    `ix_cycle_steps_last` per step, as `kept_cycle` reads it)."""
    c, n = CycleStep, aliased(CycleStep)
    name = (select(n.name).where(n.process_id.in_(processes), n.bpmn_id == c.bpmn_id)
            .order_by(n.last_opened.desc()).limit(1).scalar_subquery())
    return (select(literal_column("1"), c.bpmn_id, name, func.min(c.first_opened), func.sum(c.activations),
                   func.sum(c.open_count), func.sum(c.rewound), func.sum(c.cancelled), func.sum(c.returns),
                   null(), *NOTHING)
            .where(c.instance_id.in_(select(projects.c.id))).group_by(c.bpmn_id))


def _completed_times(projects):
    """Step and kept time of each completed activation of the projects: only the two columns the
    ranks sort (from `ix_tasks_cycle` alone), not every column of the activations."""
    return select(Task.bpmn_id, Task.duration_us.label("took")).where(
        Task.instance_id.in_(select(projects.c.id)), Task.duration_us.is_not(None))


def _kept_whole(projects, dialect: str):
    """End to end (kind 2) from each project's kept time (`cycle_projects`)."""
    c = CycleProject
    if dialect == "postgresql":                         # one pass over the projects' times
        return select(literal_column("2"), null(), null(), null(), func.count(), *[literal_column("0")] * 4,
                      func.count(c.took_us), *_picks(c.took_us)).where(c.instance_id.in_(select(projects.c.id)))
    ranked = select(c.took_us.label("took"), func.row_number().over(order_by=c.took_us).label("rn")).where(
        c.instance_id.in_(select(projects.c.id)), c.took_us.is_not(None)).subquery()
    r = ranked.c
    counts = select(func.count().label("projects"), func.count(c.took_us).label("n")).where(
        c.instance_id.in_(select(projects.c.id))).subquery()
    return (select(literal_column("2"), null(), null(), null(), counts.c.projects, *[literal_column("0")] * 4,
                   counts.c.n, *_picked(r.rn, counts.c.n, r.took, true()))
            .select_from(counts).outerjoin(ranked, true()).group_by(counts.c.projects, counts.c.n))


def cycle_time(ctx, uow, username: str, filters: Filters) -> CycleTime:
    """Every project, or every one of an account type: what is kept (`kept_cycle`, `kept_type`; with a
    period, by month: `kept_period`); any other view: its projects' kept counts and times and its
    completed activations ranked (with a period, its activations)."""
    person = scope.viewer(uow, username)
    if filters.starts is not None or filters.ends is not None:
        if scope.sees_every_account(person, filters) or scope.sees_every_account_of_type(person, filters):
            return CycleTime(*kept_period.cycle_time(uow.session, scope.project_process_ids(ctx, uow),
                                                     filters.starts, filters.ends, filters.account_type))
        return from_activations(ctx, uow, person, filters)
    if scope.sees_every_account(person, filters):
        s, processes = uow.session, scope.project_process_ids(ctx, uow)
        whole, projects = kept_cycle.end_to_end(s, processes)
        return CycleTime(kept_cycle.step_times(s, processes), whole, projects)
    if scope.sees_every_account_of_type(person, filters):
        return CycleTime(*kept_type.cycle_time(uow.session, scope.project_process_ids(ctx, uow), filters.account_type))
    projects, s = _projects(ctx, uow, person, filters), uow.session
    dialect = s.bind.dialect.name
    kept = [_kept_steps(projects, scope.project_process_ids(ctx, uow)), _kept_whole(projects, dialect)]
    if dialect == "postgresql":
        return _figures(s, union_all(*kept, _step_ranks(_completed_times(projects), dialect)))
    return _figures(s, union_all(*kept), _ranked_in_python(s, projects))


def _ranked_in_python(s, projects) -> dict[str, Spread]:
    """Each step's spread from its (step, time) pairs read apart and sorted here: SQLite's window
    functions cost three times reading the pairs (a manager's 60,000: ~300 ms against ~100), where
    PostgreSQL's sort in the statement is the cheaper way."""
    times: dict[str, list[int]] = {}
    for step, took in s.connection().execute(_completed_times(projects)).all():    # plain rows, not the ORM's
        times.setdefault(step, []).append(took)
    spreads = {}
    for step, values in times.items():
        values.sort()
        spreads[step] = kept_cycle.spread_at(len(values), {rank: _exact(values[rank - 1])
                                                           for rank in kept_cycle.ranks(len(values))})
    return spreads


def from_activations(ctx, uow, person, filters: Filters) -> CycleTime:
    acts, dialect = activations(ctx, uow, person, filters), uow.session.bind.dialect.name
    return _figures(uow.session, union_all(step_rows(acts), _step_ranks(acts, dialect), _whole(acts, dialect)))


def _figures(s, statement, timed: dict[str, Spread] | None = None) -> CycleTime:
    """The report from the one statement's rows (kinds 1, 2, 3), and the steps' spreads `timed`
    found apart."""
    counted, timed, whole, projects = {}, dict(timed or {}), spread([]), 0
    for kind, step, name, opened, count, open_, rewound, cancelled, returns, n, *at in s.execute(statement):
        if kind == STEP_ROW:
            counted[step] = (opened, name, count, returns or 0, open_ or 0, rewound or 0, cancelled or 0)
        elif kind == RANKS_ROW:
            timed[step] = _spread(n, _exact, *at)
        else:
            whole, projects = _spread(int(n or 0), _exact, *at), int(count or 0)
    steps = [StepTime(step, name, timed.get(step, spread([])), *counts)
             for step, (_opened, name, *counts) in sorted(counted.items(), key=lambda item: item[1][0])]
    steps.sort(key=lambda st: -(st.time.median or 0))
    return CycleTime(steps, whole, projects)
