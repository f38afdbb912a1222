"""The people at an account, changed outside the process (the contact pages, the API).

A contact belongs to one account and is seen and changed by whoever may see and change that
account (engine/workspace/access.py). Its relationship stage is not changed here: only
`stages.change_stage` moves it. `reports_to` links people at the same account into the
simple influence map the account page draws; it never makes a circle.
"""
from __future__ import annotations

import uuid

from sqlalchemy import select, update

from .. import forms
from ..db.workspace import Contact
from ..errors import Conflict, FieldError, NotFound, ValidationFailed
from . import access, audit, stages
from .accounts import person_error, trimmed
from .documents import apply_contact, changes, contact_document
from .schemas import CONTACT
from .views import ContactView


def view_of(contact: Contact, with_history: list | None = None) -> ContactView:
    return ContactView(contact.id, contact.account_id, contact.name, contact.title or "", contact.department or "",
                       contact.department_kind, contact.decision_role, bool(contact.top_executive),
                       bool(contact.leader), contact.reports_to_id, contact.relationship_stage, contact.owner,
                       contact.updated_at, contact.version, list(with_history or []),
                       public_official=bool(contact.public_official), stage_confirm_by=contact.stage_confirm_by)


def get_contact(session, contact_id: str) -> Contact:
    contact = session.get(Contact, contact_id) if contact_id else None
    if contact is None:
        raise NotFound(f"No contact {contact_id!r}")
    return contact


def _check(uow, account_id: str, document: dict, contact_id: str | None = None) -> dict:
    document = trimmed(document)
    forms.validate(CONTACT, document)
    errors = [person_error(uow, "$.owner", document["owner"]) if document.get("owner") else None]
    boss_id = document.get("reports_to_id")
    if boss_id:
        errors.append(_reporting_error(uow.session, account_id, boss_id, contact_id))
    errors = [e for e in errors if e is not None]
    if errors:
        raise ValidationFailed(errors)
    return document


def _reporting_error(session, account_id: str, boss_id: str, contact_id: str | None) -> FieldError | None:
    seen, current = set(), session.get(Contact, boss_id)
    if current is None or current.account_id != account_id:
        return FieldError("$.reports_to_id", "choose someone at this account")
    while current is not None and current.id not in seen:
        if current.id == contact_id:
            return FieldError("$.reports_to_id", "would make a circle of reporting lines")
        seen.add(current.id)
        current = session.get(Contact, current.reports_to_id) if current.reports_to_id else None
    return None


def add(ctx, uow, account_id: str, actor: str, document: dict) -> str:
    account, _person = access.editable(uow, account_id, actor)
    document = _check(uow, account.id, document)
    now = ctx.clock()
    contact = Contact(id=str(uuid.uuid4()), account_id=account.id, created_at=now, updated_at=now)
    apply_contact(contact, {"owner": account.owner, **document})
    uow.session.add(contact)
    uow.session.flush()
    audit.record(ctx, uow, account.id, "contact_added", actor, meta={"contact_id": contact.id},
                 payload={"after": contact_document(contact)})
    return contact.id


def change(ctx, uow, contact_id: str, actor: str, document: dict, version: int | None = None) -> None:
    """Replace the contact's details with `document` (never its stage)."""
    contact = get_contact(uow.session, contact_id)
    access.editable(uow, contact.account_id, actor)
    if version is not None and version != contact.version:
        raise Conflict("Someone else changed this contact while you were editing it")
    document = _check(uow, contact.account_id, document, contact.id)
    before = contact_document(contact)
    apply_contact(contact, document)
    contact.updated_at = ctx.clock()
    names, payload = changes(before, contact_document(contact))
    if names:
        audit.record(ctx, uow, contact.account_id, "contact_updated", actor,
                     meta={"contact_id": contact.id, "fields": names}, payload=payload)


def remove(ctx, uow, contact_id: str, actor: str) -> None:
    """Take the person off the account; whoever reported to them now reports to nobody."""
    contact = get_contact(uow.session, contact_id)
    access.editable(uow, contact.account_id, actor)
    uow.session.execute(update(Contact).where(Contact.reports_to_id == contact.id).values(reports_to_id=None))
    audit.record(ctx, uow, contact.account_id, "contact_removed", actor, meta={"contact_id": contact.id},
                 payload={"before": contact_document(contact)})
    uow.session.delete(contact)


def read(uow, contact_id: str, viewer: str) -> ContactView:
    contact = get_contact(uow.session, contact_id)
    access.viewable(uow, contact.account_id, viewer)
    return view_of(contact, stages.history(uow.session, contact.id))


def of_account(session, account_id: str) -> list[ContactView]:
    """The account's people: decision makers first, then by name."""
    rows = session.scalars(select(Contact).where(Contact.account_id == account_id).order_by(Contact.name))
    order = {"decision_maker": 0, "influencer": 1, "user": 2, "gatekeeper": 3}
    return sorted((view_of(c) for c in rows), key=lambda c: (order.get(c.decision_role or "", 4), c.name))
