"""Cycle time for a viewer who sees every account of one type (the committee filtered by account
type, without a period), from what the database keeps by type (migration 0042) instead of every
project of the type and its activations.

The same figures as `cycle.from_activations` computes, exactly, read as `kept_cycle` reads the
company's: the counts and returns are the type's kept month counts summed; a rank (median, p90) is found among
the type's kept duration counts (`buckets.place`) and its value read in `ix_tasks_durations`' order
up to its place among the bucket's times of the type's projects; end to end, each finished project's
kept time, read at its rank from `ix_cycle_projects_type`. A step's first opening (which orders the
steps without a time) is its first among the type's projects, in `ix_cycle_steps_first`'s order.
"""
from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func, literal, select, union_all

from ..db.cycle_summaries import CycleProject, CycleStep, CycleTypeDurationMonth, CycleTypeStepMonth
from ..db.schema import Task
from . import buckets
from .durations import StepTime
from .kept_cycle import ranks, spread_at
from .stats import Spread

COUNTS = ("activations", "returns", "open_count", "rewound", "cancelled")     # StepTime's order


def of_type(instance_id, processes: list[str], account_type: str):
    """The project `instance_id` names is one of the view's: its kept row's type, probed by its key
    for each row (as a scalar subquery, which PostgreSQL does not turn into a join: as EXISTS it
    hashed all 34,000 projects of a type to keep a few thousand times of a bucket)."""
    c = CycleProject
    return select(c.account_type).where(c.instance_id == instance_id, c.process_id.in_(processes)) \
        .scalar_subquery() == account_type


class _Type:
    """The reads of one type's view; `processes`: the project processes in view."""

    def __init__(self, s, processes: list[str], account_type: str):
        self.s, self.processes, self.account_type = s, processes, account_type

    def of_type(self, instance_id):
        return of_type(instance_id, self.processes, self.account_type)

    def step_counts(self) -> dict[str, tuple[int, ...]]:
        t = CycleTypeStepMonth
        rows = self.s.execute(select(t.bpmn_id, *[func.sum(getattr(t, c)) for c in COUNTS])
                              .where(t.process_id.in_(self.processes), t.account_type == self.account_type)
                              .group_by(t.bpmn_id)).all()
        return {step: tuple(int(c) for c in counts) for step, *counts in rows if counts[0]}

    def first_and_name(self, steps) -> dict[str, tuple]:
        """Per step: its first opening among the type's projects, and the name its last opened
        activation in the company shows (as `cycle._kept_steps` names it)."""
        parts = []
        for step in sorted(steps):
            ours = [CycleStep.process_id.in_(self.processes), CycleStep.bpmn_id == step]
            first = (select(CycleStep.first_opened).where(*ours, self.of_type(CycleStep.instance_id))
                     .order_by(CycleStep.first_opened).limit(1).scalar_subquery())
            name = select(CycleStep.name).where(*ours).order_by(CycleStep.last_opened.desc()).limit(1).scalar_subquery()
            parts.append(select(literal(step), first, name))
        return {step: (first, name) for step, first, name in self.s.execute(union_all(*parts))} if parts else {}

    def duration_counts(self) -> dict[str, dict[int, int]]:
        d = CycleTypeDurationMonth
        counts: dict[str, dict[int, int]] = defaultdict(dict)
        for step, code, n in self.s.execute(
                select(d.bpmn_id, d.bucket, func.sum(d.completed))
                .where(d.process_id.in_(self.processes), d.account_type == self.account_type)
                .group_by(d.bpmn_id, d.bucket)):
            if n:
                counts[step][code] = int(n)
        return counts

    def values_at(self, places, counts) -> dict[tuple[str, int], int]:
        return read_values(self.s, places, counts, self.of_type(Task.instance_id))

    def end_to_end(self) -> tuple[Spread, int]:
        """Finished projects' times at the ranks, and the projects with an activation."""
        c = CycleProject
        ours = [c.process_id.in_(self.processes), c.account_type == self.account_type]
        projects, n = self.s.execute(select(func.count(), func.count(c.took_us)).where(*ours)).one()
        at = {rank: self.s.scalar(select(c.took_us).where(*ours, c.took_us.is_not(None)).order_by(c.took_us)
                                  .limit(1).offset(rank - 1)) / 1_000_000 for rank in ranks(n)}
        return spread_at(n, at), projects


def read_values(s, places: dict[str, dict[int, buckets.Place]], counts: dict[str, dict[int, int]],
                *ours) -> dict[tuple[str, int], int]:
    """Per step and rank, the time at its place among its bucket's times in view (`ours`: the
    conditions on a task row; `counts` of them in each bucket), read in `ix_tasks_durations`' order
    from the bucket's nearer end up to its place; the median's two neighbouring places in one read.
    One statement a read: as one UNION, PostgreSQL costed the whole above its JIT threshold and
    spent more compiling it (~150 ms) than reading it."""
    values = {}
    for step, at in sorted(places.items()):
        for code, first, ranked in runs(at):
            lower, upper = buckets.bounds(code)
            within = ([Task.duration_us >= lower] if lower is not None else []) + (
                [Task.duration_us < upper] if upper is not None else [])
            descending, skip = nearer_end(counts[step][code], first, len(ranked))
            read = s.scalars(select(Task.duration_us).where(Task.bpmn_id == step, Task.duration_us.is_not(None),
                                                            *within, *ours)
                             .order_by(Task.duration_us.desc() if descending else Task.duration_us)
                             .limit(len(ranked)).offset(skip)).all()
            values.update({(step, rank): int(value) for rank, value in zip(ranked, sorted(read))})
    return values


def nearer_end(count: int, first: int, length: int) -> tuple[bool, int]:
    """How to read places first .. first + length - 1 of `count` sorted values with the fewest
    skipped: (descending, values skipped before them)."""
    after = count - first - length
    return (False, first) if first <= after else (True, after)


def runs(at: dict[int, buckets.Place]):
    """The ranks `at` places, as runs of neighbouring places in one bucket: (bucket, first offset, ranks)."""
    runs: list[tuple[int, int, list[int]]] = []
    for rank, place in sorted(at.items()):
        if runs and runs[-1][0] == place.bucket and runs[-1][1] + len(runs[-1][2]) == place.offset:
            runs[-1][2].append(rank)
        else:
            runs.append((place.bucket, place.offset, [rank]))
    return runs


def cycle_time(s, processes: list[str], account_type: str) -> tuple[list[StepTime], Spread, int]:
    view = _Type(s, processes, account_type)
    counts = view.step_counts()
    named, durations = view.first_and_name(counts), view.duration_counts()
    places = {}
    for step in counts:
        n = sum(durations[step].values())
        places[step] = (n, {rank: buckets.place(durations[step].items(), rank) for rank in ranks(n)})
    values = view.values_at({step: at for step, (_n, at) in places.items()}, durations)
    steps = []
    for step in sorted(counts, key=lambda st: named[st][0]):
        n, at = places[step]
        time = spread_at(n, {rank: values[(step, rank)] / 1_000_000 for rank in at})
        steps.append(StepTime(step, named[step][1], time, *counts[step]))
    steps.sort(key=lambda st: -(st.time.median or 0))
    whole, projects = view.end_to_end()
    return steps, whole, projects
