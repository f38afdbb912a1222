"""What a running instance must always have: something that can move it on.

The engine checks this after every step, before it saves. A running instance has an open
human task, or waits at a catch event that something can wake (a timer the workers fire,
a message); an activity in progress (a multi-instance, a subprocess) has something inside
it that can move; and a boundary timer waits only while the activity it sits on is open.
An instance that breaks this would stay `running` forever with nobody able to act - the
state a lost multi-instance merge left behind - so the step fails instead, loudly, and is
recorded as an incident. Pure functions over plain values, so the rule is tested alone.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from .errors import ProcessError


class WaitKind(str, Enum):
    HUMAN = "human"          # a user task someone can complete now
    CATCH = "catch"          # an intermediate catch event, receive task or event start
    BOUNDARY = "boundary"    # an event attached to an activity
    ACTIVITY = "activity"    # an activity in progress: multi-instance, loop or subprocess
    JOIN = "join"            # a gateway waiting for other branches (where a stuck flow stopped)


@dataclass(frozen=True)
class Wait:
    """One thing a workflow waits for, as the invariant needs to see it."""

    kind: WaitKind
    element: str                 # BPMN id of the task, event or gateway
    wakeable: bool = True        # events: registered where timers and messages are looked for
    host: str | None = None      # boundary events: the activity they are attached to
    open: bool = True            # activities and boundary hosts: can anything inside move on?


@dataclass(frozen=True)
class Violation:
    element: str
    message: str


def violations(completed: bool, waits: list[Wait]) -> list[Violation]:
    """Every way a workflow about to be saved breaks the rule; empty when it holds."""
    found = []
    for wait in waits:
        if wait.kind in (WaitKind.CATCH, WaitKind.BOUNDARY) and not wait.wakeable:
            found.append(Violation(wait.element, f"{wait.element} waits for an event nothing will ever deliver"))
        if wait.kind is WaitKind.BOUNDARY and not wait.open:
            found.append(Violation(wait.element, f"boundary event {wait.element} still waits, but {wait.host} "
                                                 "has no open work left"))
        if wait.kind is WaitKind.ACTIVITY and not wait.open:
            found.append(Violation(wait.element, f"{wait.element} is in progress, but nothing inside it can "
                                                 "move on"))
    movable = any(w.kind is WaitKind.HUMAN or (w.kind is WaitKind.CATCH and w.wakeable) for w in waits)
    if not completed and not movable:
        stopped = list(dict.fromkeys(w.element for w in waits if w.kind in (WaitKind.ACTIVITY, WaitKind.JOIN)))
        where = f" (it stopped at {', '.join(stopped)})" if len(stopped) > 1 else ""
        found.insert(0, Violation(stopped[0] if stopped else "",
                                  f"the process is still running but has no open task and waits for no event{where}"))
    return found


def ensure_progress(completed: bool, waits: list[Wait]) -> None:
    """Raise a `ProcessError` naming the first violation, if any."""
    problems = violations(completed, waits)
    if problems:
        raise ProcessError("; ".join(p.message for p in problems), element=problems[0].element)
