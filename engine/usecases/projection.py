"""Write a changed workflow back: instance columns, the task projection, notifications.

Every use case that runs the workflow (start, complete, fire timers, withdraw) ends here,
so the inbox, the instance row and the stored state always agree.
"""
from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import datetime

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from .. import auditlog, naming
from ..assignment import MANAGER_LANE, Lane, offer_for
from ..db.list_indexes import OPEN_TASK
from ..db.schema import Instance, Task, TaskCandidate
from ..directory import Directory
from ..spiff import SERIALIZER_VERSION, HumanTask, Runtime
from ..status import Status
from . import calls, committee
from .notifications import Steps, announce, notify  # noqa: F401 - notify: the use cases' one way to queue mail


_OPEN_TASKS = (select(Task).where(Task.instance_id == bindparam("instance_id"), OPEN_TASK)
               .order_by(Task.created_at, Task.id))


def open_tasks(session: Session, instance_id: str) -> list[Task]:
    return list(session.scalars(_OPEN_TASKS, {"instance_id": instance_id}))


def audit(session: Session, instance_id: str, kind: str, actor: str | None, now: datetime,
          task: Task | None = None, data: dict | None = None, meta: dict | None = None, **extra) -> None:
    """Record an event on the instance's audit stream; `data` may be personal (erasable),
    `meta` holds small non-personal facts."""
    auditlog.record(session, auditlog.instance_stream(instance_id), kind, actor, now, instance_id=instance_id,
                    task_id=task.id if task else extra.get("task_id"),
                    bpmn_id=task.bpmn_id if task else extra.get("bpmn_id"),
                    task_name=task.name if task else extra.get("task_name"), meta=meta, payload=data)


def _lane(directory: Directory, human: HumanTask, owner: str) -> Lane:
    """The task's lane, with the group named like it and the `lane_owners` the process data names.
    A task whose `assignee` names someone other than the owner goes to them (rule 2 of
    `assignment`), so neither is looked up for it."""
    if human.lane is None and human.lane_name is None:
        return Lane(None)
    if isinstance(human.assignee, str) and human.assignee and human.assignee != owner:
        return Lane(human.lane, human.lane_name)
    owners = (human.data.get("lane_owners") or {}) if isinstance(human.data.get("lane_owners"), dict) else {}
    named = owners.get(human.lane_name, owners.get(human.lane))
    if isinstance(named, str):
        named = [named]
    active = None
    if isinstance(named, (list, tuple)):
        people = [directory.find(u) if isinstance(u, str) else None for u in named]
        active = tuple(p.username for p in people if p is not None and p.active)
    return Lane(human.lane, human.lane_name, directory.group_for_lane(human.lane, human.lane_name), active)


def _new_task_rows(session: Session, directory: Directory, inst: Instance, humans: list[HumanTask],
                   now: datetime) -> list[Task]:
    """Rows for tasks the workflow just opened, offered by the rules of `assignment`; the people
    they name are read together, the rows (then their candidates) inserted in one batch each."""
    if not humans:
        return []
    owner = directory.get(inst.owner)
    lanes = [_lane(directory, h, owner.username) for h in humans]
    offers = [offer_for(lane, owner, h.assignee, directory.managers_of(owner.department)
                        if lane.id == MANAGER_LANE else []) for lane, h in zip(lanes, humans)]
    directory.find_all(o.assignee for o in offers)
    rows = []
    for human, offer in zip(humans, offers):
        stand_in = directory.stand_in(offer.assignee, now)
        if stand_in != offer.assignee and stand_in != offer.excluded:
            offer = replace(offer, assignee=stand_in)
        rows.append(Task(id=str(uuid.uuid4()), instance_id=inst.id, spiff_task_id=human.spiff_id,
                         bpmn_id=human.bpmn_id, name=human.name, lane=human.lane, definition_id=human.definition,
                         form_file=human.form_file, ui_file=human.ui_file, assignee=offer.assignee,
                         candidate_group=offer.group, excluded_user=offer.excluded, state="open",
                         due_at=human.due_at, created_at=now))
        directory.offered(rows[-1].id, offer.candidates)
    session.add_all(rows)
    named = [TaskCandidate(task_id=row.id, username=u) for row, offer in zip(rows, offers) for u in offer.candidates]
    if named:
        session.flush()                          # the rows first: candidates refer to them
        session.add_all(named)
    return rows


