"""Starting instances and changing their status: withdraw, suspend, resume, terminate."""
from __future__ import annotations

import uuid

from sqlalchemy import select, update

from .. import forms, naming
from ..catalog import latest_definition
from ..db.locks import lock_instance
from ..db.schema import Instance, ProcessSequence
from ..errors import NotAllowed, NotFound
from ..spiff import ProcessModel, Runtime
from . import calls, committee, process_catalog
from .runtimes import load_runtime
from ..status import Outcome, Status, transition
from ..text import LIMITS, check, trim
from ..workspace import projects
from .context import Context
from .projection import apply_runtime, audit, open_tasks


def start_values(model: ProcessModel, data: dict | None) -> dict:
    """The start data, checked against the process's start form when it names one."""
    schema = model.form(model.start_form[0])
    values = {k: trim(v) if isinstance(v, str) else v for k, v in dict(data or {}).items()}
    if schema:
        read_only = {k for k, sub in schema.get("properties", {}).items() if sub.get("readOnly")}
        values = {k: v for k, v in values.items() if k not in read_only}
    forms.validate(schema, values, model.form(model.start_form[1]))   # without a form: the text rules
    return values


def _next_number(session, process_id: str) -> int:
    """The process's next instance number; the row lock (or SQLite's write lock) serialises starts."""
    bumped = session.execute(update(ProcessSequence).where(ProcessSequence.process_id == process_id)
                             .values(last_number=ProcessSequence.last_number + 1))
    if bumped.rowcount == 0:
        session.add(ProcessSequence(process_id=process_id, last_number=1))
        session.flush()
        return 1
    return session.scalar(select(ProcessSequence.last_number).where(ProcessSequence.process_id == process_id))


def start(ctx: Context, uow, process_id: str, username: str, data: dict | None, by_catalog: bool = True) -> str:
    """Start the latest version of `process_id` for `username`, who becomes its owner. Any process
    starts with `{}` unless its own start form asks for more. `by_catalog=False`: another part of
    the product starts it (the gifts register), which has checked its own rules."""
    s = uow.session
    directory = uow.directory
    if by_catalog:
        process_catalog.check_may_start(s, directory.find(username), process_id)
    definition = latest_definition(s, process_id)
    model = ctx.models.get(definition)
    values = start_values(model, data)
    now = ctx.clock()
    number = _next_number(s, process_id)
    name = naming.name_from_data(model.display_name_field, values) or naming.fallback_name(model.name, number)
    rt = Runtime.start(model, {**values, "owner": username}, directory.script_functions(), calls.resolver(ctx, s))
    inst = Instance(id=str(uuid.uuid4()), definition_id=definition.id, process_id=process_id, number=number,
                    called={}, status=Status.RUNNING.value, owner=username, project_name=name,
                    workflow="", serializer_version="", created_at=now, updated_at=now)
    s.add(inst)
    projects.link_at_start(ctx, uow, model, values, username, inst)
    audit(s, inst.id, "started", username, now, data={"project_name": inst.project_name, "number": number,
                                                      "version": definition.version})
    apply_runtime(s, directory, inst, rt, now, actor=username)
    uow.on_success(lambda: ctx.runtimes.put(inst, rt))
    return inst.id


def get_instance(session, instance_id: str, lock: bool = False) -> Instance:
    """The instance (its row locked for this transaction when `lock`), or NotFound."""
    if lock:
        inst = lock_instance(session, instance_id)
    else:
        inst = session.get(Instance, instance_id) if instance_id else None
    if inst is None:
        raise NotFound(f"No instance {instance_id!r}")
    return inst


def _close_open_tasks(session, inst: Instance, now) -> None:
    for row in open_tasks(session, inst.id):
        row.state, row.closed_at = "cancelled", now
    committee.cancel_open(session, inst.id, now)


def withdraw(ctx: Context, uow, instance_id: str, username: str, reason: str = "") -> None:
    """The owner (or an admin) ends the project at any open step."""
    check("$.reason", reason, LIMITS["reason"], multiline=True)
    s = uow.session
    inst = get_instance(s, instance_id, lock=True)
    user = uow.directory.find(username)
    if user is None or (user.username != inst.owner and not user.is_admin):
        raise NotAllowed(f"{username} may not withdraw this project")
    inst.status = transition(inst.status, Status.COMPLETED).value
    model = ctx.models.by_id(s, inst.definition_id)
    rt = load_runtime(ctx, uow, inst, model, {})
    rt.cancel()
    now = ctx.clock()
    inst.workflow, inst.outcome, inst.ended_at, inst.next_timer_at = rt.dump(), Outcome.WITHDRAWN.value, now, None
    inst.stage, inst.updated_at = "", now
    _close_open_tasks(s, inst, now)
    audit(s, inst.id, "withdrawn", username, now, data={"reason": reason} if reason else {})


def set_status(ctx: Context, uow, instance_id: str, username: str, target: Status, reason: str = "") -> None:
    """Admin: suspend, resume or terminate an instance."""
    check("$.reason", reason, LIMITS["reason"], multiline=True)
    s = uow.session
    inst = get_instance(s, instance_id, lock=True)
    user = uow.directory.find(username)
    if user is None or not user.is_admin:
        raise NotAllowed("Only an admin may change an instance's status")
    inst.status = transition(inst.status, target).value
    now = ctx.clock()
    inst.updated_at = now
    if target == Status.TERMINATED:
        inst.ended_at, inst.next_timer_at = now, None
        _close_open_tasks(s, inst, now)
    audit(s, inst.id, target.value, username, now, data={"reason": reason} if reason else {})


def resume_after_error(ctx: Context, uow, inst: Instance) -> None:
    """Used by retry: an instance in error runs again."""
    inst.status = transition(inst.status, Status.RUNNING).value
    directory = uow.directory
    model = ctx.models.by_id(uow.session, inst.definition_id)
    rt = load_runtime(ctx, uow, inst, model, directory.script_functions())
    apply_runtime(uow.session, directory, inst, rt, ctx.clock())
