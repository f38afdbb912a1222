"""Cycle time from step activations (pure): per step and end to end.

Each activation of a user task is one row with the time it opened and closed and how it closed:
`completed` (someone answered it), `cancelled` (the project was withdrawn, or the step was no
longer needed), `rewound` (an admin sent the project back before it) or still `open`.

- A step's time is measured over its completed activations only (closed - opened). A step that
  runs again in the same project after it completed was sent back to: each such later
  activation counts as a return to that step.
- End to end runs from a project's first activation opening to its last activation closing,
  for projects with no open activation whose last activation to close was completed; a
  withdrawn project (its last activations cancelled) has no end-to-end time.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Iterable

from .stats import Spread, spread

OPEN, COMPLETED, CANCELLED, REWOUND = "open", "completed", "cancelled", "rewound"


@dataclass(frozen=True)
class Activation:
    instance_id: str
    step: str                        # the BPMN id of the user task
    name: str
    opened: datetime
    closed: datetime | None
    state: str


@dataclass(frozen=True)
class StepTime:
    step: str
    name: str
    time: Spread                     # over completed activations, in seconds
    activations: int
    returns: int                     # activations after this step had completed in the same project
    open: int
    rewound: int
    cancelled: int


def microseconds(opened: datetime, closed: datetime) -> int:
    """An activation's time, exactly: the database keeps it on each completed task row
    (`tasks.duration_us`, migration 0023's triggers) and the report ranks the stored values."""
    return (closed - opened) // timedelta(microseconds=1)


def seconds(a: Activation) -> float:
    return microseconds(a.opened, a.closed) / 1_000_000      # == (closed - opened).total_seconds()


def _returns(rows: list[Activation]) -> int:
    """Activations opened after an earlier activation of the same step in the same project completed
    (parallel activations of one round, such as committee votes, open together and are not returns)."""
    count = 0
    completed_at: dict[str, datetime] = {}
    for a in sorted(rows, key=lambda r: r.opened):
        first = completed_at.get(a.instance_id)
        if first is not None and a.opened >= first:
            count += 1
        if a.state == COMPLETED and a.closed is not None:
            completed_at[a.instance_id] = min(first or a.closed, a.closed)
    return count


def step_times(activations: Iterable[Activation]) -> list[StepTime]:
    """One row per step, in the order the steps first opened."""
    by_step: dict[str, list[Activation]] = {}
    for a in sorted(activations, key=lambda r: r.opened):
        by_step.setdefault(a.step, []).append(a)
    result = []
    for step, rows in by_step.items():
        done = [seconds(a) for a in rows if a.state == COMPLETED and a.closed is not None]
        result.append(StepTime(step, rows[-1].name, spread(done), len(rows), _returns(rows),
                               sum(a.state == OPEN for a in rows), sum(a.state == REWOUND for a in rows),
                               sum(a.state == CANCELLED for a in rows)))
    return result


def end_to_end(activations: Iterable[Activation]) -> dict[str, float]:
    """Seconds from first opening to last closing, per finished (not withdrawn) project."""
    by_instance: dict[str, list[Activation]] = {}
    for a in activations:
        by_instance.setdefault(a.instance_id, []).append(a)
    result = {}
    for instance_id, rows in by_instance.items():
        if any(a.state == OPEN or a.closed is None for a in rows):
            continue
        last = max(rows, key=lambda a: (a.closed, a.state == COMPLETED))
        if last.state == COMPLETED:
            result[instance_id] = (last.closed - min(a.opened for a in rows)).total_seconds()
    return result


def end_to_end_spread(activations: Iterable[Activation]) -> Spread:
    return spread(end_to_end(activations).values())
