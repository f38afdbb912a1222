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
