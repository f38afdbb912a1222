"""Cycle time with a period, for a viewer who sees every project, from what the database keeps
(migration 0041) instead of every activation opened in the period.

The figures are the ones `cycle.from_activations` computes over the activations opened in the
period, exactly. A period is whole days; what is kept by month covers its whole months, and its
partial first and last months are read from the rows (`cycle_steps`, `ix_tasks_opened`).
- A project lies wholly inside the period when it first and last opened in it; its kept figures
  are then the period's. The projects that straddle the period's start or its end are few (mid-June
  to now: 1,539 of 30,000); their activations in the period are read and counted by the pure
  definition (`durations`) in place of what is kept for them.
- Per step: the kept counts of the project-steps first opened in the period, less those of the
  straddling projects, plus the straddling projects' counts over their activations in the period.
- The ranks (median, p90): completed activations per step and duration bucket opened in the period
  (an activation's own time needs no project); each rank's bucket is found from the counts and its
  values in the period are read from `ix_tasks_durations`, as `kept_cycle` does for all time.
- End to end: each project wholly inside the period has its kept time; a straddling one its time
  over its activations in the period.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from sqlalchemy import Integer, String, case, cast, func, literal, or_, select, true, union_all

from ..db.cycle_summaries import CycleDurationMonth, CycleProject, CycleStep, CycleStepMonth, CycleStepTotal
from ..db.schema import Instance, Task
from . import buckets, durations
from .durations import Activation, StepTime
from .kept_cycle import ranks, spread_at
from .stats import spread

COUNTED = ("activations", "returns", "open_count", "rewound", "cancelled")     # StepTime's order


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


def _within(column, lower, upper) -> list:
    return ([column >= lower] if lower is not None else []) + ([column < upper] if upper is not None else [])


class _View:
    """One period's reads; `processes`: the project processes in view."""

    def __init__(self, s, processes: list[str], starts: datetime | None, ends: datetime | None):
        self.s, self.processes, self.starts, self.ends = s, processes, starts, ends
        self.whole, self.edges = split(starts, ends)
        others = s.scalars(select(CycleStepTotal.bpmn_id).distinct()
                           .where(CycleStepTotal.process_id.not_in(processes))).all()
        self.shared = set(others)          # steps other processes have too: their task rows need the project's process

    def _months(self, column) -> list:
        return _within(column, *self.whole)

    def _ours(self, step_column):
        """A task row of a project in view (only asked for steps another process shares)."""
        if not self.shared:
            return true()
        return or_(step_column.not_in(self.shared),
                   Task.instance_id.in_(select(Instance.id).where(Instance.process_id.in_(self.processes))))

    def straddling(self) -> list[str]:
        """Projects in view with activations both inside the period and before or after it."""
        c, parts = CycleProject, []
        if self.starts is not None:
            parts.append(select(c.instance_id).where(c.process_id.in_(self.processes), c.last_opened >= self.starts,
                                                     c.first_opened < self.starts))
        if self.ends is not None:
            parts.append(select(c.instance_id).where(c.process_id.in_(self.processes), c.last_opened >= self.ends,
                                                     *_within(c.first_opened, self.starts, self.ends)))
        return list(self.s.scalars(union_all(*parts)))

    def their_activations(self, projects: list[str]) -> list[Activation]:
        rows = []
        for start in range(0, len(projects), 500):
            rows += self.s.execute(select(Task.instance_id, Task.bpmn_id, Task.name, Task.created_at, Task.closed_at,
                                          Task.state, Task.id).where(Task.instance_id.in_(projects[start:start + 500]),
                                                            *_within(Task.created_at, self.starts, self.ends))).all()
        rows.sort(key=lambda r: (r.created_at, r.id))            # as the pure definition is given them
        return [Activation(*row[:-1]) for row in rows]

    def step_counts(self, straddling: list[str]) -> dict[str, list[int]]:
        """Per step, the kept counts (COUNTED) of the project-steps first opened in the period, the
        straddling projects' own taken out."""
        m, c = CycleStepMonth, CycleStep
        parts = []
        if self.whole is not None:
            parts.append(select(m.bpmn_id, *[func.sum(getattr(m, n)) for n in COUNTED])
                         .where(m.process_id.in_(self.processes), *self._months(m.month)).group_by(m.bpmn_id))
        for lower, upper in self.edges:
            parts.append(select(c.bpmn_id, *[func.sum(getattr(c, n)) for n in COUNTED])
                         .where(c.process_id.in_(self.processes), *_within(c.first_opened, lower, upper))
                         .group_by(c.bpmn_id))
        counts: dict[str, list[int]] = defaultdict(lambda: [0] * len(COUNTED))
        for step, *sums in self.s.execute(union_all(*parts)):
            counts[step] = [a + int(b or 0) for a, b in zip(counts[step], sums)]
        for start in range(0, len(straddling), 500):
            for step, *sums in self.s.execute(
                    select(c.bpmn_id, *[func.sum(getattr(c, n)) for n in COUNTED])
                    .where(c.instance_id.in_(straddling[start:start + 500]),
                           *_within(c.first_opened, self.starts, self.ends)).group_by(c.bpmn_id)):
                counts[step] = [a - int(b or 0) for a, b in zip(counts[step], sums)]
        return counts

    def first_and_last(self, steps) -> dict[str, tuple]:
        """Per step, its first opening in the period among the project-steps first opened in it, and
        the name and opening of its last activation in the period among those last opened in it."""
        c, result = CycleStep, {}
        for step in steps:
            where = [c.process_id.in_(self.processes), c.bpmn_id == step]
            first = self.s.scalar(select(func.min(c.first_opened))
                                  .where(*where, *_within(c.first_opened, self.starts, self.ends)))
            last = self.s.execute(select(c.last_opened, c.name).where(
                *where, *_within(c.last_opened, self.starts, self.ends))
                .order_by(c.last_opened.desc()).limit(1)).first()
            result[step] = (first, last)
        return result

    def duration_counts(self) -> dict[str, dict[int, int]]:
        """Per step and bucket, the completed activations opened in the period."""
        m, parts = CycleDurationMonth, []
        if self.whole is not None:
            parts.append(select(m.bpmn_id, m.bucket, func.sum(m.completed))
                         .where(m.process_id.in_(self.processes), *self._months(m.month))
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

    def bucket_values(self, wanted: set[tuple[str, int]]) -> dict[tuple[str, int], list[int]]:
        """The sorted times of each (step, bucket) wanted, of activations opened in the period."""
        parts = []
        for step, code in sorted(wanted):
            lower, upper = buckets.bounds(code)
            parts.append(select(literal(step).label("step"), literal(code).label("code"), Task.duration_us).where(
                Task.bpmn_id == step, *_within(Task.duration_us, lower, upper), Task.duration_us.is_not(None),
                *_within(Task.created_at, self.starts, self.ends), self._ours(Task.bpmn_id)))
        values = defaultdict(list)
        if parts:
            for step, code, took in self.s.execute(union_all(*parts)):
                values[(step, code)].append(int(took))
        return {key: sorted(v) for key, v in values.items()}

    def kept_times(self) -> tuple[int, list[int]]:
        """Projects wholly inside the period, and the kept times of the finished ones."""
        c = CycleProject
        rows = self.s.execute(select(c.took_us).where(
            c.process_id.in_(self.processes), *_within(c.first_opened, self.starts, self.ends),
            *([c.last_opened < self.ends] if self.ends is not None else []))).scalars().all()
        return len(rows), [took for took in rows if took is not None]


def _bucket_sql(value):
    """`buckets.bucket` in SQL, as migration 0027 computes it."""
    text = cast(value, String)
    return case((value < 10, 0), else_=func.length(text) * 100 + cast(func.substr(text, 1, 2), Integer))


def _step_times(view: _View, counts: dict[str, list[int]], computed: dict[str, StepTime],
                acts: list[Activation]) -> list[StepTime]:
    in_view = {step for step, c in counts.items() if c[0] > 0}
    kept_ends = view.first_and_last(in_view)
    durations_by_step = view.duration_counts()
    places = {}
    for step in in_view:
        n = sum(durations_by_step[step].values())
        places[step] = (n, {rank: buckets.place(durations_by_step[step].items(), rank) for rank in ranks(n)})
    values = view.bucket_values({(step, p.bucket) for step, (_n, at) in places.items() for p in at.values()})
    last_of = {}
    for a in acts:                                     # in opening order: the last one stays
        last_of[a.step] = a
    steps = []
    for step in in_view:
        first, last = kept_ends[step]
        if step in computed:
            opened = min(a.opened for a in acts if a.step == step)
            first = opened if first is None else min(first, opened)
        name = last[1] if last is not None else None
        if step in last_of and (last is None or last_of[step].opened > last[0]):
            name = last_of[step].name
        n, at = places[step]
        time = spread_at(n, {rank: values[(step, p.bucket)][p.offset] / 1_000_000 for rank, p in at.items()})
        steps.append((first, StepTime(step, name, time, *counts[step])))
    steps.sort(key=lambda item: item[0])
    result = [st for _first, st in steps]
    result.sort(key=lambda st: -(st.time.median or 0))
    return result


def cycle_time(s, processes: list[str], starts: datetime | None, ends: datetime | None):
    """(steps, end to end, projects in view) for the period [starts, ends)."""
    view = _View(s, processes, starts, ends)
    straddling = view.straddling()
    acts = view.their_activations(straddling)
    counts = view.step_counts(straddling)
    computed = {st.step: st for st in durations.step_times(acts)}
    for step, st in computed.items():
        counts[step] = [a + b for a, b in zip(counts[step], (st.activations, st.returns, st.open, st.rewound,
                                                            st.cancelled))]
    wholly, kept = view.kept_times()
    times = [took / 1_000_000 for took in kept] + list(durations.end_to_end(acts).values())
    projects = wholly + len({a.instance_id for a in acts})
    return _step_times(view, counts, computed, acts), spread(times), projects
