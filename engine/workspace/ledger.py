"""The relationship ledger (domain §5.2): what we did with each person at an account, and the
relationship stage it earns them.

Recording a marker activity of a higher stage than the person's raises their stage at once
(the activity is the evidence); a stage may be set by hand too, but it rises only on a marker
activity of that stage or higher recorded since the stage last changed, and falls only with a
reason (`ledger_rules`). Every change goes through `stages.change_stage`, so it is history and
an event on the account's stream. Decision makers get a target stage with a date.
Whoever may change the account records; whoever may see it reads.
"""
from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import func, select

from .. import forms
from ..db.ledger import Activity, StageTarget
from ..db.workspace import Contact, ContactStageChange
from ..errors import FieldError, ValidationFailed
from . import access, audit, stages
from .contacts import get_contact
from .ledger_rules import going_cold, marker_stage, stage_change_error
from .ledger_schemas import ACTIVITY, STAGE_CHANGE, TARGET
from .ledger_views import ActivityView, ColdContact, TargetView
from .rules import stage_rank
from .settings import read as read_settings


def _trimmed(document: dict) -> dict:
    return {k: v.strip() if isinstance(v, str) else v for k, v in dict(document or {}).items()}


def today(ctx, time_zone: str = "UTC") -> date:
    """Today where `time_zone` is: a meeting this morning in Taipei is not in the future."""
    try:
        return ctx.clock().astimezone(ZoneInfo(time_zone)).date()
    except (ZoneInfoNotFoundError, ValueError):
        return ctx.clock().date()


def record_activity(ctx, uow, contact_id: str, actor: str, document: dict) -> int:
    """Record what was done with the person; a marker of a higher stage raises their stage."""
    contact = get_contact(uow.session, contact_id)
    _account, person = access.editable(uow, contact.account_id, actor)
    document = _trimmed(document)
    forms.validate(ACTIVITY, document)
    occurred_on = date.fromisoformat(document["occurred_on"])
    if occurred_on > today(ctx, person.time_zone):
        raise ValidationFailed([FieldError("$.occurred_on", "cannot be in the future")])
    activity = Activity(account_id=contact.account_id, contact_id=contact.id, kind=document["kind"],
                        occurred_on=occurred_on, notes=document.get("notes") or "", recorded_by=actor,
                        recorded_at=ctx.clock())
    uow.session.add(activity)
    uow.session.flush()
    audit.record(ctx, uow, contact.account_id, "activity_recorded", actor,
                 meta={"contact_id": contact.id, "activity_id": activity.id, "kind": activity.kind,
                       "occurred_on": occurred_on.isoformat()},
                 payload={"notes": activity.notes} if activity.notes else None)
    marked = marker_stage(activity.kind)
    if stage_rank(marked) > stage_rank(contact.relationship_stage):
        stages.change_stage(ctx, uow, contact, marked, actor, "activity")
    return activity.id


def evidence(session, contact: Contact) -> list[str]:
    """The kinds of the activities recorded with the person since their stage last changed."""
    since = session.scalar(select(func.max(ContactStageChange.changed_at))
                           .where(ContactStageChange.contact_id == contact.id))
    q = select(Activity.kind).where(Activity.contact_id == contact.id)
    if since is not None:
        q = q.where(Activity.recorded_at > since)
    return list(session.scalars(q))


def set_stage(ctx, uow, contact_id: str, actor: str, document: dict) -> bool:
    """Move the person's stage by hand: up on recorded evidence, down with a reason."""
    contact = get_contact(uow.session, contact_id)
    access.editable(uow, contact.account_id, actor)
    document = _trimmed(document)
    forms.validate(STAGE_CHANGE, document)
    refused = stage_change_error(contact.relationship_stage, document["stage"],
                                 evidence(uow.session, contact), document.get("reason", ""))
    if refused:
        raise ValidationFailed([FieldError(f"$.{refused[0]}", refused[1])])
    rising = stage_rank(document["stage"]) > stage_rank(contact.relationship_stage)
    return stages.change_stage(ctx, uow, contact, document["stage"], actor, "ledger" if rising else "fall",
                               reason=document.get("reason", ""))


def set_target(ctx, uow, contact_id: str, actor: str, document: dict | None) -> None:
    """Where to take a decision maker, and by when; None clears it."""
    contact = get_contact(uow.session, contact_id)
    access.editable(uow, contact.account_id, actor)
    target = uow.session.get(StageTarget, contact.id)
    if document is None:
        if target is not None:
            uow.session.delete(target)
            audit.record(ctx, uow, contact.account_id, "target_cleared", actor, meta={"contact_id": contact.id})
        return
    document = _trimmed(document)
    forms.validate(TARGET, document)
    if contact.decision_role != "decision_maker":
        raise ValidationFailed([FieldError("$.stage", "only decision makers have a target stage")])
    if target is None:
        target = StageTarget(contact_id=contact.id)
        uow.session.add(target)
    target.stage, target.due_on = document["stage"], date.fromisoformat(document["due_on"])
    target.set_by, target.set_at = actor, ctx.clock()
    audit.record(ctx, uow, contact.account_id, "target_set", actor,
                 meta={"contact_id": contact.id, "stage": target.stage, "due_on": document["due_on"]})


# ---------------------------------------------------------------- reading
def _views(session, rows) -> list[ActivityView]:
    names = dict(session.execute(select(Contact.id, Contact.name).where(
        Contact.id.in_({r.contact_id for r in rows}))).all()) if rows else {}
    return [ActivityView(r.id, r.contact_id, names.get(r.contact_id, ""), r.kind, marker_stage(r.kind),
                         r.occurred_on, r.notes, r.recorded_by, r.recorded_at) for r in rows]


def of_account(session, account_id: str, limit: int = 200) -> list[ActivityView]:
    rows = list(session.scalars(select(Activity).where(Activity.account_id == account_id)
                                .order_by(Activity.occurred_on.desc(), Activity.id.desc()).limit(limit)))
    return _views(session, rows)


def of_contact(session, contact_id: str) -> list[ActivityView]:
    rows = list(session.scalars(select(Activity).where(Activity.contact_id == contact_id)
                                .order_by(Activity.occurred_on.desc(), Activity.id.desc())))
    return _views(session, rows)


def targets(session, contact_ids: list[str], stage_of: dict[str, str | None], on: date) -> dict[str, TargetView]:
    rows = session.scalars(select(StageTarget).where(StageTarget.contact_id.in_(contact_ids))) if contact_ids else []
    return {t.contact_id: TargetView(t.stage, t.due_on, stage_rank(stage_of.get(t.contact_id)) >= stage_rank(t.stage),
                                     t.due_on < on) for t in rows}


def cold(ctx, session, contacts: list[Contact]) -> list[ColdContact]:
    """Those of `contacts` with nothing done for longer than the configured days, quietest first."""
    if not contacts:
        return []
    days, on = read_settings(session).going_cold_days, today(ctx)
    last = dict(session.execute(select(Activity.contact_id, func.max(Activity.occurred_on))
                                .where(Activity.contact_id.in_([c.id for c in contacts]))
                                .group_by(Activity.contact_id)).all())
    found = [ColdContact(c.id, c.account_id, c.name, last.get(c.id), (on - (last.get(c.id) or c.created_at.date())).days)
             for c in contacts if going_cold(last.get(c.id), c.created_at.date(), on, days)]
    return sorted(found, key=lambda c: (-c.days_quiet, c.name))
