"""Row locks in one fixed order: the instance, then its tasks, then the outbox.

Every writing use case that touches an instance or its tasks locks the instance row first
(PostgreSQL `FOR NO KEY UPDATE`, which still lets rows that merely point at the instance,
such as attachments, be added beside it). Two transactions on one instance then queue at
the same row instead of each holding a row the other waits for: a timer worker and a user
completing a task cannot deadlock. On SQLite every writer already queues at `BEGIN IMMEDIATE`,
and these statements are plain reads; in a transaction that reads ahead of its turn
(read_ahead.py) each lock names its rows as witnesses, checked again once the turn is taken.
"""
from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import Row, bindparam, func, literal, literal_column, or_, select, text
from sqlalchemy.orm import Session, aliased

from . import read_ahead
from .list_indexes import OPEN_TASK
from .reference_stamps import PEOPLE_STAMP, RATES_STAMP, Stamps
from .schema import INSTANCE_STREAM, AuditHead, GroupMember, Incident, Instance, Task, User

_PG_DEPLOY_LOCK = 7_317_003    # any constant; every KAM Flow process agrees on it
# What a lock on SQLite relies on, read again at the writers' turn (read_ahead.py):
# (a task's named candidates are written with its row, never changed: the row's columns cover them;
# its drafts go with it when it closes, by a trigger: migration 0046)
_INSTANCE_WITNESS = "SELECT version, status FROM instances WHERE id = ?"
_TASK_WITNESS = ("SELECT i.version, i.status, t.state, t.assignee, t.candidate_group, t.excluded_user "
                 "FROM tasks AS t JOIN instances AS i ON i.id = t.instance_id WHERE t.id = ?")


def _witness_instance(session: Session, inst: Instance) -> None:
    read_ahead.witness(session, _INSTANCE_WITNESS, (inst.id,), (inst.version, inst.status))


def _witness_task(session: Session, row: Task, inst: Instance) -> None:
    read_ahead.witness(session, _TASK_WITNESS, (row.id,), (inst.version, inst.status, row.state, row.assignee,
                                                          row.candidate_group, row.excluded_user))


def lock_instances(session: Session, instance_ids, skip_locked: bool = False) -> list[Instance]:
    """Lock instance rows (in id order, so many at once never cross) and load them fresh."""
    ids = sorted({i for i in instance_ids if i})
    if not ids:
        return []
    locked = list(session.scalars(
        select(Instance).where(Instance.id.in_(ids)).order_by(Instance.id)
        .with_for_update(key_share=True, skip_locked=skip_locked)
        .execution_options(populate_existing=True)))
    for inst in locked:
        _witness_instance(session, inst)
    return locked


def lock_instance(session: Session, instance_id: str | None) -> Instance | None:
    found = lock_instances(session, [instance_id])
    return found[0] if found else None


def lock_instance_of_task(session: Session, task_id: str | None) -> Instance | None:
    """Lock the instance a task belongs to, before the task row itself is read or changed (one
    statement: a task never moves to another instance)."""
    if not task_id:
        return None
    owner = select(Task.instance_id).where(Task.id == task_id).scalar_subquery()
    inst = session.scalars(select(Instance).where(Instance.id == owner).with_for_update(key_share=True)
                           .execution_options(populate_existing=True)).one_or_none()
    if inst is not None:
        _witness_instance(session, inst)
    return inst


_LOCK_TASK = (select(Instance, Task).join(Task, Task.instance_id == Instance.id)   # instance first
              .where(Task.id == bindparam("task_id")).with_for_update(key_share=True, of=[Instance, Task])
              .execution_options(populate_existing=True))      # built once: every completion asks


def lock_task(session: Session, task_id: str | None) -> tuple[Task, Instance] | tuple[None, None]:
    """A task and its instance, both rows locked and read fresh in one statement (the instance's lock
    is still the one writers queue at: whoever changes a task row holds its instance's first)."""
    if not task_id:
        return None, None
    found = session.execute(_LOCK_TASK, {"task_id": task_id}).one_or_none()
    if found is None:
        return None, None
    _witness_task(session, found[1], found[0])
    return found[1], found[0]


_OF_TASK, _DONE = aliased(Task), aliased(Task)
# The steps the instance has completed at least once (a new task's notice says whether it is a return
# or a resubmission): only a step changes them, and a step changes the instance row the lock holds.
_COMPLETED_STEPS = (select(func.aggregate_strings(_DONE.bpmn_id, literal_column("','")))
                    .where(_DONE.instance_id == Instance.id, _DONE.state == literal_column("'completed'"))
                    .scalar_subquery().label("completed_steps"))       # BPMN ids hold no comma
