"""Redaction: names and free text that a project's forms stored, cut out on request.

Personal data belongs on the contact record (engine/workspace/profiles.py), but a rep may have
typed a name or a private remark into a form. An admin redacts given texts from everything the
project holds: its workflow's data (and the per-task deltas SpiffWorkflow keeps), its display
names, drafts, incidents and notification facts, and the payloads of its audit events (its own
stream and the account events about it). Each text becomes `MARK`; the audit log records a
`redacted` event naming the changed events (ids only), so every chain still verifies, and the
instance keeps working: only string values change, never the workflow's structure.
"""
from __future__ import annotations

import json

from sqlalchemy import select

from .. import auditlog
from ..db.schema import AuditEvent, AuditPayload, Draft, Incident, Instance, Notification, Task
from ..errors import FieldError, NotAllowed, NotFound, ValidationFailed

MARK = "███"
MAX_TEXTS, MIN_LENGTH, MAX_LENGTH = 20, 2, 200
_DATA_KEYS = ("data", "delta")          # where a serialized workflow keeps process data


def scrub(value, texts: list[str]):
    """`value` with every text replaced in every string inside it (keys stay)."""
    if isinstance(value, str):
        for text in texts:
            value = value.replace(text, MARK)
        return value
    if isinstance(value, dict):
        return {k: scrub(v, texts) for k, v in value.items()}
    if isinstance(value, list):
        return [scrub(v, texts) for v in value]
    return value


def scrub_state(state, texts: list[str]):
    """A serialized workflow with the texts cut out of its data only (never ids, specs or states)."""
    if isinstance(state, dict):
        return {k: scrub(v, texts) if k in _DATA_KEYS else scrub_state(v, texts) for k, v in state.items()}
    if isinstance(state, list):
        return [scrub_state(v, texts) for v in state]
    return state


def _checked(texts) -> list[str]:
    cleaned = [t.strip() for t in texts if isinstance(t, str) and t.strip()] if isinstance(texts, list) else []
    if not cleaned or len(cleaned) > MAX_TEXTS or any(not MIN_LENGTH <= len(t) <= MAX_LENGTH for t in cleaned):
        raise ValidationFailed([FieldError("$.texts", "give 1 to 20 texts of 2 to 200 characters each")])
    return sorted(set(cleaned), key=len, reverse=True)      # longer first: "林主任" before "林"


def _redact_payloads(ctx, uow, stream: str, event_ids: list[int], texts, actor, instance_id) -> int:
    rows = uow.session.scalars(select(AuditPayload).where(AuditPayload.event_id.in_(event_ids))) if event_ids else []
    replacements = {}
    for row in rows:
        if row.data is not None and (new := scrub(row.data, texts)) != row.data:
            replacements[row.event_id] = new
    if replacements:
        auditlog.erase(uow.session, stream, list(replacements), actor, ctx.clock(), kind="redacted",
                       replacements=replacements, meta={"instance_id": instance_id})
    return len(replacements)


def redact(ctx, uow, instance_id: str, actor: str, texts: list[str]) -> int:
    """Cut `texts` out of everything project `instance_id` stores; returns how many records changed."""
    person = uow.directory.find(actor)
    if person is None or not person.active or not person.is_admin:
        raise NotAllowed("Only an admin may redact a project")
    texts = _checked(texts)
    s = uow.session
    inst = s.get(Instance, instance_id) if instance_id else None
    if inst is None:
        raise NotFound(f"No instance {instance_id!r}")
    changed = 0
    state = scrub_state(json.loads(inst.workflow), texts)
    names = (scrub(inst.project_name, texts), scrub(inst.account_name, texts))
    if json.dumps(state, separators=(",", ":"), ensure_ascii=False) != inst.workflow or \
            names != (inst.project_name, inst.account_name):
        inst.workflow = json.dumps(state, separators=(",", ":"), ensure_ascii=False)
        inst.project_name, inst.account_name = names
        changed += 1
    task_ids = select(Task.id).where(Task.instance_id == inst.id)
    for row in [*s.scalars(select(Draft).where(Draft.task_id.in_(task_ids))),
                *s.scalars(select(Incident).where(Incident.instance_id == inst.id)),
                *s.scalars(select(Notification).where(Notification.instance_id == inst.id))]:
        column = {Draft: "data", Incident: "submitted", Notification: "facts"}[type(row)]
        if (new := scrub(getattr(row, column), texts)) != getattr(row, column):
            setattr(row, column, new)
            changed += 1
        if isinstance(row, Incident) and (message := scrub(row.message, texts)) != row.message:
            row.message = message
            changed += 1
    stream = auditlog.instance_stream(inst.id)
    changed += _redact_payloads(ctx, uow, stream, list(s.scalars(select(AuditEvent.id).where(
        AuditEvent.stream == stream))), texts, actor, inst.id)
    if inst.account_id:
        account = auditlog.account_stream(inst.account_id)
        about = [e.id for e in s.scalars(select(AuditEvent).where(AuditEvent.stream == account))
                 if (e.meta or {}).get("instance_id") == inst.id]
        changed += _redact_payloads(ctx, uow, account, about, texts, actor, inst.id)
    if not changed:
        raise ValidationFailed([FieldError("$.texts", "none of these texts is in this project")])
    return changed
