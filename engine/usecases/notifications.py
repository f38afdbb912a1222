"""Who hears what after a step: the engine's notification rules, queued as facts.

Every use case that runs the workflow ends in `apply_runtime`, which calls `announce` with
what the step did: who acted, which task they completed, which tasks opened, whether the
project ended. The rules (docs/process.md, "Notifications"):

- nobody is told about work their own action created (starting a project mails nobody);
- a new task is `task_assigned`;
- a step that comes back to whoever did it, because a later step decided so, is `returned`
  (with that decision and its reasons); a step that comes round again to its reviewer after
  the work before it was redone is `resubmitted`;
- the owner hears a review step's result once every answer to it is in (`decision`), and
  how the project ended (`project_ended`);
- one message per person per step: the most telling one.
"""
from __future__ import annotations

import math
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import bindparam, func, or_, select
from sqlalchemy.orm import Session

from .. import auditlog
from ..db import late_inserts
from ..db.list_indexes import COMPLETED_TASK, OPEN_TASK
from ..db.schema import AuditEvent, Instance, Notification, Task
from ..directory import Directory

PRIORITY = ("project_ended", "returned", "decision", "resubmitted", "task_assigned")   # most telling first
_ANSWER_FIELDS = ("decision", "reason_code", "comment", "return_to")


def notify(session: Session, directory: Directory, usernames: list[str], kind: str, now: datetime,
           instance_id: str | None, task_id: str | None = None, actor: str | None = None,
           facts: dict | None = None) -> None:
    """Queue a message of `kind` to each of `usernames`, except the actor and inactive people.
    The recipient's language is kept as it is now; the words are chosen at delivery."""
    _queue(session, directory, [(name, kind, task_id, facts) for name in dict.fromkeys(usernames)],
           now, instance_id, actor)


def _queue(session: Session, directory: Directory, messages: list[tuple[str, str, str | None, dict | None]],
           now: datetime, instance_id: str | None, actor: str | None) -> None:
    """Insert the messages (recipient, kind, task, facts) in one batch at the transaction's end, with
    its audit events (db/late_inserts.py): nothing reads them back in the transaction."""
    people = directory.find_all(name for name, *_rest in messages)
    rows = [{"username": name, "kind": kind, "instance_id": instance_id, "task_id": task_id, "actor": actor,
             "locale": people[name].locale, "facts": dict(facts or {}), "created_at": now, "status": "pending",
             "attempts": 0, "next_attempt_at": now}
            for name, kind, task_id, facts in messages
            if name in people and people[name].active and name != actor]
    late_inserts.add(session, Notification.__table__, rows)


def decision_of(answer: dict | None) -> dict | None:
    """A review answer: the object in it that has a `decision` field (the web UI reads it alike)."""
    for value in (answer or {}).values():
        if isinstance(value, dict) and isinstance(value.get("decision"), str):
            return value
    return None


def _answer(task_id: str | None, actor: str | None, data: dict | None) -> dict | None:
    found = decision_of(data)
    if found is None:
        return None
    return {"task_id": task_id, "by": actor, **{k: found[k] for k in _ANSWER_FIELDS if isinstance(found.get(k), str)}}


def _round_answers(session: Session, done: Task, submitted: dict | None) -> list[dict]:
    """The decisions given to `done`'s step in this round (every member's, for a vote): the
    earlier ones from the audit log, this one as submitted (its event is appended at commit)."""
    together = select(Task.id).where(Task.instance_id == done.instance_id, Task.bpmn_id == done.bpmn_id,
                                     Task.created_at == done.created_at, Task.state == "completed",
                                     Task.id != done.id)
    events = list(session.scalars(select(AuditEvent).where(
        AuditEvent.stream == auditlog.instance_stream(done.instance_id), AuditEvent.kind == "completed",
        AuditEvent.task_id.in_(together)).order_by(AuditEvent.seq)))
    data = auditlog.payloads(session, [e.id for e in events])
    answers = [_answer(e.task_id, e.actor, data.get(e.id)) for e in events]
    answers.append(_answer(done.id, done.closed_by, submitted))
    return [a for a in answers if a is not None]


