"""Admin work on people and tasks: reassign, hand over a leaver's work, rewind, deactivate."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from .. import auditlog
from ..db.locks import lock_instance, lock_instance_of_task, lock_instances_of_assignee
from ..db.schema import Definition, Incident, Instance, Task, User
from ..directory import Directory
from ..errors import Conflict, FieldError, NotAllowed, NotFound, ValidationFailed

from .runtimes import load_runtime
from .context import Context
from .projection import apply_runtime, audit, notify
from .tokens import revoke_all


def require_admin(uow, username: str) -> None:
    person = Directory(uow.session).find(username)
    if person is None or not person.is_admin or not person.active:
        raise NotAllowed("Only an admin may do this")


def _active_user(uow, username: str, field: str):
    person = Directory(uow.session).find(username)
    if person is None or not person.active:
        raise ValidationFailed([FieldError(field, f"no active user {username!r}")])
    return person


def reassign(ctx: Context, uow, task_id: str, admin: str, to_user: str) -> None:
    require_admin(uow, admin)
    lock_instance_of_task(uow.session, task_id)
    row = uow.session.get(Task, task_id)
    if row is None:
        raise NotFound(f"No task {task_id!r}")
    if row.state != "open":
        raise Conflict("This task is no longer open")
    _active_user(uow, to_user, "$.to_user")
    if to_user == row.excluded_user:
        raise NotAllowed(f"{to_user} may not review their own project")
    before, row.assignee = row.assignee, to_user
    now = ctx.clock()
    audit(uow.session, row.instance_id, "reassigned", admin, now, row, data={"from": before, "to": to_user})
    inst = uow.session.get(Instance, row.instance_id)
    notify(uow.session, Directory(uow.session), [to_user], "task_assigned", now, inst.id, row.id, actor=admin)


def handover(ctx: Context, uow, from_user: str, to_user: str, admin: str) -> int:
    """Give every open task assigned to `from_user` to `to_user`; returns how many."""
    require_admin(uow, admin)
    _active_user(uow, to_user, "$.to_user")
    lock_instances_of_assignee(uow.session, from_user)
    rows = list(uow.session.scalars(select(Task).where(Task.state == "open", Task.assignee == from_user)))
    moved = 0
    for row in rows:
        if row.excluded_user == to_user:
            continue
        reassign(ctx, uow, row.id, admin, to_user)
        moved += 1
    return moved


def set_delegate(ctx: Context, uow, username: str, actor: str, delegate: str | None,
                 start: datetime | None, end: datetime | None) -> None:
    person = Directory(uow.session).find(actor)
    if person is None or (actor != username and not person.is_admin):
        raise NotAllowed("You may only set your own out-of-office delegate")
    user = uow.session.get(User, username)
    if user is None:
        raise NotFound(f"No user {username!r}")
    if delegate:
        _active_user(uow, delegate, "$.delegate")
        if delegate == username:
            raise ValidationFailed([FieldError("$.delegate", "cannot delegate to yourself")])
        if start and end and end <= start:
            raise ValidationFailed([FieldError("$.delegate_until", "must be after the start")])
    user.delegate, user.delegate_from, user.delegate_until = delegate or None, start, end


def set_active(ctx: Context, uow, username: str, active: bool, admin: str) -> None:
    require_admin(uow, admin)
    user = uow.session.get(User, username)
    if user is None:
        raise NotFound(f"No user {username!r}")
    user.active = active
    auditlog.record(uow.session, f"user:{username}", "activated" if active else "deactivated", admin, ctx.clock())
    if not active:
        revoke_all(ctx, uow, username, admin)      # a leaver's tokens never come back with a reactivation


def rewind(ctx: Context, uow, instance_id: str, admin: str, bpmn_id: str) -> None:
    """Send a running instance back to an earlier user task (its latest completed run)."""
    require_admin(uow, admin)
    s = uow.session
    inst = lock_instance(s, instance_id)
    if inst is None:
        raise NotFound(f"No instance {instance_id!r}")
    if inst.status != "running":
        raise Conflict(f"Only a running instance can be rewound; this one is {inst.status}")
    directory = Directory(s)
    model = ctx.models.by_id(s, inst.definition_id)
    rt = load_runtime(ctx, uow, inst, model, directory.script_functions())
    if not rt.rewind_to(bpmn_id):
        raise ValidationFailed([FieldError("$.bpmn_id", f"{bpmn_id!r} is not a completed step of this instance")])
    now = ctx.clock()
    audit(s, inst.id, "rewound", admin, now, bpmn_id=bpmn_id)
    apply_runtime(s, directory, inst, rt, now, actor=admin, closed_as="rewound")


class Admin:
    """eng.admin: the admin's tools. Every method checks that `admin` is one."""

    def __init__(self, eng):
        self._eng = eng

    def reassign(self, task_id: str, admin: str, to_user: str) -> None:
        self._eng._write(lambda uow: reassign(self._eng.ctx, uow, task_id, admin, to_user))

    def handover(self, from_user: str, to_user: str, admin: str) -> int:
        return self._eng._write(lambda uow: handover(self._eng.ctx, uow, from_user, to_user, admin))

    def rewind(self, instance_id: str, admin: str, bpmn_id: str) -> None:
        self._eng._write(lambda uow: rewind(self._eng.ctx, uow, instance_id, admin, bpmn_id))

    def set_active(self, username: str, active: bool, admin: str) -> None:
        self._eng._write(lambda uow: set_active(self._eng.ctx, uow, username, active, admin))
        if not active:
            self._eng.sessions.close_all(username)

    def definitions(self, admin: str) -> list[dict]:
        """Every deployed process version, newest first (files not included)."""
        def use_case(uow):
            require_admin(uow, admin)
            rows = uow.session.execute(select(
                Definition.process_id, Definition.version, Definition.content_hash, Definition.name,
                Definition.main_file, Definition.deployed_by, Definition.created_at)
                .order_by(Definition.process_id, Definition.version.desc())).all()
            return [dict(r._mapping) for r in rows]
        return self._eng._read(use_case)

    def incidents(self, admin: str, open_only: bool = True) -> list[dict]:

        def use_case(uow):
            require_admin(uow, admin)
            q = select(Incident, Instance.project_name).join(Instance, Instance.id == Incident.instance_id)
            if open_only:
                q = q.where(Incident.resolved_at.is_(None))
            return [{"id": i.id, "instance_id": i.instance_id, "project_name": name, "task_id": i.task_id,
                     "element": i.element, "line": i.line, "message": i.message, "actor": i.actor,
                     "submitted": dict(i.submitted or {}),
                     "created_at": i.created_at, "resolved_at": i.resolved_at}
                    for i, name in uow.session.execute(q.order_by(Incident.id.desc()))]
        return self._eng._read(use_case)
