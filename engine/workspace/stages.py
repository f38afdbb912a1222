"""A contact's relationship stage (domain §5.2) and its history: the one way to change it.

Outside this module the stage is read-only. `change_stage` records every change as a row of
`contact_stage_changes` (from, to, cause, reason, who, when, which project) and as a
`stage_changed` event on the account's stream; the relationship ledger adds its rules (a rise
needs a marker activity, a fall a reason) on top of it.
"""
from __future__ import annotations

from sqlalchemy import select

from ..db.workspace import Contact, ContactStageChange
from ..errors import FieldError, ValidationFailed
from . import audit
from .rules import STAGES
from .views import StageChange

REASON_LENGTH = ContactStageChange.__table__.c.reason.type.length


def change_stage(ctx, uow, contact: Contact, stage: str | None, actor: str | None, cause: str,
                 reason: str = "", instance_id: str | None = None) -> bool:
    """Set the contact's stage (None: no relationship yet); False when it already was that."""
    if stage is not None and stage not in STAGES:
        raise ValidationFailed([FieldError("$.relationship_stage", f"must be one of: {', '.join(STAGES)}")])
    if not isinstance(reason, str) or len(reason) > REASON_LENGTH:
        raise ValidationFailed([FieldError("$.reason", f"must be at most {REASON_LENGTH} characters")])
    if contact.relationship_stage == stage:
        return False
    now = ctx.clock()
    uow.session.add(ContactStageChange(contact_id=contact.id, from_stage=contact.relationship_stage,
                                       to_stage=stage, cause=cause, reason=reason, instance_id=instance_id,
                                       changed_by=actor, changed_at=now))
    audit.record(ctx, uow, contact.account_id, "stage_changed", actor,
                 meta={"contact_id": contact.id, "from": contact.relationship_stage, "to": stage, "cause": cause,
                       **({"instance_id": instance_id} if instance_id else {})},
                 payload={"reason": reason} if reason else None)
    contact.relationship_stage = stage
    contact.updated_at = now
    return True


def confirm(ctx, uow, contact: Contact, actor: str, cause: str) -> None:
    """Record that `actor` judged the stage right as it is: history, but no change."""
    uow.session.add(ContactStageChange(contact_id=contact.id, from_stage=contact.relationship_stage,
                                       to_stage=contact.relationship_stage, cause=cause, changed_by=actor,
                                       changed_at=ctx.clock()))


def history(session, contact_id: str) -> list[StageChange]:
    """The contact's stage changes, oldest first."""
    rows = session.scalars(select(ContactStageChange).where(ContactStageChange.contact_id == contact_id)
                           .order_by(ContactStageChange.changed_at, ContactStageChange.id))
    return [StageChange(r.changed_at, r.from_stage, r.to_stage, r.cause, r.reason, r.changed_by, r.instance_id)
            for r in rows]
