"""Cycle time with a period, for a viewer who sees every project (or every one of an account type),
from what the database keeps (migrations 0041, 0042) instead of every activation opened in the period.

The figures are the ones `cycle.from_activations` computes over the activations opened in the
period, exactly (the committee since mid-June at 100,000 projects: 246,000 activations read in
2.2-3.7 s before; now a few thousand rows). A period is whole days; what is kept by month covers
its whole months, and its partial first and last months are read from the rows.
- A project lies wholly inside the period when it first and last opened in it: its kept figures
  are the period's. Those straddling the period's start or end are few (mid-June to now: 1,539
  of 30,238); their activations in the period are counted by `from_activations`' own statements
  (`cycle.step_rows`, `cycle.project_times`) in place of what is kept for them.
- Per step: the kept counts of the project-steps first opened in the period (`cycle_step_months`,
  the partial months from `ix_cycle_steps_opened`), less the straddling projects' kept counts,
  plus their counts over their activations in the period.
- The ranks (median, p90): an activation's time needs no project, so the completed activations
  opened in the period are counted per step and duration bucket (`cycle_duration_months`, the
  partial months from `ix_tasks_opened`); each rank's bucket is found from the counts and its
  value read in `ix_tasks_durations`' order, as `kept_cycle` does for all time.
- End to end: each project wholly inside the period has its kept time, a straddling one its
  time over its activations in the period; the former are counted by month and bucket (0043) and
  only each rank's bucket of times is read (`kept_end_to_end`).
"""
from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime, timedelta, timezone

from sqlalchemy import and_, case, func, literal, literal_column, null, or_, select, true, union_all

from ..db.cycle_summaries import CycleDurationMonth, CycleProject, CycleStep, CycleStepMonth, CycleStepTotal
from ..db.cycle_summaries import CycleTypeDurationMonth, CycleTypeStepMonth
from ..db.schema import Instance, Task
from . import buckets, cycle, kept_end_to_end, kept_type
from .durations import StepTime
from .kept_cycle import ranks, spread_at

COUNTED = ("activations", "returns", "open_count", "rewound", "cancelled")     # StepTime's order
KEPT = ("activations", "open_count", "rewound", "cancelled", "returns")        # cycle.step_rows' order
LAST_ROW, KEPT_ROW, TIMES_ROW, TAKEN_ROW = 5, 6, 7, 8          # beside cycle's kinds of rows
_within, _bucket_sql = kept_end_to_end.within, kept_end_to_end.bucket_sql


def month(moment: datetime) -> str:
    return f"{moment.year:04d}-{moment.month:02d}"


def _month_start(moment: datetime) -> datetime:
    return moment.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def _next_month(moment: datetime) -> datetime:
    return (_month_start(moment) + timedelta(days=32)).replace(day=1)


def split(starts: datetime | None, ends: datetime | None):
    """The period's whole months, as the first one and the one after the last ('YYYY-MM', None:
    unbounded; None for both when it holds none), and its partial months as [from, to) ranges."""
    first = starts if starts is None or starts == _month_start(starts) else _next_month(starts)
    after = ends if ends is None or ends == _month_start(ends) else _month_start(ends)
    if first is not None and after is not None and first >= after:
        return None, [(starts, ends)]
    edges = ([(starts, first)] if starts is not None and starts < first else []) + \
            ([(after, ends)] if ends is not None and after < ends else [])
    return (month(first) if first else None, month(after) if after else None), edges


