"""Instance status and outcome, with the allowed transitions in one place."""
from __future__ import annotations

from enum import Enum

from .errors import Conflict


class Status(str, Enum):
    RUNNING = "running"
    SUSPENDED = "suspended"
    ERROR = "error"
    COMPLETED = "completed"
    TERMINATED = "terminated"


class Outcome(str, Enum):
    ESTABLISHED = "established"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


_ALLOWED: dict[Status, frozenset[Status]] = {
    Status.RUNNING: frozenset({Status.SUSPENDED, Status.ERROR, Status.COMPLETED, Status.TERMINATED}),
    Status.SUSPENDED: frozenset({Status.RUNNING, Status.TERMINATED}),
    Status.ERROR: frozenset({Status.RUNNING, Status.TERMINATED, Status.COMPLETED}),
    Status.COMPLETED: frozenset(),
    Status.TERMINATED: frozenset(),
}


def transition(current: str | Status, target: Status) -> Status:
    """Return `target` if an instance in `current` may move there, else raise Conflict."""
    current = Status(current)
    if target == current:
        return current
    if target not in _ALLOWED[current]:
        raise Conflict(f"An instance that is {current.value} cannot become {target.value}")
    return target


def is_open(status: str | Status) -> bool:
    """Open instances may still have work done on them."""
    return Status(status) in (Status.RUNNING, Status.ERROR, Status.SUSPENDED)


class Standing(str, Enum):
    """The one word a person reads for where a project stands: the status and the outcome
    together (an established project is not "completed" plus "established", it is established)."""
    IN_PROGRESS = "in_progress"
    ESTABLISHED = "established"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    SUSPENDED = "suspended"
    TERMINATED = "terminated"
    ERROR = "error"
    COMPLETED = "completed"      # a finished process that has no outcome of its own


def standing(status: str | Status, outcome: str | Outcome | None) -> Standing:
    """The outcome wins once there is one; otherwise the status says it."""
    if outcome:
        return Standing(Outcome(outcome).value)
    return {Status.RUNNING: Standing.IN_PROGRESS, Status.SUSPENDED: Standing.SUSPENDED,
            Status.ERROR: Standing.ERROR, Status.COMPLETED: Standing.COMPLETED,
            Status.TERMINATED: Standing.TERMINATED}[Status(status)]