# The statements every completion may send, built once (building one cost about what running it did).
_FIRST_COMPLETIONS = (select(AuditEvent.bpmn_id, func.min(AuditEvent.seq))
                      .where(AuditEvent.stream == bindparam("stream"), AuditEvent.kind == "completed",
                             AuditEvent.bpmn_id.in_(bindparam("steps", expanding=True)))
                      .group_by(AuditEvent.bpmn_id))
_STEPS = select(Task.bpmn_id, Task.state).distinct().where(
    Task.instance_id == bindparam("instance_id"),
    or_(COMPLETED_TASK, OPEN_TASK & (Task.bpmn_id == bindparam("open_step"))))


def _kind_of_new_task(session: Session, row: Task, done: Task | None, completed_steps: set[str]) -> str:
    """`task_assigned` the first time; later `returned` when the step first ran before the
    step that sent it back, `resubmitted` when it first ran after the step that was redone."""
    if row.bpmn_id not in completed_steps:
        return "task_assigned"
    if done is None:
        return "returned"                 # an admin's rewind
    first = dict(session.execute(_FIRST_COMPLETIONS, {"stream": auditlog.instance_stream(row.instance_id),
                                                      "steps": sorted({row.bpmn_id, done.bpmn_id})}).all())
    # a step with no completion on record yet first ran just now, after everything recorded
    return "returned" if first.get(row.bpmn_id, math.inf) < first.get(done.bpmn_id, math.inf) else "resubmitted"


class Steps(NamedTuple):
    """The instance's steps after this one, when the caller already knows them (a completion reads
    the completed ones with its lock and holds every open row)."""
    completed: frozenset[str]           # completed at least once
    open: frozenset[str]                # with an open task


def _steps(session: Session, instance_id: str, open_step: str | None) -> tuple[set[str], bool]:
    """(the steps of the instance completed at least once, whether `open_step` has an open task): one read."""
    rows = session.execute(_STEPS, {"instance_id": instance_id, "open_step": open_step}).all()
    return {b for b, state in rows if state == "completed"}, any(state == "open" for _b, state in rows)


def announce(session: Session, directory: Directory, inst: Instance, new_rows: list[Task], now: datetime,
             actor: str | None = None, done: Task | None = None, submitted: dict | None = None,
             ended: bool = False, alone: bool = False, steps: Steps | None = None) -> None:
    """Queue what this step tells whom (see the module's rules); `submitted` is `done`'s answer,
    the step's only one when `alone` (not a vote), so no earlier answers are read; `steps`: the
    instance's steps as the caller knows them (else read here)."""
    plans: dict[str, tuple[str, list[Task], dict]] = {}

    def plan(name: str, kind: str, rows: list[Task], facts: dict) -> None:
        current = plans.get(name)
        if current is not None and current[0] == kind:
            current[1].extend(r for r in rows if r not in current[1])
        elif current is None or PRIORITY.index(kind) < PRIORITY.index(current[0]):
            plans[name] = (kind, list(rows), facts)

    decided = done is not None and decision_of(submitted) is not None
    if not decided:
        answers = []
    elif alone:
        answers = [a for a in [_answer(done.id, done.closed_by, submitted)] if a is not None]
    else:
        answers = _round_answers(session, done, submitted)
    open_step = done.bpmn_id if answers else None
    if not (new_rows or (answers and not ended)):
        completed_steps, still_open = set(), False
    elif steps is not None:
        completed_steps, still_open = set(steps.completed), open_step in steps.open
    else:
        completed_steps, still_open = _steps(session, inst.id, open_step)
    for row in new_rows:
        kind = _kind_of_new_task(session, row, done, completed_steps)
        for name in directory.reached_by(row):
            plan(name, kind, [row], {"decisions": answers} if kind == "returned" and answers else {})
    if ended:
        plan(inst.owner, "project_ended", [done] if done else [], {"outcome": inst.outcome, "decisions": answers})
    elif answers and not still_open:
        plan(inst.owner, "decision", [done], {"decisions": answers, "next": [r.id for r in new_rows]})
    messages = []
    for name, (kind, rows, facts) in plans.items():
        ids = [r.id for r in rows]
        if len(ids) > 1:
            facts = {**facts, "tasks": ids}
        messages.append((name, kind, ids[0] if ids else None, facts))
    _queue(session, directory, messages, now, inst.id, actor)
