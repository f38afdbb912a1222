"""A contact's personal profile (domain §5.1.4): who sees it, every view logged, erasable.

The profile is seen only by the account team (owner and members), the managers above any of
them and admins, a narrower circle than the account's (no committee, chair or sponsor). Each
view is an event `personal_data_viewed` on the account's audit stream: the access log, which
the account's owner and admins read. Edits are events naming the changed fields, never their
values. Erasure (owner or admin, on the person's request) deletes the profile and records an
`erased` event; the contact stays, and every audit chain still verifies.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from .. import auditlog, forms
from ..db.personal import PROFILE_FIELDS, ContactProfile
from ..db.schema import AuditEvent
from ..db.workspace import Account, Contact
from ..directory import Person
from ..errors import Conflict, NotAllowed
from . import access, audit
from .accounts import trimmed
from .contacts import get_contact
from .schemas import limit, text

VIEWED = "personal_data_viewed"
TITLES = {"birthday": "Birthday", "family": "Family", "education": "Education", "hobbies": "Hobbies and interests",
          "career_history": "Career history", "goals_this_year": "This year's goals",
          "career_ambitions": "Career ambitions", "role_in_organisation": "Role in the organisation",
          "relations_with_colleagues": "Relations with colleagues"}
SCHEMA = {"type": "object", "title": "Personal profile", "additionalProperties": False, "properties": {
    "birthday": {"type": "string", "title": TITLES["birthday"], "format": "date",
                 "maxLength": limit(ContactProfile.birthday)},
    **{name: text(getattr(ContactProfile, name), TITLES[name]) for name in PROFILE_FIELDS if name != "birthday"}}}


@dataclass(frozen=True)
class ProfileView:
    contact_id: str
    contact_name: str
    account_id: str
    values: dict
    updated_by: str | None
    updated_at: datetime | None
    version: int | None
    may_edit: bool
    may_erase: bool


@dataclass(frozen=True)
class ProfileAccess:
    """What a person may do with a contact's profile (the contact page asks before showing links)."""
    see: bool
    edit: bool
    erase: bool
    read_log: bool


def _team(uow, account: Account) -> set[str]:
    return {account.owner, *access.team_of(uow.session, account)}


def may_see(uow, account: Account, person: Person | None) -> bool:
    if person is None or not person.active:
        return False
    team = _team(uow, account)
    return person.is_admin or person.username in team or \
        any(person.username in access.managers_above(uow.directory, member) for member in team)


def rights(uow, contact_id: str, username: str) -> ProfileAccess:
    contact = get_contact(uow.session, contact_id)
    account = access.get_account(uow.session, contact.account_id)
    person = uow.directory.find(username)
    return ProfileAccess(may_see(uow, account, person), access.may_edit(uow, account, person),
                         access.may_manage(account, person), access.may_manage(account, person))


def _seeable(uow, contact_id: str, username: str) -> tuple[Contact, Account, Person]:
    contact = get_contact(uow.session, contact_id)
    account = access.get_account(uow.session, contact.account_id)
    person = uow.directory.find(username)
    if not may_see(uow, account, person):
        raise NotAllowed(f"{username} may not see this person's personal profile")
    return contact, account, person


def read(ctx, uow, contact_id: str, viewer: str) -> ProfileView:
    """The profile, and a row in the access log saying `viewer` saw it now (a writing use case)."""
    contact, account, person = _seeable(uow, contact_id, viewer)
    row = uow.session.get(ContactProfile, contact.id)
    audit.record(ctx, uow, account.id, VIEWED, viewer, meta={"contact_id": contact.id})
    values = {name: getattr(row, name) or "" for name in PROFILE_FIELDS} if row else {}
    return ProfileView(contact.id, contact.name, account.id, values, row.updated_by if row else None,
                       row.updated_at if row else None, row.version if row else None,
                       access.may_edit(uow, account, person), access.may_manage(account, person))


def save(ctx, uow, contact_id: str, actor: str, document: dict, version: int | None = None) -> None:
    """Replace the profile (the account team and admins); the audit log names the changed fields only."""
    contact = get_contact(uow.session, contact_id)
    account, _person = access.editable(uow, contact.account_id, actor)
    document = trimmed(document)
    forms.validate(SCHEMA, document)
    row = uow.session.get(ContactProfile, contact.id)
    if row is not None and version is not None and version != row.version:
        raise Conflict("Someone else changed this profile while you were editing it")
    if row is None:
        row = ContactProfile(contact_id=contact.id)
        uow.session.add(row)
    changed = [n for n in PROFILE_FIELDS if (getattr(row, n) or "") != (document.get(n) or "")]
    for name in PROFILE_FIELDS:
        setattr(row, name, document.get(name) or "")
    row.updated_by, row.updated_at = actor, ctx.clock()
    if changed:
        audit.record(ctx, uow, account.id, "profile_updated", actor, meta={"contact_id": contact.id, "fields": changed})


def erase(ctx, uow, contact_id: str, actor: str) -> None:
    """Delete the profile on the person's request (the account owner or an admin); the contact stays."""
    contact = get_contact(uow.session, contact_id)
    account = access.get_account(uow.session, contact.account_id)
    if not access.may_manage(account, uow.directory.find(actor)):
        raise NotAllowed(f"{actor} may not erase personal data at this account")
    row = uow.session.get(ContactProfile, contact.id)
    erased = [n for n in PROFILE_FIELDS if row is not None and getattr(row, n)]
    if row is not None:
        uow.session.delete(row)
    auditlog.erase(uow.session, auditlog.account_stream(account.id), [], actor, ctx.clock(),
                   meta={"contact_id": contact.id, "what": "personal_profile", "fields": erased})


@dataclass(frozen=True)
class ViewRow:
    at: datetime
    viewer: str


def access_log(uow, contact_id: str, reader: str) -> list[ViewRow]:
    """Who saw the profile and when, newest first: for the account's owner and admins."""
    contact = get_contact(uow.session, contact_id)
    account = access.get_account(uow.session, contact.account_id)
    if not access.may_manage(account, uow.directory.find(reader)):
        raise NotAllowed(f"{reader} may not read this access log")
    events = uow.session.execute(
        select(AuditEvent.at, AuditEvent.actor, AuditEvent.meta)
        .where(AuditEvent.stream == auditlog.account_stream(account.id), AuditEvent.kind == VIEWED)
        .order_by(AuditEvent.seq.desc()))
    return [ViewRow(at, actor) for at, actor, meta in events if (meta or {}).get("contact_id") == contact.id]