class _View:
    """One period's reads; `processes`: the project processes in view; `account_type`: only the
    projects of accounts of that type (None: every project)."""

    def __init__(self, s, processes: list[str], starts: datetime | None, ends: datetime | None,
                 account_type: str | None = None):
        self.s, self.processes, self.starts, self.ends = s, processes, starts, ends
        self.account_type = account_type
        typed = account_type is not None
        self.step_months = CycleTypeStepMonth if typed else CycleStepMonth
        self.duration_months = CycleTypeDurationMonth if typed else CycleDurationMonth
        self.dialect = s.bind.dialect.name
        self.whole, self.edges = split(starts, ends)
        others = s.scalars(select(CycleStepTotal.bpmn_id).distinct()
                           .where(CycleStepTotal.process_id.not_in(processes))).all()
        self.shared = set(others)          # steps other processes have too: their task rows need the project's process

    def _of_type(self, table) -> list:
        """A kept month row (`table`) or a project's kept row of the type in view, if one is."""
        return [table.account_type == self.account_type] if self.account_type is not None else []

    def _ours(self, step_column):
        """A task row of a project in view (only asked for steps another process shares, or when
        the view holds one account type)."""
        if self.account_type is not None:
            return kept_type.of_type(Task.instance_id, self.processes, self.account_type)
        if not self.shared:
            return true()
        return or_(step_column.not_in(self.shared),
                   Task.instance_id.in_(select(Instance.id).where(Instance.process_id.in_(self.processes))))

    def _step_of_type(self) -> list:
        """A `cycle_steps` row of a project of the type in view, if the view holds one type."""
        if self.account_type is None:
            return []
        return [kept_type.of_type(CycleStep.instance_id, self.processes, self.account_type)]

    def straddling(self):
        """Projects in view with activations both inside the period and before or after it (a
        materialised CTE)."""
        c, parts = CycleProject, []
        if self.starts is not None:
            parts.append(select(c.instance_id).where(c.process_id.in_(self.processes), *self._of_type(c),
                                                     c.last_opened >= self.starts, c.first_opened < self.starts))
        if self.ends is not None:
            parts.append(select(c.instance_id).where(c.process_id.in_(self.processes), *self._of_type(c),
                                                     c.last_opened >= self.ends,
                                                     *_within(c.first_opened, self.starts, self.ends)))
        return union_all(*parts).cte("straddling").prefix_with("MATERIALIZED")

    def their_activations(self, straddling):
        """Their activations opened in the period, from `ix_tasks_cycle` alone: the test on the
        opening time is a CASE no index answers (else SQLite reads the period's whole range of
        `ix_tasks_opened`)."""
        opened = case((and_(*_within(Task.created_at, self.starts, self.ends)), 1), else_=0) == 1
        return select(cycle.in_period(Task.instance_id.in_(select(straddling.c.instance_id)), opened)
                      .cte("straddling_activations").prefix_with("MATERIALIZED"))

    def straddlers(self):
        """One statement: the straddling projects' steps over their activations in the period
        (kind 1) and their last openings per step (kind 5), their kept counts to take out (kind 6),
        each one's time end to end over them and whether it finished (kind 7), and per bucket those
        first opened in the period's whole months, counted there by month (kind 8, for `kept_end_to_end`)."""
        straddling = self.straddling()
        acts = self.their_activations(straddling)
        a, c = acts.subquery("last_opened"), CycleStep
        pad = [null()] * 5
        t = cycle.project_times(acts, self.dialect).subquery()
        parts = [cycle.step_rows(acts),                     # first: its typed columns type PostgreSQL's UNION
                 select(literal_column("7"), null(), null(), null(), t.c.took, t.c.finished, *[null()] * 8),
                 *self._taken_out(straddling),
                 select(literal_column("5"), a.c.bpmn_id, null(), func.max(a.c.opened), *[null()] * 5, *pad)
                 .group_by(a.c.bpmn_id),
                 select(literal_column("6"), c.bpmn_id, null(), null(), *[func.sum(getattr(c, n)) for n in KEPT], *pad)
                 .where(c.instance_id.in_(select(straddling.c.instance_id)),
                        *_within(c.first_opened, self.starts, self.ends)).group_by(c.bpmn_id)]
        return union_all(*parts)

    def _taken_out(self, straddling) -> list:
        """Kind 8: per kept bucket, the straddling projects first opened in the whole months (none
        without whole months)."""
        if self.whole is None:
            return []
        p = CycleProject
        code = kept_end_to_end.project_bucket_sql(p.took_us)
        return [select(literal_column("8"), null(), null(), null(), code, func.count(), *[null()] * 8)
                .where(p.instance_id.in_(select(straddling.c.instance_id)),
                       *kept_end_to_end.in_months(p.first_opened, self.whole)).group_by(code)]

    def step_counts(self) -> dict[str, list[int]]:
        """Per step, the kept counts (COUNTED) of the project-steps first opened in the period."""
        m, c = self.step_months, CycleStep
        parts = []
        if self.whole is not None:
            parts.append(select(m.bpmn_id, *[func.sum(getattr(m, n)) for n in COUNTED])
                         .where(m.process_id.in_(self.processes), *self._of_type(m), *_within(m.month, *self.whole))
                         .group_by(m.bpmn_id))
        for lower, upper in self.edges:
            parts.append(select(c.bpmn_id, *[func.sum(getattr(c, n)) for n in COUNTED])
                         .where(c.process_id.in_(self.processes), *_within(c.first_opened, lower, upper),
                                *self._step_of_type()).group_by(c.bpmn_id))
        counts: dict[str, list[int]] = defaultdict(lambda: [0] * len(COUNTED))
        for step, *sums in self.s.execute(union_all(*parts)):
            counts[step] = [a + int(b or 0) for a, b in zip(counts[step], sums)]
        return counts

    def first_and_last(self, steps) -> dict[str, tuple]:
        """Per step, its first opening in the period among the project-steps first opened in it, and
        the opening and name of its last activation in the period among those last opened in it
        (two seeks of `ix_cycle_steps_first` and `ix_cycle_steps_last` per step, one statement)."""
        c, parts = CycleStep, []
        for step in sorted(steps):
            where = [c.process_id.in_(self.processes), c.bpmn_id == step, *self._step_of_type()]
            last = select(c.last_opened, c.name).where(*where, *_within(c.last_opened, self.starts, self.ends)) \
                .order_by(c.last_opened.desc()).limit(1).subquery()
            first = select(func.min(c.first_opened)).where(*where, *_within(c.first_opened, self.starts, self.ends))
            parts.append(select(literal(step), first.scalar_subquery(), last.c.last_opened, last.c.name)
                         .select_from(select(literal(1)).subquery()).outerjoin(last, true()))
        return {step: (first, (last, name) if last is not None else None)
                for step, first, last, name in self.s.execute(union_all(*parts))} if parts else {}

    def duration_counts(self) -> dict[str, dict[int, int]]:
        """Per step and bucket, the completed activations opened in the period."""
        m, parts = self.duration_months, []
        if self.whole is not None:
            parts.append(select(m.bpmn_id, m.bucket, func.sum(m.completed))
                         .where(m.process_id.in_(self.processes), *self._of_type(m), *_within(m.month, *self.whole))
                         .group_by(m.bpmn_id, m.bucket))
        for lower, upper in self.edges:
            code = _bucket_sql(Task.duration_us)
            parts.append(select(Task.bpmn_id, code, func.count())
                         .where(*_within(Task.created_at, lower, upper), Task.duration_us.is_not(None),
                                self._ours(Task.bpmn_id)).group_by(Task.bpmn_id, code))
        counts: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        for step, code, n in self.s.execute(union_all(*parts)):
            counts[step][int(code)] += int(n)
        return counts

    def values_at(self, places: dict[str, dict[int, buckets.Place]],
                  counts: dict[str, dict[int, int]]) -> dict[tuple[str, int], int]:
        """Per step and rank, the time at its place among its bucket's times in the period."""
        return kept_type.read_values(self.s, places, counts, *_within(Task.created_at, self.starts, self.ends),
                                     self._ours(Task.bpmn_id))


