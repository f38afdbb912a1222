"""Incidents: a step that failed is written down for an admin, who may run it again.

A failed step rolls back first; its incident is recorded afterwards in a transaction of
its own, so the instance keeps exactly the state it had before the step.
"""
from __future__ import annotations

from ..db.locks import lock_instance, lock_instance_of_incident
from ..db.schema import Incident
from ..errors import NotAllowed, NotFound, ProcessError
from ..status import Status, transition
from . import instances, tasks, timers
from .context import Context
from .projection import audit

MESSAGE_LIMIT = 2000     # a database error can quote a whole statement; the first lines say enough


def describe(exc: BaseException) -> ProcessError:
    """Any failure as a process error: its own kind and first line, never a page of SQL."""
    if isinstance(exc, ProcessError):
        return exc
    cause = getattr(exc, "orig", None) or exc
    first = (str(cause).strip().splitlines() or [""])[0]
    return ProcessError(f"{type(cause).__name__}: {first}"[:MESSAGE_LIMIT])


def record(ctx: Context, uow, instance_id: str, exc: ProcessError, task_id: str | None = None,
           actor: str | None = None, submitted: dict | None = None) -> int | None:
    """Put a running instance into error with an incident naming what failed."""
    inst = lock_instance(uow.session, instance_id)
    if inst is None:
        return None
    now = ctx.clock()
    if inst.status == Status.RUNNING.value:
        inst.status = transition(inst.status, Status.ERROR).value
    incident = Incident(instance_id=instance_id, task_id=task_id, element=exc.element[:200],
                        line=str(exc.line or "")[:16], message=str(exc)[:MESSAGE_LIMIT], actor=actor,
                        submitted=submitted or {}, created_at=now)
    uow.session.add(incident)
    audit(uow.session, instance_id, "error", actor, now, data={"element": exc.element, "message": str(exc)})
    uow.session.flush()
    return incident.id


def retry(ctx: Context, uow, incident_id: int, user: str, data: dict | None) -> None:
    """Admin: run the failed step again, with corrected process data if given.

    A failed task is completed again as the person who submitted it (their answer, their
    decision), and the retry is recorded as the admin's: admins do not decide for others."""
    lock_instance_of_incident(uow.session, incident_id)
    inc = uow.session.get(Incident, incident_id)
    if inc is None or inc.resolved_at is not None:
        raise NotFound(f"No open incident {incident_id}")
    admin = uow.directory.find(user)
    if admin is None or not admin.is_admin:
        raise NotAllowed("Only an admin may retry a failed step")
    inst = instances.get_instance(uow.session, inc.instance_id)
    now = ctx.clock()
    if inc.task_id:
        inst.status = transition(inst.status, Status.RUNNING).value
        tasks.complete_task(ctx, uow, inc.task_id, inc.actor or user, {**inc.submitted, **(data or {})})
    else:
        instances.resume_after_error(ctx, uow, inst)
        timers.fire_instance(ctx, uow, inst.id, now)
    inc.resolved_at, inc.resolved_by = now, user
    audit(uow.session, inst.id, "retried", user, now, data={"incident": incident_id})


def note_failed_retry(uow, incident_id: int, exc: ProcessError) -> None:
    """The retry failed again: the incident shows the latest reason."""
    inc = uow.session.get(Incident, incident_id)
    inc.message, inc.element, inc.line = str(exc)[:MESSAGE_LIMIT], exc.element[:200], str(exc.line or "")[:16]