# The project's owner, as `directory.PERSON` reads a person, with their groups joined by the unit
# separator (no group name holds one): every completion looks the owner up.
GROUP_SEPARATOR = "\x1f"
_OWNER, _MEMBERS = User.__table__.alias("owner"), GroupMember.__table__
_OWNER_GROUPS = (select(func.aggregate_strings(_MEMBERS.c.group_name, literal(GROUP_SEPARATOR)))
                 .where(_MEMBERS.c.username == _OWNER.c.username).scalar_subquery().label("owner_groups"))


def _head(column):
    """A column of the head of the instance's audit stream, read but not locked: the events a completion
    appends carry its next numbers, and the stream's unique (stream, seq) turns them away if another
    writer appended first (engine/auditlog.py `known_head`), so the head needs no claim of its own."""
    return (select(column).where(AuditHead.stream == literal(INSTANCE_STREAM).concat(Instance.id))
            .correlate(Instance).scalar_subquery())


_LOCK_TASK_AND_OPEN = (
    select(Instance, Task, _COMPLETED_STEPS, *_OWNER.c, _OWNER_GROUPS, PEOPLE_STAMP, RATES_STAMP,
           _head(AuditHead.seq).label("head_seq"), _head(AuditHead.hash).label("head_hash"))
    .join(Task, Task.instance_id == Instance.id).outerjoin(_OWNER, _OWNER.c.username == Instance.owner)
    .where(Instance.id == select(_OF_TASK.instance_id).where(_OF_TASK.id == bindparam("task_id")).scalar_subquery(),
           or_(Task.id == bindparam("task_id"), OPEN_TASK))
    .order_by(Task.created_at, Task.id)
    .with_for_update(key_share=True, of=[Instance, Task]).execution_options(populate_existing=True))


class LockedTask(NamedTuple):
    row: Task | None
    inst: Instance | None
    open_rows: list[Task]               # every open row of the instance, the task among them while open
    completed_steps: frozenset[str]     # the instance's steps completed at least once
    owner: Row | None = None            # the owner's `users` row (None: no such user) ...
    owner_groups: frozenset[str] = frozenset()      # ... and their groups
    stamps: Stamps = Stamps(None, None)             # the counts of changes to people and rates (a cache's key)
    head: tuple[int, str] | None = None             # the instance's audit stream's (seq, hash), if it has one


def lock_task_and_open_rows(session: Session, task_id: str | None) -> LockedTask:
    """As `lock_task`, and in the same statement every open task row of its instance (the task
    among them while it is open), oldest first: a step that completes the task then needs no
    second read to bring the instance's open rows in line. With them: the steps the instance has
    completed (so its notices need not read them), its owner, the counts of changes to the people and
    the rates (so its scripts' reads of them may come from a cache), and the head of the instance's
    audit stream (so its events need no claim of the head).

    For a completion, which writes the instance and the task and records an event on the instance's
    stream. On SQLite it may read this ahead of its writers' turn without a witness: what it relies
    on is guarded by its own writes. The open rows and the task's state change only by a step, which
    changes the instance row (its UPDATE's `WHERE version = N`); who may act on the task changes only
    by a claim, a hand-back, a reassignment or a hand-over, each recorded on the instance's stream
    (its events' unique (stream, seq) after the head read here; an instance with no stream yet names
    its task a witness instead); drafts go with the task (0046)."""
    if not task_id:
        return LockedTask(None, None, [], frozenset())
    found = session.execute(_LOCK_TASK_AND_OPEN, {"task_id": task_id}).all()
    mine = next((f for f in found if f[1].id == task_id), None)
    if mine is None:
        return LockedTask(None, None, [], frozenset())
    inst, row, completed = mine[:3]
    if mine.head_seq is None:             # no stream to guard who may act (events not yet kept): a witness
        _witness_task(session, row, inst)
    return LockedTask(row, inst, [f[1] for f in found if f[1].state == "open"],
                      frozenset((completed or "").split(",")) - {""},
                      mine if mine.username is not None else None,
                      frozenset((mine.owner_groups or "").split(GROUP_SEPARATOR)) - {""},
                      Stamps(mine.people_stamp, mine.rates_stamp),
                      (mine.head_seq, mine.head_hash) if mine.head_seq is not None else None)


def lock_instances_of_assignee(session: Session, username: str) -> list[Instance]:
    """Lock every instance with an open task assigned to `username` (an admin's handover)."""
    ids = session.scalars(select(Task.instance_id).where(Task.state == "open", Task.assignee == username))
    return lock_instances(session, ids)


def lock_instance_of_incident(session: Session, incident_id: int) -> Instance | None:
    iid = session.scalar(select(Incident.instance_id).where(Incident.id == incident_id))
    return lock_instance(session, iid)


def lock_deployments(session: Session) -> None:
    """Deploys queue one behind the other (to the transaction's end), so the second of two
    identical deploys finds the first one's version instead of inserting it again.
    SQLite's `BEGIN IMMEDIATE` already does this."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_DEPLOY_LOCK})
