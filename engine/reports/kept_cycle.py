"""Cycle time for a viewer who sees every project of the period-less report, from the summaries
the database keeps (`engine/db/cycle_summaries.py`, migration 0027) instead of the activations.

The same figures as `cycle.py` computes from the activations, exactly: the counts and returns are
the kept totals; the step order and names come from one index seek per step; a rank (median, p90)
is found among the kept duration counts (`buckets.place`) and its value read from the few rows of
its bucket in `ix_tasks_durations`; end to end, each finished project's kept time, read at its rank
from `ix_cycle_projects_took`. A few thousand rows, however many activations there are.
"""
from __future__ import annotations

from collections import defaultdict

from sqlalchemy import case, func, literal, select, union_all

from ..db.cycle_summaries import CycleDuration, CycleProject, CycleStep, CycleStepTotal
from ..db.schema import Instance, Task
from . import buckets
from .durations import StepTime
from .stats import Spread, spread


def ranks(n: int) -> list[int]:
    """The ranks (1-based) the median and the nearest-rank p90 of n values read."""
    return sorted({r for r in (n // 2, (n + 1) // 2, n // 2 + 1, (9 * n + 9) // 10) if 1 <= r <= n})


def spread_at(n: int, at: dict[int, float]) -> Spread:
    if not n:
        return spread([])
    middle = at[(n + 1) // 2] if n % 2 else (at[n // 2] + at[n // 2 + 1]) / 2
    return Spread(n, float(middle), at[(9 * n + 9) // 10])


def _steps(s, processes: list[str]):
    """Per step with an activation: first opening, the last opened one's name, the kept counts."""
    first = (select(func.min(CycleStep.first_opened))
             .where(CycleStep.process_id.in_(processes), CycleStep.bpmn_id == CycleStepTotal.bpmn_id)
             .scalar_subquery())
    name = (select(CycleStep.name)
            .where(CycleStep.process_id.in_(processes), CycleStep.bpmn_id == CycleStepTotal.bpmn_id)
            .order_by(CycleStep.last_opened.desc()).limit(1).scalar_subquery())
    sums = [func.sum(c) for c in (CycleStepTotal.activations, CycleStepTotal.returns, CycleStepTotal.open_count,
                                  CycleStepTotal.rewound, CycleStepTotal.cancelled)]
    rows = s.execute(select(CycleStepTotal.bpmn_id, first, name, *sums).where(CycleStepTotal.process_id.in_(processes))
                     .group_by(CycleStepTotal.bpmn_id)).all()
    steps = {}
    for step, opened, called, activations, *counts in rows:
        if activations:
            steps[step] = (opened, called, int(activations), *(int(c) for c in counts))
    return steps


def _duration_counts(s, processes: list[str]):
    """Per step, bucket: completed activations in view, and whether other processes share the step."""
    seen = case((CycleDuration.process_id.in_(processes), CycleDuration.completed), else_=0)
    counts, shared = defaultdict(dict), set()
    for step, code, in_view, everywhere in s.execute(
            select(CycleDuration.bpmn_id, CycleDuration.bucket, func.sum(seen), func.sum(CycleDuration.completed))
            .group_by(CycleDuration.bpmn_id, CycleDuration.bucket)):
        if in_view:
            counts[step][code] = int(in_view)
        if everywhere != in_view:
            shared.add(step)
    return counts, shared


def _bucket_values(s, processes: list[str], wanted: set[tuple[str, int]], shared: set[str]) -> dict:
    """The sorted kept durations of each (step, bucket) wanted, of the processes in view only."""
    parts = []
    for step, code in sorted(wanted):
        lower, upper = buckets.bounds(code)
        where = [Task.bpmn_id == step, Task.duration_us.is_not(None)]
        where += [Task.duration_us >= lower] if lower is not None else []
        where += [Task.duration_us < upper] if upper is not None else []
        if step in shared:
            where.append(Task.instance_id.in_(select(Instance.id).where(Instance.process_id.in_(processes))))
        parts.append(select(literal(step).label("step"), literal(code).label("code"), Task.duration_us).where(*where))
    values = defaultdict(list)
    if parts:
        for step, code, took in s.execute(union_all(*parts)):
            values[(step, code)].append(int(took))
    return {key: sorted(v) for key, v in values.items()}


def step_times(s, processes: list[str]) -> list[StepTime]:
    steps = _steps(s, processes)
    counts, shared = _duration_counts(s, processes)
    places = {}
    for step in steps:
        n = sum(counts[step].values())
        places[step] = (n, {rank: buckets.place(counts[step].items(), rank) for rank in ranks(n)})
    values = _bucket_values(s, processes, {(step, p.bucket) for step, (_n, at) in places.items()
                                           for p in at.values()}, shared)
    result = []
    for step, (_opened, name, activations, returns, open_, rewound, cancelled) in sorted(
            steps.items(), key=lambda item: item[1][0]):
        n, at = places[step]
        time = spread_at(n, {rank: values[(step, p.bucket)][p.offset] / 1_000_000 for rank, p in at.items()})
        result.append(StepTime(step, name, time, activations, returns, open_, rewound, cancelled))
    result.sort(key=lambda st: -(st.time.median or 0))
    return result


def end_to_end(s, processes: list[str]) -> tuple[Spread, int]:
    """Finished projects' times at the ranks, and the projects with an activation."""
    projects, n = s.execute(select(func.count(), func.count(CycleProject.took_us))
                            .where(CycleProject.process_id.in_(processes))).one()
    at = {}
    for rank in ranks(n):
        at[rank] = s.scalar(select(CycleProject.took_us).where(CycleProject.process_id.in_(processes),
                                                               CycleProject.took_us.is_not(None))
                            .order_by(CycleProject.took_us).limit(1).offset(rank - 1)) / 1_000_000
    return spread_at(n, at), projects
