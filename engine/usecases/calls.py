"""Call activities across deployments, as the use cases see them.

A called process runs the version that is the latest when its call starts (engine/spiff/calls.py);
the instance row keeps that choice per call in `Instance.called`, so every process that loads the
instance later runs the same version, and each task row says which version it belongs to.
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from .. import auditlog
from ..catalog import latest_definition
from ..db.schema import Definition, Instance, Task
from ..errors import NotFound
from ..spiff import ProcessModel, Runtime


def resolver(ctx, session: Session):
    """`process_id -> (definition id, model)` of the latest deployed version, or None."""
    def resolve(process_id: str):
        try:
            definition = latest_definition(session, process_id)
        except NotFound:
            return None
        return definition.id, ctx.models.by_id(session, definition.id)
    return resolve


def chosen(ctx, session: Session, inst: Instance) -> dict:
    """The versions the instance's calls started with: call task id -> (definition id, model)."""
    return {tid: (record["definition"], ctx.models.by_id(session, record["definition"]))
            for tid, record in (inst.called or {}).items()}


def record(session: Session, inst: Instance, rt: Runtime, now) -> None:
    """Keep each call's chosen version on the instance; a new call is also an audit event."""
    before = inst.called or {}
    records = {}
    for tid, (definition_id, activity) in rt.calls().items():
        if before.get(tid, {}).get("definition") == definition_id:
            records[tid] = before[tid]
            continue
        definition = session.get(Definition, definition_id)
        records[tid] = {"definition": definition_id, "process_id": definition.process_id,
                        "version": definition.version, "activity": activity}
        auditlog.record(session, auditlog.instance_stream(inst.id), "called", None, now, instance_id=inst.id,
                        bpmn_id=activity, meta={"process_id": definition.process_id, "version": definition.version})
    if records != before:
        inst.called = records


def model_of_task(ctx, session: Session, inst: Instance, row: Task) -> ProcessModel:
    """The process version a task belongs to: a called process's, or the instance's own."""
    return ctx.models.by_id(session, row.definition_id or inst.definition_id)


def models_of(ctx, session: Session, inst: Instance) -> list[ProcessModel]:
    """The instance's own process version, then each called version it ran, once each."""
    ids = [inst.definition_id, *(r["definition"] for r in (inst.called or {}).values())]
    return [ctx.models.by_id(session, i) for i in dict.fromkeys(ids)]
