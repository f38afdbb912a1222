"""Row locks in one fixed order: the instance, then its tasks, then the outbox.

Every writing use case that touches an instance or its tasks locks the instance row first
(PostgreSQL `FOR NO KEY UPDATE`, which still lets rows that merely point at the instance,
such as attachments, be added beside it). Two transactions on one instance then queue at
the same row instead of each holding a row the other waits for: a timer worker and a user
completing a task cannot deadlock. On SQLite every writer already queues at `BEGIN IMMEDIATE`,
and these statements are plain reads.
"""
from __future__ import annotations

from sqlalchemy import bindparam, select, text
from sqlalchemy.orm import Session

from .schema import Incident, Instance, Task

_PG_DEPLOY_LOCK = 7_317_003    # any constant; every KAM Flow process agrees on it


def lock_instances(session: Session, instance_ids, skip_locked: bool = False) -> list[Instance]:
    """Lock instance rows (in id order, so many at once never cross) and load them fresh."""
    ids = sorted({i for i in instance_ids if i})
    if not ids:
        return []
    return list(session.scalars(
        select(Instance).where(Instance.id.in_(ids)).order_by(Instance.id)
        .with_for_update(key_share=True, skip_locked=skip_locked)
        .execution_options(populate_existing=True)))


def lock_instance(session: Session, instance_id: str | None) -> Instance | None:
    found = lock_instances(session, [instance_id])
    return found[0] if found else None


def lock_instance_of_task(session: Session, task_id: str | None) -> Instance | None:
    """Lock the instance a task belongs to, before the task row itself is read or changed (one
    statement: a task never moves to another instance)."""
    if not task_id:
        return None
    owner = select(Task.instance_id).where(Task.id == task_id).scalar_subquery()
    return session.scalars(select(Instance).where(Instance.id == owner).with_for_update(key_share=True)
                           .execution_options(populate_existing=True)).one_or_none()


_LOCK_TASK = (select(Instance, Task).join(Task, Task.instance_id == Instance.id)   # instance first
              .where(Task.id == bindparam("task_id")).with_for_update(key_share=True, of=[Instance, Task])
              .execution_options(populate_existing=True))      # built once: every completion asks


def lock_task(session: Session, task_id: str | None) -> tuple[Task, Instance] | tuple[None, None]:
    """A task and its instance, both rows locked and read fresh in one statement (the instance's lock
    is still the one writers queue at: whoever changes a task row holds its instance's first)."""
    if not task_id:
        return None, None
    found = session.execute(_LOCK_TASK, {"task_id": task_id}).one_or_none()
    return (found[1], found[0]) if found else (None, None)


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
