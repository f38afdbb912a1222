"""Reading the relationship ledger for a page: a contact's, an account's, a rep's home page,
and a project's decision-unit coverage. Whoever may see the account may read its ledger."""
from __future__ import annotations

from sqlalchemy import select

from ..db.schema import Instance, Task
from ..db.workspace import Account, Contact
from ..errors import NotAllowed, NotFound
from ..usecases import access as project_access
from . import access, coverage, gifts, ledger
from .contacts import get_contact
from .ledger_views import ColdContact, Coverage, Ledger
from .settings import read as read_settings


def _contacts(session, account_id: str) -> list[Contact]:
    return list(session.scalars(select(Contact).where(Contact.account_id == account_id)))


def of_contact(ctx, uow, contact_id: str, viewer: str) -> Ledger:
    contact = get_contact(uow.session, contact_id)
    access.viewable(uow, contact.account_id, viewer)
    s = uow.session
    return Ledger(activities=ledger.of_contact(s, contact.id),
                  targets=ledger.targets(s, [contact.id], {contact.id: contact.relationship_stage}, ledger.today(ctx)),
                  cold=ledger.cold(ctx, s, [contact]),
                  gifts=[g for g in gifts.of_account(s, contact.account_id) if g.contact_id == contact.id],
                  going_cold_days=read_settings(s).going_cold_days)


def of_account(ctx, uow, account_id: str, viewer: str) -> Ledger:
    account, _person = access.viewable(uow, account_id, viewer)
    s = uow.session
    people = _contacts(s, account.id)
    return Ledger(activities=ledger.of_account(s, account.id),
                  targets=ledger.targets(s, [c.id for c in people], {c.id: c.relationship_stage for c in people},
                                         ledger.today(ctx)),
                  cold=ledger.cold(ctx, s, people), gifts=gifts.of_account(s, account.id),
                  going_cold_days=read_settings(s).going_cold_days)


def going_cold_for(ctx, uow, username: str) -> list[ColdContact]:
    """The people `username` looks after (at accounts they may still see) who are going cold."""
    person = uow.directory.find(username)
    rows = list(uow.session.scalars(select(Contact).where(Contact.owner == username)))
    accounts = uow.session.scalars(select(Account).where(Account.id.in_({c.account_id for c in rows})))
    seen = {a.id: access.may_view(uow, a, person) for a in accounts}          # one read for all their accounts
    return ledger.cold(ctx, uow.session, [c for c in rows if seen.get(c.account_id)])


def coverage_for_task(ctx, uow, task_id: str, viewer: str) -> Coverage | None:
    """The coverage to show beside a task that checks it (`checkCoverage`); None for other tasks."""
    row = uow.session.get(Task, task_id) if task_id else None
    inst = uow.session.get(Instance, row.instance_id) if row is not None else None
    if inst is None or row.bpmn_id not in ctx.models.by_id(uow.session, inst.definition_id).checks_coverage:
        return None
    return coverage_of(uow, inst.id, viewer)


def coverage_of(uow, instance_id: str, viewer: str) -> Coverage | None:
    inst = uow.session.get(Instance, instance_id) if instance_id else None
    if inst is None:
        raise NotFound(f"No instance {instance_id!r}")
    if not project_access.may_view(uow, instance_id, viewer):
        raise NotAllowed(f"{viewer} may not see this project")
    return coverage.of_instance(uow.session, inst)