def apply_runtime(session: Session, directory: Directory, inst: Instance, rt: Runtime,
                  now: datetime, submitted: dict | None = None, actor: str | None = None,
                  done: Task | None = None, closed_as: str = "cancelled", still_open: list | None = None,
                  before: list[Task] | None = None, dumped: str | None = None,
                  completed_before: frozenset[str] | None = None) -> list[Task]:
    """Save `rt` into `inst`, bring the task projection in line and queue the notifications
    of `actor`'s step (`done`: the task they completed); returns new task rows. Open rows the
    workflow no longer waits at close as `closed_as` (an admin's rewind: `rewound`); `still_open`, if
    given, receives every open row afterwards (no need to read them again); `before`: the open rows
    as the caller already read them in this transaction (else they are read here); `dumped`: `rt`
    already serialised, by a caller that does so before its first write (db/read_ahead.py);
    `completed_before`: the steps the instance had completed, as the caller read them with its lock
    and `before` (the notices then know every step's state without reading it)."""
    humans = rt.human_tasks()
    live = {h.spiff_id: h for h in humans}
    kept, ended = set(), [done] if done is not None else []
    given_before = before is not None
    before = open_tasks(session, inst.id) if before is None else before
    for row in before:
        if row.spiff_task_id in live:
            row.due_at = live[row.spiff_task_id].due_at
            kept.add(row.spiff_task_id)
        else:
            row.state, row.closed_at = closed_as, now
            ended.append(row)
    new_rows = _new_task_rows(session, directory, inst, [h for h in humans if h.spiff_id not in kept], now)
    steps = None
    if completed_before is not None and given_before:
        steps = Steps(completed_before | {r.bpmn_id for r in ended if r.state == "completed"},
                      frozenset(r.bpmn_id for r in [*before, *new_rows] if r.state == "open"))
    if still_open is not None:
        still_open.extend([*(r for r in before if r.state == "open"), *new_rows])
    committee.budget_answered(session, inst, submitted, now)
    committee.record(session, inst, humans, new_rows, ended, rt.data, done, closed_as, now)
    calls.record(session, inst, rt, now)
    inst.workflow = rt.dump() if dumped is None else dumped
    inst.serializer_version = SERIALIZER_VERSION
    inst.next_timer_at = rt.next_timer_at()
    inst.stage = ", ".join(dict.fromkeys(h.name for h in humans))[:300]
    inst.updated_at = now
    ended = rt.completed and inst.status == Status.RUNNING.value
    if ended:
        inst.status = Status.COMPLETED.value
        inst.outcome = inst.outcome or rt.outcome()
        inst.ended_at = now
        inst.next_timer_at = None
        audit(session, inst.id, "ended", None, now, data={"outcome": inst.outcome})
    for data in (submitted or {}, rt.data):       # parallel branches see the answer only after they join
        customer = data.get("customer")
        if isinstance(customer, dict) and customer.get("name"):
            inst.account_name = str(customer["name"])[:300]
            break
    named = naming.name_from_data(rt.model.display_name_field, {**rt.data, **(submitted or {})})
    if named:
        inst.project_name = named
    session.flush()
    alone = done is not None and rt.answers_alone(done.spiff_task_id,
                                                  done.bpmn_id if done.definition_id is None else None)
    announce(session, directory, inst, new_rows, now, actor=actor, done=done, submitted=submitted, ended=ended,
             alone=alone, steps=steps)
    return new_rows
