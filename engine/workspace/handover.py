"""Leavers: an account, its people and their ledger handed to a successor, who then confirms
each person's relationship stage.

Who hands over: an admin, or a manager above the account's owner (their department's
managers and their `reports_to` chain), so a leaver's accounts move on after they are
deactivated too; an owner gives their own account away on "our side" instead. The successor
is an active user. The successor becomes the owner (and so is on the account team); the
people the leaver looked after there become the successor's, each marked "stage to confirm":
a stage is the leaver's judgement of a relationship, so the successor confirms it or sets it
lower with a reason (a rise still needs a marker activity, `ledger_rules`). The ledger -
activities, targets, stage history, gifts - hangs on the people and the account and is not
touched: who recorded what stays as it was. The leaver's open projects at those accounts stay
theirs and are listed on the result: their open tasks move with the admin's task handover
(`eng.admin.handover`), which keeps the review rules (no self-approval) in one place.
"""
from __future__ import annotations

from sqlalchemy import delete, select

from .. import forms
from ..db.schema import Instance
from ..db.workspace import Account, AccountTeamMember, Contact, ContactStageChange
from ..directory import Person
from ..errors import Conflict, FieldError, NotAllowed, NotFound, ValidationFailed
from ..status import Status
from . import access, audit, stages
from .contacts import get_contact
from .ledger import evidence
from .ledger_rules import stage_change_error
from .ledger_schemas import STAGE_TITLES
from .rules import STAGES, stage_rank
from .schemas import text
from .views import Handover, OpenProject, StageToConfirm

HANDOVER = {
    "type": "object", "title": "Handover",
    "properties": {"successor": {"type": "string", "title": "Successor", "maxLength": 64}},
    "required": ["successor"],
    "additionalProperties": False,
}
CONFIRMATION = {
    "type": "object", "title": "Relationship stage after a handover",
    "properties": {
        "stage": {"type": "string", "title": "Relationship stage",
                  "oneOf": [{"const": s, "title": STAGE_TITLES[s]} for s in STAGES]},
        "reason": text(ContactStageChange.reason, "Reason"),
    },
    "additionalProperties": False,
}
FINISHED = (Status.COMPLETED.value, Status.TERMINATED.value)


def may_hand_over(uow, owner: str, person: Person | None) -> bool:
    """Admins, and the managers above `owner`."""
    return (person is not None and person.active
            and (person.is_admin or person.username in access.managers_above(uow.directory, owner)))


def _trimmed(document) -> dict:
    return {k: v.strip() if isinstance(v, str) else v for k, v in dict(document or {}).items()}


def _successor(uow, document: dict, leaver: str) -> str:
    document = _trimmed(document)
    forms.validate(HANDOVER, document)
    successor = uow.directory.find(document["successor"])
    if successor is None or not successor.active:
        raise ValidationFailed([FieldError("$.successor", f"no active user {document['successor']!r}")])
    if successor.username == leaver:
        raise ValidationFailed([FieldError("$.successor", "already looks after these accounts")])
    return successor.username


def _move(ctx, uow, account: Account, actor: str, successor: str) -> tuple[int, list[OpenProject]]:
    """One account and the leaver's people there to `successor`, every step on the account's stream."""
    s, leaver, now = uow.session, account.owner, ctx.clock()
    account.owner, account.updated_at = successor, now
    s.execute(delete(AccountTeamMember).where(AccountTeamMember.account_id == account.id,
                                              AccountTeamMember.username == successor))   # the owner is not listed
    audit.record(ctx, uow, account.id, "account_handed_over", actor, meta={"from": leaver, "to": successor})
    people = list(s.scalars(select(Contact).where(Contact.account_id == account.id, Contact.owner == leaver)
                            .order_by(Contact.name, Contact.id)))
    for contact in people:
        contact.owner, contact.stage_confirm_by, contact.updated_at = successor, successor, now
        audit.record(ctx, uow, account.id, "contact_handed_over", actor,
                     meta={"contact_id": contact.id, "from": leaver, "to": successor,
                           "stage": contact.relationship_stage})
    s.flush()
    open_projects = [OpenProject(i.id, i.number, i.project_name, account.id) for i in s.scalars(
        select(Instance).where(Instance.account_id == account.id, Instance.owner == leaver,
                               Instance.status.not_in(FINISHED)).order_by(Instance.number))]
    return len(people), open_projects


def hand_over(ctx, uow, account_id: str, actor: str, document: dict) -> Handover:
    """`{successor}` takes over the account from its owner."""
    account = access.get_account(uow.session, account_id)
    if not may_hand_over(uow, account.owner, uow.directory.find(actor)):
        raise NotAllowed(f"{actor} may not hand this account over")
    leaver = account.owner
    successor = _successor(uow, document, leaver)
    moved, open_projects = _move(ctx, uow, account, actor, successor)
    return Handover(leaver, successor, [account.id], moved, open_projects)


def hand_over_all(ctx, uow, leaver: str, actor: str, document: dict) -> Handover:
    """`{successor}` takes over every account `leaver` owns."""
    if uow.directory.find(leaver) is None:
        raise NotFound(f"No user {leaver!r}")
    if not may_hand_over(uow, leaver, uow.directory.find(actor)):
        raise NotAllowed(f"{actor} may not hand over the accounts of {leaver}")
    successor = _successor(uow, document, leaver)
    ids, moved, open_projects = [], 0, []
    for account in uow.session.scalars(select(Account).where(Account.owner == leaver).order_by(Account.name)):
        people, projects = _move(ctx, uow, account, actor, successor)
        ids.append(account.id)
        moved += people
        open_projects += projects
    return Handover(leaver, successor, ids, moved, open_projects)


def confirm_stage(ctx, uow, contact_id: str, actor: str, document: dict) -> None:
    """The successor's word on a person's stage: `{}` or the same stage keeps it (a confirmation in
    the history), a lower one needs a `reason`, a higher one a marker activity since the last change."""
    contact = get_contact(uow.session, contact_id)
    access.editable(uow, contact.account_id, actor)
    if contact.stage_confirm_by is None:
        raise Conflict("This person's relationship stage has no confirmation due")
    if contact.stage_confirm_by != actor:
        raise NotAllowed(f"only {contact.stage_confirm_by} confirms this person's stage")
    document = _trimmed(document)
    forms.validate(CONFIRMATION, document)
    current = contact.relationship_stage
    stage, reason = document.get("stage") or current, document.get("reason", "")
    if stage == current:
        stages.confirm(ctx, uow, contact, actor, "confirmed")
    else:
        refused = stage_change_error(current, stage, evidence(uow.session, contact), reason)
        if refused:
            raise ValidationFailed([FieldError(f"$.{refused[0]}", refused[1])])
        stages.change_stage(ctx, uow, contact, stage, actor,
                            "ledger" if stage_rank(stage) > stage_rank(current) else "fall", reason=reason)
    contact.stage_confirm_by = None
    contact.updated_at = ctx.clock()
    audit.record(ctx, uow, contact.account_id, "stage_confirmed", actor,
                 meta={"contact_id": contact.id, "stage": stage, "kept": stage == current})


def to_confirm(uow, username: str) -> list[StageToConfirm]:
    """The people whose stage `username` has yet to confirm, by account and name."""
    rows = uow.session.execute(select(Contact, Account.name).join(Account, Account.id == Contact.account_id)
                               .where(Contact.stage_confirm_by == username).order_by(Account.name, Contact.name))
    return [StageToConfirm(c.id, c.name, c.account_id, account_name, c.relationship_stage) for c, account_name in rows]