def _aware(value) -> datetime | None:
    """A time as the database gave it without its column's type (SQLite: text), in UTC."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return datetime.combine(value.date(), value.time(), timezone.utc) if value is not None else None


def _step_times(view: _View, counts: dict[str, list[int]], theirs: dict[str, list]) -> list[StepTime]:
    in_view = {step for step, c in counts.items() if c[0] > 0}
    firsts_and_lasts = view.first_and_last(in_view)
    durations_by_step = view.duration_counts()
    places = {}
    for step in in_view:
        n = sum(durations_by_step[step].values())
        places[step] = (n, {rank: buckets.place(durations_by_step[step].items(), rank) for rank in ranks(n)})
    values = view.values_at({step: at for step, (_n, at) in places.items()}, durations_by_step)
    steps = []
    for step in in_view:
        first, last = firsts_and_lasts[step]
        name = last[1] if last is not None else None
        if step in theirs:
            their_first, their_last, their_name = theirs[step]
            first = their_first if first is None else min(first, their_first)
            if last is None or (their_last is not None and their_last > last[0]):
                name = their_name
        n, at = places[step]
        time = spread_at(n, {rank: values[(step, rank)] / 1_000_000 for rank in at})
        steps.append((first, StepTime(step, name, time, *counts[step])))
    steps.sort(key=lambda item: item[0])
    result = [st for _first, st in steps]
    result.sort(key=lambda st: -(st.time.median or 0))
    return result


def cycle_time(s, processes: list[str], starts: datetime | None, ends: datetime | None,
               account_type: str | None = None):
    """(steps, end to end, projects in view) for the period [starts, ends), of the projects of
    accounts of `account_type` only if it is given."""
    view = _View(s, processes, starts, ends, account_type)
    counts = view.step_counts()
    theirs, straddlers, taken_out = {}, [], Counter()
    for kind, step, name, moment, *numbers in s.execute(view.straddlers()):
        moment = _aware(moment)                          # untyped in the UNION on SQLite: text
        if kind == cycle.STEP_ROW:                       # n, open, rewound, cancelled, returns
            n, open_, rewound, cancelled, returns = (int(v or 0) for v in numbers[:5])
            counts[step] = [a + b for a, b in zip(counts[step], (n, returns, open_, rewound, cancelled))]
            theirs.setdefault(step, [None, None, None])[0::2] = [moment, name]
        elif kind == LAST_ROW:
            theirs.setdefault(step, [None, None, None])[1] = moment
        elif kind == TIMES_ROW:
            straddlers.append((numbers[0], numbers[1]))
        elif kind == TAKEN_ROW:                          # a bucket, its straddlers first opened in whole months
            taken_out[int(numbers[0])] += int(numbers[1])
        elif kind == KEPT_ROW:                           # as KEPT: the straddlers' kept counts, taken out
            kept = dict(zip(KEPT, (int(v or 0) for v in numbers[:5])))
            counts[step] = [a - kept[n] for a, n in zip(counts[step], COUNTED)]
    period = kept_end_to_end.PeriodEndToEnd(s, processes, account_type, starts, ends, view.whole, view.edges)
    whole, projects = period.spread(straddlers, taken_out)
    return _step_times(view, counts, theirs), whole, projects
