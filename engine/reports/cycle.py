"""Report (c): cycle time per step and end to end (median and 90th percentile), from the task
rows - one per activation of a step, indexed on (bpmn_id, state, closed_at) - never from the
audit log. The period selects activations opened in it; see `durations` for what counts."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from ..db.schema import Instance, Task
from . import durations, scope
from .durations import Activation, StepTime
from .filters import Filters
from .stats import Spread


@dataclass(frozen=True)
class CycleTime:
    steps: list[StepTime]                # slowest median first
    end_to_end: Spread
    projects: int                        # projects with an activation in view


def activations(ctx, uow, person, filters: Filters) -> list[Activation]:
    rows = uow.session.execute(
        select(Task.instance_id, Task.bpmn_id, Task.name, Task.created_at, Task.closed_at, Task.state)
        .join(Instance, Instance.id == Task.instance_id)
        .where(*scope.projects_where(ctx, uow, person, filters), *scope.between(Task.created_at, filters)))
    return [Activation(*row) for row in rows]


def cycle_time(ctx, uow, username: str, filters: Filters) -> CycleTime:
    found = activations(ctx, uow, scope.viewer(uow, username), filters)
    steps = durations.step_times(found)
    steps.sort(key=lambda s: -(s.time.median or 0))
    return CycleTime(steps, durations.end_to_end_spread(found), len({a.instance_id for a in found}))
