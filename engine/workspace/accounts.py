"""Creating and changing accounts outside the process (the account pages, the API).

Two kinds of change: the profile (what the account is), which the account team edits, and
our side (owner, team, executive sponsor), which only the owner or an admin changes. Every
change is an event on the account's audit stream (`account:<id>`, docs/audit.md): the names
of the changed fields in `meta`, their values before and after in the erasable payload.
"""
from __future__ import annotations

import uuid

from .. import forms
from ..db.workspace import Account
from ..directory import Person
from ..errors import Conflict, FieldError, NotAllowed, ValidationFailed
from . import access, audit
from .documents import account_document, apply_our_side, apply_profile, changes
from .schemas import ACCOUNT, OUR_SIDE, PROFILE

NOT_YOURS = "you may only give an account to yourself or to people you manage"


def trimmed(value):
    """Typed text without the spaces around it, anywhere in a document."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, dict):
        return {k: trimmed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [trimmed(v) for v in value]
    return value


def person_error(uow, path: str, username) -> FieldError | None:
    person = uow.directory.find(username) if isinstance(username, str) else None
    return None if person is not None and person.active else FieldError(path, f"no active user {username!r}")


def check(uow, schema: dict, document: dict) -> dict:
    """The document, trimmed and checked: the schema, then the people and years it names."""
    document = trimmed(document)
    forms.validate(schema, document)
    errors = [person_error(uow, f"$.{k}", document[k]) for k in ("owner", "executive_sponsor") if document.get(k)]
    errors += [person_error(uow, f"$.team[{i}]", u) for i, u in enumerate(document.get("team") or [])]
    seen = set()
    for i, row in enumerate(document.get("revenues") or []):
        if row["year"] in seen:
            errors.append(FieldError(f"$.revenues[{i}].year", "this year is listed twice"))
        seen.add(row["year"])
    errors = [e for e in errors if e is not None]
    if errors:
        raise ValidationFailed(errors)
    return document


def _may_give_to(uow, actor: Person, owner: str) -> bool:
    return owner == actor.username or actor.is_admin or actor.username in access.managers_above(uow.directory, owner)


def create(ctx, uow, actor: str, document: dict) -> str:
    """A new account; `actor` owns it unless the document names someone they manage."""
    person = uow.directory.find(actor)
    if person is None or not person.active:
        raise NotAllowed(f"{actor} may not create accounts")
    document = check(uow, ACCOUNT, {**document, "owner": document.get("owner") or actor})
    if not _may_give_to(uow, person, document["owner"]):
        raise ValidationFailed([FieldError("$.owner", NOT_YOURS)])
    now = ctx.clock()
    account = Account(id=str(uuid.uuid4()), name=document["name"], account_type=document["account_type"],
                      owner=document["owner"], created_by=actor, created_at=now, updated_at=now)
    uow.session.add(account)
    apply_profile(uow.session, account, document, now.date())
    apply_our_side(uow.session, account, document)
    uow.session.flush()
    audit.record(ctx, uow, account.id, "account_created", actor, meta={"owner": account.owner},
                 payload={"after": account_document(uow.session, account)})
    return account.id


def _current(account: Account, version: int | None) -> None:
    if version is not None and version != account.version:
        raise Conflict("Someone else changed this account while you were editing it")


def _save(ctx, uow, account: Account, actor: str, before: dict, kind: str) -> None:
    account.updated_at = ctx.clock()
    uow.session.flush()
    names, payload = changes(before, account_document(uow.session, account))
    if names:
        audit.record(ctx, uow, account.id, kind, actor, meta={"fields": names}, payload=payload)


def update_profile(ctx, uow, account_id: str, actor: str, document: dict, version: int | None = None) -> None:
    """Replace the account's profile with `document`. `version` is the one the editor saw: a
    change made since is a Conflict, never silently overwritten."""
    account, _person = access.editable(uow, account_id, actor)
    _current(account, version)
    document = check(uow, PROFILE, document)
    before = account_document(uow.session, account)
    apply_profile(uow.session, account, document, ctx.clock().date())
    _save(ctx, uow, account, actor, before, "account_updated")


def set_our_side(ctx, uow, account_id: str, actor: str, document: dict, version: int | None = None) -> None:
    """Owner, team and executive sponsor; the owner may hand the account to anyone."""
    account, person = access.editable(uow, account_id, actor)
    if not access.may_manage(account, person):
        raise NotAllowed(f"{actor} may not change who looks after this account")
    _current(account, version)
    document = check(uow, OUR_SIDE, document)
    before = account_document(uow.session, account)
    apply_our_side(uow.session, account, document)
    _save(ctx, uow, account, actor, before, "team_changed")
